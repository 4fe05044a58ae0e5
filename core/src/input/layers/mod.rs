//! Raw features of any vector format into the engine's layers: walkable road lines,
//! weighted points (demand, centers, candidate sites) and reporting-unit polygons.
//!
//! Every check that names a feature and every skip count happens here, once for all
//! formats; the format readers only decode.

use std::collections::BTreeMap;

use geo::{BoundingRect, Contains, InteriorPoint};
use serde_json::Value;

use super::gzip::InputLimits;
use super::raw::{Position, RawFeature, RawGeometry, Shape};
use super::validate::{check_lon_lat, make_ids_unique, parse_population};
use super::walkable::is_walkable;
use super::{PointFeature, PointLayer, ReportingUnit, RoadLayer, RoadLine, UnitLayer};
use crate::{Error, Result};

/// Metres per degree of latitude on the sphere of the coverage contract (`docs/coverage-contract.md`) (radius 6,371,008.8 m).
const M_PER_DEG_LAT: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// Most grid points one polygon may be spread over; protects against a tiny spacing.
const MAX_SPREAD_POINTS_PER_FEATURE: f64 = 1_000_000.0;

/// Most points spreading may give over a whole layer: bounds memory however many
/// polygons there are (each point keeps its feature's properties).
const MAX_SPREAD_POINTS_TOTAL: f64 = 5_000_000.0;

/// How [`read_points_geojson`] turns features into weighted points.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PointOptions {
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

fn feature_error(layer: &str, index: usize, reason: impl Into<String>) -> Error {
    Error::Feature {
        layer: layer.to_string(),
        index,
        reason: reason.into(),
    }
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

pub(crate) use points::points_from_features;
pub(crate) use roads::roads_from_features;
pub(crate) use units::units_from_features;

#[cfg(test)]
mod tests;
