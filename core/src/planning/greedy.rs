//! The heuristic steps: lazy greedy (CELF), a 1-swap/2-swap local search and dropping
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

/// Replacements evaluated whole per position: marginals rank the unchosen columns
/// (exact without a capacity; with one, the capacitated assignment makes a marginal an
/// estimate), and the best few are checked with [`Evaluator::value_of`].
const SWAP_CHECKED: usize = 3;

/// Best replacements per pair of positions tried together by the 2-swap (8 × 7 / 2 = 28
/// pairs per position pair): a pair that beats every 1-swap is made of columns that
/// gain much once both old ones are out, so the marginals rank them near the top.
const PAIR_CANDIDATES: usize = 8;

/// Whether `v` beats `best` by more than rounding.
fn better(v: f64, best: f64) -> bool {
    v > best + 1e-9 * best.abs().max(1.0)
}

/// The local search after the greedy: best-improvement 1-swaps (each position takes
/// the best unchosen replacement) until none improves, then a 2-swap (two positions
/// replaced together, from each pair's best [`PAIR_CANDIDATES`] replacements) to leave
/// the 1-swap optimum; repeated until neither improves or the work limit is reached.
/// Positions and columns are tried in order (deterministic). Existing centers may
/// leave the set (close) only while at most `max_closed` are out; without closing the
/// set holds candidates only. Calls `on_pass(work)` after each pass.
///
/// Complexity per 1-swap pass: one marginal per column and position (O(k · N) entries,
/// N the matrix entries); per 2-swap pass O(k² · N).
pub(crate) fn swap_improve(
    eval: &mut Evaluator<'_>,
    set: &mut [usize],
    max_closed: usize,
    on_pass: &mut dyn FnMut(u64),
) -> f64 {
    let n = eval.instance().column_count();
    let existing = eval.instance().existing().len();
    let mut search = SwapSearch {
        best: eval.value_of(set),
        chosen: vec![false; n],
        closed: existing - set.iter().filter(|&&j| j < existing).count(),
        existing,
        max_closed,
    };
    for &j in set.iter() {
        search.chosen[j] = true;
    }
    while eval.work < SWAP_WORK_LIMIT {
        let improved = search.one_swap_pass(eval, set) || search.two_swap(eval, set);
        on_pass(eval.work);
        if !improved {
            break;
        }
    }
    eval.value_of(set);
    search.best
}

/// The state of [`swap_improve`]: the set's value, which columns it holds and how many
/// existing centers it has closed.
struct SwapSearch {
    best: f64,
    chosen: Vec<bool>,
    closed: usize,
    existing: usize,
    max_closed: usize,
}

impl SwapSearch {
    /// Existing centers closed after `out` leave the set and `into` join it, if allowed.
    fn closed_after(&self, out: &[usize], into: &[usize]) -> Option<usize> {
        let closed = self.closed + out.iter().filter(|&&j| j < self.existing).count();
        let opened = into.iter().filter(|&&j| j < self.existing).count();
        Some(closed - opened).filter(|&c| c <= self.max_closed)
    }

    /// Moves `into` to the positions `at` (in order) after a check found them better.
    fn apply(&mut self, set: &mut [usize], at: &[usize], into: &[usize], value: f64) {
        let out: Vec<usize> = at.iter().map(|&p| set[p]).collect();
        self.closed = self.closed_after(&out, into).expect("checked swap");
        for (&p, &j) in at.iter().zip(into) {
            self.chosen[set[p]] = false;
            self.chosen[j] = true;
            set[p] = j;
        }
        self.best = value;
    }

    /// The `keep` unchosen columns of largest marginal gain (ties: smaller index) with
    /// the positions `at` left out of the set, existing centers added first as in
    /// [`Evaluator::value_of`].
    fn ranked_replacements(
        &self,
        eval: &mut Evaluator<'_>,
        set: &[usize],
        at: &[usize],
        keep: usize,
    ) -> Vec<usize> {
        eval.reset();
        let rest = || (0..set.len()).filter(|p| !at.contains(p)).map(|p| set[p]);
        for j in rest().filter(|&j| j < self.existing) {
            eval.add(j);
        }
        for j in rest().filter(|&j| j >= self.existing) {
            eval.add(j);
        }
        let mut ranked: Vec<(f64, usize)> = (0..self.chosen.len())
            .filter(|&j| !self.chosen[j])
            .map(|j| (eval.marginal(j), j))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.into_iter().take(keep).map(|(_, j)| j).collect()
    }

    /// One pass of best-improvement 1-swaps over the positions; whether any improved.
    fn one_swap_pass(&mut self, eval: &mut Evaluator<'_>, set: &mut [usize]) -> bool {
        let mut improved = false;
        for pos in 0..set.len() {
            if eval.work >= SWAP_WORK_LIMIT {
                break;
            }
            let old = set[pos];
            let mut found: Option<(usize, f64)> = None;
            let ranked = self.ranked_replacements(eval, set, &[pos], usize::MAX);
            let mut checked = 0;
            for j in ranked {
                if checked == SWAP_CHECKED {
                    break;
                }
                if self.closed_after(&[old], &[j]).is_none() {
                    continue;
                }
                checked += 1;
                set[pos] = j;
                let v = eval.value_of(set);
                set[pos] = old;
                if better(v, found.map_or(self.best, |f| f.1)) {
                    found = Some((j, v));
                }
            }
            if let Some((j, v)) = found {
                self.apply(set, &[pos], &[j], v);
                improved = true;
            }
        }
        improved
    }

