//! GeoJSON into raw features: FeatureCollections, single Features, bare geometries,
//! text sequences (RFC 8142, newline-delimited) and array-wrapped collections.
//!
//! Measured against the `geojson` crate 1.0 (`benches/README.md`, "GeoJSON reader:
//! hand-written vs the geojson crate"): its model plus the same conversion takes 1.01–1.11×
//! this reader's time on the bundled street files, its `FeatureReader` 0.97–1.17×. The
//! hand-written model in `input/raw.rs` stays for what the crate does not give: errors that
//! name the feature and the coordinate (the bad-input catalogue's contract), text
//! sequences, array-wrapped collections and a `bbox` before `features` (which
//! `FeatureReader` cannot read); the crate serves at the output boundary
//! (`output::feature_collection`).

use super::gzip::InputLimits;
use super::raw::{Document, FeatureTable, RawFeature};
use crate::{Error, Result};

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
pub(crate) fn parse_features(
    layer: &str,
    text: &str,
    limits: &InputLimits,
) -> Result<FeatureTable> {
    limits.check_bytes(layer, text.len())?;
    // A BOM is not valid JSON but editors on Windows write one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_sequence(text) {
        return Ok(FeatureTable::new(parse_sequence(layer, text, limits)?));
    }
    if text.trim_start().starts_with('[') {
        let features = parse_array(layer, text)?;
        limits.check_features(layer, features.len())?;
        return Ok(FeatureTable::new(features));
    }
    let document: Document = serde_json::from_str(text).map_err(|e| parse_error(layer, e))?;
    let declared_crs = legacy_crs_name(layer, document.crs.as_ref())?;
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
    Ok(FeatureTable {
        features,
        declared_crs,
    })
}

/// The coordinate system named by the legacy `crs` member (GeoJSON 2008), e.g.
/// `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32650"}}`. RFC 7946
/// dropped the member (coordinates are WGS84), but GIS tools still write it.
fn legacy_crs_name(layer: &str, crs: Option<&serde_json::Value>) -> Result<Option<String>> {
    let Some(crs) = crs.filter(|c| !c.is_null()) else {
        return Ok(None);
    };
    let name = crs
        .get("properties")
        .and_then(|p| p.get("name"))
        .and_then(serde_json::Value::as_str);
    match (crs.get("type").and_then(serde_json::Value::as_str), name) {
        (Some("name"), Some(name)) => Ok(Some(name.to_string())),
        _ => Err(parse_error(
            layer,
            format!(
                "the `crs` member {crs} is not of the form {{\"type\": \"name\", \"properties\": {{\"name\": \"EPSG:…\"}}}}; \
                 remove it if the coordinates are WGS84 longitude/latitude"
            ),
        )),
    }
}

/// Test shorthands: GeoJSON text straight into layers, within the default limits.
#[cfg(test)]
pub(crate) fn read_roads_geojson(layer: &str, text: &str) -> Result<crate::features::RoadLayer> {
    let limits = InputLimits::default();
    super::layers::roads_from_features(
        layer,
        parse_features(layer, text, &limits)?.features,
        &limits,
    )
}

#[cfg(test)]
pub(crate) fn read_points_geojson(
    layer: &str,
    text: &str,
    options: &super::layers::PointOptions,
) -> Result<crate::features::PointLayer> {
    let limits = InputLimits::default();
    super::layers::points_from_features(
        layer,
        parse_features(layer, text, &limits)?.features,
        options,
        &limits,
    )
}

#[cfg(test)]
pub(crate) fn read_units_geojson(layer: &str, text: &str) -> Result<crate::features::UnitLayer> {
    let limits = InputLimits::default();
    super::layers::units_from_features(layer, parse_features(layer, text, &limits)?.features)
}
