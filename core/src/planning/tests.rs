//! Oracle tests: what-if against full recomputation, exact against brute force.
//!
//! Only tests: over the ~600 lines the other files of `planning/` keep to, as one
//! oracle test per behaviour reads best in one place.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::coverage::{compute_coverage, summarize};
use crate::features::{CenterId, PointFeature, RoadLine};
use crate::network::NetworkParams;
use crate::network::WalkNetwork;
use crate::routing::WalkCosts;
use crate::test_support::{line, point};
use crate::CoverageParams;

/// A jittered `n × n` street grid of ~100 m blocks with a few diagonals.
fn random_city(rng: &mut ChaCha8Rng, n: usize) -> Vec<RoadLine> {
    let step = 0.0009;
    let p: Vec<Vec<[f64; 2]>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    [
                        i as f64 * step + rng.random_range(-0.0002..0.0002),
                        j as f64 * step + rng.random_range(-0.0002..0.0002),
                    ]
                })
                .collect()
        })
        .collect();
    let mut roads = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if i + 1 < n && rng.random_bool(0.9) {
                roads.push(line(&[p[i][j], p[i + 1][j]]));
            }
            if j + 1 < n && rng.random_bool(0.9) {
                roads.push(line(&[p[i][j], p[i][j + 1]]));
            }
            if i + 1 < n && j + 1 < n && rng.random_bool(0.1) {
                roads.push(line(&[p[i][j], p[i + 1][j + 1]]));
            }
        }
    }
    roads
}

fn random_points(rng: &mut ChaCha8Rng, n: usize, extent: f64, prefix: &str) -> Vec<PointFeature> {
    (0..n)
        .map(|i| {
            point(
                &format!("{prefix}{i}"),
                rng.random_range(-0.0005..extent),
                rng.random_range(-0.0005..extent),
                rng.random_range(1..5) as f64,
            )
        })
        .collect()
}

struct Case {
    network: WalkNetwork,
    costs: WalkCosts,
    centers: Vec<PointFeature>,
    demand: Vec<PointFeature>,
    params: CoverageParams,
}

fn case(seed: u64, grid_n: usize, centers: usize, residents: usize, minutes: f64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let roads = random_city(&mut rng, grid_n);
    let network = WalkNetwork::from_roads(
        &roads,
        &NetworkParams {
            min_component_nodes: 1,
        },
    )
    .unwrap();
    // Slope-like directional costs so the direction of search matters.
    let forward: Vec<f64> = (0..network.edge_count())
        .map(|e| {
            network.edge_length_m(crate::network::EdgeId(e as u32)) * (1.0 + (e % 3) as f64 * 0.2)
        })
        .collect();
    let backward: Vec<f64> = (0..network.edge_count())
        .map(|e| {
            network.edge_length_m(crate::network::EdgeId(e as u32)) * (1.0 + (e % 2) as f64 * 0.3)
        })
        .collect();
    let costs = WalkCosts::from_edge_costs(&network, forward, backward);
    let extent = grid_n as f64 * 0.0009;
    Case {
        centers: random_points(&mut rng, centers, extent, "c"),
        demand: random_points(&mut rng, residents, extent, "r"),
        network,
        costs,
        params: CoverageParams {
            threshold_min: minutes,
            max_snap_m: 150.0,
            ..Default::default()
        },
    }
}

