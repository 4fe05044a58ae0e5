//! `lifecircle bench` on a tiny hand-made grid: the JSON report's shape and counts
//! (never its timings).

mod common;

use common::{lifecircle, temp_dir, texts, write};
use serde_json::{json, Value};

/// A 6 × 6 street grid, 0.001° apart: 36 nodes, 60 edges.
fn grid_roads() -> String {
    let mut features = Vec::new();
    for i in 0..6 {
        let v = 10.0 + f64::from(i) * 0.001;
        let across: Vec<[f64; 2]> = (0..6).map(|j| [10.0 + f64::from(j) * 0.001, v]).collect();
        let up: Vec<[f64; 2]> = (0..6).map(|j| [v, 10.0 + f64::from(j) * 0.001]).collect();
        for coords in [across, up] {
            features.push(json!({
                "type": "Feature",
                "properties": {"highway": "residential"},
                "geometry": {"type": "LineString", "coordinates": coords},
            }));
        }
    }
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn points(coords: &[[f64; 2]]) -> String {
    let features: Vec<Value> = coords
        .iter()
        .map(|c| {
            json!({
                "type": "Feature",
                "properties": {"population": 2},
                "geometry": {"type": "Point", "coordinates": c},
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn bench(dir: &std::path::Path, extra: &[&str]) -> (Value, String) {
    let roads = write(dir, "roads.geojson", grid_roads().as_bytes());
    let centers = write(
        dir,
        "centers.geojson",
        points(&[[10.0005, 10.0]]).as_bytes(),
    );
    let residents: Vec<[f64; 2]> = (0..8)
        .map(|k| [10.0002 + f64::from(k) * 0.0006, 10.0031])
        .collect();
    let demand = write(dir, "demand.geojson", points(&residents).as_bytes());
    let json_path = dir.join("bench.json").display().to_string();
    let mut args = vec![
        "bench",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--repeat",
        "2",
        "--whatifs",
        "7",
        "--candidate-spacing-m",
        "150",
        "--json",
        &json_path,
    ];
    args.extend_from_slice(extra);
    let run = lifecircle(&args);
    let (stdout, stderr) = texts(&run);
    assert!(run.status.success(), "{stderr}");
    let report = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    (report, stdout)
}

#[test]
fn bench_reports_every_stage_with_its_counts() {
    let dir = temp_dir();
    let (report, stdout) = bench(dir.path(), &[]);
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["tool", "machine", "workload", "stages", "peak_rss_mib"]
    );
    assert_eq!(report["tool"]["name"], "lifecircle");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(report["machine"]["cores"].as_u64().unwrap() >= 1);

    let w = &report["workload"];
    assert_eq!(w["nodes"], 36);
    assert_eq!(w["edges"], 60);
    assert_eq!(w["centers"], 1);
    assert_eq!(w["residents"], 8);
    assert_eq!(w["total_population"], 16.0);
    assert_eq!(w["repeat"], 2);
    assert_eq!(w["whatifs_requested"], 7);
    assert_eq!(w["whatifs"], 7);
    assert_eq!(
        w["whatif_attempts"].as_u64().unwrap(),
        7 + w["whatif_off_network"].as_u64().unwrap()
    );
    let candidates = w["candidates"].as_u64().unwrap();
    assert!(candidates >= 4, "{w}");
    assert_eq!(w["candidates_snapped"], candidates);

    let stages = report["stages"].as_array().unwrap();
    let names: Vec<&str> = stages
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "parse",
            "build network",
            "full coverage",
            "planner setup",
            "what-if (add site)",
            "rank candidates"
        ]
    );
    for s in stages {
        let runs = if s["stage"] == "what-if (add site)" {
            7
        } else {
            2
        };
        assert_eq!(s["runs"], runs, "{s}");
        let ms: Vec<f64> = ["min_ms", "p50_ms", "p90_ms", "p99_ms", "max_ms"]
            .iter()
            .map(|k| s[k].as_f64().unwrap())
            .collect();
        assert!(ms.windows(2).all(|p| p[0] <= p[1]), "{s}");
        assert!(s["throughput_per_s"].as_f64().unwrap() >= 0.0);
        assert!(s["throughput_unit"].is_string());
    }
    assert_eq!(stages[1]["items_per_run"], 36.0);
    assert_eq!(stages[2]["items_per_run"], 8.0);
    assert_eq!(stages[5]["items_per_run"], candidates as f64);
    for stage in names {
        assert!(stdout.contains(stage), "{stdout}");
    }
}

#[test]
fn the_same_seed_gives_the_same_workload() {
    let strip = |mut r: Value| {
        let w = r["workload"].take();
        json!([
            w["whatif_attempts"],
            w["whatif_mean_gain_population"],
            w["candidates"]
        ])
    };
    let (a, b, c) = (temp_dir(), temp_dir(), temp_dir());
    let first = strip(bench(a.path(), &["--seed", "5"]).0);
    assert_eq!(first, strip(bench(b.path(), &["--seed", "5"]).0));
    let other = strip(bench(c.path(), &["--seed", "6", "--quiet"]).0);
    assert_eq!(first[2], other[2]);
}
