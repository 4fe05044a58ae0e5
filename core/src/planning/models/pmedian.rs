//! p-median: `k` new sites minimising the population-weighted walk time, solved as the
//! walk minutes they save against today's walks.

use crate::planning::evaluator::Evaluator;
use crate::planning::exact;
use crate::planning::outcome::PlanProgress;
use crate::planning::params::Method;
use crate::planning::problem::{Problem, Solved};
use crate::Result;

use super::k_sites;

/// Solves p-median by the integer program ([`Method::Exact`]) or the `k`-sites
/// heuristic (savings are submodular, so its greedy bounds hold).
///
/// # Errors
/// As [`Problem::solve_exact`].
pub(crate) fn plan(
    p: &Problem<'_>,
    eval: &mut Evaluator<'_>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<Solved> {
    if p.params.method != Method::Exact {
        return Ok(k_sites::heuristic(p, eval, progress));
    }
    let sol = p
        .solve_exact(p.reachable_need, progress)?
        .ok_or_else(exact::infeasible)?;
    // The chosen set as evaluated exactly (the solver's value carries its own rounding).
    let value = eval.value_of(&sol.chosen);
    Ok(Solved::exact(sol, value))
}
