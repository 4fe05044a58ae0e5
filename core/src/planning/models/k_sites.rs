//! The heuristic of the two `k`-new-sites models (MCLP and p-median): lazy greedy,
//! swaps, and the upper bound on the objective.

use crate::planning::bounds;
use crate::planning::evaluator::Evaluator;
use crate::planning::greedy::{greedy_k, swap_with_progress};
use crate::planning::outcome::PlanProgress;
use crate::planning::params::Method;
use crate::planning::problem::{Problem, Solved};

/// `k` new sites after today's centers by lazy greedy, improved by swaps (with
/// [`Method::GreedySwap`], and always with closing, where the swaps are the
/// relocations), bounded by the greedy online bound (without closing) or the
/// relocation bound (with), or the LP relaxation when lower.
///
/// Complexity: greedy O(k · N) lazily for N matrix entries, swap O(k² · N) per pass
/// (within the work limit), LP as the solver.
pub(crate) fn heuristic(
    p: &Problem<'_>,
    eval: &mut Evaluator<'_>,
    progress: &mut dyn FnMut(PlanProgress),
) -> Solved {
    let k = p.params.k;
    let closing = p.inst.may_close();
    let (mut set, greedy_gain) = greedy_k(eval, &p.existing_cols, k, progress);
    let mut value = p.base_value + greedy_gain;
    let mut method = Method::Greedy;
    let swap = p.params.method == Method::GreedySwap || closing;
    if swap && set.len() > p.existing_cols.len() {
        value = swap_with_progress(eval, &mut set, p.max_closed, progress);
        method = Method::GreedySwap;
    }
    let bound = if closing {
        bounds::relocation(eval, &p.existing_cols, p.base_value, k, p.max_closed)
    } else {
        bounds::greedy_online(eval, &set, value, greedy_gain, k, p.params.capacity)
    };
    let (bound, bound_kind) =
        bounds::tighten_upper_with_lp(bound, &p.inst, p.params, p.reachable_need, p.max_closed);
    Solved {
        set,
        value,
        bound: bound.max(value),
        bound_kind,
        method,
        covered_after: None,
        reach_max: None,
        notes: Vec::new(),
        unit_solve: None,
    }
}
