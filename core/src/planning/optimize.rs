//! Site optimization: MCLP, LSCP and p-median by lazy greedy (CELF) with swap
//! improvement and a reported bound, or exactly by integer programming.

use std::collections::{BinaryHeap, HashMap};

use serde::Serialize;

use super::candidates::{Candidate, CandidateId};
use super::exact;
use super::params::{PlanModel, PlanParams};
use super::rank::{site_lists, SearchSite};
use super::whatif::{CenterId, Planner, SiteSnap};
use crate::{Error, Result};

/// Most entry visits the swap improvement may spend (keeps it bounded and deterministic).
const SWAP_WORK_LIMIT: u64 = 400_000_000;

/// What the optimization works on: residents grouped by the sites that serve them, so
/// residents no site can tell apart count as one.
///
/// Columns are the sites: first the existing centers (only when closing is allowed),
/// then the useful candidates.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    /// Savings model (p-median) instead of coverage.
    pub savings: bool,
    /// Existing centers are columns that may close.
    pub closing: bool,
    /// Population of each group.
    pub weight: Vec<f64>,
    /// Current walk of each group, minutes (savings model).
    pub current_min: Vec<f64>,
    /// The existing centers of the leading columns (closing only), as center indexes.
    pub existing: Vec<u32>,
    /// Candidates of the following columns (those that serve at least one group), as
    /// indexes into the candidate list.
    pub cands: Vec<usize>,
    /// For each column: `(group, walk minutes from it)`, by group.
    pub entries: Vec<Vec<(u32, f64)>>,
    /// Number of columns serving each group.
    pub degree: Vec<u32>,
    /// Each resident's group (`u32::MAX`: in none); closing only.
    pub resident_group: Vec<u32>,
}

impl Instance {
    /// Builds the instance: coverage (groups = uncovered residents within the threshold
    /// of some candidate, grouped by the set of candidates covering them — an exact
    /// aggregation) or savings (residents with a walk, grouped by identical walks).
    ///
    /// With closing, every site is searched without pruning and the groups are every
    /// resident within the threshold of some site (coverage) or every resident with a
    /// walk today (savings), existing centers included as columns.
    pub fn build(
        planner: &Planner<'_>,
        candidates: &[Candidate],
        params: &PlanParams,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Self {
        let savings = params.model == PlanModel::PMedian;
        let closing = params.allow_closing;
        let t = planner.threshold_cost_m;
        let limit_m = if savings {
            params
                .improve_limit_min
                .map_or(f64::INFINITY, |m| m * planner.metres_per_min)
        } else {
            t
        };
        let mut sites: Vec<SearchSite> = Vec::new();
        let existing: Vec<u32> = if closing {
            let centers = &planner.result.snapped_centers.results;
            for c in centers {
                sites.push(SearchSite::Plain(c.snap.map(|snap| SiteSnap { snap })));
            }
            (0..centers.len() as u32).collect()
        } else {
            Vec::new()
        };
        for c in candidates {
            let snap = planner.snap_site(c.lonlat);
            sites.push(if closing {
                SearchSite::Plain(snap)
            } else {
                SearchSite::Improving(snap)
            });
        }
        let lists = site_lists(planner, &sites, limit_m, progress);
        drop(sites);
        let mpm = planner.metres_per_min;
        let mut per_resident: Vec<Vec<(u32, u64)>> = vec![Vec::new(); planner.residents.len()];
        for (j, list) in lists.iter().enumerate() {
            for &(r, cost) in list.iter().flatten() {
                let res = &planner.residents[r as usize];
                let keep = if savings {
                    res.cost_m.is_finite()
                } else if closing {
                    cost <= t
                } else {
                    res.cost_m > t && cost <= t
                };
                if keep {
                    let key = if savings { (cost / mpm).to_bits() } else { 0 };
                    per_resident[r as usize].push((j as u32, key));
                }
            }
        }
        drop(lists);
        let mut group_of: HashMap<(u64, Vec<(u32, u64)>), u32> = HashMap::new();
        let mut weight = Vec::new();
        let mut current_min = Vec::new();
        let mut members: Vec<(u32, Vec<(u32, u64)>)> = Vec::new();
        let mut resident_group = if closing {
            vec![u32::MAX; planner.residents.len()]
        } else {
            Vec::new()
        };
        for (r, list) in per_resident.into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let res = &planner.residents[r];
            let cur = if savings { res.cost_m / mpm } else { 0.0 };
            let key = (cur.to_bits(), list);
            let g = match group_of.get(&key) {
                Some(&g) => {
                    weight[g as usize] += res.population;
                    g
                }
                None => {
                    let g = weight.len() as u32;
                    weight.push(res.population);
                    current_min.push(cur);
                    members.push((g, key.1.clone()));
                    group_of.insert(key, g);
                    g
                }
            };
            if closing {
                resident_group[r] = g;
            }
        }
        let mut by_site: Vec<Vec<(u32, f64)>> = vec![Vec::new(); existing.len() + candidates.len()];
        let mut degree = vec![0u32; weight.len()];
        for (g, list) in &members {
            degree[*g as usize] = list.len() as u32;
            for &(j, bits) in list {
                by_site[j as usize].push((*g, f64::from_bits(bits)));
            }
        }
        let mut cands = Vec::new();
        let mut entries = Vec::new();
        let n_existing = existing.len();
        for (j, list) in by_site.into_iter().enumerate() {
            if j < n_existing {
                entries.push(list);
            } else if !list.is_empty() {
                cands.push(j - n_existing);
                entries.push(list);
            }
        }
        Instance {
            savings,
            closing,
            weight,
            current_min,
            existing,
            cands,
            entries,
            degree,
            resident_group,
        }
    }

