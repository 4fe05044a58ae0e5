//! Round trips: each format read back with its own crate (or SQLite), against the
//! positions the GeoJSON files hold.

use std::io::Cursor;

use geo::{coord, LineString, MultiPolygon, Polygon};
use serde_json::{json, Value};

use super::table::unique_names;
use super::*;
use crate::output::geojson::{output_position, Geometry};
use crate::output::PointsLayer;

/// Two points whose properties cover every column type, a null, a nested object, a list
/// and a text longer than a dBase field.
fn points() -> PointsLayer<Value> {
    PointsLayer {
        points: vec![
            (
                [114.30000004, 30.59],
                json!({"id": "a", "n": 3, "x": 1.5, "ok": true, "by": {"k": 1}, "list": ["p", "q"], "maybe": null}),
            ),
            (
                [114.31, 30.6],
                json!({"id": "b", "n": -4, "x": 2, "ok": false, "by": {"k": 2}, "list": [], "maybe": "é".repeat(200)}),
            ),
        ],
    }
}

/// A line and two polygon features (one with a hole).
struct Shapes {
    line: Vec<[f64; 2]>,
    polygon: Polygon<f64>,
    multi: MultiPolygon<f64>,
    polygons: bool,
}

fn ring(x: f64, size: f64) -> LineString<f64> {
    LineString::new(vec![
        coord! { x: x, y: 30.5 },
        coord! { x: x + size, y: 30.5 },
        coord! { x: x + size, y: 30.5 + size },
        coord! { x: x, y: 30.5 + size },
        coord! { x: x, y: 30.5 },
    ])
}

fn shapes(polygons: bool) -> Shapes {
    Shapes {
        line: vec![[114.3, 30.59], [114.31, 30.6], [114.32, 30.58]],
        polygon: Polygon::new(ring(114.3, 0.02), vec![ring(114.305, 0.005)]),
        multi: MultiPolygon::new(vec![
            Polygon::new(ring(114.4, 0.01), vec![]),
            Polygon::new(ring(114.5, 0.01), vec![]),
        ]),
        polygons,
    }
}

impl FeatureSource for Shapes {
    type Properties<'p> = Value;
    fn len(&self) -> usize {
        if self.polygons {
            2
        } else {
            1
        }
    }
    fn feature(&self, i: usize) -> (Geometry<'_>, Value) {
        let geometry = match (self.polygons, i) {
            (false, _) => Geometry::LineString(&self.line),
            (true, 0) => Geometry::Polygon(&self.polygon),
            _ => Geometry::MultiPolygon(&self.multi),
        };
        (geometry, json!({"rank": i + 1}))
    }
}

/// The exterior ring of part `part` of feature `i` of the polygons, as GeoJSON writes it.
fn geojson_positions<L: FeatureSource>(layer: &L, crs: Crs) -> Vec<Vec<[f64; 2]>> {
    let text = crate::output::geojson_string(layer, crs);
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for f in v["features"].as_array().unwrap() {
        let mut positions = Vec::new();
        collect(&f["geometry"]["coordinates"], &mut positions);
        out.push(positions);
    }
    out
}

fn collect(v: &Value, out: &mut Vec<[f64; 2]>) {
    let items = v.as_array().unwrap();
    if items.first().is_some_and(Value::is_number) {
        out.push([items[0].as_f64().unwrap(), items[1].as_f64().unwrap()]);
    } else {
        items.iter().for_each(|i| collect(i, out));
    }
}

fn close(a: &[[f64; 2]], b: &[[f64; 2]]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(p, q)| (p[0] - q[0]).abs() <= 1e-7 && (p[1] - q[1]).abs() <= 1e-7)
}

