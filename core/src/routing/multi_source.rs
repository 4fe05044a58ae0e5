//! Bounded multi-source Dijkstra with reusable scratch buffers.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::costs::WalkCosts;
use crate::network::{NodeId, WalkNetwork};

/// A starting point of a search: a node reached from source `source` at a known cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seed {
    /// The node.
    pub node: NodeId,
    /// Cost already spent reaching the node from the source, flat-equivalent metres.
    pub cost_m: f64,
    /// Geometric length already walked, metres.
    pub length_m: f64,
    /// Caller's source number (e.g. the center index); ties go to the smaller number.
    pub source: u32,
}

/// Multi-source shortest paths over a [`WalkNetwork`], *towards* the sources: the cost
/// of node `v` is the cheapest walk from `v` to any source, which matters when costs
/// are directional (slope).
///
/// Build once per network and reuse: buffers are reset in O(nodes touched), so a small
/// bounded search (a what-if around one candidate) costs only what it touches.
///
/// Complexity: O((V' + E') log V') for the V' nodes and E' arcs within the bound.
///
/// ```
/// use lifecircle::{input::RoadLine, MultiSourceSearch, NetworkParams, NodeId, Seed, WalkCosts, WalkNetwork};
/// let line = |a: [f64; 2], b: [f64; 2]| RoadLine {
///     coords: vec![a, b], elevations_m: None, osm_node_ids: None,
///     tags: Default::default(), source_index: 0,
/// };
/// let roads = vec![line([0.0, 0.0], [0.001, 0.0]), line([0.001, 0.0], [0.002, 0.0])];
/// let network = WalkNetwork::from_roads(&roads, &NetworkParams { min_component_nodes: 1 }).unwrap();
/// let costs = WalkCosts::flat(&network);
/// let mut search = MultiSourceSearch::new(&network);
/// search.run(&network, &costs, &[Seed { node: NodeId(0), cost_m: 0.0, length_m: 0.0, source: 0 }], f64::INFINITY);
/// let far = search.cost_m(NodeId(2)).unwrap();
/// assert!((far - 222.39).abs() < 0.01);
/// ```
#[derive(Debug, Clone)]
pub struct MultiSourceSearch {
    cost_m: Vec<f64>,
    length_m: Vec<f64>,
    source: Vec<u32>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<u64>>,
    /// False when lengths equal costs (flat costs, seeds with equal cost and length):
    /// then `length_m` is not written and lengths are read from `cost_m`.
    tracking_length: bool,
}

const UNREACHED: u32 = u32::MAX;

/// Heap keys are costs in 1/1024 m steps, packed with the node into one `u64` so the
/// heap moves 8-byte words. Nodes within one step of each other may settle out of
/// order; a later improvement re-queues the node, so final costs stay exact (the search
/// is label-correcting). Costs beyond 4,194 km saturate and are only ordered loosely.
#[inline]
fn heap_key(cost_m: f64) -> u32 {
    (cost_m * 1024.0) as u32
}

