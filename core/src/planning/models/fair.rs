//! MCLP fair to every reporting unit: `k` new sites covering the most population with
//! every unit at least at a floor, or with the worst-covered unit as well covered as
//! possible. Both are integer programs; the heuristic has no per-unit constraint.

use crate::planning::evaluator::Evaluator;
use crate::planning::exact::{self, ExactSolution};
use crate::planning::fairness::{UnitConstraint, UnitFigures, UnitSolve};
use crate::planning::outcome::PlanProgress;
use crate::planning::params::{Method, PlanModel, PlanParams, UnitRule};
use crate::planning::problem::{Problem, Solved};
use crate::Result;

/// How far below the worst ratio found the second solve may go: the solver's own
/// rounding, not a share of anyone.
const WORST_RATIO_SLACK: f64 = 1e-9;

/// Solves MCLP under `rule` by the integer program.
///
/// - Floor: units below the floor that the candidates can bring to it must reach it;
///   those they cannot are left out of the floor (and reported). When no `k` sites
///   meet the floor, the answer is the best `k` sites without it, with the fewest sites
///   that would meet it.
/// - Maximin: first the highest worst ratio over the units new sites can improve, then
///   the most population with every such unit at least there.
///
/// # Errors
/// As [`Problem::solve_exact`].
pub(crate) fn plan(
    p: &Problem<'_>,
    eval: &mut Evaluator<'_>,
    rule: UnitRule,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<Solved> {
    let figures = p
        .units
        .as_ref()
        .expect("a unit rule is planned with its units");
    let mut notes = Vec::new();
    if p.params.method != Method::Exact {
        notes.push(format!(
            "the per-unit {} is solved by the integer program (method exact): the greedy \
             heuristic cannot hold a constraint per unit",
            rule_name(rule)
        ));
    }
    let (sol, unit_solve) = match rule {
        UnitRule::Floor { ratio } => floor(p, figures, ratio, &mut notes, progress)?,
        UnitRule::Maximin => (maximin(p, figures, progress)?, None),
    };
    let value = eval.value_of(&sol.chosen);
    let mut solved = Solved::exact(sol, value);
    solved.notes = notes;
    solved.unit_solve = unit_solve;
    Ok(solved)
}

fn rule_name(rule: UnitRule) -> &'static str {
    match rule {
        UnitRule::Floor { .. } => "floor",
        UnitRule::Maximin => "maximin",
    }
}

