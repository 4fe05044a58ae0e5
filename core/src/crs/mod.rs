//! Coordinate reference systems: everything the engine reads is turned into WGS84
//! longitude/latitude degrees, and outputs can be turned back.
//!
//! Two families:
//! - [`Crs`]: the Chinese web-map systems GCJ-02 and BD-09 (obfuscated shifts of WGS84,
//!   no EPSG code), chosen by name (`gcj02`, `bd09`); see [`gcj02_to_wgs84`] and friends.
//! - [`Projection`]: any system with an EPSG code, a WKT text (a Shapefile `.prj`, a
//!   GeoPackage SRS), a PROJJSON text or a PROJ string: UTM, Gauss–Krüger, national
//!   grids, Web Mercator, other geographic systems.
//!
//! Axis order is always x = easting/longitude, y = northing/latitude, the order GIS
//! files store (see [`Projection`]).

mod chinese;
mod projection;
mod wkt;

pub use self::chinese::{
    bd09_to_gcj02, bd09_to_wgs84, gcj02_to_bd09, gcj02_to_wgs84, out_of_china, points_to_wgs84,
    roads_to_wgs84, units_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02, Crs,
};
pub use self::projection::Projection;
