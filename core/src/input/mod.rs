//! Input stage: GeoJSON, Shapefile, FlatGeobuf, GeoPackage, GeoParquet, OSM PBF, CSV and
//! GeoTIFF population rasters into typed features.
//!
//! Readers never touch files: callers pass text or bytes plus a `layer` label (usually the
//! file name) that every error and skip count names.

mod csv_points;
mod detect;
mod geojson;
mod gzip;
mod hgt;
mod layers;
mod osm;
mod raster;
mod raw;
mod read;
mod reproject;
mod validate;
mod vector;
mod walkable;

pub use self::csv_points::CsvOptions;
pub use self::detect::{detect_format, utf8_text, InputFormat};
pub use self::gzip::{maybe_gunzip, maybe_gunzip_with_limits, InputLimits};
pub use self::hgt::{parse_hgt_name, Dem, HgtTile, HGT_VOID};
pub use self::osm::{OsmLayers, OsmPointQuery, PopulationEstimate, TagFilter, MIN_M2_PER_PERSON};
pub use self::raster::{
    cells_to_points, raster_bounds, read_raster_demand, read_raster_window, Cell, RasterCells,
    RasterDemand, RasterInfo, RasterOptions, MAX_SPREAD_PER_AXIS, MAX_SPREAD_POINTS,
};
pub use self::read::{
    read_hgt_tile, read_osm_layers, read_points, read_roads, read_units, ReadOptions,
};
pub use self::walkable::is_walkable;

// The readers build the shared feature types.
pub(crate) use crate::features::{
    PointFeature, PointLayer, ReportingUnit, RoadLayer, RoadLine, SkipCounts, UnitLayer,
};
