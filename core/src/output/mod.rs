//! Output stage: GeoJSON layers (and the same layers in GIS formats), CSV tables and the
//! reports.
//!
//! Layers are typed ([`FeatureSource`]) and serialize straight into a writer in the
//! output coordinate system; the report renders to a string. Numbers are rounded to
//! fixed precision (coordinates 1e-7°, metres 0.01, minutes 0.001) and objects keep a
//! fixed key order, so the same input always gives the same bytes. Nothing here touches
//! files: callers choose where the bytes go.

mod flat;
mod formats;
mod geojson;
mod html;
mod layers;
mod model_report;
mod numbers;
mod report;
mod table;
mod text;

#[cfg(feature = "gpkg")]
pub use formats::GeoPackage;
pub use formats::{write_layer, LayerFiles, LayerFormat};
pub use geojson::{
    feature_collection, geojson_string, output_position, round_to, write_geojson,
    FeatureCollection, FeatureSource, Geometry, OrderedMap,
};
pub use html::{html_report, Lang, ReadOutputFile};
pub use layers::{
    BandCell, BandColumn, DemandLayer, DemandProperties, GapProperties, GapsLayer, NetworkLayer,
    PointsLayer, ReachProperties, ResidentDetails, ServiceAreaProperties, ServiceAreasLayer,
    UnitProperties, UnitsLayer,
};
pub use model_report::{
    access_markdown, bands_markdown, profiles_markdown, slope_markdown, tiers_markdown, BandRow,
    REPORT_ACCESS_UNIT_ROWS, REPORT_BAND_UNIT_ROWS, REPORT_SLOPE_CENTER_ROWS,
    REPORT_TIER_UNIT_ROWS,
};
pub use numbers::grouped;
pub use report::{markdown_report, GapRow, ReportContext, REPORT_GAP_ROWS};
pub use table::{write_csv, CsvOptions};
pub use text::{markdown_cell, terminal_text};
