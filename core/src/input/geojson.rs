//! GeoJSON readers: road lines, demand/center points and reporting-unit polygons.

use std::collections::BTreeMap;

use geo::{BoundingRect, Contains, InteriorPoint};
use serde_json::Value;

use self::raw::{Document, Position, RawFeature, RawGeometry, Shape};

use super::gzip::InputLimits;
use super::validate::{check_lon_lat, make_ids_unique, parse_population};
use super::walkable::is_walkable;
use super::{PointFeature, PointLayer, ReportingUnit, RoadLayer, RoadLine, UnitLayer};
use crate::{Error, Result};

mod raw;

/// Metres per degree of latitude on the sphere of design §3 (radius 6,371,008.8 m).
const M_PER_DEG_LAT: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// Most grid points one polygon may be spread over; protects against a tiny spacing.
const MAX_SPREAD_POINTS_PER_FEATURE: f64 = 1_000_000.0;

/// How [`read_points_geojson`] turns features into weighted points.
#[derive(Debug, Clone, PartialEq)]
pub struct PointOptions {
    /// Property holding the population (default `"population"`).
    pub population_field: String,
    /// Property holding the identifier (default `"id"`).
    pub id_field: String,
    /// Spread a polygon's population evenly over the centres of a square grid with this
    /// spacing in metres that fall inside it. `None` (default): one interior point.
    pub spread_spacing_m: Option<f64>,
    /// A feature without population counts as 1 person (default `true`); `false` makes it
    /// an error.
    pub allow_missing_population: bool,
}

impl Default for PointOptions {
    fn default() -> Self {
        Self {
            population_field: "population".to_string(),
            id_field: "id".to_string(),
            spread_spacing_m: None,
            allow_missing_population: true,
        }
    }
}

fn parse_error(layer: &str, reason: impl std::fmt::Display) -> Error {
    Error::Parse {
        layer: layer.to_string(),
        reason: format!("invalid GeoJSON: {reason}"),
    }
}

fn feature_error(layer: &str, index: usize, reason: impl Into<String>) -> Error {
    Error::Feature {
        layer: layer.to_string(),
        index,
        reason: reason.into(),
    }
}

/// Parses a FeatureCollection, a single Feature or a bare geometry into a feature list.
fn parse_features(layer: &str, text: &str, limits: &InputLimits) -> Result<Vec<RawFeature>> {
    limits.check_bytes(layer, text.len())?;
    // A BOM is not valid JSON but editors on Windows write one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let document: Document = serde_json::from_str(text).map_err(|e| parse_error(layer, e))?;
    let features = match document.kind.as_str() {
        "FeatureCollection" => document
            .features
            .ok_or_else(|| parse_error(layer, "FeatureCollection without `features`"))?,
        "Feature" => vec![serde_json::from_str(text).map_err(|e| parse_error(layer, e))?],
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon"
        | "GeometryCollection" => vec![RawFeature {
            kind: None,
            geometry: Some(serde_json::from_str(text).map_err(|e| parse_error(layer, e))?),
            properties: None,
            id: None,
        }],
        other => return Err(parse_error(layer, format!("unknown type `{other}`"))),
    };
    limits.check_features(layer, features.len())?;
    for (index, feature) in features.iter().enumerate() {
        if let Some(kind) = feature.kind.as_deref().filter(|k| *k != "Feature") {
            return Err(feature_error(
                layer,
                index,
                format!("has type `{kind}`, expected `Feature`"),
            ));
        }
    }
    Ok(features)
}

/// Renders a property value as a tag string; `None` for null (dropped).
fn value_to_tag(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

fn properties_to_tags(
    properties: Option<serde_json::Map<String, Value>>,
) -> BTreeMap<String, String> {
    properties
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| match value {
            Value::String(s) => Some((key, s)),
            other => Some((key, value_to_tag(&other)?)),
        })
        .collect()
}

