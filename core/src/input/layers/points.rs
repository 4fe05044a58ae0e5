//! Points and polygons as demand, centers or candidate sites.

use super::*;

/// Why [`spread_points`] stopped: the layer's budget of spread points ran out.
const SPREAD_BUDGET: &str = "spread budget exhausted";

/// Centres of a square grid of `spacing_m` inside `area`, south to north, west to east;
/// at most `budget` of them.
fn spread_points(
    area: &geo::MultiPolygon<f64>,
    spacing_m: f64,
    budget: usize,
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
                if points.len() == budget {
                    return Err(SPREAD_BUDGET.to_string());
                }
                points.push(point);
            }
        }
    }
    Ok(points)
}

/// Reads weighted points (residents, centers, candidate sites) from raw features.
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
/// missing or null counts as 1, noted under `defaulted: no \`FIELD\` value (counted 1)`,
/// unless [`PointOptions::allow_missing_population`] is false. With
/// [`PointOptions::require_population_field`], a layer where no feature has the field is
/// an error listing the properties found.
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
/// use lifecircle::{read_points, ReadOptions};
///
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":7,"properties":{"population":"120"},
///    "geometry":{"type":"Point","coordinates":[114.3,30.6]}},
///   {"type":"Feature","properties":{"id":"b"},
///    "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}"#;
/// let layer = read_points("homes.geojson", text.as_bytes(), &ReadOptions::default()).unwrap();
/// assert_eq!(layer.points[0].id, "7");
/// assert_eq!(layer.points[0].population, 120.0);
/// assert_eq!(layer.points[1].id, "b");
/// assert_eq!(layer.points[1].population, 1.0);
/// ```
pub(crate) fn points_from_features(
    layer: &str,
    features: Vec<RawFeature>,
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
    let mut out = PointLayer::default();
    let (mut with_population, mut spread_total) = (0usize, 0usize);
    // Spreading is bounded over the whole layer, not only per polygon.
    let spread_cap = (MAX_SPREAD_POINTS_TOTAL as usize).min(limits.max_features);
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
            Shape::Polygon(rings) => {
                match area_points(layer, index, &[rings], options, (spread_total, spread_cap))? {
                    Ok(points) => points,
                    Err(reason) => {
                        out.skipped.add(reason, 1);
                        continue;
                    }
                }
            }
            Shape::MultiPolygon(polygons) => {
                let polygons: Vec<_> = polygons.iter().map(Vec::as_slice).collect();
                match area_points(layer, index, &polygons, options, (spread_total, spread_cap))? {
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
        let (population, defaulted) = feature_population(layer, index, feature, options)?;
        if defaulted && options.note_defaults {
            out.skipped.add(
                format!(
                    "defaulted: no `{}` value (counted 1)",
                    options.population_field
                ),
                1,
            );
        } else if !defaulted {
            with_population += 1;
        }
        if options.spread_spacing_m.is_some() && positions.len() > 1 {
            spread_total += positions.len();
        }
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
    if options.require_population_field && with_population == 0 && !out.points.is_empty() {
        let mut seen: Vec<&str> = features
            .iter()
            .filter_map(|f| f.properties.as_ref())
            .flat_map(|p| p.keys().map(String::as_str))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.truncate(12);
        return Err(Error::Parse {
            layer: layer.to_string(),
            reason: format!(
                "no feature has a `{}` property (the population field asked for); \
                 properties found: {}",
                options.population_field,
                if seen.is_empty() {
                    "none".to_string()
                } else {
                    seen.join(", ")
                }
            ),
        });
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
    (used, cap): (usize, usize),
) -> Result<Result<Vec<geo::Point<f64>>, &'static str>> {
    let budget = cap.saturating_sub(used);
    let area = match to_multipolygon(layer, index, polygons)? {
        Ok(area) => area,
        Err(reason) => return Ok(Err(reason)),
    };
    if let Some(spacing_m) = options.spread_spacing_m {
        let grid = spread_points(&area, spacing_m, budget).map_err(|e| {
            if e == SPREAD_BUDGET {
                feature_error(
                    layer,
                    index,
                    format!(
                        "spreading the polygons over a {spacing_m} m grid gives more than {cap} \
                         points in all; choose a wider spacing (or raise --max-features)"
                    ),
                )
            } else {
                feature_error(layer, index, e)
            }
        })?;
        if !grid.is_empty() {
            return Ok(Ok(grid));
        }
    }
    Ok(area
        .interior_point()
        .map(|point| vec![point])
        .ok_or("polygon without an interior point"))
}

/// A feature's population, and whether it was defaulted to 1 (no value).
fn feature_population(
    layer: &str,
    index: usize,
    feature: &RawFeature,
    options: &PointOptions,
) -> Result<(f64, bool)> {
    let field = &options.population_field;
    match feature.properties.as_ref().and_then(|p| p.get(field)) {
        None | Some(Value::Null) if options.allow_missing_population => Ok((1.0, true)),
        None | Some(Value::Null) => Err(feature_error(
            layer,
            index,
            format!("has no `{field}` property"),
        )),
        Some(value) => parse_population(value)
            .map(|p| (p, false))
            .map_err(|e| feature_error(layer, index, format!("`{field}`: {e}"))),
    }
}