    /// Number of (column, group) pairs.
    pub fn nnz(&self) -> usize {
        self.entries.iter().map(Vec::len).sum()
    }

    /// Number of columns (existing centers, then candidates).
    pub fn columns(&self) -> usize {
        self.entries.len()
    }

    /// Whether column `j` is an existing center.
    pub fn is_existing(&self, j: usize) -> bool {
        j < self.existing.len()
    }
}

/// Incremental objective: covered weight (optionally capacitated) or walk minutes saved.
///
/// With closing, the savings model starts with nothing open (every group unserved) and
/// measures savings against today's walks; a set that leaves a group unserved is worth
/// `-inf`.
pub(crate) struct Evaluator<'a> {
    inst: &'a Instance,
    capacity: f64,
    /// Coverage: uncovered weight left per group. Savings: best walk per group.
    state: Vec<f64>,
    touched: Vec<u32>,
    /// Savings with closing: groups no open column serves yet.
    unserved: usize,
    pub work: u64,
    order: Vec<(u32, u32)>,
}

impl<'a> Evaluator<'a> {
    pub fn new(inst: &'a Instance, capacity: Option<f64>) -> Self {
        let mut e = Self {
            inst,
            capacity: capacity.unwrap_or(f64::INFINITY),
            state: Vec::new(),
            touched: Vec::new(),
            unserved: 0,
            work: 0,
            order: Vec::new(),
        };
        e.state = (0..inst.weight.len()).map(|g| e.initial(g)).collect();
        e.unserved = e.unserved_at_start();
        e
    }

    fn open_ended(&self) -> bool {
        self.inst.savings && self.inst.closing
    }

    fn unserved_at_start(&self) -> usize {
        if self.open_ended() {
            self.inst.weight.len()
        } else {
            0
        }
    }

    fn initial(&self, g: usize) -> f64 {
        if self.open_ended() {
            f64::INFINITY
        } else if self.inst.savings {
            self.inst.current_min[g]
        } else {
            self.inst.weight[g]
        }
    }

    fn capacity_of(&self, j: usize) -> f64 {
        if self.inst.is_existing(j) {
            f64::INFINITY
        } else {
            self.capacity
        }
    }