/// A skip reason for a geometry type a reader does not use, from a fixed set of phrases.
fn unused_geometry_reason(shape: &Shape<'_>, used_as: &str) -> String {
    let kind = match shape {
        Shape::Point(_) | Shape::MultiPoint(_) => "point geometry",
        Shape::LineString(_) | Shape::MultiLineString(_) => "line geometry",
        Shape::Polygon(_) | Shape::MultiPolygon(_) => "area geometry",
        Shape::GeometryCollection => "geometry collection",
    };
    format!("{kind} ({}) not used as {used_as}", shape.type_name())
}

/// The shape of a feature's geometry; a type/coordinates mismatch is a feature error.
fn feature_shape<'a>(layer: &str, index: usize, geometry: &'a RawGeometry) -> Result<Shape<'a>> {
    geometry
        .shape()
        .map_err(|reason| feature_error(layer, index, reason))
}

/// Validates one position and returns `[lon, lat]` plus its z when present.
fn checked_position(
    layer: &str,
    index: usize,
    where_: &dyn Fn() -> String,
    position: &Position,
) -> Result<([f64; 2], Option<f64>)> {
    if position.len < 2 {
        return Err(feature_error(
            layer,
            index,
            format!(
                "{} has {} number(s), needs longitude and latitude",
                where_(),
                position.len
            ),
        ));
    }
    let [lon, lat, z] = position.values;
    check_lon_lat(lon, lat)
        .map_err(|e| feature_error(layer, index, format!("{} {e}", where_())))?;
    Ok(([lon, lat], (position.len >= 3).then_some(z)))
}

fn coordinate_label(part: Option<usize>, coordinate: usize) -> String {
    match part {
        Some(part) => format!("part {part} coordinate {coordinate}"),
        None => format!("coordinate {coordinate}"),
    }
}

/// Reads walkable road lines from GeoJSON text.
///
/// Accepts a FeatureCollection, a single Feature or a bare geometry. LineString features give
/// one [`RoadLine`], MultiLineString features one per part (all with the feature's
/// `source_index`). Properties become `tags` (strings as-is, numbers and booleans as text,
/// arrays and objects as JSON text, nulls dropped) and [`is_walkable`] filters them; lines
/// without a `highway` property are user footpaths and kept.
///
/// Consecutive duplicate vertices are removed. A third coordinate is an elevation: when every
/// vertex of a line has one they go to `elevations_m`, otherwise none is kept and this is
/// counted under `"elevations dropped (z on some vertices only)"`.
///
/// Skipped (counted in [`RoadLayer::skipped`]): non-walkable lines, features without
/// geometry, point and area geometries, lines with fewer than 2 distinct vertices.
/// A file with no walkable line is not an error here; the network stage reports it.
///
/// Uses the default [`InputLimits`]; see [`read_roads_geojson_with_limits`].
///
/// # Errors
/// [`Error::Parse`] for malformed JSON (with line and column) or JSON that is not GeoJSON;
/// [`Error::Feature`] for a coordinate that is not finite or out of range, naming the feature
/// index and the coordinate; [`Error::TooLarge`] past the limits.
///
/// ```
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","properties":{"highway":"footway","width":2},
///    "geometry":{"type":"LineString","coordinates":[[24.94,60.17],[24.95,60.17]]}},
///   {"type":"Feature","properties":{"highway":"motorway"},
///    "geometry":{"type":"LineString","coordinates":[[24.94,60.16],[24.95,60.16]]}}]}"#;
/// let roads = lifecircle::input::read_roads_geojson("roads.geojson", text).unwrap();
/// assert_eq!(roads.lines.len(), 1);
/// assert_eq!(roads.lines[0].tags["width"], "2");
/// assert_eq!(roads.skipped.0["not walkable (highway=motorway)"], 1);
///
/// let err = lifecircle::input::read_roads_geojson("roads.geojson", "{\"type\":").unwrap_err();
/// assert!(err.to_string().starts_with("roads.geojson: cannot read input: invalid GeoJSON"));
/// ```
pub fn read_roads_geojson(layer: &str, text: &str) -> Result<RoadLayer> {
    read_roads_geojson_with_limits(layer, text, &InputLimits::default())
}

