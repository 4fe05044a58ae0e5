//! Raster cells into weighted demand points.

use super::{Cell, RasterCells};
use crate::features::{PointFeature, PointLayer};
use crate::{Error, Result};

/// Metres per degree of latitude on the engine's sphere (`crate::geodesy::EARTH_RADIUS_M`).
const M_PER_DEG_LAT: f64 = crate::geodesy::EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// Most points per cell side when spreading (32 × 32 = 1,024 per cell): a tiny spacing
/// over coarse cells must not explode memory.
pub const MAX_SPREAD_PER_AXIS: usize = 32;

/// Most points one call may make when spreading.
pub const MAX_SPREAD_POINTS: usize = 5_000_000;

/// Skip-count key of nodata cells: no feature, so a note, never a dropped feature
/// ([`crate::features::SkipCounts::is_note`]).
pub(crate) const NODATA_NOTE: &str = "no feature: raster nodata cells";
/// Skip-count key of cells holding 0 people.
pub(crate) const ZERO_NOTE: &str = "no feature: raster cells with 0 people";

/// Turns the populated cells into demand points in WGS84.
///
/// - `spread_m = None`: one point at each cell's centre, id `r{row}c{col}`.
/// - `spread_m = Some(s)`: the cell's population shared evenly by a `kx × ky` grid of
///   points at the centres of equal sub-cells, `k = ceil(cell side in metres / s)` per
///   axis, at most [`MAX_SPREAD_PER_AXIS`]; ids `r{row}c{col}p{n}`, `n` row-major within
///   the cell. A geographic raster's cell width in metres is taken at the cell's
///   latitude. The sum of the points' populations is the cells' sum up to rounding.
///
/// `to_lonlat` maps raster CRS coordinates to `[lon, lat]` (the identity for an
/// `EPSG:4326` raster). Points come in the cells' (row-major) order; each point's
/// `source_index` is its cell's index in `cells.cells`. The layer's `skipped` notes the
/// window's nodata and zero cells under keys starting with `no feature:`: they are no
/// one's home, not features left out.
///
/// # Errors
/// - [`Error::InvalidParameter`] `spread_m` when it is not finite and positive.
/// - [`Error::Feature`] naming the cell (its index in `cells.cells`, its row and column)
///   when `to_lonlat` fails or gives a position outside WGS84's range.
/// - [`Error::TooLarge`] when spreading would make more than [`MAX_SPREAD_POINTS`].
pub fn cells_to_points(
    label: &str,
    cells: &RasterCells,
    spread_m: Option<f64>,
    to_lonlat: impl Fn([f64; 2]) -> Result<[f64; 2], String>,
) -> Result<PointLayer> {
    if let Some(s) = spread_m {
        if !(s.is_finite() && s > 0.0) {
            return Err(Error::InvalidParameter {
                name: "spread_m".to_string(),
                reason: format!("the spread spacing must be a positive number of metres, not {s}"),
            });
        }
    }
    let lonlat = |index: usize, cell: &Cell, xy: [f64; 2]| -> Result<[f64; 2]> {
        let fail = |reason: String| Error::Feature {
            layer: label.to_string(),
            index,
            reason: format!(
                "cell (row {}, col {}) at ({}, {}) in {}: {reason}",
                cell.row,
                cell.col,
                xy[0],
                xy[1],
                cells.crs.as_deref().unwrap_or("the raster's CRS")
            ),
        };
        let ll = to_lonlat(xy).map_err(|e| fail(format!("cannot be placed in WGS84: {e}")))?;
        if !(ll[0].is_finite() && ll[1].is_finite() && ll[0].abs() <= 180.0 && ll[1].abs() <= 90.0)
        {
            return Err(fail(format!(
                "maps to ({}, {}), outside WGS84's longitude/latitude range",
                ll[0], ll[1]
            )));
        }
        Ok(ll)
    };

    let mut points = Vec::with_capacity(cells.cells.len());
    for (index, cell) in cells.cells.iter().enumerate() {
        let Some(spacing_m) = spread_m else {
            let [lon, lat] = lonlat(index, cell, [cell.x, cell.y])?;
            points.push(
                PointFeature::new(format!("r{}c{}", cell.row, cell.col), lon, lat)
                    .with_population(cell.population)
                    .with_source_index(index),
            );
            continue;
        };
        let [kx, ky] = spread_counts(cells, cell, spacing_m);
        if points.len() + kx * ky > MAX_SPREAD_POINTS {
            return Err(Error::TooLarge {
                layer: label.to_string(),
                reason: format!(
                    "spreading cells over points {spacing_m} m apart makes more than {MAX_SPREAD_POINTS} \
                     points; use a larger spacing or a smaller window"
                ),
            });
        }
        let share = cell.population / (kx * ky) as f64;
        let [w, h] = cells.cell_size;
        // Sub-cells north to south, west to east, like the raster's rows.
        let (west, north) = (cell.x - 0.5 * w, cell.y + 0.5 * h);
        for j in 0..ky {
            for i in 0..kx {
                let xy = [
                    west + (i as f64 + 0.5) * w / kx as f64,
                    north - (j as f64 + 0.5) * h / ky as f64,
                ];
                let [lon, lat] = lonlat(index, cell, xy)?;
                let id = format!("r{}c{}p{}", cell.row, cell.col, j * kx + i);
                points.push(
                    PointFeature::new(id, lon, lat)
                        .with_population(share)
                        .with_source_index(index),
                );
            }
        }
    }
    let mut layer = PointLayer::from(points);
    layer.skipped.add(NODATA_NOTE, cells.nodata_cells);
    layer.skipped.add(ZERO_NOTE, cells.zero_cells);
    Ok(layer)
}

/// Points per axis `[kx, ky]` for one cell at spacing `spacing_m`.
fn spread_counts(cells: &RasterCells, cell: &Cell, spacing_m: f64) -> [usize; 2] {
    let [w, h] = cells.cell_size;
    let (w_m, h_m) = if cells.geographic {
        let cos = cell.y.to_radians().cos().max(0.0);
        (w * M_PER_DEG_LAT * cos, h * M_PER_DEG_LAT)
    } else {
        (w * cells.linear_unit_m, h * cells.linear_unit_m)
    };
    let k = |side_m: f64| ((side_m / spacing_m).ceil() as usize).clamp(1, MAX_SPREAD_PER_AXIS);
    [k(w_m), k(h_m)]
}