    /// The first improving 2-swap (position pairs in order, the best pair of
    /// replacements for that position pair), applied; whether one was found.
    fn two_swap(&mut self, eval: &mut Evaluator<'_>, set: &mut [usize]) -> bool {
        for p in 0..set.len() {
            for q in p + 1..set.len() {
                if eval.work >= SWAP_WORK_LIMIT {
                    return false;
                }
                let out = [set[p], set[q]];
                let ranked = self.ranked_replacements(eval, set, &[p, q], PAIR_CANDIDATES);
                let mut found: Option<([usize; 2], f64)> = None;
                for (i, &a) in ranked.iter().enumerate() {
                    for &b in &ranked[i + 1..] {
                        if self.closed_after(&out, &[a, b]).is_none() {
                            continue;
                        }
                        set[p] = a;
                        set[q] = b;
                        let v = eval.value_of(set);
                        if better(v, found.map_or(self.best, |f| f.1)) {
                            found = Some(([a, b], v));
                        }
                    }
                }
                set[p] = out[0];
                set[q] = out[1];
                if let Some((into, v)) = found {
                    self.apply(set, &[p, q], &into, v);
                    return true;
                }
            }
        }
        false
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::instance::{Columns, Instance, Objective};

    /// A coverage instance: `weight` per group, `served[j]` the groups column `j`
    /// covers; the first `existing` columns are today's centers, which may close.
    fn coverage(weight: &[f64], served: &[&[u32]], existing: usize) -> Instance {
        let mut degree = vec![0u32; weight.len()];
        for list in served {
            for &g in *list {
                degree[g as usize] += 1;
            }
        }
        let columns = if existing == 0 {
            Columns::CandidatesOnly
        } else {
            Columns::ExistingMayClose {
                existing: (0..existing as u32).collect(),
                resident_group: Vec::new(),
            }
        };
        Instance {
            objective: Objective::Coverage,
            columns,
            weight: weight.to_vec(),
            current_min: vec![0.0; weight.len()],
            cands: (0..served.len() - existing).collect(),
            entries: served
                .iter()
                .map(|list| list.iter().map(|&g| (g, 0.0)).collect())
                .collect(),
            degree,
            group_units: Vec::new(),
        }
    }

    #[test]
    fn two_swaps_find_the_pair_that_beats_the_greedy_first_pick() {
        // A (0) covers groups 0, 1 (5 + 5); B (1) covers 0, 2 (5 + 3); C (2) covers
        // 1, 3 (5 + 3); X (3) covers 4 (4). Greedy takes A (10), then X (4): 14. Every
        // single swap is worse (A,B 13; A,C 13; B,X 12; C,X 12); B with C covers 16.
        let inst = coverage(
            &[5.0, 5.0, 3.0, 3.0, 4.0],
            &[&[0, 1], &[0, 2], &[1, 3], &[4]],
            0,
        );
        let mut eval = Evaluator::new(&inst, None);
        let (mut set, gain) = greedy_k(&mut eval, &[], 2, &mut |_| {});
        assert_eq!((set.clone(), gain), (vec![0, 3], 14.0));
        let value = swap_improve(&mut eval, &mut set, 0, &mut |_| {});
        set.sort_unstable();
        assert_eq!((set, value), (vec![1, 2], 16.0));
    }

    #[test]
    fn a_single_swap_takes_the_best_replacement_and_a_local_optimum_stays() {
        // Column j covers group j alone, weights 1, 2, 3, 5: from {0, 3} (6) the best
        // set of two is {2, 3} (8), and from there nothing improves.
        let inst = coverage(&[1.0, 2.0, 3.0, 5.0], &[&[0], &[1], &[2], &[3]], 0);
        let mut eval = Evaluator::new(&inst, None);
        let mut set = vec![0, 3];
        let mut passes = 0;
        let value = swap_improve(&mut eval, &mut set, 0, &mut |_| passes += 1);
        assert_eq!((set.clone(), value), (vec![2, 3], 8.0));
        // One improving pass, then one that finds nothing.
        assert_eq!(passes, 2);
        let again = swap_improve(&mut eval, &mut set, 0, &mut |_| {});
        assert_eq!((set, again), (vec![2, 3], 8.0));
    }

    #[test]
    fn existing_centers_close_only_within_the_limit() {
        // Existing center 0 covers group 0 (1); candidates 1 and 2 cover groups 1 (4)
        // and 2 (6). Set {0, 1}: without closing only the candidate may go (→ {0, 2});
        // with one closure allowed the center goes too (→ {2, 1}).
        let inst = coverage(&[1.0, 4.0, 6.0], &[&[0], &[1], &[2]], 1);
        let mut eval = Evaluator::new(&inst, None);
        let mut kept = vec![0, 1];
        let value = swap_improve(&mut eval, &mut kept, 0, &mut |_| {});
        assert_eq!((kept, value), (vec![0, 2], 7.0));
        let mut closing = vec![0, 1];
        let value = swap_improve(&mut eval, &mut closing, 1, &mut |_| {});
        assert_eq!((closing, value), (vec![2, 1], 10.0));
    }
}