/// [`read_roads_geojson`] with explicit limits.
///
/// # Errors
/// As [`read_roads_geojson`].
pub fn read_roads_geojson_with_limits(
    layer: &str,
    text: &str,
    limits: &InputLimits,
) -> Result<RoadLayer> {
    let features = parse_features(layer, text, limits)?;
    let mut roads = RoadLayer::default();
    for (index, feature) in features.into_iter().enumerate() {
        let Some(geometry) = &feature.geometry else {
            roads.skipped.add("no geometry", 1);
            continue;
        };
        let parts: Vec<&[Position]> = match feature_shape(layer, index, geometry)? {
            Shape::LineString(line) => vec![line],
            Shape::MultiLineString(lines) => lines.iter().map(Vec::as_slice).collect(),
            other => {
                roads
                    .skipped
                    .add(unused_geometry_reason(&other, "a walkway"), 1);
                continue;
            }
        };
        let mut tags = properties_to_tags(feature.properties);
        if let Err(reason) = is_walkable(&tags) {
            roads.skipped.add(reason, 1);
            continue;
        }
        let multi = parts.len() > 1;
        let mut pieces = Vec::with_capacity(parts.len());
        for (part_index, positions) in parts.into_iter().enumerate() {
            let part = multi.then_some(part_index);
            if let Some(piece) = line_geometry(layer, index, part, positions, &mut roads)? {
                pieces.push(piece);
            }
        }
        let last = pieces.len().saturating_sub(1);
        for (k, (coords, elevations_m)) in pieces.into_iter().enumerate() {
            roads.lines.push(RoadLine {
                coords,
                elevations_m,
                osm_node_ids: None,
                // Every part carries the tags; the last one takes them without a copy.
                tags: if k == last {
                    std::mem::take(&mut tags)
                } else {
                    tags.clone()
                },
                source_index: index,
            });
        }
        limits.check_features(layer, roads.lines.len())?;
    }
    Ok(roads)
}

/// Vertices `[lon, lat]` of one line and their elevations when all have one.
type LineGeometry = (Vec<[f64; 2]>, Option<Vec<f64>>);

/// Vertices and elevations of one line, or `None` (counted) when it is degenerate.
fn line_geometry(
    layer: &str,
    index: usize,
    part: Option<usize>,
    positions: &[Position],
    roads: &mut RoadLayer,
) -> Result<Option<LineGeometry>> {
    let mut coords: Vec<[f64; 2]> = Vec::with_capacity(positions.len());
    // Grows only when the input has z values.
    let mut elevations_m: Vec<f64> = Vec::new();
    let mut z_count = 0;
    for (i, position) in positions.iter().enumerate() {
        let (lon_lat, z) = checked_position(layer, index, &|| coordinate_label(part, i), position)?;
        z_count += usize::from(z.is_some());
        if coords.last() == Some(&lon_lat) {
            continue;
        }
        coords.push(lon_lat);
        if let Some(z) = z {
            elevations_m.push(z);
        }
    }
    if coords.len() < 2 {
        roads
            .skipped
            .add("line with fewer than 2 distinct vertices", 1);
        return Ok(None);
    }
    let elevations_m = if z_count == positions.len() {
        Some(elevations_m)
    } else {
        if z_count > 0 {
            roads
                .skipped
                .add("elevations dropped (z on some vertices only)", 1);
        }
        None
    };
    Ok(Some((coords, elevations_m)))
}

/// The identifier of a feature: `id_field` property, else the GeoJSON id, else the index.
fn feature_id(feature: &RawFeature, id_field: &str, index: usize) -> String {
    let from_property = feature
        .properties
        .as_ref()
        .and_then(|p| p.get(id_field))
        .and_then(value_to_tag);
    from_property
        .or_else(|| feature.id.as_ref().and_then(value_to_tag))
        .unwrap_or_else(|| index.to_string())
}

