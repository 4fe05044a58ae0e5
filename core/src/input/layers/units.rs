//! Polygons as reporting units.

use super::*;

/// Reads reporting units (communities, sub-districts, grid cells) from raw features.
///
/// Polygon and MultiPolygon features become units; the id is the `id` property, else the
/// GeoJSON feature id, else the feature index, and the name the `name` property. Repeated
/// ids get `#2`, `#3`, ... suffixes as in [`points_from_features`]. Skipped and counted:
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
/// let units = lifecircle::read_units("units.geojson", text.as_bytes(), &Default::default()).unwrap();
/// assert_eq!(units.units[0].name.as_deref(), Some("North"));
/// ```
pub(crate) fn units_from_features(layer: &str, features: Vec<RawFeature>) -> Result<UnitLayer> {
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
