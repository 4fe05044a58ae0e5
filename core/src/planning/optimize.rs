//! Site optimization: MCLP, LSCP and p-median by lazy greedy (CELF) with swap
//! improvement and a reported bound, or exactly by integer programming.

use std::collections::{BinaryHeap, HashMap};

use serde::Serialize;

use super::candidates::{Candidate, CandidateId};
use super::exact;
use super::params::{PlanModel, PlanParams};
use super::rank::improvement_lists;
use super::whatif::Planner;
use crate::{Error, Result};

/// Most entry visits the swap improvement may spend (keeps it bounded and deterministic).
const SWAP_WORK_LIMIT: u64 = 400_000_000;

/// What the optimization works on: residents grouped by the candidates that improve
/// them, so residents no candidate can tell apart count as one.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    /// Savings model (p-median) instead of coverage.
    pub savings: bool,
    /// Population of each group.
    pub weight: Vec<f64>,
    /// Current walk of each group, minutes (savings model).
    pub current_min: Vec<f64>,
    /// Candidates that improve at least one group, as indexes into the candidate list.
    pub cands: Vec<usize>,
    /// For each instance candidate: `(group, walk minutes from it)`, by group.
    pub entries: Vec<Vec<(u32, f64)>>,
    /// Number of candidates covering each group.
    pub degree: Vec<u32>,
}

impl Instance {
    /// Builds the instance: coverage (groups = uncovered residents within the threshold
    /// of some candidate, grouped by the set of candidates covering them — an exact
    /// aggregation) or savings (residents with a walk, grouped by identical walks).
    pub fn build(planner: &Planner<'_>, candidates: &[Candidate], params: &PlanParams) -> Self {
        let savings = params.model == PlanModel::PMedian;
        let t = planner.threshold_cost_m;
        let limit_m = if savings {
            params
                .improve_limit_min
                .map_or(f64::INFINITY, |m| m * planner.metres_per_min)
        } else {
            t
        };
        let lists = improvement_lists(planner, candidates, limit_m);
        let mpm = planner.metres_per_min;
        let mut per_resident: Vec<Vec<(u32, u64)>> = vec![Vec::new(); planner.residents.len()];
        for (j, list) in lists.iter().enumerate() {
            for &(r, cost) in list.iter().flatten() {
                let res = &planner.residents[r as usize];
                let keep = if savings {
                    res.cost_m.is_finite()
                } else {
                    res.cost_m > t && cost <= t
                };
                if keep {
                    let key = if savings { (cost / mpm).to_bits() } else { 0 };
                    per_resident[r as usize].push((j as u32, key));
                }
            }
        }
        let mut group_of: HashMap<(u64, Vec<(u32, u64)>), u32> = HashMap::new();
        let mut weight = Vec::new();
        let mut current_min = Vec::new();
        let mut members: Vec<(u32, Vec<(u32, u64)>)> = Vec::new();
        for (r, list) in per_resident.into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let res = &planner.residents[r];
            let cur = if savings { res.cost_m / mpm } else { 0.0 };
            let key = (cur.to_bits(), list);
            match group_of.get(&key) {
                Some(&g) => weight[g as usize] += res.population,
                None => {
                    let g = weight.len() as u32;
                    weight.push(res.population);
                    current_min.push(cur);
                    members.push((g, key.1.clone()));
                    group_of.insert(key, g);
                }
            }
        }
        let mut by_candidate: Vec<Vec<(u32, f64)>> = vec![Vec::new(); candidates.len()];
        let mut degree = vec![0u32; weight.len()];
        for (g, list) in &members {
            degree[*g as usize] = list.len() as u32;
            for &(j, bits) in list {
                by_candidate[j as usize].push((*g, f64::from_bits(bits)));
            }
        }
        let mut cands = Vec::new();
        let mut entries = Vec::new();
        for (j, list) in by_candidate.into_iter().enumerate() {
            if !list.is_empty() {
                cands.push(j);
                entries.push(list);
            }
        }
        Instance {
            savings,
            weight,
            current_min,
            cands,
            entries,
            degree,
        }
    }

    /// Number of (candidate, group) pairs.
    pub fn nnz(&self) -> usize {
        self.entries.iter().map(Vec::len).sum()
    }
}

/// Incremental objective: covered weight (optionally capacitated) or walk minutes saved.
pub(crate) struct Evaluator<'a> {
    inst: &'a Instance,
    capacity: f64,
    /// Coverage: uncovered weight left per group. Savings: best walk per group.
    state: Vec<f64>,
    touched: Vec<u32>,
    pub work: u64,
    order: Vec<(u32, u32)>,
}

impl<'a> Evaluator<'a> {
    pub fn new(inst: &'a Instance, capacity: Option<f64>) -> Self {
        let state = if inst.savings {
            inst.current_min.clone()
        } else {
            inst.weight.clone()
        };
        Self {
            inst,
            capacity: capacity.unwrap_or(f64::INFINITY),
            state,
            touched: Vec::new(),
            work: 0,
            order: Vec::new(),
        }
    }

