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
use super::targets::PlanTargets;
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
    plan(planner, candidates, params, PlanScope::default(), progress)
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
    let scope = PlanScope {
        units: Some(units),
        targets: None,
    };
    plan_sites_in(planner, candidates, params, scope, progress)
}

/// What a plan is about beyond the study's own coverage: reporting units to be fair to
/// ([`plan_sites_in_units`]) and whom it serves ([`PlanTargets`], a tier plan).
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanScope<'a> {
    /// The reporting units of [`PlanParams::unit_rule`].
    pub units: Option<&'a PlanUnits>,
    /// Who counts as served today and within which walk a new site serves them
    /// (replacing the study's coverage); needed with [`PlanParams::site_tier`].
    pub targets: Option<&'a PlanTargets>,
}

/// [`plan_sites_with_progress`] in a [`PlanScope`].
///
/// # Errors
/// As [`plan_sites_in_units`]; [`Error::InvalidParameter`] (`site_tier`) when the
/// targets are missing or do not match the residents, or come with closing or
/// p-median.
pub fn plan_sites_in(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
    scope: PlanScope<'_>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<PlanOutcome> {
    plan(planner, candidates, params, scope, progress)
}

fn plan(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
    scope: PlanScope<'_>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<PlanOutcome> {
    params.validate()?;
    let PlanScope { units, targets } = scope;
    let bad_targets = |reason: String| {
        Err(Error::InvalidParameter {
            name: "site_tier".into(),
            reason,
        })
    };
    match (params.site_tier.is_some(), targets) {
        (true, None) => {
            return bad_targets("a tier plan needs its targets (who lacks which service)".into())
        }
        (false, Some(_)) => {
            return bad_targets("targets are for a tier plan: give the site tier".into())
        }
        (_, Some(t)) if t.len() != planner.index.residents.len() => {
            return bad_targets(format!(
                "{} targets for {} residents",
                t.len(),
                planner.index.residents.len()
            ))
        }
        _ => {}
    }
    if params.unit_rule.is_some() && units.is_some_and(PlanUnits::is_empty) {
        return Err(Error::InvalidParameter {
            name: "units".into(),
            reason: "a plan fair to reporting units needs at least one unit".into(),
        });
    }
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
    let problem = Problem::new(planner, candidates, params, units, targets, progress);
    let mut eval = Evaluator::new(&problem.inst, params.capacity);
    let solved = match params.model {
        PlanModel::MaxCoverage => mclp::plan(&problem, &mut eval, progress)?,
        PlanModel::SetCover => lscp::plan(&problem, &mut eval, progress)?,
        PlanModel::PMedian => pmedian::plan(&problem, &mut eval, progress)?,
    };
    Ok(assemble::outcome(&problem, &mut eval, solved))
}