    pub fn reset(&mut self) {
        for k in 0..self.touched.len() {
            let g = self.touched[k] as usize;
            self.state[g] = self.initial(g);
        }
        self.touched.clear();
        self.unserved = self.unserved_at_start();
    }

    /// Savings with closing: whether every group is served.
    pub fn feasible(&self) -> bool {
        self.unserved == 0
    }

    /// Coverage: uncovered weight left in group `g`; savings: its best walk, minutes.
    pub fn group_state(&self, g: usize) -> f64 {
        self.state[g]
    }

    /// Gain of adding column `j` to the current set.
    pub fn marginal(&mut self, j: usize) -> f64 {
        let entries = &self.inst.entries[j];
        self.work += entries.len() as u64;
        if self.inst.savings {
            entries
                .iter()
                .map(|&(g, c)| {
                    let g = g as usize;
                    let s = self.state[g];
                    if s == f64::INFINITY {
                        self.inst.weight[g] * (self.inst.current_min[g] - c)
                    } else {
                        self.inst.weight[g] * (s - c).max(0.0)
                    }
                })
                .sum()
        } else {
            let free: f64 = entries.iter().map(|&(g, _)| self.state[g as usize]).sum();
            free.min(self.capacity_of(j))
        }
    }

    /// Adds `j`; returns its gain (for capacity: the population it is assigned).
    pub fn add(&mut self, j: usize) -> f64 {
        let entries = &self.inst.entries[j];
        self.work += entries.len() as u64;
        let mut gain = 0.0;
        let capacity = self.capacity_of(j);
        if self.inst.savings {
            for &(g, c) in entries {
                let gi = g as usize;
                let s = self.state[gi];
                if c < s {
                    if s == self.initial(gi) {
                        self.touched.push(g);
                    }
                    if s == f64::INFINITY {
                        self.unserved -= 1;
                        gain += self.inst.weight[gi] * (self.inst.current_min[gi] - c);
                    } else {
                        gain += self.inst.weight[gi] * (s - c);
                    }
                    self.state[gi] = c;
                }
            }
        } else if capacity.is_infinite() {
            for &(g, _) in entries {
                let s = &mut self.state[g as usize];
                if *s > 0.0 {
                    if *s == self.inst.weight[g as usize] {
                        self.touched.push(g);
                    }
                    gain += *s;
                    *s = 0.0;
                }
            }
        } else {
            // Serve the groups with the fewest other options first.
            self.order.clear();
            self.order.extend(
                entries
                    .iter()
                    .map(|&(g, _)| (self.inst.degree[g as usize], g)),
            );
            self.order.sort_unstable();
            let mut left = capacity;
            for k in 0..self.order.len() {
                let g = self.order[k].1 as usize;
                if left <= 0.0 {
                    break;
                }
                let take = self.state[g].min(left);
                if take > 0.0 {
                    if self.state[g] == self.initial(g) {
                        self.touched.push(g as u32);
                    }
                    self.state[g] -= take;
                    left -= take;
                    gain += take;
                }
            }
        }
        gain
    }

    /// Objective of a whole set, from scratch (`-inf` when the savings model with
    /// closing leaves a group unserved). Existing centers in `set` are added first, so
    /// they serve whom they reach before capacitated new sites do.
    pub fn value_of(&mut self, set: &[usize]) -> f64 {
        self.reset();
        let mut v = 0.0;
        for &j in set.iter().filter(|&&j| self.inst.is_existing(j)) {
            v += self.add(j);
        }
        for &j in set.iter().filter(|&&j| !self.inst.is_existing(j)) {
            v += self.add(j);
        }
        if self.feasible() {
            v
        } else {
            f64::NEG_INFINITY
        }
    }
}

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
    let n = eval.inst.columns();
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
    let n = eval.inst.columns();
    let mut best = eval.value_of(set);
    let mut chosen = vec![false; n];
    for &j in set.iter() {
        chosen[j] = true;
    }
    let existing = eval.inst.existing.len();
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

