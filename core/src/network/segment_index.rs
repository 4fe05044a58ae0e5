//! The network's segment index: `geo-index`'s static packed Hilbert R-tree (node size 8,
//! `f32` boxes rounded outwards) gives the tree; the best-first nearest-segment search
//! over its public arrays stays ours, because the crate's `neighbors` returns every item
//! within a distance in box order and cannot stop at the exact nearest segment (measured
//! 1.5–2.4× slower; `benches/README.md`, "Segment index: hand-written vs geo-index").

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use geo_index::rtree::sort::HilbertSort;
use geo_index::rtree::util::f64_box_to_f32;
use geo_index::rtree::{RTree, RTreeBuilder, RTreeIndex};

/// Children per tree node (the crate's default of 16 snaps slower here).
const NODE_SIZE: u16 = 8;

/// One indexed segment: the edge it belongs to and its position along the edge
/// (segment `i` joins the edge's vertices `i` and `i + 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SegmentRef {
    pub edge: u32,
    pub segment: u32,
}

/// A packed R-tree over segments, built once from all segments and never changed.
///
/// The tree holds each segment's box in the network projection, rounded outwards to
/// `f32` so that it still holds the exact (double precision) box; segments are sorted
/// along a Hilbert curve of their box centres and grouped `NODE_SIZE` at a time, up to a
/// single root. Next to it, each segment's ids in tree order (8 bytes), so that a leaf
/// reached in the tree's boxes names its segment without an indirection. A search
/// reports for each segment the distance to its box, a lower bound of its exact one.
///
/// Complexity: building is O(S log S) for S segments (one sort); a nearest-first
/// search visiting k segments is O((k + log S) log(k + log S)) expected.
#[derive(Debug, Clone, Default)]
pub(crate) struct SegmentIndex {
    /// The tree; `None` when no segment is indexed.
    tree: Option<RTree<f32>>,
    /// Segments in tree order: leaf `i` (box `i` of the tree) is `items[i]`.
    items: Vec<SegmentRef>,
}

/// Squared distance from `q` to the nearest point of the box `[min_x, min_y, max_x,
/// max_y]` (0 inside), in double precision.
#[inline]
fn box_distance_2(b: &[f32], q: [f64; 2]) -> f64 {
    let (min_x, min_y) = (f64::from(b[0]), f64::from(b[1]));
    let (max_x, max_y) = (f64::from(b[2]), f64::from(b[3]));
    let dx = (min_x - q[0]).max(q[0] - max_x).max(0.0);
    let dy = (min_y - q[1]).max(q[1] - max_y).max(0.0);
    dx * dx + dy * dy
}

/// A search queue entry: a tree node or a segment, by squared distance. The max-heap
/// pops the greatest: the nearest first (the bits of a non-negative float order as
/// its value, and compare in one instruction), then on equal distance the lower box
/// position first, which puts segments (the tree's first boxes) before nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    distance_2_bits: Reverse<u64>,
    /// Position of the box in the tree's boxes: below the segment count, a segment
    /// (its position in `items`), else a node.
    position: Reverse<u32>,
}

impl Entry {
    fn new(distance_2: f64, position: usize) -> Self {
        debug_assert!(distance_2 >= 0.0);
        Entry {
            distance_2_bits: Reverse(distance_2.to_bits()),
            position: Reverse(position as u32),
        }
    }

    fn distance_2(&self) -> f64 {
        f64::from_bits(self.distance_2_bits.0)
    }

    fn position(&self) -> usize {
        self.position.0 as usize
    }
}

impl SegmentIndex {
    /// Builds the index over `segments`, whose projected ends `ends_xy` gives.
    pub(super) fn build(
        segments: Vec<SegmentRef>,
        ends_xy: impl Fn(SegmentRef) -> [[f64; 2]; 2],
    ) -> Self {
        if segments.is_empty() {
            return Self::default();
        }
        let count = u32::try_from(segments.len()).expect("fewer than 2³² segments");
        let mut builder = RTreeBuilder::<f32>::new_with_node_size(count, NODE_SIZE);
        for &s in &segments {
            let [a, b] = ends_xy(s);
            // Rounded outwards (down for the minimum, up for the maximum), so no part
            // of the segment falls outside its box.
            let (min_x, min_y, max_x, max_y) = f64_box_to_f32(
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[0].max(b[0]),
                a[1].max(b[1]),
            );
            builder.add(min_x, min_y, max_x, max_y);
        }
        let tree = builder.finish::<HilbertSort>();
        let insertion = tree.indices();
        let items = (0..segments.len())
            .map(|leaf| segments[insertion.get(leaf)])
            .collect();
        Self {
            tree: Some(tree),
            items,
        }
    }