fn covered_after(c: &Case, centers: &[PointFeature]) -> (f64, Option<f64>) {
    let r = compute_coverage(&c.network, &c.costs, centers, &c.demand, &c.params).unwrap();
    let s = summarize(&r, centers, &c.demand, &[]);
    (s.covered_population, s.mean_walk_min)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9 * a.abs().max(1.0),
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn what_if_add_remove_move_equal_full_recomputation() {
    for seed in 0..12 {
        let c = case(
            seed,
            12,
            1 + seed as usize % 4,
            150,
            3.0 + seed as f64 % 4.0,
        );
        let base =
            compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
        let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
        let (covered0, mean0) = covered_after(&c, &c.centers);
        assert_eq!(planner.covered_population(), covered0);
        let mut scratch = PlanScratch::new(&c.network);
        let mut rng = ChaCha8Rng::seed_from_u64(100 + seed);
        let sites = random_points(&mut rng, 8, 12.0 * 0.0009, "s");
        for site in &sites {
            let mut with = c.centers.clone();
            with.push(site.clone());
            let Ok(change) = planner.add_site(&mut scratch, [site.lon, site.lat]) else {
                continue;
            };
            let (covered, mean) = covered_after(&c, &with);
            assert_eq!(change.covered_population_before, covered0);
            assert_eq!(
                change.covered_population_after, covered,
                "seed {seed} add {}",
                site.id
            );
            assert!(
                close(change.mean_walk_after_min, mean),
                "seed {seed}: {change:?} vs {mean:?}"
            );
            assert!(close(change.mean_walk_before_min, mean0));
        }
        for (k, site) in sites.iter().enumerate().take(c.centers.len()) {
            let mut without = c.centers.clone();
            without.remove(k);
            let change = planner
                .remove_center(&mut scratch, CenterId(k as u32))
                .unwrap();
            if without.is_empty() {
                assert_eq!(change.covered_population_after, 0.0);
                continue;
            }
            let (covered, mean) = covered_after(&c, &without);
            assert_eq!(
                change.covered_population_after, covered,
                "seed {seed} remove {k}"
            );
            assert!(
                close(change.mean_walk_after_min, mean),
                "seed {seed} remove {k}"
            );
            if let Ok(change) =
                planner.move_center(&mut scratch, CenterId(k as u32), [site.lon, site.lat])
            {
                let mut moved = without.clone();
                moved.insert(k, site.clone());
                let (covered, mean) = covered_after(&c, &moved);
                assert_eq!(
                    change.covered_population_after, covered,
                    "seed {seed} move {k}"
                );
                assert!(
                    close(change.mean_walk_after_min, mean),
                    "seed {seed} move {k}"
                );
            }
        }
    }
}

#[test]
fn ranking_gains_equal_full_recomputation() {
    let c = case(5, 10, 2, 200, 4.0);
    let base = compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
    let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
    let candidates = generate_candidates(
        &c.network,
        &CandidateGrid {
            spacing_m: 150.0,
            boundary: None,
        },
    )
    .unwrap();
    let gains = rank_candidates(&planner, &candidates, None);
    let (covered0, _) = covered_after(&c, &c.centers);
    for (cand, g) in candidates.iter().zip(&gains) {
        let mut with = c.centers.clone();
        with.push(point("new", cand.lonlat[0], cand.lonlat[1], 1.0));
        let (covered, _) = covered_after(&c, &with);
        assert_eq!(g.covered_population_gain, covered - covered0);
    }
    let mut ranks: Vec<usize> = gains.iter().map(|g| g.rank).collect();
    ranks.sort_unstable();
    assert_eq!(ranks, (1..=gains.len()).collect::<Vec<_>>());
}

/// Covered population after adding each subset of `k` candidates, by full recomputation.
fn brute_force_mclp(c: &Case, candidates: &[Candidate], k: usize) -> f64 {
    let n = candidates.len();
    let mut best = 0.0f64;
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        let mut with = c.centers.clone();
        for &i in &idx {
            with.push(point(
                "n",
                candidates[i].lonlat[0],
                candidates[i].lonlat[1],
                1.0,
            ));
        }
        best = best.max(covered_after(c, &with).0);
        // Next combination.
        let mut i = k;
        while i > 0 && idx[i - 1] == n - k + i - 1 {
            i -= 1;
        }
        if i == 0 {
            return best;
        }
        idx[i - 1] += 1;
        for j in i..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

fn small_setup(seed: u64) -> (Case, Vec<Candidate>) {
    let c = case(seed, 9, 1, 120, 2.5);
    let mut rng = ChaCha8Rng::seed_from_u64(seed + 7);
    let candidates = candidates_from_points(&random_points(&mut rng, 9, 9.0 * 0.0009, "k"));
    (c, candidates)
}

#[test]
fn exact_equals_brute_force_and_greedy_stays_within_its_bound() {
    for seed in 0..6 {
        let (c, candidates) = small_setup(seed);
        let base =
            compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
        let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
        for k in 1..=3 {
            let brute = brute_force_mclp(&c, &candidates, k);
            let params = PlanParams {
                k,
                method: Method::Exact,
                ..Default::default()
            };
            let exact = plan_sites(&planner, &candidates, &params).unwrap();
            assert_eq!(exact.bound_kind, BoundKind::Optimal);
            assert!(
                (exact.covered_population_after - brute).abs() < 1e-9,
                "seed {seed} k {k}: exact {} brute {brute}",
                exact.covered_population_after
            );
            let greedy = plan_sites(
                &planner,
                &candidates,
                &PlanParams {
                    k,
                    ..Default::default()
                },
            )
            .unwrap();
            let gain_opt = brute - planner.covered_population();
            assert!(greedy.objective <= gain_opt + 1e-9);
            assert!(greedy.bound >= gain_opt - 1e-6, "{greedy:?} vs {gain_opt}");
            assert!(greedy.relative_gap >= 0.0);
        }
    }
}

#[test]
fn pmedian_exact_matches_brute_force_and_greedy_bound_holds() {
    let (mut c, candidates) = small_setup(3);
    c.params.threshold_min = 2.0;
    let base = compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
    let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
    // Brute force over pairs: the population-weighted total walk of residents with a walk.
    let mut best = f64::INFINITY;
    for a in 0..candidates.len() {
        for b in a + 1..candidates.len() {
            let mut with = c.centers.clone();
            for i in [a, b] {
                with.push(point(
                    "n",
                    candidates[i].lonlat[0],
                    candidates[i].lonlat[1],
                    1.0,
                ));
            }
            let r = compute_coverage(&c.network, &c.costs, &with, &c.demand, &c.params).unwrap();
            let total: f64 = r
                .demand
                .iter()
                .zip(&c.demand)
                .zip(&base.demand)
                .filter(|(_, b)| b.walk_min.is_some())
                .map(|((d, p), _)| p.population * d.walk_min.unwrap())
                .sum();
            best = best.min(total);
        }
    }
    let exact = plan_sites(
        &planner,
        &candidates,
        &PlanParams {
            model: PlanModel::PMedian,
            k: 2,
            method: Method::Exact,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        (exact.objective - best).abs() < 1e-6 * best,
        "{} vs {best}",
        exact.objective
    );
    let greedy = plan_sites(
        &planner,
        &candidates,
        &PlanParams {
            model: PlanModel::PMedian,
            k: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        greedy.objective >= best - 1e-6 && greedy.bound <= best + 1e-6,
        "{greedy:?}"
    );
}

#[test]
fn set_cover_reaches_its_target_or_says_why() {
    let (c, candidates) = small_setup(1);
    let base = compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
    let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
    let full = plan_sites(
        &planner,
        &candidates,
        &PlanParams {
            model: PlanModel::SetCover,
            target_ratio: 1.0,
            ..Default::default()
        },
    )
    .unwrap();
    let max = full.max_reachable_ratio.unwrap();
    if max < 1.0 {
        assert_eq!(full.target_reached, Some(false));
        assert!(full.notes[0].contains("unreachable"), "{:?}", full.notes);
    }
    let target = (full.coverage_ratio_before + max) / 2.0;
    for method in [Method::GreedySwap, Method::Exact] {
        let p = plan_sites(
            &planner,
            &candidates,
            &PlanParams {
                model: PlanModel::SetCover,
                target_ratio: target,
                method,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.target_reached, Some(true), "{p:?}");
        assert!(p.coverage_ratio_after >= target);
        assert!(p.bound <= p.objective);
        // Full recomputation agrees on the coverage reached.
        let mut with = c.centers.clone();
        for s in &p.sites {
            with.push(point("n", s.lonlat[0], s.lonlat[1], 1.0));
        }
        assert_eq!(covered_after(&c, &with).0, p.covered_population_after);
    }
}

#[test]
fn capacities_are_respected() {
    let (c, candidates) = small_setup(2);
    let base = compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
    let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
    for method in [Method::GreedySwap, Method::Exact] {
        let p = plan_sites(
            &planner,
            &candidates,
            &PlanParams {
                k: 3,
                capacity: Some(10.0),
                method,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(p.sites.iter().all(|s| s.gain <= 10.0 + 1e-9), "{p:?}");
        assert!(p.objective <= 30.0 + 1e-9 && p.objective <= p.bound + 1e-6);
    }
}

#[test]
fn bad_parameters_are_named() {
    let (c, candidates) = small_setup(0);
    let base = compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
    let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
    let err = |p: PlanParams, cands: &[Candidate]| {
        plan_sites(&planner, cands, &p).unwrap_err().to_string()
    };
    assert!(err(
        PlanParams {
            k: 0,
            ..Default::default()
        },
        &candidates
    )
    .contains("`k`"));
    let lscp = PlanParams {
        model: PlanModel::SetCover,
        target_ratio: 1.5,
        ..Default::default()
    };
    assert!(err(lscp, &candidates).contains("target_ratio"));
    assert!(err(PlanParams::default(), &[]).contains("no candidate"));
    assert!(PlanModel::parse("median")
        .unwrap_err()
        .to_string()
        .contains("unknown model"));
}

/// A case with `centers` existing centers, one of them doubled (a redundant center),
/// and 6 candidates.
fn closing_setup(seed: u64, centers: usize) -> (Case, Vec<Candidate>) {
    let mut c = case(seed, 9, centers, 120, 2.5);
    let twin = c.centers[0].clone();
    c.centers.push(PointFeature {
        id: "twin".into(),
        ..twin
    });
    let mut rng = ChaCha8Rng::seed_from_u64(seed + 11);
    let candidates = candidates_from_points(&random_points(&mut rng, 6, 9.0 * 0.0009, "k"));
    (c, candidates)
}

/// Every set of columns (existing centers `0..e`, then candidates) of at most `max_size`
/// sites closing at most `max_closed` centers, as the centers of a coverage run.
fn column_sets(
    c: &Case,
    candidates: &[Candidate],
    max_size: usize,
    max_closed: usize,
) -> Vec<Vec<PointFeature>> {
    let e = c.centers.len();
    let n = e + candidates.len();
    let mut out = Vec::new();
    for mask in 0u32..(1 << n) {
        if mask.count_ones() as usize > max_size {
            continue;
        }
        let kept = (0..e).filter(|&j| mask & (1 << j) != 0).count();
        if e - kept > max_closed {
            continue;
        }
        let mut set = Vec::new();
        for j in 0..n {
            if mask & (1 << j) != 0 {
                if j < e {
                    set.push(c.centers[j].clone());
                } else {
                    let k = &candidates[j - e];
                    set.push(point("n", k.lonlat[0], k.lonlat[1], 1.0));
                }
            }
        }
        out.push(set);
    }
    out
}

fn covered_by(c: &Case, centers: &[PointFeature]) -> f64 {
    if centers.is_empty() {
        return 0.0;
    }
    covered_after(c, centers).0
}

/// The centers of a plan: today's minus the closed ones, plus the new sites.
fn plan_centers(c: &Case, p: &PlanOutcome) -> Vec<PointFeature> {
    let closed: Vec<usize> = p.closed.iter().map(|x| x.center.0 as usize).collect();
    let mut out: Vec<PointFeature> = (0..c.centers.len())
        .filter(|j| !closed.contains(j))
        .map(|j| c.centers[j].clone())
        .collect();
    for s in &p.sites {
        out.push(point("n", s.lonlat[0], s.lonlat[1], 1.0));
    }
    out
}

#[test]
fn mclp_with_closing_exact_equals_brute_force() {
    let mut relocated = 0;
    for seed in 0..4 {
        let (c, candidates) = closing_setup(seed, 2);
        let e = c.centers.len();
        let base =
            compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
        let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
        for (k, max_closed) in [(1, None), (2, Some(1)), (1, Some(0))] {
            let budget = max_closed.unwrap_or(e);
            let brute = column_sets(&c, &candidates, e + k, budget)
                .iter()
                .map(|set| covered_by(&c, set))
                .fold(0.0f64, f64::max);
            let params = PlanParams {
                k,
                method: Method::Exact,
                allow_closing: true,
                max_closed,
                ..Default::default()
            };
            let exact = plan_sites(&planner, &candidates, &params).unwrap();
            assert_eq!(exact.bound_kind, BoundKind::Optimal);
            assert!(
                (exact.covered_population_after - brute).abs() < 1e-9,
                "seed {seed} k {k} budget {budget}: exact {} brute {brute}",
                exact.covered_population_after
            );
            assert!(exact.closed.len() <= budget);
            relocated += exact.closed.len();
            assert!(exact.sites.len() <= k + exact.closed.len());
            // The reported plan, recomputed in full, covers what it says.
            let centers = plan_centers(&c, &exact);
            assert_eq!(covered_by(&c, &centers), exact.covered_population_after);
            let greedy = plan_sites(
                &planner,
                &candidates,
                &PlanParams {
                    method: Method::GreedySwap,
                    ..params
                },
            )
            .unwrap();
            let gain_opt = brute - planner.covered_population();
            assert!(greedy.closed.len() <= budget);
            assert!(greedy.objective <= gain_opt + 1e-9, "seed {seed}");
            assert!(greedy.bound >= gain_opt - 1e-6, "{greedy:?} vs {gain_opt}");
            assert_eq!(
                covered_by(&c, &plan_centers(&c, &greedy)),
                greedy.covered_population_after
            );
            // Closing never does worse than keeping every center.
            let keep = plan_sites(
                &planner,
                &candidates,
                &PlanParams {
                    k,
                    method: Method::Exact,
                    ..Default::default()
                },
            )
            .unwrap();
            assert!(exact.covered_population_after >= keep.covered_population_after - 1e-9);
            assert!(keep.closed.is_empty());
        }
    }
    // The doubled center is worth moving somewhere.
    assert!(relocated > 0);
}

#[test]
fn pmedian_with_closing_exact_equals_brute_force() {
    let (mut c, candidates) = closing_setup(3, 2);
    c.params.threshold_min = 2.0;
    let e = c.centers.len();
    let base = compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
    let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
    let total_walk = |centers: &[PointFeature]| -> f64 {
        let r = compute_coverage(&c.network, &c.costs, centers, &c.demand, &c.params).unwrap();
        let mut total = 0.0;
        for ((d, p), b) in r.demand.iter().zip(&c.demand).zip(&base.demand) {
            if b.walk_min.is_some() {
                match d.walk_min {
                    Some(w) => total += p.population * w,
                    None => return f64::INFINITY, // someone lost their walk
                }
            }
        }
        total
    };
    let k = 1;
    let best = column_sets(&c, &candidates, e + k, e)
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| total_walk(s))
        .fold(f64::INFINITY, f64::min);
    let params = PlanParams {
        model: PlanModel::PMedian,
        k,
        method: Method::Exact,
        allow_closing: true,
        ..Default::default()
    };
    let exact = plan_sites(&planner, &candidates, &params).unwrap();
    assert!(
        (exact.objective - best).abs() < 1e-6 * best,
        "{} vs {best}",
        exact.objective
    );
    let greedy = plan_sites(
        &planner,
        &candidates,
        &PlanParams {
            method: Method::GreedySwap,
            ..params
        },
    )
    .unwrap();
    assert!(
        greedy.objective >= best - 1e-6 && greedy.bound <= best + 1e-6,
        "{greedy:?}"
    );
    for x in &greedy.closed {
        assert!(x.walk_minutes_added.is_some() && x.covered_population_lost.is_none());
    }
}

#[test]
fn set_cover_with_closing_uses_fewer_sites() {
    for seed in 0..4 {
        let (c, candidates) = closing_setup(seed, 3);
        let e = c.centers.len();
        let base =
            compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
        let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
        let target = planner.covered_population() / planner.total_population();
        let lscp = |allow_closing: bool, method: Method| {
            plan_sites(
                &planner,
                &candidates,
                &PlanParams {
                    model: PlanModel::SetCover,
                    target_ratio: target,
                    allow_closing,
                    method,
                    ..Default::default()
                },
            )
            .unwrap()
        };
        let without = lscp(false, Method::Exact);
        assert_eq!(without.objective, 0.0, "today's coverage needs no new site");
        for method in [Method::GreedySwap, Method::Exact] {
            let with = lscp(true, method);
            assert_eq!(with.target_reached, Some(true), "{with:?}");
            // The doubled center is redundant: at least one center closes.
            assert!(with.objective < e as f64, "seed {seed} {method}: {with:?}");
            assert_eq!(
                with.objective as usize,
                e - with.closed.len() + with.sites.len()
            );
            let centers = plan_centers(&c, &with);
            assert_eq!(covered_by(&c, &centers), with.covered_population_after);
            assert!(with.covered_population_after >= target * planner.total_population() - 1e-9);
            assert!(with.bound <= with.objective);
        }
        // Exact: the fewest sites of any set reaching the target.
        let need = target * planner.total_population() - 1e-9;
        let fewest = column_sets(&c, &candidates, e + candidates.len(), e)
            .iter()
            .filter(|s| covered_by(&c, s) >= need)
            .map(Vec::len)
            .min()
            .unwrap();
        assert_eq!(
            lscp(true, Method::Exact).objective,
            fewest as f64,
            "seed {seed}"
        );
    }
}

#[test]
fn progress_is_reported_and_changes_nothing() {
    let (c, candidates) = small_setup(4);
    let base = compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
    let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
    for method in [Method::GreedySwap, Method::Exact] {
        let params = PlanParams {
            k: 2,
            method,
            ..Default::default()
        };
        let mut seen = Vec::new();
        let with = plan_sites_with_progress(&planner, &candidates, &params, &mut |p| seen.push(p))
            .unwrap();
        assert_eq!(with, plan_sites(&planner, &candidates, &params).unwrap());
        let last = |stage| seen.iter().rev().find(|p| p.stage == stage).copied();
        let cand = last(PlanStage::Candidates).unwrap();
        assert_eq!(
            (cand.done, cand.total),
            (candidates.len(), candidates.len())
        );
        assert_eq!(seen[0].stage, PlanStage::Candidates);
        assert!(seen.iter().all(|p| p.done <= p.total));
        if method == Method::Exact {
            assert_eq!(last(PlanStage::Exact).unwrap().done, 1);
        } else {
            assert_eq!(last(PlanStage::Greedy).unwrap().done, 2);
            let swap = last(PlanStage::Swap).unwrap();
            assert_eq!(swap.done, swap.total);
        }
    }
    assert_eq!(
        serde_json::to_string(&PlanStage::Candidates).unwrap(),
        "\"candidates\""
    );
}

#[test]
fn closing_parameters_are_checked() {
    let p = PlanParams {
        max_closed: Some(1),
        ..Default::default()
    };
    assert!(p.validate().unwrap_err().to_string().contains("max_closed"));
    let p = PlanParams {
        model: PlanModel::PMedian,
        allow_closing: true,
        improve_limit_min: Some(5.0),
        ..Default::default()
    };
    assert!(p
        .validate()
        .unwrap_err()
        .to_string()
        .contains("improve_limit_min"));
}

#[test]
fn method_names_are_the_output_strings_and_say_what_ran() {
    for (m, s) in [
        (Method::Greedy, "greedy"),
        (Method::GreedySwap, "greedy+swap"),
        (Method::Exact, "exact"),
    ] {
        assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{s}\""));
        assert_eq!(Method::parse(s).unwrap(), m);
        assert_eq!(m.as_str(), s);
    }
    assert_eq!(Method::default(), Method::GreedySwap);
    assert!(Method::parse("fast")
        .unwrap_err()
        .to_string()
        .contains("unknown method"));
    // What ran: closing always swaps; LSCP never does.
    let (c, candidates) = closing_setup(0, 2);
    let base = compute_coverage(&c.network, &c.costs, &c.centers, &c.demand, &c.params).unwrap();
    let planner = Planner::new(&c.network, &c.costs, &base, &c.demand).unwrap();
    let method_of = |params: PlanParams| plan_sites(&planner, &candidates, &params).unwrap().method;
    let greedy = PlanParams {
        method: Method::Greedy,
        ..Default::default()
    };
    assert_eq!(method_of(greedy.clone()), Method::Greedy);
    let closing = PlanParams {
        allow_closing: true,
        ..greedy
    };
    assert_eq!(method_of(closing), Method::GreedySwap);
    let lscp = PlanParams {
        model: PlanModel::SetCover,
        method: Method::GreedySwap,
        target_ratio: 0.5,
        ..Default::default()
    };
    assert_eq!(method_of(lscp), Method::Greedy);
}

/// One street along the equator, 2.2 km: a center at its west end with 50 people next
/// to it (covered), and 50 people 1.7 km east (beyond 10 minutes) next to the one
/// candidate. Total 100, covered before 50; the candidate alone could cover 50.
fn capacity_street() -> (WalkNetwork, WalkCosts, Vec<PointFeature>, Vec<PointFeature>) {
    let (network, costs) = crate::test_support::equator_street(21);
    let centers = vec![point("center", 0.0, 0.0001, 1.0)];
    let mut demand = Vec::new();
    for i in 0..5 {
        demand.push(point(&format!("near{i}"), 0.001, 0.0001 * i as f64, 10.0));
        demand.push(point(&format!("far{i}"), 0.0155, 0.0001 * i as f64, 10.0));
    }
    (network, costs, centers, demand)
}

#[test]
fn plan_capacity_after_figures_count_each_new_site_up_to_its_capacity() {
    let (network, costs, centers, demand) = capacity_street();
    let params = CoverageParams::default();
    let base = compute_coverage(&network, &costs, &centers, &demand, &params).unwrap();
    let planner = Planner::new(&network, &costs, &base, &demand).unwrap();
    assert_eq!(planner.covered_population(), 50.0);
    let candidates = candidates_from_points(&[point("k", 0.0155, 0.0, 1.0)]);
    for method in [Method::GreedySwap, Method::Exact] {
        // MCLP: the one site covers 50 by walking distance, 30 with its capacity.
        let mclp = plan_sites(
            &planner,
            &candidates,
            &PlanParams {
                k: 1,
                capacity: Some(30.0),
                method,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(
            (mclp.covered_population_after - 80.0).abs() < 1e-6,
            "{method}: {mclp:?}"
        );
        assert!((mclp.coverage_ratio_after - 0.8).abs() < 1e-8);
        assert!((mclp.objective - 30.0).abs() < 1e-6);
        assert!(
            mclp.notes
                .iter()
                .any(|n| n.contains("up to its capacity of 30")
                    && n.contains("80.00 %")
                    && n.contains("100.00 %")),
            "{:?}",
            mclp.notes
        );
        // LSCP reachable with the capacity: 75 % needs the site, which brings 80 %.
        let reachable = plan_sites(
            &planner,
            &candidates,
            &PlanParams {
                model: PlanModel::SetCover,
                target_ratio: 0.75,
                capacity: Some(30.0),
                method,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            reachable.target_reached,
            Some(true),
            "{method}: {reachable:?}"
        );
        assert_eq!(reachable.objective, 1.0);
        assert!((reachable.covered_population_after - 80.0).abs() < 1e-6);
        assert!((reachable.max_reachable_ratio.unwrap() - 0.8).abs() < 1e-8);
    }
}

#[test]
fn plan_capacity_target_above_the_capacitated_reach_is_unreachable_not_an_error() {
    let (network, costs, centers, demand) = capacity_street();
    let params = CoverageParams::default();
    let base = compute_coverage(&network, &costs, &centers, &demand, &params).unwrap();
    let planner = Planner::new(&network, &costs, &base, &demand).unwrap();
    let candidates = candidates_from_points(&[point("k", 0.0155, 0.0, 1.0)]);
    for method in [Method::GreedySwap, Method::Exact] {
        // 90 % is within walking reach (100 %) but not with a capacity of 30 (80 %).
        let p = plan_sites(
            &planner,
            &candidates,
            &PlanParams {
                model: PlanModel::SetCover,
                target_ratio: 0.9,
                capacity: Some(30.0),
                method,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{method}: {e}"));
        assert_eq!(p.target_reached, Some(false), "{method}: {p:?}");
        assert!((p.covered_population_after - 80.0).abs() < 1e-6, "{p:?}");
        assert!((p.coverage_ratio_after - 0.8).abs() < 1e-8);
        assert!((p.max_reachable_ratio.unwrap() - 0.8).abs() < 1e-8, "{p:?}");
        assert_eq!(p.sites.len(), 1);
        assert!(
            p.notes[0].contains("90.0 % is unreachable with a capacity of 30")
                && p.notes[0].contains("80.00 % at most"),
            "{method}: {:?}",
            p.notes
        );
        // Without the capacity the same target is reached.
        let free = plan_sites(
            &planner,
            &candidates,
            &PlanParams {
                model: PlanModel::SetCover,
                target_ratio: 0.9,
                method,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(free.target_reached, Some(true));
        assert_eq!(free.covered_population_after, 100.0);
    }
}
