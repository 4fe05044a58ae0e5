//! The bad-input catalogue (`docs/bad-input.md`) through the library API: one test per row.
//!
//! Each test feeds one class of bad input to the readers (and where it matters to the
//! network and coverage stages) and checks the documented outcome: the error variant and a
//! message naming the layer, the feature and the reason, or the skip reason it is counted
//! under. The CLI side of every row is in `cli/tests/bad_input_catalogue.rs`.

mod common;

use std::io::Write;

use common::{fixture, grid, point, run, STEP};
use lifecircle::coverage::{compute_coverage, summarize, DemandStatus};
use lifecircle::features::{PointLayer, RoadLayer, UnitLayer};
use lifecircle::input::{
    maybe_gunzip_with_limits, InputFormat, InputLimits, PopulationEstimate, TagFilter,
};
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::routing::WalkCosts;
use lifecircle::{read_points, read_roads, read_units, CoverageParams, Error, ReadOptions, Result};

// Each reader through the front door, its format given (so a label or content that
// would detect another format cannot hide the case a test is about).

fn with_format(format: InputFormat, limits: &InputLimits) -> ReadOptions {
    ReadOptions::with_limits(*limits).format(format)
}

fn read_roads_geojson_with_limits(
    label: &str,
    text: &str,
    limits: &InputLimits,
) -> Result<RoadLayer> {
    read_roads(
        label,
        text.as_bytes(),
        &with_format(InputFormat::GeoJson, limits),
    )
}

fn read_roads_geojson(label: &str, text: &str) -> Result<RoadLayer> {
    read_roads_geojson_with_limits(label, text, &InputLimits::default())
}

fn read_roads_osm_pbf_with_limits(
    label: &str,
    bytes: &[u8],
    limits: &InputLimits,
) -> Result<RoadLayer> {
    read_roads(label, bytes, &with_format(InputFormat::OsmPbf, limits))
}

fn read_roads_osm_pbf(label: &str, bytes: &[u8]) -> Result<RoadLayer> {
    read_roads_osm_pbf_with_limits(label, bytes, &InputLimits::default())
}

fn read_points_geojson_with_limits(
    label: &str,
    text: &str,
    options: ReadOptions,
    limits: &InputLimits,
) -> Result<PointLayer> {
    let options = ReadOptions {
        limits: *limits,
        format: Some(InputFormat::GeoJson),
        ..options
    };
    read_points(label, text.as_bytes(), &options)
}

fn read_points_geojson(label: &str, text: &str, options: ReadOptions) -> Result<PointLayer> {
    read_points_geojson_with_limits(label, text, options, &InputLimits::default())
}

fn read_points_csv_with_limits(
    label: &str,
    text: &str,
    limits: &InputLimits,
) -> Result<PointLayer> {
    read_points(
        label,
        text.as_bytes(),
        &with_format(InputFormat::Csv, limits),
    )
}

fn read_points_csv(label: &str, text: &str) -> Result<PointLayer> {
    read_points_csv_with_limits(label, text, &InputLimits::default())
}

fn read_points_osm_pbf(
    label: &str,
    bytes: &[u8],
    filter: &TagFilter,
    population: &PopulationEstimate,
) -> Result<PointLayer> {
    let options = with_format(InputFormat::OsmPbf, &InputLimits::default())
        .osm(filter.clone(), population.clone());
    read_points(label, bytes, &options)
}

fn read_units_geojson(label: &str, text: &str) -> Result<UnitLayer> {
    read_units(
        label,
        text.as_bytes(),
        &with_format(InputFormat::GeoJson, &InputLimits::default()),
    )
}

const ROAD: &str = r#"{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"LineString","coordinates":[[0,0],[0.001,0]]}}"#;

fn collection(features: &[&str]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

fn point_feature(properties: &str, coordinates: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{properties},"geometry":{{"type":"Point","coordinates":{coordinates}}}}}"#
    )
}

fn polygon_feature(properties: &str, coordinates: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{properties},"geometry":{{"type":"Polygon","coordinates":{coordinates}}}}}"#
    )
}