/// Positions of little-endian 2D WKB, in order.
fn wkb_positions(bytes: &[u8]) -> Vec<[f64; 2]> {
    fn u32_at(b: &[u8], at: &mut usize) -> u32 {
        let v = u32::from_le_bytes(b[*at..*at + 4].try_into().unwrap());
        *at += 4;
        v
    }
    fn f64_at(b: &[u8], at: &mut usize) -> f64 {
        let v = f64::from_le_bytes(b[*at..*at + 8].try_into().unwrap());
        *at += 8;
        v
    }
    fn geometry(b: &[u8], at: &mut usize, out: &mut Vec<[f64; 2]>) {
        assert_eq!(b[*at], 1, "little-endian");
        *at += 1;
        let kind = u32_at(b, at);
        let points = |b: &[u8], at: &mut usize, out: &mut Vec<[f64; 2]>| {
            for _ in 0..u32_at(b, at) {
                out.push([f64_at(b, at), f64_at(b, at)]);
            }
        };
        match kind {
            1 => out.push([f64_at(b, at), f64_at(b, at)]),
            2 => points(b, at, out),
            3 => {
                for _ in 0..u32_at(b, at) {
                    points(b, at, out);
                }
            }
            6 => {
                for _ in 0..u32_at(b, at) {
                    geometry(b, at, out);
                }
            }
            other => panic!("unexpected WKB type {other}"),
        }
    }
    let mut out = Vec::new();
    let mut at = 0;
    geometry(bytes, &mut at, &mut out);
    assert_eq!(at, bytes.len(), "nothing after the geometry");
    out
}

fn only_file(format: LayerFormat, layer: &impl FeatureSource, crs: Crs) -> Vec<u8> {
    let out = write_layer(format, "t", layer, crs).unwrap();
    assert_eq!(out.files.len(), 1);
    out.files.into_iter().next().unwrap().1
}

#[test]
fn formats_parse_by_short_name() {
    for f in LayerFormat::ALL {
        assert_eq!(LayerFormat::parse(f.name()).unwrap(), f);
    }
    assert_eq!(
        LayerFormat::parse(" GPKG ").unwrap(),
        LayerFormat::GeoPackage
    );
    let err = LayerFormat::parse("kml").unwrap_err().to_string();
    assert!(err.contains("geojson, gpkg, fgb, parquet, shp"), "{err}");
    assert_eq!(
        LayerFormat::Shapefile.file_names("d", Crs::Gcj02),
        ["d.shp", "d.shx", "d.dbf", "d.cpg"]
    );
}