impl MultiSourceSearch {
    /// Scratch space for searches on `network`.
    pub fn new(network: &WalkNetwork) -> Self {
        let n = network.node_count();
        Self {
            cost_m: vec![f64::INFINITY; n],
            length_m: vec![f64::INFINITY; n],
            source: vec![UNREACHED; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            tracking_length: true,
        }
    }

    /// Runs a search from `seeds`, settling every node whose cost is at most `limit_m`
    /// (use `f64::INFINITY` for no bound). Previous results are cleared first.
    pub fn run(&mut self, network: &WalkNetwork, costs: &WalkCosts, seeds: &[Seed], limit_m: f64) {
        self.reset();
        self.tracking_length =
            !(costs.lengths_equal_costs && seeds.iter().all(|s| s.cost_m == s.length_m));
        for seed in seeds {
            if seed.cost_m <= limit_m {
                self.offer(seed.node.0, seed.cost_m, seed.length_m, seed.source);
            }
        }
        let arc_start = &network.arc_start[..];
        let arc_head = &network.arc_head[..];
        let arc_cost = &costs.arc_toward_tail_m[..];
        while let Some(Reverse(entry)) = self.heap.pop() {
            let (key, vi) = ((entry >> 32) as u32, (entry & 0xFFFF_FFFF) as usize);
            let cost = self.cost_m[vi];
            if key != heap_key(cost) {
                continue; // stale entry: the node was improved since
            }
            let source = self.source[vi];
            let length = if self.tracking_length {
                self.length_m[vi]
            } else {
                cost
            };
            for arc in arc_start[vi] as usize..arc_start[vi + 1] as usize {
                let next_cost = cost + arc_cost[arc];
                if next_cost > limit_m {
                    continue;
                }
                let head = arc_head[arc];
                let hi = head as usize;
                // Cheap pre-check before touching anything else of the head node.
                if next_cost > self.cost_m[hi] {
                    continue;
                }
                let next_length = if self.tracking_length {
                    length + network.edge_length_m[network.arc_edge[arc] as usize]
                } else {
                    next_cost
                };
                self.offer(head, next_cost, next_length, source);
            }
        }
    }

    #[inline]
    fn offer(&mut self, v: u32, cost: f64, length: f64, source: u32) {
        let vi = v as usize;
        let better =
            cost < self.cost_m[vi] || (cost == self.cost_m[vi] && source < self.source[vi]);
        if !better {
            return;
        }
        if self.source[vi] == UNREACHED {
            self.touched.push(v);
        }
        self.cost_m[vi] = cost;
        if self.tracking_length {
            self.length_m[vi] = length;
        }
        self.source[vi] = source;
        self.heap
            .push(Reverse((u64::from(heap_key(cost)) << 32) | u64::from(v)));
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            let vi = v as usize;
            self.cost_m[vi] = f64::INFINITY;
            self.length_m[vi] = f64::INFINITY;
            self.source[vi] = UNREACHED;
        }
        self.touched.clear();
        self.heap.clear();
    }

    /// Cheapest cost from `node` to a source, if reached within the bound.
    pub fn cost_m(&self, node: NodeId) -> Option<f64> {
        let c = self.cost_m[node.index()];
        c.is_finite().then_some(c)
    }

    /// Length of that cheapest walk, metres.
    pub fn length_m(&self, node: NodeId) -> Option<f64> {
        let l = if self.tracking_length {
            self.length_m[node.index()]
        } else {
            self.cost_m[node.index()]
        };
        l.is_finite().then_some(l)
    }

    /// The source the cheapest walk from `node` ends at.
    pub fn source(&self, node: NodeId) -> Option<u32> {
        let s = self.source[node.index()];
        (s != UNREACHED).then_some(s)
    }

    /// Nodes reached by the last search, in the order they were first reached.
    pub fn reached(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.touched.iter().map(|&v| NodeId(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::NetworkParams;
    use crate::test_support::line;
    use petgraph::graph::UnGraph;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Random planar-ish graph: `n` random points, each joined to a few random others.
    fn random_roads(rng: &mut ChaCha8Rng, n: usize) -> Vec<crate::input::RoadLine> {
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
                let d = petgraph::algo::dijkstra(&graph, nodes[seed.node.index()], None, |e| {
                    *e.weight()
                });
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
                    assert!(
                        (got - want).abs() < 1e-6,
                        "case {case}: node {v}: {got} vs {want}"
                    );
                    // Flat costs: walked length = cost beyond the seed's own cost.
                    let source = search.source(NodeId(v as u32)).unwrap() as usize;
                    let len = search.length_m(NodeId(v as u32)).unwrap();
                    assert!((len - (got - seeds[source].cost_m)).abs() < 1e-6);
                } else {
                    assert!(got.is_none(), "case {case}: node {v} beyond the limit");
                }
            }
        }
    }
}