fn points(text: &str) -> lifecircle::Result<lifecircle::features::PointLayer> {
    read_points_geojson("points.geojson", text, ReadOptions::default())
}

fn csv(text: &str) -> lifecircle::Result<lifecircle::features::PointLayer> {
    read_points_csv("points.csv", text)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

// Row 1 ------------------------------------------------------------------------------------

#[test]
fn malformed_json_is_a_parse_error_with_line_and_column() {
    for text in [
        r#"{"type":"FeatureCollection","#,
        r#"{"type":"FeatureCollection","features":[}"#,
        "{\"type\":\"FeatureCollection\",\"features\":[]} trailing",
        "",
        "   \n",
    ] {
        let err = read_roads_geojson("roads.geojson", text).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.starts_with("roads.geojson: cannot read input: invalid GeoJSON")
                && message.contains("line"),
            "{message}"
        );
        assert!(matches!(points(text).unwrap_err(), Error::Parse { .. }));
        assert!(matches!(
            read_units_geojson("units.geojson", text).unwrap_err(),
            Error::Parse { .. }
        ));
    }
}

// Row 2 ------------------------------------------------------------------------------------

#[test]
fn json_that_is_not_geojson_is_a_parse_error() {
    for (text, says) in [
        ("[1, 2, 3]", "invalid GeoJSON"),
        (r#"{"name":"x"}"#, "type"),
        (
            r#"{"type":"Topology","objects":{}}"#,
            "unknown type `Topology`",
        ),
        (r#"{"type":"FeatureCollection"}"#, "without `features`"),
    ] {
        let err = read_roads_geojson("roads.geojson", text).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
        assert!(err.to_string().contains(says), "{err}");
    }
    // A member that is not a Feature, and a geometry whose coordinates do not fit its type,
    // name the feature.
    let err = points(&collection(&[
        &point_feature("{}", "[0,0]"),
        r#"{"type":"Point","coordinates":[0,0]}"#,
    ]))
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("points.geojson: feature 1: has type `Point`, expected `Feature`"),
        "{err}"
    );
    let err = points(&collection(&[&point_feature("{}", "[[0,0],[1,1]]")])).unwrap_err();
    assert!(matches!(err, Error::Feature { index: 0, .. }), "{err}");
}

// Row 3 ------------------------------------------------------------------------------------

#[test]
fn geometry_of_the_wrong_type_for_the_layer_is_skipped_and_counted() {
    // Points as roads.
    let roads = read_roads_geojson(
        "roads.geojson",
        &collection(&[ROAD, &point_feature("{}", "[0,0]")]),
    )
    .unwrap();
    assert_eq!(roads.lines.len(), 1);
    assert_eq!(
        roads.skipped.0["point geometry (Point) not used as a walkway"],
        1
    );
    // Lines as points.
    let layer = points(&collection(&[ROAD, &point_feature("{}", "[0,0]")])).unwrap();
    assert_eq!(layer.points.len(), 1);
    assert_eq!(
        layer.skipped.0["line geometry (LineString) not used as a point"],
        1
    );
    // Points as reporting units.
    let units = read_units_geojson(
        "units.geojson",
        &collection(&[&point_feature("{}", "[0,0]")]),
    )
    .unwrap();
    assert!(units.units.is_empty());
    assert_eq!(units.skipped.total(), 1);
    // Only points as roads: nothing walkable, and the network stage says so.
    let roads = read_roads_geojson(
        "roads.geojson",
        &collection(&[&point_feature("{}", "[0,0]")]),
    )
    .unwrap();
    let err = WalkNetwork::from_roads(&roads.lines, &NetworkParams::default()).unwrap_err();
    assert!(matches!(err, Error::Empty { .. }), "{err}");
}

// Row 4 ------------------------------------------------------------------------------------

#[test]
fn coordinates_out_of_range_name_feature_and_coordinate() {
    let err = points(&collection(&[
        &point_feature("{}", "[0,0]"),
        &point_feature("{}", "[200,10]"),
    ]))
    .unwrap_err();
    assert!(matches!(err, Error::Feature { index: 1, .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "points.geojson: feature 1: coordinate 0 has longitude 200 outside [-180, 180]"
    );
    let road = r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[100,0],[100,-91]]}}"#;
    let err = read_roads_geojson("roads.geojson", &collection(&[road])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "roads.geojson: feature 0: coordinate 1 has latitude -91 outside [-90, 90]"
    );
    // A position with one number.
    let err = points(&collection(&[&point_feature("{}", "[5]")])).unwrap_err();
    assert!(
        err.to_string().contains("needs longitude and latitude"),
        "{err}"
    );
    // CSV: row and line are named.
    let err = csv("id,lon,lat\na,0,0\nb,0,95\n").unwrap_err();
    assert!(
        matches!(err, Error::Feature { index: 1, .. }) && err.to_string().contains("row 2"),
        "{err}"
    );
}

