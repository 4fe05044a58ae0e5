//! Road lines.

use super::*;

/// Reads walkable road lines from raw features.
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
/// Uses the default [`InputLimits`]; see [`roads_from_features`].
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
/// let roads = lifecircle::read_roads("roads.geojson", text.as_bytes(), &Default::default()).unwrap();
/// assert_eq!(roads.lines.len(), 1);
/// assert_eq!(roads.lines[0].tags["width"], "2");
/// assert_eq!(roads.skipped.0["not walkable (highway=motorway)"], 1);
///
/// let err = lifecircle::read_roads("roads.geojson", b"{\"type\":", &Default::default()).unwrap_err();
/// assert!(err.to_string().starts_with("roads.geojson: cannot read input: invalid GeoJSON"));
/// ```
pub(crate) fn roads_from_features(
    layer: &str,
    features: Vec<RawFeature>,
    limits: &InputLimits,
) -> Result<RoadLayer> {
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