/// Converts GeoJSON polygon coordinates into a validated multipolygon.
///
/// The outer `Result` is a hard error (bad coordinate); the inner one a skip reason.
fn to_multipolygon(
    layer: &str,
    index: usize,
    polygons: &[&[Vec<Position>]],
) -> Result<Result<geo::MultiPolygon<f64>, &'static str>> {
    let multi = polygons.len() > 1;
    let mut result = Vec::with_capacity(polygons.len());
    for (polygon_index, rings) in polygons.iter().enumerate() {
        if rings.is_empty() {
            return Ok(Err("empty polygon"));
        }
        let mut geo_rings = Vec::with_capacity(rings.len());
        for (ring_index, ring) in rings.iter().enumerate() {
            if ring.len() < 4 {
                return Ok(Err("polygon ring with fewer than 4 positions"));
            }
            let mut coords = Vec::with_capacity(ring.len());
            for (i, position) in ring.iter().enumerate() {
                let label = || {
                    let ring = format!("ring {ring_index} coordinate {i}");
                    if multi {
                        format!("polygon {polygon_index} {ring}")
                    } else {
                        ring
                    }
                };
                let ([lon, lat], _) = checked_position(layer, index, &label, position)?;
                coords.push(geo::coord! { x: lon, y: lat });
            }
            geo_rings.push(geo::LineString::new(coords));
        }
        let exterior = geo_rings.remove(0);
        result.push(geo::Polygon::new(exterior, geo_rings));
    }
    Ok(Ok(geo::MultiPolygon::new(result)))
}

/// Centres of a square grid of `spacing_m` inside `area`, south to north, west to east.
fn spread_points(
    area: &geo::MultiPolygon<f64>,
    spacing_m: f64,
) -> Result<Vec<geo::Point<f64>>, String> {
    let Some(bounds) = area.bounding_rect() else {
        return Ok(Vec::new());
    };
    let mid_lat = bounds.center().y.to_radians();
    // An equirectangular frame is linear in lon/lat, so a metric grid is a degree grid.
    let step_lat = spacing_m / M_PER_DEG_LAT;
    let step_lon = spacing_m / (M_PER_DEG_LAT * mid_lat.cos().max(1e-6));
    let columns = (bounds.width() / step_lon).ceil().max(1.0);
    let rows = (bounds.height() / step_lat).ceil().max(1.0);
    if columns * rows > MAX_SPREAD_POINTS_PER_FEATURE {
        return Err(format!(
            "spreading over a {spacing_m} m grid would test {} grid points (limit {})",
            columns * rows,
            MAX_SPREAD_POINTS_PER_FEATURE
        ));
    }
    let (columns, rows) = (columns as usize, rows as usize);
    let mut points = Vec::new();
    for row in 0..rows {
        let lat = bounds.min().y + (row as f64 + 0.5) * step_lat;
        for column in 0..columns {
            let lon = bounds.min().x + (column as f64 + 0.5) * step_lon;
            let point = geo::Point::new(lon, lat);
            if area.contains(&point) {
                points.push(point);
            }
        }
    }
    Ok(points)
}

/// Reads weighted points (residents, centers, candidate sites) from GeoJSON text.
///
/// - **Point**: one point.
/// - **MultiPoint**: one point per position, each with the feature's population divided by
///   the number of positions.
/// - **Polygon / MultiPolygon**: one point guaranteed inside the area ([`geo::InteriorPoint`]),
///   or with [`PointOptions::spread_spacing_m`] the centres of a square grid (in a local
///   equirectangular metric frame) that fall inside, in rows from south to north and west to
///   east, sharing the population evenly; when no centre falls inside, the interior point.
/// - Lines, geometry collections and null geometries are skipped and counted.
///
/// Population comes from [`PointOptions::population_field`] (number or numeric string);
/// missing or null counts as 1 unless [`PointOptions::allow_missing_population`] is false.
/// The id is the [`PointOptions::id_field`] property, else the GeoJSON feature id, else the
/// feature index. A feature that gives several points numbers them `id/1`, `id/2`, ...
/// Repeated ids are made unique by appending `#2`, `#3`, ... in input order, and each rename
/// is counted in `skipped` under a key starting with `renamed:` (the point itself is kept).
/// Every point keeps all properties of its feature.
///
/// # Errors
/// [`Error::Parse`] for malformed JSON or non-GeoJSON; [`Error::Feature`] for an invalid
/// coordinate or population (negative, not a number, or missing when not allowed), or a
/// spread spacing that would create more than a million grid points in one polygon;
/// [`Error::InvalidParameter`] for a spacing that is not positive; [`Error::TooLarge`].
///
/// ```
/// use lifecircle::input::{read_points_geojson, PointOptions};
///
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":7,"properties":{"population":"120"},
///    "geometry":{"type":"Point","coordinates":[114.3,30.6]}},
///   {"type":"Feature","properties":{"id":"b"},
///    "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}"#;
/// let layer = read_points_geojson("homes.geojson", text, &PointOptions::default()).unwrap();
/// assert_eq!(layer.points[0].id, "7");
/// assert_eq!(layer.points[0].population, 120.0);
/// assert_eq!(layer.points[1].id, "b");
/// assert_eq!(layer.points[1].population, 1.0);
/// ```
pub fn read_points_geojson(layer: &str, text: &str, options: &PointOptions) -> Result<PointLayer> {
    read_points_geojson_with_limits(layer, text, options, &InputLimits::default())
}

