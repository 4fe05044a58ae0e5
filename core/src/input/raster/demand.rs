//! A population raster as the demand layer of a study: its system resolved, the study
//! area's WGS84 box turned into a window in the raster's own coordinates, the window's
//! cells read and placed in WGS84.

use std::io::{Read, Seek, SeekFrom};

use super::{cells_to_points, raster_bounds, read_raster_window, RasterInfo, RasterOptions};
use crate::crs::Projection;
use crate::features::PointLayer;
use crate::input::reproject::cannot_be_degrees;
use crate::{Error, Result};

/// Points sampled along each edge of the WGS84 box when it is carried into the raster's
/// system: a projected box's edges curve, so its corners alone can miss cells.
const EDGE_SAMPLES: usize = 32;

/// How a population raster becomes demand.
#[derive(Debug, Clone)]
pub struct RasterDemand {
    /// The band holding the population, 1-based.
    pub band: usize,
    /// Spread each cell's population over a grid of points this many metres apart
    /// inside it; `None`: one point at the cell's centre.
    pub spread_m: Option<f64>,
    /// The study area `[min_lon, min_lat, max_lon, max_lat]` (WGS84): only the cells
    /// whose centres fall in it are read. `None`: the whole raster.
    pub area_wgs84: Option<[f64; 4]>,
    /// The raster's system when its GeoKeys name none (`--demand-crs`).
    pub fallback_crs: Option<Projection>,
    /// Most pixels the window may span.
    pub max_cells: usize,
}

impl Default for RasterDemand {
    fn default() -> Self {
        Self {
            band: 1,
            spread_m: None,
            area_wgs84: None,
            fallback_crs: None,
            max_cells: RasterOptions::default().max_cells,
        }
    }
}

/// Reads the people of `reader`'s raster inside `options.area_wgs84` as weighted points
/// in WGS84. Their populations sum to the raster's sum over the window (the cells whose
/// centres lie in the area's box carried into the raster's system); the window's nodata
/// and empty cells are noted in `skipped`; the layer's `crs` names the raster's system.
///
/// # Errors
/// The reader's errors ([`read_raster_window`], [`cells_to_points`]), naming `label`;
/// [`Error::Parse`] when the raster declares no system, none is given and its bounds
/// cannot be degrees, or the declared one cannot be read; [`Error::Empty`] when the
/// area misses the raster.
pub fn read_raster_demand<R: Read + Seek>(
    label: &str,
    mut reader: R,
    options: &RasterDemand,
) -> Result<PointLayer> {
    let info = raster_bounds(label, &mut reader)?;
    let projection = raster_projection(label, &info, options.fallback_crs.as_ref())?;
    let window = match options.area_wgs84 {
        Some(area) => Some(window_in_raster(label, area, projection.as_ref(), &info)?),
        None => None,
    };
    reader.seek(SeekFrom::Start(0)).map_err(|e| Error::Parse {
        layer: label.to_string(),
        reason: format!("cannot read the raster again: {e}"),
    })?;
    let cells = read_raster_window(
        label,
        &mut reader,
        &RasterOptions {
            band: options.band,
            window,
            max_cells: options.max_cells,
        },
    )?;
    let mut layer = match &projection {
        Some(p) => cells_to_points(label, &cells, options.spread_m, |xy| p.to_wgs84(xy))?,
        None => cells_to_points(label, &cells, options.spread_m, Ok)?,
    };
    layer.crs = projection.map(|p| p.name());
    // Cells beyond the area are never decoded, so their people are unknown; the count
    // says how much of the raster the run did not look at.
    let [c0, r0, c1, r1] = cells.window_pixels;
    let outside = (info.size[0] * info.size[1]).saturating_sub((c1 - c0) * (r1 - r0));
    if window.is_some() {
        layer.skipped.add(OUTSIDE_NOTE, outside);
    }
    Ok(layer)
}

/// Skip-count key of the raster cells outside the area (not read).
pub(crate) const OUTSIDE_NOTE: &str = "no feature: raster cells outside the study area, not read";

/// The raster's system (`None`: WGS84 degrees already).
fn raster_projection(
    label: &str,
    info: &RasterInfo,
    fallback: Option<&Projection>,
) -> Result<Option<Projection>> {
    let projection = match (&info.crs, fallback) {
        (Some(code), _) => Projection::parse(code).map_err(|e| Error::Parse {
            layer: label.to_string(),
            reason: format!("the raster declares {code}, which this tool cannot use: {e}"),
        })?,
        (None, Some(given)) => given.clone(),
        (None, None) => {
            let [x0, y0, x1, y1] = info.bounds;
            if cannot_be_degrees(x0, y0) || cannot_be_degrees(x1, y1) {
                let why = info.crs_note.as_deref().unwrap_or("it names no EPSG code");
                return Err(Error::Parse {
                    layer: label.to_string(),
                    reason: format!(
                        "the raster's bounds ({x0}, {y0})–({x1}, {y1}) cannot be \
                         longitude/latitude and its coordinate system is unknown ({why}); \
                         give it with --demand-crs EPSG:NNNN"
                    ),
                });
            }
            return Ok(None);
        }
    };
    Ok((!projection.is_wgs84()).then_some(projection))
}

