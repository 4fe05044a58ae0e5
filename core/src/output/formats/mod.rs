//! The output layers in GIS formats besides GeoJSON: GeoPackage, FlatGeobuf, GeoParquet
//! and Shapefile.
//!
//! Every format holds the same columns as the CSV tables (nested objects flattened to
//! `a.b`, lists of plain values joined by `; `), typed over the whole layer: a column
//! whose values are all booleans is boolean, all integers a 64-bit integer, all numbers
//! a double, anything else text; `null` stays null (an empty cell in a Shapefile).
//! Positions are those of the GeoJSON files (rounded to 1e-7°, in the output coordinate
//! system); polygons are written as MultiPolygons, as in GeoJSON.
//!
//! The coordinate system is EPSG:4326 for WGS84 output. GCJ-02 and BD-09 have no EPSG
//! code: their files say nothing of the coordinate system (GeoPackage: the undefined
//! geographic system, srs_id 0; FlatGeobuf: no code; GeoParquet: `crs` null; Shapefile:
//! no `.prj`).
//!
//! Writing is deterministic (same layer, same bytes: no timestamps) and goes to memory;
//! nothing here names a file on disk (the FlatGeobuf crate spools its features to an
//! anonymous temporary file while it sorts them along the Hilbert curve).

mod flatgeobuf;
#[cfg(feature = "gpkg")]
mod geopackage;
mod geoparquet;
mod shapefile;
mod table;
mod wkb;

#[cfg(feature = "gpkg")]
pub use geopackage::GeoPackage;

use super::geojson::{write_geojson, FeatureSource};
use crate::crs::Crs;
use crate::{Error, Result};

/// A file format of the output layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerFormat {
    /// GeoJSON (`demand.geojson`): one file per layer.
    GeoJson,
    /// GeoPackage 1.3: every layer of a folder a table of one `layers.gpkg`.
    GeoPackage,
    /// FlatGeobuf with its spatial index (`demand.fgb`).
    FlatGeobuf,
    /// GeoParquet 1.1, WKB geometry, Snappy compression (`demand.parquet`).
    GeoParquet,
    /// ESRI Shapefile: `.shp`, `.shx`, `.dbf` (UTF-8, `.cpg`) and, in WGS84, `.prj`.
    Shapefile,
}

impl LayerFormat {
    /// Every format, in the order of [`LayerFormat::name`]'s documentation.
    pub const ALL: [LayerFormat; 5] = [
        LayerFormat::GeoJson,
        LayerFormat::GeoPackage,
        LayerFormat::FlatGeobuf,
        LayerFormat::GeoParquet,
        LayerFormat::Shapefile,
    ];

    /// The format's short name: `geojson`, `gpkg`, `fgb`, `parquet` or `shp`.
    pub fn name(self) -> &'static str {
        match self {
            LayerFormat::GeoJson => "geojson",
            LayerFormat::GeoPackage => "gpkg",
            LayerFormat::FlatGeobuf => "fgb",
            LayerFormat::GeoParquet => "parquet",
            LayerFormat::Shapefile => "shp",
        }
    }

    /// The extension of its (main) file, without the dot.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// The format named `text` (a short name, case-insensitive).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the known formats.
    pub fn parse(text: &str) -> Result<Self> {
        let wanted = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| Error::InvalidParameter {
                name: "format".to_string(),
                reason: format!(
                    "`{text}` is not a layer format; expected one of geojson, gpkg, fgb, \
                     parquet, shp"
                ),
            })
    }

    /// The names of the files one layer `layer_name` is written to in this format (for
    /// GeoPackage, the one-layer file [`write_layer`] writes).
    pub fn file_names(self, layer_name: &str, crs: Crs) -> Vec<String> {
        match self {
            LayerFormat::Shapefile => shapefile::EXTENSIONS
                .iter()
                .filter(|ext| crs == Crs::Wgs84 || **ext != "prj")
                .map(|ext| format!("{layer_name}.{ext}"))
                .collect(),
            other => vec![format!("{layer_name}.{}", other.extension())],
        }
    }
}

/// The files of one layer written in one format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayerFiles {
    /// File name and bytes of each file, in a fixed order.
    pub files: Vec<(String, Vec<u8>)>,
    /// Text values cut to fit the format (Shapefile: 254 bytes), so the caller can say
    /// so; 0 for the other formats.
    pub truncated_values: usize,
}

/// Writes `layer` named `layer_name` in `format` and `crs` into memory: one file
/// (`demand.fgb`) or, for a Shapefile, its five (`demand.shp`, `.shx`, `.dbf`, `.cpg`,
/// `.prj`). A GeoPackage holds this one layer; [`GeoPackage`] puts several in one file.
///
/// # Errors
/// [`Error::Output`] when the layer cannot be written in the format (GeoPackage without
/// the `gpkg` feature, a Shapefile of mixed geometry types, an encoder's failure).
///
/// ```
/// use lifecircle::crs::Crs;
/// use lifecircle::output::{write_layer, LayerFormat, PointsLayer};
/// use serde_json::json;
///
/// let sites = PointsLayer {
///     points: vec![([114.3, 30.59], json!({"id": "a", "seats": 40}))],
/// };
/// let out = write_layer(LayerFormat::Shapefile, "sites", &sites, Crs::Wgs84).unwrap();
/// let names: Vec<&str> = out.files.iter().map(|(n, _)| n.as_str()).collect();
/// assert_eq!(names, ["sites.shp", "sites.shx", "sites.dbf", "sites.cpg", "sites.prj"]);
/// ```
pub fn write_layer<L: FeatureSource + ?Sized>(
    format: LayerFormat,
    layer_name: &str,
    layer: &L,
    crs: Crs,
) -> Result<LayerFiles> {
    let file_name = format!("{layer_name}.{}", format.extension());
    let fail = |reason: String| Error::Output {
        file: file_name.clone(),
        reason,
    };
    let one = |bytes: Vec<u8>| LayerFiles {
        files: vec![(file_name.clone(), bytes)],
        truncated_values: 0,
    };
    match format {
        LayerFormat::GeoJson => {
            let mut bytes = Vec::new();
            write_geojson(&mut bytes, layer, crs).map_err(|e| fail(e.to_string()))?;
            Ok(one(bytes))
        }
        LayerFormat::GeoPackage => {
            #[cfg(feature = "gpkg")]
            {
                let mut gpkg = GeoPackage::new(crs).map_err(|e| fail(e.to_string()))?;
                gpkg.add_layer(layer_name, layer)?;
                Ok(one(gpkg.finish().map_err(|e| fail(e.to_string()))?))
            }
            #[cfg(not(feature = "gpkg"))]
            {
                Err(fail(
                    "GeoPackage output needs lifecircle's `gpkg` feature".to_string(),
                ))
            }
        }
        LayerFormat::FlatGeobuf => {
            let t = table::Table::of(layer, crs).map_err(|e| fail(e.to_string()))?;
            Ok(one(flatgeobuf::write(layer_name, &t, crs).map_err(fail)?))
        }
        LayerFormat::GeoParquet => {
            let t = table::Table::of(layer, crs).map_err(|e| fail(e.to_string()))?;
            Ok(one(geoparquet::write(&t, crs).map_err(fail)?))
        }
        LayerFormat::Shapefile => {
            let t = table::Table::of(layer, crs).map_err(|e| fail(e.to_string()))?;
            let file_name = format!("{layer_name}.shp");
            shapefile::write(layer_name, &t, crs).map_err(|reason| Error::Output {
                file: file_name,
                reason,
            })
        }
    }
}

#[cfg(test)]
mod tests;
