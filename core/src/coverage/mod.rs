//! Coverage stage: per-resident walks, summaries, gaps, network reach and service areas.

mod compute;
mod params;
mod summary;

pub use compute::{compute_coverage, CenterResult, CoverageResult, DemandResult, DemandStatus};
pub use params::{
    CoverageParams, DEFAULT_GAP_LINK_M, DEFAULT_MAX_SNAP_M, DEFAULT_MIN_COMPONENT_NODES,
    DEFAULT_SPEED_KMH, DEFAULT_THRESHOLD_MIN,
};
pub use summary::{summarize, CenterSummary, CoverageSummary, HistogramBin, UnitSummary};
