//! Population rasters (GeoTIFF) as demand: the cells of a window become weighted points.
//!
//! A country's population grid is several GB; only the tiles or strips that meet the
//! window are read, one at a time, so memory is one chunk plus the populated cells of the
//! window. Everything is in the raster's own coordinates (its CRS, [`RasterInfo::crs`]):
//! the caller transforms a WGS84 window into them before reading, and cell centres back
//! to WGS84 when it makes points ([`cells_to_points`]).
//!
//! What a cell's value means:
//! - the nodata value (`GDAL_NODATA`), and NaN in any float raster, is no data: no one
//!   lives there (GDAL's practice: a float grid's `nan` nodata is written as NaN);
//! - 0 is a cell with no people;
//! - a negative or infinite value that is not the nodata value is an error naming the
//!   pixel: a count of people cannot be negative, and silently dropping it would break
//!   the sum a user checks against the census.

mod demand;
mod georef;
mod points;
mod window;

#[cfg(test)]
mod tests;

use std::io::{Read, Seek};

use tiff::decoder::{ChunkType, Decoder};
use tiff::TiffError;

pub use self::demand::{read_raster_demand, RasterDemand};
pub use self::points::{cells_to_points, MAX_SPREAD_PER_AXIS, MAX_SPREAD_POINTS};
use crate::{Error, Result};

/// What to read from a raster.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterOptions {
    /// Band holding the population, 1-based (default 1).
    pub band: usize,
    /// `[min_x, min_y, max_x, max_y]` in the raster's CRS; a cell is in the window when
    /// its centre is, with the minimum inclusive and the maximum exclusive (windows that
    /// tile the plane take each cell exactly once). `None`: the whole raster.
    pub window: Option<[f64; 4]>,
    /// Most pixels the window may span (default 10 million); a larger window is
    /// [`Error::TooLarge`] before anything is decoded.
    pub max_cells: usize,
}

impl Default for RasterOptions {
    fn default() -> Self {
        Self {
            band: 1,
            window: None,
            max_cells: 10_000_000,
        }
    }
}

/// What a raster is, read from its first (full-resolution) image without decoding pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterInfo {
    /// `EPSG:n` from the GeoKeys; `None` when the file declares no EPSG code.
    pub crs: Option<String>,
    /// Why `crs` is `None` (a user-defined projection, no GeoKeys): the caller asks the
    /// user for the CRS with this reason.
    pub crs_note: Option<String>,
    /// Whether the CRS is geographic (coordinates in degrees of longitude, latitude).
    pub geographic: bool,
    /// Metres per unit of a projected CRS (1 unless `ProjLinearUnitsGeoKey` says feet).
    pub linear_unit_m: f64,
    /// `[min_x, min_y, max_x, max_y]` of the raster's outer cell edges, raster CRS.
    pub bounds: [f64; 4],
    /// `[width, height]` in pixels.
    pub size: [usize; 2],
    /// `[width, height]` of one cell in CRS units (positive).
    pub cell_size: [f64; 2],
    /// Number of bands (samples per pixel).
    pub bands: usize,
    /// The nodata value (`GDAL_NODATA`), when declared.
    pub nodata: Option<f64>,
    /// Whether the raster is tiled (else striped).
    pub tiled: bool,
    /// Pixel size of one tile or strip.
    pub chunk_size: [usize; 2],
}

/// One populated cell of the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Centre, raster CRS.
    pub x: f64,
    /// Centre, raster CRS.
    pub y: f64,
    /// People in the cell (positive, finite).
    pub population: f64,
    /// Pixel row in the full raster (0 = first row of the file).
    pub row: usize,
    /// Pixel column in the full raster.
    pub col: usize,
}

/// The populated cells of a window, in row-major order, and what else the window held.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterCells {
    /// See [`RasterInfo::crs`].
    pub crs: Option<String>,
    /// See [`RasterInfo::crs_note`].
    pub crs_note: Option<String>,
    /// See [`RasterInfo::geographic`].
    pub geographic: bool,
    /// See [`RasterInfo::linear_unit_m`].
    pub linear_unit_m: f64,
    /// `[width, height]` of one cell in CRS units (positive).
    pub cell_size: [f64; 2],
    /// Cells with people, row by row, west to east within a row.
    pub cells: Vec<Cell>,
    /// Sum of the window's populations (equals the sum over `cells`).
    pub window_sum: f64,
    /// Cells of the window holding the nodata value (or NaN).
    pub nodata_cells: usize,
    /// Cells of the window holding 0.
    pub zero_cells: usize,
    /// The window in pixels: `[col_start, row_start, col_end, row_end]`, ends exclusive.
    pub window_pixels: [usize; 4],
    /// Tiles or strips decoded (those meeting the window; for planar rasters, of the band).
    pub chunks_read: usize,
}

