//! Tiers from tag rules on a real extract: the Isle of Man sample's civic amenities read
//! from OpenStreetMap carry tags, not tiers; `config/district_1_7_n.toml`'s rules give
//! them tiers and services, with the centers per rule and those no rule matched reported.

mod common;

use std::path::Path;

use common::{lifecircle, temp_dir, texts, write};
use serde_json::Value;

const FILTER: &str = "amenity=community_centre|social_centre|library|townhall|social_facility";

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn osm_centers_get_tiers_and_services_by_tag_and_the_counts_are_reported() {
    let dir = temp_dir();
    let out = dir.path().join("out");
    let out_text = out.display().to_string();
    let pbf = repo("data/isle_of_man.osm.pbf");
    let config = repo("config/district_1_7_n.toml");
    let output = lifecircle(&[
        "coverage",
        "--roads",
        &pbf,
        "--centers-osm",
        FILTER,
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
        stdout.contains("Tiers: 28 centers by tag rule, 0 by their own `tier`, 1 matched no rule"),
        "{stdout}"
    );
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let rules = &summary["tiers"]["center_rules"];
    let counts: Vec<(&str, &str, u64)> = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap(),
                r["tier"].as_str().unwrap(),
                r["centers"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("Town halls", "subdistrict", 6),
            ("Community and social centres", "neighbourhood", 12),
            ("Care for older people", "neighbourhood", 3),
            ("Libraries", "neighbourhood", 7),
        ]
    );
    assert_eq!(rules["unmatched"], 1);
    // A social facility that is not for older people: no rule is meant for it.
    assert_eq!(rules["unmatched_ids"][0], "way/147860258");
    // Every center counted once: by a rule, its own tier, or none.
    assert_eq!(summary["coverage"]["centers"], 29);
    let tier_centers: Vec<(&str, u64)> = summary["tiers"]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap(), t["centers"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        &tier_centers[..3],
        [("district", 0), ("subdistrict", 6), ("neighbourhood", 22)]
    );
    // No district center on the island: complete coverage is honestly zero.
    assert_eq!(summary["tiers"]["complete_population"], 0.0);
    // Reading rooms are only in libraries: 7 centers offer the service.
    let reading = summary["tiers"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "reading_room")
        .unwrap();
    assert_eq!(reading["centers"], 7);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("| Libraries | neighbourhood | 7 |"),
        "{report}"
    );
    assert!(report.contains("**1 centers matched no rule and count for no tier:** way/147860258."));
}

#[test]
fn rules_that_match_no_center_are_an_error_naming_the_centers_and_the_rules() {
    let dir = temp_dir();
    let roads = write(
        dir.path(),
        "roads.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"LineString","coordinates":[[0,0],[0.002,0]]}}]}"#,
    );
    let centers = write(
        dir.path(),
        "centers.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"shop":"bakery"},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#,
    );
    let out = dir.path().join("out").display().to_string();
    let config = repo("config/district_1_7_n.toml");
    let output = lifecircle(&[
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &centers,
        "--config",
        &config,
        "--min-component-nodes",
        "1",
        "--out",
        &out,
    ]);
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("centers.geojson")
            && stderr.contains("no center has a `tier` property or matches a rule")
            && stderr.contains("Libraries"),
        "{stderr}"
    );
}