/// Sum of the `k` largest marginal gains over the current state of `eval`.
fn top_k_marginals(eval: &mut Evaluator<'_>, k: usize, skip: &[usize]) -> f64 {
    let n = eval.inst.entries.len();
    let mut gains: Vec<f64> = (0..n)
        .filter(|j| !skip.contains(j))
        .map(|j| eval.marginal(j))
        .collect();
    gains.sort_by(|a, b| b.total_cmp(a));
    gains.iter().take(k).sum()
}

/// Which bound a plan reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundKind {
    /// The solver proved the answer optimal: bound = objective.
    Optimal,
    /// The linear-programming relaxation of the integer program.
    LpRelaxation,
    /// The greedy online bound: objective plus the largest marginal gains still
    /// available (and, without capacities, objective / (1 − 1/e)).
    Greedy,
    /// LSCP: the fewest sites whose largest single gains add up to the target.
    LargestGains,
}

/// One chosen site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChosenSite {
    /// Order of choice (1 = first).
    pub rank: usize,
    /// The candidate.
    pub candidate: CandidateId,
    /// Its id.
    pub id: String,
    /// `[lon, lat]`.
    pub lonlat: [f64; 2],
    /// What it adds to the objective after the sites before it: population newly
    /// covered (MCLP, LSCP; with capacity, population assigned to it), or walk minutes
    /// saved (p-median).
    pub gain: f64,
}

/// The answer of [`plan_sites`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanOutcome {
    /// The model solved.
    pub model: PlanModel,
    /// `greedy`, `greedy+swap` or `exact`.
    pub method: String,
    /// Chosen sites in order.
    pub sites: Vec<ChosenSite>,
    /// MCLP: population the new sites cover (with capacity: assign). LSCP: number of new
    /// sites. p-median: population-weighted total walk minutes after (residents with a
    /// walk before).
    pub objective: f64,
    /// Best possible objective proven: an upper bound for MCLP, a lower bound for LSCP
    /// and p-median.
    pub bound: f64,
    /// How the bound was found.
    pub bound_kind: BoundKind,
    /// `|bound − objective|`.
    pub gap: f64,
    /// `gap / |bound|` for MCLP, `gap / |objective|` otherwise (0 when optimal).
    pub relative_gap: f64,
    /// Total population.
    pub total_population: f64,
    /// Covered population before (current centers).
    pub covered_population_before: f64,
    /// Covered population after, by walking distance (every resident within the
    /// threshold of a center or a new site; MCLP and LSCP).
    pub covered_population_after: f64,
    /// Coverage ratio before.
    pub coverage_ratio_before: f64,
    /// Coverage ratio after.
    pub coverage_ratio_after: f64,
    /// p-median: population-weighted mean walk before and after, minutes.
    pub mean_walk_before_min: Option<f64>,
    /// See `mean_walk_before_min`.
    pub mean_walk_after_min: Option<f64>,
    /// LSCP: whether the target ratio was reached.
    pub target_reached: Option<bool>,
    /// LSCP: the highest ratio the candidates could reach together.
    pub max_reachable_ratio: Option<f64>,
    /// Why the target cannot be reached, or other notes for the planner.
    pub notes: Vec<String>,
    /// Candidates that improve anyone.
    pub useful_candidates: usize,
    /// Resident groups in the model (residents no candidate tells apart share one).
    pub demand_groups: usize,
    /// Existing centers the plan closes (only with [`PlanParams::allow_closing`]), by
    /// center index.
    pub closed: Vec<ClosedCenter>,
}

/// An existing center the plan closes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedCenter {
    /// The center (its index in the centers given to the coverage run).
    pub center: CenterId,
    /// Population whose nearest center it is today.
    pub served_population: f64,
    /// MCLP, LSCP: of that population, the part covered today and not after the plan
    /// (residents it shares with other closed centers count for their nearest one).
    pub covered_population_lost: Option<f64>,
    /// p-median: population-weighted walk minutes that population walks more after the
    /// plan (negative when the new sites bring it closer).
    pub walk_minutes_added: Option<f64>,
}

