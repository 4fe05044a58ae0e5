//! Outputs are all or nothing and never destroy an input: what a run leaves in `--out`
//! whether it completes, fails, is interrupted at any byte, or is interrupted by SIGINT.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{city, temp_dir, texts, write};

fn coverage(
    inputs: &(String, String, String, String),
    out: &Path,
    extra: &[&str],
    env: &[(&str, String)],
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lifecircle"));
    cmd.args([
        "coverage",
        "--roads",
        &inputs.0,
        "--centers",
        &inputs.1,
        "--demand",
        &inputs.2,
        "--min-component-nodes",
        "1",
        "--quiet",
        "--out",
    ])
    .arg(out)
    .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("lifecircle runs")
}

/// Every file under `dir` (relative path → bytes), `timings.json` left out; `None`
/// when the folder does not exist.
fn contents(dir: &Path) -> Option<BTreeMap<PathBuf, Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.file_name().unwrap() != "timings.json" {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    if !dir.exists() {
        return None;
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    Some(out)
}

/// Hidden staging or old folders of runs left beside `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.starts_with(&format!(".{name}.lifecircle-")).then_some(n)
        })
        .collect()
}

#[test]
fn out_folder_holding_an_input_is_refused_and_the_input_is_kept() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    // `--demand dir/demand.csv --out dir`: the run would replace the folder the input is in.
    let before = std::fs::read(&inputs.2).unwrap();
    let run = coverage(&inputs, dir.path(), &[], &[]);
    let (_, stderr) = texts(&run);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(".geojson: this input is inside the output folder"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&inputs.2).unwrap(), before);
    // An input named like an output (`demand.geojson`) is refused the same way.
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let inside = write(
        &out,
        "demand.geojson",
        br#"{"type":"FeatureCollection","features":[]}"#,
    );
    let renamed = (
        inputs.0.clone(),
        inputs.1.clone(),
        inside.clone(),
        inputs.3.clone(),
    );
    let run = coverage(&renamed, &out, &[], &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(texts(&run).1.contains("inside the output folder"));
    assert_eq!(
        std::fs::read(&inside).unwrap(),
        br#"{"type":"FeatureCollection","features":[]}"#
    );
}

#[test]
fn out_folder_with_files_that_are_not_outputs_is_refused() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    write(&out, "notes.txt", b"mine");
    let run = coverage(&inputs, &out, &[], &[]);
    let (_, stderr) = texts(&run);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr.contains("not lifecircle outputs (notes.txt)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"mine");
    // A file given as the folder is refused too.
    let run = coverage(&inputs, Path::new(&inputs.1), &[], &[]);
    assert!(texts(&run).1.contains("is a file, not a folder"));
}

#[cfg(unix)]
#[test]
fn a_symlink_in_the_output_folder_is_replaced_not_written_through() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let precious = write(dir.path(), "precious.txt", b"keep me");
    std::os::unix::fs::symlink(&precious, out.join("demand.geojson")).unwrap();
    let run = coverage(&inputs, &out, &[], &[]);
    assert!(run.status.success(), "{:?}", texts(&run));
    assert_eq!(std::fs::read(&precious).unwrap(), b"keep me");
    let meta = std::fs::symlink_metadata(out.join("demand.geojson")).unwrap();
    assert!(meta.is_file(), "the link was replaced by the output file");
}

#[test]
fn a_completed_run_leaves_only_its_own_files() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out");
    let with_units = coverage(&inputs, &out, &["--units", &inputs.3], &[]);
    assert!(with_units.status.success(), "{:?}", texts(&with_units));
    assert!(out.join("units.geojson").exists());
    let without = coverage(&inputs, &out, &[], &[]);
    assert!(without.status.success());
    assert!(
        !out.join("units.geojson").exists(),
        "stale output left behind"
    );
    // Exactly what a run into a fresh folder writes.
    let fresh = dir.path().join("fresh");
    assert!(coverage(&inputs, &fresh, &[], &[]).status.success());
    assert_eq!(contents(&out), contents(&fresh));
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_as_they_were() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out");
    assert!(coverage(&inputs, &out, &[], &[]).status.success());
    let before = contents(&out);
    // A catalogue the centers do not match fails after the network is built.
    let config = write(
        dir.path(),
        "tiers.toml",
        b"[[tiers]]\nid = \"district\"\nthreshold_min = 10\n",
    );
    let _ = std::fs::write(&inputs.1, "id,lon,lat,tier\nc1,0.001,0.001,nowhere\n");
    let run = coverage(&inputs, &out, &["--config", &config], &[]);
    assert_eq!(run.status.code(), Some(2), "{:?}", texts(&run));
    assert_eq!(contents(&out), before);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

/// The property: interrupted at any point of its writing, a run leaves the output
/// folder holding exactly the previous run's complete set of files.
#[test]
fn any_interrupted_run_leaves_the_previous_complete_set() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out");
    assert!(coverage(&inputs, &out, &[], &[]).status.success());
    let first = contents(&out).unwrap();
    // The second run's outputs, and how many bytes it writes.
    let reference = dir.path().join("reference");
    let second_args = ["--minutes", "3", "--units", &inputs.3];
    assert!(coverage(&inputs, &reference, &second_args, &[])
        .status
        .success());
    let second = contents(&reference).unwrap();
    let total: usize = second.values().map(Vec::len).sum();
    assert_ne!(first, second);
    // Interruptions spread over the whole write, the first and last bytes included.
    let mut points: Vec<usize> = (0..14).map(|i| 1 + i * total / 13).collect();
    points.push(total.saturating_sub(1).max(1));
    for at in points {
        let run = coverage(
            &inputs,
            &out,
            &second_args,
            &[("LIFECIRCLE_FAULT_AFTER_BYTES", at.to_string())],
        );
        assert!(
            !run.status.success(),
            "the fault at byte {at} stops the run"
        );
        assert!(
            contents(&out).as_ref() == Some(&first),
            "after an interruption at byte {at} of {total} the folder changed"
        );
    }
    // Interrupted halfway through the swap: the folder is gone (none of either run's
    // files), never half of one and half of the other.
    let run = coverage(
        &inputs,
        &out,
        &second_args,
        &[("LIFECIRCLE_FAULT_IN_COMMIT", "1".into())],
    );
    assert!(!run.status.success());
    assert_eq!(contents(&out), None);
    // The next run clears what the killed ones left and completes.
    assert!(coverage(&inputs, &out, &second_args, &[]).status.success());
    assert_eq!(contents(&out).unwrap(), second);
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[cfg(unix)]
#[test]
fn sigint_while_writing_leaves_the_previous_complete_set() {
    let dir = temp_dir();
    let out = dir.path().join("demo");
    let demo = |minutes: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lifecircle"));
        cmd.args(["demo", "--quiet", "--minutes", minutes, "--out"])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    assert!(demo("10").status().unwrap().success());
    let first = contents(&out).unwrap();
    // Interrupt the next run once it has started writing (its staging folder exists).
    let mut child = demo("15").spawn().unwrap();
    let started = Instant::now();
    let staging = loop {
        let found = leftovers(&out);
        if !found.is_empty() || started.elapsed() > Duration::from_secs(120) {
            break found;
        }
        if child.try_wait().unwrap().is_some() {
            break Vec::new();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = child.wait().unwrap();
    if !staging.is_empty() && !status.success() {
        assert!(
            contents(&out).as_ref() == Some(&first),
            "SIGINT left a partial folder"
        );
    } else {
        // The run finished before the signal arrived: then it is complete.
        assert!(contents(&out).is_some_and(|c| c.contains_key(Path::new("summary.json"))));
    }
}