    fn initial(&self, g: usize) -> f64 {
        if self.inst.savings {
            self.inst.current_min[g]
        } else {
            self.inst.weight[g]
        }
    }

    pub fn reset(&mut self) {
        for &g in &self.touched {
            self.state[g as usize] = if self.inst.savings {
                self.inst.current_min[g as usize]
            } else {
                self.inst.weight[g as usize]
            };
        }
        self.touched.clear();
    }

    /// Gain of adding instance candidate `j` to the current set.
    pub fn marginal(&mut self, j: usize) -> f64 {
        let entries = &self.inst.entries[j];
        self.work += entries.len() as u64;
        if self.inst.savings {
            entries
                .iter()
                .map(|&(g, c)| self.inst.weight[g as usize] * (self.state[g as usize] - c).max(0.0))
                .sum()
        } else {
            let free: f64 = entries.iter().map(|&(g, _)| self.state[g as usize]).sum();
            free.min(self.capacity)
        }
    }

    /// Adds `j`; returns its gain (for capacity: the population it is assigned).
    pub fn add(&mut self, j: usize) -> f64 {
        let entries = &self.inst.entries[j];
        self.work += entries.len() as u64;
        let mut gain = 0.0;
        if self.inst.savings {
            for &(g, c) in entries {
                let s = &mut self.state[g as usize];
                if c < *s {
                    if *s == self.inst.current_min[g as usize] {
                        self.touched.push(g);
                    }
                    gain += self.inst.weight[g as usize] * (*s - c);
                    *s = c;
                }
            }
        } else if self.capacity.is_infinite() {
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
            let mut left = self.capacity;
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

    /// Objective of a whole set, from scratch.
    pub fn value_of(&mut self, set: &[usize]) -> f64 {
        self.reset();
        set.iter().map(|&j| self.add(j)).sum()
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

/// Lazy greedy (CELF): adds the candidate of largest marginal gain (ties: smaller
/// candidate index) until `stop(value, picked)` holds or no candidate gains anything.
/// Returns the picks with their gains.
pub(crate) fn celf(
    eval: &mut Evaluator<'_>,
    mut stop: impl FnMut(f64, usize) -> bool,
) -> Vec<(usize, f64)> {
    eval.reset();
    let n = eval.inst.entries.len();
    let mut heap: BinaryHeap<(Key, std::cmp::Reverse<usize>, usize)> = BinaryHeap::new();
    for j in 0..n {
        let g = eval.marginal(j);
        heap.push((Key(g), std::cmp::Reverse(j), 0));
    }
    let mut picks = Vec::new();
    let mut value = 0.0;
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
        } else {
            let fresh = eval.marginal(j);
            heap.push((Key(fresh), std::cmp::Reverse(j), round));
        }
    }
    picks
}

/// First-improvement swap: replaces a chosen site by an unchosen one while that raises
/// the objective; positions and candidates are tried in order (deterministic).
pub(crate) fn swap_improve(eval: &mut Evaluator<'_>, set: &mut [usize]) -> f64 {
    let n = eval.inst.entries.len();
    let mut best = eval.value_of(set);
    let mut chosen = vec![false; n];
    for &j in set.iter() {
        chosen[j] = true;
    }
    let mut improved = true;
    while improved && eval.work < SWAP_WORK_LIMIT {
        improved = false;
        for pos in 0..set.len() {
            for j in 0..n {
                if chosen[j] || eval.work >= SWAP_WORK_LIMIT {
                    continue;
                }
                let old = set[pos];
                set[pos] = j;
                let v = eval.value_of(set);
                if v > best + 1e-9 * best.abs().max(1.0) {
                    best = v;
                    chosen[old] = false;
                    chosen[j] = true;
                    improved = true;
                } else {
                    set[pos] = old;
                }
            }
        }
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
    params.validate()?;
    if candidates.is_empty() {
        return Err(Error::Empty {
            layer: "candidates".into(),
            reason: "no candidate site given".into(),
        });
    }
    let inst = Instance::build(planner, candidates, params);
    let total = planner.total_population;
    let before = planner.covered_population;
    let mut notes = Vec::new();
    let ratio = |x: f64| if total > 0.0 { x / total } else { 0.0 };

    let coverable: f64 = if inst.savings {
        0.0
    } else {
        inst.weight.iter().sum()
    };
    let need = match params.model {
        PlanModel::SetCover => {
            let need = params.target_ratio * total - before;
            if need > coverable + 1e-9 * total.max(1.0) {
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
                    ratio(before + coverable) * 100.0,
                    unreachable,
                    (total - before - coverable - unreachable).max(0.0)
                ));
            }
            need.max(0.0)
        }
        _ => 0.0,
    };
    let reachable_need = need.min(coverable);
    let eps = 1e-9 * total.max(1.0);

    let (picks, objective_value, bound_value, bound_kind, method) = if params.exact {
        let sol = exact::solve(&inst, params, reachable_need)?;
        (
            sol.picks,
            sol.objective,
            sol.bound,
            if sol.optimal {
                BoundKind::Optimal
            } else {
                BoundKind::LpRelaxation
            },
            "exact".to_string(),
        )
    } else {
        let mut eval = Evaluator::new(&inst, params.capacity);
        match params.model {
            PlanModel::MaxCoverage | PlanModel::PMedian => {
                let k = params.k;
                let picks = celf(&mut eval, |_, n| n >= k);
                let greedy_value: f64 = picks.iter().map(|p| p.1).sum();
                let mut set: Vec<usize> = picks.iter().map(|p| p.0).collect();
                let mut value = greedy_value;
                let mut method = "greedy".to_string();
                if params.swap && !set.is_empty() {
                    value = swap_improve(&mut eval, &mut set);
                    method = "greedy+swap".into();
                }
                // Bounds: greedy online bound at the final set and at the empty set.
                eval.value_of(&set);
                let mut bound = value + top_k_marginals(&mut eval, k, &set);
                eval.reset();
                bound = bound.min(top_k_marginals(&mut eval, k, &[]));
                if params.capacity.is_none() {
                    bound = bound.min(greedy_value / (1.0 - (-1.0f64).exp()));
                }
                let mut kind = BoundKind::Greedy;
                if let Some(lp) = exact::lp_bound(&inst, params, reachable_need) {
                    if lp < bound {
                        bound = lp;
                        kind = BoundKind::LpRelaxation;
                    }
                }
                let bound = bound.max(value);
                // Order and gains as added one by one.
                eval.reset();
                let ordered: Vec<(usize, f64)> = set.iter().map(|&j| (j, eval.add(j))).collect();
                (ordered, value, bound, kind, method)
            }
            PlanModel::SetCover => {
                let picks = celf(&mut eval, |v, _| v >= reachable_need - eps);
                let mut set: Vec<usize> = picks.iter().map(|p| p.0).collect();
                // Drop sites the others make redundant, latest first.
                let mut i = set.len();
                while i > 0 {
                    i -= 1;
                    let mut without = set.clone();
                    without.remove(i);
                    if eval.value_of(&without) >= reachable_need - eps {
                        set = without;
                    }
                }
                eval.reset();
                let ordered: Vec<(usize, f64)> = set.iter().map(|&j| (j, eval.add(j))).collect();
                // Lower bound: fewest sites whose largest single gains reach the need.
                eval.reset();
                let mut singles: Vec<f64> =
                    (0..inst.entries.len()).map(|j| eval.marginal(j)).collect();
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
                if let Some(lp) = exact::lp_bound(&inst, params, reachable_need) {
                    let lp = (lp - 1e-6).ceil();
                    if lp > bound {
                        bound = lp;
                        kind = BoundKind::LpRelaxation;
                    }
                }
                let n = ordered.len() as f64;
                (ordered, n, bound.min(n), kind, "greedy".to_string())
            }
        }
    };

    let mut sites = Vec::new();
    let mut set = Vec::new();
    for (rank, &(j, gain)) in picks.iter().enumerate() {
        let c = inst.cands[j];
        set.push(j);
        sites.push(ChosenSite {
            rank: rank + 1,
            candidate: CandidateId(c as u32),
            id: candidates[c].id.clone(),
            lonlat: candidates[c].lonlat,
            gain,
        });
    }
    // Coverage after, by walking distance (no capacity).
    let covered_after = if inst.savings {
        before
    } else {
        let mut plain = Evaluator::new(&inst, None);
        before + plain.value_of(&set)
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
    if inst.cands.is_empty() {
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
        max_reachable_ratio: (params.model == PlanModel::SetCover)
            .then(|| ratio(before + coverable)),
        notes,
        useful_candidates: inst.cands.len(),
        demand_groups: inst.weight.len(),
    })
}

/// The model's candidate → demand-group coverage, for comparison with other solvers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanMatrix {
    /// Population of each demand group (residents no candidate tells apart).
    pub weights: Vec<f64>,
    /// Walk minutes now (p-median; 0 for coverage models).
    pub current_min: Vec<f64>,
    /// Candidates that improve anyone, in candidate order.
    pub candidates: Vec<CandidateId>,
    /// For each of those: `(group, walk minutes from it)` (coverage models list only
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
    let inst = Instance::build(planner, candidates, params);
    PlanMatrix {
        weights: inst.weight,
        current_min: inst.current_min,
        candidates: inst.cands.iter().map(|&c| CandidateId(c as u32)).collect(),
        entries: inst.entries,
        covered_population_before: planner.covered_population,
        total_population: planner.total_population,
    }
}