/// [`read_points_geojson`] with explicit limits.
///
/// # Errors
/// As [`read_points_geojson`].
pub fn read_points_geojson_with_limits(
    layer: &str,
    text: &str,
    options: &PointOptions,
    limits: &InputLimits,
) -> Result<PointLayer> {
    if let Some(spacing_m) = options.spread_spacing_m {
        if !(spacing_m.is_finite() && spacing_m > 0.0) {
            return Err(Error::InvalidParameter {
                name: "spread_spacing_m".to_string(),
                reason: format!("must be a positive number of metres, got {spacing_m}"),
            });
        }
    }
    let features = parse_features(layer, text, limits)?;
    let mut out = PointLayer::default();
    for (index, feature) in features.iter().enumerate() {
        let Some(geometry) = &feature.geometry else {
            out.skipped.add("no geometry", 1);
            continue;
        };
        let positions: Vec<geo::Point<f64>> = match feature_shape(layer, index, geometry)? {
            Shape::Point(position) => {
                let ([lon, lat], _) =
                    checked_position(layer, index, &|| "coordinate 0".to_string(), position)?;
                vec![geo::Point::new(lon, lat)]
            }
            Shape::MultiPoint(coordinates) => {
                let mut points = Vec::with_capacity(coordinates.len());
                for (i, position) in coordinates.iter().enumerate() {
                    let label = || format!("coordinate {i}");
                    let ([lon, lat], _) = checked_position(layer, index, &label, position)?;
                    points.push(geo::Point::new(lon, lat));
                }
                points
            }
            Shape::Polygon(rings) => match area_points(layer, index, &[rings], options)? {
                Ok(points) => points,
                Err(reason) => {
                    out.skipped.add(reason, 1);
                    continue;
                }
            },
            Shape::MultiPolygon(polygons) => {
                let polygons: Vec<_> = polygons.iter().map(Vec::as_slice).collect();
                match area_points(layer, index, &polygons, options)? {
                    Ok(points) => points,
                    Err(reason) => {
                        out.skipped.add(reason, 1);
                        continue;
                    }
                }
            }
            other => {
                out.skipped
                    .add(unused_geometry_reason(&other, "a point"), 1);
                continue;
            }
        };
        if positions.is_empty() {
            out.skipped.add("empty MultiPoint", 1);
            continue;
        }
        let population = feature_population(layer, index, feature, options)?;
        let id = feature_id(feature, &options.id_field, index);
        let properties = feature.properties.clone().unwrap_or_default();
        let share = population / positions.len() as f64;
        let several = positions.len() > 1;
        for (k, point) in positions.iter().enumerate() {
            out.points.push(PointFeature {
                id: if several {
                    format!("{id}/{}", k + 1)
                } else {
                    id.clone()
                },
                lon: point.x(),
                lat: point.y(),
                population: share,
                properties: properties.clone(),
                source_index: index,
            });
        }
        limits.check_features(layer, out.points.len())?;
    }
    make_ids_unique(out.points.iter_mut().map(|p| &mut p.id), &mut out.skipped);
    Ok(out)
}

