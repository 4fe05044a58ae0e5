use super::*;
use crate::input::geojson::{
    parse_features, read_points_geojson, read_roads_geojson, read_units_geojson,
};
use crate::input::validate::RENAMED_DUPLICATE_ID;

fn collection(features: &[&str]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn line_feature(properties: &str, coordinates: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{properties},"geometry":{{"type":"LineString","coordinates":{coordinates}}}}}"#
    )
}

fn feature(properties: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{properties},"geometry":{geometry}}}"#)
}

#[test]
fn roads_keep_lines_and_render_tags() {
    let text = collection(&[&line_feature(
        r#"{"highway":"footway","lanes":2,"lit":true,"note":null,"ref":["a",1],"obj":{"k":1}}"#,
        "[[1,2],[1,2],[1.5,2],[2,2]]",
    )]);
    let roads = read_roads_geojson("roads.geojson", &text).unwrap();
    assert_eq!(roads.lines.len(), 1);
    let line = &roads.lines[0];
    assert_eq!(line.coords, vec![[1.0, 2.0], [1.5, 2.0], [2.0, 2.0]]);
    assert_eq!(line.elevations_m, None);
    assert_eq!(line.osm_node_ids, None);
    assert_eq!(line.source_index, 0);
    assert_eq!(line.tags["lanes"], "2");
    assert_eq!(line.tags["lit"], "true");
    assert_eq!(line.tags["ref"], r#"["a",1]"#);
    assert_eq!(line.tags["obj"], r#"{"k":1}"#);
    assert!(!line.tags.contains_key("note"));
    assert_eq!(roads.skipped.total(), 0);
}

#[test]
fn roads_without_highway_are_footpaths() {
    let text = collection(&[&line_feature("{}", "[[0,0],[0,1]]")]);
    assert_eq!(read_roads_geojson("r", &text).unwrap().lines.len(), 1);
    let text = collection(&[
        r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[0,1]]}}"#,
    ]);
    assert_eq!(read_roads_geojson("r", &text).unwrap().lines.len(), 1);
}

#[test]
fn multilinestring_parts_share_source_index() {
    let text = collection(&[
        &line_feature("{}", "[[0,0],[0,1]]"),
        &feature(
            r#"{"highway":"path"}"#,
            r#"{"type":"MultiLineString","coordinates":[[[0,0],[1,0]],[[5,5],[5,5]],[[2,2],[3,3]]]}"#,
        ),
    ]);
    let roads = read_roads_geojson("r", &text).unwrap();
    assert_eq!(roads.lines.len(), 3);
    assert!(roads.lines[1..].iter().all(|l| l.source_index == 1));
    assert_eq!(
        roads.skipped.0["line with fewer than 2 distinct vertices"],
        1
    );
}

#[test]
fn z_coordinates_all_or_nothing() {
    let text = collection(&[
        &line_feature("{}", "[[0,0,10],[0,0,11],[0,1,12.5]]"),
        &line_feature("{}", "[[0,0,10],[0,1]]"),
    ]);
    let roads = read_roads_geojson("r", &text).unwrap();
    // The duplicate vertex's elevation goes with it.
    assert_eq!(roads.lines[0].elevations_m, Some(vec![10.0, 12.5]));
    assert_eq!(roads.lines[1].elevations_m, None);
    assert_eq!(
        roads.skipped.0["elevations dropped (z on some vertices only)"],
        1
    );
}