/// The box of `area` (WGS84) in the raster's system, widened by one cell so that cells
/// whose centres lie in the area but whose box edge curves are kept.
fn window_in_raster(
    label: &str,
    area: [f64; 4],
    projection: Option<&Projection>,
    info: &RasterInfo,
) -> Result<[f64; 4]> {
    let [min_lon, min_lat, max_lon, max_lat] = area;
    let Some(projection) = projection else {
        return Ok(area);
    };
    let mut bounds = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for i in 0..=EDGE_SAMPLES {
        let t = i as f64 / EDGE_SAMPLES as f64;
        let lon = min_lon + t * (max_lon - min_lon);
        let lat = min_lat + t * (max_lat - min_lat);
        for lonlat in [
            [lon, min_lat],
            [lon, max_lat],
            [min_lon, lat],
            [max_lon, lat],
        ] {
            let [x, y] = projection
                .from_wgs84(lonlat)
                .map_err(|reason| Error::Parse {
                    layer: label.to_string(),
                    reason: format!(
                        "the study area cannot be placed in the raster's system: {reason}"
                    ),
                })?;
            bounds = [
                bounds[0].min(x),
                bounds[1].min(y),
                bounds[2].max(x),
                bounds[3].max(y),
            ];
        }
    }
    let [cell_x, cell_y] = info.cell_size;
    Ok([
        bounds[0] - cell_x,
        bounds[1] - cell_y,
        bounds[2] + cell_x,
        bounds[3] + cell_y,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    const UTM_TILED: &[u8] = include_bytes!("../../../tests/fixtures/raster/f32_tiled_deflate.tif");
    const WGS84: &[u8] = include_bytes!("../../../tests/fixtures/raster/f32_deg.tif");

    fn total(layer: &PointLayer) -> f64 {
        layer.points.iter().map(|p| p.population).sum()
    }

    #[test]
    fn the_whole_raster_conserves_its_sum_and_lands_in_wuhan() {
        let layer = read_raster_demand("pop.tif", Cursor::new(UTM_TILED), &RasterDemand::default())
            .unwrap();
        assert!((total(&layer) - 27_274.5).abs() < 1e-6, "{}", total(&layer));
        assert_eq!(layer.crs.as_deref(), Some("EPSG:32650"));
        for p in &layer.points {
            assert!(
                (114.2..114.4).contains(&p.lon) && (30.5..30.7).contains(&p.lat),
                "{p:?}"
            );
        }
    }

    #[test]
    fn an_area_reads_only_its_window_and_the_sum_is_that_of_its_cells() {
        let whole = read_raster_demand("pop.tif", Cursor::new(UTM_TILED), &RasterDemand::default())
            .unwrap();
        let lons: Vec<f64> = whole.points.iter().map(|p| p.lon).collect();
        let mid = (lons.iter().copied().fold(f64::INFINITY, f64::min)
            + lons.iter().copied().fold(f64::NEG_INFINITY, f64::max))
            / 2.0;
        let area = [mid, 30.5, 114.5, 30.7];
        let east = read_raster_demand(
            "pop.tif",
            Cursor::new(UTM_TILED),
            &RasterDemand {
                area_wgs84: Some(area),
                ..RasterDemand::default()
            },
        )
        .unwrap();
        assert!(!east.points.is_empty() && east.points.len() < whole.points.len());
        // Every point of the whole raster east of the cut (plus the one-cell margin) is in.
        let expected: f64 = whole
            .points
            .iter()
            .filter(|p| p.lon >= mid)
            .map(|p| p.population)
            .sum();
        assert!(
            total(&east) >= expected - 1e-9,
            "{} < {expected}",
            total(&east)
        );
        let ids: std::collections::HashSet<&str> =
            east.points.iter().map(|p| p.id.as_str()).collect();
        let same: f64 = whole
            .points
            .iter()
            .filter(|p| ids.contains(p.id.as_str()))
            .map(|p| p.population)
            .sum();
        assert!((same - total(&east)).abs() < 1e-9);
        // The cells left unread are counted: with those read, they make the whole grid.
        let read_cells = |layer: &PointLayer| {
            [
                super::super::points::NODATA_NOTE,
                super::super::points::ZERO_NOTE,
            ]
            .iter()
            .map(|key| layer.skipped.0.get(*key).copied().unwrap_or(0))
            .sum::<usize>()
                + layer.points.len()
        };
        let outside = east.skipped.0[OUTSIDE_NOTE];
        assert!(outside > 0);
        assert_eq!(read_cells(&east) + outside, 40 * 30);
        assert!(
            !whole.skipped.0.contains_key(OUTSIDE_NOTE),
            "no area, nothing left out"
        );
    }

    #[test]
    fn a_geographic_raster_needs_no_projection_and_spreading_conserves() {
        let layer = read_raster_demand(
            "pop.tif",
            Cursor::new(WGS84),
            &RasterDemand {
                spread_m: Some(20.0),
                ..RasterDemand::default()
            },
        )
        .unwrap();
        assert_eq!(layer.crs, None);
        let plain =
            read_raster_demand("pop.tif", Cursor::new(WGS84), &RasterDemand::default()).unwrap();
        assert!(layer.points.len() > plain.points.len());
        assert!((total(&layer) - total(&plain)).abs() < 1e-9 * total(&plain));
    }
}