/// The points standing for an area: interior point or spread grid; `Err` is a skip reason.
fn area_points(
    layer: &str,
    index: usize,
    polygons: &[&[Vec<Position>]],
    options: &PointOptions,
) -> Result<Result<Vec<geo::Point<f64>>, &'static str>> {
    let area = match to_multipolygon(layer, index, polygons)? {
        Ok(area) => area,
        Err(reason) => return Ok(Err(reason)),
    };
    if let Some(spacing_m) = options.spread_spacing_m {
        let grid = spread_points(&area, spacing_m).map_err(|e| feature_error(layer, index, e))?;
        if !grid.is_empty() {
            return Ok(Ok(grid));
        }
    }
    Ok(area
        .interior_point()
        .map(|point| vec![point])
        .ok_or("polygon without an interior point"))
}

fn feature_population(
    layer: &str,
    index: usize,
    feature: &RawFeature,
    options: &PointOptions,
) -> Result<f64> {
    let field = &options.population_field;
    match feature.properties.as_ref().and_then(|p| p.get(field)) {
        None | Some(Value::Null) if options.allow_missing_population => Ok(1.0),
        None | Some(Value::Null) => Err(feature_error(
            layer,
            index,
            format!("has no `{field}` property"),
        )),
        Some(value) => parse_population(value)
            .map_err(|e| feature_error(layer, index, format!("`{field}`: {e}"))),
    }
}

/// Reads reporting units (communities, sub-districts, grid cells) from GeoJSON text.
///
/// Polygon and MultiPolygon features become units; the id is the `id` property, else the
/// GeoJSON feature id, else the feature index, and the name the `name` property. Repeated
/// ids get `#2`, `#3`, ... suffixes as in [`read_points_geojson`]. Skipped and counted:
/// other geometry types, null geometries, empty polygons and rings with fewer than 4
/// positions.
///
/// # Errors
/// [`Error::Parse`] for malformed JSON or non-GeoJSON; [`Error::Feature`] for an invalid
/// coordinate; [`Error::TooLarge`].
///
/// ```
/// let text = r#"{"type":"Feature","properties":{"id":"c1","name":"North"},
///   "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}"#;
/// let units = lifecircle::input::read_units_geojson("units.geojson", text).unwrap();
/// assert_eq!(units.units[0].name.as_deref(), Some("North"));
/// ```
pub fn read_units_geojson(layer: &str, text: &str) -> Result<UnitLayer> {
    read_units_geojson_with_limits(layer, text, &InputLimits::default())
}

/// [`read_units_geojson`] with explicit limits.
///
/// # Errors
/// As [`read_units_geojson`].
pub fn read_units_geojson_with_limits(
    layer: &str,
    text: &str,
    limits: &InputLimits,
) -> Result<UnitLayer> {
    let features = parse_features(layer, text, limits)?;
    let mut out = UnitLayer::default();
    for (index, feature) in features.iter().enumerate() {
        let Some(geometry) = &feature.geometry else {
            out.skipped.add("no geometry", 1);
            continue;
        };
        let polygons: Vec<&[Vec<Position>]> = match feature_shape(layer, index, geometry)? {
            Shape::Polygon(rings) => vec![rings],
            Shape::MultiPolygon(polygons) => polygons.iter().map(Vec::as_slice).collect(),
            other => {
                out.skipped
                    .add(unused_geometry_reason(&other, "a reporting unit"), 1);
                continue;
            }
        };
        if polygons.is_empty() {
            out.skipped.add("empty polygon", 1);
            continue;
        }
        let geometry = match to_multipolygon(layer, index, &polygons)? {
            Ok(geometry) => geometry,
            Err(reason) => {
                out.skipped.add(reason, 1);
                continue;
            }
        };
        let name = feature
            .properties
            .as_ref()
            .and_then(|p| p.get("name"))
            .and_then(value_to_tag);
        out.units.push(ReportingUnit {
            id: feature_id(feature, "id", index),
            name,
            geometry,
        });
    }
    make_ids_unique(out.units.iter_mut().map(|u| &mut u.id), &mut out.skipped);
    Ok(out)
}

#[cfg(test)]
mod tests;