#[test]
fn roads_skip_reasons_are_counted() {
    let text = collection(&[
        &line_feature(r#"{"highway":"motorway"}"#, "[[0,0],[0,1]]"),
        &line_feature(r#"{"highway":"motorway"}"#, "[[0,0],[0,1]]"),
        &line_feature(
            r#"{"highway":"service","access":"private"}"#,
            "[[0,0],[0,1]]",
        ),
        &line_feature(r#"{"highway":"footway"}"#, "[[0,0],[0,0]]"),
        &line_feature(r#"{"highway":"footway"}"#, "[]"),
        &feature(
            r#"{"highway":"pedestrian","area":"yes"}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
        ),
        &feature("{}", r#"{"type":"Point","coordinates":[0,0]}"#),
        &feature("{}", "null"),
        r#"{"type":"Feature","properties":{}}"#,
    ]);
    let roads = read_roads_geojson("r", &text).unwrap();
    assert!(
        roads.lines.is_empty(),
        "no walkable line is not an error here"
    );
    let expected: BTreeMap<String, usize> = [
        ("not walkable (highway=motorway)", 2),
        ("not walkable (access=private)", 1),
        ("line with fewer than 2 distinct vertices", 2),
        ("area geometry (Polygon) not used as a walkway", 1),
        ("point geometry (Point) not used as a walkway", 1),
        ("no geometry", 2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(roads.skipped.0, expected);
}

#[test]
fn single_feature_and_bare_geometry_are_accepted() {
    let single = line_feature("{}", "[[0,0],[0,1]]");
    assert_eq!(read_roads_geojson("r", &single).unwrap().lines.len(), 1);
    let bare = r#"{"type":"LineString","coordinates":[[0,0],[0,1]]}"#;
    assert_eq!(read_roads_geojson("r", bare).unwrap().lines.len(), 1);
    let bom = format!("\u{feff}{bare}");
    assert_eq!(read_roads_geojson("r", &bom).unwrap().lines.len(), 1);
    let empty = r#"{"type":"FeatureCollection","features":[]}"#;
    assert!(read_roads_geojson("r", empty).unwrap().lines.is_empty());
}

#[test]
fn bad_coordinates_name_layer_feature_and_coordinate() {
    let text = collection(&[
        &line_feature("{}", "[[0,0],[0,1]]"),
        &line_feature("{}", "[[24.9,60.1],[24.9,60.2],[60.2,95.3]]"),
    ]);
    let err = read_roads_geojson("roads.geojson", &text).unwrap_err();
    assert!(matches!(err, Error::Feature { index: 1, .. }));
    assert_eq!(
        err.to_string(),
        "roads.geojson: feature 1: coordinate 2 has latitude 95.3 outside [-90, 90] (lon/lat swapped?)"
    );
    let text = collection(&[&line_feature("{}", "[[0,0],[200,1]]")]);
    let err = read_roads_geojson("r.geojson", &text)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "r.geojson: feature 0: coordinate 1 has longitude 200 outside [-180, 180]"
    );
    let text = collection(&[&line_feature("{}", "[[0,0],[1]]")]);
    let err = read_roads_geojson("r.geojson", &text)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("feature 0: coordinate 1 has 1 number(s)"),
        "{err}"
    );
    let text = collection(&[&feature(
        "{}",
        r#"{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[0,0],[0,-91]]]}"#,
    )]);
    let err = read_roads_geojson("r.geojson", &text)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("feature 0: part 1 coordinate 1 has latitude -91"),
        "{err}"
    );
}

#[test]
fn malformed_json_is_a_parse_error_with_position() {
    let err = read_roads_geojson(
        "roads.geojson",
        "{\"type\":\"FeatureCollection\",\n\"features\":[}",
    )
    .unwrap_err();
    assert!(matches!(err, Error::Parse { .. }));
    let message = err.to_string();
    assert!(
        message.starts_with("roads.geojson: cannot read input: invalid GeoJSON"),
        "{message}"
    );
    assert!(message.contains("line 2 column"), "{message}");
}

#[test]
fn json_that_is_not_geojson_is_a_parse_error() {
    for text in [
        "[1,2,3]",
        "42",
        r#"{"name":"x"}"#,
        r#"{"type":"Topology"}"#,
        r#"{"type":"FeatureCollection"}"#,
        r#"{"type":"LineString","coordinates":[[0,0],1]}"#,
        r#"{"type":"LineString","coordinates":[[[[[0,0]]]]]}"#,
        "",
    ] {
        let err = read_roads_geojson("x.json", text).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{text}: {err}");
    }
    let err = read_roads_geojson(
        "x.json",
        r#"{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[0,0]}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.json: feature 0: has type `Point`, expected `Feature`"
    );
}

#[test]
fn limits_are_checked() {
    let line = line_feature("{}", "[[0,0],[0,1]]");
    let text = collection(&[&line, &line, &line]);
    let limits = InputLimits {
        max_features: 2,
        ..InputLimits::default()
    };
    let err = parse_features("r", &text, &limits)
        .map(|t| t.features.len())
        .unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }));
    let limits = InputLimits {
        max_bytes: 10,
        ..InputLimits::default()
    };
    assert!(matches!(
        parse_features("u", &text, &limits).map(|t| t.features.len()),
        Err(Error::TooLarge { .. })
    ));
}

// ---- points ----

fn points(text: &str, options: &PointOptions) -> PointLayer {
    read_points_geojson("pts.geojson", text, options).unwrap()
}

#[test]
fn point_ids_and_population() {
    let text = collection(&[
        &feature(
            r#"{"id":"a","population":10}"#,
            r#"{"type":"Point","coordinates":[1,2]}"#,
        ),
        r#"{"type":"Feature","id":"f1","properties":{"population":"2.5"},"geometry":{"type":"Point","coordinates":[1,2]}}"#,
        &feature(
            r#"{"population":null}"#,
            r#"{"type":"Point","coordinates":[1,2]}"#,
        ),
        &feature("null", r#"{"type":"Point","coordinates":[3,4,5]}"#),
    ]);
    let layer = points(&text, &PointOptions::default());
    let summary: Vec<(&str, f64)> = layer
        .points
        .iter()
        .map(|p| (p.id.as_str(), p.population))
        .collect();
    assert_eq!(summary, [("a", 10.0), ("f1", 2.5), ("2", 1.0), ("3", 1.0)]);
    assert_eq!((layer.points[3].lon, layer.points[3].lat), (3.0, 4.0));
    assert_eq!(layer.points[0].properties["population"], 10);
    assert_eq!(layer.points[3].source_index, 3);
}

#[test]
fn custom_fields() {
    let text = collection(&[&feature(
        r#"{"code":17,"pop":"4","population":99}"#,
        r#"{"type":"Point","coordinates":[1,2]}"#,
    )]);
    let options = PointOptions {
        population_field: "pop".into(),
        id_field: "code".into(),
        ..PointOptions::default()
    };
    let layer = points(&text, &options);
    assert_eq!(
        (layer.points[0].id.as_str(), layer.points[0].population),
        ("17", 4.0)
    );
}

#[test]
fn bad_population_is_a_feature_error() {
    for (value, expected) in [
        ("-3", "population -3 is not a finite non-negative number"),
        (r#""lots""#, r#"population "lots" is not a number"#),
        ("true", "is not a number"),
    ] {
        let text = collection(&[
            &feature("{}", r#"{"type":"Point","coordinates":[1,2]}"#),
            &feature(
                &format!(r#"{{"population":{value}}}"#),
                r#"{"type":"Point","coordinates":[1,2]}"#,
            ),
        ]);
        let err = read_points_geojson("homes.geojson", &text, &PointOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("homes.geojson: feature 1: `population`: "),
            "{err}"
        );
        assert!(err.contains(expected), "{err}");
    }
    let strict = PointOptions {
        allow_missing_population: false,
        ..PointOptions::default()
    };
    let text = collection(&[&feature("{}", r#"{"type":"Point","coordinates":[1,2]}"#)]);
    let err = read_points_geojson("h", &text, &strict)
        .unwrap_err()
        .to_string();
    assert_eq!(err, "h: feature 0: has no `population` property");
}

#[test]
fn multipoint_splits_population() {
    let text = collection(&[&feature(
        r#"{"id":"m","population":9}"#,
        r#"{"type":"MultiPoint","coordinates":[[0,0],[1,1],[2,2]]}"#,
    )]);
    let layer = points(&text, &PointOptions::default());
    let ids: Vec<_> = layer.points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["m/1", "m/2", "m/3"]);
    assert!(layer.points.iter().all(|p| p.population == 3.0));
    let empty = collection(&[&feature("{}", r#"{"type":"MultiPoint","coordinates":[]}"#)]);
    assert_eq!(
        points(&empty, &PointOptions::default()).skipped.0["empty MultiPoint"],
        1
    );
}

#[test]
fn point_skip_reasons() {
    let text = collection(&[
        &feature("{}", r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#),
        &feature("{}", "null"),
        &feature("{}", r#"{"type":"Polygon","coordinates":[]}"#),
        &feature(
            "{}",
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}"#,
        ),
        &feature("{}", r#"{"type":"GeometryCollection","geometries":[]}"#),
    ]);
    let layer = points(&text, &PointOptions::default());
    assert!(layer.points.is_empty());
    let reasons: Vec<_> = layer.skipped.0.keys().map(String::as_str).collect();
    assert_eq!(
        reasons,
        [
            "empty polygon",
            "geometry collection (GeometryCollection) not used as a point",
            "line geometry (LineString) not used as a point",
            "no geometry",
            "polygon ring with fewer than 4 positions",
        ]
    );
}

#[test]
fn duplicate_ids_are_renamed_and_counted() {
    let point = r#"{"type":"Point","coordinates":[1,2]}"#;
    let text = collection(&[
        &feature(r#"{"id":"x"}"#, point),
        &feature(r#"{"id":"x"}"#, point),
        &feature(r#"{"id":"x"}"#, point),
    ]);
    let layer = points(&text, &PointOptions::default());
    let ids: Vec<_> = layer.points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["x", "x#2", "x#3"]);
    assert_eq!(layer.skipped.0[RENAMED_DUPLICATE_ID], 2);
    assert!(RENAMED_DUPLICATE_ID.starts_with("renamed:"));
}

/// An L-shaped block whose centroid lies outside it, about 1.1 km across at the equator.
const L_SHAPE: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[0.01,0],[0.01,0.002],[0.002,0.002],[0.002,0.01],[0,0.01],[0,0]]]}"#;

#[test]
fn polygon_gives_an_interior_point() {
    let text = collection(&[&feature(r#"{"population":50}"#, L_SHAPE)]);
    let layer = points(&text, &PointOptions::default());
    assert_eq!(layer.points.len(), 1);
    let p = &layer.points[0];
    assert_eq!(p.population, 50.0);
    let area: geo::Polygon<f64> = geo::Polygon::new(
        geo::LineString::from(vec![
            (0.0, 0.0),
            (0.01, 0.0),
            (0.01, 0.002),
            (0.002, 0.002),
            (0.002, 0.01),
            (0.0, 0.01),
        ]),
        vec![],
    );
    assert!(area.contains(&geo::Point::new(p.lon, p.lat)));
}

#[test]
fn polygon_spread_preserves_population_and_stays_inside() {
    let text = collection(&[&feature(r#"{"id":"blk","population":1000}"#, L_SHAPE)]);
    let options = PointOptions {
        spread_spacing_m: Some(100.0),
        ..PointOptions::default()
    };
    let layer = points(&text, &options);
    // Cells of 100 m (0.000898°) from the south-west corner: 11 centres per row and column
    // fall in the 0.01° box, 2 in each 0.002° arm, so the L holds 2*11 + 9*2 = 40.
    assert_eq!(layer.points.len(), 40);
    let total: f64 = layer.points.iter().map(|p| p.population).sum();
    assert!((total - 1000.0).abs() < 1e-9, "{total}");
    let Ok(Ok(area)) = to_multipolygon(
        "t",
        0,
        &[&[[
            [0.0, 0.0],
            [0.01, 0.0],
            [0.01, 0.002],
            [0.002, 0.002],
            [0.002, 0.01],
            [0.0, 0.01],
            [0.0, 0.0],
        ]
        .iter()
        .map(|&[x, y]| Position {
            values: [x, y, 0.0],
            len: 2,
        })
        .collect::<Vec<_>>()]],
    ) else {
        unreachable!()
    };
    assert!(layer
        .points
        .iter()
        .all(|p| area.contains(&geo::Point::new(p.lon, p.lat))));
    // Rows run south to north, west to east.
    assert_eq!(layer.points[0].id, "blk/1");
    assert!(layer.points[0].lat < layer.points[39].lat);
    assert!(layer.points[0].lon < layer.points[1].lon);
}

#[test]
fn spread_falls_back_to_interior_point_for_small_polygons() {
    let text = collection(&[&feature(
        r#"{"population":5}"#,
        r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[0.0001,0],[0.0001,0.0001],[0,0]]]]}"#,
    )]);
    let options = PointOptions {
        spread_spacing_m: Some(500.0),
        ..PointOptions::default()
    };
    let layer = points(&text, &options);
    assert_eq!(layer.points.len(), 1);
    assert_eq!(layer.points[0].population, 5.0);
}

#[test]
fn spread_spacing_is_validated() {
    let text = collection(&[&feature("{}", L_SHAPE)]);
    for bad in [0.0, -1.0, f64::NAN] {
        let options = PointOptions {
            spread_spacing_m: Some(bad),
            ..PointOptions::default()
        };
        assert!(matches!(
            read_points_geojson("p", &text, &options),
            Err(Error::InvalidParameter { .. })
        ));
    }
    let options = PointOptions {
        spread_spacing_m: Some(0.01),
        ..PointOptions::default()
    };
    let err = read_points_geojson("p", &text, &options)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("p: feature 0: spreading over a 0.01 m grid"),
        "{err}"
    );
}

#[test]
fn polygon_coordinates_are_validated() {
    let text = collection(&[&feature(
        "{}",
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,100],[0,0]]]}"#,
    )]);
    let err = read_points_geojson("p", &text, &PointOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "p: feature 0: ring 0 coordinate 2 has latitude 100 outside [-90, 90] (lon/lat swapped?)"
    );
}

// ---- units ----

#[test]
fn units_read_ids_names_and_skips() {
    let square =
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"bbox":[0,0,1,1]}"#;
    let text = collection(&[
        &feature(r#"{"id":"u1","name":"North"}"#, square),
        r#"{"type":"Feature","id":5,"properties":{"name":12},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}}"#,
        &feature("{}", square),
        &feature(r#"{"id":"u1"}"#, square),
        &feature("{}", r#"{"type":"Point","coordinates":[0,0]}"#),
        &feature(
            "{}",
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}"#,
        ),
        &feature("{}", r#"{"type":"MultiPolygon","coordinates":[]}"#),
        &feature("{}", "null"),
    ]);
    let layer = read_units_geojson("units.geojson", &text).unwrap();
    let ids: Vec<_> = layer.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u1", "5", "2", "u1#2"]);
    assert_eq!(layer.units[0].name.as_deref(), Some("North"));
    assert_eq!(layer.units[1].name.as_deref(), Some("12"));
    assert_eq!(layer.units[1].geometry.0.len(), 2);
    assert_eq!(layer.units[2].name, None);
    let expected: BTreeMap<String, usize> = [
        ("point geometry (Point) not used as a reporting unit", 1),
        ("polygon ring with fewer than 4 positions", 1),
        ("empty polygon", 1),
        ("no geometry", 1),
        (RENAMED_DUPLICATE_ID, 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(layer.skipped.0, expected);
}

#[test]
fn unit_holes_are_kept() {
    let text = feature(
        "{}",
        r#"{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,1]]]}"#,
    );
    let layer = read_units_geojson("u", &text).unwrap();
    assert_eq!(layer.units[0].geometry.0[0].interiors().len(), 1);
    let err = read_units_geojson("u", &text.replace("[2,2]", "[2,-200]")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "u: feature 0: ring 1 coordinate 2 has latitude -200 outside [-90, 90] (lon/lat swapped?)"
    );
}
