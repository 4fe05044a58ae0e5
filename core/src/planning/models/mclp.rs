//! Maximal covering (MCLP): `k` new sites covering the most population not covered
//! today (with capacities: assigned to them).

use crate::planning::evaluator::Evaluator;
use crate::planning::exact;
use crate::planning::outcome::PlanProgress;
use crate::planning::params::Method;
use crate::planning::problem::{Problem, Solved};
use crate::Result;

use super::{fair, k_sites};

/// Solves MCLP by the integer program ([`Method::Exact`]) or the `k`-sites heuristic.
/// With capacities the objective is the capacitated assignment (the evaluator's, or
/// the solver's optimal one), and so is the coverage after.
///
/// # Errors
/// As [`Problem::solve_exact`].
pub(crate) fn plan(
    p: &Problem<'_>,
    eval: &mut Evaluator<'_>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<Solved> {
    if let Some(rule) = p.params.unit_rule {
        return fair::plan(p, eval, rule, progress);
    }
    let mut solved = if p.params.method == Method::Exact {
        let sol = p
            .solve_exact(p.reachable_need, progress)?
            .ok_or_else(exact::infeasible)?;
        // The chosen set as evaluated exactly (the solver's value carries its own
        // rounding); with capacities, the solver's optimal assignment.
        let value = match p.params.capacity {
            None => eval.value_of(&sol.chosen),
            Some(_) => sol.objective,
        };
        Solved::exact(sol, value)
    } else {
        k_sites::heuristic(p, eval, progress)
    };
    if p.params.capacity.is_some() {
        solved.covered_after = Some(p.covered_total(solved.value));
    }
    Ok(solved)
}
