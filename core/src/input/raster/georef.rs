//! The GeoTIFF georeference: where pixel (0, 0) is, how big a pixel is, the CRS and the
//! nodata value.

use std::io::{Read, Seek};

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::{parse, tiff_error};
use crate::Result;

/// GeoKey ids (GeoTIFF 1.1, section 7).
const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const PROJECTED_CS_TYPE: u16 = 3072;
const PROJ_LINEAR_UNITS: u16 = 3076;
/// The GeoKey value for "user-defined" (no EPSG code).
const USER_DEFINED: u16 = 32767;
const RASTER_PIXEL_IS_POINT: u16 = 2;
const MODEL_TYPE_PROJECTED: u16 = 1;
const MODEL_TYPE_GEOGRAPHIC: u16 = 2;

/// The affine map of a north-up (or south-up) grid without rotation.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct GeoRef {
    /// CRS coordinates of the outer corner of pixel (row 0, col 0).
    pub(super) origin: [f64; 2],
    /// CRS step per column (x) and per row (y; negative for north-up grids).
    pub(super) pixel: [f64; 2],
    pub(super) crs: Option<String>,
    pub(super) crs_note: Option<String>,
    pub(super) geographic: bool,
    pub(super) linear_unit_m: f64,
    pub(super) nodata: Option<f64>,
}

impl GeoRef {
    /// Centre of pixel `(row, col)` in CRS coordinates.
    pub(super) fn centre(&self, row: usize, col: usize) -> [f64; 2] {
        [
            self.origin[0] + (col as f64 + 0.5) * self.pixel[0],
            self.origin[1] + (row as f64 + 0.5) * self.pixel[1],
        ]
    }

    /// `[min_x, min_y, max_x, max_y]` of the outer cell edges of a `[width, height]` grid.
    pub(super) fn bounds(&self, size: [usize; 2]) -> [f64; 4] {
        let x1 = self.origin[0] + size[0] as f64 * self.pixel[0];
        let y1 = self.origin[1] + size[1] as f64 * self.pixel[1];
        [
            self.origin[0].min(x1),
            self.origin[1].min(y1),
            self.origin[0].max(x1),
            self.origin[1].max(y1),
        ]
    }
}

fn f64_tag<R: Read + Seek>(label: &str, d: &mut Decoder<R>, tag: Tag) -> Result<Option<Vec<f64>>> {
    match d.find_tag(tag).map_err(|e| tiff_error(label, &e))? {
        None => Ok(None),
        Some(value) => value.into_f64_vec().map(Some).map_err(|e| {
            parse(
                label,
                format!("GeoTIFF tag {tag:?} is not a list of numbers: {e}"),
            )
        }),
    }
}

/// Reads the georeference of the decoder's current image.
pub(super) fn read_georef<R: Read + Seek>(label: &str, d: &mut Decoder<R>) -> Result<GeoRef> {
    let scale = f64_tag(label, d, Tag::ModelPixelScaleTag)?;
    let tiepoints = f64_tag(label, d, Tag::ModelTiepointTag)?;
    let transform = f64_tag(label, d, Tag::ModelTransformationTag)?;
    let keys = geokeys(label, d)?;
    let pixel_is_point = keys.get(GT_RASTER_TYPE) == Some(RASTER_PIXEL_IS_POINT);

    // Model coordinates of raster point (i, j) = (a + i * sx, b + j * sy).
    let (mut origin, pixel) = match (scale, tiepoints, transform) {
        (Some(scale), Some(tie), _) => {
            if scale.len() < 2 || tie.len() < 6 {
                return Err(parse(
                    label,
                    format!(
                        "ModelPixelScale has {} values (3 expected) and ModelTiepoint {} (6 expected)",
                        scale.len(),
                        tie.len()
                    ),
                ));
            }
            if tie.len() > 6 {
                return Err(parse(
                    label,
                    format!(
                        "{} tiepoints (ground control points) instead of one: warp the raster onto a \
                         regular grid first (gdalwarp)",
                        tie.len() / 6
                    ),
                ));
            }
            // ModelPixelScale's y is positive for the usual north-up grid: y falls as rows grow.
            let pixel = [scale[0], -scale[1]];
            (
                [tie[3] - tie[0] * pixel[0], tie[4] - tie[1] * pixel[1]],
                pixel,
            )
        }
        (_, _, Some(m)) => {
            if m.len() != 16 {
                return Err(parse(
                    label,
                    format!("ModelTransformation has {} values, 16 expected", m.len()),
                ));
            }
            if m[1] != 0.0 || m[4] != 0.0 {
                return Err(parse(
                    label,
                    format!(
                        "the grid is rotated or sheared (ModelTransformation terms {} and {}); \
                         only north-up grids are read: warp it first (gdalwarp)",
                        m[1], m[4]
                    ),
                ));
            }
            ([m[3], m[7]], [m[0], m[5]])
        }
        _ => {
            return Err(parse(
                label,
                "the TIFF has no georeference (no ModelTiepoint/ModelPixelScale or \
                 ModelTransformation tags): a population raster must be a GeoTIFF \
                 (gdal_translate -a_srs EPSG:n -a_ullr ... adds one)",
            ))
        }
    };
    let finite = pixel.iter().chain(&origin).all(|v| v.is_finite());
    if !finite || pixel[0] == 0.0 || pixel[1] == 0.0 {
        return Err(parse(
            label,
            format!("the georeference is degenerate: origin {origin:?}, pixel size {pixel:?}"),
        ));
    }
    if pixel_is_point {
        // PixelIsPoint: the model point of raster (0, 0) is the first pixel's centre.
        origin = [origin[0] - 0.5 * pixel[0], origin[1] - 0.5 * pixel[1]];
    }

    let (crs, crs_note, geographic) = crs_of(&keys);
    let linear_unit_m = match keys.get(PROJ_LINEAR_UNITS) {
        None | Some(9001) => 1.0,
        Some(9002) => 0.3048,
        Some(9003) => 1200.0 / 3937.0,
        Some(other) => {
            return Err(parse(
                label,
                format!("ProjLinearUnitsGeoKey {other} is not metres or feet"),
            ))
        }
    };
    Ok(GeoRef {
        origin,
        pixel,
        crs,
        crs_note,
        geographic,
        linear_unit_m,
        nodata: nodata(label, d)?,
    })
}

