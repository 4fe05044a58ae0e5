//! `--csv` / `--csv-bom`: spreadsheet tables beside the layers, their figures those of
//! `demand.geojson` and `summary.json`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{city, lifecircle, temp_dir, texts, write};
use serde_json::Value;

/// The rows of a CSV without quoted cells, as column → cell maps.
fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{line}");
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn run(dir: &Path, flag: &str, centers: &str) -> std::path::PathBuf {
    let (roads, _, demand, units) = city(dir);
    let centers = write(dir, "named.csv", centers.as_bytes());
    let out = dir.join("out");
    let result = lifecircle(&[
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--units",
        &units,
        "--min-component-nodes",
        "1",
        flag,
        "--quiet",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(result.status.success(), "{:?}", texts(&result));
    out
}

#[test]
fn the_tables_hold_every_resident_center_and_unit_with_the_layers_figures() {
    let dir = temp_dir();
    let out = run(
        dir.path(),
        "--csv",
        "id,name,lon,lat\nc1,社区服务中心,0.001,0.001\nc2,=HYPERLINK(1),0.009,0.0095\n",
    );
    let demand_text = std::fs::read_to_string(out.join("demand.csv")).unwrap();
    assert!(!demand_text.starts_with('\u{feff}'));
    let demand = rows(&demand_text);
    let layer = json(&out.join("demand.geojson"));
    let features = layer["features"].as_array().unwrap();
    assert_eq!(demand.len(), features.len());
    assert_eq!(demand.len(), 300);
    for (row, feature) in demand.iter().zip(features) {
        let p = &feature["properties"];
        assert_eq!(row["id"], p["id"].as_str().unwrap());
        assert_eq!(row["covered"], p["covered"].to_string());
        let walk = match &p["walk_m"] {
            Value::Null => String::new(),
            v => v.to_string(),
        };
        assert_eq!(row["walk_m"], walk);
        let [lon, lat] = [0, 1].map(|i| feature["geometry"]["coordinates"][i].to_string());
        assert_eq!((&row["lon"], &row["lat"]), (&lon, &lat));
    }

    let summary = json(&out.join("summary.json"));
    let centers = rows(&std::fs::read_to_string(out.join("centers.csv")).unwrap());
    let per_center = summary["coverage"]["per_center"].as_array().unwrap();
    assert_eq!(centers.len(), 2);
    assert_eq!(centers[0]["name"], "社区服务中心");
    // A name a spreadsheet would run as a formula is written as text.
    assert_eq!(centers[1]["name"], "'=HYPERLINK(1)");
    for (row, center) in centers.iter().zip(per_center) {
        assert_eq!(row["id"], center["id"].as_str().unwrap());
        assert_eq!(
            row["served_population"],
            center["served_population"].to_string()
        );
    }
    let served: f64 = centers
        .iter()
        .map(|r| r["served_population"].parse::<f64>().unwrap())
        .sum();
    let covered = summary["coverage"]["covered_population"].as_f64().unwrap();
    assert!((served - covered).abs() < 1e-9, "{served} vs {covered}");

    let units = rows(&std::fs::read_to_string(out.join("units.csv")).unwrap());
    let per_unit = summary["coverage"]["per_unit"].as_array().unwrap();
    assert_eq!(units.len(), per_unit.len());
    assert_eq!(units[0]["name"], "West");
    assert!(
        !units[0].contains_key("lon"),
        "units have no point position"
    );
}

#[test]
fn csv_bom_starts_every_table_with_the_mark_excel_needs() {
    let dir = temp_dir();
    let out = run(dir.path(), "--csv-bom", "id,lon,lat\nc1,0.001,0.001\n");
    for name in ["demand.csv", "centers.csv", "units.csv"] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBFid,"), "{name}");
    }
}

#[test]
fn without_the_flag_no_table_is_written() {
    let dir = temp_dir();
    let out = run(dir.path(), "--report=md", "id,lon,lat\nc1,0.001,0.001\n");
    assert!(!out.join("demand.csv").exists());
}
