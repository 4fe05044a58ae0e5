//! `--format`: the layers of coverage and plan folders in GeoPackage, FlatGeobuf,
//! GeoParquet and Shapefile, each holding the features of its GeoJSON layer; GDAL opens
//! every file when it is installed.

mod common;

use std::path::Path;
use std::process::Command;

use common::{city, lifecircle, temp_dir, texts};

const LAYERS: [&str; 5] = ["demand", "gaps", "network", "service_areas", "units"];

fn geojson_count(path: &Path) -> usize {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["features"].as_array().unwrap().len()
}

fn gpkg_count(path: &Path, table: &str) -> usize {
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let n: i64 = db
        .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })
        .unwrap();
    usize::try_from(n).unwrap()
}

fn fgb_count(path: &Path) -> usize {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let reader = flatgeobuf::FgbReader::open(file).unwrap();
    assert_eq!(reader.header().crs().unwrap().code(), 4326);
    reader.header().features_count() as usize
}

fn parquet_count(path: &Path) -> usize {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let bytes = bytes::Bytes::from(std::fs::read(path).unwrap());
    let reader = SerializedFileReader::new(bytes).unwrap();
    let meta = reader.metadata().file_metadata();
    assert!(meta
        .key_value_metadata()
        .unwrap()
        .iter()
        .any(|kv| kv.key == "geo"));
    usize::try_from(meta.num_rows()).unwrap()
}

/// Records of a Shapefile, from its index (100-byte header, 8 bytes per record), checked
/// against the .dbf's record count.
fn shp_count(dir: &Path, layer: &str) -> usize {
    let shx = std::fs::read(dir.join(format!("{layer}.shx"))).unwrap();
    let dbf = std::fs::read(dir.join(format!("{layer}.dbf"))).unwrap();
    let records = u32::from_le_bytes(dbf[4..8].try_into().unwrap()) as usize;
    assert_eq!(
        (shx.len() - 100) / 8,
        records,
        "{layer}: .shx and .dbf agree"
    );
    for ext in ["shp", "cpg", "prj"] {
        assert!(
            dir.join(format!("{layer}.{ext}")).is_file(),
            "{layer}.{ext}"
        );
    }
    records
}

/// GDAL's feature count of `layer` in `path`; `None` when GDAL is not installed.
fn gdal_count(path: &Path, layer: &str) -> Option<usize> {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so"])
        .arg(path)
        .arg(layer)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}: {text}{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let count = text
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .unwrap_or_else(|| panic!("{}: {text}", path.display()));
    Some(count.trim().parse().unwrap())
}

fn has_gdal() -> bool {
    let found = Command::new("ogrinfo").arg("--version").output().is_ok();
    if !found {
        eprintln!("note: ogrinfo is not on PATH; the GDAL checks are skipped");
    }
    found
}

/// Checks every layer of the coverage folder `dir` in every format.
fn check_folder(dir: &Path, layers: &[&str]) {
    let gdal = has_gdal();
    for layer in layers {
        let want = geojson_count(&dir.join(format!("{layer}.geojson")));
        let gpkg = dir.join("layers.gpkg");
        let fgb = dir.join(format!("{layer}.fgb"));
        let parquet = dir.join(format!("{layer}.parquet"));
        let shp = dir.join(format!("{layer}.shp"));
        assert_eq!(gpkg_count(&gpkg, layer), want, "{layer} gpkg");
        assert_eq!(fgb_count(&fgb), want, "{layer} fgb");
        assert_eq!(parquet_count(&parquet), want, "{layer} parquet");
        assert_eq!(shp_count(dir, layer), want, "{layer} shp");
        if gdal {
            assert_eq!(gdal_count(&gpkg, layer), Some(want), "GDAL {layer} gpkg");
            assert_eq!(gdal_count(&fgb, layer), Some(want), "GDAL {layer} fgb");
            assert_eq!(gdal_count(&shp, layer), Some(want), "GDAL {layer} shp");
            // GDAL reads GeoParquet only when built with Arrow; skip if it cannot open it.
            let parquet_driver = Command::new("ogrinfo")
                .arg("--formats")
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("Parquet"));
            if parquet_driver {
                assert_eq!(
                    gdal_count(&parquet, layer),
                    Some(want),
                    "GDAL {layer} parquet"
                );
            }
        }
    }
}

fn coverage(dir: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let (roads, centers, demand, units) = city(dir);
    let out = out.display().to_string();
    let mut args = vec![
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
        "--out",
        &out,
        "-q",
    ];
    args.extend_from_slice(extra);
    lifecircle(&args)
}

#[test]
fn coverage_layers_in_every_format_hold_every_feature() {
    let dir = temp_dir();
    let out = dir.path().join("out");
    let formats = ["--format", "geojson,gpkg,fgb,parquet,shp"];
    let run = coverage(dir.path(), &out, &formats);
    assert!(run.status.success(), "{}", texts(&run).1);
    check_folder(&out, &LAYERS);
    // The folder is a run's outputs: a second run replaces it.
    let again = coverage(dir.path(), &out, &formats);
    assert!(again.status.success(), "{}", texts(&again).1);
    // Same inputs, same bytes, format by format.
    let again_dir = dir.path().join("again");
    let third = coverage(dir.path(), &again_dir, &formats);
    assert!(third.status.success(), "{}", texts(&third).1);
    for entry in std::fs::read_dir(&out).unwrap() {
        let name = entry.unwrap().file_name();
        if name == "timings.json" {
            continue;
        }
        assert!(
            std::fs::read(out.join(&name)).unwrap()
                == std::fs::read(again_dir.join(&name)).unwrap(),
            "{name:?} differs between runs"
        );
    }
}

#[test]
fn an_html_report_without_geojson_layers_is_still_written() {
    let dir = temp_dir();
    let out = dir.path().join("out");
    let run = coverage(
        dir.path(),
        &out,
        &["--format", "gpkg", "--report", "md,html"],
    );
    assert!(run.status.success(), "{}", texts(&run).1);
    assert!(out.join("layers.gpkg").is_file());
    assert!(out.join("report.html").is_file());
    for layer in LAYERS {
        assert!(!out.join(format!("{layer}.geojson")).exists(), "{layer}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<svg"), "the maps are drawn");
}

#[test]
fn an_unknown_format_is_refused_with_the_known_ones() {
    let dir = temp_dir();
    let run = coverage(
        dir.path(),
        &dir.path().join("out"),
        &["--format", "geojson,kml"],
    );
    assert!(!run.status.success());
    let (_, stderr) = texts(&run);
    assert!(
        stderr.contains("kml") && stderr.contains("gpkg, fgb, parquet, shp"),
        "{stderr}"
    );
}

#[test]
fn plan_folders_hold_their_layers_in_every_format() {
    let dir = temp_dir();
    let (roads, centers, demand, _) = city(dir.path());
    let out = dir.path().join("plan");
    let out_text = out.display().to_string();
    let run = lifecircle(&[
        "plan",
        "--model",
        "mclp",
        "--k",
        "1",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--min-component-nodes",
        "1",
        "--format",
        "geojson,gpkg,fgb,parquet,shp",
        "--out",
        &out_text,
        "-q",
    ]);
    assert!(run.status.success(), "{}", texts(&run).1);
    check_folder(&out, &["plan", "candidates"]);
    for sub in ["before", "after"] {
        check_folder(&out.join(sub), &LAYERS[..4]);
    }
}
