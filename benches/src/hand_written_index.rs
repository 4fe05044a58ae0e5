//! The hand-written segment index core used until it switched to `geo-index`'s tree:
//! a copy of `core/src/network/segment_index.rs` as it was (a static packed R-tree,
//! Hilbert-sorted, fan-out 8, `f32` segment ends in the leaves, best-first search), kept
//! so that `src/bin/rtree_ab.rs` can check that core snaps every point exactly as it did
//! with it, and time the two. Only the visibility (public, for the harness) and the
//! Hilbert curve helpers (private in core's network builder) differ from the original.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Children per tree node.
const FAN_OUT: usize = 8;

/// One indexed segment: the edge it belongs to and its position along the edge
/// (segment `i` joins the edge's vertices `i` and `i + 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentRef {
    /// The edge.
    pub edge: u32,
    /// The segment's position along the edge.
    pub segment: u32,
}

/// A packed R-tree over segments, built once from all segments and never changed.
///
/// Segments are sorted along a Hilbert curve of their box centres and grouped
/// `FAN_OUT` at a time; each group gets a bounding box, and groups of boxes get boxes,
/// up to a single root. Each segment keeps its ends in single precision next to its ids
/// (24 bytes), in tree order so a search reads contiguous memory; boxes are exact
/// (double precision) and one per `FAN_OUT` segments (fewer above). Distances to a
/// segment are therefore known to within `slack_m`, and a search reports for each
/// segment a lower bound of its exact distance.
///
/// Complexity: building is O(S log S) for S segments (one sort); a nearest-first
/// search visiting k segments is O((k + log S) log(k + log S)) expected.
#[derive(Debug, Clone, Default)]
pub struct SegmentIndex {
    /// Segments in tree order.
    items: Vec<SegmentRef>,
    /// Their ends `[x0, y0, x1, y1]` (local metres, rounded to `f32`), in tree order.
    ends: Vec<[f32; 4]>,
    /// Most a distance computed from `ends` can differ from the exact one, metres.
    slack_m: f64,
    /// Boxes `[min_x, min_y, max_x, max_y]` of every tree node, level by level from
    /// the parents of the segments up to the root.
    boxes: Vec<[f64; 4]>,
    /// `boxes[level_start[l]..level_start[l + 1]]` is level `l` (0: parents of segments).
    level_start: Vec<usize>,
}

/// Cells per side of the grid the Hilbert order is computed on (2^16).
const HILBERT_SIDE: u32 = 1 << 16;

