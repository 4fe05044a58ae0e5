//! Rows F1–F8 of the bad-input catalogue (`docs/bad-input.md`): bad Shapefiles,
//! GeoPackages, FlatGeobufs, GeoParquet files and zips, coordinate systems that cannot be
//! read or do not fit the coordinates. Each is exit code 2 with a message naming the file
//! (and the feature when one is at fault) and the reason, or — for geometry of the wrong
//! type — a count in `summary.json`. The raster rows (F9, F10) are in `raster.rs`.

mod common;

use std::path::{Path, PathBuf};

use common::{formats_fixture as fixture, lifecircle, temp_dir, texts};

/// Copies the fixture `name` into `dir` as `as_name`.
fn copy(dir: &Path, name: &str, as_name: &str) -> String {
    let to = dir.join(as_name);
    std::fs::copy(fixture(name), &to).unwrap();
    to.display().to_string()
}

/// Writes the first `len` bytes of the fixture `name` into `dir` as `as_name`.
fn cut(dir: &Path, name: &str, as_name: &str, len: usize) -> String {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let to = dir.join(as_name);
    std::fs::write(&to, &bytes[..len.min(bytes.len())]).unwrap();
    to.display().to_string()
}

/// Runs coverage over the Wuhan fixtures with `replace` swapped in; exit code, stderr and
/// the output folder.
fn run(dir: &Path, roads: &str, centers: &str, extra: &[&str]) -> (i32, String, PathBuf) {
    let out = dir.join("out");
    let out_text = out.display().to_string();
    let demand = fixture("centers.geojson");
    let mut args = vec![
        "coverage",
        "--roads",
        roads,
        "--centers",
        centers,
        "--demand",
        &demand,
        "--min-component-nodes",
        "1",
        "--quiet",
        "--out",
        &out_text,
    ];
    args.extend_from_slice(extra);
    let output = lifecircle(&args);
    let (_, stderr) = texts(&output);
    (output.status.code().unwrap_or(-1), stderr, out)
}

/// Exit code 2, nothing written, and a message that starts with the file and holds every
/// one of `reasons`.
fn assert_refused(result: (i32, String, PathBuf), file: &str, reasons: &[&str]) {
    let (code, stderr, out) = result;
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {file}")),
        "names the file {file}: {stderr}"
    );
    for reason in reasons {
        assert!(stderr.contains(reason), "says {reason:?}: {stderr}");
    }
    assert!(!out.exists(), "nothing written");
}

#[test]
fn row_f1_a_truncated_shapefile_is_refused_with_its_lengths() {
    let dir = temp_dir();
    for extension in ["dbf", "shx", "prj", "cpg"] {
        copy(
            dir.path(),
            &format!("roads_4547.{extension}"),
            &format!("roads.{extension}"),
        );
    }
    let shp = copy(dir.path(), "roads_truncated.shp", "roads.shp");
    let centers = fixture("centers.geojson");
    assert_refused(
        run(dir.path(), &shp, &centers, &[]),
        &shp,
        &["truncated", "3444 bytes", "300"],
    );
}

#[test]
fn row_f2_a_shapefile_without_its_dbf_says_which_file_is_missing() {
    let dir = temp_dir();
    for extension in ["shx", "prj"] {
        copy(
            dir.path(),
            &format!("roads_4547.{extension}"),
            &format!("roads.{extension}"),
        );
    }
    let shp = copy(dir.path(), "roads_4547.shp", "roads.shp");
    let centers = fixture("centers.geojson");
    assert_refused(
        run(dir.path(), &shp, &centers, &[]),
        &shp,
        &["roads.dbf", "zipped"],
    );
}

#[test]
fn row_f3_truncated_files_of_every_format_are_errors_not_shorter_layers() {
    let dir = temp_dir();
    let centers = fixture("centers.geojson");
    for (name, reason) in [
        ("wuhan_32650.gpkg", "GeoPackage"),
        ("roads_3857.fgb", "FlatGeobuf"),
        ("roads.parquet", "Parquet"),
        ("roads_4547.zip", "zip"),
    ] {
        let len = std::fs::metadata(fixture(name)).unwrap().len() as usize / 2;
        let extension = name.rsplit('.').next().unwrap();
        let file = cut(dir.path(), name, &format!("cut.{extension}"), len);
        let roads = if extension == "gpkg" {
            format!("{file}:roads")
        } else {
            file
        };
        assert_refused(run(dir.path(), &roads, &centers, &[]), &roads, &[reason]);
    }
}

