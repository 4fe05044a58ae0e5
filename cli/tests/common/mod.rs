//! Helpers for running the `lifecircle` binary in tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A bundled data file.
pub(crate) fn data(name: &str) -> PathBuf {
    repo_root().join("data").join(name)
}

/// A vector-format fixture of the core crate (made by GDAL: `core/tests/fixtures/formats`).
pub(crate) fn formats_fixture(name: &str) -> String {
    repo_root()
        .join("core/tests/fixtures/formats")
        .join(name)
        .display()
        .to_string()
}

/// Runs `lifecircle` with arguments.
pub(crate) fn lifecircle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lifecircle"))
        .args(args)
        .output()
        .expect("the lifecircle binary runs")
}

/// Stdout and stderr as text.
pub(crate) fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh temporary folder.
pub(crate) fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

/// Writes `content` to `dir/name` and returns the path as a string.
pub(crate) fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write fixture");
    path.display().to_string()
}

/// A 12 × 12 street grid about 110 m apart near (0°, 0°), two centers, 300 residents and
/// two units: a run takes a fraction of a second and writes every coverage output.
pub(crate) fn city(dir: &Path) -> (String, String, String, String) {
    // A 12 × 12 street grid: every street has a vertex at each crossing, so the
    // streets meet and form one network.
    let step = 0.001;
    let mut lines = Vec::new();
    let along = |fixed: f64, east_west: bool| {
        let coords: Vec<String> = (0..12)
            .map(|j| {
                let t = f64::from(j) * step;
                if east_west {
                    format!("[{t},{fixed}]")
                } else {
                    format!("[{fixed},{t}]")
                }
            })
            .collect();
        format!(
            r#"{{"type":"Feature","properties":{{"highway":"footway"}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}"#,
            coords.join(",")
        )
    };
    for i in 0..12 {
        let at = f64::from(i) * step;
        lines.push(along(at, true));
        lines.push(along(at, false));
    }
    let roads = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        lines.join(",")
    );
    let centers = "id,lon,lat\nc1,0.001,0.001\nc2,0.009,0.0095\n".to_string();
    let mut demand = String::from("id,lon,lat,population\n");
    for k in 0..300 {
        let (x, y) = (f64::from(k % 20) * 0.00055, f64::from(k / 20) * 0.00073);
        demand.push_str(&format!("r{k},{x:.6},{y:.6},{}\n", 1 + k % 4));
    }
    let units = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"west","name":"West"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[0.0055,0],[0.0055,0.011],[0,0.011],[0,0]]]}},
{"type":"Feature","properties":{"id":"east","name":"East"},"geometry":{"type":"Polygon","coordinates":[[[0.0055,0],[0.011,0],[0.011,0.011],[0.0055,0.011],[0.0055,0]]]}}
]}"#;
    (
        write(dir, "roads.geojson", roads.as_bytes()),
        write(dir, "centers.csv", centers.as_bytes()),
        write(dir, "demand.csv", demand.as_bytes()),
        write(dir, "units.geojson", units.as_bytes()),
    )
}

/// Runs `coverage` on [`city`] (with its units, both reports) into `dir/name` with
/// `extra` arguments; panics when it fails. Returns the terminal text and the folder.
pub(crate) fn city_coverage(dir: &Path, name: &str, extra: &[&str]) -> (String, PathBuf) {
    let (roads, centers, demand, units) = city(dir);
    let out = dir.join(name);
    let out_text = out.display().to_string();
    let mut args = vec![
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--units",
        &units,
        "--report",
        "md,html",
        "--out",
        &out_text,
    ];
    args.extend_from_slice(extra);
    let output = lifecircle(&args);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    (stdout, out)
}
