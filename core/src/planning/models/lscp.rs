//! Location set covering (LSCP): the fewest new sites (with closing: open sites in all)
//! reaching a target coverage ratio.

use crate::planning::bounds;
use crate::planning::evaluator::Evaluator;
use crate::planning::exact::{self, MaxCoverage};
use crate::planning::greedy::{celf, drop_redundant};
use crate::planning::outcome::{report, PlanProgress, PlanStage};
use crate::planning::params::Method;
use crate::planning::problem::{Problem, Solved};
use crate::Result;

/// Solves LSCP by the integer program ([`Method::Exact`]) or the heuristic.
///
/// With a capacity, the coverage after and the most reachable are those of the
/// capacitated assignment, and a target the capacitated sites cannot reach is reported
/// (not reached, with a note) rather than an error: the exact mode then gives the
/// fewest sites reaching the most they can cover.
///
/// # Errors
/// As [`Problem::solve_exact`].
pub(crate) fn plan(
    p: &Problem<'_>,
    eval: &mut Evaluator<'_>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<Solved> {
    let exact_mode = p.params.method == Method::Exact;
    let Some(capacity) = p.params.capacity else {
        return if exact_mode {
            let sol = p
                .solve_exact(p.reachable_need, progress)?
                .ok_or_else(exact::infeasible)?;
            let value = sol.chosen.len() as f64;
            Ok(Solved::exact(sol, value))
        } else {
            Ok(heuristic(p, eval, progress))
        };
    };
    // The most the sites can cover with their capacities (exact, when the LP can take
    // the instance).
    let max_assignment = exact::max_coverage(&p.inst, p.params, None);
    let mut solved = if exact_mode {
        match p.solve_exact(p.reachable_need, progress)? {
            Some(sol) => {
                let value = sol.chosen.len() as f64;
                Solved::exact(sol, value)
            }
            // The need is more than the capacitated sites can serve.
            None => {
                let max = max_assignment.as_ref().ok_or_else(exact::infeasible)?;
                most_reachable(p, eval, max)
            }
        }
    } else {
        heuristic(p, eval, progress)
    };
    let lp_max = max_assignment.map(|m| m.covered);
    let covered = covered_with_capacity(p, eval, &solved.set, lp_max);
    let reach = reachable_with_capacity(p, eval, covered, lp_max);
    solved.covered_after = Some(p.covered_total(covered));
    solved.reach_max = Some(p.covered_total(reach).min(p.reach_max));
    if covered < p.reachable_need - p.eps {
        let note = unreached(p, capacity, covered, reach, lp_max);
        solved.notes.insert(0, note);
    }
    Ok(solved)
}

/// What `set` covers with the capacities (the instance's units): the evaluator's
/// assignment in heuristic mode (its objective), the best assignment of the sites in
/// exact mode (taken as meeting the need when within the solver's tolerance of it).
fn covered_with_capacity(
    p: &Problem<'_>,
    eval: &mut Evaluator<'_>,
    set: &[usize],
    lp_max: Option<f64>,
) -> f64 {
    if p.params.method != Method::Exact {
        return eval.value_of(set);
    }
    let best = exact::max_coverage(&p.inst, p.params, Some(set))
        .map_or_else(|| eval.value_of(set), |m| m.covered);
    let need = p.reachable_need.min(lp_max.unwrap_or(f64::INFINITY));
    if best < need && need - best <= tolerance(need) {
        need
    } else {
        best
    }
}

/// The most the sites can cover with the capacities (the instance's units): the
/// maximal assignment `lp_max` when known, else the greedy assignment of every site
/// that gains (what the heuristic reached when it fell short of the need).
fn reachable_with_capacity(
    p: &Problem<'_>,
    eval: &mut Evaluator<'_>,
    covered: f64,
    lp_max: Option<f64>,
) -> f64 {
    match lp_max {
        Some(max) => max.max(covered),
        None if covered < p.reachable_need - p.eps => covered,
        None => {
            let gains: f64 = celf(eval, &p.existing_cols, |_, _| false, &mut |_| {})
                .iter()
                .map(|g| g.1)
                .sum();
            (p.base_value + gains).max(covered)
        }
    }
}

