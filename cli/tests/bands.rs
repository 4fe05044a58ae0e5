//! `--minutes 6,3,9`: several life circles from one run, each band exactly the run at
//! its threshold alone (coverage, units, residents, service areas, network reach), the
//! first threshold the headline.

mod common;

use std::path::Path;

use common::{city_coverage, lifecircle, temp_dir, texts};
use serde_json::Value;

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A GeoJSON file's features, one JSON value each.
fn features(path: &Path) -> Vec<Value> {
    json(path)["features"].as_array().unwrap().clone()
}

/// `feature` without its band property.
fn without_band(mut feature: Value) -> Value {
    feature["properties"]
        .as_object_mut()
        .unwrap()
        .remove("band_min");
    feature
}

fn band(feature: &Value) -> Option<f64> {
    feature["properties"]["band_min"].as_f64()
}

/// Length of a LineString feature, metres (haversine, as the network measures it).
fn length_m(feature: &Value) -> f64 {
    let coords = feature["geometry"]["coordinates"].as_array().unwrap();
    let at = |c: &Value| [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()];
    coords
        .windows(2)
        .map(|w| lifecircle::geodesy::haversine_m(at(&w[0]), at(&w[1])))
        .sum()
}

/// Per edge, the length of its pieces that `keep` selects.
fn length_by_edge(pieces: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<(u64, f64)> {
    let mut by_edge = std::collections::BTreeMap::new();
    for p in pieces.iter().filter(|p| keep(p)) {
        *by_edge
            .entry(p["properties"]["edge"].as_u64().unwrap())
            .or_insert(0.0) += length_m(p);
    }
    by_edge.into_iter().collect()
}

#[test]
fn every_band_equals_the_run_at_its_threshold_alone() {
    let dir = temp_dir();
    let (stdout, banded) = city_coverage(dir.path(), "banded", &["--minutes", "6,3,9"]);
    let summary = json(&banded.join("summary.json"));
    let bands = summary["bands"].as_array().unwrap();
    assert_eq!(bands.len(), 3);
    let banded_demand = features(&banded.join("demand.geojson"));
    let banded_areas = features(&banded.join("service_areas.geojson"));
    let banded_network = features(&banded.join("network.geojson"));
    let banded_units = features(&banded.join("units.geojson"));
    for (i, minutes) in [3.0, 6.0, 9.0].into_iter().enumerate() {
        let (_, alone) = city_coverage(
            dir.path(),
            &format!("m{minutes}"),
            &["--minutes", &minutes.to_string()],
        );
        let alone_summary = json(&alone.join("summary.json"));
        let cov = &alone_summary["coverage"];
        let b = &bands[i];
        assert_eq!(b["threshold_min"], minutes);
        assert_eq!(b["label"], format!("{minutes} min"));
        for key in [
            "covered_population",
            "coverage_ratio",
            "residents_covered",
            "uncovered_reachable_population",
        ] {
            assert_eq!(b[key], cov[key], "{key} at {minutes} min");
        }
        for (u, au) in b["per_unit"]
            .as_array()
            .unwrap()
            .iter()
            .zip(cov["per_unit"].as_array().unwrap())
        {
            assert_eq!(u["id"], au["id"]);
            assert_eq!(u["covered_population"], au["covered_population"]);
            assert_eq!(u["coverage_ratio"], au["coverage_ratio"]);
        }
        // Residents: covered alone exactly when their band is this one or a smaller one.
        let alone_demand = features(&alone.join("demand.geojson"));
        assert_eq!(alone_demand.len(), banded_demand.len());
        for (d, a) in banded_demand.iter().zip(&alone_demand) {
            let within = band(d).is_some_and(|b| b <= minutes);
            assert_eq!(
                a["properties"]["covered"], within,
                "{}",
                a["properties"]["id"]
            );
        }
        // Service areas: the band's areas are the run's, feature for feature.
        let areas: Vec<Value> = banded_areas
            .iter()
            .filter(|a| band(a) == Some(minutes))
            .cloned()
            .map(without_band)
            .collect();
        assert_eq!(areas, features(&alone.join("service_areas.geojson")));
        // Network: the pieces within the band cover exactly the run's covered pieces.
        let alone_network = features(&alone.join("network.geojson"));
        let within = length_by_edge(&banded_network, |p| band(p).is_some_and(|b| b <= minutes));
        let covered = length_by_edge(&alone_network, |p| p["properties"]["covered"] == true);
        assert_eq!(
            within.len(),
            covered.len(),
            "edges reached at {minutes} min"
        );
        for ((e1, l1), (e2, l2)) in within.iter().zip(&covered) {
            assert_eq!(e1, e2);
            assert!((l1 - l2).abs() < 1e-6, "edge {e1}: {l1} vs {l2}");
        }
        // Units: the band's column is the run's coverage ratio.
        let alone_units = features(&alone.join("units.geojson"));
        for (u, a) in banded_units.iter().zip(&alone_units) {
            assert_eq!(
                u["properties"]["coverage_by_band"][format!("{minutes}min")],
                a["properties"]["coverage_ratio"]
            );
        }
        if minutes == 6.0 {
            // The first threshold is the headline: everything but the band columns is
            // the 6-minute run's.
            assert_eq!(summary["coverage"], alone_summary["coverage"]);
            assert_eq!(summary["gaps"], alone_summary["gaps"]);
            let plain: Vec<Value> = banded_demand.iter().cloned().map(without_band).collect();
            assert_eq!(plain, alone_demand);
            assert_eq!(
                std::fs::read(banded.join("gaps.geojson")).unwrap(),
                std::fs::read(alone.join("gaps.geojson")).unwrap()
            );
            for p in &banded_network {
                let within = band(p).is_some_and(|b| b <= 6.0);
                assert_eq!(p["properties"]["covered"], within);
            }
        }
    }
    // Bands grow: a resident's band is the smallest circle they are in.
    let ratios: Vec<f64> = bands
        .iter()
        .map(|b| b["coverage_ratio"].as_f64().unwrap())
        .collect();
    assert!(ratios[0] < ratios[1] && ratios[1] < ratios[2], "{ratios:?}");
    assert!(stdout.contains("within    3 min:"), "{stdout}");
    let report = std::fs::read_to_string(banded.join("report.md")).unwrap();
    assert!(report.contains("## Life circles side by side"), "{report}");
    assert!(
        report.contains("| unit | 3 min | 6 min | 9 min |"),
        "{report}"
    );
}

#[test]
fn metres_bands_and_bad_bands_are_named() {
    let dir = temp_dir();
    let (_, banded) = city_coverage(dir.path(), "metres", &["--metres", "300,500"]);
    let summary = json(&banded.join("summary.json"));
    assert_eq!(summary["bands"][0]["threshold_m"], 300.0);
    assert_eq!(summary["bands"][1]["label"], "500 m");
    assert_eq!(summary["parameters"]["threshold_m"], 300.0);
    let demand = features(&banded.join("demand.geojson"));
    assert!(demand.iter().any(|d| d["properties"]["band_m"] == 500.0));
    // One threshold: no band columns at all.
    let (_, single) = city_coverage(dir.path(), "single", &["--minutes", "6"]);
    assert!(json(&single.join("summary.json")).get("bands").is_none());
    let text = std::fs::read_to_string(single.join("network.geojson")).unwrap();
    assert!(!text.contains("band_min"));
    let out = dir.path().join("bad").display().to_string();
    let roads = dir.path().join("roads.geojson").display().to_string();
    let centers = dir.path().join("centers.csv").display().to_string();
    let demand = dir.path().join("demand.csv").display().to_string();
    let output = lifecircle(&[
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--minutes",
        "5,-3",
        "--out",
        &out,
    ]);
    let (_, stderr) = texts(&output);
    assert!(!output.status.success());
    assert!(
        stderr.contains("`bands`") && stderr.contains("-3"),
        "{stderr}"
    );
    assert!(!Path::new(&out).exists());
}

#[test]
fn unknown_gap_mode_is_named() {
    let dir = temp_dir();
    common::city(dir.path());
    let path = |name: &str| dir.path().join(name).display().to_string();
    let (roads, centers, demand, out) = (
        path("roads.geojson"),
        path("centers.csv"),
        path("demand.csv"),
        path("bad"),
    );
    for (flag, value, said) in [
        (
            "--gaps",
            "blobs",
            "unknown gap mode `blobs`; expected pieces or linked",
        ),
        ("--minutes", "5,x", "invalid value 'x' for '--minutes"),
    ] {
        let output = lifecircle(&[
            "coverage",
            "--roads",
            &roads,
            "--centers",
            &centers,
            "--demand",
            &demand,
            flag,
            value,
            "--out",
            &out,
        ]);
        let (_, stderr) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(flag) && stderr.contains(said), "{stderr}");
        assert!(!Path::new(&out).exists());
    }
}
