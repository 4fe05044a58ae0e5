//! Golden outputs on a small real extract (Monaco), and byte-for-byte determinism.
//!
//! Regenerate after a reviewed change with `LIFECIRCLE_BLESS=1 cargo test -p lifecircle-cli --test golden`
//! and read the diff before committing it.

mod common;

use std::path::Path;
use std::process::Command;

use common::{repo_root, temp_dir};

const CENTERS: &str = "amenity=library|post_office|townhall|community_centre|social_facility";
const FILES: [&str; 7] = [
    "summary.json",
    "report.md",
    "report.html",
    "demand.geojson",
    "gaps.geojson",
    "network.geojson",
    "service_areas.geojson",
];

fn run_monaco(out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_lifecircle"))
        .current_dir(repo_root())
        .args([
            "coverage",
            "--roads",
            "data/monaco.osm.pbf",
            "--centers-osm",
            CENTERS,
            "--demand-osm",
            "building",
            "--report",
            "md,html",
            "--quiet",
            "--out",
        ])
        .arg(out)
        .status()
        .expect("lifecircle runs");
    assert!(status.success());
}

#[test]
fn monaco_outputs_match_the_reviewed_golden_files() {
    let dir = temp_dir();
    run_monaco(dir.path());
    let golden = repo_root().join("tests/golden/monaco");
    let bless = std::env::var_os("LIFECIRCLE_BLESS").is_some();
    for name in FILES {
        let got = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let path = golden.join(name);
        if bless {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} missing: run with LIFECIRCLE_BLESS=1", path.display()));
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            panic!(
                "{name} differs from the golden file at line {}:\n got: {}\nwant: {}",
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>")
            );
        }
    }
}

#[test]
fn two_runs_give_identical_bytes() {
    let (a, b) = (temp_dir(), temp_dir());
    run_monaco(a.path());
    run_monaco(b.path());
    for name in FILES {
        let x = std::fs::read(a.path().join(name)).unwrap();
        let y = std::fs::read(b.path().join(name)).unwrap();
        assert!(x == y, "{name} differs between two runs");
    }
}
