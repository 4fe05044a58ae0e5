//! What a plan answers: the chosen sites, the closed centers, the figures before and
//! after, the bound, and the progress reported on the way.

use serde::Serialize;

use super::candidates::CandidateId;
use super::fairness::UnitPlan;
use super::params::{Method, PlanModel};
use crate::features::CenterId;

/// Which bound a plan reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundKind {
    /// The solver proved the answer optimal: bound = objective.
    Optimal,
    /// The linear-programming relaxation of the integer program.
    LpRelaxation,
    /// The greedy online bound: objective plus the largest marginal gains still
    /// available (and, without capacities, objective / (1 − 1/e)).
    Greedy,
    /// LSCP: the fewest sites whose largest single gains add up to the target.
    LargestGains,
}

/// One chosen site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChosenSite {
    /// Order of choice (1 = first).
    pub rank: usize,
    /// The candidate.
    pub candidate: CandidateId,
    /// Its id.
    pub id: String,
    /// `[lon, lat]`.
    pub lonlat: [f64; 2],
    /// What it adds to the objective after the sites before it: population newly
    /// covered (MCLP, LSCP; with capacity, population assigned to it), or walk minutes
    /// saved (p-median).
    pub gain: f64,
}

/// The answer of [`plan_sites`](crate::planning::plan_sites).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanOutcome {
    /// The model solved.
    pub model: PlanModel,
    /// How it was solved (`greedy`, `greedy+swap` or `exact`): what ran, which may
    /// differ from [`PlanParams::method`](crate::planning::PlanParams::method). `greedy+swap`
    /// only when the swap step ran: MCLP and p-median once the greedy picked a site,
    /// with [`Method::GreedySwap`] or with closing allowed (closing always swaps); LSCP
    /// has no swap step and says `greedy`.
    pub method: Method,
    /// Chosen sites in order.
    pub sites: Vec<ChosenSite>,
    /// MCLP: population the new sites cover (with capacity: assign). LSCP: number of new
    /// sites. p-median: population-weighted total walk minutes after (residents with a
    /// walk before).
    pub objective: f64,
    /// Best possible objective proven: an upper bound for MCLP, a lower bound for LSCP
    /// and p-median.
    pub bound: f64,
    /// How the bound was found.
    pub bound_kind: BoundKind,
    /// `|bound − objective|`.
    pub gap: f64,
    /// `gap / |bound|` for MCLP, `gap / |objective|` otherwise (0 when optimal).
    pub relative_gap: f64,
    /// Total population.
    pub total_population: f64,
    /// Covered population before (current centers).
    pub covered_population_before: f64,
    /// Covered population after, by walking distance (every resident within the
    /// threshold of a center or a new site; MCLP and LSCP). With a capacity, that of the
    /// capacitated assignment: existing centers keep whom they serve and each new site
    /// counts up to its capacity of newly covered population (the heuristic's
    /// evaluator, or the best assignment of the exact sites); a note gives the walking
    /// figure too.
    pub covered_population_after: f64,
    /// Coverage ratio before.
    pub coverage_ratio_before: f64,
    /// Coverage ratio after.
    pub coverage_ratio_after: f64,
    /// p-median: population-weighted mean walk before and after, minutes.
    pub mean_walk_before_min: Option<f64>,
    /// See `mean_walk_before_min`.
    pub mean_walk_after_min: Option<f64>,
    /// LSCP: whether the target ratio was reached (by `coverage_ratio_after`, so with a
    /// capacity by the capacitated assignment).
    pub target_reached: Option<bool>,
    /// LSCP: the highest ratio the candidates could reach together (with a capacity,
    /// with their capacities: the maximal assignment by the LP when the instance is
    /// within `exact_max_variables`, else the greedy assignment of every site).
    pub max_reachable_ratio: Option<f64>,
    /// Why the target cannot be reached, or other notes for the planner.
    pub notes: Vec<String>,
    /// Candidates that improve anyone.
    pub useful_candidates: usize,
    /// Resident groups in the model (residents no candidate tells apart share one).
    pub demand_groups: usize,
    /// Existing centers the plan closes (only with [`PlanParams::allow_closing`](crate::planning::PlanParams::allow_closing)), by
    /// center index.
    pub closed: Vec<ClosedCenter>,
    /// With [`PlanParams::unit_rule`](crate::planning::PlanParams::unit_rule): the rule,
    /// whether it was met and every reporting unit's coverage before and after.
    pub units: Option<UnitPlan>,
    /// A tier plan ([`PlanParams::site_tier`](crate::planning::PlanParams::site_tier)):
    /// the tier of the new sites; the coverage figures are then complete coverage.
    pub site_tier: Option<String>,
}

/// An existing center the plan closes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedCenter {
    /// The center (its index in the centers given to the coverage run).
    pub center: CenterId,
    /// Population whose nearest center it is today.
    pub served_population: f64,
    /// MCLP, LSCP: of that population, the part covered today and not after the plan
    /// (residents it shares with other closed centers count for their nearest one).
    pub covered_population_lost: Option<f64>,
    /// p-median: population-weighted walk minutes that population walks more after the
    /// plan (negative when the new sites bring it closer).
    pub walk_minutes_added: Option<f64>,
}

/// A stage of [`plan_sites_with_progress`](crate::planning::plan_sites_with_progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStage {
    /// Searching every candidate (and, with closing, every existing center): `done` of
    /// `total` sites.
    Candidates,
    /// Lazy greedy: `done` sites picked of `total` (`k`; LSCP: of the useful candidates,
    /// an upper limit it usually stops well before).
    Greedy,
    /// Swap improvement: `done` of `total` million matrix entries visited (the work
    /// limit, which it usually stops well before); reported after each pass.
    Swap,
    /// The integer program: 0 of 1 when it starts, 1 of 1 when it ends.
    Exact,
}

/// Progress of [`plan_sites_with_progress`](crate::planning::plan_sites_with_progress): `done` of `total` in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlanProgress {
    /// What the optimizer is doing.
    pub stage: PlanStage,
    /// Units done.
    pub done: usize,
    /// Units in the stage (see [`PlanStage`]).
    pub total: usize,
}

/// Calls `progress` with `done` of `total` in `stage`.
pub(crate) fn report(
    progress: &mut dyn FnMut(PlanProgress),
    stage: PlanStage,
    done: usize,
    total: usize,
) {
    progress(PlanProgress { stage, done, total });
}
