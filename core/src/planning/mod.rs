//! Planning stage: what-if site changes, candidate ranking and site optimization.

mod candidates;
mod exact;
mod optimize;
mod params;
mod rank;
#[cfg(test)]
mod tests;
mod whatif;

pub use candidates::{
    candidates_from_points, generate_candidates, Candidate, CandidateGrid, CandidateId,
};
pub use optimize::{
    plan_matrix, plan_sites, plan_sites_with_progress, BoundKind, ChosenSite, ClosedCenter,
    PlanMatrix, PlanOutcome, PlanProgress, PlanStage,
};
pub use params::{PlanModel, PlanParams, DEFAULT_EXACT_MAX_VARIABLES};
pub use rank::{rank_candidates, CandidateGain};
pub use whatif::{CenterId, PlanScratch, Planner, SiteChange};
