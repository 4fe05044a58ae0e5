//! Pruned searches for what-if queries: a label-correcting search on the bucket queue
//! that expands only the nodes a [`Prune`] rule lets through, and resets in the time of
//! what it touched, so many small searches on a big network stay cheap.

use super::bucket_queue::{bucket_of, BucketQueue};
use super::costs::WalkCosts;
use crate::network::WalkNetwork;

/// Decides where a [`PrunedSearch`] goes.
///
/// Every method is inlined into the search loop (the searches are generic over the
/// rule), so a rule costs what its tests cost.
pub(crate) trait Prune {
    /// Whether to expand `node`, settled at `cost_m` (default: always).
    #[inline(always)]
    fn expand(&mut self, _node: u32, _cost_m: f64) -> bool {
        true
    }

    /// Whether `head` may take `cost_m`, already below its label (default: always).
    #[inline(always)]
    fn admit(&mut self, _head: u32, _cost_m: f64) -> bool {
        true
    }

    /// Called for each arc of an expanded node, with the arc's edge, before the arc is
    /// relaxed (default: nothing).
    #[inline(always)]
    fn arc(&mut self, _edge: u32) {}
}

/// Buffers of a pruned search, sized to one network.
///
/// The search is label-correcting on a bucket queue, as the coverage search: a node
/// improved after it was settled is settled again, so final costs are exact although a
/// bucket is drained in no particular order. The queue holds one entry for a node in
/// the bucket of its cost while it waits; a further improvement within that bucket needs
/// no second entry.
#[derive(Debug, Clone)]
pub(crate) struct PrunedSearch {
    cost: Vec<f64>,
    queued: Vec<bool>,
    touched: Vec<u32>,
    queue: BucketQueue,
}

impl PrunedSearch {
    /// Buffers for searches on a network of `node_count` nodes.
    pub(crate) fn new(node_count: usize) -> Self {
        Self {
            cost: vec![f64::INFINITY; node_count],
            queued: vec![false; node_count],
            touched: Vec::new(),
            queue: BucketQueue::default(),
        }
    }

    /// Forgets the last search. Complexity: O(nodes it touched).
    pub(crate) fn reset(&mut self) {
        for &v in &self.touched {
            self.cost[v as usize] = f64::INFINITY;
            self.queued[v as usize] = false;
        }
        self.touched.clear();
        self.queue.clear();
    }

    /// The cost the last search reached `node` at (`INFINITY`: not reached).
    #[inline(always)]
    pub(crate) fn cost(&self, node: u32) -> f64 {
        self.cost[node as usize]
    }

    /// Lowers `v`'s cost to `cost_m` when that is cheaper, queueing it. Inlined into the
    /// searches' arc loops: as a call it took about 60 instructions of its own.
    #[inline(always)]
    pub(crate) fn offer(&mut self, v: u32, cost_m: f64) {
        let vi = v as usize;
        let old = self.cost[vi];
        if cost_m < old {
            if old == f64::INFINITY {
                self.touched.push(v);
            }
            let bucket = bucket_of(cost_m);
            if !(self.queued[vi] && bucket_of(old) == bucket) {
                self.queue.push(bucket, v);
            }
            self.cost[vi] = cost_m;
            self.queued[vi] = true;
        }
    }

    /// The next node to settle with its cost, skipping stale queue entries (nodes
    /// improved into an earlier bucket).
    #[inline]
    fn pop(&mut self) -> Option<(u32, f64)> {
        while let Some((bucket, v)) = self.queue.pop() {
            let vi = v as usize;
            let cost = self.cost[vi];
            if self.queued[vi] && bucket_of(cost) == bucket {
                self.queued[vi] = false;
                return Some((v, cost));
            }
        }
        None
    }

    /// Runs from the nodes [`Self::offer`]ed so far until the queue is empty: settles
    /// each node; where `rule` lets it expand, relaxes its arcs — walking each arc
    /// backwards, as the coverage search does (from centers toward residents) — into
    /// heads reached within `limit_m`, cheaper than their label, and admitted.
    ///
    /// Complexity: O((V' + E') log C) for the V' nodes settled and E' arcs they have,
    /// with C the cost range over the bucket width.
    #[inline]
    pub(crate) fn run<R: Prune>(
        &mut self,
        network: &WalkNetwork,
        costs: &WalkCosts,
        limit_m: f64,
        rule: &mut R,
    ) {
        let arc_start = network.arc_starts();
        let arc_edge = network.arc_edges();
        let search_arcs = &costs.search_arcs[..];
        while let Some((v, cost)) = self.pop() {
            if !rule.expand(v, cost) {
                continue;
            }
            let vi = v as usize;
            for arc in arc_start[vi] as usize..arc_start[vi + 1] as usize {
                rule.arc(arc_edge[arc]);
                let head = search_arcs[arc].head;
                let next = cost + search_arcs[arc].cost_m();
                if next > limit_m || next >= self.cost[head as usize] || !rule.admit(head, next) {
                    continue;
                }
                self.offer(head, next);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{NetworkParams, NodeId};
    use crate::routing::{MultiSourceSearch, Seed};
    use crate::test_support::grid;

    /// Expands everything, admits everything.
    struct NoPruning;

    impl Prune for NoPruning {}

    #[test]
    fn without_pruning_it_equals_the_coverage_search() {
        let network = WalkNetwork::from_roads(
            &grid(),
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let costs = WalkCosts::flat(&network);
        let mut full = MultiSourceSearch::new(&network);
        let seed = Seed {
            node: NodeId(4),
            cost_m: 10.0,
            length_m: 10.0,
            source: 0,
        };
        full.run(&network, &costs, &[seed], f64::INFINITY);
        let mut pruned = PrunedSearch::new(network.node_count());
        pruned.offer(4, 10.0);
        pruned.run(&network, &costs, f64::INFINITY, &mut NoPruning);
        for v in 0..network.node_count() as u32 {
            assert_eq!(Some(pruned.cost(v)), full.cost_m(NodeId(v)), "node {v}");
        }
        assert_eq!(pruned.touched.len(), network.node_count());
        pruned.reset();
        assert!((0..network.node_count() as u32).all(|v| pruned.cost(v).is_infinite()));
    }

    #[test]
    fn a_rule_stops_the_search_where_it_says() {
        let network = WalkNetwork::from_roads(
            &grid(),
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let costs = WalkCosts::flat(&network);
        struct Only(u32);
        impl Prune for Only {
            fn admit(&mut self, head: u32, _: f64) -> bool {
                head == self.0
            }
        }
        let mut pruned = PrunedSearch::new(network.node_count());
        pruned.offer(0, 0.0);
        let first_edge = network.arc_edges()[network.arcs(0).start];
        let (from, to) = network.edge_nodes(crate::network::EdgeId(first_edge));
        let neighbour = if from.0 == 0 { to.0 } else { from.0 };
        pruned.run(&network, &costs, f64::INFINITY, &mut Only(neighbour));
        assert_eq!(pruned.touched.len(), 2);
        assert!(pruned.cost(neighbour).is_finite());
    }
}
