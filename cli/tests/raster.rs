//! `--demand-raster`: a population GeoTIFF as the residents, its people conserved over
//! the window the roads need, its system from its GeoKeys or `--demand-crs`.

mod common;

use std::path::{Path, PathBuf};

use common::{lifecircle, temp_dir, texts, write};
use serde_json::Value;

/// The raster fixtures of the core crate (made by GDAL, `make.sh` there): a 40×30 grid
/// of 100 m cells in UTM 50N over Wuhan, 27,274.5 people, 69 nodata and 29 empty cells.
fn raster(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/raster")
        .join(name)
        .display()
        .to_string()
}

const RASTER_SUM: f64 = 27_274.5;

/// Footways every 0.002° over `[min_lon, max_lon] × [min_lat, max_lat]`.
fn grid_roads(dir: &Path, [min_lon, min_lat, max_lon, max_lat]: [f64; 4]) -> String {
    let step = 0.002;
    let mut lines = Vec::new();
    let mut lon = min_lon;
    while lon <= max_lon + 1e-12 {
        lines.push(format!(
            r#"{{"type":"Feature","properties":{{"highway":"footway"}},"geometry":{{"type":"LineString","coordinates":[[{lon},{min_lat}],[{lon},{max_lat}]]}}}}"#
        ));
        lon += step;
    }
    let mut lat = min_lat;
    while lat <= max_lat + 1e-12 {
        lines.push(format!(
            r#"{{"type":"Feature","properties":{{"highway":"footway"}},"geometry":{{"type":"LineString","coordinates":[[{min_lon},{lat}],[{max_lon},{lat}]]}}}}"#
        ));
        lat += step;
    }
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        lines.join(",")
    );
    write(dir, "roads.geojson", text.as_bytes())
}

fn run(dir: &Path, roads: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
    let centers = write(dir, "centers.csv", b"id,lon,lat\nc1,114.30,30.59\n");
    let out = dir.join("out");
    let mut args = vec![
        "coverage",
        "--roads",
        roads,
        "--centers",
        &centers,
        "--min-component-nodes",
        "1",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let out_text = out.display().to_string();
    args.extend_from_slice(&["--out", &out_text]);
    (lifecircle(&args), out)
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn residents(out: &Path) -> Vec<(String, f64)> {
    json(&out.join("demand.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["id"].as_str().unwrap().to_string(),
                p["population"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_raster_covered_by_the_roads_is_read_whole_and_its_people_conserved() {
    let dir = temp_dir();
    let roads = grid_roads(dir.path(), [114.27, 30.57, 114.33, 30.61]);
    let tif = raster("f32_tiled_deflate.tif");
    let (result, out) = run(dir.path(), &roads, &["--demand-raster", &tif]);
    assert!(result.status.success(), "{:?}", texts(&result));
    let summary = json(&out.join("summary.json"));
    let total = summary["coverage"]["total_population"].as_f64().unwrap();
    assert!((total - RASTER_SUM).abs() < 1e-6, "{total}");
    let demand = &summary["inputs"]["demand"];
    assert_eq!(demand["crs"], "EPSG:32650");
    assert_eq!(demand["skipped"]["no feature: raster nodata cells"], 69);
    assert_eq!(
        demand["skipped"]["no feature: raster cells with 0 people"],
        29
    );
    assert_eq!(
        demand["skipped_total"], 0,
        "cells are not features left out"
    );

    // Spread over sub-points: more residents, the same people.
    let (result, spread_out) = run(
        dir.path(),
        &roads,
        &["--demand-raster", &tif, "--raster-spread-m", "30"],
    );
    assert!(result.status.success(), "{:?}", texts(&result));
    let spread = residents(&spread_out);
    let sum: f64 = spread.iter().map(|(_, p)| p).sum();
    assert!(
        spread.len() > 1102 && (sum - RASTER_SUM).abs() < 1e-6,
        "{sum}"
    );
}

#[test]
fn roads_over_part_of_the_raster_read_only_the_cells_near_them() {
    let dir = temp_dir();
    let tif = raster("f32_tiled_deflate.tif");
    let whole_roads = grid_roads(dir.path(), [114.27, 30.57, 114.33, 30.61]);
    let (result, whole_out) = run(dir.path(), &whole_roads, &["--demand-raster", &tif]);
    assert!(result.status.success(), "{:?}", texts(&result));
    let whole: std::collections::HashMap<String, f64> = residents(&whole_out).into_iter().collect();

    let part_dir = temp_dir();
    let west = grid_roads(part_dir.path(), [114.280, 30.580, 114.290, 30.600]);
    let (result, part_out) = run(
        part_dir.path(),
        &west,
        &["--demand-raster", &tif, "--max-snap-m", "100"],
    );
    assert!(result.status.success(), "{:?}", texts(&result));
    let part = residents(&part_out);
    assert!(
        !part.is_empty() && part.len() < whole.len(),
        "{}",
        part.len()
    );
    // The same cells, each with all its people.
    for (id, population) in &part {
        assert_eq!(whole.get(id), Some(population), "{id}");
    }
    let summary = json(&part_out.join("summary.json"));
    let total = summary["coverage"]["total_population"].as_f64().unwrap();
    let sum: f64 = part.iter().map(|(_, p)| p).sum();
    assert!((total - sum).abs() < 1e-9);
}

#[test]
fn a_raster_whose_system_is_unknown_needs_demand_crs() {
    let dir = temp_dir();
    let roads = grid_roads(dir.path(), [114.27, 30.57, 114.33, 30.61]);
    let tif = raster("f32_userdef.tif");
    let (result, out) = run(dir.path(), &roads, &["--demand-raster", &tif]);
    let (_, err) = texts(&result);
    assert!(!result.status.success());
    assert!(
        err.contains("f32_userdef.tif") && err.contains("--demand-crs"),
        "{err}"
    );
    assert!(!out.exists());
    let (result, _) = run(
        dir.path(),
        &roads,
        &[
            "--demand-raster",
            &tif,
            "--demand-crs",
            // The grid's numbers are UTM 50N eastings and northings (see make.sh).
            "EPSG:32650",
        ],
    );
    assert!(result.status.success(), "{:?}", texts(&result));
}

#[test]
fn a_tiff_without_georeference_is_refused_naming_it() {
    let dir = temp_dir();
    let roads = grid_roads(dir.path(), [114.27, 30.57, 114.33, 30.61]);
    let tif = raster("bad_nogeo.tif");
    let (result, _) = run(dir.path(), &roads, &["--demand-raster", &tif]);
    let (_, err) = texts(&result);
    assert!(!result.status.success());
    assert!(
        err.contains("bad_nogeo.tif") && err.contains("georeference"),
        "{err}"
    );
}
