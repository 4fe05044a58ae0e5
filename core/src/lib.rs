//! # lifecircle
//!
//! Walking-distance coverage of service centers over real footpath networks.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod coverage;
mod error;
mod geodesy;
pub mod input;
mod network;
pub mod output;
mod routing;
#[cfg(test)]
mod test_support;

pub use coverage::{
    compute_coverage, summarize, CenterResult, CenterSummary, CoverageParams, CoverageResult,
    CoverageSummary, DemandResult, DemandStatus, HistogramBin, UnitSummary, DEFAULT_GAP_LINK_M,
    DEFAULT_MAX_SNAP_M, DEFAULT_MIN_COMPONENT_NODES, DEFAULT_SPEED_KMH, DEFAULT_THRESHOLD_MIN,
};
pub use error::{Error, Result};
pub use geodesy::{haversine_m, LocalProjection, EARTH_RADIUS_M};
pub use network::{EdgeId, NetworkParams, NetworkStats, NodeId, Snap, WalkNetwork};
pub use routing::{MultiSourceSearch, Seed, WalkCosts};
