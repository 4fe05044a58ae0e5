//! The bad-input catalogue (`docs/bad-input.md`) through the CLI.
//!
//! Rows already covered by `bad_input.rs` are not repeated here; this file holds the rest:
//! exit code 2 with a message naming the file, the feature and the reason, or exit code 0
//! with the skip counted in `summary.json`.

mod common;

use std::io::Write;

use common::{lifecircle, temp_dir, texts, write};

const ROADS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"LineString","coordinates":[[0,0],[0.001,0],[0.002,0]]}},
{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"LineString","coordinates":[[0.001,0],[0.001,0.001]]}}
]}"#;
const CENTERS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"c1"},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#;
const DEMAND: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"r1","population":3},"geometry":{"type":"Point","coordinates":[0.002,0.0001]}}]}"#;

/// What a run gave: exit code, stdout, stderr and `summary.json` when written.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    summary: Option<serde_json::Value>,
}

/// Runs `coverage` on the named files (roads, centers, demand in that order).
fn run_files(files: [(&str, &[u8]); 3], extra: &[&str]) -> Run {
    let dir = temp_dir();
    let paths: Vec<String> = files
        .iter()
        .map(|(name, content)| write(dir.path(), name, content))
        .collect();
    let out = dir.path().join("out");
    let out_text = out.display().to_string();
    let mut args = vec![
        "coverage",
        "--roads",
        &paths[0],
        "--centers",
        &paths[1],
        "--demand",
        &paths[2],
        "--min-component-nodes",
        "1",
        "--out",
        &out_text,
    ];
    args.extend_from_slice(extra);
    let output = lifecircle(&args);
    let (stdout, stderr) = texts(&output);
    let summary = std::fs::read_to_string(out.join("summary.json"))
        .ok()
        .map(|text| serde_json::from_str(&text).unwrap());
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout,
        stderr,
        summary,
    }
}

fn run(roads: &str, centers: &str, demand: &str, extra: &[&str]) -> Run {
    run_files(
        [
            ("roads.geojson", roads.as_bytes()),
            ("centers.geojson", centers.as_bytes()),
            ("demand.geojson", demand.as_bytes()),
        ],
        extra,
    )
}

fn demand_with(features: &[&str]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn assert_fails(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "{needle:?} not in {}",
            run.stderr
        );
    }
}

#[test]
fn row_02_json_that_is_not_geojson() {
    let r = run(r#"{"type":"Topology","objects":{}}"#, CENTERS, DEMAND, &[]);
    assert_fails(&r, &["roads.geojson", "unknown type `Topology`"]);
    let r = run(
        ROADS,
        CENTERS,
        r#"{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[0,0]}]}"#,
        &[],
    );
    assert_fails(&r, &["demand.geojson", "feature 0", "expected `Feature`"]);
    // Not UTF-8 text.
    let r = run_files(
        [
            ("roads.geojson", ROADS.as_bytes()),
            ("centers.geojson", CENTERS.as_bytes()),
            ("demand.geojson", b"{\"type\":\xff\xfe}"),
        ],
        &[],
    );
    assert_fails(&r, &["demand.geojson", "not UTF-8"]);
    // Roads given as CSV.
    let r = run_files(
        [
            ("roads.csv", b"lon,lat\n0,0\n"),
            ("centers.geojson", CENTERS.as_bytes()),
            ("demand.geojson", DEMAND.as_bytes()),
        ],
        &[],
    );
    assert_fails(&r, &["roads.csv", "not CSV"]);
}

#[test]
fn row_03_lines_as_centers_leave_no_center() {
    let r = run(ROADS, ROADS, DEMAND, &[]);
    assert_fails(
        &r,
        &[
            "centers.geojson",
            "no service center found (2 features skipped)",
        ],
    );
}

#[test]
fn row_05_nan_coordinates() {
    let r = run_files(
        [
            ("roads.geojson", ROADS.as_bytes()),
            ("centers.geojson", CENTERS.as_bytes()),
            ("people.csv", b"id,lon,lat\na,0.001,0\nb,NaN,0\n"),
        ],
        &[],
    );
    assert_fails(
        &r,
        &[
            "people.csv",
            "feature 1",
            "row 2",
            "not a finite number pair",
        ],
    );
    let nan = demand_with(&[
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,0]}}"#,
    ]);
    let r = run(ROADS, CENTERS, &nan, &[]);
    assert_fails(&r, &["demand.geojson", "invalid GeoJSON", "line 1"]);
}