/// Position of cell `(x, y)` along a Hilbert curve filling a `HILBERT_SIDE`² grid (a copy
/// of core's, which orders the network's nodes too).
fn hilbert_index(mut x: u32, mut y: u32) -> u64 {
    let mut d: u64 = 0;
    let mut s = HILBERT_SIDE / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        // Rotate the quadrant so the curve stays continuous.
        if ry == 0 {
            if rx == 1 {
                x = s.wrapping_sub(1).wrapping_sub(x) & (HILBERT_SIDE - 1);
                y = s.wrapping_sub(1).wrapping_sub(y) & (HILBERT_SIDE - 1);
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

/// Box of a segment.
fn segment_box(a: [f64; 2], b: [f64; 2]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[0].max(b[0]),
        a[1].max(b[1]),
    ]
}

fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// Squared distance from `q` to the nearest point of a box (0 inside).
fn box_distance_2(b: &[f64; 4], q: [f64; 2]) -> f64 {
    let dx = (b[0] - q[0]).max(q[0] - b[2]).max(0.0);
    let dy = (b[1] - q[1]).max(q[1] - b[3]).max(0.0);
    dx * dx + dy * dy
}

/// Squared distance from `q` to the segment `a`–`b` (the nearest point is found by
/// projecting `q` on the segment's line and clamping to its ends).
fn segment_distance_2(a: [f64; 2], b: [f64; 2], q: [f64; 2]) -> f64 {
    let dir = [b[0] - a[0], b[1] - a[1]];
    let s = ((q[0] - a[0]) * dir[0] + (q[1] - a[1]) * dir[1]) / (dir[0] * dir[0] + dir[1] * dir[1]);
    let nearest = if 0.0 < s && s < 1.0 {
        [a[0] + dir[0] * s, a[1] + dir[1] * s]
    } else if s <= 0.0 {
        a
    } else {
        b
    };
    let (dx, dy) = (nearest[0] - q[0], nearest[1] - q[1]);
    dx * dx + dy * dy
}

/// A search queue entry: a tree node or a segment, by squared distance. The max-heap
/// pops the greatest: the nearest first (the bits of a non-negative float order as
/// its value, and compare in one instruction), then on equal distance segments before
/// nodes, then lower indexes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    distance_2_bits: Reverse<u64>,
    /// Tree level of a node, or `u32::MAX` for a segment.
    level: u32,
    /// Node index within its level, or segment position in `items`.
    index: Reverse<u32>,
}

impl Entry {
    fn new(distance_2: f64, level: u32, index: usize) -> Self {
        debug_assert!(distance_2 >= 0.0);
        Entry {
            distance_2_bits: Reverse(distance_2.to_bits()),
            level,
            index: Reverse(index as u32),
        }
    }

    fn distance_2(&self) -> f64 {
        f64::from_bits(self.distance_2_bits.0)
    }
}

impl SegmentIndex {
    /// Builds the index over `segments`, whose projected ends `ends_xy` gives.
    pub fn build(segments: Vec<SegmentRef>, ends_xy: impl Fn(SegmentRef) -> [[f64; 2]; 2]) -> Self {
        if segments.is_empty() {
            return Self::default();
        }
        // Boxes are recomputed from the vertices where needed rather than kept, which
        // keeps the build's peak memory low.
        let seg_box = |s: &SegmentRef| {
            let [a, b] = ends_xy(*s);
            segment_box(a, b)
        };
        let extent = segments
            .iter()
            .map(seg_box)
            .reduce(union)
            .expect("not empty");
        let span = [
            (extent[2] - extent[0]).max(1e-9),
            (extent[3] - extent[1]).max(1e-9),
        ];
        let cells = f64::from(HILBERT_SIDE - 1);
        // Sort key: Hilbert position of the box centre, then the input position.
        let mut order: Vec<(u32, u32)> = segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let b = seg_box(s);
                let cx = ((b[0] + b[2]) / 2.0 - extent[0]) / span[0] * cells;
                let cy = ((b[1] + b[3]) / 2.0 - extent[1]) / span[1] * cells;
                let h = hilbert_index(cx.round() as u32, cy.round() as u32);
                (h as u32, i as u32)
            })
            .collect();
        order.sort_unstable();
        let items: Vec<SegmentRef> = order.iter().map(|&(_, i)| segments[i as usize]).collect();
        drop((order, segments));
        let ends: Vec<[f32; 4]> = items
            .iter()
            .map(|s| {
                let [a, b] = ends_xy(*s);
                [a[0] as f32, a[1] as f32, b[0] as f32, b[1] as f32]
            })
            .collect();
        // Rounding moves each end by at most half an f32 ulp per axis, which moves every
        // point of the segment, so its distance, by less than `largest × 2⁻²³`; the rest
        // is double-precision arithmetic.
        let largest = extent.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let slack_m = largest * f64::from(f32::EPSILON) + 1e-6;
        let mut level: Vec<[f64; 4]> = items
            .chunks(FAN_OUT)
            .map(|group| {
                group
                    .iter()
                    .map(seg_box)
                    .reduce(union)
                    .expect("groups are not empty")
            })
            .collect();
        let mut all = Vec::new();
        let mut level_start = vec![0];
        loop {
            all.extend_from_slice(&level);
            level_start.push(all.len());
            if level.len() == 1 {
                break;
            }
            level = level
                .chunks(FAN_OUT)
                .map(|group| group.iter().copied().reduce(union).expect("not empty"))
                .collect();
        }
        all.shrink_to_fit();
        Self {
            items,
            ends,
            slack_m,
            boxes: all,
            level_start,
        }
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<SegmentRef>()
            + self.ends.capacity() * std::mem::size_of::<[f32; 4]>()
            + self.boxes.capacity() * std::mem::size_of::<[f64; 4]>()
            + self.level_start.capacity() * std::mem::size_of::<usize>()
    }

    /// Calls `visit(segment, lower_m)` for segments in order of increasing `lower_m`, a
    /// lower bound (within a few millimetres) of the segment's exact distance from
    /// `query`, until `visit` returns `None` or none is left. Every segment not yet
    /// visited is at least `lower_m` away. `visit` returns `Some(max_m)` to go on with
    /// only the segments whose lower bound is at most `max_m`: farther tree nodes are
    /// then never queued, which keeps the queue short.
    pub fn visit_nearest(
        &self,
        query: [f64; 2],
        mut visit: impl FnMut(SegmentRef, f64) -> Option<f64>,
    ) {
        let levels = self.level_start.len().saturating_sub(1);
        if levels == 0 || self.items.is_empty() {
            return;
        }
        let mut heap = BinaryHeap::with_capacity(64);
        // Squared distance beyond which nothing is queued or visited.
        let mut limit_2 = f64::INFINITY;
        let top = levels - 1;
        heap.push(Entry::new(
            box_distance_2(&self.boxes[self.level_start[top]], query),
            top as u32,
            0,
        ));
        while let Some(entry) = heap.pop() {
            let entry_distance_2 = entry.distance_2();
            if entry_distance_2 > limit_2 {
                return; // everything left is farther still
            }
            if entry.level == u32::MAX {
                let lower_m = entry_distance_2.sqrt();
                match visit(self.items[entry.index.0 as usize], lower_m) {
                    // (A hair over the square: `lower_m` is a rounded square root.)
                    Some(max_m) => limit_2 = limit_2.min(max_m * max_m * (1.0 + 1e-12)),
                    None => return,
                }
                continue;
            }
            let first = entry.index.0 as usize * FAN_OUT;
            if entry.level == 0 {
                let end = (first + FAN_OUT).min(self.items.len());
                for (i, e) in self.ends[first..end].iter().enumerate() {
                    let a = [f64::from(e[0]), f64::from(e[1])];
                    let b = [f64::from(e[2]), f64::from(e[3])];
                    let lower = (segment_distance_2(a, b, query).sqrt() - self.slack_m).max(0.0);
                    // Never below the box that holds it, so keys come out in order.
                    let distance_2 = (lower * lower).max(entry_distance_2);
                    if distance_2 <= limit_2 {
                        heap.push(Entry::new(distance_2, u32::MAX, first + i));
                    }
                }
            } else {
                let child = entry.level as usize - 1;
                let (start, end) = (self.level_start[child], self.level_start[child + 1]);
                let last = (first + FAN_OUT).min(end - start);
                for i in first..last {
                    let distance_2 = box_distance_2(&self.boxes[start + i], query);
                    if distance_2 <= limit_2 {
                        heap.push(Entry::new(distance_2, child as u32, i));
                    }
                }
            }
        }
    }
}
