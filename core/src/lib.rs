//! # lifecircle
//!
//! Walking-distance coverage of service centers over real footpath networks.
//!
//! ## `unsafe`
//!
//! The crate has one `unsafe` block: on x86_64 the walking searches issue prefetch
//! hints (`_mm_prefetch`) for the nodes they settle next, which read no memory and
//! cannot fault. It took 20–30 % off whole-network searches on large networks
//! (`benches/README.md`); everything else is safe Rust.
#![deny(missing_docs)]
// `unsafe` is denied everywhere but in the one module a benchmark proved it in
// (prefetch hints of the walking searches, `routing/prefetch.rs`).
#![deny(unsafe_code)]

mod coverage;
mod crs;
mod error;
mod geodesy;
pub mod input;
mod network;
pub mod output;
mod planning;
mod routing;
#[cfg(test)]
mod test_support;

pub use coverage::{
    center_roles, compare_coverage, compute_tier_coverage, CenterChange, CenterRoles,
    CoverageComparison, ProfileCoverage, RequirementCoverage, ServiceConfig, ServiceSpec,
    TierCoverage, TierSpec, GB50180_TOML, SERVICE_PRESETS,
};
pub use coverage::{
    compute_coverage, summarize, CenterResult, CenterSummary, CoverageParams, CoverageResult,
    CoverageSummary, DemandResult, DemandStatus, HistogramBin, UnitSummary, DEFAULT_GAP_LINK_M,
    DEFAULT_MAX_SNAP_M, DEFAULT_MIN_COMPONENT_NODES, DEFAULT_SPEED_KMH, DEFAULT_THRESHOLD_MIN,
};
pub use coverage::{
    find_gaps, network_reach, service_areas, GapArea, ReachPiece, ServiceArea,
    SERVICE_AREA_BUFFER_M,
};
pub use crs::{
    bd09_to_gcj02, bd09_to_wgs84, gcj02_to_bd09, gcj02_to_wgs84, out_of_china, points_to_wgs84,
    reproject_feature_collection, roads_to_wgs84, units_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02,
    Crs,
};
pub use error::{Error, Result};
pub use geodesy::{haversine_m, LocalProjection, EARTH_RADIUS_M};
pub use network::{EdgeId, NetworkParams, NetworkStats, NodeId, Snap, WalkNetwork};
pub use planning::{
    candidates_from_points, generate_candidates, plan_matrix, plan_sites, plan_sites_with_progress,
    rank_candidates, BoundKind, Candidate, CandidateGain, CandidateGrid, CandidateId, CenterId,
    ChosenSite, ClosedCenter, PlanMatrix, PlanModel, PlanOutcome, PlanParams, PlanProgress,
    PlanScratch, PlanStage, Planner, SiteChange, DEFAULT_EXACT_MAX_VARIABLES,
};
pub use routing::{
    closed_edges, profile_costs, tobler_factor, tobler_speed_kmh, MultiSourceSearch, Seed,
    WalkCosts, WalkProfile, OLDER_SPEED_KMH, PROFILE_NAMES, WHEELCHAIR_MAX_SLOPE,
};