// Row 5 ------------------------------------------------------------------------------------

#[test]
fn nan_and_infinite_coordinates_are_rejected() {
    // JSON has no NaN or Infinity: the parser rejects them with a position.
    for coordinates in ["[NaN, 0]", "[Infinity, 0]", "[1e999, 0]"] {
        let err = points(&collection(&[&point_feature("{}", coordinates)])).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{coordinates}: {err}");
    }
    // CSV cells parse as floats, so NaN and inf reach the coordinate check.
    for cell in ["NaN", "inf", "-infinity"] {
        let err = csv(&format!("lon,lat\n{cell},0\n")).unwrap_err();
        assert!(
            matches!(err, Error::Feature { index: 0, .. })
                && err.to_string().contains("not a finite number pair"),
            "{cell}: {err}"
        );
    }
}

// Row 6 ------------------------------------------------------------------------------------

#[test]
fn swapped_lat_lon_is_caught_when_out_of_range_and_unreachable_otherwise() {
    // Helsinki given as [lat, lon] with lon > 90 cannot happen, but Wuhan [30.6, 114.3] can:
    // latitude 114.3 is out of range and the message hints at the swap.
    let err = points(&collection(&[&point_feature("{}", "[30.6, 114.3]")])).unwrap_err();
    assert!(err.to_string().ends_with("(lon/lat swapped?)"), "{err}");
    // Helsinki [60.17, 24.94] swapped is still a valid position (in Iran): it parses, lands
    // far from a Helsinki network, and is counted as too far from the network.
    let roads = vec![common::line(&[[24.94, 60.17], [24.95, 60.17]])];
    let centers = [point("c", 24.94, 60.17, 1.0)];
    let demand = [
        point("right", 24.945, 60.1701, 2.0),
        point("swapped", 60.1701, 24.945, 3.0),
    ];
    let result = run(&roads, &centers, &demand, &CoverageParams::default());
    assert_eq!(result.demand[0].status, DemandStatus::Ok);
    assert_eq!(result.demand[1].status, DemandStatus::TooFarFromNetwork);
    let summary = summarize(&result, &centers, &demand, &[]);
    assert_eq!(summary.total_population, 5.0);
    assert_eq!(summary.too_far_from_network_population, 3.0);
}

// Row 7 ------------------------------------------------------------------------------------

