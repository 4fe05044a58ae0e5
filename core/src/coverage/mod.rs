//! Coverage stage: per-resident walks, summaries, gaps, network reach and service areas.

mod access;
mod catalogue;
mod center_roles;
mod center_rules;
mod compare;
mod compute;
mod gap_pieces;
mod gaps;
mod params;
mod reach;
mod service_areas;
mod summary;
mod tiers;
mod unit_tiers;

pub(crate) use access::accessibility;
pub use access::{
    center_capacities, two_step_fca, AccessDecay, AccessParams, Accessibility, UnitAccess,
};
pub use catalogue::{
    ServiceConfig, ServiceSpec, TierSpec, GB50180_MINUTES_TOML, GB50180_TOML, SERVICE_PRESETS,
};
pub use center_roles::{center_roles, CenterRoles};
pub use center_rules::{CenterRule, RuleCount, RuleReport, RuleValue, UNMATCHED_LISTED};
pub use compare::{compare_coverage, CenterChange, CoverageComparison, ProfileCoverage};
pub(crate) use compute::compute_with_snaps;
pub(crate) use compute::walk_from_position;
pub use compute::{
    compute_coverage, CenterResult, CoverageResult, DemandResult, DemandSnaps, DemandStatus,
};
pub use gap_pieces::find_gap_pieces;
pub use gaps::{find_gaps, GapArea};
pub use params::{
    CoverageParams, GapMode, Threshold, DEFAULT_GAP_LINK_M, DEFAULT_MAX_SNAP_M,
    DEFAULT_MIN_COMPONENT_NODES, DEFAULT_SPEED_KMH, DEFAULT_THRESHOLD_MIN, MAX_SNAP_LIMIT_M,
    MAX_THRESHOLD_M, MAX_THRESHOLD_MIN,
};
pub use reach::{network_reach, network_reach_in_bands, ReachPiece};
pub use service_areas::{service_areas, ServiceArea, SERVICE_AREA_BUFFER_M};
pub(crate) use summary::assign_units;
pub use summary::{summarize, CenterSummary, CoverageSummary, HistogramBin, UnitSummary};
pub(crate) use tiers::tier_coverage_with_snaps;
pub use tiers::{
    compute_tier_coverage, RequirementCoverage, TierCoverage, UnitRequirement, UnitTierCoverage,
    UpgradeOption, UPGRADES_LISTED,
};
pub use unit_tiers::tier_coverage_per_unit;
