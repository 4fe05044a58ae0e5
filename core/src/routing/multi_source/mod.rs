//! Bounded multi-source Dijkstra with reusable scratch buffers.

use super::bucket_queue::{bucket_of, BucketQueue};
use super::costs::{SearchArc, WalkCosts};
use super::prefetch::{prefetch, PREFETCH_SUPPORTED};
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
/// largest cost reached and w the queue's bucket width (16 m), plus a logarithmic
/// factor for arcs and seeds more than 32 km of cost ahead.
///
/// ```
/// use lifecircle::features::RoadLine;
/// use lifecircle::network::{NetworkParams, NodeId, WalkNetwork};
/// use lifecircle::routing::{MultiSourceSearch, Seed, WalkCosts};
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
    /// Walked length per node, allocated and written only for searches that track
    /// lengths (empty otherwise: flat networks never need it).
    length_m: Vec<f64>,
    touched: Vec<u32>,
    queue: BucketQueue,
    /// False when lengths equal costs (flat costs, seeds with equal cost and length):
    /// then `length_m` is not written and lengths are read from the costs.
    tracking_length: bool,
    /// Scratch of each part of [`MultiSourceSearch::run_parallel`], kept for reuse.
    part_scratch: Vec<PartScratch>,
}

/// A node's search state. Cost and source share one cache line because a relaxation
/// that improves the cost always writes the source too.
#[derive(Debug, Clone, Copy)]
struct Label {
    /// Cheapest cost found so far; infinite while the node is unreached.
    cost_m: f64,
    source: u32,
    /// The queue holds an entry for this node in the bucket of `cost_m`, not yet
    /// settled: a further improvement within that bucket needs no second entry.
    queued: bool,
}

impl Label {
    /// Whether a walk of `cost_m` to `source` beats this label: cheaper, or as cheap
    /// and to a smaller source number (the tie-break that makes results independent
    /// of the order nodes are settled in).
    #[inline(always)]
    fn is_beaten_by(self, cost_m: f64, source: u32) -> bool {
        cost_m < self.cost_m || (cost_m == self.cost_m && source < self.source)
    }
}

const UNREACHED: Label = Label {
    cost_m: f64::INFINITY,
    source: u32::MAX,
    queued: false,
};

/// How far ahead in the bucket being drained a search starts loading a node's label
/// and arc range, and how far its arcs (whose position needs the arc range). On the
/// synthetic cities 8 and 4 took 20–30 % off the whole-network search at 100k and 1M
/// nodes, about as much as 6/3 and 12/6 and more than 16/8 or 32/16; also prefetching
/// the labels the arcs lead to gained nothing more.
const PREFETCH_NODE_AHEAD: usize = 8;
const PREFETCH_ARCS_AHEAD: usize = 4;

/// Networks smaller than this are searched in one part: splitting costs more in
/// thread hand-offs than it saves.
const MIN_NODES_PER_PART: usize = 20_000;

/// A relaxation from one part into a node of another, delivered between rounds.
#[derive(Debug, Clone, Copy)]
struct Crossing {
    node: u32,
    cost_m: f64,
    length_m: f64,
    source: u32,
}

/// What one part of a parallel search owns besides its slice of the labels.
#[derive(Debug, Clone, Default)]
struct PartScratch {
    queue: BucketQueue,
    touched: Vec<u32>,
    crossings: Vec<Crossing>,
}

/// The nodes `first_node..first_node + labels.len()` and the state a search keeps for
/// them. A whole-network search is one part; a parallel search gives each thread one.
struct Part<'a> {
    first_node: u32,
    labels: &'a mut [Label],
    length_m: &'a mut [f64],
    touched: &'a mut Vec<u32>,
    queue: &'a mut BucketQueue,
    /// Relaxations into nodes outside the part, in the order they happened.
    crossings: &'a mut Vec<Crossing>,
}

