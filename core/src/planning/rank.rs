//! Every candidate's marginal gain, and the candidate → resident matrix the models use.

use serde::Serialize;

use super::candidates::{Candidate, CandidateId};
use super::whatif::{PlanScratch, Planner};

/// One candidate's marginal gain over the current centers (alone, not combined with
/// other candidates).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateGain {
    /// The candidate.
    pub candidate: CandidateId,
    /// Position in the ranking (1 = best); candidates off the network rank last.
    pub rank: usize,
    /// Whether the candidate snapped to the network within `max_snap_m`.
    pub snapped: bool,
    /// Population the candidate would newly cover.
    pub covered_population_gain: f64,
    /// Residents (points) it would newly cover.
    pub newly_covered_residents: usize,
    /// Population whose walk would get shorter.
    pub shorter_walk_population: f64,
    /// Population-weighted walk minutes saved (residents with a walk before).
    pub walk_minutes_saved: f64,
}

/// Runs `work` over `items` with one [`PlanScratch`] per chunk, in parallel when the
/// `parallel` feature is on; output in item order.
pub(crate) fn map_with_scratch<T: Sync, R: Send>(
    planner: &Planner<'_>,
    items: &[T],
    work: impl Fn(&mut PlanScratch, usize, &T) -> R + Sync,
) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let threads = rayon::current_num_threads().max(1);
        let chunk = items.len().div_ceil(threads * 4).max(1);
        let chunks: Vec<Vec<R>> = items
            .par_chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                let mut scratch = PlanScratch::new(planner.network);
                part.iter()
                    .enumerate()
                    .map(|(i, item)| work(&mut scratch, c * chunk + i, item))
                    .collect()
            })
            .collect();
        chunks.into_iter().flatten().collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut scratch = PlanScratch::new(planner.network);
        items
            .iter()
            .enumerate()
            .map(|(i, item)| work(&mut scratch, i, item))
            .collect()
    }
}

/// Each candidate's residents it would serve better than today, `(resident, cost_m)`
/// sorted by resident, for sites searched up to `limit_m`; `None` when off the network.
pub(crate) fn improvement_lists(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    limit_m: f64,
) -> Vec<Option<Vec<(u32, f64)>>> {
    map_with_scratch(planner, candidates, |scratch, _, c| {
        let site = planner.snap_site(c.lonlat)?;
        let mut out = Vec::new();
        planner.improvements(scratch, &site, limit_m, &mut out);
        out.sort_unstable_by_key(|e| e.0);
        Some(out)
    })
}

/// Every candidate's marginal gain over the current centers, in candidate order, with
/// its rank (by covered population gained, then walk minutes saved, then candidate
/// order).
///
/// Each candidate runs the pruned what-if search of [`Planner::add_site`]: it expands
/// only nodes where the candidate is strictly closer than every current center, so in
/// a city with centers it touches a small neighbourhood. `improve_limit_min` caps the
/// search (walk minutes from the candidate) — `Some(threshold)` is enough for coverage
/// gains; `None` makes the walk figures exact too. Runs on all cores with the
/// `parallel` feature.
///
/// Complexity: O(Σ (V'ᵢ + E'ᵢ) log V'ᵢ + R'ᵢ) over candidates, each term the part of the
/// network candidate i improves.
pub fn rank_candidates(
    planner: &Planner<'_>,
    candidates: &[Candidate],
    improve_limit_min: Option<f64>,
) -> Vec<CandidateGain> {
    let limit_m = improve_limit_min.map_or(f64::INFINITY, |m| m * planner.metres_per_min);
    let t = planner.threshold_cost_m;
    let mut gains: Vec<CandidateGain> = map_with_scratch(planner, candidates, |scratch, i, c| {
        let mut gain = CandidateGain {
            candidate: CandidateId(i as u32),
            rank: 0,
            snapped: false,
            covered_population_gain: 0.0,
            newly_covered_residents: 0,
            shorter_walk_population: 0.0,
            walk_minutes_saved: 0.0,
        };
        let Some(site) = planner.snap_site(c.lonlat) else {
            return gain;
        };
        gain.snapped = true;
        let mut out = std::mem::take(&mut scratch.changes);
        out.clear();
        planner.improvements(scratch, &site, limit_m, &mut out);
        for &(r, cost) in &out {
            let res = &planner.residents[r as usize];
            if cost <= t && res.cost_m > t {
                gain.covered_population_gain += res.population;
                gain.newly_covered_residents += 1;
            }
            gain.shorter_walk_population += res.population;
            if res.cost_m.is_finite() {
                gain.walk_minutes_saved +=
                    res.population * (res.cost_m - cost) / planner.metres_per_min;
            }
        }
        scratch.changes = out;
        gain
    });
    let mut order: Vec<usize> = (0..gains.len()).collect();
    order.sort_by(|&a, &b| {
        let (ga, gb) = (&gains[a], &gains[b]);
        gb.snapped
            .cmp(&ga.snapped)
            .then(
                gb.covered_population_gain
                    .total_cmp(&ga.covered_population_gain),
            )
            .then(gb.walk_minutes_saved.total_cmp(&ga.walk_minutes_saved))
            .then(a.cmp(&b))
    });
    for (rank, &i) in order.iter().enumerate() {
        gains[i].rank = rank + 1;
    }
    gains
}