/// Reads what a raster is (CRS, bounds, size, bands, nodata) without decoding pixels.
///
/// # Errors
/// [`Error::Parse`] naming `label` when the file is not a TIFF, is truncated, or has no
/// usable georeference.
pub fn raster_bounds<R: Read + Seek>(label: &str, reader: R) -> Result<RasterInfo> {
    let mut decoder = open(label, reader)?;
    let (info, _) = describe(label, &mut decoder)?;
    Ok(info)
}

/// Reads the populated cells of a window of band `options.band`, decoding only the
/// tiles or strips that meet it, one at a time.
///
/// # Errors
/// - [`Error::Parse`] naming `label`: not a TIFF, truncated or corrupt data, no
///   georeference, a rotated grid, an unsupported sample type.
/// - [`Error::InvalidParameter`]: `band` outside `1..=bands`, a window that is not
///   finite or has `min >= max`.
/// - [`Error::Empty`]: the window lies wholly outside the raster (often a window in the
///   wrong CRS).
/// - [`Error::TooLarge`]: the window spans more than `max_cells` pixels, or one chunk
///   is larger than the decoder's 256 MiB buffer.
/// - [`Error::Feature`] naming the pixel: a negative or infinite population.
pub fn read_raster_window<R: Read + Seek>(
    label: &str,
    reader: R,
    options: &RasterOptions,
) -> Result<RasterCells> {
    let mut decoder = open(label, reader)?;
    let (info, georef) = describe(label, &mut decoder)?;
    window::read_window(label, &mut decoder, &info, &georef, options)
}

/// Opens the first image (a COG's full resolution; overviews follow it).
fn open<R: Read + Seek>(label: &str, reader: R) -> Result<Decoder<R>> {
    Decoder::new(reader).map_err(|e| tiff_error(label, &e))
}

fn describe<R: Read + Seek>(
    label: &str,
    decoder: &mut Decoder<R>,
) -> Result<(RasterInfo, georef::GeoRef)> {
    let (width, height) = decoder.dimensions().map_err(|e| tiff_error(label, &e))?;
    let bands = decoder
        .colortype()
        .map_err(|e| tiff_error(label, &e))?
        .num_samples();
    let (chunk_w, chunk_h) = decoder.chunk_dimensions();
    if width == 0 || height == 0 || chunk_w == 0 || chunk_h == 0 {
        return Err(parse(
            label,
            format!("the image is {width}×{height} pixels in chunks of {chunk_w}×{chunk_h}: nothing to read"),
        ));
    }
    let georef = georef::read_georef(label, decoder)?;
    let size = [width as usize, height as usize];
    let info = RasterInfo {
        crs: georef.crs.clone(),
        crs_note: georef.crs_note.clone(),
        geographic: georef.geographic,
        linear_unit_m: georef.linear_unit_m,
        bounds: georef.bounds(size),
        size,
        cell_size: [georef.pixel[0].abs(), georef.pixel[1].abs()],
        bands: usize::from(bands),
        nodata: georef.nodata,
        tiled: decoder.get_chunk_type() == ChunkType::Tile,
        chunk_size: [chunk_w as usize, chunk_h as usize],
    };
    Ok((info, georef))
}

fn parse(label: &str, reason: impl Into<String>) -> Error {
    Error::Parse {
        layer: label.to_string(),
        reason: reason.into(),
    }
}

/// The decoder's error in the user's terms.
fn tiff_error(label: &str, error: &TiffError) -> Error {
    match error {
        TiffError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => parse(
            label,
            format!("the GeoTIFF is truncated or its offsets point past its end ({e})"),
        ),
        TiffError::LimitsExceeded => Error::TooLarge {
            layer: label.to_string(),
            reason: "one tile or strip needs more than the decoder's 256 MiB buffer; \
                     re-tile the raster (gdal_translate -co TILED=YES)"
                .to_string(),
        },
        TiffError::UnsupportedError(e) => parse(
            label,
            format!("this TIFF uses what the reader does not support: {e}"),
        ),
        other => parse(label, format!("not a readable GeoTIFF: {other}")),
    }
}
