//! Regression tests of the trust review, through the library: populations that were
//! silently defaulted or could bypass the cap, and spreading without a total bound.

use lifecircle::input::{InputLimits, PopulationEstimate, TagFilter};
use lifecircle::{read_points, Error, ReadOptions};

fn fc(features: &[String]) -> Vec<u8> {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
    .into_bytes()
}

fn point(properties: &str, lon: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{properties},"geometry":{{"type":"Point","coordinates":[{lon},0]}}}}"#
    )
}

#[test]
fn a_population_field_no_feature_has_is_an_error() {
    let text = fc(&[point(r#"{"pop":5}"#, 0.0), point(r#"{"pop":7}"#, 0.001)]);
    let options = ReadOptions {
        population_field: Some("population2".into()),
        ..ReadOptions::default()
    };
    let err = read_points("homes.geojson", &text, &options).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Parse { .. }));
    assert!(
        message.starts_with("homes.geojson: ")
            && message.contains("no feature has a `population2` property")
            && message.contains("properties found: pop"),
        "{message}"
    );
    // Named and present on some features: the others are counted, not an error.
    let options = ReadOptions {
        population_field: Some("pop".into()),
        ..ReadOptions::default()
    };
    let mixed = fc(&[point(r#"{"pop":5}"#, 0.0), point("{}", 0.001)]);
    let layer = read_points("homes.geojson", &mixed, &options).unwrap();
    assert_eq!(layer.skipped.0["defaulted: no `pop` value (counted 1)"], 1);
}

#[test]
fn defaulted_populations_are_counted_not_silent() {
    // GeoJSON without the default `population` property.
    let text = fc(&[
        point(r#"{"name":"a"}"#, 0.0),
        point(r#"{"population":3}"#, 0.001),
    ]);
    let layer = read_points("homes.geojson", &text, &ReadOptions::default()).unwrap();
    assert_eq!(layer.points[0].population, 1.0);
    assert_eq!(
        layer.skipped.0["defaulted: no `population` value (counted 1)"],
        1
    );
    assert_eq!(layer.skipped.noted(), 1);
    assert_eq!(layer.skipped.dropped(), 0);
    // CSV: empty cells, and a file without any population column.
    let csv = b"id,lon,lat,population\na,0,0,4\nb,0.001,0,\n";
    let layer = read_points("homes.csv", csv, &ReadOptions::default()).unwrap();
    assert_eq!(
        layer.skipped.0["defaulted: empty `population` cell (counted 1)"],
        1
    );
    let csv = b"id,lon,lat\na,0,0\nb,0.001,0\n";
    let layer = read_points("homes.csv", csv, &ReadOptions::default()).unwrap();
    assert_eq!(
        layer.skipped.0["defaulted: no population column (counted 1)"],
        2
    );
}

#[test]
fn a_chinese_population_column_is_recognised() {
    let csv = "编号,lon,lat,人口\na,0,0,120\nb,0.001,0,80\n";
    let layer = read_points("小区.csv", csv.as_bytes(), &ReadOptions::default()).unwrap();
    let total: f64 = layer.points.iter().map(|p| p.population).sum();
    assert_eq!(total, 200.0);
    assert_eq!(layer.skipped.noted(), 0);
}

#[test]
fn spreading_is_capped_over_the_whole_layer() {
    // Three 0.002° squares (about 222 m): at 10 m each spreads to about 490 points.
    let square = |x: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"population":100}},"geometry":{{"type":"Polygon","coordinates":[[[{x},0],[{},0],[{},0.002],[{x},0.002],[{x},0]]]}}}}"#,
            x + 0.002,
            x + 0.002
        )
    };
    let text = fc(&[square(0.0), square(0.01), square(0.02)]);
    let options = ReadOptions {
        spread_spacing_m: Some(10.0),
        limits: InputLimits {
            max_features: 1_000,
            ..InputLimits::default()
        },
        ..ReadOptions::default()
    };
    let err = read_points("blocks.geojson", &text, &options).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("blocks.geojson: feature 2: ")
            && message.contains("gives more than 1000 points in all"),
        "{message}"
    );
    // Within the budget the population is conserved exactly.
    let options = ReadOptions {
        spread_spacing_m: Some(10.0),
        ..ReadOptions::default()
    };
    let layer = read_points("blocks.geojson", &text, &options).unwrap();
    let total: f64 = layer.points.iter().map(|p| p.population).sum();
    assert!((total - 300.0).abs() < 1e-9, "{total}");
}

#[test]
fn the_floor_area_rule_cannot_bypass_the_population_cap() {
    let pbf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/monaco.osm.pbf"
    ))
    .unwrap();
    let options = ReadOptions::default().osm(
        TagFilter::parse("building").unwrap(),
        PopulationEstimate::FloorArea {
            m2_per_person: 1e-303,
        },
    );
    let err = read_points("monaco.osm.pbf", &pbf, &options).unwrap_err();
    assert!(
        err.to_string().contains("at least 1 m² per person"),
        "{err}"
    );
}

fn line(coords: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"highway":"footway"}},"geometry":{{"type":"LineString","coordinates":{coords}}}}}"#
    )
}