/// The GeoKeys whose value is stored in the directory itself (all those read here).
struct GeoKeys(Vec<(u16, u16)>);

impl GeoKeys {
    fn get(&self, key: u16) -> Option<u16> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

fn geokeys<R: Read + Seek>(label: &str, d: &mut Decoder<R>) -> Result<GeoKeys> {
    let Some(value) = d
        .find_tag(Tag::GeoKeyDirectoryTag)
        .map_err(|e| tiff_error(label, &e))?
    else {
        return Ok(GeoKeys(Vec::new()));
    };
    let dir = value.into_u16_vec().map_err(|e| {
        parse(
            label,
            format!("GeoKeyDirectory is not a list of shorts: {e}"),
        )
    })?;
    let count = usize::from(*dir.get(3).unwrap_or(&0));
    let entries = dir.get(4..).unwrap_or(&[]);
    if entries.len() < 4 * count {
        return Err(parse(
            label,
            format!(
                "GeoKeyDirectory announces {count} keys but holds {} values",
                dir.len()
            ),
        ));
    }
    // Location 0: the value is the entry's last short (keys in other tags are not needed).
    Ok(GeoKeys(
        entries
            .chunks_exact(4)
            .take(count)
            .filter(|e| e[1] == 0)
            .map(|e| (e[0], e[3]))
            .collect(),
    ))
}

/// `(EPSG:n, why none, geographic)`.
fn crs_of(keys: &GeoKeys) -> (Option<String>, Option<String>, bool) {
    let model = keys.get(GT_MODEL_TYPE);
    let projected = keys.get(PROJECTED_CS_TYPE);
    let geographic_cs = keys.get(GEOGRAPHIC_TYPE);
    let geographic = model == Some(MODEL_TYPE_GEOGRAPHIC)
        || (model.is_none() && projected.is_none() && geographic_cs.is_some());
    let (code, key) = if geographic {
        (geographic_cs, "GeographicTypeGeoKey")
    } else if model == Some(MODEL_TYPE_PROJECTED) || projected.is_some() {
        (projected, "ProjectedCSTypeGeoKey")
    } else {
        let note = match model {
            None => "the GeoTIFF declares no CRS (no GTModelTypeGeoKey)".to_string(),
            Some(m) => format!("GTModelTypeGeoKey {m} is neither projected nor geographic"),
        };
        return (None, Some(note), false);
    };
    match code {
        Some(USER_DEFINED) => (
            None,
            Some(format!(
                "the CRS is user-defined ({key} 32767), not an EPSG code: give it explicitly"
            )),
            geographic,
        ),
        Some(n) => (Some(format!("EPSG:{n}")), None, geographic),
        None => (
            None,
            Some(format!("the GeoTIFF has no {key}: give the CRS explicitly")),
            geographic,
        ),
    }
}

/// `GDAL_NODATA`: the nodata value as ASCII text (`-99999`, `nan`, `-3.4028235e+38`).
fn nodata<R: Read + Seek>(label: &str, d: &mut Decoder<R>) -> Result<Option<f64>> {
    let Some(value) = d
        .find_tag(Tag::GdalNodata)
        .map_err(|e| tiff_error(label, &e))?
    else {
        return Ok(None);
    };
    let text = value
        .into_string()
        .map_err(|e| parse(label, format!("GDAL_NODATA is not text: {e}")))?;
    let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    text.parse::<f64>()
        .map(Some)
        .map_err(|_| parse(label, format!("GDAL_NODATA `{text}` is not a number")))
}
