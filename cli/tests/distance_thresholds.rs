//! `--metres` and the standard-true `preset:gb50180`: a threshold as a walking distance
//! gives exactly the run of the same walk in minutes on the flat, the reports name the
//! rule, and on the Isle of Man sample the standard's distances cover fewer residents
//! than the minutes variant's 15/10/5 minutes.

mod common;

use std::path::Path;

use common::{city, city_coverage as run, data, lifecircle, temp_dir, texts};
use serde_json::Value;

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn metres_give_the_run_of_the_same_walk_in_minutes_and_the_reports_name_the_rule() {
    let dir = temp_dir();
    // 500 m at 4.8 km/h (80 m/min) is 6.25 minutes.
    let (stdout, metres) = run(dir.path(), "metres", &["--metres", "500"]);
    let (_, minutes) = run(dir.path(), "minutes", &["--minutes", "6.25"]);
    for layer in [
        "network.geojson",
        "service_areas.geojson",
        "gaps.geojson",
        "units.geojson",
    ] {
        assert!(
            std::fs::read(metres.join(layer)).unwrap()
                == std::fs::read(minutes.join(layer)).unwrap(),
            "{layer} differs"
        );
    }
    // Residents: the adult's walk and cover are the same; only the older walker, slower,
    // reaches fewer in 6.25 minutes than within 500 m (a distance is the same for every
    // walker).
    let residents = |folder: &Path| -> Vec<Value> {
        let layer = json(&folder.join("demand.geojson"));
        layer["features"].as_array().unwrap().clone()
    };
    let (by_distance, by_time) = (residents(&metres), residents(&minutes));
    let mut older_differs = 0;
    for (mut d, mut t) in by_distance.into_iter().zip(by_time) {
        let older = |f: &mut Value| {
            f["properties"]
                .as_object_mut()
                .unwrap()
                .remove("covered_by_profile")
                .unwrap()["older"]
                .clone()
        };
        let (od, ot) = (older(&mut d), older(&mut t));
        assert_eq!(d, t);
        if od != ot {
            assert!(od == true && ot == false, "{d}");
            older_differs += 1;
        }
    }
    assert!(older_differs > 0);
    let (m, t) = (
        json(&metres.join("summary.json")),
        json(&minutes.join("summary.json")),
    );
    assert_eq!(m["coverage"], t["coverage"]);
    let p = &m["parameters"];
    assert_eq!(p["threshold_rule"], "walking distance");
    assert_eq!(p["threshold_m"], 500.0);
    assert_eq!(p["threshold_min"], 6.25);
    assert_eq!(t["parameters"]["threshold_rule"], "walking time");
    assert_eq!(t["parameters"]["threshold_m"], Value::Null);
    assert!(
        stdout.contains("Coverage within 500 m walking distance:"),
        "{stdout}"
    );
    let md = std::fs::read_to_string(metres.join("report.md")).unwrap();
    assert!(
        md.contains("within 500 m walking distance of a service center")
            && md.contains("threshold 500 m walking distance;"),
        "{md}"
    );
    let html = std::fs::read_to_string(metres.join("report.html")).unwrap();
    assert!(html.contains("within 500 m walking distance of a service center"));
    assert!(
        html.contains("≤ 500 m"),
        "the map legend names the distance"
    );
}

#[test]
fn metres_and_minutes_together_are_refused_and_bad_metres_are_named() {
    let dir = temp_dir();
    let (roads, centers, demand, _) = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    let base = [
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--out",
        &out,
    ];
    let both = lifecircle(&[&base[..], &["--metres", "500", "--minutes", "10"]].concat());
    assert!(!both.status.success());
    let (_, stderr) = texts(&both);
    assert!(
        stderr.contains("--metres") && stderr.contains("--minutes"),
        "{stderr}"
    );
    let zero = lifecircle(&[&base[..], &["--meters", "0"]].concat());
    let (_, stderr) = texts(&zero);
    assert!(
        !zero.status.success()
            && stderr.contains("threshold_m")
            && stderr.contains("positive number of metres"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

/// Coverage per life circle: (tier, centers, coverage %) from `summary.json`.
fn circles(summary: &Value) -> Vec<(String, u64, f64)> {
    summary["tiers"]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["centers"].as_u64().unwrap(),
                (t["coverage_ratio"].as_f64().unwrap() * 1000.0).round() / 10.0,
            )
        })
        .collect()
}

const FACILITIES: &str = "amenity=school|kindergarten|clinic|doctors|marketplace|community_centre|social_centre|social_facility|arts_centre|recycling|waste_disposal;shop=convenience|supermarket|greengrocer;leisure=playground|sports_centre";

#[test]
fn the_standards_distances_cover_fewer_than_its_minutes_on_the_isle_of_man() {
    let dir = temp_dir();
    let pbf = data("isle_of_man.osm.pbf").display().to_string();
    let mut summaries = Vec::new();
    for preset in ["gb50180", "gb50180-minutes"] {
        let out = dir.path().join(preset);
        let out_text = out.display().to_string();
        let config = format!("preset:{preset}");
        let output = lifecircle(&[
            "coverage",
            "--roads",
            &pbf,
            "--centers-osm",
            FACILITIES,
            "--demand-osm",
            "building",
            "--config",
            &config,
            "--out",
            &out_text,
        ]);
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{stderr}");
        assert!(
            stdout.contains(
                "Tiers: 205 centers by tag rule, 0 by their own `tier`, 3 matched no rule"
            ),
            "{stdout}"
        );
        summaries.push((stdout, json(&out.join("summary.json"))));
    }
    let (distance_text, distance) = &summaries[0];
    let (_, time) = &summaries[1];
    let thresholds: Vec<f64> = distance["tiers"]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["threshold_m"].as_f64().unwrap())
        .collect();
    assert_eq!(thresholds, [1000.0, 500.0, 300.0, 200.0]);
    assert_eq!(
        circles(distance),
        [
            ("15min".into(), 4, 29.5),
            ("10min".into(), 92, 45.7),
            ("5min".into(), 23, 10.9),
            ("block".into(), 86, 12.4)
        ]
    );
    // 15/10/5 minutes at 80 m/min are 1,200/800/400 m: more residents within each.
    assert_eq!(
        circles(time),
        [
            ("15min".into(), 4, 35.0),
            ("10min".into(), 92, 64.4),
            ("5min".into(), 23, 18.0),
            ("block".into(), 86, 12.4)
        ]
    );
    assert!(
        distance_text.contains("10-minute life circle (500 m)")
            && distance_text.contains("within    500 m:  45.7 %"),
        "{distance_text}"
    );
    // OSM has no junior middle school or clinic on the island: complete coverage is 0,
    // and said so.
    assert_eq!(distance["tiers"]["complete_population"], 0.0);
    assert!(distance_text.contains("complete coverage 0.0 %"));
}
