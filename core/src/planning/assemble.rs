//! From a model's final sites to the [`PlanOutcome`]: the sites in order with their
//! gains, coverage and walks after, the closed centers, the objective, bound and gap.

use std::collections::HashSet;

use super::candidates::CandidateId;
use super::evaluator::Evaluator;
use super::fairness::UnitSolve;
use super::outcome::{ChosenSite, ClosedCenter, PlanOutcome};
use super::params::{Method, PlanModel};
use super::problem::{Problem, Solved};
use crate::features::CenterId;

/// The outcome of `solved` on `p`; `eval` is the model's evaluator (with capacities).
pub(crate) fn outcome(p: &Problem<'_>, eval: &mut Evaluator<'_>, solved: Solved) -> PlanOutcome {
    let Solved {
        set,
        value,
        bound: bound_value,
        bound_kind,
        method,
        covered_after: capacitated_after,
        reach_max,
        notes: model_notes,
        unit_solve,
    } = solved;
    let inst = &p.inst;
    let params = p.params;
    let planner = p.planner;
    let before = p.before;
    let sites = ordered_sites(p, eval, &set);
    // Coverage after, by walking distance (no capacity).
    let mut plain = Evaluator::new(inst, None);
    let walking_after = if inst.savings() {
        before
    } else if inst.may_close() {
        plain.value_of(&set)
    } else {
        before + plain.value_of(&set)
    };
    // With capacities, the capacitated assignment's (the model's objective).
    let covered_after = capacitated_after.unwrap_or(walking_after);
    let closed = closed_centers(p, &set, &mut plain);
    let units = match (&p.units, params.unit_rule) {
        (Some(figures), Some(rule)) => {
            let solve = unit_solve.unwrap_or(UnitSolve {
                floor_met: false,
                sites_needed: None,
                sites_needed_at_least: None,
            });
            Some(figures.plan(rule, solve, &mut plain, &set))
        }
        _ => None,
    };
    // Objective: the plan's gain over today (MCLP, p-median) or its site count (LSCP).
    let (objective_value, bound_value) = match params.model {
        PlanModel::SetCover => (value, bound_value),
        _ => (value - p.base_value, bound_value - p.base_value),
    };
    let (mean_before, mean_after, objective) = if inst.savings() {
        let walk_pop: f64 = planner
            .index
            .residents
            .iter()
            .filter(|r| r.cost_m.is_finite())
            .map(|r| r.population)
            .sum();
        let base: f64 = planner
            .index
            .residents
            .iter()
            .filter(|r| r.cost_m.is_finite())
            .map(|r| r.population * r.cost_m / planner.index.metres_per_min)
            .sum();
        let after = base - objective_value;
        let mean = |x: f64| (walk_pop > 0.0).then(|| x / walk_pop);
        // Savings bound → walk-minutes lower bound.
        (mean(base), mean(after), (after, base - bound_value))
    } else {
        (None, None, (objective_value, bound_value))
    };
    let (objective, bound) = objective;
    let gap = (bound - objective).abs();
    let relative_gap = match params.model {
        PlanModel::MaxCoverage if bound.abs() > 0.0 => gap / bound.abs(),
        PlanModel::SetCover | PlanModel::PMedian if objective.abs() > 0.0 => gap / objective.abs(),
        _ => 0.0,
    };
    let target_reached = (params.model == PlanModel::SetCover)
        .then(|| p.ratio(covered_after) >= params.target_ratio - 1e-12);
    let mut notes = p.notes.clone();
    notes.extend(model_notes);
    if let (Some(capacity), Some(_)) = (params.capacity, capacitated_after) {
        notes.push(if covered_after < walking_after {
            format!(
                "the after-coverage counts each new site up to its capacity of {capacity}: \
                 {:.2} % ({covered_after:.0} population); by walking distance alone the same \
                 sites cover {:.2} % ({walking_after:.0}), as a coverage run of the plan (the \
                 `after/` folder of `lifecircle plan`) counts them",
                p.ratio(covered_after) * 100.0,
                p.ratio(walking_after) * 100.0,
            )
        } else {
            format!(
                "the after-coverage counts each new site up to its capacity of {capacity}; no \
                 site needs more, so it equals the walking coverage of the plan ({:.2} %, as \
                 the `after/` folder of `lifecircle plan` counts it)",
                p.ratio(covered_after) * 100.0,
            )
        });
    }
    if inst.cands.is_empty() && !inst.may_close() {
        notes.push("no candidate improves anyone's walk".into());
    }
    PlanOutcome {
        model: params.model,
        method,
        sites,
        objective,
        bound,
        bound_kind,
        gap,
        relative_gap,
        total_population: p.total,
        covered_population_before: before,
        covered_population_after: covered_after,
        coverage_ratio_before: p.ratio(before),
        coverage_ratio_after: p.ratio(covered_after),
        mean_walk_before_min: mean_before,
        mean_walk_after_min: mean_after,
        target_reached,
        max_reachable_ratio: (params.model == PlanModel::SetCover)
            .then(|| p.ratio(reach_max.unwrap_or(p.reach_max))),
        notes,
        useful_candidates: inst.cands.len(),
        demand_groups: inst.weight.len(),
        closed,
        units,
        site_tier: params.site_tier.clone(),
    }
}