impl Part<'_> {
    /// Queues `v` (a node of this part) when the offer improves on what it has.
    /// Returns whether it did.
    fn offer(&mut self, v: u32, cost_m: f64, length_m: f64, source: u32) -> bool {
        let local = (v - self.first_node) as usize;
        let label = self.labels[local];
        if !label.is_beaten_by(cost_m, source) {
            return false;
        }
        self.improve(v, local, label, cost_m, source);
        if let Some(slot) = self.length_m.get_mut(local) {
            *slot = length_m;
        }
        true
    }

    /// Gives `v` (local index `local`, label `label` before) the better cost and source,
    /// and queues it unless it already waits in the bucket of that cost.
    #[inline(always)]
    fn improve(&mut self, v: u32, local: usize, label: Label, cost_m: f64, source: u32) {
        if label.cost_m == f64::INFINITY {
            self.touched.push(v);
        }
        let bucket = bucket_of(cost_m);
        if !(label.queued && bucket_of(label.cost_m) == bucket) {
            self.queue.push(bucket, v);
        }
        self.labels[local] = Label {
            cost_m,
            source,
            queued: true,
        };
    }

    /// Settles every queued node and what it reaches within the part, recording
    /// relaxations that leave the part. Compiled once with and once without length
    /// tracking.
    fn settle_all<const TRACK_LENGTH: bool>(
        &mut self,
        network: &WalkNetwork,
        costs: &WalkCosts,
        limit_m: f64,
    ) {
        let arc_start = network.arc_starts();
        let search_arcs = &costs.search_arcs[..];
        let first = self.first_node;
        // One comparison per arc skips both walks over the limit and closed arcs
        // (infinite cost), also when the search is unbounded. (Costs are never NaN.)
        let bound_m = limit_m.min(f64::MAX);
        while let Some((bucket, v)) = self.queue.pop() {
            let local = (v - first) as usize;
            let Label {
                cost_m: cost,
                source,
                queued,
            } = self.labels[local];
            if !queued || bucket != bucket_of(cost) {
                continue; // stale entry: the node was improved into an earlier bucket
            }
            self.labels[local].queued = false;
            let length = if TRACK_LENGTH {
                self.length_m[local]
            } else {
                cost
            };
            self.read_ahead(arc_start, search_arcs);
            let arcs = arc_start[v as usize] as usize..arc_start[v as usize + 1] as usize;
            for (arc, &search_arc) in arcs.clone().zip(&search_arcs[arcs]) {
                let SearchArc { head, .. } = search_arc;
                let next_cost = cost + search_arc.cost_m();
                if next_cost > bound_m {
                    continue;
                }
                let next_length = if TRACK_LENGTH {
                    length + network.edge_lengths()[network.arc_edges()[arc] as usize]
                } else {
                    next_cost
                };
                let head_local = head.wrapping_sub(first) as usize;
                let Some(&label) = self.labels.get(head_local) else {
                    self.crossings.push(Crossing {
                        node: head,
                        cost_m: next_cost,
                        length_m: next_length,
                        source,
                    });
                    continue;
                };
                if !label.is_beaten_by(next_cost, source) {
                    continue;
                }
                self.improve(head, head_local, label, next_cost, source);
                if TRACK_LENGTH {
                    self.length_m[head_local] = next_length;
                }
            }
        }
    }

    /// Starts loading what the nodes settled next will read, while this one relaxes its
    /// arcs: the search mostly waits for memory, and these loads overlap that wait.
    /// Staged, because where a node's arcs are is known only once its arc range is in.
    #[inline(always)]
    fn read_ahead(&self, arc_start: &[u32], search_arcs: &[SearchArc]) {
        let first = self.first_node;
        if PREFETCH_SUPPORTED {
            if let Some(u) = self.queue.peek_in_bucket(PREFETCH_NODE_AHEAD) {
                prefetch(self.labels, (u - first) as usize);
                prefetch(arc_start, u as usize);
            }
            if let Some(u) = self.queue.peek_in_bucket(PREFETCH_ARCS_AHEAD) {
                prefetch(search_arcs, arc_start[u as usize] as usize);
            }
        } else if let Some(next) = self.queue.peek_in_bucket(0) {
            // Without prefetch instructions, plain loads of the next two nodes: each
            // holds up the instructions after it until it arrives, so only short
            // distances pay.
            std::hint::black_box(search_arcs[arc_start[next as usize] as usize].head);
            if let Some(after) = self.queue.peek_in_bucket(1) {
                std::hint::black_box(self.labels[(after - first) as usize].cost_m);
                std::hint::black_box(arc_start[after as usize]);
            }
        }
    }

    fn settle(&mut self, network: &WalkNetwork, costs: &WalkCosts, limit_m: f64, track: bool) {
        if track {
            self.settle_all::<true>(network, costs, limit_m);
        } else {
            self.settle_all::<false>(network, costs, limit_m);
        }
    }
}

