//! Bad input through the CLI: exit code 2 and a message naming file, feature and reason.

mod common;

use common::{lifecircle, temp_dir, texts, write};

const ROADS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"LineString","coordinates":[[0,0],[0.001,0],[0.002,0]]}},
{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"LineString","coordinates":[[0.001,0],[0.001,0.001]]}}
]}"#;
const CENTERS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"c1"},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#;
const DEMAND: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"r1","population":3},"geometry":{"type":"Point","coordinates":[0.002,0.0001]}}]}"#;

/// What a run of `lifecircle coverage` left behind.
struct Outcome {
    dir: tempfile::TempDir,
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs coverage on the three layers given as text, the demand layer written under
/// `demand_name` (its extension picks the format).
fn run_named(
    roads: &[u8],
    centers: &[u8],
    demand_name: &str,
    demand: &[u8],
    extra: &[&str],
) -> Outcome {
    let dir = temp_dir();
    let r = write(dir.path(), "roads.geojson", roads);
    let c = write(dir.path(), "centers.geojson", centers);
    let d = write(dir.path(), demand_name, demand);
    let out = dir.path().join("out").display().to_string();
    let mut args = vec![
        "coverage",
        "--roads",
        &r,
        "--centers",
        &c,
        "--demand",
        &d,
        "--min-component-nodes",
        "1",
        "--out",
        &out,
    ];
    args.extend_from_slice(extra);
    let output = lifecircle(&args);
    let (stdout, stderr) = texts(&output);
    Outcome {
        dir,
        code: output.status.code().unwrap_or(-1),
        stdout,
        stderr,
    }
}

/// Runs coverage on three GeoJSON layers; returns (exit code, stdout, stderr).
fn run(roads: &[u8], centers: &[u8], demand: &[u8], extra: &[&str]) -> (i32, String, String) {
    let o = run_named(roads, centers, "demand.geojson", demand, extra);
    (o.code, o.stdout, o.stderr)
}

#[test]
fn valid_fixture_runs() {
    let (code, _, stderr) = run(ROADS.as_bytes(), CENTERS.as_bytes(), DEMAND.as_bytes(), &[]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn malformed_json_names_file_and_position() {
    let (code, _, err) = run(
        b"{\"type\":\"FeatureCollection\",",
        CENTERS.as_bytes(),
        DEMAND.as_bytes(),
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("roads.geojson") && err.contains("line"),
        "{err}"
    );
}

#[test]
fn empty_file_is_an_error() {
    let (code, _, err) = run(b"", CENTERS.as_bytes(), DEMAND.as_bytes(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("roads.geojson"), "{err}");
}

#[test]
fn coordinates_out_of_range_name_the_feature() {
    let bad = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"c1"},"geometry":{"type":"Point","coordinates":[0,0]}},
{"type":"Feature","properties":{"id":"c2"},"geometry":{"type":"Point","coordinates":[30.5,120.2]}}]}"#;
    let (code, _, err) = run(ROADS.as_bytes(), bad.as_bytes(), DEMAND.as_bytes(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("centers.geojson") && err.contains("feature 1"),
        "{err}"
    );
    assert!(err.contains("latitude"), "{err}");
}

#[test]
fn no_walkable_road_is_an_error() {
    let motorway = ROADS.replace("footway", "motorway");
    let (code, _, err) = run(
        motorway.as_bytes(),
        CENTERS.as_bytes(),
        DEMAND.as_bytes(),
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("roads.geojson") && err.contains("no walkable road"),
        "{err}"
    );
}

#[test]
fn no_center_is_an_error() {
    let empty = r#"{"type":"FeatureCollection","features":[]}"#;
    let (code, _, err) = run(ROADS.as_bytes(), empty.as_bytes(), DEMAND.as_bytes(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("centers.geojson") && err.contains("no service center"),
        "{err}"
    );
}

#[test]
fn wrong_geometry_type_for_roads_is_counted_not_fatal_when_others_remain() {
    let end = ROADS.rfind("]}").unwrap();
    let mixed = format!(
        "{},{}]}}",
        &ROADS[..end],
        r#"{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"Point","coordinates":[0,0]}}"#
    );
    let o = run_named(
        mixed.as_bytes(),
        CENTERS.as_bytes(),
        "demand.geojson",
        DEMAND.as_bytes(),
        &[],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let summary_path = o.dir.path().join("out/summary.json");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(summary_path).unwrap()).unwrap();
    assert_eq!(
        summary["inputs"]["roads"]["skipped_total"], 1,
        "{summary:#}"
    );
}

#[test]
fn corrupt_pbf_is_an_error() {
    let dir = temp_dir();
    let pbf = std::fs::read(common::data("monaco.osm.pbf")).unwrap();
    let r = write(dir.path(), "roads.osm.pbf", &pbf[..pbf.len() / 3]);
    let out = dir.path().join("out").display().to_string();
    let output = lifecircle(&[
        "coverage",
        "--roads",
        &r,
        "--centers-osm",
        "amenity=library",
        "--demand-osm",
        "building",
        "--out",
        &out,
    ]);
    let (_, err) = texts(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(err.contains("roads.osm.pbf"), "{err}");
}

#[test]
fn csv_without_coordinate_columns_lists_the_header() {
    let o = run_named(
        ROADS.as_bytes(),
        CENTERS.as_bytes(),
        "people.csv",
        b"name,east,north\na,1,2\n",
        &[],
    );
    let err = o.stderr;
    assert_eq!(o.code, 2);
    assert!(err.contains("people.csv") && err.contains("east"), "{err}");
}

#[test]
fn csv_with_non_numeric_value_names_the_row() {
    let o = run_named(
        ROADS.as_bytes(),
        CENTERS.as_bytes(),
        "people.csv",
        b"id,lon,lat\na,0.001,0\nb,east,0\n",
        &[],
    );
    let err = o.stderr;
    assert_eq!(o.code, 2);
    assert!(err.contains("people.csv") && err.contains("east"), "{err}");
}

#[test]
fn missing_file_is_named() {
    let (code, _, err) = {
        let out = lifecircle(&[
            "coverage",
            "--roads",
            "/nonexistent/roads.geojson",
            "--centers",
            "c.geojson",
            "--demand",
            "d.geojson",
            "--out",
            "/tmp/x",
        ]);
        let (o, e) = texts(&out);
        (out.status.code().unwrap_or(-1), o, e)
    };
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/roads.geojson"), "{err}");
}

#[test]
fn invalid_parameter_is_named() {
    let (code, _, err) = run(
        ROADS.as_bytes(),
        CENTERS.as_bytes(),
        DEMAND.as_bytes(),
        &["--minutes", "0"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("threshold_min"), "{err}");
}

#[test]
fn all_residents_unreachable_is_a_valid_result() {
    let far = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"r1"},"geometry":{"type":"Point","coordinates":[1,1]}}]}"#;
    let (code, stdout, err) = run(ROADS.as_bytes(), CENTERS.as_bytes(), far.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("0.0 %"), "{stdout}");
}
