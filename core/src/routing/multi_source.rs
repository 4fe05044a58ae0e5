//! Bounded multi-source Dijkstra with reusable scratch buffers.

use super::bucket_queue::BucketQueue;
use super::costs::{SearchArc, WalkCosts};
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
/// Complexity: O(V' + E' + C / w) for the V' nodes and E' arcs within the bound, C the
/// largest cost reached and w the queue's bucket width (1 m), plus a logarithmic
/// factor for arcs and seeds more than 2 km of cost ahead.
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
    labels: Vec<Label>,
    /// Walked length per node, written only while `tracking_length`.
    length_m: Vec<f64>,
    touched: Vec<u32>,
    queue: BucketQueue,
    /// False when lengths equal costs (flat costs, seeds with equal cost and length):
    /// then `length_m` is not written and lengths are read from the costs.
    tracking_length: bool,
}

/// A node's search state. Cost and source share one cache line because a relaxation
/// that improves the cost always writes the source too.
#[derive(Debug, Clone, Copy)]
struct Label {
    /// Cheapest cost found so far; infinite while the node is unreached.
    cost_m: f64,
    source: u32,
}

const UNREACHED: Label = Label {
    cost_m: f64::INFINITY,
    source: u32::MAX,
};

/// Queue buckets are this many metres of cost wide. Narrower buckets settle fewer
/// nodes twice (only arcs shorter than a bucket can improve a settled node) but leave
/// more empty buckets to step over.
const BUCKET_WIDTH_M: f64 = 1.0;

#[inline]
fn bucket_of(cost_m: f64) -> u64 {
    (cost_m * (1.0 / BUCKET_WIDTH_M)) as u64
}

impl MultiSourceSearch {
    /// Scratch space for searches on `network`.
    pub fn new(network: &WalkNetwork) -> Self {
        let n = network.node_count();
        Self {
            labels: vec![UNREACHED; n],
            length_m: vec![f64::INFINITY; n],
            touched: Vec::new(),
            queue: BucketQueue::default(),
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
            // Infinite costs (closed access) never reach anything.
            if seed.cost_m <= limit_m && seed.cost_m < f64::INFINITY {
                self.offer(seed.node.0, seed.cost_m, seed.length_m, seed.source);
            }
        }
        if self.tracking_length {
            self.settle_all::<true>(network, costs, limit_m);
        } else {
            self.settle_all::<false>(network, costs, limit_m);
        }
    }

    /// The search loop, compiled once with and once without length tracking.
    fn settle_all<const TRACK_LENGTH: bool>(
        &mut self,
        network: &WalkNetwork,
        costs: &WalkCosts,
        limit_m: f64,
    ) {
        let arc_start = &network.arc_start[..];
        let search_arcs = &costs.search_arcs[..];
        while let Some((bucket, v)) = self.queue.pop() {
            let vi = v as usize;
            let Label {
                cost_m: cost,
                source,
            } = self.labels[vi];
            if bucket != bucket_of(cost) {
                continue; // stale entry: the node was improved into an earlier bucket
            }
            let length = if TRACK_LENGTH {
                self.length_m[vi]
            } else {
                cost
            };
            // Start loading what the next two nodes will read while this one relaxes
            // its arcs: the search mostly waits for memory, and these loads overlap.
            if let Some(next) = self.queue.peek_in_bucket(0) {
                std::hint::black_box(search_arcs[arc_start[next as usize] as usize].head);
                if let Some(after) = self.queue.peek_in_bucket(1) {
                    std::hint::black_box(self.labels[after as usize].cost_m);
                    std::hint::black_box(arc_start[after as usize]);
                }
            }
            for arc in arc_start[vi] as usize..arc_start[vi + 1] as usize {
                let SearchArc { head, .. } = search_arcs[arc];
                let next_cost = cost + search_arcs[arc].cost_m();
                // Also skips closed arcs (infinite cost) when the search is unbounded.
                if next_cost > limit_m || next_cost == f64::INFINITY {
                    continue;
                }
                let label = self.labels[head as usize];
                if next_cost > label.cost_m || (next_cost == label.cost_m && source >= label.source)
                {
                    continue;
                }
                if label.cost_m == f64::INFINITY {
                    self.touched.push(head);
                }
                self.labels[head as usize] = Label {
                    cost_m: next_cost,
                    source,
                };
                if TRACK_LENGTH {
                    self.length_m[head as usize] =
                        length + network.edge_length_m[network.arc_edge[arc] as usize];
                }
                self.queue.push(bucket_of(next_cost), head);
            }
        }
    }

    /// Queues a seed when it improves on what `v` has.
    fn offer(&mut self, v: u32, cost: f64, length: f64, source: u32) {
        let label = self.labels[v as usize];
        let better = cost < label.cost_m || (cost == label.cost_m && source < label.source);
        if !better {
            return;
        }
        if label.cost_m == f64::INFINITY {
            self.touched.push(v);
        }
        self.labels[v as usize] = Label {
            cost_m: cost,
            source,
        };
        self.length_m[v as usize] = length;
        self.queue.push(bucket_of(cost), v);
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            self.labels[v as usize] = UNREACHED;
            self.length_m[v as usize] = f64::INFINITY;
        }
        self.touched.clear();
        self.queue.clear();
    }

    /// Cheapest cost from `node` to a source, if reached within the bound.
    pub fn cost_m(&self, node: NodeId) -> Option<f64> {
        let c = self.labels[node.index()].cost_m;
        c.is_finite().then_some(c)
    }

    /// Length of that cheapest walk, metres.
    pub fn length_m(&self, node: NodeId) -> Option<f64> {
        let l = if self.tracking_length {
            self.length_m[node.index()]
        } else {
            self.labels[node.index()].cost_m
        };
        l.is_finite().then_some(l)
    }

    /// The source the cheapest walk from `node` ends at.
    pub fn source(&self, node: NodeId) -> Option<u32> {
        let s = self.labels[node.index()].source;
        (s != u32::MAX).then_some(s)
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
}
