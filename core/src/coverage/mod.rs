//! Coverage stage: per-resident walks, summaries, gaps, network reach and service areas.

mod compare;
mod compute;
mod gaps;
mod params;
mod reach;
mod service_areas;
mod summary;
mod tiers;

pub use compare::{compare_coverage, CenterChange, CoverageComparison, ProfileCoverage};
pub(crate) use compute::walk_from_position;
pub use compute::{compute_coverage, CenterResult, CoverageResult, DemandResult, DemandStatus};
pub use gaps::{find_gaps, GapArea};
pub use params::{
    CoverageParams, DEFAULT_GAP_LINK_M, DEFAULT_MAX_SNAP_M, DEFAULT_MIN_COMPONENT_NODES,
    DEFAULT_SPEED_KMH, DEFAULT_THRESHOLD_MIN, MAX_SNAP_LIMIT_M, MAX_THRESHOLD_MIN,
};
pub use reach::{network_reach, ReachPiece};
pub use service_areas::{service_areas, ServiceArea, SERVICE_AREA_BUFFER_M};
pub use summary::{summarize, CenterSummary, CoverageSummary, HistogramBin, UnitSummary};
pub use tiers::{
    center_roles, compute_tier_coverage, CenterRoles, RequirementCoverage, ServiceConfig,
    ServiceSpec, TierCoverage, TierSpec, GB50180_TOML, SERVICE_PRESETS,
};
