//! Routing stage: walking costs per edge and bounded multi-source shortest paths.

mod bucket_queue;
mod costs;
mod multi_source;
mod prefetch;
mod profiles;
mod pruned;
mod slope;

pub use costs::WalkCosts;
pub(crate) use multi_source::search_threads;
pub use multi_source::{MultiSourceSearch, Seed};
pub use profiles::{
    closed_edges, profile_costs, profile_costs_by, Measure, WalkProfile, OLDER_SPEED_KMH,
    PROFILE_NAMES, WHEELCHAIR_MAX_SLOPE,
};
pub(crate) use pruned::{Prune, PrunedSearch};
pub use slope::{tobler_factor, tobler_speed_kmh};