/// The note of a target not reached with a capacity: unreachable (with the most
/// reachable), or reachable though not by the greedy assignment.
fn unreached(
    p: &Problem<'_>,
    capacity: f64,
    covered: f64,
    reach: f64,
    lp_max: Option<f64>,
) -> String {
    let target = p.params.target_ratio * 100.0;
    let reach_pct = p.ratio(p.covered_total(reach)) * 100.0;
    let covered_pct = p.ratio(p.covered_total(covered)) * 100.0;
    let at_most = format!(
        "target {target:.1} % is unreachable with a capacity of {capacity} per new site: \
         the sites can bring coverage to {reach_pct:.2} % at most"
    );
    match lp_max {
        Some(max) if max < p.reachable_need - p.eps && covered < max - p.eps => {
            format!("{at_most} (the greedy assignment reaches {covered_pct:.2} %)")
        }
        Some(max) if max < p.reachable_need - p.eps => at_most,
        Some(_) => format!(
            "target {target:.1} % is not reached: with a capacity of {capacity} per new site \
             the greedy assignment brings coverage to {covered_pct:.2} %, though up to \
             {reach_pct:.2} % is reachable (the exact method may reach the target)"
        ),
        None => format!(
            "target {target:.1} % is not reached with a capacity of {capacity} per new site: \
             the greedy assignment brings coverage to {reach_pct:.2} % at most (the instance \
             is over exact_max_variables, so the exact maximum was not computed)"
        ),
    }
}

/// Exact mode when the target is out of reach of the capacitated sites: today's
/// centers (none closes) and the sites the maximal assignment `max` uses, which reach
/// the most the sites can cover. They are not minimised (the fewest sites reaching the
/// maximum is a far harder program); the lower bound says how far from the fewest they
/// may be.
fn most_reachable(p: &Problem<'_>, eval: &mut Evaluator<'_>, max: &MaxCoverage) -> Solved {
    let mut set = p.existing_cols.clone();
    set.extend(max.used.iter().copied().filter(|&j| !p.inst.is_existing(j)));
    let need = max.covered - tolerance(max.covered);
    let bound = bounds::largest_gains(eval, need, p.eps);
    let (bound, bound_kind) = bounds::tighten_lower_with_lp(bound, &p.inst, p.params, need, 0);
    let n = set.len() as f64;
    Solved {
        notes: vec![format!(
            "the exact mode opens the {} new sites the maximal assignment uses, reaching the \
             most the sites can cover; fewer sites may reach it (the bound is the fewest \
             proven needed)",
            n as usize - p.existing_cols.len()
        )],
        set,
        value: n,
        bound: bound.min(n),
        bound_kind,
        method: Method::Exact,
        covered_after: None,
        reach_max: None,
        unit_solve: None,
    }
}

/// How far below a need the solver's answers may fall and still meet it.
fn tolerance(need: f64) -> f64 {
    1e-6 * need.abs().max(1.0)
}

/// Lazy greedy until the need is met, then dropping the sites the others make
/// redundant; with closing also from nothing open, kept when that needs fewer sites.
/// The lower bound is the fewest largest single gains reaching the need, or the
/// rounded-up LP relaxation when higher.
///
/// Complexity: greedy O(J · N) lazily at worst for J useful candidates and N matrix
/// entries (usually far less: it stops at the need), dropping O(J · N).
fn heuristic(
    p: &Problem<'_>,
    eval: &mut Evaluator<'_>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Solved {
    let inst = &p.inst;
    let need = p.reachable_need - p.eps;
    let useful = inst.cands.len();
    let mut set = p.existing_cols.clone();
    let picks = celf(eval, &p.existing_cols, |v, _| v >= need, &mut |n| {
        report(progress, PlanStage::Greedy, n.min(useful), useful);
    });
    set.extend(picks.iter().map(|p| p.0));
    drop_redundant(eval, &mut set, need, p.max_closed);
    if inst.may_close() {
        // Also from nothing open, over every site; kept when it needs fewer sites
        // within the closure budget.
        let picks = celf(eval, &[], |v, _| v >= need, &mut |_| {});
        let mut fresh: Vec<usize> = picks.iter().map(|p| p.0).collect();
        drop_redundant(eval, &mut fresh, need, p.max_closed);
        let n_existing = p.existing_cols.len();
        let closes = n_existing - fresh.iter().filter(|&&j| j < n_existing).count();
        if fresh.len() < set.len() && closes <= p.max_closed {
            set = fresh;
        }
    }
    report(progress, PlanStage::Greedy, useful, useful);
    let bound = bounds::largest_gains(eval, p.reachable_need, p.eps);
    let (bound, bound_kind) =
        bounds::tighten_lower_with_lp(bound, inst, p.params, p.reachable_need, p.max_closed);
    let n = set.len() as f64;
    Solved {
        set,
        value: n,
        bound: bound.min(n),
        bound_kind,
        method: Method::Greedy,
        covered_after: None,
        reach_max: None,
        notes: Vec::new(),
        unit_solve: None,
    }
}