/// A stage of [`plan_sites_with_progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStage {
    /// Searching every candidate (and, with closing, every existing center): `done` of
    /// `total` sites.
    Candidates,
    /// Lazy greedy: `done` sites picked of `total` (`k`; LSCP: of the useful candidates,
    /// an upper limit it usually stops well before).
    Greedy,
    /// Swap improvement: `done` of `total` million matrix entries visited (the work
    /// limit, which it usually stops well before); reported after each pass.
    Swap,
    /// The integer program: 0 of 1 when it starts, 1 of 1 when it ends.
    Exact,
}

/// Progress of [`plan_sites_with_progress`]: `done` of `total` in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlanProgress {
    /// What the optimizer is doing.
    pub stage: PlanStage,
    /// Units done.
    pub done: usize,
    /// Units in the stage (see [`PlanStage`]).
    pub total: usize,
}

/// Chooses new sites among `candidates` for the model in `params`.
///
/// The candidate → resident matrix is built once (one pruned search per candidate,
/// parallel with the `parallel` feature); residents are grouped exactly (by the
/// candidates that cover them, or by identical walks). Heuristic mode runs lazy greedy
/// (CELF, ties to the smaller candidate index) and first-improvement swaps, and reports
/// an upper/lower bound (the LP relaxation when the instance is small enough for the
/// solver, else the greedy online bound). Exact mode solves the integer program with
/// the pure-Rust `microlp` solver through `good_lp`.
///
/// With [`PlanParams::allow_closing`] the existing centers become columns that start
/// open and may close (see there); every site is then searched without pruning, the
/// swap step always runs (closures are relocations it finds) and the exact program
/// gets a binary variable per existing center.
///
/// Complexity: matrix as [`crate::rank_candidates`]; greedy O(k · N) lazily (N = matrix
/// entries), swap O(k² · J · N/J) per pass; exact exponential in the worst case.
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

/// Most swap work reported, in the units of [`PlanStage::Swap`].
const SWAP_PROGRESS_TOTAL: usize = (SWAP_WORK_LIMIT / 1_000_000) as usize;