/// The new sites of `set` in order of their gains after today's (kept) centers: as
/// picked (heuristic), or greedily by gain (exact, whose set has no order).
fn ordered_sites(p: &Problem<'_>, eval: &mut Evaluator<'_>, set: &[usize]) -> Vec<ChosenSite> {
    let inst = &p.inst;
    let kept: Vec<usize> = set
        .iter()
        .copied()
        .filter(|&j| inst.is_existing(j))
        .collect();
    let mut left: Vec<usize> = set
        .iter()
        .copied()
        .filter(|&j| !inst.is_existing(j))
        .collect();
    eval.value_of(&kept);
    let mut ordered: Vec<(usize, f64)> = Vec::new();
    if p.params.method == Method::Exact {
        // Greedily by gain.
        while !left.is_empty() {
            let (pos, _) = left
                .iter()
                .enumerate()
                .map(|(p, &j)| (p, eval.marginal(j)))
                .fold((0, f64::NEG_INFINITY), |best, (p, g)| {
                    if g > best.1 {
                        (p, g)
                    } else {
                        best
                    }
                });
            let j = left.remove(pos);
            ordered.push((j, eval.add(j)));
        }
    } else {
        ordered = left.iter().map(|&j| (j, eval.add(j))).collect();
    }
    let n_existing = inst.existing().len();
    ordered
        .iter()
        .enumerate()
        .map(|(rank, &(j, gain))| {
            let c = inst.cands[j - n_existing];
            ChosenSite {
                rank: rank + 1,
                candidate: CandidateId(c as u32),
                id: p.candidates[c].id.clone(),
                lonlat: p.candidates[c].lonlat,
                gain,
            }
        })
        .collect()
}

/// The existing centers `set` leaves out, with what their residents lose. `plain` is an
/// evaluator without capacities.
fn closed_centers(p: &Problem<'_>, set: &[usize], plain: &mut Evaluator<'_>) -> Vec<ClosedCenter> {
    let inst = &p.inst;
    if !inst.may_close() {
        return Vec::new();
    }
    let savings = inst.savings();
    let open: HashSet<usize> = set.iter().copied().collect();
    let existing = inst.existing();
    let mut slot = vec![usize::MAX; existing.len()];
    let mut out = Vec::new();
    for (j, &c) in existing.iter().enumerate() {
        if !open.contains(&j) {
            slot[c as usize] = out.len();
            out.push(ClosedCenter {
                center: CenterId(c),
                served_population: 0.0,
                covered_population_lost: (!savings).then_some(0.0),
                walk_minutes_added: savings.then_some(0.0),
            });
        }
    }
    if out.is_empty() {
        return out;
    }
    plain.value_of(set);
    let planner = p.planner;
    let t = planner.index.threshold_cost_m;
    let mpm = planner.index.metres_per_min;
    let resident_group = inst.columns.resident_group();
    for (r, d) in planner.result.demand.iter().enumerate() {
        let Some(c) = d.nearest_center else { continue };
        let Some(&k) = slot.get(c.index()) else {
            continue;
        };
        if k == usize::MAX {
            continue;
        }
        let res = &planner.index.residents[r];
        let g = resident_group[r];
        let entry = &mut out[k];
        entry.served_population += res.population;
        if let Some(lost) = &mut entry.covered_population_lost {
            let covered_after = g != u32::MAX && plain.group_state(g as usize) <= 0.0;
            if res.cost_m <= t && !covered_after {
                *lost += res.population;
            }
        }
        if let Some(added) = &mut entry.walk_minutes_added {
            if g != u32::MAX && res.cost_m.is_finite() {
                *added += res.population * (plain.group_state(g as usize) - res.cost_m / mpm);
            }
        }
    }
    out
}
