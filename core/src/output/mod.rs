//! Output stage: GeoJSON layers, the JSON summary and the Markdown report.
//!
//! Writers return strings; the CLI decides where they go. Numbers are rounded to fixed
//! precision (coordinates 1e-7°, metres 0.01, minutes 0.001) and objects keep a fixed key
//! order, so the same input always gives the same bytes.

mod feature_collection;
mod layers;
mod model_report;
mod report;

pub use feature_collection::{round_to, FeatureCollectionWriter};
pub use layers::{
    demand_geojson, demand_geojson_with, gaps_geojson, network_geojson, service_areas_geojson,
    units_geojson,
};
pub use model_report::{
    profiles_markdown, slope_markdown, tiers_markdown, REPORT_SLOPE_CENTER_ROWS,
};
pub use report::{markdown_report, GapRow, ReportContext, REPORT_GAP_ROWS};