#[test]
fn row_f4_a_coordinate_system_that_cannot_be_read_is_refused_with_the_way_out() {
    let dir = temp_dir();
    copy(dir.path(), "centers_4547.dbf", "c.dbf");
    let shp = copy(dir.path(), "centers_4547.shp", "c.shp");
    std::fs::write(
        dir.path().join("c.prj"),
        r#"PROJCS["local",GEOGCS["x",DATUM["y",SPHEROID["z",6378137,298.257]]],PROJECTION["Bogus_Projection"],UNIT["metre",1]]"#,
    )
    .unwrap();
    let roads = fixture("roads.geojson");
    assert_refused(
        run(dir.path(), &roads, &shp, &[]),
        &shp,
        &["cannot read", "Bogus_Projection", "--input-crs"],
    );
    // Given on the command line, the system is used instead of the unreadable one.
    let (code, stderr, _) = run(dir.path(), &roads, &shp, &["--centers-crs", "EPSG:4547"]);
    assert_eq!(code, 0, "{stderr}");
    // An EPSG code the tool does not know is refused before anything is read.
    let (code, stderr, _) = run(dir.path(), &roads, &shp, &["--input-crs", "EPSG:999999"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("EPSG:999999 is not among the EPSG codes"),
        "{stderr}"
    );
}

#[test]
fn row_f5_projected_coordinates_without_a_system_are_never_read_as_degrees() {
    let dir = temp_dir();
    copy(dir.path(), "centers_4547.dbf", "c.dbf");
    let shp = copy(dir.path(), "centers_4547.shp", "c.shp");
    let roads = fixture("roads.geojson");
    assert_refused(
        run(dir.path(), &roads, &shp, &[]),
        &shp,
        &["feature 0", "cannot be longitude/latitude", "--input-crs"],
    );
    // With the system given the same file reads.
    let (code, stderr, _) = run(dir.path(), &roads, &shp, &["--centers-crs", "EPSG:4547"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn row_f6_a_projected_system_given_for_degrees_is_refused_naming_the_layer_options() {
    let dir = temp_dir();
    let roads = fixture("roads.geojson");
    let centers = fixture("centers.geojson");
    assert_refused(
        run(dir.path(), &roads, &centers, &["--input-crs", "EPSG:32650"]),
        &roads,
        &[
            "looks like longitude/latitude",
            "--roads-crs",
            "--centers-crs",
        ],
    );
}

#[test]
fn row_f7_several_layers_and_no_choice_list_the_layers() {
    let dir = temp_dir();
    let centers = fixture("centers.geojson");
    let gpkg = fixture("wuhan_32650.gpkg");
    assert_refused(
        run(dir.path(), &gpkg, &centers, &[]),
        &gpkg,
        &["3 layers", "centers, roads, units"],
    );
    let unknown = format!("{gpkg}:streets");
    assert_refused(
        run(dir.path(), &unknown, &centers, &[]),
        &unknown,
        &["no layer `streets`", "centers, roads, units"],
    );
    let zip = fixture("two_shapefiles.zip");
    assert_refused(
        run(dir.path(), &zip, &centers, &[]),
        &zip,
        &["2 Shapefiles", "centers_4547.shp, roads_4547.shp"],
    );
    // Chosen by name, the zip's roads read.
    let chosen = format!("{zip}:roads_4547");
    let (code, stderr, _) = run(dir.path(), &chosen, &centers, &[]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn row_f8_geometry_of_the_wrong_type_is_counted_not_dropped() {
    let dir = temp_dir();
    let roads = fixture("roads.geojson");
    let centers = fixture("centers.geojson");
    let lines = fixture("roads_3857.fgb");
    let (code, stderr, out) = run(dir.path(), &roads, &centers, &["--units", &lines]);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let units = &summary["inputs"]["units"];
    assert_eq!(units["features_used"], 0);
    assert_eq!(
        units["skipped"]["line geometry (LineString) not used as a reporting unit"],
        38
    );
    assert_eq!(units["crs"], "EPSG:3857");
}