#[test]
fn names_are_cut_and_made_unique_case_insensitively() {
    let names: Vec<String> = [
        "covered_by_profile.adult",
        "covered_by_profile.older",
        "Covered_By",
        "id",
        "FID",
        "学校服务_walk",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(
        unique_names(&names, 10, &["fid"]),
        [
            "covered_by",
            "covered__1",
            "Covered__2",
            "id",
            "FID_1",
            "学校服"
        ]
    );
    assert_eq!(unique_names(&names[..2], usize::MAX, &[]), names[..2]);
}

#[test]
fn every_format_gives_the_same_bytes_twice() {
    for format in LayerFormat::ALL {
        for crs in [Crs::Wgs84, Crs::Gcj02] {
            let a = write_layer(format, "t", &points(), crs).unwrap();
            let b = write_layer(format, "t", &points(), crs).unwrap();
            assert_eq!(a, b, "{format:?} {crs:?}");
            let a = write_layer(format, "t", &shapes(true), crs).unwrap();
            let b = write_layer(format, "t", &shapes(true), crs).unwrap();
            assert_eq!(a, b, "{format:?} {crs:?}");
        }
    }
}

#[test]
fn an_empty_layer_is_a_valid_empty_file() {
    let empty = PointsLayer::<Value> { points: vec![] };
    for format in LayerFormat::ALL {
        let out = write_layer(format, "t", &empty, Crs::Wgs84).unwrap();
        assert!(out.files.iter().all(|(_, b)| !b.is_empty()), "{format:?}");
    }
    let shp = &write_layer(LayerFormat::Shapefile, "t", &empty, Crs::Wgs84)
        .unwrap()
        .files[0]
        .1;
    assert_eq!(shp.len(), 100, "the header alone");
}

/// A Shapefile holds one geometry type: a mixed layer is refused, not split.
#[test]
fn a_shapefile_of_mixed_geometry_types_is_refused() {
    struct Mixed(Vec<[f64; 2]>);
    impl FeatureSource for Mixed {
        type Properties<'p> = Value;
        fn len(&self) -> usize {
            2
        }
        fn feature(&self, i: usize) -> (Geometry<'_>, Value) {
            let g = if i == 0 {
                Geometry::Point(self.0[0])
            } else {
                Geometry::LineString(&self.0)
            };
            (g, json!({}))
        }
    }
    let err = write_layer(
        LayerFormat::Shapefile,
        "m",
        &Mixed(vec![[0.0, 0.0], [1.0, 1.0]]),
        Crs::Wgs84,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("m.shp") && err.contains("mixes Point and LineString"),
        "{err}"
    );
}

#[cfg(feature = "gpkg")]
mod geopackage {
    use super::*;
    use rusqlite::Connection;

    /// The GeoPackage written to a temporary file and opened with SQLite.
    fn open(bytes: &[u8], name: &str) -> (Connection, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!(
            "lifecircle-test-{}-{name}.gpkg",
            std::process::id()
        ));
        std::fs::write(&path, bytes).unwrap();
        (Connection::open(&path).unwrap(), path)
    }

    /// Positions of a GeoPackage geometry blob, after checking its header.
    fn blob_positions(blob: &[u8], srs_id: i32) -> Vec<[f64; 2]> {
        assert_eq!(&blob[..2], b"GP");
        assert_eq!(blob[2], 0, "version 1");
        assert_eq!(blob[3], 0b11, "little-endian, xy envelope");
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), srs_id);
        let positions = wkb_positions(&blob[40..]);
        let e: Vec<f64> = (0..4)
            .map(|k| f64::from_le_bytes(blob[8 + 8 * k..16 + 8 * k].try_into().unwrap()))
            .collect();
        for [x, y] in &positions {
            assert!(e[0] <= *x && *x <= e[1] && e[2] <= *y && *y <= e[3]);
        }
        positions
    }

    /// `id, n, x, ok, list, maybe, geom` of the points table.
    type PointRow = (String, i64, f64, bool, String, Option<String>, Vec<u8>);

    #[test]
    fn layers_read_back_with_sqlite() {
        let crs = Crs::Wgs84;
        let mut gpkg = GeoPackage::new(crs).unwrap();
        gpkg.add_layer("points", &points()).unwrap();
        gpkg.add_layer("areas", &shapes(true)).unwrap();
        gpkg.add_layer("lines", &shapes(false)).unwrap();
        let bytes = gpkg.finish().unwrap();
        let (db, path) = open(&bytes, "layers");
        let pragma = |name: &str| -> i64 {
            db.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(pragma("application_id"), 0x4750_4B47);
        assert_eq!(pragma("user_version"), 10300);
        let check: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let srs: Vec<i64> = db
            .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(srs, [-1, 0, 4326]);
        let types: Vec<(String, String, i64)> = db
            .prepare("SELECT table_name, geometry_type_name, srs_id FROM gpkg_geometry_columns ORDER BY table_name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            types,
            [
                ("areas".into(), "MULTIPOLYGON".into(), 4326),
                ("lines".into(), "LINESTRING".into(), 4326),
                ("points".into(), "POINT".into(), 4326)
            ]
        );
        let bounds: (f64, f64, f64, f64) = db
            .query_row(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'points'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(bounds, (114.3, 30.59, 114.31, 30.6));

        let columns: Vec<(String, String)> = db
            .prepare("SELECT name, type FROM pragma_table_info('points')")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let columns: Vec<(&str, &str)> = columns
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            columns,
            [
                ("fid", "INTEGER"),
                ("geom", "POINT"),
                ("id", "TEXT"),
                ("n", "INTEGER"),
                ("x", "DOUBLE"),
                ("ok", "BOOLEAN"),
                ("by.k", "INTEGER"),
                ("list", "TEXT"),
                ("maybe", "TEXT")
            ]
        );
        let rows: Vec<PointRow> = db
            .prepare("SELECT id, n, x, ok, list, maybe, geom FROM points ORDER BY fid")
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].1, rows[0].2, rows[0].3), (3, 1.5, true));
        assert_eq!((rows[1].1, rows[1].2, rows[1].3), (-4, 2.0, false));
        assert_eq!((rows[0].4.as_str(), rows[1].4.as_str()), ("p; q", ""));
        assert_eq!(rows[0].5, None);
        assert_eq!(rows[1].5.as_deref(), Some("é".repeat(200).as_str()));
        let want = geojson_positions(&points(), crs);
        for (row, want) in rows.iter().zip(&want) {
            assert!(close(&blob_positions(&row.6, 4326), want));
        }
        let blobs: Vec<Vec<u8>> = db
            .prepare("SELECT geom FROM areas ORDER BY fid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let want = geojson_positions(&shapes(true), crs);
        assert_eq!(blobs.len(), 2);
        for (blob, want) in blobs.iter().zip(&want) {
            assert!(close(&blob_positions(blob, 4326), want));
        }
        drop(db);
        gdal_lists(&path, &[("points", 2), ("areas", 2), ("lines", 1)]);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn gcj02_layers_use_the_undefined_geographic_system() {
        let bytes = only_file(LayerFormat::GeoPackage, &points(), Crs::Gcj02);
        let (db, path) = open(&bytes, "gcj02");
        let srs: i64 = db
            .query_row(
                "SELECT srs_id FROM gpkg_contents WHERE table_name = 't'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(srs, 0);
        let blob: Vec<u8> = db
            .query_row("SELECT geom FROM t WHERE fid = 1", [], |r| r.get(0))
            .unwrap();
        let want = output_position(Crs::Gcj02, [114.30000004, 30.59]);
        assert!(close(&blob_positions(&blob, 0), &[want]));
        drop(db);
        let _ = std::fs::remove_file(&path);
    }

    /// GDAL lists every layer with its feature count (skipped when GDAL is absent).
    fn gdal_lists(path: &std::path::Path, layers: &[(&str, usize)]) {
        let Ok(out) = std::process::Command::new("ogrinfo")
            .args(["-ro", "-so", "-al"])
            .arg(path)
            .output()
        else {
            eprintln!("note: ogrinfo is not on PATH; the GDAL check is skipped");
            return;
        };
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for (name, count) in layers {
            assert!(text.contains(&format!("Layer name: {name}\n")), "{text}");
            let block = text.split(&format!("Layer name: {name}\n")).nth(1).unwrap();
            assert!(
                block.contains(&format!("Feature Count: {count}\n")),
                "{text}"
            );
        }
    }
}

#[test]
fn flatgeobuf_reads_back_with_its_crate() {
    use ::flatgeobuf::{ColumnType as Fgb, FallibleStreamingIterator, FgbReader, GeometryType};
    use geozero::FeatureProperties;

    let crs = Crs::Wgs84;
    let bytes = only_file(LayerFormat::FlatGeobuf, &points(), crs);
    let reader = FgbReader::open(Cursor::new(&bytes)).unwrap();
    let header = reader.header();
    assert_eq!(header.features_count(), 2);
    assert_eq!(header.geometry_type(), GeometryType::Point);
    assert_eq!(header.crs().unwrap().code(), 4326);
    assert!(header.index_node_size() > 0, "spatial index");
    let columns: Vec<(String, Fgb)> = header
        .columns()
        .unwrap()
        .iter()
        .map(|c| (c.name().to_string(), c.type_()))
        .collect();
    assert_eq!(
        columns,
        [
            ("id".to_string(), Fgb::String),
            ("n".into(), Fgb::Long),
            ("x".into(), Fgb::Double),
            ("ok".into(), Fgb::Bool),
            ("by.k".into(), Fgb::Long),
            ("list".into(), Fgb::String),
            ("maybe".into(), Fgb::String)
        ]
    );
    let want = geojson_positions(&points(), crs);
    let mut features = reader.select_all().unwrap();
    let mut seen = 0;
    while let Some(f) = features.next().unwrap() {
        let id: String = f.property("id").unwrap();
        let i = usize::from(id == "b");
        let n: i64 = f.property("n").unwrap();
        let x: f64 = f.property("x").unwrap();
        let ok: bool = f.property("ok").unwrap();
        assert_eq!((n, x, ok), [(3, 1.5, true), (-4, 2.0, false)][i]);
        assert_eq!(
            f.property::<String>("maybe").is_ok(),
            i == 1,
            "null left out"
        );
        let xy: Vec<f64> = f.geometry().unwrap().xy().unwrap().iter().collect();
        assert!(close(&[[xy[0], xy[1]]], &want[i]));
        seen += 1;
    }
    assert_eq!(seen, 2);

    let bytes = only_file(LayerFormat::FlatGeobuf, &shapes(true), Crs::Bd09);
    let reader = FgbReader::open(Cursor::new(&bytes)).unwrap();
    assert_eq!(reader.header().geometry_type(), GeometryType::MultiPolygon);
    assert_eq!(
        reader.header().crs().unwrap().code(),
        0,
        "no EPSG code for BD-09"
    );
    let want = geojson_positions(&shapes(true), Crs::Bd09);
    let mut features = reader.select_all().unwrap();
    let mut seen = 0;
    while let Some(f) = features.next().unwrap() {
        let rank: i64 = f.property("rank").unwrap();
        let g = f.geometry().unwrap();
        let xy: Vec<f64> = g
            .parts()
            .unwrap()
            .iter()
            .flat_map(|p| p.xy().unwrap().iter().collect::<Vec<_>>())
            .collect();
        let got: Vec<[f64; 2]> = xy.chunks(2).map(|c| [c[0], c[1]]).collect();
        assert!(close(&got, &want[rank as usize - 1]), "{got:?}");
        seen += 1;
    }
    assert_eq!(seen, 2);
}

#[test]
fn geoparquet_reads_back_with_the_parquet_crate() {
    use arrow_array::{Array, BinaryArray, BooleanArray, Float64Array, Int64Array, StringArray};
    use arrow_schema::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let crs = Crs::Wgs84;
    let bytes = only_file(LayerFormat::GeoParquet, &points(), crs);
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
    let meta = builder.metadata().file_metadata();
    assert_eq!(meta.created_by(), Some("lifecircle"));
    assert_eq!(meta.num_rows(), 2);
    let schema = builder.schema().clone();
    let geo: Value = serde_json::from_str(&schema.metadata()["geo"]).unwrap();
    assert_eq!(
        geo,
        json!({"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {
            "encoding": "WKB", "geometry_types": ["Point"], "bbox": [114.3, 30.59, 114.31, 30.6]}}})
    );
    let fields: Vec<(&str, &DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    assert_eq!(
        fields,
        [
            ("id", &DataType::Utf8),
            ("n", &DataType::Int64),
            ("x", &DataType::Float64),
            ("ok", &DataType::Boolean),
            ("by.k", &DataType::Int64),
            ("list", &DataType::Utf8),
            ("maybe", &DataType::Utf8),
            ("geometry", &DataType::Binary)
        ]
    );
    let batch = builder.build().unwrap().next().unwrap().unwrap();
    let col = |name: &str| batch.column_by_name(name).unwrap().clone();
    let n = col("n");
    let n = n.as_any().downcast_ref::<Int64Array>().unwrap();
    assert_eq!((n.value(0), n.value(1)), (3, -4));
    let x = col("x");
    let x = x.as_any().downcast_ref::<Float64Array>().unwrap();
    assert_eq!((x.value(0), x.value(1)), (1.5, 2.0));
    let ok = col("ok");
    let ok = ok.as_any().downcast_ref::<BooleanArray>().unwrap();
    assert!(ok.value(0) && !ok.value(1));
    let maybe = col("maybe");
    let maybe = maybe.as_any().downcast_ref::<StringArray>().unwrap();
    assert!(maybe.is_null(0));
    assert_eq!(maybe.value(1), "é".repeat(200));
    let list = col("list");
    assert_eq!(
        list.as_any()
            .downcast_ref::<StringArray>()
            .unwrap()
            .value(0),
        "p; q"
    );
    let geometry = col("geometry");
    let geometry = geometry.as_any().downcast_ref::<BinaryArray>().unwrap();
    let want = geojson_positions(&points(), crs);
    for (i, want) in want.iter().enumerate() {
        assert!(close(&wkb_positions(geometry.value(i)), want));
    }

    let bytes = only_file(LayerFormat::GeoParquet, &shapes(true), Crs::Gcj02);
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
    let geo: Value = serde_json::from_str(&builder.schema().metadata()["geo"]).unwrap();
    assert_eq!(geo["columns"]["geometry"]["crs"], Value::Null);
    assert!(
        geo["columns"]["geometry"].get("crs").is_some(),
        "null: undefined"
    );
    assert_eq!(
        geo["columns"]["geometry"]["geometry_types"],
        json!(["MultiPolygon"])
    );
    let batch = builder.build().unwrap().next().unwrap().unwrap();
    let geometry = batch.column_by_name("geometry").unwrap().clone();
    let geometry = geometry.as_any().downcast_ref::<BinaryArray>().unwrap();
    let want = geojson_positions(&shapes(true), Crs::Gcj02);
    for (i, want) in want.iter().enumerate() {
        assert!(close(&wkb_positions(geometry.value(i)), want));
    }
}

