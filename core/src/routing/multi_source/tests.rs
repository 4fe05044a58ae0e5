//! Oracles for the multi-source search: petgraph's Dijkstra, single searches, parts.
use super::*;
use crate::network::NetworkParams;
use crate::test_support::line;
use petgraph::graph::UnGraph;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Random planar-ish graph: `n` random points, each joined to a few random others.
fn random_roads(rng: &mut ChaCha8Rng, n: usize) -> Vec<crate::features::RoadLine> {
    let points: Vec<[f64; 2]> = (0..n)
        .map(|_| [rng.random_range(0.0..0.02), rng.random_range(0.0..0.02)])
        .collect();
    let mut roads = Vec::new();
    for i in 0..n {
        for _ in 0..2 {
            let j = rng.random_range(0..n);
            if j != i {
                roads.push(line(&[points[i], points[j]]));
            }
        }
    }
    roads
}

/// Splitting the network into parts gives exactly the single search's labels,
/// including tie-breaks between sources on grids, where many walks cost the same.
#[test]
fn searching_in_parts_equals_one_search() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let step = 0.0009;
    let grid: Vec<_> = (0..30)
        .flat_map(|i| {
            let i = f64::from(i) * step;
            [
                line(&[[i, 0.0], [i, 29.0 * step]]),
                line(&[[0.0, i], [29.0 * step, i]]),
            ]
        })
        .collect();
    for case in 0..24 {
        let roads = if case % 3 == 0 {
            grid.clone()
        } else {
            random_roads(&mut rng, 300 + case * 40)
        };
        let params = NetworkParams {
            min_component_nodes: 1,
        };
        let network = WalkNetwork::from_roads(&roads, &params).unwrap();
        let n = network.node_count() as u32;
        let track_length = case % 2 == 1;
        let seeds: Vec<Seed> = (0..rng.random_range(1..12))
            .map(|s| {
                let cost_m = if case % 4 < 2 {
                    0.0
                } else {
                    rng.random_range(0.0..300.0)
                };
                Seed {
                    node: NodeId(rng.random_range(0..n)),
                    cost_m,
                    length_m: if track_length { 0.0 } else { cost_m },
                    source: s,
                }
            })
            .collect();
        let limit = if case % 5 == 0 { 400.0 } else { f64::INFINITY };
        let costs = WalkCosts::flat(&network);
        let mut one = MultiSourceSearch::new(&network);
        one.run(&network, &costs, &seeds, limit);
        let mut split = MultiSourceSearch::new(&network);
        for parts in [2, 3, 5] {
            split.run_in_parts(&network, &costs, &seeds, limit, parts);
            for v in (0..n).map(NodeId) {
                let what = format!("case {case}, {parts} parts, node {v:?}");
                assert_eq!(split.cost_m(v), one.cost_m(v), "{what}");
                assert_eq!(split.source(v), one.source(v), "{what}");
                assert_eq!(split.length_m(v), one.length_m(v), "{what}");
            }
            let mut reached: Vec<_> = split.reached().collect();
            reached.sort_unstable();
            let mut want: Vec<_> = one.reached().collect();
            want.sort_unstable();
            assert_eq!(reached, want, "case {case}, {parts} parts");
        }
    }
}

