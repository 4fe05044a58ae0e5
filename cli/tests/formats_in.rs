//! The same city read from every vector format and coordinate system gives the same
//! coverage: GeoJSON in WGS84, GeoPackage in UTM 50N, Shapefile in CGCS2000 Gauss-Kruger
//! (plain and zipped), GeoParquet and FlatGeobuf in Web Mercator. The files were made by
//! GDAL and geopandas (`core/tests/fixtures/formats/make.sh`).

mod common;

use std::path::{Path, PathBuf};

use common::{formats_fixture as fixture, lifecircle, temp_dir};
use serde_json::Value;

/// Runs coverage on roads, centers and units, the units' area spread into residents
/// every 40 m; the output folder.
fn coverage(dir: &Path, name: &str, roads: &str, centers: &str, units: &str) -> PathBuf {
    let out = dir.join(name);
    let out_text = out.display().to_string();
    let output = lifecircle(&[
        "coverage",
        "--roads",
        &fixture(roads),
        "--centers",
        &fixture(centers),
        "--demand",
        &fixture(units),
        "--demand-spread-m",
        "40",
        "--units",
        &fixture(units),
        "--min-component-nodes",
        "1",
        "--minutes",
        "5",
        "--quiet",
        "--out",
        &out_text,
    ]);
    assert!(
        output.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Each resident's position and walking distance, in output order.
fn residents(out: &Path) -> Vec<([f64; 2], Option<f64>)> {
    json(&out.join("demand.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            (
                [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()],
                f["properties"]["walk_m"].as_f64(),
            )
        })
        .collect()
}

#[test]
fn every_format_and_coordinate_system_gives_the_same_coverage_to_the_millimetre() {
    let dir = temp_dir();
    let reference = coverage(
        dir.path(),
        "geojson",
        "roads.geojson",
        "centers.geojson",
        "units.geojson",
    );
    let expected = residents(&reference);
    let expected_summary = json(&reference.join("summary.json"));
    let covered = expected.iter().filter(|(_, walk)| walk.is_some()).count();
    assert!(expected.len() > 100, "{} residents", expected.len());
    assert!(covered > 0 && covered < expected.len(), "{covered} covered");

    for (name, roads, centers, units, crs) in [
        (
            "gpkg",
            "wuhan_32650.gpkg:roads",
            "wuhan_32650.gpkg:centers",
            "wuhan_32650.gpkg:units",
            "EPSG:32650",
        ),
        (
            "shp",
            "roads_4547.shp",
            "centers_4547.shp",
            "units_4547.shp",
            "CGCS2000",
        ),
        (
            "zip-fgb",
            "roads_4547.zip",
            "centers_3857.fgb",
            "units_3857.fgb",
            "CGCS2000",
        ),
        (
            "parquet",
            "roads.parquet",
            "centers_32650.parquet",
            "units.parquet",
            "",
        ),
    ] {
        let out = coverage(dir.path(), name, roads, centers, units);
        let got = residents(&out);
        assert_eq!(got.len(), expected.len(), "{name}: residents");
        // FlatGeobuf keeps its features in spatial-index order: residents are matched by
        // position, each to the nearest one of the reference.
        let mut worst_m = 0.0_f64;
        for (pos, walk) in &got {
            let distance = |p: &[f64; 2]| (p[0] - pos[0]).hypot(p[1] - pos[1]);
            let (want_pos, want_walk) = expected
                .iter()
                .min_by(|a, b| distance(&a.0).total_cmp(&distance(&b.0)))
                .unwrap();
            // 1e-8° is about a millimetre on the ground.
            assert!(
                distance(want_pos) < 1e-8,
                "{name}: resident at {pos:?}, nearest expected {want_pos:?}"
            );
            match (walk, want_walk) {
                (Some(a), Some(b)) => worst_m = worst_m.max((a - b).abs()),
                (None, None) => {}
                _ => panic!("{name}: resident at {pos:?} walk {walk:?}, expected {want_walk:?}"),
            }
        }
        eprintln!("{name}: walks within {worst_m:.2e} m of the GeoJSON run");
        assert!(worst_m <= 0.001, "{name}: walks differ by {worst_m} m");
        let summary = json(&out.join("summary.json"));
        // Sums over residents in another order differ in the last bits only.
        for figure in [
            "covered_population",
            "total_population",
            "coverage_ratio",
            "residents_covered",
            "residents_too_far_from_network",
            "mean_walk_min",
        ] {
            let got = summary["coverage"][figure].as_f64().unwrap();
            let want = expected_summary["coverage"][figure].as_f64().unwrap();
            assert!(
                (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{name}: {figure} {got}, expected {want}"
            );
        }
        let roads_crs = summary["inputs"]["roads"]["crs"].as_str().unwrap_or("");
        assert!(roads_crs.contains(crs), "{name}: roads crs {roads_crs:?}");
    }
}
