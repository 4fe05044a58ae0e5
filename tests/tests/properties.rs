//! Invariants of the engine as property tests on random street networks.
//!
//! Each scenario is a jittered grid of streets with some blocks missing (so there are
//! detours and separate components), a few centers and up to two dozen residents placed
//! anywhere around it (some off the network). The case counts keep every property well
//! under a few seconds in a debug build.

mod common;

use common::{line, point, shuffle, STEP};
use lifecircle::coverage::{compute_coverage, CoverageResult, DemandStatus};
use lifecircle::features::{PointFeature, RoadLine};
use lifecircle::network::{NetworkParams, NodeId, WalkNetwork};
use lifecircle::planning::{PlanScratch, Planner};
use lifecircle::routing::{MultiSourceSearch, Seed, WalkCosts};
use lifecircle::CoverageParams;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Scenario {
    roads: Vec<RoadLine>,
    centers: Vec<PointFeature>,
    demand: Vec<PointFeature>,
}

/// A jittered `n` × `n` grid; each block side is kept with probability 0.8.
fn scenario() -> impl Strategy<Value = Scenario> {
    (3usize..7).prop_flat_map(|n| {
        let span = n as f64 - 0.5;
        (
            Just(n),
            prop::collection::vec((-0.3f64..0.3, -0.3f64..0.3), n * n),
            prop::collection::vec(prop::bool::weighted(0.8), 2 * n * (n - 1)),
            prop::collection::vec((-0.5f64..span, -0.5f64..span), 1..5),
            prop::collection::vec((-1.0f64..span + 0.5, -1.0f64..span + 0.5, 1u32..5), 1..25),
        )
            .prop_map(|(n, jitter, keep, centers, demand)| {
                let node = |i: usize, j: usize| {
                    let (dx, dy) = jitter[j * n + i];
                    [(i as f64 + dx) * STEP, (j as f64 + dy) * STEP]
                };
                let mut sides = Vec::new();
                for j in 0..n {
                    for i in 0..n - 1 {
                        sides.push((node(i, j), node(i + 1, j)));
                        sides.push((node(j, i), node(j, i + 1)));
                    }
                }
                let mut roads: Vec<RoadLine> = sides
                    .iter()
                    .zip(&keep)
                    .filter(|(_, keep)| **keep)
                    .map(|((a, b), _)| line(&[*a, *b]))
                    .collect();
                if roads.is_empty() {
                    roads.push(line(&[sides[0].0, sides[0].1]));
                }
                for (k, road) in roads.iter_mut().enumerate() {
                    road.source_index = k;
                }
                let centers = centers
                    .iter()
                    .enumerate()
                    .map(|(k, (x, y))| point(&format!("c{k}"), x * STEP, y * STEP, 1.0))
                    .collect();
                let demand = demand
                    .iter()
                    .enumerate()
                    .map(|(k, (x, y, p))| point(&format!("r{k}"), x * STEP, y * STEP, *p as f64))
                    .collect();
                Scenario {
                    roads,
                    centers,
                    demand,
                }
            })
    })
}

fn network(roads: &[RoadLine]) -> WalkNetwork {
    WalkNetwork::from_roads(
        roads,
        &NetworkParams {
            min_component_nodes: 1,
        },
    )
    .unwrap()
}