impl MultiSourceSearch {
    /// Scratch space for searches on `network`.
    pub fn new(network: &WalkNetwork) -> Self {
        let n = network.node_count();
        Self {
            labels: vec![UNREACHED; n],
            length_m: Vec::new(),
            touched: Vec::new(),
            queue: BucketQueue::default(),
            tracking_length: true,
            part_scratch: Vec::new(),
        }
    }

    /// Runs a search from `seeds`, settling every node whose cost is at most `limit_m`
    /// (use `f64::INFINITY` for no bound). Previous results are cleared first.
    pub fn run(&mut self, network: &WalkNetwork, costs: &WalkCosts, seeds: &[Seed], limit_m: f64) {
        self.start(costs, seeds);
        let track = self.tracking_length;
        let mut crossings = Vec::new();
        let mut whole = Part {
            first_node: 0,
            labels: &mut self.labels,
            length_m: &mut self.length_m,
            touched: &mut self.touched,
            queue: &mut self.queue,
            crossings: &mut crossings,
        };
        for seed in usable(seeds, limit_m) {
            whole.offer(seed.node.0, seed.cost_m, seed.length_m, seed.source);
        }
        whole.settle(network, costs, limit_m, track);
        debug_assert!(crossings.is_empty());
    }

    /// The same search as [`MultiSourceSearch::run`], with the same results, spread
    /// over `threads` threads (when the `parallel` feature is on) for large networks.
    ///
    /// The nodes are split into `threads` ranges of about equal arc count; as nodes are
    /// numbered along a Hilbert curve, each range is one compact area. Each thread
    /// searches its own area from the seeds in it; relaxations across a border are
    /// handed over between rounds, and rounds repeat until none improves anything.
    /// The search is label-correcting, so the result is the same fixed point as a
    /// single search: extra work is limited to nodes near borders whose first cost
    /// came from a source on their own side but a cheaper walk crosses the border.
    pub fn run_parallel(
        &mut self,
        network: &WalkNetwork,
        costs: &WalkCosts,
        seeds: &[Seed],
        limit_m: f64,
        threads: usize,
    ) {
        let part_count = threads.min(network.node_count() / MIN_NODES_PER_PART);
        if part_count < 2 {
            // On the calling thread, whose cache may hold the network already.
            self.run(network, costs, seeds, limit_m);
        } else {
            in_thread_pool(|| self.run_in_parts(network, costs, seeds, limit_m, part_count));
        }
    }

    /// [`MultiSourceSearch::run_parallel`] with a given number of parts.
    fn run_in_parts(
        &mut self,
        network: &WalkNetwork,
        costs: &WalkCosts,
        seeds: &[Seed],
        limit_m: f64,
        part_count: usize,
    ) {
        if part_count < 2 || network.node_count() < part_count {
            self.run(network, costs, seeds, limit_m);
            return;
        }
        self.start(costs, seeds);
        let track = self.tracking_length;
        let bounds = part_bounds(network, part_count);
        self.part_scratch
            .resize_with(part_count, PartScratch::default);
        let mut parts = split_into_parts(
            &bounds,
            &mut self.labels,
            &mut self.length_m,
            &mut self.part_scratch,
        );
        let part_of = |v: u32| bounds.partition_point(|&b| b <= v) - 1;
        for seed in usable(seeds, limit_m) {
            parts[part_of(seed.node.0)].offer(seed.node.0, seed.cost_m, seed.length_m, seed.source);
        }
        loop {
            settle_parts(&mut parts, network, costs, limit_m, track);
            // Hand over the crossings in part order, each part's in the order they
            // happened, so the result does not depend on thread timing.
            for part in &mut parts {
                // Drained: restart its monotone order below the coming offers.
                part.queue.clear();
            }
            let mut improved = false;
            for from in 0..parts.len() {
                let crossings = std::mem::take(parts[from].crossings);
                for c in &crossings {
                    let to = &mut parts[part_of(c.node)];
                    improved |= to.offer(c.node, c.cost_m, c.length_m, c.source);
                }
                *parts[from].crossings = crossings;
                parts[from].crossings.clear();
            }
            if !improved {
                break;
            }
        }
        drop(parts);
        for scratch in &mut self.part_scratch {
            self.touched.append(&mut scratch.touched);
        }
    }

