//! The bounds a heuristic plan reports: how far its answer can be from the optimum.
//!
//! MCLP and p-median (maximising coverage or savings) get an upper bound: the greedy
//! online bound, or the relocation bound with closing, tightened by the LP relaxation
//! when the solver can take the instance. LSCP (minimising sites) gets a lower bound:
//! the fewest sites whose largest single gains reach the need, or the rounded-up LP
//! relaxation.

use super::evaluator::Evaluator;
use super::exact;
use super::instance::Instance;
use super::outcome::BoundKind;
use super::params::PlanParams;

/// Sum of the `k` largest marginal gains over the current state of `eval`, leaving out
/// the columns in `skip`.
///
/// Complexity: O(N + J log J) for N matrix entries and J columns.
fn top_k_marginals(eval: &mut Evaluator<'_>, k: usize, skip: &[usize]) -> f64 {
    let n = eval.instance().entries.len();
    let mut gains: Vec<f64> = (0..n)
        .filter(|j| !skip.contains(j))
        .map(|j| eval.marginal(j))
        .collect();
    gains.sort_by(|a, b| b.total_cmp(a));
    gains.iter().take(k).sum()
}

/// Greedy online bound of `k` new sites (no closing): the value of the final `set`
/// plus the `k` largest gains still available, at most the `k` largest gains from
/// nothing, and without capacities at most the greedy's own gain / (1 − 1/e)
/// (submodularity).
pub(crate) fn greedy_online(
    eval: &mut Evaluator<'_>,
    set: &[usize],
    value: f64,
    greedy_gain: f64,
    k: usize,
    capacity: Option<f64>,
) -> f64 {
    eval.value_of(set);
    let mut bound = value + top_k_marginals(eval, k, set);
    eval.reset();
    bound = bound.min(top_k_marginals(eval, k, &[]));
    if capacity.is_none() {
        bound = bound.min(greedy_gain / (1.0 - (-1.0f64).exp()));
    }
    bound
}

/// Relocation bound (closing allowed): any plan is today's centers less some, plus at
/// most `k + max_closed` new sites, so by submodularity it is worth at most today's
/// value plus the largest `k + max_closed` gains over today's centers.
pub(crate) fn relocation(
    eval: &mut Evaluator<'_>,
    existing_cols: &[usize],
    base_value: f64,
    k: usize,
    max_closed: usize,
) -> f64 {
    eval.value_of(existing_cols);
    base_value + top_k_marginals(eval, k + max_closed, existing_cols)
}

/// An upper bound, replaced by the LP relaxation's when that is lower (solved only
/// when the instance is within [`PlanParams::exact_max_variables`]).
pub(crate) fn tighten_upper_with_lp(
    bound: f64,
    inst: &Instance,
    params: &PlanParams,
    need: f64,
    max_closed: usize,
) -> (f64, BoundKind) {
    match exact::lp_bound(inst, params, need, max_closed, None) {
        Some(lp) if lp < bound => (lp, BoundKind::LpRelaxation),
        _ => (bound, BoundKind::Greedy),
    }
}

/// LSCP: the fewest sites whose largest single gains (from nothing open) add up to
/// `need` (less `eps`), a lower bound on the sites any plan needs; with closing,
/// existing centers count among the sites.
pub(crate) fn largest_gains(eval: &mut Evaluator<'_>, need: f64, eps: f64) -> f64 {
    let inst = eval.instance();
    eval.reset();
    let mut singles: Vec<f64> = (0..inst.column_count())
        .filter(|&j| inst.may_close() || !inst.is_existing(j))
        .map(|j| eval.marginal(j))
        .collect();
    singles.sort_by(|a, b| b.total_cmp(a));
    let mut acc = 0.0;
    let mut lb = 0usize;
    for g in &singles {
        if acc >= need - eps {
            break;
        }
        acc += g;
        lb += 1;
    }
    lb as f64
}

/// A lower bound on a site count, replaced by the LP relaxation's (rounded up) when
/// that is higher.
pub(crate) fn tighten_lower_with_lp(
    bound: f64,
    inst: &Instance,
    params: &PlanParams,
    need: f64,
    max_closed: usize,
) -> (f64, BoundKind) {
    match exact::lp_bound(inst, params, need, max_closed, None) {
        Some(lp) if (lp - 1e-6).ceil() > bound => ((lp - 1e-6).ceil(), BoundKind::LpRelaxation),
        _ => (bound, BoundKind::LargestGains),
    }
}
