//! `--access 2sfca|e2sfca` on the test city: the scores share each center's capacity
//! over its catchment (they add up to the capacities reached), a resident has a center
//! within the threshold exactly when it is covered, and bad capacities are named.

mod common;

use common::{city, lifecircle, temp_dir, texts, write};
use serde_json::Value;

fn run(dir: &std::path::Path, name: &str, centers: &str, extra: &[&str]) -> std::process::Output {
    let (roads, _, demand, units) = city(dir);
    let out = dir.join(name).display().to_string();
    let mut args = vec![
        "coverage",
        "--roads",
        &roads,
        "--centers",
        centers,
        "--demand",
        &demand,
        "--units",
        &units,
        "--minutes",
        "5",
        "--out",
        &out,
    ];
    args.extend_from_slice(extra);
    lifecircle(&args)
}

fn json(path: std::path::PathBuf) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn scores_share_the_capacities_and_count_the_centers_within() {
    let dir = temp_dir();
    // c2's capacity cell is empty: it counts 1, and is counted.
    let centers = write(
        dir.path(),
        "capacities.csv",
        b"id,lon,lat,capacity\nc1,0.001,0.001,30\nc2,0.009,0.0095,\n",
    );
    let output = run(dir.path(), "out", &centers, &["--access", "2sfca"]);
    assert!(output.status.success(), "{}", texts(&output).1);
    let out = dir.path().join("out");
    let summary = json(out.join("summary.json"));
    let a = &summary["accessibility"];
    assert_eq!(a["method"], "2sfca");
    assert_eq!(
        (
            a["centers_with_capacity"].as_u64(),
            a["centers_capacity_defaulted"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(a["total_capacity"], 31.0);
    let demand = json(out.join("demand.geojson"));
    let mut shared = 0.0;
    let mut without = 0.0;
    for f in demand["features"].as_array().unwrap() {
        let p = &f["properties"];
        let population = p["population"].as_f64().unwrap();
        let within = p["centers_within"].as_u64().unwrap();
        // Within the threshold of some center exactly when covered.
        assert_eq!(within > 0, p["covered"].as_bool().unwrap(), "{p}");
        shared += population * p["access_score"].as_f64().unwrap();
        if within == 0 {
            without += population;
        }
    }
    // Both centers reach someone: the population-weighted scores add up to 30 + 1.
    assert!((shared - 31.0).abs() < 1e-5, "{shared}");
    assert_eq!(a["population_without_center"].as_f64().unwrap(), without);
    let total = summary["coverage"]["total_population"].as_f64().unwrap();
    assert!((a["mean_score"].as_f64().unwrap() - shared / total).abs() < 1e-9);
    let units = json(out.join("units.geojson"));
    for (f, u) in units["features"]
        .as_array()
        .unwrap()
        .iter()
        .zip(a["per_unit"].as_array().unwrap())
    {
        let p = &f["properties"];
        assert_eq!(p["id"], u["id"]);
        assert!(
            (p["access_score_mean"].as_f64().unwrap() - u["mean_score"].as_f64().unwrap()).abs()
                < 1e-9
        );
        assert!(p["centers_within_mean"].as_f64().is_some());
    }
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("## Accessibility (2sfca, no distance decay)"),
        "{report}"
    );
    assert!(
        report.contains("1 centers have a capacity, 1 count as 1 (total 31)"),
        "{report}"
    );

    // With the Gaussian decay the scores move towards the residents nearer a center,
    // still adding up to the capacities (the decay weighs both steps alike), and no
    // resident gains a center.
    let decayed = run(dir.path(), "e2", &centers, &["--access", "e2sfca"]);
    assert!(decayed.status.success(), "{}", texts(&decayed).1);
    let e2 = json(dir.path().join("e2/summary.json"));
    assert_eq!(e2["accessibility"]["method"], "e2sfca");
    assert_eq!(
        e2["accessibility"]["mean_centers_within"],
        a["mean_centers_within"]
    );
    let e2_demand = json(dir.path().join("e2/demand.geojson"));
    let scores = |layer: &Value| -> Vec<(f64, f64)> {
        layer["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let p = &f["properties"];
                (
                    p["population"].as_f64().unwrap(),
                    p["access_score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let (plain_scores, decayed_scores) = (scores(&demand), scores(&e2_demand));
    let e2_shared: f64 = decayed_scores.iter().map(|(p, s)| p * s).sum();
    assert!((e2_shared - 31.0).abs() < 1e-5, "{e2_shared}");
    assert!(plain_scores
        .iter()
        .zip(&decayed_scores)
        .any(|(a, b)| (a.1 - b.1).abs() > 1e-6));
    // Without --access nothing is added.
    let plain = run(dir.path(), "plain", &centers, &[]);
    assert!(plain.status.success());
    assert!(json(dir.path().join("plain/summary.json"))["accessibility"].is_null());
}

#[test]
fn bad_capacities_and_methods_are_named() {
    let dir = temp_dir();
    let centers = write(
        dir.path(),
        "seats.csv",
        b"id,lon,lat,seats\nc1,0.001,0.001,many\nc2,0.009,0.0095,3\n",
    );
    let output = run(
        dir.path(),
        "out",
        &centers,
        &["--access", "2sfca", "--capacity-field", "seats"],
    );
    let (_, stderr) = texts(&output);
    assert!(!output.status.success());
    assert!(stderr.contains("seats.csv"), "{stderr}");
    assert!(
        stderr.contains("center `c1`: `seats` must be a number ≥ 0"),
        "{stderr}"
    );
    let unknown = run(dir.path(), "out", &centers, &["--access", "3sfca"]);
    let (_, stderr) = texts(&unknown);
    assert!(!unknown.status.success());
    assert!(
        stderr.contains("unknown method `3sfca`: expected 2sfca or e2sfca"),
        "{stderr}"
    );
}