    /// Clears the previous results and decides whether lengths need tracking.
    fn start(&mut self, costs: &WalkCosts, seeds: &[Seed]) {
        self.reset();
        self.tracking_length =
            !(costs.lengths_equal_costs && seeds.iter().all(|s| s.cost_m == s.length_m));
        if self.tracking_length && self.length_m.is_empty() {
            self.length_m = vec![f64::INFINITY; self.labels.len()];
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            self.labels[v as usize] = UNREACHED;
            if let Some(slot) = self.length_m.get_mut(v as usize) {
                *slot = f64::INFINITY;
            }
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

    /// Nodes reached by the last search, each once (in no particular order).
    pub fn reached(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.touched.iter().map(|&v| NodeId(v))
    }
}

/// Threads a whole-network search may use: the thread pool's size with the
/// `parallel` feature, else one.
pub(crate) fn search_threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}

/// Runs `work` on a thread of the pool (with the `parallel` feature), so that each
/// round's parallel settling is a join between the pool's threads. Called from outside
/// the pool, every round would otherwise hand its work in from outside and put the
/// calling thread to sleep until it is done: one sleep and wake-up per round instead
/// of one per search, which cost about a fifth of a two-thread search of the 100k-node
/// city (`benches/README.md`).
fn in_thread_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    #[cfg(feature = "parallel")]
    {
        rayon::scope(|_| work())
    }
    #[cfg(not(feature = "parallel"))]
    {
        work()
    }
}

/// Seeds that can reach anything: within the bound and with a finite cost (an
/// infinite one is a closed access).
fn usable(seeds: &[Seed], limit_m: f64) -> impl Iterator<Item = &Seed> {
    seeds
        .iter()
        .filter(move |s| s.cost_m <= limit_m && s.cost_m < f64::INFINITY)
}

/// First node of each of `part_count` node ranges with about equal arc counts, then
/// the node count.
fn part_bounds(network: &WalkNetwork, part_count: usize) -> Vec<u32> {
    let arc_start = network.arc_starts();
    let node_count = network.node_count();
    let arc_count = u64::from(arc_start[node_count]);
    let mut bounds: Vec<u32> = (0..part_count)
        .map(|p| {
            let target = arc_count * p as u64 / part_count as u64;
            arc_start[..node_count].partition_point(|&a| u64::from(a) < target) as u32
        })
        .collect();
    bounds.push(node_count as u32);
    bounds
}

/// One [`Part`] per range of `bounds`, borrowing its slices of the labels and lengths.
fn split_into_parts<'a>(
    bounds: &[u32],
    mut labels: &'a mut [Label],
    mut length_m: &'a mut [f64],
    scratch: &'a mut [PartScratch],
) -> Vec<Part<'a>> {
    let length_m_tracked = !length_m.is_empty();
    let mut parts = Vec::with_capacity(scratch.len());
    for (range, scratch) in bounds.windows(2).zip(scratch) {
        let len = (range[1] - range[0]) as usize;
        let (part_labels, rest_labels) = std::mem::take(&mut labels).split_at_mut(len);
        // Without length tracking there are no lengths to split.
        let (part_lengths, rest_lengths) =
            std::mem::take(&mut length_m).split_at_mut(if length_m_tracked { len } else { 0 });
        (labels, length_m) = (rest_labels, rest_lengths);
        scratch.queue.clear();
        scratch.touched.clear();
        scratch.crossings.clear();
        parts.push(Part {
            first_node: range[0],
            labels: part_labels,
            length_m: part_lengths,
            touched: &mut scratch.touched,
            queue: &mut scratch.queue,
            crossings: &mut scratch.crossings,
        });
    }
    parts
}

/// Settles every part, on its own thread when the `parallel` feature is on.
fn settle_parts(
    parts: &mut [Part<'_>],
    network: &WalkNetwork,
    costs: &WalkCosts,
    limit_m: f64,
    track: bool,
) {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        parts
            .par_iter_mut()
            .for_each(|part| part.settle(network, costs, limit_m, track));
    }
    #[cfg(not(feature = "parallel"))]
    for part in parts {
        part.settle(network, costs, limit_m, track);
    }
}

#[cfg(test)]
mod tests;
