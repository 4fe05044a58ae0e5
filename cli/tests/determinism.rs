//! Determinism: the same input gives byte-identical output files across runs and thread
//! settings, and shuffling the order of input features changes no resident's result.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{data, lifecircle, temp_dir, texts};
use lifecircle::features::{PointFeature, RoadLine};
use lifecircle::input::{PopulationEstimate, TagFilter};
use lifecircle::{read_points, read_roads, ReadOptions};
use serde_json::{json, Value};

const CENTERS: &str = "amenity=community_centre|social_centre|library|townhall|social_facility";

/// Every output file except `timings.json`, by name.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "timings.json" {
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn run_ok(args: &[&str], threads: &str) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lifecircle"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(output.status.success(), "{:?}", texts(&output));
}

#[test]
fn same_input_gives_byte_identical_outputs_across_runs_and_thread_counts() {
    let dir = temp_dir();
    let monaco = data("monaco.osm.pbf").display().to_string();
    let mut runs = Vec::new();
    for (k, threads) in ["1", "2"].into_iter().enumerate() {
        let out = dir.path().join(format!("run{k}"));
        run_ok(
            &[
                "coverage",
                "--roads",
                &monaco,
                "--centers-osm",
                CENTERS,
                "--demand-osm",
                "building",
                "--report",
                "md,html",
                "--out",
                &out.display().to_string(),
                "--quiet",
            ],
            threads,
        );
        runs.push(outputs(&out));
    }
    assert!(runs[0].len() >= 6, "{:?}", runs[0].keys());
    for other in &runs[1..] {
        assert_eq!(
            runs[0].keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>()
        );
        for (name, bytes) in &runs[0] {
            assert!(bytes == &other[name], "{name} differs between runs");
        }
    }
}

fn line_feature(line: &RoadLine) -> Value {
    json!({
        "type": "Feature",
        "properties": line.tags,
        "geometry": {"type": "LineString", "coordinates": line.coords},
    })
}

fn point_feature(point: &PointFeature) -> Value {
    json!({
        "type": "Feature",
        "properties": {"id": point.id, "population": point.population},
        "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
    })
}

fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// A deterministic shuffle (xorshift).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

/// `demand.geojson` in canonical form: features sorted by id.
fn canonical_demand(dir: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join("demand.geojson")).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let mut features: Vec<(String, String)> = value["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["id"].as_str().unwrap().to_string(),
                f.to_string(),
            )
        })
        .collect();
    features.sort();
    features
}

fn summary(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn shuffled_feature_order_changes_no_resident_result() {
    let pbf = std::fs::read(data("monaco.osm.pbf")).unwrap();
    let roads = read_roads("monaco", &pbf, &ReadOptions::default())
        .unwrap()
        .lines;
    let by_tag = |filter: &str| {
        ReadOptions::default().osm(TagFilter::parse(filter).unwrap(), PopulationEstimate::One)
    };
    let centers = read_points("monaco", &pbf, &by_tag(CENTERS))
        .unwrap()
        .points;
    let demand = read_points("monaco", &pbf, &by_tag("building"))
        .unwrap()
        .points;
    assert!(roads.len() > 1000 && centers.len() >= 5 && demand.len() > 1000);

    let dir = temp_dir();
    let mut canonical = Vec::new();
    let mut summaries = Vec::new();
    for seed in [0u64, 1, 2] {
        let mut r: Vec<Value> = roads.iter().map(line_feature).collect();
        let mut c: Vec<Value> = centers.iter().map(point_feature).collect();
        let mut d: Vec<Value> = demand.iter().map(point_feature).collect();
        if seed > 0 {
            shuffle(&mut r, seed);
            shuffle(&mut c, seed + 10);
            shuffle(&mut d, seed + 20);
        }
        let case = dir.path().join(format!("case{seed}"));
        std::fs::create_dir_all(&case).unwrap();
        let path = |name: &str, text: String| {
            let p = case.join(name);
            std::fs::write(&p, text).unwrap();
            p.display().to_string()
        };
        let out = case.join("out");
        let output = lifecircle(&[
            "coverage",
            "--roads",
            &path("roads.geojson", collection(r)),
            "--centers",
            &path("centers.geojson", collection(c)),
            "--demand",
            &path("demand.geojson", collection(d)),
            "--out",
            &out.display().to_string(),
            "--quiet",
        ]);
        assert!(output.status.success(), "{:?}", texts(&output));
        canonical.push(canonical_demand(&out));
        summaries.push(summary(&out));
    }
    for k in 1..canonical.len() {
        assert_eq!(canonical[0].len(), canonical[k].len());
        for (a, b) in canonical[0].iter().zip(&canonical[k]) {
            assert_eq!(
                a, b,
                "resident result differs with shuffled input (seed {k})"
            );
        }
        let (a, b) = (&summaries[0], &summaries[k]);
        for key in [
            "residents",
            "residents_covered",
            "residents_uncovered_reachable",
            "residents_too_far_from_network",
            "residents_no_path",
            "covered_population",
            "total_population",
            "centers_too_far_from_network",
        ] {
            assert_eq!(a["coverage"][key], b["coverage"][key], "{key}");
        }
        for key in ["nodes", "edges", "components", "island_nodes"] {
            assert_eq!(a["network"][key], b["network"][key], "network {key}");
        }
        let per_center = |s: &Value| {
            let mut rows: Vec<String> = s["coverage"]["per_center"]
                .as_array()
                .unwrap()
                .iter()
                .map(Value::to_string)
                .collect();
            rows.sort();
            rows
        };
        assert_eq!(per_center(a), per_center(b));
    }
}
