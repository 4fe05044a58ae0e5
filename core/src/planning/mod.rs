//! Planning stage: what-if site changes, candidate ranking and site optimization.
//!
//! What-ifs: `index.rs` ([`PlanIndex`], [`Planner`]), `scratch.rs` (the buffers of the
//! searches from a site, [`PlanScratch`], and the rules that prune them; the search
//! itself is routing's pruned search), `whatif.rs` (the searches from a site, the walks
//! to the residents they reach, add, remove, move: [`SiteChange`]); `rank.rs`
//! ranks candidates and builds the site lists the matrix is made of; `candidates.rs`
//! makes the candidates.
//!
//! Site optimization, file by file in the order the data flows:
//!
//! | file | holds |
//! |---|---|
//! | `params.rs` | [`PlanParams`], [`PlanModel`], [`Method`] |
//! | `instance.rs` | the candidate/demand-group matrix and its build |
//! | `evaluator.rs` | the incremental objective: marginal gains, capacities |
//! | `greedy.rs` | lazy greedy (CELF), 1-swap/2-swap local search, dropping redundant sites |
//! | `exact.rs` | the integer programs and their LP relaxation |
//! | `bounds.rs` | the bounds a heuristic plan reports |
//! | `fairness.rs` | reporting units in a plan: coverage per unit, floors, [`UnitPlan`] |
//! | `targets.rs` | whom a tier plan serves: [`PlanTargets`] |
//! | `problem.rs` | a plan as the models see it, and what they return |
//! | `models/` | one plan function per model (`mclp.rs`, `lscp.rs`, `pmedian.rs`; `k_sites.rs` the heuristic MCLP and p-median share; `fair.rs` MCLP with a unit floor or maximin) |
//! | `assemble.rs` | from the final sites to the [`PlanOutcome`] |
//! | `outcome.rs` | [`PlanOutcome`] and the types it holds, progress |
//! | `plan.rs` | [`plan_sites`], [`plan_sites_with_progress`] |
//! | `matrix.rs` | [`plan_matrix`] |

mod assemble;
mod bounds;
mod candidates;
mod evaluator;
mod exact;
mod fairness;
mod greedy;
mod index;
mod instance;
mod matrix;
mod models;
mod outcome;
mod params;
mod plan;
mod problem;
mod rank;
mod scratch;
mod targets;
#[cfg(test)]
mod tests;
mod whatif;

pub use candidates::{
    candidates_from_points, generate_candidates, Candidate, CandidateGrid, CandidateId,
};
pub use fairness::{PlanUnits, UnitPlan, UnitPlanFigures};
pub use index::{PlanIndex, Planner};
pub use matrix::{plan_matrix, PlanMatrix};
pub use outcome::{BoundKind, ChosenSite, ClosedCenter, PlanOutcome, PlanProgress, PlanStage};
pub use params::{Method, PlanModel, PlanParams, UnitRule, DEFAULT_EXACT_MAX_VARIABLES};
pub use plan::{
    plan_sites, plan_sites_in, plan_sites_in_units, plan_sites_with_progress, PlanScope,
};
pub(crate) use rank::center_catchments;
pub use rank::{rank_candidates, CandidateGain};
pub use scratch::PlanScratch;
pub use targets::PlanTargets;
pub use whatif::SiteChange;