#[test]
fn row_06_swapped_lat_lon() {
    let swapped = demand_with(&[
        r#"{"type":"Feature","properties":{"id":"r"},"geometry":{"type":"Point","coordinates":[30.6,114.3]}}"#,
    ]);
    let r = run(ROADS, CENTERS, &swapped, &[]);
    assert_fails(
        &r,
        &["demand.geojson", "feature 0", "latitude 114.3", "swapped?"],
    );
    // Swapped but still inside the valid range: counted as too far from the network.
    let swapped = demand_with(&[
        r#"{"type":"Feature","properties":{"id":"ok"},"geometry":{"type":"Point","coordinates":[0.002,0.0001]}}"#,
        r#"{"type":"Feature","properties":{"id":"swapped","population":4},"geometry":{"type":"Point","coordinates":[0.0001,0.002]}}"#,
    ]);
    let far = swapped.replace("[0.0001,0.002]", "[0.0001,10.002]");
    let r = run(ROADS, CENTERS, &far, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let coverage = &r.summary.unwrap()["coverage"];
    assert_eq!(coverage["too_far_from_network_population"], 4.0);
    assert_eq!(coverage["residents"], 2);
}

#[test]
fn row_07_duplicate_ids_are_renamed_and_counted() {
    let twice = demand_with(&[
        r#"{"type":"Feature","properties":{"id":"r"},"geometry":{"type":"Point","coordinates":[0.002,0.0001]}}"#,
        r#"{"type":"Feature","properties":{"id":"r"},"geometry":{"type":"Point","coordinates":[0.001,0.0001]}}"#,
    ]);
    let dir = temp_dir();
    let out = dir.path().join("out");
    let output = lifecircle(&[
        "coverage",
        "--roads",
        &write(dir.path(), "roads.geojson", ROADS.as_bytes()),
        "--centers",
        &write(dir.path(), "centers.geojson", CENTERS.as_bytes()),
        "--demand",
        &write(dir.path(), "demand.geojson", twice.as_bytes()),
        "--min-component-nodes",
        "1",
        "--out",
        &out.display().to_string(),
        "--quiet",
    ]);
    assert!(output.status.success(), "{:?}", texts(&output));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["inputs"]["demand"]["skipped"]["renamed: duplicate id (#n suffix added)"],
        1
    );
    let demand = std::fs::read_to_string(out.join("demand.geojson")).unwrap();
    assert!(demand.contains("\"r#2\""), "{demand}");
}