/// The floor's solve: the plan, and whether it met the floor.
fn floor(
    p: &Problem<'_>,
    figures: &UnitFigures,
    ratio: f64,
    notes: &mut Vec<String>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<(ExactSolution, Option<UnitSolve>)> {
    let floors: Vec<Option<f64>> = (0..figures.len())
        .map(|u| (figures.below(u, ratio) && figures.can_reach(u, ratio)).then_some(ratio))
        .collect();
    let out_of_reach = (0..figures.len())
        .filter(|&u| figures.below(u, ratio) && !figures.can_reach(u, ratio))
        .count();
    if out_of_reach > 0 {
        notes.push(format!(
            "{out_of_reach} unit(s) cannot reach {:.0} % even with every candidate open \
             (`out_of_reach` in the units list, with their `max_reachable_ratio`): they are \
             left out of the floor",
            ratio * 100.0
        ));
    }
    let constraint = UnitConstraint::Floors(figures, floors);
    if let Some(sol) = p.solve_exact_in_units(p.params, 0.0, Some(&constraint), progress)? {
        let met = UnitSolve {
            floor_met: true,
            sites_needed: None,
            sites_needed_at_least: None,
        };
        return Ok((sol, Some(met)));
    }
    // No k sites meet the floor: how many would, then the best k without it.
    let fewest = PlanParams {
        model: PlanModel::SetCover,
        ..p.params.clone()
    };
    let needed = greedy_floor_cover(p, figures, &constraint_floors(&constraint));
    let at_least = exact::lp_bound(&p.inst, &fewest, 0.0, p.max_closed, Some(&constraint))
        // The LP's count, rounded up past its rounding; k sites are known not to do.
        .map_or(p.params.k + 1, |lp| {
            ((lp - 1e-6).ceil() as usize).max(p.params.k + 1)
        });
    let at_least = needed.map(|n| at_least.min(n));
    notes.push(match (needed, at_least) {
        (Some(n), Some(least)) if least == n => format!(
            "no {} new site(s) bring every unit that can reach it to {:.0} %: the fewest \
             that do are {n}; this plan is the best {} site(s) without the floor",
            p.params.k,
            ratio * 100.0,
            p.params.k
        ),
        (Some(n), Some(least)) => format!(
            "no {} new site(s) bring every unit that can reach it to {:.0} %: {n} do (a \
             greedy choice; at least {least} are needed); this plan is the best {} site(s) \
             without the floor",
            p.params.k,
            ratio * 100.0,
            p.params.k
        ),
        _ => format!(
            "no {} new site(s) bring every unit that can reach it to {:.0} %; this plan is \
             the best {} site(s) without the floor",
            p.params.k,
            ratio * 100.0,
            p.params.k
        ),
    });
    let sol = p
        .solve_exact_in_units(p.params, 0.0, None, progress)?
        .ok_or_else(exact::infeasible)?;
    let unmet = UnitSolve {
        floor_met: false,
        sites_needed: needed,
        sites_needed_at_least: at_least,
    };
    Ok((sol, Some(unmet)))
}

fn constraint_floors(constraint: &UnitConstraint<'_>) -> Vec<Option<f64>> {
    match constraint {
        UnitConstraint::Floors(_, floors) => floors.clone(),
        UnitConstraint::MaximiseWorst(f, _) => vec![None; f.len()],
    }
}

/// New sites that bring every unit with a floor to it, chosen greedily: each time the
/// candidate closing most of the units' remaining shortfall. `None` when the candidates
/// cannot (the floors are set only where all of them together can).
///
/// Why not the integer program: minimising the count under floors is the program
/// `microlp` proves slowest (120 s on the Isle of Man sample's 9 units and 596
/// candidates, where the greedy cover and the LP bound take milliseconds and agree
/// within a site or two); the caller reports the LP's lower bound beside it.
fn greedy_floor_cover(
    p: &Problem<'_>,
    figures: &UnitFigures,
    floors: &[Option<f64>],
) -> Option<usize> {
    let inst = &p.inst;
    let mut shortfall: Vec<f64> = (0..figures.len())
        .map(|u| {
            floors[u].map_or(0.0, |r| {
                (r * figures.population[u] - figures.covered_before[u]).max(0.0)
            })
        })
        .collect();
    let mut covered = vec![false; inst.weight.len()];
    let mut open = vec![false; inst.column_count()];
    let mut chosen = 0;
    let mut per_unit = vec![0.0; figures.len()];
    while shortfall.iter().any(|&s| s > p.eps) {
        let mut best: Option<(f64, usize)> = None;
        for (j, list) in inst.entries.iter().enumerate() {
            if open[j] {
                continue;
            }
            per_unit.iter_mut().for_each(|v| *v = 0.0);
            for &(g, _) in list {
                if !covered[g as usize] {
                    for &u in &inst.group_units[g as usize] {
                        per_unit[u as usize] += inst.weight[g as usize];
                    }
                }
            }
            let gain: f64 = per_unit
                .iter()
                .zip(&shortfall)
                .map(|(&w, &s)| w.min(s))
                .sum();
            if gain > p.eps && best.is_none_or(|(b, _)| gain > b) {
                best = Some((gain, j));
            }
        }
        let (_, j) = best?;
        open[j] = true;
        chosen += 1;
        for &(g, _) in &inst.entries[j] {
            if !std::mem::replace(&mut covered[g as usize], true) {
                for &u in &inst.group_units[g as usize] {
                    shortfall[u as usize] =
                        (shortfall[u as usize] - inst.weight[g as usize]).max(0.0);
                }
            }
        }
    }
    Some(chosen)
}

/// The maximin solve: the worst ratio first, then the most population holding it.
fn maximin(
    p: &Problem<'_>,
    figures: &UnitFigures,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<ExactSolution> {
    let included: Vec<bool> = (0..figures.len()).map(|u| figures.improvable(u)).collect();
    let worst = UnitConstraint::MaximiseWorst(figures, included.clone());
    let first = p
        .solve_exact_in_units(p.params, 0.0, Some(&worst), progress)?
        .ok_or_else(exact::infeasible)?;
    let at_least = (first.objective - WORST_RATIO_SLACK).max(0.0);
    let floors = included
        .iter()
        .map(|&inc| inc.then_some(at_least))
        .collect();
    let constraint = UnitConstraint::Floors(figures, floors);
    p.solve_exact_in_units(p.params, 0.0, Some(&constraint), progress)?
        .ok_or_else(exact::infeasible)
}
