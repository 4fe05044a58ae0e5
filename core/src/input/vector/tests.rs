//! Every format against the GeoJSON reference it was made from (fixtures and the tools
//! that made them: `core/tests/fixtures/formats/make.sh`), and every bad input.

use serde_json::Value;

use super::dbf::read_dbf;
use super::*;
use crate::input::geojson::parse_features;
use crate::input::gzip::InputLimits;
use crate::input::raw::{Coordinates, FeatureTable, RawFeature};
use crate::input::{detect_format, read_points, read_roads, read_units, InputFormat, ReadOptions};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../tests/fixtures/formats/", $name)).as_slice()
    };
}

/// `unwrap_err` for results whose value has no `Debug`.
trait Fails<E> {
    fn fails(self) -> E;
}

impl<T, E> Fails<E> for std::result::Result<T, E> {
    fn fails(self) -> E {
        match self {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }
}

fn limits() -> InputLimits {
    InputLimits::default()
}

fn reference(text: &[u8]) -> FeatureTable {
    parse_features("ref.geojson", std::str::from_utf8(text).unwrap(), &limits()).unwrap()
}

fn companions(files: &[(&str, &[u8])]) -> Vec<Companion> {
    files
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect()
}

fn shapefile_set(stem: &str) -> Vec<Companion> {
    let all: [(&str, &[u8]); 15] = [
        ("roads_4547.dbf", fixture!("roads_4547.dbf")),
        ("roads_4547.shx", fixture!("roads_4547.shx")),
        ("roads_4547.prj", fixture!("roads_4547.prj")),
        ("roads_4547.cpg", fixture!("roads_4547.cpg")),
        ("centers_4547.dbf", fixture!("centers_4547.dbf")),
        ("centers_4547.shx", fixture!("centers_4547.shx")),
        ("centers_4547.prj", fixture!("centers_4547.prj")),
        ("centers_4547.cpg", fixture!("centers_4547.cpg")),
        ("centers_gbk.dbf", fixture!("centers_gbk.dbf")),
        ("centers_gbk.prj", fixture!("centers_gbk.prj")),
        ("centers_gbk.cpg", fixture!("centers_gbk.cpg")),
        ("units_4547.dbf", fixture!("units_4547.dbf")),
        ("units_4547.shx", fixture!("units_4547.shx")),
        ("units_4547.prj", fixture!("units_4547.prj")),
        ("units_4547.cpg", fixture!("units_4547.cpg")),
    ];
    companions(
        &all.into_iter()
            .filter(|(n, _)| n.starts_with(stem))
            .collect::<Vec<_>>(),
    )
}

fn properties(table: &FeatureTable) -> Vec<&serde_json::Map<String, Value>> {
    table
        .features
        .iter()
        .map(|f| f.properties.as_ref().unwrap())
        .collect()
}

/// Every position of a feature, flattened, as `[x, y]`.
fn positions(feature: &RawFeature) -> (String, Vec<[f64; 2]>) {
    let geometry = feature.geometry.as_ref().expect("a geometry");
    let flat: Vec<[f64; 2]> = match geometry.coordinates.as_ref().unwrap() {
        Coordinates::Position(p) => vec![[p.values[0], p.values[1]]],
        Coordinates::Positions(l) => l.iter().map(|p| [p.values[0], p.values[1]]).collect(),
        Coordinates::Rings(r) => r
            .iter()
            .flatten()
            .map(|p| [p.values[0], p.values[1]])
            .collect(),
        Coordinates::Polygons(p) => p
            .iter()
            .flatten()
            .flatten()
            .map(|p| [p.values[0], p.values[1]])
            .collect(),
    };
    (geometry.kind.clone(), flat)
}

/// Same count, kinds and properties; positions equal after `map` within `tolerance`.
fn assert_same(
    table: &FeatureTable,
    reference: &FeatureTable,
    map: impl Fn([f64; 2]) -> [f64; 2],
    tolerance: f64,
) {
    assert_eq!(table.features.len(), reference.features.len());
    assert_eq!(properties(table), properties(reference));
    for (i, (got, want)) in table.features.iter().zip(&reference.features).enumerate() {
        let (got_kind, got) = positions(got);
        let (want_kind, want) = positions(want);
        assert_eq!(got_kind, want_kind, "feature {i}");
        assert_eq!(got.len(), want.len(), "feature {i}");
        for (g, w) in got.iter().zip(&want) {
            let w = map(*w);
            assert!(
                (g[0] - w[0]).abs() <= tolerance && (g[1] - w[1]).abs() <= tolerance,
                "feature {i}: {g:?} vs {w:?}"
            );
        }
    }
}

/// Spherical (Web) Mercator of a WGS 84 position, as EPSG:3857 defines it.
fn web_mercator([lon, lat]: [f64; 2]) -> [f64; 2] {
    const R: f64 = 6_378_137.0;
    let y = (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
        .tan()
        .ln();
    [R * lon.to_radians(), R * y]
}

fn in_metres(table: &FeatureTable, x: std::ops::Range<f64>, y: std::ops::Range<f64>) {
    for feature in &table.features {
        for p in positions(feature).1 {
            assert!(x.contains(&p[0]) && y.contains(&p[1]), "{p:?}");
        }
    }
}

fn sorted_rings(table: &FeatureTable) -> Vec<usize> {
    table
        .features
        .iter()
        .map(
            |f| match f.geometry.as_ref().unwrap().coordinates.as_ref().unwrap() {
                Coordinates::Rings(r) => r.len(),
                Coordinates::Polygons(p) => 100 * p.len() + p.iter().map(Vec::len).sum::<usize>(),
                _ => 0,
            },
        )
        .collect()
}

#[test]
fn geoparquet_in_wgs84_equals_the_geojson() {
    let roads = read_geoparquet("roads.parquet", fixture!("roads.parquet"), &limits()).unwrap();
    assert_same(&roads, &reference(fixture!("roads.geojson")), |p| p, 1e-9);
    assert_eq!(roads.declared_crs.as_deref(), Some("EPSG:4326"));
    assert!(is_plain_wgs84(roads.declared_crs.as_deref().unwrap()));
    let units = read_geoparquet("units.parquet", fixture!("units.parquet"), &limits()).unwrap();
    assert_same(&units, &reference(fixture!("units.geojson")), |p| p, 1e-9);
    assert_eq!(
        sorted_rings(&units),
        sorted_rings(&reference(fixture!("units.geojson")))
    );
}

#[test]
fn geoparquet_projected_declares_utm_and_matches_the_geopackage() {
    let label = "centers_32650.parquet";
    let centers = read_geoparquet(label, fixture!("centers_32650.parquet"), &limits()).unwrap();
    assert_eq!(centers.declared_crs.as_deref(), Some("EPSG:32650"));
    let gpkg = fixture!("wuhan_32650.gpkg");
    let by_gdal = read_geopackage("w.gpkg", gpkg, Some("centers"), &limits()).unwrap();
    // pyproj (geopandas) and GDAL projected the same points: they agree to a micrometre.
    assert_same(&centers, &by_gdal, |p| p, 1e-6);
    let chinese = properties(&centers)[0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(chinese, "黄鹤楼社区服务中心");
}

#[test]
fn flatgeobuf_in_web_mercator_equals_the_projected_geojson() {
    for (name, bytes, reference_bytes) in [
        (
            "roads_3857.fgb",
            fixture!("roads_3857.fgb"),
            fixture!("roads.geojson"),
        ),
        (
            "centers_3857.fgb",
            fixture!("centers_3857.fgb"),
            fixture!("centers.geojson"),
        ),
        (
            "units_3857.fgb",
            fixture!("units_3857.fgb"),
            fixture!("units.geojson"),
        ),
    ] {
        let mut table = read_flatgeobuf(name, bytes, &limits()).unwrap();
        assert_eq!(table.declared_crs.as_deref(), Some("EPSG:3857"), "{name}");
        let mut reference = reference(reference_bytes);
        // GDAL writes FlatGeobuf with its spatial index, in Hilbert order: compare by
        // properties (unique in every fixture).
        for t in [&mut table, &mut reference] {
            t.features
                .sort_by_cached_key(|f| serde_json::to_string(&f.properties).unwrap());
        }
        assert_same(&table, &reference, web_mercator, 1e-3);
        assert_eq!(sorted_rings(&table), sorted_rings(&reference), "{name}");
    }
}

#[test]
fn geopackage_layers_are_chosen_by_name() {
    let gpkg = fixture!("wuhan_32650.gpkg");
    let e = read_geopackage("w.gpkg", gpkg, None, &limits())
        .fails()
        .to_string();
    assert!(e.starts_with("w.gpkg: "), "{e}");
    assert!(
        e.contains("3 layers") && e.contains("centers, roads, units"),
        "{e}"
    );
    let e = read_geopackage("w.gpkg", gpkg, Some("streets"), &limits()).fails();
    let e = e.to_string();
    assert!(
        e.contains("no layer `streets`") && e.contains("centers, roads, units"),
        "{e}"
    );
    let roads = read_geopackage("w.gpkg", gpkg, Some("roads"), &limits()).unwrap();
    assert_eq!(roads.declared_crs.as_deref(), Some("EPSG:32650"));
    let reference = reference(fixture!("roads.geojson"));
    assert_eq!(properties(&roads), properties(&reference));
    // What ogrinfo shows for the first vertex of the first road.
    let (kind, first) = positions(&roads.features[0]);
    assert_eq!(kind, "LineString");
    assert!(
        (first[0][0] - 240_722.741_096_681).abs() < 1e-6,
        "{first:?}"
    );
    assert!(
        (first[0][1] - 3_386_868.734_387_2).abs() < 1e-6,
        "{first:?}"
    );
    in_metres(&roads, 200_000.0..300_000.0, 3_300_000.0..3_400_000.0);
}

#[test]
fn shapefile_with_companions_equals_the_geojson_in_gauss_kruger() {
    let roads = read_shapefile(
        "dir/roads_4547.shp",
        "dir/roads_4547.shp",
        fixture!("roads_4547.shp"),
        &shapefile_set("roads_4547"),
    )
    .unwrap();
    let reference = reference(fixture!("roads.geojson"));
    assert_eq!(properties(&roads), properties(&reference));
    let crs = roads.declared_crs.as_deref().unwrap();
    assert!(crs.contains("CGCS2000") && crs.contains("114"), "{crs}");
    assert!(!is_plain_wgs84(crs));
    // ogrinfo: LINESTRING (528408.03615214 3385145.77836946, …)
    let (_, first) = positions(&roads.features[0]);
    assert!((first[0][0] - 528_408.036_152_14).abs() < 1e-6, "{first:?}");
    assert!(
        (first[0][1] - 3_385_145.778_369_46).abs() < 1e-6,
        "{first:?}"
    );
    in_metres(&roads, 500_000.0..600_000.0, 3_300_000.0..3_400_000.0);
    for (shape, reference) in roads.features.iter().zip(&reference.features) {
        assert_eq!(positions(shape).1.len(), positions(reference).1.len());
    }

    let units = read_shapefile(
        "units_4547.shp",
        "units_4547.shp",
        fixture!("units_4547.shp"),
        &shapefile_set("units_4547"),
    )
    .unwrap();
    let units_reference = reference_units();
    assert_eq!(properties(&units), properties(&units_reference));
    // Outer rings and holes by orientation: one hole, one two-part multipolygon.
    assert_eq!(sorted_rings(&units), sorted_rings(&units_reference));
}

fn reference_units() -> FeatureTable {
    reference(fixture!("units.geojson"))
}

#[test]
fn shapefile_text_in_gbk_utf8_and_by_language_driver() {
    let reference = reference(fixture!("centers.geojson"));
    let utf8 = read_shapefile(
        "centers_4547.shp",
        "centers_4547.shp",
        fixture!("centers_4547.shp"),
        &shapefile_set("centers_4547"),
    )
    .unwrap();
    assert_eq!(properties(&utf8), properties(&reference));
    let gbk = read_shapefile(
        "centers_gbk.shp",
        "centers_gbk.shp",
        fixture!("centers_gbk.shp"),
        &shapefile_set("centers_gbk"),
    )
    .unwrap();
    assert_eq!(properties(&gbk), properties(&reference));
    // The GBK bytes really differ from the UTF-8 ones.
    assert_ne!(fixture!("centers_gbk.dbf"), fixture!("centers_4547.dbf"));

    // No .cpg: the header's language driver 0x4D names code page 936 (GBK).
    let mut dbf = fixture!("centers_gbk.dbf").to_vec();
    dbf[29] = 0x4D;
    let records = read_dbf("c.shp", "c.dbf", &dbf, None).unwrap();
    assert_eq!(records[0].as_ref().unwrap()["name"], "黄鹤楼社区服务中心");
    // No .cpg and no language driver: GBK is not UTF-8, and the error says what to do.
    dbf[29] = 0;
    let e = read_dbf("c.shp", "c.dbf", &dbf, None).fails().to_string();
    assert!(e.starts_with("c.shp: ") && e.contains("c.dbf"), "{e}");
    assert!(
        e.contains("record 0, field `name`") && e.contains(".cpg"),
        "{e}"
    );
    // A .cpg naming a code page by number, and one nobody knows.
    let records = read_dbf("c.shp", "c.dbf", &dbf, Some(b"936\n")).unwrap();
    assert_eq!(records[1].as_ref().unwrap()["name"], "粮道街卫生服务站");
    let e = read_dbf("c.shp", "c.dbf", &dbf, Some(b"KLINGON")).fails();
    assert!(e.to_string().contains("`KLINGON`"), "{e}");
}

#[test]
fn shapefile_bad_inputs_name_the_file_and_the_reason() {
    // No .dbf.
    let mut without_dbf = shapefile_set("roads_4547");
    without_dbf.retain(|(n, _)| !n.ends_with(".dbf"));
    let e = read_shapefile(
        "a/roads_4547.shp",
        "a/roads_4547.shp",
        fixture!("roads_4547.shp"),
        &without_dbf,
    )
    .fails()
    .to_string();
    assert!(
        e.starts_with("a/roads_4547.shp: ") && e.contains("roads_4547.dbf"),
        "{e}"
    );
    // Truncated .shp (the fixture is the roads cut at byte 300).
    let e = read_shapefile(
        "roads_truncated.shp",
        "roads_truncated.shp",
        fixture!("roads_truncated.shp"),
        &companions(&[("roads_truncated.dbf", fixture!("roads_4547.dbf"))]),
    )
    .fails()
    .to_string();
    assert!(e.contains("roads_truncated.shp: truncated"), "{e}");
    // Shapes and records that do not pair up.
    let e = read_shapefile(
        "centers_4547.shp",
        "centers_4547.shp",
        fixture!("centers_4547.shp"),
        &companions(&[("centers_4547.dbf", fixture!("units_4547.dbf"))]),
    )
    .fails()
    .to_string();
    assert!(
        e.contains("5 shapes but centers_4547.dbf has 4 records"),
        "{e}"
    );
    // A truncated .dbf names the record it stops in.
    let dbf = fixture!("centers_4547.dbf");
    let e = read_dbf("c.shp", "c.dbf", &dbf[..dbf.len() - 200], None).fails();
    assert!(e.to_string().contains("truncated in record 3"), "{e}");
}

#[test]
fn truncations_and_corruptions_never_panic() {
    let shp = fixture!("roads_4547.shp");
    let set = shapefile_set("roads_4547");
    for len in 0..shp.len() {
        let result = read_shapefile("r.shp", "r.shp", &shp[..len], &set);
        let e = result
            .err()
            .unwrap_or_else(|| panic!("{len} bytes read as a whole file"));
        assert!(e.to_string().starts_with("r.shp: "), "{e}");
    }
    let dbf = fixture!("centers_4547.dbf");
    for len in 0..dbf.len() - 1 {
        let _ = read_dbf("c.shp", "c.dbf", &dbf[..len], None);
    }
    // Every byte of a small .shp set to 0xFF in turn.
    let points = fixture!("centers_4547.shp");
    let point_set = shapefile_set("centers_4547");
    for at in 0..points.len() {
        let mut bad = points.to_vec();
        bad[at] = 0xFF;
        let _ = read_shapefile("c.shp", "c.shp", &bad, &point_set);
    }
    for (name, bytes) in [
        ("f.fgb", fixture!("centers_3857.fgb")),
        ("p.parquet", fixture!("roads.parquet")),
        ("z.zip", fixture!("roads_4547.zip")),
        ("g.gpkg", fixture!("wuhan_32650.gpkg")),
    ] {
        let step = (bytes.len() / 400).max(1);
        for len in (0..bytes.len()).step_by(step) {
            let cut = &bytes[..len];
            let result = match name {
                "f.fgb" => read_flatgeobuf(name, cut, &limits()),
                "p.parquet" => read_geoparquet(name, cut, &limits()),
                "z.zip" => read_zipped_shapefile(name, cut, None, &limits()),
                _ => read_geopackage(name, cut, Some("roads"), &limits()),
            };
            // A file cut short is an error, never a shorter layer read as a whole one
            // (FlatGeobuf's reader ended quietly at the cut before the header's feature
            // count was checked).
            let e = result
                .err()
                .unwrap_or_else(|| panic!("{name}: {len} bytes read as a whole file"));
            assert!(e.to_string().starts_with(name), "{e}");
        }
        for at in (0..bytes.len()).step_by(step) {
            let mut bad = bytes.to_vec();
            bad[at] ^= 0x5A;
            let _ = match name {
                "f.fgb" => read_flatgeobuf(name, &bad, &limits()),
                "p.parquet" => read_geoparquet(name, &bad, &limits()),
                "z.zip" => read_zipped_shapefile(name, &bad, None, &limits()),
                _ => read_geopackage(name, &bad, Some("roads"), &limits()),
            };
        }
    }
}

#[test]
fn zipped_shapefiles_and_their_layers() {
    let zip = read_zipped_shapefile("r.zip", fixture!("roads_4547.zip"), None, &limits()).unwrap();
    let plain = read_shapefile(
        "roads_4547.shp",
        "roads_4547.shp",
        fixture!("roads_4547.shp"),
        &shapefile_set("roads_4547"),
    )
    .unwrap();
    assert_same(&zip, &plain, |p| p, 0.0);
    assert_eq!(zip.declared_crs, plain.declared_crs);

    let two = fixture!("two_shapefiles.zip");
    let e = read_zipped_shapefile("two.zip", two, None, &limits())
        .fails()
        .to_string();
    assert!(
        e.starts_with("two.zip: ") && e.contains("centers_4547.shp, roads_4547.shp"),
        "{e}"
    );
    let e = read_zipped_shapefile("two.zip", two, Some("units"), &limits()).fails();
    assert!(e.to_string().contains("no Shapefile named `units`"), "{e}");
    let centers = read_zipped_shapefile("two.zip", two, Some("centers_4547"), &limits()).unwrap();
    assert_eq!(
        properties(&centers),
        properties(&reference(fixture!("centers.geojson")))
    );

    // Decompressed bytes count against the limit: a small one stops the read.
    let tight = InputLimits {
        max_bytes: 4000,
        ..InputLimits::default()
    };
    let e = read_zipped_shapefile("r.zip", fixture!("roads_4547.zip"), None, &tight).fails();
    assert!(matches!(e, crate::Error::TooLarge { .. }), "{e}");
}

#[test]
fn zip_bomb_stops_at_the_limit() {
    use std::io::Write;
    // One entry of 64 MiB of zeros (deflates to ~64 KB) beside a tiny .shp.
    let mut writer = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated);
    writer.start_file("a.shp", options).unwrap();
    writer.write_all(fixture!("centers_4547.shp")).unwrap();
    writer.start_file("a.dbf", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        writer.write_all(&zeros).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    assert!(bytes.len() < 1 << 20);
    let limits = InputLimits {
        max_bytes: 1 << 20,
        ..InputLimits::default()
    };
    let e = read_zipped_shapefile("bomb.zip", &bytes, None, &limits).fails();
    assert!(matches!(e, crate::Error::TooLarge { .. }), "{e}");
}

#[test]
fn formats_are_detected_by_content_whatever_the_name() {
    for (bytes, format) in [
        (fixture!("roads_4547.zip"), InputFormat::Zip),
        (fixture!("roads_4547.shp"), InputFormat::Shapefile),
        (fixture!("roads_3857.fgb"), InputFormat::FlatGeobuf),
        (fixture!("wuhan_32650.gpkg"), InputFormat::GeoPackage),
        (fixture!("roads.parquet"), InputFormat::GeoParquet),
    ] {
        assert_eq!(detect_format("data.json", bytes), format);
        assert_eq!(detect_format("data", bytes), format);
    }
    assert_eq!(detect_format("a.zip", b"{}"), InputFormat::Zip);
    assert_eq!(
        detect_format("a.json", b"PAR1 not parquet"),
        InputFormat::GeoJson
    );
    // Through the front door: a zip named .json is read as a zip, not as JSON, and its
    // `.prj` (CGCS2000 / 3-degree Gauss-Kruger zone 38) honoured.
    let roads = read_roads(
        "roads.json",
        fixture!("roads_4547.zip"),
        &ReadOptions::default(),
    )
    .unwrap();
    let crs = roads.crs.unwrap_or_default();
    assert!(crs.contains("CGCS2000"), "{crs}");
}

#[test]
fn front_door_reads_every_format_the_same() {
    let options = ReadOptions::default();
    let reference_roads = read_roads("roads.geojson", fixture!("roads.geojson"), &options).unwrap();
    let roads = read_roads("roads.parquet", fixture!("roads.parquet"), &options).unwrap();
    assert_eq!(roads.lines.len(), reference_roads.lines.len());
    assert_eq!(roads.skipped.0, reference_roads.skipped.0);
    for (a, b) in roads.lines.iter().zip(&reference_roads.lines) {
        assert_eq!(a.tags, b.tags);
        assert_eq!(a.coords, b.coords);
    }
    let units = read_units("units.parquet", fixture!("units.parquet"), &options).unwrap();
    let reference_units = read_units("u.geojson", fixture!("units.geojson"), &options).unwrap();
    assert_eq!(units.units.len(), 4);
    assert_eq!(
        units
            .units
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>(),
        reference_units
            .units
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
    );

    // Projected files are brought back to WGS 84 and land where the GeoJSON has them
    // (1e-8 degrees is about a millimetre).
    let reference_centers =
        read_points("c.geojson", fixture!("centers.geojson"), &options).unwrap();
    let gpkg = options.clone().layer("centers");
    let utm = read_points("w.gpkg", fixture!("wuhan_32650.gpkg"), &gpkg).unwrap();
    assert_eq!(utm.crs.as_deref(), Some("EPSG:32650"));
    let shp = options
        .clone()
        .with_companions(shapefile_set("centers_4547"));
    let gauss_kruger = read_points("centers_4547.shp", fixture!("centers_4547.shp"), &shp).unwrap();
    assert!(gauss_kruger.crs.is_some());
    for projected in [&utm, &gauss_kruger] {
        assert_eq!(projected.points.len(), reference_centers.points.len());
        for (a, b) in projected.points.iter().zip(&reference_centers.points) {
            assert!(
                (a.lon - b.lon).abs() < 1e-8 && (a.lat - b.lat).abs() < 1e-8,
                "{a:?} vs {b:?}"
            );
        }
    }
    let mercator = read_units("u.fgb", fixture!("units_3857.fgb"), &options).unwrap();
    assert_eq!(mercator.crs.as_deref(), Some("EPSG:3857"));
    assert_eq!(mercator.units.len(), reference_units.units.len());
    // A GeoPackage with two layers and none chosen lists them through the front door too.
    let e = read_roads("w.gpkg", fixture!("wuhan_32650.gpkg"), &options).fails();
    assert!(e.to_string().contains("centers, roads, units"), "{e}");
}

#[test]
fn the_wrong_geometry_type_is_counted_as_skipped() {
    let options = ReadOptions::default();
    // Lines are no reporting units: every one is skipped, and counted.
    let result = read_units("roads.parquet", fixture!("roads.parquet"), &options);
    match result {
        Ok(units) => {
            assert!(units.units.is_empty());
            assert_eq!(units.skipped.dropped(), 38, "{:?}", units.skipped);
        }
        Err(e) => assert!(e.to_string().contains("roads.parquet"), "{e}"),
    }
    // Polygons as points: one interior point each (the layer's rule), none lost.
    let points = read_points("units.parquet", fixture!("units.parquet"), &options).unwrap();
    assert_eq!(points.points.len(), 4);
    // Points as roads: skipped with their reason.
    let gpkg = fixture!("wuhan_32650.gpkg");
    let table = read_geopackage("w.gpkg", gpkg, Some("centers"), &limits()).unwrap();
    let roads =
        crate::input::layers::roads_from_features("w.gpkg", table.features, &limits()).unwrap();
    assert!(roads.lines.is_empty());
    assert_eq!(
        roads.skipped.0["point geometry (Point) not used as a walkway"],
        5
    );
}

/// Whether a declared coordinate system needs no conversion to WGS 84 longitude/latitude.
fn is_plain_wgs84(crs: &str) -> bool {
    crate::crs::Projection::parse(crs).is_ok_and(|p| p.is_wgs84())
}

#[test]
fn wgs84_declarations_are_recognised() {
    for crs in [
        "EPSG:4326",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "OGC:CRS84",
        // CGCS2000 geographic: GRS80 without a datum shift, so nothing to convert.
        "EPSG:4490",
        r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#,
        r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"#,
    ] {
        assert!(is_plain_wgs84(crs), "{crs}");
    }
    for crs in [
        "EPSG:32650",
        r#"PROJCS["WGS 84 / UTM zone 50N",GEOGCS["WGS 84"]]"#,
    ] {
        assert!(!is_plain_wgs84(crs), "{crs}");
    }
}

#[test]
fn geopackage_blob_headers() {
    use super::geopackage::gpkg_wkb;
    // Empty flag set.
    assert_eq!(gpkg_wkb(b"GP\x00\x11\x00\x00\x00\x00").unwrap(), None);
    // No envelope, little-endian WKB point after 8 bytes.
    let mut blob = b"GP\x00\x01\xe6\x10\x00\x00".to_vec();
    blob.extend_from_slice(&[1, 1, 0, 0, 0]);
    blob.extend_from_slice(&1.5f64.to_le_bytes());
    blob.extend_from_slice(&2.5f64.to_le_bytes());
    let wkb = gpkg_wkb(&blob).unwrap().unwrap();
    let geometry = geom::decode_wkb(wkb).unwrap().unwrap();
    assert_eq!(geometry.kind, "Point");
    assert!(gpkg_wkb(b"XY\x00\x01\x00\x00\x00\x00").is_err());
    assert!(gpkg_wkb(b"GP\x00\x0f\x00\x00\x00\x00").is_err());
    assert!(gpkg_wkb(b"GP\x00\x03\x00\x00\x00\x00").is_err());
    // A curve is refused by name, not misread.
    let mut curve = vec![1, 8, 0, 0, 0, 0, 0, 0, 0];
    curve.truncate(9);
    let e = geom::decode_wkb(&curve).fails();
    assert!(e.contains("CircularString"), "{e}");
}