#[test]
fn shapefile_reads_back_with_its_crates() {
    use ::shapefile::{Shape, ShapeReader};
    use dbase::FieldValue;

    let crs = Crs::Wgs84;
    let out = write_layer(LayerFormat::Shapefile, "t", &points(), crs).unwrap();
    assert_eq!(out.truncated_values, 1, "the 400-byte text");
    let file = |ext: &str| {
        out.files
            .iter()
            .find(|(n, _)| *n == format!("t.{ext}"))
            .unwrap()
            .1
            .clone()
    };
    assert_eq!(file("cpg"), b"UTF-8");
    assert!(String::from_utf8(file("prj"))
        .unwrap()
        .starts_with("GEOGCS[\"GCS_WGS_1984\""));
    let shapes_read = ShapeReader::with_shx(Cursor::new(file("shp")), Cursor::new(file("shx")))
        .unwrap()
        .read()
        .unwrap();
    let want = geojson_positions(&points(), crs);
    assert_eq!(shapes_read.len(), 2);
    for (shape, want) in shapes_read.iter().zip(&want) {
        let Shape::Point(p) = shape else {
            panic!("{shape}")
        };
        assert!(close(&[[p.x, p.y]], want));
    }
    let mut dbf = dbase::Reader::new(Cursor::new(file("dbf"))).unwrap();
    let names: Vec<&str> = dbf.fields().iter().map(dbase::FieldInfo::name).collect();
    assert_eq!(names, ["id", "n", "x", "ok", "by.k", "list", "maybe"]);
    let records = dbf.read().unwrap();
    assert_eq!(records.len(), 2);
    let get = |i: usize, name: &str| records[i].get(name).unwrap().clone();
    assert_eq!(get(0, "n"), FieldValue::Numeric(Some(3.0)));
    assert_eq!(get(1, "n"), FieldValue::Numeric(Some(-4.0)));
    assert_eq!(get(1, "x"), FieldValue::Numeric(Some(2.0)));
    assert_eq!(get(0, "ok"), FieldValue::Logical(Some(true)));
    assert_eq!(get(0, "list"), FieldValue::Character(Some("p; q".into())));
    assert_eq!(get(0, "maybe"), FieldValue::Character(None));
    assert_eq!(
        get(1, "maybe"),
        FieldValue::Character(Some("é".repeat(127))),
        "254 bytes"
    );

    // Polygons: outer rings clockwise, holes counter-clockwise; no .prj for GCJ-02.
    let out = write_layer(LayerFormat::Shapefile, "a", &shapes(true), Crs::Gcj02).unwrap();
    let names: Vec<&str> = out.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a.shp", "a.shx", "a.dbf", "a.cpg"]);
    let read = ShapeReader::new(Cursor::new(out.files[0].1.clone()))
        .unwrap()
        .read()
        .unwrap();
    let Shape::Polygon(first) = &read[0] else {
        panic!("{}", read[0])
    };
    let signed_area = |points: &[::shapefile::Point]| -> f64 {
        points
            .windows(2)
            .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
            .sum::<f64>()
            / 2.0
    };
    let rings = first.rings();
    assert_eq!(rings.len(), 2);
    assert!(matches!(rings[0], ::shapefile::PolygonRing::Outer(_)));
    assert!(signed_area(rings[0].points()) < 0.0, "outer clockwise");
    assert!(
        signed_area(rings[1].points()) > 0.0,
        "hole counter-clockwise"
    );
    let Shape::Polygon(second) = &read[1] else {
        panic!("{}", read[1])
    };
    assert_eq!(second.rings().len(), 2, "two parts");
}