/// [`plan_sites`], calling `progress` as it goes: after each round of candidate
/// searches (about 1 % of them; parallel within a round), each greedy pick, each swap
/// pass and around the exact solve. Each stage ends with `done == total`. Meant for
/// progress bars where there are no threads to poll from (wasm).
///
/// # Errors
/// As [`plan_sites`].
pub fn plan_sites_with_progress(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<PlanOutcome> {
    params.validate()?;
    if candidates.is_empty() {
        return Err(Error::Empty {
            layer: "candidates".into(),
            reason: "no candidate site given".into(),
        });
    }
    let report = |progress: &mut dyn FnMut(PlanProgress), stage, done, total| {
        progress(PlanProgress { stage, done, total })
    };
    let inst = Instance::build(planner, candidates, params, &mut |done, total| {
        report(progress, PlanStage::Candidates, done, total)
    });
    let total = planner.total_population;
    let before = planner.covered_population;
    let mut notes = Vec::new();
    let ratio = |x: f64| if total > 0.0 { x / total } else { 0.0 };
    let closing = inst.closing;
    let n_existing = inst.existing.len();
    let existing_cols: Vec<usize> = (0..n_existing).collect();
    let max_closed = params.max_closed.unwrap_or(n_existing).min(n_existing);
    // Objective of today's centers alone (0 without closing: the model counts gains).
    let base_value = Evaluator::new(&inst, params.capacity).value_of(&existing_cols);

    let coverable: f64 = if inst.savings {
        0.0
    } else {
        inst.weight.iter().sum()
    };
    // Highest coverage the sites reach together (the instance counts today's coverage
    // too when closing).
    let reach_max = if closing {
        coverable
    } else {
        before + coverable
    };
    let need = match params.model {
        PlanModel::SetCover => {
            let target = params.target_ratio * total;
            if target > reach_max + 1e-9 * total.max(1.0) {
                let unreachable: f64 = planner
                    .residents
                    .iter()
                    .filter(|r| r.edge == u32::MAX)
                    .map(|r| r.population)
                    .sum();
                notes.push(format!(
                    "target {:.1} % is unreachable: the candidates can bring coverage to {:.2} % at most \
                     ({:.0} population is farther than max_snap_m from the network, {:.0} more is beyond \
                     the threshold of every candidate)",
                    params.target_ratio * 100.0,
                    ratio(reach_max) * 100.0,
                    unreachable,
                    (total - reach_max - unreachable).max(0.0)
                ));
            }
            if closing {
                target.max(0.0)
            } else {
                (target - before).max(0.0)
            }
        }
        _ => 0.0,
    };
    let reachable_need = need.min(coverable);
    let eps = 1e-9 * total.max(1.0);
    let mut eval = Evaluator::new(&inst, params.capacity);

    // `set`: the final columns; values are the evaluator's (totals, base included).
    let (set, value, bound_value, bound_kind, method) = if params.exact {
        report(progress, PlanStage::Exact, 0, 1);
        let sol = exact::solve(&inst, params, reachable_need, max_closed)?;
        report(progress, PlanStage::Exact, 1, 1);
        let value = match params.model {
            PlanModel::SetCover => sol.chosen.len() as f64,
            // The chosen set as evaluated exactly (the solver's value carries its own
            // rounding); with capacities, the solver's optimal assignment.
            _ if params.capacity.is_none() => eval.value_of(&sol.chosen),
            _ => sol.objective,
        };
        let bound = if sol.optimal { value } else { sol.bound };
        let kind = if sol.optimal {
            BoundKind::Optimal
        } else {
            BoundKind::LpRelaxation
        };
        (sol.chosen, value, bound, kind, "exact".to_string())
    } else {
        match params.model {
            PlanModel::MaxCoverage | PlanModel::PMedian => {
                let k = params.k;
                let picks = celf(&mut eval, &existing_cols, |_, n| n >= k, &mut |n| {
                    report(progress, PlanStage::Greedy, n, k)
                });
                report(progress, PlanStage::Greedy, k, k);
                let greedy_gain: f64 = picks.iter().map(|p| p.1).sum();
                let mut set: Vec<usize> = existing_cols.clone();
                set.extend(picks.iter().map(|p| p.0));
                let mut value = base_value + greedy_gain;
                let mut method = "greedy".to_string();
                if (params.swap || closing) && set.len() > n_existing {
                    value = swap_improve(&mut eval, &mut set, max_closed, &mut |work| {
                        let done = (work.min(SWAP_WORK_LIMIT) / 1_000_000) as usize;
                        report(progress, PlanStage::Swap, done, SWAP_PROGRESS_TOTAL)
                    });
                    report(
                        progress,
                        PlanStage::Swap,
                        SWAP_PROGRESS_TOTAL,
                        SWAP_PROGRESS_TOTAL,
                    );
                    method = "greedy+swap".into();
                }
                let mut bound;
                if closing {
                    // Any plan is today's centers less some, plus at most k + closures new
                    // sites: by submodularity, at most the largest k + max_closed gains
                    // over today's centers.
                    eval.value_of(&existing_cols);
                    bound = base_value + top_k_marginals(&mut eval, k + max_closed, &existing_cols);
                } else {
                    // Greedy online bound at the final set and at the empty set.
                    eval.value_of(&set);
                    bound = value + top_k_marginals(&mut eval, k, &set);
                    eval.reset();
                    bound = bound.min(top_k_marginals(&mut eval, k, &[]));
                    if params.capacity.is_none() {
                        bound = bound.min(greedy_gain / (1.0 - (-1.0f64).exp()));
                    }
                }
                let mut kind = BoundKind::Greedy;
                if let Some(lp) = exact::lp_bound(&inst, params, reachable_need, max_closed) {
                    if lp < bound {
                        bound = lp;
                        kind = BoundKind::LpRelaxation;
                    }
                }
                (set, value, bound.max(value), kind, method)
            }
            PlanModel::SetCover => {
                let useful = inst.cands.len();
                let mut set = existing_cols.clone();
                let picks = celf(
                    &mut eval,
                    &existing_cols,
                    |v, _| v >= reachable_need - eps,
                    &mut |n| report(progress, PlanStage::Greedy, n.min(useful), useful),
                );
                set.extend(picks.iter().map(|p| p.0));
                drop_redundant(&mut eval, &mut set, reachable_need - eps, max_closed);
                if closing {
                    // Also from nothing open, over every site; kept when it needs fewer
                    // sites within the closure budget.
                    let picks = celf(
                        &mut eval,
                        &[],
                        |v, _| v >= reachable_need - eps,
                        &mut |_| {},
                    );
                    let mut fresh: Vec<usize> = picks.iter().map(|p| p.0).collect();
                    drop_redundant(&mut eval, &mut fresh, reachable_need - eps, max_closed);
                    let closes = n_existing - fresh.iter().filter(|&&j| j < n_existing).count();
                    if fresh.len() < set.len() && closes <= max_closed {
                        set = fresh;
                    }
                }
                report(progress, PlanStage::Greedy, useful, useful);
                // Lower bound: fewest sites whose largest single gains reach the need.
                eval.reset();
                let mut singles: Vec<f64> = (0..inst.columns())
                    .filter(|&j| closing || !inst.is_existing(j))
                    .map(|j| eval.marginal(j))
                    .collect();
                singles.sort_by(|a, b| b.total_cmp(a));
                let mut acc = 0.0;
                let mut lb = 0usize;
                for g in &singles {
                    if acc >= reachable_need - eps {
                        break;
                    }
                    acc += g;
                    lb += 1;
                }
                let mut bound = lb as f64;
                let mut kind = BoundKind::LargestGains;
                if let Some(lp) = exact::lp_bound(&inst, params, reachable_need, max_closed) {
                    let lp = (lp - 1e-6).ceil();
                    if lp > bound {
                        bound = lp;
                        kind = BoundKind::LpRelaxation;
                    }
                }
                let n = set.len() as f64;
                (set, n, bound.min(n), kind, "greedy".to_string())
            }
        }
    };

    // Report the new sites in order of their gains after today's (kept) centers.
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
    if params.exact {
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
    let sites: Vec<ChosenSite> = ordered
        .iter()
        .enumerate()
        .map(|(rank, &(j, gain))| {
            let c = inst.cands[j - n_existing];
            ChosenSite {
                rank: rank + 1,
                candidate: CandidateId(c as u32),
                id: candidates[c].id.clone(),
                lonlat: candidates[c].lonlat,
                gain,
            }
        })
        .collect();
    // Coverage after, by walking distance (no capacity).
    let mut plain = Evaluator::new(&inst, None);
    let covered_after = if inst.savings {
        before
    } else if closing {
        plain.value_of(&set)
    } else {
        before + plain.value_of(&set)
    };
    let closed = closed_centers(planner, &inst, &set, &mut plain);
    // Objective: the plan's gain over today (MCLP, p-median) or its site count (LSCP).
    let (objective_value, bound_value) = match params.model {
        PlanModel::SetCover => (value, bound_value),
        _ => (value - base_value, bound_value - base_value),
    };
    let (mean_before, mean_after, objective) = if inst.savings {
        let walk_pop: f64 = planner
            .residents
            .iter()
            .filter(|r| r.cost_m.is_finite())
            .map(|r| r.population)
            .sum();
        let base: f64 = planner
            .residents
            .iter()
            .filter(|r| r.cost_m.is_finite())
            .map(|r| r.population * r.cost_m / planner.metres_per_min)
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
        .then(|| ratio(covered_after) >= params.target_ratio - 1e-12);
    if inst.cands.is_empty() && !closing {
        notes.push("no candidate improves anyone's walk".into());
    }
    Ok(PlanOutcome {
        model: params.model,
        method,
        sites,
        objective,
        bound,
        bound_kind,
        gap,
        relative_gap,
        total_population: total,
        covered_population_before: before,
        covered_population_after: covered_after,
        coverage_ratio_before: ratio(before),
        coverage_ratio_after: ratio(covered_after),
        mean_walk_before_min: mean_before,
        mean_walk_after_min: mean_after,
        target_reached,
        max_reachable_ratio: (params.model == PlanModel::SetCover).then(|| ratio(reach_max)),
        notes,
        useful_candidates: inst.cands.len(),
        demand_groups: inst.weight.len(),
        closed,
    })
}

/// Drops the columns of `set` the others make redundant (value still at least `need`),
/// latest first, closing at most `max_closed` existing centers in all.
fn drop_redundant(eval: &mut Evaluator<'_>, set: &mut Vec<usize>, need: f64, max_closed: usize) {
    let existing = eval.inst.existing.len();
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

/// The existing centers `set` leaves out, with what their residents lose. `plain` is an
/// evaluator without capacities.
fn closed_centers(
    planner: &Planner<'_>,
    inst: &Instance,
    set: &[usize],
    plain: &mut Evaluator<'_>,
) -> Vec<ClosedCenter> {
    if !inst.closing {
        return Vec::new();
    }
    let open: std::collections::HashSet<usize> = set.iter().copied().collect();
    let mut slot = vec![usize::MAX; inst.existing.len()];
    let mut out = Vec::new();
    for (j, &c) in inst.existing.iter().enumerate() {
        if !open.contains(&j) {
            slot[c as usize] = out.len();
            out.push(ClosedCenter {
                center: CenterId(c),
                served_population: 0.0,
                covered_population_lost: (!inst.savings).then_some(0.0),
                walk_minutes_added: inst.savings.then_some(0.0),
            });
        }
    }
    if out.is_empty() {
        return out;
    }
    plain.value_of(set);
    let t = planner.threshold_cost_m;
    let mpm = planner.metres_per_min;
    for (r, d) in planner.result.demand.iter().enumerate() {
        let Some(c) = d.nearest_center else { continue };
        let Some(&k) = slot.get(c) else { continue };
        if k == usize::MAX {
            continue;
        }
        let res = &planner.residents[r];
        let g = inst.resident_group[r];
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

/// The model's candidate → demand-group coverage, for comparison with other solvers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanMatrix {
    /// Population of each demand group (residents no candidate tells apart).
    pub weights: Vec<f64>,
    /// Walk minutes now (p-median; 0 for coverage models).
    pub current_min: Vec<f64>,
    /// With closing: the existing centers, which are the leading columns (empty
    /// otherwise).
    pub existing_centers: Vec<CenterId>,
    /// Candidates that improve anyone, in candidate order (the columns after the
    /// existing centers).
    pub candidates: Vec<CandidateId>,
    /// For each column: `(group, walk minutes from it)` (coverage models list only
    /// groups within the threshold; their minutes are 0).
    pub entries: Vec<Vec<(u32, f64)>>,
    /// Population covered before any new site.
    pub covered_population_before: f64,
    /// Total population.
    pub total_population: f64,
}

/// The matrix [`plan_sites`] optimizes over, for export.
///
/// Complexity: as the matrix step of [`plan_sites`].
pub fn plan_matrix(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    params: &PlanParams,
) -> PlanMatrix {
    let inst = Instance::build(planner, candidates, params, &mut |_, _| {});
    PlanMatrix {
        weights: inst.weight,
        current_min: inst.current_min,
        existing_centers: inst.existing.iter().map(|&c| CenterId(c)).collect(),
        candidates: inst.cands.iter().map(|&c| CandidateId(c as u32)).collect(),
        entries: inst.entries,
        covered_population_before: planner.covered_population,
        total_population: planner.total_population,
    }
}