#[test]
fn duplicate_ids_are_renamed_and_counted() {
    let layer = points(&collection(&[
        &point_feature(r#"{"id":"a"}"#, "[0,0]"),
        &point_feature(r#"{"id":"a"}"#, "[0,0.0001]"),
        &point_feature(r#"{"id":"a"}"#, "[0,0.0002]"),
    ]))
    .unwrap();
    let ids: Vec<_> = layer.points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["a", "a#2", "a#3"]);
    assert_eq!(
        layer.skipped.0["renamed: duplicate id (#n suffix added)"],
        2
    );
    let layer = csv("id,lon,lat\nx,0,0\nx,0,0\n").unwrap();
    assert_eq!(layer.points[1].id, "x#2");
    let square = "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]";
    let units = read_units_geojson(
        "units.geojson",
        &collection(&[
            &polygon_feature(r#"{"id":"u"}"#, square),
            &polygon_feature(r#"{"id":"u"}"#, square),
        ]),
    )
    .unwrap();
    assert_eq!(units.units[1].id, "u#2");
}

// Row 8 ------------------------------------------------------------------------------------

#[test]
fn empty_layers() {
    let empty = collection(&[]);
    // Roads: reading succeeds, the network stage refuses.
    let roads = read_roads_geojson("roads.geojson", &empty).unwrap();
    let err = WalkNetwork::from_roads(&roads.lines, &NetworkParams::default()).unwrap_err();
    assert!(
        matches!(err, Error::Empty { .. }) && err.to_string().contains("no walkable road"),
        "{err}"
    );
    // Centers: coverage refuses.
    let network = WalkNetwork::from_roads(
        &grid(3),
        &NetworkParams {
            min_component_nodes: 1,
        },
    )
    .unwrap();
    let costs = WalkCosts::flat(&network);
    let demand = [point("r", STEP, STEP, 1.0)];
    let err =
        compute_coverage(&network, &costs, &[], &demand, &CoverageParams::default()).unwrap_err();
    assert!(err.to_string().contains("no service center"), "{err}");
    // Demand: a valid run with nobody in it.
    let centers = points(&collection(&[&point_feature("{}", "[0,0]")])).unwrap();
    let no_demand = points(&empty).unwrap();
    assert!(no_demand.points.is_empty());
    let result = compute_coverage(
        &network,
        &costs,
        &centers.points,
        &no_demand.points,
        &CoverageParams::default(),
    )
    .unwrap();
    let summary = summarize(&result, &centers.points, &no_demand.points, &[]);
    assert_eq!((summary.residents, summary.total_population), (0, 0.0));
    assert_eq!(summary.coverage_ratio, 0.0);
    // Units and CSV with a header only.
    assert!(read_units_geojson("u.geojson", &empty)
        .unwrap()
        .units
        .is_empty());
    assert!(csv("lon,lat\n").unwrap().points.is_empty());
}

// Row 9 ------------------------------------------------------------------------------------

#[test]
fn truncated_or_corrupt_pbf_is_a_parse_error_never_a_panic() {
    let pbf = fixture("tiny_monaco.osm.pbf");
    let filter = TagFilter::parse("building").unwrap();
    assert!(!read_roads_osm_pbf("tiny.osm.pbf", &pbf)
        .unwrap()
        .lines
        .is_empty());
    // Every truncation: an error, or (cut at a block boundary) a shorter valid file.
    let mut errors = 0;
    for len in 0..pbf.len() {
        match read_roads_osm_pbf("tiny.osm.pbf", &pbf[..len]) {
            Ok(_) => {}
            Err(err) => {
                assert!(matches!(err, Error::Parse { .. }), "{len}: {err}");
                assert!(
                    err.to_string()
                        .starts_with("tiny.osm.pbf: cannot read input: invalid OSM PBF"),
                    "{err}"
                );
                errors += 1;
            }
        }
    }
    assert!(errors > pbf.len() / 2, "{errors}");
    // Flipped bytes: never a panic.
    for position in (0..pbf.len()).step_by(97) {
        let mut corrupt = pbf.clone();
        corrupt[position] ^= 0x5a;
        let _ = read_roads_osm_pbf("tiny.osm.pbf", &corrupt);
        let _ = read_points_osm_pbf("tiny.osm.pbf", &corrupt, &filter, &PopulationEstimate::One);
    }
    // Not a PBF at all.
    for bytes in [&b""[..], b"{\"type\":\"FeatureCollection\"}", &[0xff; 64]] {
        let err =
            read_points_osm_pbf("x.osm.pbf", bytes, &filter, &PopulationEstimate::One).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }
    // Corrupt gzip around a file.
    let compressed = gzip(&pbf);
    let err = maybe_gunzip_with_limits(
        "tiny.osm.pbf.gz",
        &compressed[..compressed.len() / 2],
        &InputLimits::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("invalid gzip data"), "{err}");
}

// Row 10 -----------------------------------------------------------------------------------

#[test]
fn csv_with_missing_or_non_numeric_columns() {
    let err = csv("name,east,north\na,1,2\n").unwrap_err();
    assert!(matches!(err, Error::Parse { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("the header has: name, east, north"),
        "{err}"
    );
    let err = csv("id,lon,lat\na,1,2\nb,east,2\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "points.csv: feature 1: row 2 (line 3) column `lon`: \"east\" is not a number"
    );
    let err = csv("id,lon,lat\na,1\n").unwrap_err();
    assert!(
        err.to_string().contains("has 2 fields, the header has 3"),
        "{err}"
    );
    let err = csv("lon,lat,population\n1,2,many\n").unwrap_err();
    assert!(err.to_string().contains("population"), "{err}");
    let err = csv("lon,lat,population\n1,2,-5\n").unwrap_err();
    assert!(err.to_string().contains("-5"), "{err}");
    // Invalid population in GeoJSON too.
    let err = points(&collection(&[&point_feature(
        r#"{"population":"NaN"}"#,
        "[0,0]",
    )]))
    .unwrap_err();
    assert!(matches!(err, Error::Feature { index: 0, .. }), "{err}");
}

// Row 11 -----------------------------------------------------------------------------------

#[test]
fn huge_property_values() {
    // A megabyte-long property is kept as given (the size limit bounds it).
    let long = "x".repeat(1 << 20);
    let layer = points(&collection(&[&point_feature(
        &format!(r#"{{"note":"{long}"}}"#),
        "[0,0]",
    )]))
    .unwrap();
    assert_eq!(
        layer.points[0].properties["note"].as_str().unwrap().len(),
        1 << 20
    );
    // Numbers beyond f64 are a parse error; absurd populations a feature error.
    let err = points(&collection(&[&point_feature(
        r#"{"population":1e999}"#,
        "[0,0]",
    )]))
    .unwrap_err();
    assert!(matches!(err, Error::Parse { .. }), "{err}");
    let err = points(&collection(&[&point_feature(
        r#"{"population":1e300}"#,
        "[0,0]",
    )]))
    .unwrap_err();
    assert!(
        matches!(err, Error::Feature { index: 0, .. }) && err.to_string().contains("1e300"),
        "{err}"
    );
    let err = csv("lon,lat,population\n1,2,1e300\n").unwrap_err();
    assert!(matches!(err, Error::Feature { index: 0, .. }), "{err}");
    // Deeply nested properties stop at the JSON recursion limit instead of the stack.
    let nested = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = points(&collection(&[&point_feature(
        &format!(r#"{{"deep":{nested}}}"#),
        "[0,0]",
    )]))
    .unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
}

// Row 12 -----------------------------------------------------------------------------------

#[test]
fn self_intersecting_and_empty_polygons() {
    // A bow tie: accepted as given (no repair); its point lies within its bounding box.
    let bow_tie = "[[[0,0],[0.001,0.001],[0.001,0],[0,0.001],[0,0]]]";
    let layer = points(&collection(&[&polygon_feature("{}", bow_tie)])).unwrap();
    assert_eq!(layer.points.len(), 1);
    let p = &layer.points[0];
    assert!((0.0..=0.001).contains(&p.lon) && (0.0..=0.001).contains(&p.lat));
    let spread = read_points_geojson(
        "points.geojson",
        &collection(&[&polygon_feature(r#"{"population":10}"#, bow_tie)]),
        ReadOptions {
            spread_spacing_m: Some(20.0),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let total: f64 = spread.points.iter().map(|p| p.population).sum();
    assert!((total - 10.0).abs() < 1e-9, "{total}");
    let units = read_units_geojson(
        "units.geojson",
        &collection(&[&polygon_feature("{}", bow_tie)]),
    )
    .unwrap();
    assert_eq!(units.units.len(), 1);
    // Empty polygons and short rings are skipped and counted.
    let layer = points(&collection(&[
        &polygon_feature("{}", "[]"),
        &polygon_feature("{}", "[[[0,0],[1,1],[0,0]]]"),
        &point_feature("{}", "[0,0]"),
    ]))
    .unwrap();
    assert_eq!(layer.points.len(), 1);
    assert_eq!(layer.skipped.0["empty polygon"], 1);
    assert_eq!(
        layer.skipped.0["polygon ring with fewer than 4 positions"],
        1
    );
    let units = read_units_geojson(
        "units.geojson",
        &collection(&[&polygon_feature("{}", "[]")]),
    )
    .unwrap();
    assert_eq!(units.skipped.0["empty polygon"], 1);
    // A ring of one repeated position has no area but still gives its one point.
    let layer = points(&collection(&[&polygon_feature(
        "{}",
        "[[[1,1],[1,1],[1,1],[1,1]]]",
    )]))
    .unwrap();
    assert_eq!(layer.points.len() + layer.skipped.dropped(), 1);
}

// Row 13 -----------------------------------------------------------------------------------

#[test]
fn network_with_no_walkable_edge() {
    let motorway = ROAD.replace("footway", "motorway");
    let degenerate = r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[0,0]]}}"#;
    let roads = read_roads_geojson("roads.geojson", &collection(&[&motorway, degenerate])).unwrap();
    assert!(roads.lines.is_empty());
    assert_eq!(roads.skipped.0["not walkable (highway=motorway)"], 1);
    assert_eq!(
        roads.skipped.0["line with fewer than 2 distinct vertices"],
        1
    );
    let err = WalkNetwork::from_roads(&roads.lines, &NetworkParams::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "roads: no walkable road line with two or more vertices"
    );
}

// Row 14 -----------------------------------------------------------------------------------

#[test]
fn centers_all_off_network_give_a_valid_zero_coverage_result() {
    let centers = [point("far1", 0.5, 0.5, 1.0), point("far2", -0.5, 0.5, 1.0)];
    let demand = [point("r1", STEP, STEP, 2.0), point("r2", 5.0, 5.0, 3.0)];
    let result = run(&grid(3), &centers, &demand, &CoverageParams::default());
    assert!(result
        .centers
        .iter()
        .all(|c| c.status == DemandStatus::TooFarFromNetwork));
    assert_eq!(result.demand[0].status, DemandStatus::NoPath);
    assert_eq!(result.demand[1].status, DemandStatus::TooFarFromNetwork);
    let summary = summarize(&result, &centers, &demand, &[]);
    assert_eq!(summary.centers_too_far_from_network, 2);
    assert_eq!(summary.coverage_ratio, 0.0);
    assert_eq!(
        summary.no_path_population + summary.too_far_from_network_population,
        5.0
    );
}

// Row 15 -----------------------------------------------------------------------------------

#[test]
fn files_too_large_for_the_limits() {
    let small = InputLimits {
        max_bytes: 100,
        ..InputLimits::default()
    };
    let text = collection(&[ROAD, ROAD]);
    let err = read_roads_geojson_with_limits("roads.geojson", &text, &small).unwrap_err();
    assert!(matches!(err, Error::TooLarge { .. }), "{err}");
    assert!(
        err.to_string().starts_with("roads.geojson: input is"),
        "{err}"
    );
    let few = InputLimits {
        max_features: 1,
        ..InputLimits::default()
    };
    let err = read_roads_geojson_with_limits("roads.geojson", &text, &few).unwrap_err();
    assert_eq!(
        err.to_string(),
        "roads.geojson: more than the limit of 1 features"
    );
    let two = collection(&[&point_feature("{}", "[0,0]"), &point_feature("{}", "[0,0]")]);
    assert!(matches!(
        read_points_geojson_with_limits("p.geojson", &two, ReadOptions::default(), &few),
        Err(Error::TooLarge { .. })
    ));
    assert!(matches!(
        read_points_csv_with_limits("p.csv", "lon,lat\n0,0\n0,0\n", &few),
        Err(Error::TooLarge { .. })
    ));
    let pbf = fixture("tiny_monaco.osm.pbf");
    assert!(matches!(
        read_roads_osm_pbf_with_limits("tiny.osm.pbf", &pbf, &few),
        Err(Error::TooLarge { .. })
    ));
    // A gzip bomb stops at the limit instead of filling memory.
    let bomb = gzip(&vec![b' '; 1 << 20]);
    let limits = InputLimits {
        max_bytes: 1000,
        ..InputLimits::default()
    };
    let err = maybe_gunzip_with_limits("bomb.geojson.gz", &bomb, &limits).unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { .. }) && err.to_string().contains("decompress"),
        "{err}"
    );
}