fn coverage(
    network: &WalkNetwork,
    centers: &[PointFeature],
    demand: &[PointFeature],
    params: &CoverageParams,
) -> CoverageResult {
    compute_coverage(network, &WalkCosts::flat(network), centers, demand, params).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn params(threshold_min: f64) -> CoverageParams {
    CoverageParams {
        threshold_min,
        ..CoverageParams::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A multi-source search gives every node the minimum over single-source searches.
    #[test]
    fn multi_source_node_costs_equal_the_per_source_minimum(
        s in scenario(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0.0f64..200.0), 1..6),
    ) {
        let network = network(&s.roads);
        let costs = WalkCosts::flat(&network);
        let seeds: Vec<Seed> = picks
            .iter()
            .enumerate()
            .map(|(k, (index, cost))| Seed {
                node: NodeId(index.index(network.node_count()) as u32),
                cost_m: *cost,
                length_m: *cost,
                source: k as u32,
            })
            .collect();
        let mut all = MultiSourceSearch::new(&network);
        all.run(&network, &costs, &seeds, f64::INFINITY);
        let mut single = MultiSourceSearch::new(&network);
        let mut best = vec![f64::INFINITY; network.node_count()];
        for seed in &seeds {
            single.run(&network, &costs, std::slice::from_ref(seed), f64::INFINITY);
            for (v, b) in best.iter_mut().enumerate() {
                if let Some(c) = single.cost_m(NodeId(v as u32)) {
                    *b = b.min(c);
                }
            }
        }
        for (v, b) in best.iter().enumerate() {
            match all.cost_m(NodeId(v as u32)) {
                Some(c) => prop_assert!(close(c, *b), "node {v}: {c} vs {b}"),
                None => prop_assert!(b.is_infinite()),
            }
        }
    }

    /// Each resident's walk with all centers is the shortest of its walks to each center
    /// alone, and its nearest center is one that attains it.
    #[test]
    fn multi_source_walks_equal_the_per_center_minimum(s in scenario()) {
        let network = network(&s.roads);
        let p = params(10.0);
        let all = coverage(&network, &s.centers, &s.demand, &p);
        let singles: Vec<CoverageResult> = s
            .centers
            .iter()
            .map(|c| coverage(&network, std::slice::from_ref(c), &s.demand, &p))
            .collect();
        for (r, d) in all.demand.iter().enumerate() {
            let per_center: Vec<Option<f64>> =
                singles.iter().map(|one| one.demand[r].walk_min).collect();
            let best = per_center.iter().flatten().copied().fold(f64::INFINITY, f64::min);
            match d.walk_min {
                Some(w) => {
                    prop_assert!(close(w, best), "resident {r}: {w} vs {best}");
                    let nearest = d.nearest_center.unwrap();
                    prop_assert!(close(per_center[nearest.index()].unwrap(), w));
                }
                None => prop_assert!(best.is_infinite(), "resident {r}: none vs {best}"),
            }
            let covered_alone = singles.iter().any(|one| one.demand[r].covered);
            prop_assert_eq!(d.covered, covered_alone, "resident {}", r);
        }
    }

    /// Adding a center never uncovers anyone and never lengthens a walk.
    #[test]
    fn adding_a_center_never_lowers_coverage_or_lengthens_a_walk(
        s in scenario(),
        extra in (-0.5f64..6.0, -0.5f64..6.0),
        threshold in 1.0f64..15.0,
    ) {
        let network = network(&s.roads);
        let p = params(threshold);
        let before = coverage(&network, &s.centers, &s.demand, &p);
        let mut more = s.centers.clone();
        more.push(point("new", extra.0 * STEP, extra.1 * STEP, 1.0));
        let after = coverage(&network, &more, &s.demand, &p);
        for (r, (b, a)) in before.demand.iter().zip(&after.demand).enumerate() {
            prop_assert!(!b.covered || a.covered, "resident {r} lost coverage");
            if let Some(wb) = b.walk_min {
                let wa = a.walk_min.unwrap();
                prop_assert!(wa <= wb || close(wa, wb), "resident {r}: {wb} -> {wa}");
            }
            if b.status == DemandStatus::Ok {
                prop_assert_eq!(a.status, DemandStatus::Ok);
            }
            prop_assert_eq!(
                b.status == DemandStatus::TooFarFromNetwork,
                a.status == DemandStatus::TooFarFromNetwork
            );
        }
    }

    /// The incremental what-if gain of a new site equals the difference of two full runs.
    #[test]
    fn what_if_gain_equals_the_difference_of_two_full_runs(
        s in scenario(),
        extra in (-0.5f64..6.0, -0.5f64..6.0),
        threshold in 1.0f64..15.0,
    ) {
        let network = network(&s.roads);
        let costs = WalkCosts::flat(&network);
        let p = params(threshold);
        let before = coverage(&network, &s.centers, &s.demand, &p);
        let site = point("new", extra.0 * STEP, extra.1 * STEP, 1.0);
        let planner = Planner::new(&network, &costs, &before, &s.demand).unwrap();
        let mut scratch = PlanScratch::new(&network);
        let Ok(change) = planner.add_site(&mut scratch, [site.lon, site.lat]) else {
            // The site is off the network: nothing to compare.
            return Ok(());
        };
        let mut more = s.centers.clone();
        more.push(site);
        let after = coverage(&network, &more, &s.demand, &p);
        let covered = |r: &CoverageResult| -> f64 {
            r.demand.iter().zip(&s.demand).filter(|(d, _)| d.covered).map(|(_, x)| x.population).sum()
        };
        let full_gain = covered(&after) - covered(&before);
        prop_assert!(
            close(change.covered_population_change, full_gain),
            "what-if {} vs full runs {}", change.covered_population_change, full_gain
        );
    }

    /// Raising the threshold never uncovers anyone; walks do not depend on it.
    #[test]
    fn raising_the_threshold_never_lowers_coverage(
        s in scenario(),
        low in 0.5f64..10.0,
        raise in 0.0f64..10.0,
    ) {
        let network = network(&s.roads);
        let a = coverage(&network, &s.centers, &s.demand, &params(low));
        let b = coverage(&network, &s.centers, &s.demand, &params(low + raise));
        for (r, (x, y)) in a.demand.iter().zip(&b.demand).enumerate() {
            prop_assert!(!x.covered || y.covered, "resident {r}");
            prop_assert_eq!(x.walk_min, y.walk_min);
            prop_assert_eq!(x.status, y.status);
        }
    }

    /// Shuffling roads, centers and residents changes no resident's walk, status, covered
    /// flag or nearest center (compared by id).
    #[test]
    fn results_do_not_depend_on_feature_order(s in scenario(), seed in any::<u64>()) {
        let p = params(5.0);
        let base = coverage(&network(&s.roads), &s.centers, &s.demand, &p);
        let (mut roads, mut centers, mut demand) =
            (s.roads.clone(), s.centers.clone(), s.demand.clone());
        shuffle(&mut roads, seed);
        shuffle(&mut centers, seed ^ 1);
        shuffle(&mut demand, seed ^ 2);
        let shuffled = coverage(&network(&roads), &centers, &demand, &p);
        for (k, d) in demand.iter().enumerate() {
            let original = s.demand.iter().position(|o| o.id == d.id).unwrap();
            let (x, y) = (&base.demand[original], &shuffled.demand[k]);
            prop_assert_eq!(x.status, y.status, "{}", d.id);
            prop_assert_eq!(x.covered, y.covered, "{}", d.id);
            match (x.walk_min, y.walk_min) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-9, "{}: {} vs {}", d.id, a, b),
                (a, b) => prop_assert_eq!(a, b),
            }
            let id_of = |c: Option<lifecircle::CenterId>, list: &[PointFeature]| c.map(|c| list[c.index()].id.clone());
            prop_assert_eq!(
                id_of(x.nearest_center, &s.centers),
                id_of(y.nearest_center, &centers),
                "{}", d.id
            );
        }
    }
}
