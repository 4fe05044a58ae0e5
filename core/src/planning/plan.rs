//! The public entry of site optimization: [`plan_sites`] and
//! [`plan_sites_with_progress`] set up the [`Problem`], hand it to the model's plan
//! function and assemble the outcome.

use super::assemble;
use super::candidates::Candidate;
use super::evaluator::Evaluator;
use super::fairness::PlanUnits;
use super::index::Planner;
use super::models::{lscp, mclp, pmedian};
use super::outcome::{PlanOutcome, PlanProgress};
use super::params::{PlanModel, PlanParams, UnitRule};
use super::problem::Problem;
use crate::{Error, Result};

/// Chooses new sites among `candidates` for the model in `params`.
///
/// The candidate → resident matrix is built once (one pruned search per candidate,
/// parallel with the `parallel` feature); residents are grouped exactly (by the
/// candidates that cover them, or by identical walks). Heuristic mode runs lazy greedy
/// (CELF, ties to the smaller candidate index) and a 1-swap/2-swap local search, and reports
/// an upper/lower bound (the LP relaxation when the instance is small enough for the
/// solver, else the greedy online bound). Exact mode solves the integer program with
/// the pure-Rust `microlp` solver through `good_lp`.
///
/// With [`PlanParams::allow_closing`] the existing centers become columns that start
/// open and may close (see there); every site is then searched without pruning, the
/// swap step always runs (closures are relocations it finds) and the exact program
/// gets a binary variable per existing center.
///
/// Complexity: matrix as [`crate::planning::rank_candidates`]; greedy O(k · N) lazily (N = matrix
/// entries), 1-swap O(k · N) and 2-swap O(k² · N) per pass; exact exponential in the worst case.
///
/// # Errors
/// [`Error::InvalidParameter`] for bad parameters, [`Error::Empty`] without
/// candidates, [`Error::TooLarge`] when exact mode meets an instance over
/// `exact_max_variables`.
pub fn plan_sites(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
) -> Result<PlanOutcome> {
    plan_sites_with_progress(planner, candidates, params, &mut |_| {})
}

/// [`plan_sites`], calling `progress` as it goes: after each round of candidate
/// searches (about 1 % of them; parallel within a round), each greedy pick, each swap
/// pass and around the exact solve (see [`PlanStage`](crate::planning::PlanStage)). Each stage ends with
/// `done == total`. Meant for progress bars where there are no threads to poll from
/// (wasm).
///
/// # Errors
/// As [`plan_sites`].
pub fn plan_sites_with_progress(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<PlanOutcome> {
    plan(planner, candidates, params, None, progress)
}

/// [`plan_sites_with_progress`] fair to the reporting units `units`: with
/// [`PlanParams::unit_rule`] the plan holds a per-unit floor or maximises the worst
/// unit, and [`PlanOutcome::units`] gives every unit's coverage before and after.
///
/// # Errors
/// As [`plan_sites`]; [`Error::InvalidParameter`] (`units`) when there is no unit.
pub fn plan_sites_in_units(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
    units: &PlanUnits,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<PlanOutcome> {
    if units.is_empty() {
        return Err(Error::InvalidParameter {
            name: "units".into(),
            reason: "a plan fair to reporting units needs at least one unit".into(),
        });
    }
    plan(planner, candidates, params, Some(units), progress)
}

fn plan(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
    units: Option<&PlanUnits>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<PlanOutcome> {
    params.validate()?;
    if let (Some(rule), None) = (params.unit_rule, units) {
        let name = match rule {
            UnitRule::Floor { .. } => "unit_floor",
            UnitRule::Maximin => "maximin",
        };
        return Err(Error::InvalidParameter {
            name: name.into(),
            reason: "needs reporting units (communities, grid cells: `units`)".into(),
        });
    }
    if candidates.is_empty() {
        return Err(Error::Empty {
            layer: "candidates".into(),
            reason: "no candidate site given".into(),
        });
    }
    let units = units.filter(|_| params.unit_rule.is_some());
    let problem = Problem::new(planner, candidates, params, units, progress);
    let mut eval = Evaluator::new(&problem.inst, params.capacity);
    let solved = match params.model {
        PlanModel::MaxCoverage => mclp::plan(&problem, &mut eval, progress)?,
        PlanModel::SetCover => lscp::plan(&problem, &mut eval, progress)?,
        PlanModel::PMedian => pmedian::plan(&problem, &mut eval, progress)?,
    };
    Ok(assemble::outcome(&problem, &mut eval, solved))
}