#[test]
fn a_line_crossing_the_180_meridian_is_refused_naming_it() {
    use lifecircle::{Layer, Layers, Study, StudyParams};
    let roads = fc(&[
        line("[[179.9,0],[179.99,0]]"),
        line("[[179.99,0],[-179.99,0]]"),
    ]);
    let roads = lifecircle::read_roads("pacific.geojson", &roads, &ReadOptions::default()).unwrap();
    let centers = read_points("c.csv", b"lon,lat\n179.95,0\n", &ReadOptions::default()).unwrap();
    let demand = read_points("d.csv", b"lon,lat\n0,0\n", &ReadOptions::default()).unwrap();
    let mut params = StudyParams::default();
    params.network.min_component_nodes = 1;
    let err = Study::new(
        Layers {
            roads: Layer::new(roads, "pacific.geojson"),
            centers: Layer::new(centers, "c.csv"),
            demand: Layer::new(demand, "d.csv"),
            units: None,
        },
        params,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("pacific.geojson: cannot build a walking network")
            && err.contains(
                "feature 1: the line crosses the 180° meridian (longitude 179.99 to -179.99)"
            ),
        "{err}"
    );
}

#[test]
fn geojson_is_known_by_content_despite_a_bom_or_a_text_sequence() {
    // No extension, a byte-order mark: GeoJSON, not CSV.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(fc(&[point(r#"{"population":2}"#, 0.0)]));
    let layer = read_points("download", &bom, &ReadOptions::default()).unwrap();
    assert_eq!(layer.points[0].population, 2.0);
    // GeoJSON text sequences (RFC 8142 record separators) and one Feature per line.
    let records = format!(
        "\x1e{}\n\x1e{}\n",
        point(r#"{"population":2}"#, 0.0),
        point(r#"{"population":3}"#, 0.001)
    );
    let layer = read_points("download", records.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(layer.points.len(), 2);
    let lines = format!(
        "{}\n\n{}\n",
        point(r#"{"population":2}"#, 0.0),
        point(r#"{"population":3}"#, 0.001)
    );
    let layer = read_points("homes.geojsonl", lines.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(layer.points.len(), 2);
    // A broken record names itself and its line.
    let broken = format!("{}\n{{\"type\":\"Feature\",\n", point("{}", 0.0));
    let err = read_points("homes.geojsonl", broken.as_bytes(), &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("text sequence record 2 (line 2)"), "{err}");
}

#[test]
fn an_array_wrapped_feature_collection_is_read() {
    let inner = String::from_utf8(fc(&[point("{}", 0.0), point("{}", 0.001)])).unwrap();
    let wrapped = format!("[{inner}]");
    let layer = read_points("export.json", wrapped.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(layer.points.len(), 2);
    let features = format!("[{},{}]", point("{}", 0.0), point("{}", 0.001));
    let layer = read_points("export.json", features.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(layer.points.len(), 2);
    let err = read_points(
        "export.json",
        b"[{\"type\":\"Topology\"}]",
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("item 0 is a `Topology`"), "{err}");
}

#[test]
fn csv_errors_name_the_physical_line_with_crlf_and_blank_lines() {
    for (text, line) in [
        ("id,lon,lat\r\na,0,0\r\n\r\nb,x,0\r\n", 4),
        ("id,lon,lat\na,0,0\n\n\nb,x,0\n", 5),
        ("id,lon,lat\n\na,0,0\nb,x,0\n", 4),
    ] {
        let err = read_points("p.csv", text.as_bytes(), &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("row 2 (line {line})")),
            "{text:?}: {err}"
        );
    }
}

#[test]
fn minus_zero_population_is_written_as_zero() {
    let layer = read_points(
        "p.csv",
        b"lon,lat,population\n0,0,-0\n",
        &ReadOptions::default(),
    )
    .unwrap();
    assert!(layer.points[0].population.is_sign_positive());
    let text = fc(&[point(r#"{"population":-0.0}"#, 0.0)]);
    let layer = read_points("p.geojson", &text, &ReadOptions::default()).unwrap();
    assert!(layer.points[0].population.is_sign_positive());
}

#[test]
fn a_network_that_cannot_be_built_says_what_was_left_out() {
    use lifecircle::{Layer, Layers, Study, StudyParams};
    let motorway = r#"{"type":"Feature","properties":{"highway":"motorway"},"geometry":{"type":"LineString","coordinates":[[0,0],[0.01,0]]}}"#;
    let roads = fc(&[motorway.to_string(), motorway.to_string()]);
    let roads = lifecircle::read_roads("ring.geojson", &roads, &ReadOptions::default()).unwrap();
    let points = read_points("c.csv", b"lon,lat\n0,0\n", &ReadOptions::default()).unwrap();
    let err = Study::new(
        Layers {
            roads: Layer::new(roads, "ring.geojson"),
            centers: Layer::new(points.clone(), "c.csv"),
            demand: Layer::new(points, "d.csv"),
            units: None,
        },
        StudyParams::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("left out: 2 not walkable (highway=motorway)"),
        "{err}"
    );
}
