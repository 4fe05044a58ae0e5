//! The pixel window of a rectangle, and reading it chunk by chunk.

use std::io::{Read, Seek};

use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;

use super::georef::GeoRef;
use super::{parse, tiff_error, Cell, RasterCells, RasterInfo, RasterOptions};
use crate::{Error, Result};

/// `PlanarConfiguration` 2: each band in chunks of its own.
const PLANAR_SEPARATE: u16 = 2;

/// The pixels `k` in `0..n` whose centre `origin + (k + 0.5) * step` lies in `[min, max)`.
///
/// The range is first estimated, then trimmed by that same test on each end, so that a
/// cell is in the window exactly when its reported centre is.
fn axis_range(min: f64, max: f64, origin: f64, step: f64, n: usize) -> (usize, usize) {
    let inside = |k: usize| {
        let centre = origin + (k as f64 + 0.5) * step;
        min <= centre && centre < max
    };
    let a = (min - origin) / step - 0.5;
    let b = (max - origin) / step - 0.5;
    let clamp = |v: f64| v.clamp(0.0, n as f64) as usize;
    let mut lo = clamp(a.min(b).floor() - 1.0);
    let mut hi = clamp(a.max(b).ceil() + 2.0);
    while lo < hi && !inside(lo) {
        lo += 1;
    }
    while hi > lo && !inside(hi - 1) {
        hi -= 1;
    }
    (lo, hi)
}

/// Where one decoded chunk's samples are: `dims[1]` rows of `dims[0]` pixels of
/// `samples` interleaved samples, the band being sample `sample`; the chunk's first
/// pixel is `top_left = [row, col]` of the raster.
struct ChunkLayout {
    dims: [usize; 2],
    samples: usize,
    sample: usize,
    top_left: [usize; 2],
}

/// Where the scan of the chunks puts what it finds.
struct Sink<'a> {
    label: &'a str,
    georef: &'a GeoRef,
    width: usize,
    /// `[col_start, row_start, col_end, row_end]`.
    window: [usize; 4],
    nodata: Option<f64>,
    cells: Vec<Cell>,
    nodata_cells: usize,
    zero_cells: usize,
}

impl Sink<'_> {
    /// Takes the window's pixels of one decoded chunk.
    fn scan<T: Copy>(
        &mut self,
        data: &[T],
        layout: &ChunkLayout,
        value: impl Fn(T) -> f64,
        nodata: Option<f64>,
    ) -> Result<()> {
        let [c0, r0, c1, r1] = self.window;
        let ChunkLayout {
            dims,
            samples,
            sample,
            top_left: [top, left],
        } = *layout;
        let rows = r0.max(top)..r1.min(top + dims[1]);
        let cols = c0.max(left)..c1.min(left + dims[0]);
        if data.len() < dims[0] * dims[1] * samples {
            return Err(parse(
                self.label,
                format!(
                    "a chunk decoded to {} samples, {} expected",
                    data.len(),
                    dims[0] * dims[1] * samples
                ),
            ));
        }
        for row in rows {
            let base = (row - top) * dims[0];
            for col in cols.clone() {
                let v = value(data[(base + col - left) * samples + sample]);
                // NaN is no data in any float grid, whatever GDAL_NODATA says.
                if v.is_nan() || nodata == Some(v) {
                    self.nodata_cells += 1;
                } else if v == 0.0 {
                    self.zero_cells += 1;
                } else if v < 0.0 || v.is_infinite() {
                    let nodata = match self.nodata {
                        Some(n) => format!("the nodata value is {n}"),
                        None => "the raster declares no nodata value (GDAL_NODATA)".to_string(),
                    };
                    return Err(Error::Feature {
                        layer: self.label.to_string(),
                        index: row * self.width + col,
                        reason: format!(
                            "pixel (row {row}, col {col}) holds {v} people: a population must be \
                             0 or more and finite, and {nodata}"
                        ),
                    });
                } else {
                    let [x, y] = self.georef.centre(row, col);
                    self.cells.push(Cell {
                        x,
                        y,
                        population: v,
                        row,
                        col,
                    });
                }
            }
        }
        Ok(())
    }
}

