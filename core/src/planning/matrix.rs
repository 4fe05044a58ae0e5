//! The matrix a plan optimizes over, exported for comparison with other solvers.

use serde::Serialize;

use super::candidates::{Candidate, CandidateId};
use super::index::Planner;
use super::instance::Instance;
use super::params::PlanParams;
use crate::features::CenterId;

/// The model's candidate → demand-group coverage, for comparison with other solvers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanMatrix {
    /// Population of each demand group (residents no candidate tells apart).
    pub weights: Vec<f64>,
    /// Walk minutes now (p-median; 0 for coverage models).
    pub current_min: Vec<f64>,
    /// With closing: the existing centers, which are the leading columns (empty
    /// otherwise).
    pub existing_centers: Vec<CenterId>,
    /// Candidates that improve anyone, in candidate order (the columns after the
    /// existing centers).
    pub candidates: Vec<CandidateId>,
    /// For each column: `(group, walk minutes from it)` (coverage models list only
    /// groups within the threshold; their minutes are 0).
    pub entries: Vec<Vec<(u32, f64)>>,
    /// Population covered before any new site.
    pub covered_population_before: f64,
    /// Total population.
    pub total_population: f64,
}

/// The matrix [`plan_sites`](crate::planning::plan_sites) optimizes over, for export.
///
/// Complexity: as the matrix step of [`plan_sites`](crate::planning::plan_sites).
pub fn plan_matrix(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
) -> PlanMatrix {
    let inst = Instance::build(planner, candidates, params, None, None, &mut |_, _| {});
    PlanMatrix {
        existing_centers: inst.existing().iter().map(|&c| CenterId(c)).collect(),
        candidates: inst.cands.iter().map(|&c| CandidateId(c as u32)).collect(),
        weights: inst.weight,
        current_min: inst.current_min,
        entries: inst.entries,
        covered_population_before: planner.index.covered_population,
        total_population: planner.index.total_population,
    }
}
