//! Coverage per reporting unit by tier and service on the test city: `summary.json`
//! (`tiers.per_unit`), `units.geojson` (`complete_ratio`, `tier_coverage.*`,
//! `service_coverage.*`) and `report.md` agree, and complete coverage never exceeds a
//! required service in any unit.

mod common;

use common::{city, lifecircle, temp_dir, texts, write};
use serde_json::Value;

const CONFIG: &str = r#"name = "Two services"
[[tiers]]
id = "neighbourhood"
name = "Neighbourhood"
threshold_min = 5
[[services]]
id = "clinic"
name = "Clinic"
tier = "neighbourhood"
[[services]]
id = "library"
name = "Library"
tier = "neighbourhood"
"#;

#[test]
fn every_unit_gets_its_coverage_per_tier_and_service() {
    let dir = temp_dir();
    let (roads, _, demand, units) = city(dir.path());
    // Both centers are neighbourhood centers with a clinic; only the north-east one
    // has a library.
    let centers = write(
        dir.path(),
        "tiered.csv",
        b"id,lon,lat,tier,services\nc1,0.001,0.001,neighbourhood,clinic\nc2,0.009,0.0095,neighbourhood,clinic;library\n",
    );
    let config = write(dir.path(), "services.toml", CONFIG.as_bytes());
    let out = dir.path().join("out");
    let out_text = out.display().to_string();
    let output = lifecircle(&[
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--units",
        &units,
        "--config",
        &config,
        "--out",
        &out_text,
    ]);
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let per_unit = summary["tiers"]["per_unit"].as_array().unwrap();
    let coverage_units = summary["coverage"]["per_unit"].as_array().unwrap();
    assert_eq!(per_unit.len(), 2);
    let layer: Value =
        serde_json::from_slice(&std::fs::read(out.join("units.geojson")).unwrap()).unwrap();
    let features = layer["features"].as_array().unwrap();
    let close = |a: &Value, b: &Value| (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-6;
    for ((u, c), f) in per_unit.iter().zip(coverage_units).zip(features) {
        let p = &f["properties"];
        assert_eq!(u["id"], c["id"]);
        assert_eq!(u["population"], c["population"]);
        assert!(close(&u["complete_ratio"], &p["complete_ratio"]), "{u} {p}");
        assert!(close(
            &u["tiers"][0]["coverage_ratio"],
            &p["tier_coverage"]["neighbourhood"]
        ));
        let mut weakest = f64::INFINITY;
        for s in u["services"].as_array().unwrap() {
            let id = s["id"].as_str().unwrap();
            assert!(
                close(&s["coverage_ratio"], &p["service_coverage"][id]),
                "{id}"
            );
            weakest = weakest.min(s["coverage_ratio"].as_f64().unwrap());
        }
        assert!(
            u["complete_ratio"].as_f64().unwrap() <= weakest + 1e-12,
            "{u}"
        );
    }
    // Only the north-east center has a library: the west unit's library coverage is
    // below its clinic coverage, and the library is its weakest service.
    let west = &per_unit[0];
    assert_eq!(west["id"], "west");
    let clinic = west["services"][0]["coverage_ratio"].as_f64().unwrap();
    let library = west["services"][1]["coverage_ratio"].as_f64().unwrap();
    assert!(library < clinic, "{west}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains(
            "| unit | population | complete | Neighbourhood | weakest required service |"
        ),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "| West | {} |",
            west["population"].as_f64().unwrap()
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!("Library ({:.1} %)", library * 100.0)),
        "{report}"
    );
}