#[test]
fn row_08_empty_layers() {
    let empty = r#"{"type":"FeatureCollection","features":[]}"#;
    let r = run(empty, CENTERS, DEMAND, &[]);
    assert_fails(
        &r,
        &[
            "roads.geojson",
            "cannot build a walking network",
            "no walkable road",
        ],
    );
    let r = run(ROADS, CENTERS, empty, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let coverage = &r.summary.unwrap()["coverage"];
    assert_eq!(coverage["residents"], 0);
    assert_eq!(coverage["coverage_ratio"], 0.0);
}

#[test]
fn row_09_truncated_gzip() {
    let mut encoder = flate2_free_gzip(ROADS.as_bytes());
    encoder.truncate(encoder.len() / 2);
    let r = run_files(
        [
            ("roads.geojson.gz", &encoder),
            ("centers.geojson", CENTERS.as_bytes()),
            ("demand.geojson", DEMAND.as_bytes()),
        ],
        &[],
    );
    assert_fails(&r, &["roads.geojson.gz", "invalid gzip data"]);
}

/// A gzip stream with one stored (uncompressed) deflate block, so the test needs no
/// compression crate: header, block, CRC-32 and length.
fn flate2_free_gzip(data: &[u8]) -> Vec<u8> {
    assert!(data.len() < 65_536);
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let len = data.len() as u16;
    out.push(1); // final stored block
    out.write_all(&len.to_le_bytes()).unwrap();
    out.write_all(&(!len).to_le_bytes()).unwrap();
    out.write_all(data).unwrap();
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    out.write_all(&(!crc).to_le_bytes()).unwrap();
    out.write_all(&(data.len() as u32).to_le_bytes()).unwrap();
    out
}

#[test]
fn row_09_gzip_fixture_is_valid_when_whole() {
    let gz = flate2_free_gzip(ROADS.as_bytes());
    let r = run_files(
        [
            ("roads.geojson.gz", &gz),
            ("centers.geojson", CENTERS.as_bytes()),
            ("demand.geojson", DEMAND.as_bytes()),
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn row_10_csv_row_with_too_few_fields() {
    let r = run_files(
        [
            ("roads.geojson", ROADS.as_bytes()),
            ("centers.geojson", CENTERS.as_bytes()),
            ("people.csv", b"id,lon,lat\na,0.001,0\nb,0.001\n"),
        ],
        &[],
    );
    assert_fails(
        &r,
        &["people.csv", "feature 1", "row 2 (line 3)", "has 2 fields"],
    );
}

#[test]
fn row_11_huge_property_values() {
    let huge = demand_with(&[
        r#"{"type":"Feature","properties":{"id":"r1","population":1e300},"geometry":{"type":"Point","coordinates":[0.002,0.0001]}}"#,
    ]);
    let r = run(ROADS, CENTERS, &huge, &[]);
    assert_fails(
        &r,
        &[
            "demand.geojson",
            "feature 0",
            "`population`",
            "largest accepted",
        ],
    );
    // A long text property is carried without trouble.
    let long = "y".repeat(200_000);
    let big = demand_with(&[&format!(
        r#"{{"type":"Feature","properties":{{"id":"r1","note":"{long}"}},"geometry":{{"type":"Point","coordinates":[0.002,0.0001]}}}}"#
    )]);
    let r = run(ROADS, CENTERS, &big, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn row_12_empty_and_self_intersecting_polygons() {
    let polygons = demand_with(&[
        r#"{"type":"Feature","properties":{"id":"empty"},"geometry":{"type":"Polygon","coordinates":[]}}"#,
        r#"{"type":"Feature","properties":{"id":"bowtie"},"geometry":{"type":"Polygon","coordinates":[[[0.0015,0],[0.0017,0.0002],[0.0017,0],[0.0015,0.0002],[0.0015,0]]]}}"#,
    ]);
    let r = run(ROADS, CENTERS, &polygons, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary = r.summary.unwrap();
    assert_eq!(summary["inputs"]["demand"]["skipped"]["empty polygon"], 1);
    assert_eq!(summary["inputs"]["demand"]["features_used"], 1);
    assert_eq!(summary["coverage"]["residents_covered"], 1);
}

#[test]
fn row_14_centers_all_off_network() {
    let far = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"c1"},"geometry":{"type":"Point","coordinates":[0.5,0.5]}}]}"#;
    let r = run(ROADS, far, DEMAND, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Centers: 1 (1 off the network)"),
        "{}",
        r.stdout
    );
    let coverage = &r.summary.unwrap()["coverage"];
    assert_eq!(coverage["centers_too_far_from_network"], 1);
    assert_eq!(coverage["coverage_ratio"], 0.0);
    assert_eq!(coverage["no_path_population"], 3.0);
}

#[test]
fn row_15_files_too_large_for_the_limits() {
    // The file size is checked before reading: 1 MiB limit, a 1.5 MiB file.
    let padded = format!("{ROADS}{}", " ".repeat(3 << 19));
    let r = run(&padded, CENTERS, DEMAND, &["--max-input-mb", "1"]);
    assert_fails(
        &r,
        &[
            "roads.geojson",
            "more than the limit of 1048576 bytes",
            "--max-input-mb",
        ],
    );
    let r = run(ROADS, CENTERS, DEMAND, &["--max-input-mb", "1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Feature count: two road features against a limit of one.
    let r = run(ROADS, CENTERS, DEMAND, &["--max-features", "1"]);
    assert_fails(&r, &["roads.geojson", "more than the limit of 1 features"]);
    let r = run(ROADS, CENTERS, DEMAND, &["--max-features", "2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A small gzip file (the road fixture padded to 2 MiB) that decompresses past the limit.
    let bomb = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/roads_2mib.geojson.gz"),
    )
    .unwrap();
    assert!(bomb.len() < 10_000);
    let files = [
        ("roads.geojson.gz", &bomb[..]),
        ("centers.geojson", CENTERS.as_bytes()),
        ("demand.geojson", DEMAND.as_bytes()),
    ];
    let r = run_files(files, &["--max-input-mb", "1"]);
    assert_fails(
        &r,
        &[
            "roads.geojson.gz",
            "decompress to more than the limit of 1048576 bytes",
        ],
    );
    let r = run_files(files, &["--max-input-mb", "3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(ROADS, CENTERS, DEMAND, &["--max-input-mb", "0"]);
    assert_fails(&r, &["--max-input-mb must be at least 1"]);
}
