//! The heuristic steps: lazy greedy (CELF), first-improvement swaps and dropping
//! redundant sites.

use std::collections::BinaryHeap;

use super::evaluator::Evaluator;
use super::outcome::{report, PlanProgress, PlanStage};

/// Most entry visits the swap improvement may spend (keeps it bounded and deterministic).
const SWAP_WORK_LIMIT: u64 = 400_000_000;

/// Most swap work reported, in the units of [`PlanStage::Swap`].
const SWAP_PROGRESS_TOTAL: usize = (SWAP_WORK_LIMIT / 1_000_000) as usize;

/// Float with a total order, for the CELF heap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Lazy greedy (CELF): starts from the columns in `preset` (added first, in order),
/// then adds the column of largest marginal gain (ties: smaller index) until
/// `stop(value, picked)` holds or no column gains anything; `value` includes the preset,
/// `picked` does not. Calls `on_pick(picked)` after each pick. Returns the picks (preset
/// excluded) with their gains.
pub(crate) fn celf(
    eval: &mut Evaluator<'_>,
    preset: &[usize],
    mut stop: impl FnMut(f64, usize) -> bool,
    on_pick: &mut dyn FnMut(usize),
) -> Vec<(usize, f64)> {
    eval.reset();
    let n = eval.instance().column_count();
    let mut value = 0.0;
    let mut skip = vec![false; n];
    for &j in preset {
        value += eval.add(j);
        skip[j] = true;
    }
    let mut heap: BinaryHeap<(Key, std::cmp::Reverse<usize>, usize)> = BinaryHeap::new();
    for j in (0..n).filter(|&j| !skip[j]) {
        let g = eval.marginal(j);
        heap.push((Key(g), std::cmp::Reverse(j), 0));
    }
    let mut picks = Vec::new();
    while !stop(value, picks.len()) {
        let round = picks.len();
        let Some((Key(g), std::cmp::Reverse(j), stamp)) = heap.pop() else {
            break;
        };
        if stamp == round {
            if g <= 0.0 {
                break;
            }
            let gain = eval.add(j);
            value += gain;
            picks.push((j, gain));
            on_pick(picks.len());
        } else {
            let fresh = eval.marginal(j);
            heap.push((Key(fresh), std::cmp::Reverse(j), round));
        }
    }
    picks
}

/// First-improvement swap: replaces a chosen column by an unchosen one while that
/// raises the objective; positions and columns are tried in order (deterministic).
/// Existing centers may leave the set (close) only while at most `max_closed` are out;
/// without closing the set holds candidates only. Calls `on_pass(work)` after each pass.
pub(crate) fn swap_improve(
    eval: &mut Evaluator<'_>,
    set: &mut [usize],
    max_closed: usize,
    on_pass: &mut dyn FnMut(u64),
) -> f64 {
    let n = eval.instance().column_count();
    let mut best = eval.value_of(set);
    let mut chosen = vec![false; n];
    for &j in set.iter() {
        chosen[j] = true;
    }
    let existing = eval.instance().existing().len();
    let mut closed = existing - set.iter().filter(|&&j| j < existing).count();
    let mut improved = true;
    while improved && eval.work < SWAP_WORK_LIMIT {
        improved = false;
        for pos in 0..set.len() {
            for j in 0..n {
                if chosen[j] || eval.work >= SWAP_WORK_LIMIT {
                    continue;
                }
                let old = set[pos];
                let closed_after = closed + usize::from(old < existing) - usize::from(j < existing);
                if closed_after > max_closed {
                    continue;
                }
                set[pos] = j;
                let v = eval.value_of(set);
                if v > best + 1e-9 * best.abs().max(1.0) {
                    best = v;
                    chosen[old] = false;
                    chosen[j] = true;
                    closed = closed_after;
                    improved = true;
                } else {
                    set[pos] = old;
                }
            }
        }
        on_pass(eval.work);
    }
    eval.value_of(set);
    best
}

/// Drops the columns of `set` the others make redundant (value still at least `need`),
/// latest first, closing at most `max_closed` existing centers in all.
pub(crate) fn drop_redundant(
    eval: &mut Evaluator<'_>,
    set: &mut Vec<usize>,
    need: f64,
    max_closed: usize,
) {
    let existing = eval.instance().existing().len();
    let mut closed = existing - set.iter().filter(|&&j| j < existing).count();
    let mut i = set.len();
    while i > 0 {
        i -= 1;
        let is_existing = set[i] < existing;
        if is_existing && closed >= max_closed {
            continue;
        }
        let mut without = set.clone();
        without.remove(i);
        if eval.value_of(&without) >= need {
            *set = without;
            closed += usize::from(is_existing);
        }
    }
}

/// `k` greedy picks after the columns in `preset` (kept first), reporting each pick as
/// [`PlanStage::Greedy`]. Returns the set (`preset`, then the picks) and the picks'
/// total gain.
///
/// Complexity: as [`celf`].
pub(crate) fn greedy_k(
    eval: &mut Evaluator<'_>,
    preset: &[usize],
    k: usize,
    progress: &mut dyn FnMut(PlanProgress),
) -> (Vec<usize>, f64) {
    let picks = celf(eval, preset, |_, n| n >= k, &mut |n| {
        report(progress, PlanStage::Greedy, n, k);
    });
    report(progress, PlanStage::Greedy, k, k);
    let gain: f64 = picks.iter().map(|p| p.1).sum();
    let mut set = preset.to_vec();
    set.extend(picks.iter().map(|p| p.0));
    (set, gain)
}

/// [`swap_improve`], reporting each pass as [`PlanStage::Swap`] (million entries
/// visited, of the work limit) and the stage's end. Returns the value after the swaps.
pub(crate) fn swap_with_progress(
    eval: &mut Evaluator<'_>,
    set: &mut [usize],
    max_closed: usize,
    progress: &mut dyn FnMut(PlanProgress),
) -> f64 {
    let value = swap_improve(eval, set, max_closed, &mut |work| {
        let done = (work.min(SWAP_WORK_LIMIT) / 1_000_000) as usize;
        report(progress, PlanStage::Swap, done, SWAP_PROGRESS_TOTAL);
    });
    report(
        progress,
        PlanStage::Swap,
        SWAP_PROGRESS_TOTAL,
        SWAP_PROGRESS_TOTAL,
    );
    value
}
