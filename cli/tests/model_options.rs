//! `--config`, `--slope`, `--dem`, `--profile` and `--crs` through the binary.

mod common;

use common::{lifecircle, temp_dir, texts, write};

const ROADS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[114.300,30.590,0],[114.301,30.590,10],[114.302,30.590,20]]},"properties":{"highway":"footway"}},
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[114.300,30.590,0],[114.300,30.591,0],[114.302,30.591,0],[114.302,30.590,20]]},"properties":{"highway":"steps"}}
]}"#;

fn centers(lonlat: [f64; 2]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{},{}]}},"properties":{{"id":"c","tier":"district","services":["legal_advice"]}}}}]}}"#,
        lonlat[0], lonlat[1]
    )
}

const DEMAND: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[114.300,30.590]},"properties":{"id":"bottom"}}
]}"#;

const CONFIG: &str = "[[tiers]]\nid = \"district\"\nthreshold_min = 15\n[[services]]\nid = \"legal_advice\"\ntier = \"district\"\n";

fn run(dir: &std::path::Path, centers_file: &str, extra: &[&str]) -> std::process::Output {
    let roads = write(dir, "roads.geojson", ROADS.as_bytes());
    let demand = write(dir, "demand.geojson", DEMAND.as_bytes());
    let out = dir.join("out").display().to_string();
    let mut args = vec![
        "coverage",
        "--roads",
        &roads,
        "--centers",
        centers_file,
        "--demand",
        &demand,
        "--min-component-nodes",
        "1",
        "--out",
        &out,
        "--quiet",
    ];
    args.extend_from_slice(extra);
    lifecircle(&args)
}

#[test]
fn slope_profiles_tiers_and_gcj02_reach_the_outputs() {
    let dir = temp_dir();
    // The center at the top of the 10 % climb, given in GCJ-02.
    let gcj = lifecircle::crs::wgs84_to_gcj02([114.302, 30.590]);
    let c = write(dir.path(), "centers.geojson", centers(gcj).as_bytes());
    let config = write(dir.path(), "tiers.toml", CONFIG.as_bytes());
    let out = run(
        dir.path(),
        &c,
        &[
            "--slope",
            "--config",
            &config,
            "--centers-crs",
            "gcj02",
            "--profile",
            "wheelchair",
            "--output-crs",
            "gcj02",
        ],
    );
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["model"]["profile"], "wheelchair");
    assert_eq!(summary["profiles"].as_array().unwrap().len(), 3);
    // The climb is 10 %: steeper than 1:12, and the other way is steps: the wheelchair
    // user has no walk, adults and older people do.
    let demand: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/demand.geojson")).unwrap(),
    )
    .unwrap();
    let props = &demand["features"][0]["properties"];
    assert_eq!(props["status"], "no_path", "{props}");
    assert_eq!(props["covered_by_profile"]["adult"], true);
    assert_eq!(props["covered_by_profile"]["wheelchair"], false);
    assert_eq!(
        props["services_missing"],
        serde_json::json!(["legal_advice"])
    );
    // Output in GCJ-02: the resident is written back shifted.
    let written = demand["features"][0]["geometry"]["coordinates"].clone();
    let expect = lifecircle::crs::wgs84_to_gcj02([114.300, 30.590]);
    assert!(
        (written[0].as_f64().unwrap() - expect[0]).abs() < 2e-7,
        "{written}"
    );
    assert!(summary["crs_check"]["residents_changing_status"].is_number());
    assert!(summary["slope"].is_object() && summary["tiers"]["services"].is_array());
    let report = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(
        report.contains("## Walking profiles")
            && report.contains("## Slope")
            && report.contains("## Services and tiers")
    );
}

#[test]
fn bad_model_options_fail_clearly() {
    let dir = temp_dir();
    let c = write(
        dir.path(),
        "centers.geojson",
        centers([114.302, 30.590]).as_bytes(),
    );
    let check = |extra: &[&str], expected: &str| {
        let out = run(dir.path(), &c, extra);
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    };
    let bad = write(
        dir.path(),
        "bad.toml",
        b"[[tiers]]\nid = \"district\"\nthreshold_min = 0\n",
    );
    check(
        &["--config", &bad],
        "threshold_min of tier `district` must be a positive number",
    );
    let unknown = write(
        dir.path(),
        "unknown.toml",
        b"[[tiers]]\nid = \"sub\"\nthreshold_min = 10\n",
    );
    check(
        &["--config", &unknown],
        "center `c`: unknown tier `district` (tiers: sub)",
    );
    let no_service = write(
        dir.path(),
        "ns.toml",
        b"[[tiers]]\nid = \"district\"\nthreshold_min = 10\n",
    );
    check(
        &["--config", &no_service],
        "service `legal_advice` is not in the catalogue",
    );
    let hgt = write(dir.path(), "N30E114.hgt", &[0u8; 4000]);
    check(
        &["--dem", &hgt],
        "N30E114.hgt: cannot read input: an SRTM .hgt tile has 1201×1201",
    );
    let badname = write(dir.path(), "tile.hgt", &[0u8; 4]);
    check(
        &["--dem", &badname],
        "must be named after its south-west corner",
    );
    check(&["--crs", "utm"], "unknown coordinate system `utm`");
    check(&["--profile", "runner"], "unknown walking profile `runner`");
}