/// The public parallel entry on a network large enough to be split (two parts of
/// over 20,000 nodes, searched through the thread pool): the single search's labels,
/// also when the scratch is reused for a bounded search.
#[test]
fn run_parallel_on_a_network_large_enough_to_split_equals_one_search() {
    let side = 240;
    let step = 0.0009;
    let roads: Vec<_> = (0..side)
        .flat_map(|i| {
            let along = |j: usize| j as f64 * step;
            // Rows and columns crossing at nodes; in every other row every third
            // vertex is bent off its column, so walks differ in cost.
            let bend = if i % 2 == 0 { 0.0 } else { step * 0.3 };
            [
                line(
                    &(0..side)
                        .map(|j| [along(j), along(i) + if j % 3 == 0 { bend } else { 0.0 }])
                        .collect::<Vec<_>>(),
                ),
                line(&(0..side).map(|j| [along(i), along(j)]).collect::<Vec<_>>()),
            ]
        })
        .collect();
    let network = WalkNetwork::from_roads(&roads, &NetworkParams::default()).unwrap();
    let n = network.node_count() as u32;
    assert!(
        n as usize >= 2 * MIN_NODES_PER_PART,
        "{n} nodes: too few to split"
    );
    let costs = WalkCosts::flat(&network);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let seeds: Vec<Seed> = (0..40)
        .map(|s| {
            let cost_m = rng.random_range(0.0..100.0);
            Seed {
                node: NodeId(rng.random_range(0..n)),
                cost_m,
                length_m: cost_m,
                source: s,
            }
        })
        .collect();
    let mut one = MultiSourceSearch::new(&network);
    let mut parallel = MultiSourceSearch::new(&network);
    for limit in [f64::INFINITY, 600.0] {
        one.run(&network, &costs, &seeds, limit);
        parallel.run_parallel(&network, &costs, &seeds, limit, 2);
        let mut reached = 0;
        for v in (0..n).map(NodeId) {
            assert_eq!(
                parallel.cost_m(v),
                one.cost_m(v),
                "limit {limit}, node {v:?}"
            );
            assert_eq!(
                parallel.source(v),
                one.source(v),
                "limit {limit}, node {v:?}"
            );
            reached += usize::from(one.cost_m(v).is_some());
        }
        assert_eq!(parallel.reached().count(), reached, "limit {limit}");
    }
}

#[test]
fn multi_source_equals_minimum_of_single_source_dijkstra() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for case in 0..30 {
        let roads = random_roads(&mut rng, 20 + case * 5);
        let network = WalkNetwork::from_roads(
            &roads,
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let mut graph = UnGraph::<(), f64>::new_undirected();
        let nodes: Vec<_> = (0..network.node_count())
            .map(|_| graph.add_node(()))
            .collect();
        for (a, b, length) in network.edges() {
            graph.add_edge(nodes[a.index()], nodes[b.index()], length);
        }
        let seeds: Vec<Seed> = (0..rng.random_range(1..5))
            .map(|s| Seed {
                node: NodeId(rng.random_range(0..network.node_count() as u32)),
                cost_m: rng.random_range(0.0..100.0),
                length_m: 0.0,
                source: s,
            })
            .collect();
        let limit = if case % 2 == 0 { f64::INFINITY } else { 800.0 };
        let costs = WalkCosts::flat(&network);
        let mut search = MultiSourceSearch::new(&network);
        // Run twice to check the O(touched) reset leaves no trace.
        search.run(&network, &costs, &seeds[..1], limit);
        search.run(&network, &costs, &seeds, limit);
        let mut expected = vec![f64::INFINITY; network.node_count()];
        for seed in &seeds {
            let d =
                petgraph::algo::dijkstra(&graph, nodes[seed.node.index()], None, |e| *e.weight());
            for (node, dist) in d {
                let total = seed.cost_m + dist;
                if total < expected[node.index()] {
                    expected[node.index()] = total;
                }
            }
        }
        for (v, &want) in expected.iter().enumerate() {
            let got = search.cost_m(NodeId(v as u32));
            if want <= limit {
                let got = got.unwrap_or_else(|| panic!("case {case}: node {v} unreached"));
                // Arcs hold `f32` costs: each rounds by at most a relative 2^-24.
                assert!(
                    (got - want).abs() <= 1e-7 * want.max(1.0),
                    "case {case}: node {v}: {got} vs {want}"
                );
                // Flat costs: walked length = cost beyond the seed's own cost.
                let source = search.source(NodeId(v as u32)).unwrap() as usize;
                let len = search.length_m(NodeId(v as u32)).unwrap();
                assert!((len - (got - seeds[source].cost_m)).abs() <= 1e-7 * got.max(1.0));
            } else {
                assert!(got.is_none(), "case {case}: node {v} beyond the limit");
            }
        }
    }
}
