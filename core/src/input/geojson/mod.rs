//! GeoJSON readers: road lines, demand/center points and reporting-unit polygons.
//!
//! Measured against the `geojson` crate 1.0 (`benches/README.md`, "GeoJSON reader:
//! hand-written vs the geojson crate"): its model plus the same conversion takes 1.01–1.11×
//! this reader's time on the bundled street files, its `FeatureReader` 0.97–1.17×. The
//! hand-written model in `raw.rs` stays for what the crate does not give: errors that name
//! the feature and the coordinate (the bad-input catalogue's contract), text sequences,
//! array-wrapped collections and a `bbox` before `features` (which `FeatureReader` cannot
//! read); the crate serves at the output boundary (`output::feature_collection`).

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

/// Metres per degree of latitude on the sphere of the coverage contract (`docs/coverage-contract.md`) (radius 6,371,008.8 m).
const M_PER_DEG_LAT: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// Most grid points one polygon may be spread over; protects against a tiny spacing.
const MAX_SPREAD_POINTS_PER_FEATURE: f64 = 1_000_000.0;

/// Most points spreading may give over a whole layer: bounds memory however many
/// polygons there are (each point keeps its feature's properties).
const MAX_SPREAD_POINTS_TOTAL: f64 = 5_000_000.0;

/// How [`read_points_geojson`] turns features into weighted points.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PointOptions {
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
    /// The field was named by the user: a layer where no feature has it is an error
    /// (a misspelt field name must not silently make everyone 1).
    pub require_population_field: bool,
    /// Note each population defaulted to 1 (off for places: centers, candidate sites).
    pub note_defaults: bool,
}

impl Default for PointOptions {
    fn default() -> Self {
        Self {
            population_field: "population".to_string(),
            id_field: "id".to_string(),
            spread_spacing_m: None,
            allow_missing_population: true,
            require_population_field: false,
            note_defaults: true,
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

/// The record separator that starts every text of a GeoJSON text sequence (RFC 8142).
const RECORD_SEPARATOR: char = '\u{1e}';

/// Whether `text` is a sequence of GeoJSON texts rather than one document: records
/// starting with the RFC 8142 separator, or one Feature per line (newline-delimited
/// GeoJSON, `.geojsonl`, `.ndjson`).
fn is_sequence(text: &str) -> bool {
    let text = text.trim_start_matches(|c: char| c.is_ascii_whitespace());
    if text.starts_with(RECORD_SEPARATOR) {
        return true;
    }
    let Some((first, rest)) = text.split_once('\n') else {
        return false;
    };
    rest.trim_start().starts_with('{')
        && serde_json::from_str::<Document>(first.trim_end()).is_ok_and(|d| d.kind == "Feature")
}

/// Reads a GeoJSON text sequence: each record (RFC 8142) or non-blank line is a Feature.
/// Errors name the record and its line.
fn parse_sequence(layer: &str, text: &str, limits: &InputLimits) -> Result<Vec<RawFeature>> {
    let mut features = Vec::new();
    let mut line = 1;
    let records: Box<dyn Iterator<Item = &str>> = if text.trim_start().starts_with(RECORD_SEPARATOR)
    {
        Box::new(text.split(RECORD_SEPARATOR))
    } else {
        Box::new(text.split_inclusive('\n'))
    };
    for record in records {
        let at = line;
        line += record.matches('\n').count();
        if record.trim().is_empty() {
            continue;
        }
        let feature: RawFeature = serde_json::from_str(record).map_err(|e| {
            parse_error(
                layer,
                format!(
                    "text sequence record {} (line {at}): {e}",
                    features.len() + 1
                ),
            )
        })?;
        features.push(feature);
        limits.check_features(layer, features.len())?;
    }
    Ok(features)
}

/// Reads a top-level JSON array: of Features, or of FeatureCollections (some tools wrap
/// their output in one).
fn parse_array(layer: &str, text: &str) -> Result<Vec<RawFeature>> {
    let items: Vec<Document> = serde_json::from_str(text).map_err(|e| parse_error(layer, e))?;
    if items.iter().all(|d| d.kind == "FeatureCollection") {
        let mut features = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            features.extend(item.features.ok_or_else(|| {
                parse_error(
                    layer,
                    format!("FeatureCollection {i} of the array without `features`"),
                )
            })?);
        }
        return Ok(features);
    }
    if let Some((i, other)) = items.iter().enumerate().find(|(_, d)| d.kind != "Feature") {
        return Err(parse_error(
            layer,
            format!(
                "a JSON array must hold Features or FeatureCollections; item {i} is a `{}`",
                other.kind
            ),
        ));
    }
    serde_json::from_str(text).map_err(|e| parse_error(layer, e))
}

/// Parses a FeatureCollection, a single Feature, a bare geometry, a GeoJSON text
/// sequence or an array of Features into a feature list.
fn parse_features(layer: &str, text: &str, limits: &InputLimits) -> Result<Vec<RawFeature>> {
    limits.check_bytes(layer, text.len())?;
    // A BOM is not valid JSON but editors on Windows write one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_sequence(text) {
        return parse_sequence(layer, text, limits);
    }
    if text.trim_start().starts_with('[') {
        let features = parse_array(layer, text)?;
        limits.check_features(layer, features.len())?;
        return Ok(features);
    }
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

mod points;
mod roads;
mod units;

#[cfg(test)]
pub(crate) use points::read_points_geojson;
pub(crate) use points::read_points_geojson_with_limits;
#[cfg(test)]
pub(crate) use roads::read_roads_geojson;
pub(crate) use roads::read_roads_geojson_with_limits;
#[cfg(test)]
pub(crate) use units::read_units_geojson;
pub(crate) use units::read_units_geojson_with_limits;

#[cfg(test)]
mod tests;