pub(super) fn read_window<R: Read + Seek>(
    label: &str,
    d: &mut Decoder<R>,
    info: &RasterInfo,
    georef: &GeoRef,
    options: &RasterOptions,
) -> Result<RasterCells> {
    if options.band == 0 || options.band > info.bands {
        return Err(Error::InvalidParameter {
            name: "band".to_string(),
            reason: format!(
                "{label} has {} band(s), numbered from 1; band {} asked for",
                info.bands, options.band
            ),
        });
    }
    let [width, height] = info.size;
    let window = match options.window {
        None => [0, 0, width, height],
        Some(w) => pixel_window(label, info, georef, w)?,
    };
    let [c0, r0, c1, r1] = window;
    let pixels = (c1 - c0) * (r1 - r0);
    if pixels > options.max_cells {
        return Err(Error::TooLarge {
            layer: label.to_string(),
            reason: format!(
                "the window spans {} × {} = {pixels} cells, more than the limit of {}",
                c1 - c0,
                r1 - r0,
                options.max_cells
            ),
        });
    }

    let [chunk_w, chunk_h] = info.chunk_size;
    let across = width.div_ceil(chunk_w);
    let down = height.div_ceil(chunk_h);
    let planar = d
        .find_tag_unsigned::<u16>(Tag::PlanarConfiguration)
        .map_err(|e| tiff_error(label, &e))?
        == Some(PLANAR_SEPARATE)
        && info.bands > 1;
    // Planar: band b's chunks follow all chunks of bands before it.
    let (plane_offset, samples, sample) = if planar {
        ((options.band - 1) * across * down, 1, 0)
    } else {
        (0, info.bands, options.band - 1)
    };
    let nodata = info.nodata;
    // A float32 sample is compared with the nodata text rounded to float32 as GDAL
    // wrote it (`-3.4e38` in the tag, the nearest float32 in the pixels).
    let nodata_f32 = nodata.map(|n| f64::from(n as f32));

    let mut sink = Sink {
        label,
        georef,
        width,
        window,
        nodata,
        cells: Vec::new(),
        nodata_cells: 0,
        zero_cells: 0,
    };
    let mut chunks_read = 0;
    if pixels > 0 {
        for ty in r0 / chunk_h..r1.div_ceil(chunk_h) {
            let row_start = sink.cells.len();
            for tx in c0 / chunk_w..c1.div_ceil(chunk_w) {
                let index = plane_offset + ty * across + tx;
                let index = u32::try_from(index).map_err(|_| {
                    parse(label, format!("chunk {index} is beyond TIFF's 2^32 chunks"))
                })?;
                let chunk = d.read_chunk(index).map_err(|e| tiff_error(label, &e))?;
                chunks_read += 1;
                // Chunks at the right and bottom edges hold only the pixels inside the image.
                let layout = ChunkLayout {
                    dims: [
                        chunk_w.min(width - tx * chunk_w),
                        chunk_h.min(height - ty * chunk_h),
                    ],
                    samples,
                    sample,
                    top_left: [ty * chunk_h, tx * chunk_w],
                };
                macro_rules! scan {
                    ($v:expr, $nodata:expr) => {
                        sink.scan(&$v, &layout, |s| s as f64, $nodata)
                    };
                }
                match chunk {
                    DecodingResult::U8(v) => scan!(v, nodata)?,
                    DecodingResult::U16(v) => scan!(v, nodata)?,
                    DecodingResult::U32(v) => scan!(v, nodata)?,
                    DecodingResult::U64(v) => scan!(v, nodata)?,
                    DecodingResult::I8(v) => scan!(v, nodata)?,
                    DecodingResult::I16(v) => scan!(v, nodata)?,
                    DecodingResult::I32(v) => scan!(v, nodata)?,
                    DecodingResult::I64(v) => scan!(v, nodata)?,
                    DecodingResult::F32(v) => scan!(v, nodata_f32)?,
                    DecodingResult::F64(v) => scan!(v, nodata)?,
                    DecodingResult::F16(_) => {
                        return Err(parse(
                            label,
                            "16-bit float samples are not supported: convert the raster to \
                             Float32 (gdal_translate -ot Float32)",
                        ))
                    }
                }
            }
            // Tiles of one tile row were scanned west to east: a stable sort by row makes
            // the whole row band row-major.
            sink.cells[row_start..].sort_by_key(|c| c.row);
        }
    }
    let window_sum = sink.cells.iter().map(|c| c.population).sum();
    Ok(RasterCells {
        crs: info.crs.clone(),
        crs_note: info.crs_note.clone(),
        geographic: info.geographic,
        linear_unit_m: info.linear_unit_m,
        cell_size: info.cell_size,
        cells: sink.cells,
        window_sum,
        nodata_cells: sink.nodata_cells,
        zero_cells: sink.zero_cells,
        window_pixels: window,
        chunks_read,
    })
}

/// The pixel window `[col_start, row_start, col_end, row_end]` of a CRS rectangle.
fn pixel_window(
    label: &str,
    info: &RasterInfo,
    georef: &GeoRef,
    w: [f64; 4],
) -> Result<[usize; 4]> {
    let [min_x, min_y, max_x, max_y] = w;
    if !w.iter().all(|v| v.is_finite()) || min_x >= max_x || min_y >= max_y {
        return Err(Error::InvalidParameter {
            name: "window".to_string(),
            reason: format!(
                "[min_x, min_y, max_x, max_y] = {w:?} must be finite with min < max (raster CRS)"
            ),
        });
    }
    let b = info.bounds;
    if max_x <= b[0] || min_x >= b[2] || max_y <= b[1] || min_y >= b[3] {
        return Err(Error::Empty {
            layer: label.to_string(),
            reason: format!(
                "the window {w:?} lies outside the raster's bounds {b:?} (in {}): is the \
                 window in the raster's CRS?",
                info.crs.as_deref().unwrap_or("the raster's CRS")
            ),
        });
    }
    let (c0, c1) = axis_range(
        min_x,
        max_x,
        georef.origin[0],
        georef.pixel[0],
        info.size[0],
    );
    let (r0, r1) = axis_range(
        min_y,
        max_y,
        georef.origin[1],
        georef.pixel[1],
        info.size[1],
    );
    // An empty axis (a sliver between cell centres) gives an empty window at its start.
    if c0 == c1 || r0 == r1 {
        return Ok([c0, r0, c0, r0]);
    }
    Ok([c0, r0, c1, r1])
}