    /// Bytes held on the heap: the tree's buffer (boxes and child positions), its level
    /// bounds, and the segments in tree order.
    pub(super) fn heap_bytes(&self) -> usize {
        let tree = self.tree.as_ref().map_or(0, |tree| {
            tree.as_ref().len() + std::mem::size_of_val(tree.level_bounds())
        });
        tree + self.items.capacity() * std::mem::size_of::<SegmentRef>()
    }

    /// Calls `visit(segment, lower_m)` for segments in order of increasing `lower_m`, the
    /// distance from `query` to the segment's box (a lower bound of its exact distance),
    /// until `visit` returns `None` or none is left. Every segment not yet visited is at
    /// least `lower_m` away. `visit` returns `Some(max_m)` to go on with only the
    /// segments whose lower bound is at most `max_m`: farther tree nodes are then never
    /// queued, which keeps the queue short.
    pub(super) fn visit_nearest(
        &self,
        query: [f64; 2],
        mut visit: impl FnMut(SegmentRef, f64) -> Option<f64>,
    ) {
        let Some(tree) = &self.tree else {
            return;
        };
        let boxes = tree.boxes();
        let children = tree.indices();
        // Where each level's boxes end, counted in numbers (four per box).
        let level_bounds = tree.level_bounds();
        let segments = self.items.len();
        let node_size = usize::from(tree.node_size());
        let mut heap = BinaryHeap::with_capacity(64);
        // Squared distance beyond which nothing is queued or visited.
        let mut limit_2 = f64::INFINITY;
        // The root is the last box (a lone segment is its own root).
        let root = boxes.len() / 4 - 1;
        heap.push(Entry::new(
            box_distance_2(&boxes[4 * root..4 * root + 4], query),
            root,
        ));
        while let Some(entry) = heap.pop() {
            let entry_distance_2 = entry.distance_2();
            if entry_distance_2 > limit_2 {
                return; // everything left is farther still
            }
            let position = entry.position();
            if position < segments {
                let lower_m = entry_distance_2.sqrt();
                match visit(self.items[position], lower_m) {
                    // (A hair over the square: `lower_m` is a rounded square root.)
                    Some(max_m) => limit_2 = limit_2.min(max_m * max_m * (1.0 + 1e-12)),
                    None => return,
                }
                continue;
            }
            // A node's children are consecutive boxes of the level below, from the one
            // its index names (counted in numbers, four per box).
            let first = children.get(position) / 4;
            let level_end = level_bounds
                .iter()
                .map(|&end| end / 4)
                .find(|&end| end > first)
                .expect("a node's children are in the tree");
            for child in first..(first + node_size).min(level_end) {
                // Never below the box that holds it, so keys come out in order.
                let distance_2 =
                    box_distance_2(&boxes[4 * child..4 * child + 4], query).max(entry_distance_2);
                if distance_2 <= limit_2 {
                    heap.push(Entry::new(distance_2, child));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Squared distance from `q` to the segment `a`–`b`, by projecting on its line.
    fn segment_distance_2(a: [f64; 2], b: [f64; 2], q: [f64; 2]) -> f64 {
        let dir = [b[0] - a[0], b[1] - a[1]];
        let len_2 = dir[0] * dir[0] + dir[1] * dir[1];
        let s = if len_2 > 0.0 {
            (((q[0] - a[0]) * dir[0] + (q[1] - a[1]) * dir[1]) / len_2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (dx, dy) = (a[0] + dir[0] * s - q[0], a[1] + dir[1] * s - q[1]);
        dx * dx + dy * dy
    }

    /// Squared distance from `q` to the exact (double precision) box of `a`–`b`.
    fn exact_box_distance_2(a: [f64; 2], b: [f64; 2], q: [f64; 2]) -> f64 {
        let dx = (a[0].min(b[0]) - q[0]).max(q[0] - a[0].max(b[0])).max(0.0);
        let dy = (a[1].min(b[1]) - q[1]).max(q[1] - a[1].max(b[1])).max(0.0);
        dx * dx + dy * dy
    }

    /// Oracle: on random segments (far from the origin, where `f32` rounding is
    /// coarse) every segment comes out, in order of a lower bound of its exact distance
    /// that is its exact box's distance to within the rounding of that box to `f32`.
    #[test]
    fn visits_every_segment_nearest_first() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n in [1usize, 2, 7, 8, 9, 63, 64, 65, 255, 256, 257, 1000] {
            let offset = [rng.random_range(-30_000.0..30_000.0), 20_000.0];
            let mut point = || {
                [
                    offset[0] + rng.random_range(-500.0..500.0),
                    offset[1] + rng.random_range(-500.0..500.0),
                ]
            };
            let points: Vec<[f64; 2]> = (0..2 * n).map(|_| point()).collect();
            let segments: Vec<SegmentRef> = (0..n as u32)
                .map(|i| SegmentRef {
                    edge: i,
                    segment: 0,
                })
                .collect();
            let ends =
                |s: SegmentRef| [points[2 * s.edge as usize], points[2 * s.edge as usize + 1]];
            let index = SegmentIndex::build(segments, ends);
            // Most an `f32` rounding moves a box side here, metres.
            let rounding_m = 60_000.0 * f64::from(f32::EPSILON);
            for _ in 0..20 {
                let q = [
                    offset[0] + rng.random_range(-600.0..600.0),
                    offset[1] + rng.random_range(-600.0..600.0),
                ];
                let mut seen = Vec::new();
                index.visit_nearest(q, |s, d| {
                    seen.push((s.edge, d));
                    Some(f64::INFINITY)
                });
                assert_eq!(seen.len(), n);
                assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1));
                let mut edges: Vec<u32> = seen.iter().map(|s| s.0).collect();
                edges.sort_unstable();
                assert_eq!(edges, (0..n as u32).collect::<Vec<_>>());
                for &(e, lower) in &seen {
                    let (a, b) = (points[2 * e as usize], points[2 * e as usize + 1]);
                    let exact = segment_distance_2(a, b, q).sqrt();
                    let exact_box = exact_box_distance_2(a, b, q).sqrt();
                    assert!(
                        lower <= exact_box && lower <= exact,
                        "{lower} {exact_box} {exact}"
                    );
                    assert!(exact_box - lower <= 2.0 * rounding_m, "{lower} {exact_box}");
                }
                // A limit set by the visitor: exactly the segments within it, in order.
                let limit = seen[seen.len() / 2].1;
                let mut limited = Vec::new();
                index.visit_nearest(q, |s, d| {
                    limited.push((s.edge, d));
                    Some(limit)
                });
                let within: Vec<_> = seen.iter().copied().filter(|s| s.1 <= limit).collect();
                assert_eq!(limited, within);
            }
        }
    }

    #[test]
    fn an_empty_index_visits_nothing() {
        let index = SegmentIndex::build(Vec::new(), |_| [[0.0, 0.0]; 2]);
        index.visit_nearest([0.0, 0.0], |_, _| -> Option<f64> { panic!("no segment") });
        assert_eq!(index.heap_bytes(), 0);
    }

    /// A segment whose ends are not `f32` values still lies inside its box, so its
    /// lower bound is at most its exact distance, however the ends round.
    #[test]
    fn boxes_hold_their_segments_after_rounding() {
        let (a, b) = ([1000.1, 2000.3], [1000.7, 2000.9]);
        let segments = vec![SegmentRef {
            edge: 0,
            segment: 0,
        }];
        let index = SegmentIndex::build(segments, |_| [a, b]);
        for q in [
            [1000.1 - 1e-5, 2000.3],
            [1000.1, 2000.3 - 1e-5],
            [1000.7 + 1e-5, 2000.9],
            [1000.4, 2000.0],
        ] {
            let mut lower = None;
            index.visit_nearest(q, |_, d| {
                lower = Some(d);
                None
            });
            let lower = lower.expect("one segment");
            let exact = segment_distance_2(a, b, q).sqrt();
            assert!(lower <= exact, "{q:?}: {lower} > {exact}");
        }
    }

    #[test]
    fn a_degenerate_segment_is_its_point() {
        assert_eq!(segment_distance_2([1.0, 1.0], [1.0, 1.0], [4.0, 5.0]), 25.0);
        assert_eq!(segment_distance_2([0.0, 0.0], [2.0, 0.0], [1.0, 3.0]), 9.0);
        assert_eq!(
            segment_distance_2([0.0, 0.0], [2.0, 0.0], [-3.0, 4.0]),
            25.0
        );
    }
}
