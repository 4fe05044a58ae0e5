//! Segment index A/B: core's index (`geo-index`'s packed Hilbert R-tree, node size 8,
//! `f32` boxes, searched best-first by core's own code) against the hand-written packed
//! R-tree it replaced (a copy kept in `lifecircle_benches::hand_written_index`), against
//! `geo-index`'s own `neighbors` search, and against `rstar`, on the same networks and
//! the same points; prints markdown tables (build, nearest-segment query, memory).
//! Results and the decision: `benches/README.md`, "Segment index: hand-written vs
//! geo-index (A/B)".
//!
//! `cargo run --release -p lifecircle-benches --bin rtree_ab [-- --reps 11 --node-size 8
//! --synthetic-nodes 1000000 --only wuhan]`
//!
//! What is measured, per network:
//!
//! - **core**: its index is crate-private, so it is timed through the public
//!   `WalkNetwork::snap` on `[lon, lat]` points (network projection, best-first search,
//!   exact refinement). Its build time is the paired difference between building the
//!   network with snapping enabled and with every component too small to snap to (no
//!   segment indexed); its memory is the same difference of `WalkNetwork::heap_bytes`.
//! - **hand-written**: the replaced index, built over the same segments in the same
//!   network projection from the network's public geometry (`edge_geometry`,
//!   `is_node_eligible`, `projection`), in the same order as core's build lists them, and
//!   searched by its own best-first `visit_nearest`.
//! - **geo-index `neighbors`**: the crate's API as it is, on a tree of `f64` boxes (it
//!   returns every item within a distance in box order, so: the box-nearest segment,
//!   measured exactly, bounds a second `neighbors` call whose items are measured in order
//!   until none can be nearer).
//! - **rstar**: `RTree::bulk_load` of the projected segments,
//!   `nearest_neighbor_iter_with_distance_2` (exact planar segment distance).
//!
//! Every competitor refines exactly as `WalkNetwork::snap` does (a projection centred on
//! the point, the clamped nearest point, haversine, the offset along the edge; candidates
//! in order of a lower bound of planar distance until that passes the best distance times
//! the projection's stretch), reading the geometry from a copy laid out as the network's.
//! Before timing, every query is checked: core's snap (edge, offset, access distance and
//! position) equals, bit for bit, the one the hand-written index gives, which is how
//! core snapped before the switch; the other competitors' nearest distances equal core's
//! within 1e-6 m. Times are medians over `--reps` rounds in one process, the variants
//! taking turns in an order that rotates each round.

use std::hint::black_box;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use clap::Parser;
use geo_index::rtree::sort::HilbertSort;
use geo_index::rtree::{RTree as PackedRTree, RTreeBuilder, RTreeIndex, RTreeMetadata};
use lifecircle::features::RoadLine;
use lifecircle::geodesy::{haversine_m, LocalProjection, EARTH_RADIUS_M};
use lifecircle::input::{PopulationEstimate, TagFilter};
use lifecircle::network::{EdgeId, NetworkParams, NodeId, Snap, WalkNetwork};
use lifecircle::{read_points, read_roads, ReadOptions};
use lifecircle_benches::hand_written_index::{SegmentIndex as HandWrittenIndex, SegmentRef};
use lifecircle_benches::{build_city, generate_points, LonLatBox, PointKind, SyntheticCityParams};
use rstar::primitives::{GeomWithData, Line};

#[derive(Parser)]
#[command(
    about = "Segment index A/B: core's geo-index tree vs the hand-written one, geo-index's neighbors and rstar"
)]
struct Args {
    /// Timed rounds per network (medians are reported).
    #[arg(long, default_value_t = 7)]
    reps: usize,
    /// Node size (children per node) of the `neighbors` competitor's tree: core's by
    /// default (the crate's own default is 16).
    #[arg(long, default_value_t = 8)]
    node_size: u16,
    /// Target nodes of the synthetic city (0 leaves it out).
    #[arg(long, default_value_t = 1_000_000)]
    synthetic_nodes: usize,
    /// Only the networks whose name contains this.
    #[arg(long)]
    only: Option<String>,
}

/// One network and its query points.
struct Case {
    name: String,
    lines: Vec<RoadLine>,
    queries: Vec<[f64; 2]>,
    query_kind: &'static str,
}

fn data(name: &str) -> Result<Vec<u8>> {
    let path = format!("{}/../data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).with_context(|| path.clone())
}

fn lonlats(points: &[lifecircle::features::PointFeature]) -> Vec<[f64; 2]> {
    points.iter().map(|p| [p.lon, p.lat]).collect()
}

/// Residents for a network without buildings: one seeded random point per two nodes in
/// the lines' bounding box (as `benches/stages.rs` does).
fn random_points(lines: &[RoadLine], count: usize) -> Vec<[f64; 2]> {
    let extent = LonLatBox::of_lines(lines).expect("lines");
    lonlats(&generate_points(&extent, count, 11, PointKind::Residents))
}

fn isle_of_man() -> Result<Case> {
    let file = "isle_of_man.osm.pbf";
    let raw = data(file)?;
    let lines = read_roads(file, &raw, &ReadOptions::default())?.lines;
    let by_tag = ReadOptions::default().osm(TagFilter::parse("building")?, PopulationEstimate::One);
    let buildings = read_points(file, &raw, &by_tag)?.points;
    Ok(Case {
        name: "Isle of Man (PBF)".into(),
        lines,
        queries: lonlats(&buildings),
        query_kind: "buildings",
    })
}

fn geojson_gz(name: &str, file: &str) -> Result<Case> {
    let raw = data(file)?;
    let lines = read_roads(file, &raw, &ReadOptions::default())?.lines;
    let nodes = WalkNetwork::from_roads(&lines, &NetworkParams::default())?.node_count();
    let queries = random_points(&lines, nodes / 2);
    Ok(Case {
        name: name.into(),
        lines,
        queries,
        query_kind: "random, 1 per 2 nodes",
    })
}

fn synthetic(nodes: usize) -> Case {
    let city = build_city(&SyntheticCityParams::new(nodes, 1));
    let queries = lonlats(&generate_points(
        &city.extent,
        nodes / 5,
        3,
        PointKind::Residents,
    ));
    Case {
        name: format!("synthetic {}k", nodes / 1000),
        lines: city.lines,
        queries,
        query_kind: "random, 1 per 5 nodes",
    }
}

/// The network's edge geometry, copied through its public accessors into core's own
/// layout (end vertices at the nodes, interior vertices and their offsets in flat
/// arrays), so that the competitors' exact refinement reads memory as core's does.
struct Geometry {
    node_lonlat: Vec<[f64; 2]>,
    edge_from: Vec<u32>,
    edge_to: Vec<u32>,
    edge_length_m: Vec<f64>,
    /// Interior vertices of edge `e`: `geometry_start[e]..geometry_start[e + 1]`.
    geometry_start: Vec<u32>,
    interior_lonlat: Vec<[f64; 2]>,
    interior_offset_m: Vec<f64>,
}

impl Geometry {
    fn of(network: &WalkNetwork) -> Self {
        let node_lonlat = (0..network.node_count() as u32)
            .map(|v| network.node_lonlat(NodeId(v)))
            .collect();
        let mut g = Self {
            node_lonlat,
            edge_from: Vec::new(),
            edge_to: Vec::new(),
            edge_length_m: Vec::new(),
            geometry_start: vec![0],
            interior_lonlat: Vec::new(),
            interior_offset_m: Vec::new(),
        };
        for e in 0..network.edge_count() as u32 {
            let (from, to) = network.edge_nodes(EdgeId(e));
            g.edge_from.push(from.0);
            g.edge_to.push(to.0);
            g.edge_length_m.push(network.edge_length_m(EdgeId(e)));
            let vertices = network.edge_geometry(EdgeId(e));
            let mut offset = 0.0;
            for w in vertices.windows(2).take(vertices.len() - 2) {
                offset += haversine_m(w[0], w[1]);
                g.interior_lonlat.push(w[1]);
                g.interior_offset_m.push(offset);
            }
            g.geometry_start.push(g.interior_lonlat.len() as u32);
        }
        g
    }

    /// `[lon, lat]` of vertex `i` of `edge` (0: its first node).
    #[inline]
    fn lonlat(&self, edge: u32, i: u32) -> [f64; 2] {
        let e = edge as usize;
        let start = self.geometry_start[e];
        match i {
            0 => self.node_lonlat[self.edge_from[e] as usize],
            i if i <= self.geometry_start[e + 1] - start => {
                self.interior_lonlat[(start + i - 1) as usize]
            }
            _ => self.node_lonlat[self.edge_to[e] as usize],
        }
    }

    /// Offset along `edge` of its vertex `i`, metres.
    #[inline]
    fn offset_m(&self, edge: u32, i: u32) -> f64 {
        let e = edge as usize;
        let start = self.geometry_start[e];
        match i {
            0 => 0.0,
            i if i <= self.geometry_start[e + 1] - start => {
                self.interior_offset_m[(start + i - 1) as usize]
            }
            _ => self.edge_length_m[e],
        }
    }
}

/// Every segment core indexes (those of edges in components large enough to snap to),
/// in edge order, with the geometry they index.
struct Segments {
    /// `(edge, segment)`: segment `i` of an edge joins its vertices `i` and `i + 1`.
    refs: Vec<(u32, u32)>,
    /// Whether each edge may be snapped to (`WalkNetwork::is_node_eligible`).
    eligible: Vec<bool>,
    geometry: Geometry,
}

impl Segments {
    fn of(network: &WalkNetwork) -> Self {
        let eligible = (0..network.edge_count() as u32)
            .map(|e| network.is_node_eligible(network.edge_nodes(EdgeId(e)).0))
            .collect();
        let mut segments = Self {
            refs: Vec::new(),
            eligible,
            geometry: Geometry::of(network),
        };
        segments.refs = segments.enumerate();
        segments
    }

    /// The segments of eligible edges, in edge order (what core's build collects first;
    /// the competitors' timed builds start here too).
    fn enumerate(&self) -> Vec<(u32, u32)> {
        let starts = &self.geometry.geometry_start;
        let mut refs = Vec::new();
        for (e, w) in starts.windows(2).enumerate() {
            if self.eligible[e] {
                refs.extend((0..=w[1] - w[0]).map(|i| (e as u32, i)));
            }
        }
        refs
    }

    fn len(&self) -> usize {
        self.refs.len()
    }

    /// `[lon, lat]` of both ends of a segment.
    #[inline]
    fn ends(&self, (edge, segment): (u32, u32)) -> [[f64; 2]; 2] {
        [
            self.geometry.lonlat(edge, segment),
            self.geometry.lonlat(edge, segment + 1),
        ]
    }

    /// Box `[min_x, min_y, max_x, max_y]` of a segment in the network projection.
    #[inline]
    fn planar_box(&self, projection: &LocalProjection, r: (u32, u32)) -> [f64; 4] {
        let [a, b] = self.ends(r);
        let (a, b) = (projection.to_xy(a), projection.to_xy(b));
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[0].max(b[0]),
            a[1].max(b[1]),
        ]
    }
}

/// Squared distance from `q` to the nearest point of a box (0 inside).
#[inline]
fn box_distance_2(b: &[f64], q: [f64; 2]) -> f64 {
    let dx = (b[0] - q[0]).max(q[0] - b[2]).max(0.0);
    let dy = (b[1] - q[1]).max(q[1] - b[3]).max(0.0);
    dx * dx + dy * dy
}

/// A competitor's nearest segment: the fields of core's `Snap`, and the segment.
#[derive(Debug, Clone, Copy)]
struct Found {
    access_m: f64,
    key: (u32, u32),
    offset_m: f64,
    lonlat: [f64; 2],
}

impl Found {
    /// Whether `snap` is this, bit for bit.
    fn is(&self, snap: &Snap) -> bool {
        snap.edge.0 == self.key.0
            && snap.access_m.to_bits() == self.access_m.to_bits()
            && snap.offset_m.to_bits() == self.offset_m.to_bits()
            && snap.lonlat.map(f64::to_bits) == self.lonlat.map(f64::to_bits)
    }
}

/// The nearest point of segment `key` to `lonlat`, found in `local` (centred on
/// `lonlat`): core's `snap_to_segment`, operation for operation.
#[inline]
fn snap_to_segment(
    local: &LocalProjection,
    lonlat: [f64; 2],
    segments: &Segments,
    key: (u32, u32),
) -> Found {
    let (edge, segment) = key;
    let [a, b] = segments.ends(key);
    let (pa, pb) = (local.to_xy(a), local.to_xy(b));
    let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        ((-pa[0] * dx - pa[1] * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let snapped = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    let (o0, o1) = (
        segments.geometry.offset_m(edge, segment),
        segments.geometry.offset_m(edge, segment + 1),
    );
    Found {
        access_m: haversine_m(lonlat, snapped),
        key,
        offset_m: o0 + t * (o1 - o0),
        lonlat: snapped,
    }
}

/// Most the network's projection can lengthen a distance of at most `radius_m` from a
/// point at `lat_point` (radians): a copy of core's private `projection_stretch`.
fn projection_stretch(lat_point: f64, lat_origin: f64, radius_m: f64) -> f64 {
    use std::f64::consts::FRAC_PI_2;
    let reach = (radius_m / EARTH_RADIUS_M).min(FRAC_PI_2);
    let (south, north) = (
        (lat_point - reach).max(-FRAC_PI_2),
        (lat_point + reach).min(FRAC_PI_2),
    );
    let cos_min = south.cos().min(north.cos()).max(1e-9);
    let cos_max = if south <= 0.0 && north >= 0.0 {
        1.0
    } else {
        south.cos().max(north.cos())
    };
    let cos_origin = lat_origin.cos().max(1e-9);
    (cos_origin / cos_min).max(cos_max / cos_origin).max(1.0) * (1.0 + 1e-6 + 4.0 * reach * reach)
}

/// The exact refinement of `WalkNetwork::snap`: segments are offered in order of a lower
/// bound of their planar distance, each measured exactly, the nearest kept (ties: lowest
/// `(edge, segment)`).
struct Nearest<'a> {
    segments: &'a Segments,
    lonlat: [f64; 2],
    local: LocalProjection,
    lat_point: f64,
    lat_origin: f64,
    best: Option<Found>,
    /// No segment whose planar lower bound passes this can be nearer than `best`.
    stop_beyond: f64,
    /// Segments measured exactly.
    measured: u32,
}

impl<'a> Nearest<'a> {
    fn new(segments: &'a Segments, projection: &LocalProjection, lonlat: [f64; 2]) -> Self {
        let mut n = Self {
            segments,
            lonlat,
            local: LocalProjection::new(lonlat),
            lat_point: lonlat[1].to_radians(),
            lat_origin: projection.origin_lat().to_radians(),
            best: None,
            stop_beyond: 0.0,
            measured: 0,
        };
        n.stop_beyond = n.planar_limit(f64::INFINITY);
        n
    }

    fn planar_limit(&self, bound_m: f64) -> f64 {
        bound_m * projection_stretch(self.lat_point, self.lat_origin, bound_m) + 1e-6
    }

    /// Offers a segment at least `planar_m` away in the network projection, as every
    /// later one is; `false` once that is too far for any of them to be nearer.
    #[inline]
    fn offer(&mut self, key: (u32, u32), planar_m: f64) -> bool {
        if planar_m > self.stop_beyond {
            return false;
        }
        self.measured += 1;
        let found = snap_to_segment(&self.local, self.lonlat, self.segments, key);
        let better = match self.best {
            None => true,
            Some(best) => {
                found.access_m < best.access_m
                    || (found.access_m == best.access_m && key < best.key)
            }
        };
        if better {
            self.best = Some(found);
            self.stop_beyond = self.planar_limit(found.access_m);
        }
        true
    }

    fn result(self) -> (Option<Found>, u32) {
        (self.best, self.measured)
    }
}

/// The index core used before the switch, over the same segments in the same order and
/// projection as core's build.
struct HandWritten<'a> {
    index: HandWrittenIndex,
    segments: &'a Segments,
    projection: LocalProjection,
}

impl<'a> HandWritten<'a> {
    fn build(segments: &'a Segments, projection: LocalProjection) -> Self {
        let refs = segments
            .enumerate()
            .into_iter()
            .map(|(edge, segment)| SegmentRef { edge, segment })
            .collect();
        let index = HandWrittenIndex::build(refs, |s| {
            let [a, b] = segments.ends((s.edge, s.segment));
            [projection.to_xy(a), projection.to_xy(b)]
        });
        Self {
            index,
            segments,
            projection,
        }
    }

    /// `WalkNetwork::snap` as it was: this index's `visit_nearest` feeding the refinement.
    fn nearest(&self, lonlat: [f64; 2]) -> (Option<Found>, u32) {
        let q = self.projection.to_xy(lonlat);
        let mut nearest = Nearest::new(self.segments, &self.projection, lonlat);
        self.index.visit_nearest(q, |s, planar| {
            nearest
                .offer((s.edge, s.segment), planar)
                .then_some(nearest.stop_beyond)
        });
        nearest.result()
    }
}

/// The competitor through the crate's `neighbors`: a tree over the segments' `f64` boxes
/// (inserted in `Segments` order) in the network's projection.
struct GeoNeighbors<'a> {
    tree: PackedRTree<f64>,
    segments: &'a Segments,
    projection: LocalProjection,
}

impl<'a> GeoNeighbors<'a> {
    fn build(segments: &'a Segments, projection: LocalProjection, node_size: u16) -> Self {
        let refs = segments.enumerate();
        let mut builder = RTreeBuilder::<f64>::new_with_node_size(refs.len() as u32, node_size);
        for &r in &refs {
            let b = segments.planar_box(&projection, r);
            builder.add(b[0], b[1], b[2], b[3]);
        }
        Self {
            tree: builder.finish::<HilbertSort>(),
            segments,
            projection,
        }
    }

    /// Bytes of the tree (`neighbors` answers insertion positions, which index the
    /// segment list every competitor shares, so nothing else is kept).
    fn bytes(&self) -> usize {
        self.tree.as_ref().len()
    }

    /// The box-nearest segment bounds the search, then every segment whose box is within
    /// that bound, in box order.
    fn nearest(&self, lonlat: [f64; 2]) -> (Option<Found>, u32) {
        let q = self.projection.to_xy(lonlat);
        let mut nearest = Nearest::new(self.segments, &self.projection, lonlat);
        let Some(&first) = self.tree.neighbors(q[0], q[1], Some(1), None).first() else {
            return (None, 0);
        };
        let first = first as usize;
        nearest.offer(self.segments.refs[first], 0.0);
        let limit = nearest.stop_beyond;
        for id in self.tree.neighbors(q[0], q[1], None, Some(limit * limit)) {
            let i = id as usize;
            if i == first {
                continue;
            }
            let r = self.segments.refs[i];
            let lower = box_distance_2(&self.segments.planar_box(&self.projection, r), q).sqrt();
            if !nearest.offer(r, lower) {
                break;
            }
        }
        nearest.result()
    }
}

type RstarSegment = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

/// The competitor built on rstar: projected segments, each with its `(edge, segment)`.
struct Rstar<'a> {
    tree: rstar::RTree<RstarSegment>,
    segments: &'a Segments,
    projection: LocalProjection,
}

impl<'a> Rstar<'a> {
    fn build(segments: &'a Segments, projection: LocalProjection) -> Self {
        // (Collected from a borrowed list: collecting `into_iter()` of it took rstar's
        // bulk load from about 27 to 80 ms on the Isle of Man, for no reason found.)
        let refs = segments.enumerate();
        let items = refs
            .iter()
            .map(|&r| {
                let [a, b] = segments.ends(r);
                GeomWithData::new(Line::new(projection.to_xy(a), projection.to_xy(b)), r)
            })
            .collect();
        Self {
            tree: rstar::RTree::bulk_load(items),
            segments,
            projection,
        }
    }

    /// A lower bound of its heap bytes: every node's slot in its parent's children
    /// (capacity beyond the length not counted).
    fn bytes(&self) -> usize {
        fn slots<T: rstar::RTreeObject>(node: &rstar::ParentNode<T>) -> usize {
            node.children()
                .iter()
                .map(|c| match c {
                    rstar::RTreeNode::Leaf(_) => 1,
                    rstar::RTreeNode::Parent(p) => 1 + slots(p),
                })
                .sum()
        }
        slots(self.tree.root()) * std::mem::size_of::<rstar::RTreeNode<RstarSegment>>()
    }

    fn nearest(&self, lonlat: [f64; 2]) -> (Option<Found>, u32) {
        let q = self.projection.to_xy(lonlat);
        let mut nearest = Nearest::new(self.segments, &self.projection, lonlat);
        for (item, distance_2) in self.tree.nearest_neighbor_iter_with_distance_2(q) {
            if !nearest.offer(item.data, distance_2.sqrt()) {
                break;
            }
        }
        nearest.result()
    }
}

/// Heap bytes of core's index as its layout gives them for `s` segments: geo-index's
/// buffer for an `f32` tree of node size 8 (8 B header, 16 B box and 2 or 4 B child
/// position per tree entry), its level bounds, and 8 B per segment for its ids in tree
/// order.
fn core_layout_bytes(s: usize) -> usize {
    let metadata = RTreeMetadata::<f32>::new(s as u32, 8);
    metadata.data_buffer_length() + std::mem::size_of_val(metadata.level_bounds()) + 8 * s
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn seconds(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// One network's results.
struct Row {
    name: String,
    segments: usize,
    queries: usize,
    query_kind: &'static str,
    /// Build, ms: core, hand-written, geo-index `f64` (for `neighbors`), rstar.
    build_ms: [f64; 4],
    /// Query, ns per point: core, hand-written, geo-index `neighbors`, rstar.
    query_ns: [f64; 4],
    /// Segments measured exactly per query: hand-written, `neighbors`, rstar.
    measured: [f64; 3],
    /// Bytes per segment: core, hand-written, geo-index `f64`, rstar (a lower bound).
    bytes_per_segment: [f64; 4],
    /// Queries where `neighbors` or rstar found another edge at core's distance (ties),
    /// most over the two.
    tied_elsewhere: usize,
}

const QUERY_VARIANTS: usize = 4;
const BUILD_VARIANTS: usize = 5;

fn run(case: &Case, args: &Args) -> Result<Row> {
    let full = NetworkParams::default();
    // Every component too small to snap to: the same network, no segment indexed.
    let unindexed = NetworkParams {
        min_component_nodes: usize::MAX,
    };
    let network = WalkNetwork::from_roads(&case.lines, &full)?;
    let core_bytes =
        network.heap_bytes() - WalkNetwork::from_roads(&case.lines, &unindexed)?.heap_bytes();
    let segments = Segments::of(&network);
    let s = segments.len();
    // The same segments as core's: its heap bytes are those its layout gives for `s`.
    ensure!(
        core_bytes == core_layout_bytes(s),
        "{}: core holds {core_bytes} B, its layout for {s} segments {} B",
        case.name,
        core_layout_bytes(s)
    );
    let projection = *network.projection();
    let hand_written = HandWritten::build(&segments, projection);
    let geo = GeoNeighbors::build(&segments, projection, args.node_size);
    let rstar = Rstar::build(&segments, projection);
    let queries = &case.queries;
    let competitor = |k: usize, p: [f64; 2]| match k {
        0 => hand_written.nearest(p),
        1 => geo.nearest(p),
        _ => rstar.nearest(p),
    };

    // Correctness first: core snaps every point exactly as the hand-written index did,
    // and the other competitors find the same nearest distance.
    let mut tied_elsewhere = [0usize; 2];
    let mut measured = [0u64; 3];
    for &p in queries {
        let core = network.snap(p);
        for k in 0..3 {
            let (other, count) = competitor(k, p);
            measured[k] += u64::from(count);
            match (core, other) {
                (None, None) => {}
                (Some(snap), Some(found)) if k == 0 => ensure!(
                    found.is(&snap),
                    "{}: query {p:?}: core snaps to {snap:?}, the hand-written index to {found:?}",
                    case.name
                ),
                (Some(snap), Some(found)) => {
                    ensure!(
                        (snap.access_m - found.access_m).abs() <= 1e-6,
                        "{}: query {p:?}: core {} m, competitor {k} {} m",
                        case.name,
                        snap.access_m,
                        found.access_m
                    );
                    tied_elsewhere[k - 1] += usize::from(snap.edge.0 != found.key.0);
                }
                _ => anyhow::bail!("{}: query {p:?}: {core:?} vs {other:?}", case.name),
            }
        }
    }
    eprintln!(
        "{}: {} segments, {} queries: every snap as the hand-written index's, bit for bit \
         (load {})",
        case.name,
        s,
        queries.len(),
        load_average()
    );

    // Variants take turns, in an order that rotates each round.
    let mut build: [Vec<f64>; BUILD_VARIANTS] = Default::default();
    let mut query: [Vec<f64>; QUERY_VARIANTS] = Default::default();
    for rep in 0..args.reps {
        for k in 0..BUILD_VARIANTS {
            let v = (rep + k) % BUILD_VARIANTS;
            build[v].push(seconds(|| match v {
                0 => drop(black_box(WalkNetwork::from_roads(&case.lines, &full))),
                1 => drop(black_box(WalkNetwork::from_roads(&case.lines, &unindexed))),
                2 => drop(black_box(HandWritten::build(&segments, projection))),
                3 => drop(black_box(GeoNeighbors::build(
                    &segments,
                    projection,
                    args.node_size,
                ))),
                _ => drop(black_box(Rstar::build(&segments, projection))),
            }));
        }
        for k in 0..QUERY_VARIANTS {
            let v = (rep + k) % QUERY_VARIANTS;
            query[v].push(seconds(|| {
                if v == 0 {
                    for &p in queries {
                        black_box(network.snap(black_box(p)));
                    }
                } else {
                    for &p in queries {
                        black_box(competitor(v - 1, black_box(p)));
                    }
                }
            }));
        }
    }
    // Core's index build: the paired difference of network builds with and without it.
    let core_build: Vec<f64> = build[0].iter().zip(&build[1]).map(|(a, b)| a - b).collect();
    eprintln!(
        "{}: network build {:.1} ms with the index, {:.1} ms without (medians)",
        case.name,
        median(build[0].clone()) * 1e3,
        median(build[1].clone()) * 1e3
    );
    let ms = |v: &[f64]| median(v.to_vec()) * 1e3;
    let ns = |v: &[f64]| median(v.to_vec()) * 1e9 / queries.len().max(1) as f64;
    let per_query = |m: u64| m as f64 / queries.len().max(1) as f64;
    let per_segment = |b: usize| b as f64 / s.max(1) as f64;
    Ok(Row {
        name: case.name.clone(),
        segments: s,
        queries: queries.len(),
        query_kind: case.query_kind,
        build_ms: [ms(&core_build), ms(&build[2]), ms(&build[3]), ms(&build[4])],
        query_ns: std::array::from_fn(|v| ns(&query[v])),
        measured: measured.map(per_query),
        bytes_per_segment: [
            per_segment(core_bytes),
            per_segment(hand_written.index.heap_bytes()),
            per_segment(geo.bytes()),
            per_segment(rstar.bytes()),
        ],
        tied_elsewhere: tied_elsewhere.into_iter().max().unwrap_or(0),
    })
}

/// `value (ratio×)` against core's.
fn vs(value: f64, core: f64, digits: usize) -> String {
    format!("{value:.digits$} ({:.2}×)", value / core)
}

fn print_tables(rows: &[Row], args: &Args, load: (&str, &str)) {
    println!(
        "core: geo-index node size 8, `f32` boxes; geo-index `neighbors` node size {}; {} \
         rounds, medians; load average (1, 5, 15 min) {} → {}; ratios are competitor / core \
         (above 1: core is faster or smaller)\n",
        args.node_size, args.reps, load.0, load.1
    );
    println!("Build, ms (core: the index's share of `WalkNetwork::from_roads`)\n");
    println!("| network | segments | core | hand-written | geo-index f64 | rstar |");
    println!("|---|---:|---:|---:|---:|---:|");
    for r in rows {
        let b = r.build_ms;
        println!(
            "| {} | {} | {:.1} | {} | {} | {} |",
            r.name,
            r.segments,
            b[0],
            vs(b[1], b[0], 1),
            vs(b[2], b[0], 1),
            vs(b[3], b[0], 1)
        );
    }
    println!("\nNearest segment, ns per point (segments measured exactly per point)\n");
    println!("| network | points | core (`snap`) | hand-written | geo-index `neighbors` | rstar |");
    println!("|---|---:|---:|---:|---:|---:|");
    for r in rows {
        let q = r.query_ns;
        let cell = |k: usize| format!("{} [{:.1}]", vs(q[k + 1], q[0], 0), r.measured[k]);
        println!(
            "| {} | {} ({}) | {:.0} | {} | {} | {} |",
            r.name,
            r.queries,
            r.query_kind,
            q[0],
            cell(0),
            cell(1),
            cell(2)
        );
    }
    println!("\nIndex memory, bytes per segment\n");
    println!("| network | core | hand-written | geo-index f64 | rstar (at least) |");
    println!("|---|---:|---:|---:|---:|");
    for r in rows {
        let m = r.bytes_per_segment;
        println!(
            "| {} | {:.1} | {} | {} | {} |",
            r.name,
            m[0],
            vs(m[1], m[0], 1),
            vs(m[2], m[0], 1),
            vs(m[3], m[0], 1)
        );
    }
    println!(
        "\nEvery point snapped as with the hand-written index (edge, offset, access \
         distance, position: bit for bit); the other competitors' nearest distances agreed \
         within 1e-6 m; points they found tied at that distance on another edge: {}.",
        rows.iter()
            .map(|r| format!("{} {}", r.name, r.tied_elsewhere))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(args.reps > 0, "--reps must be positive");
    let wanted = |name: &str| {
        args.only
            .as_ref()
            .is_none_or(|o| name.to_lowercase().contains(&o.to_lowercase()))
    };
    let load_start = load_average();
    type Loader = Box<dyn Fn() -> Result<Case>>;
    let mut cases: Vec<(&str, Loader)> = vec![
        ("isle of man", Box::new(isle_of_man)),
        (
            "gothenburg",
            Box::new(|| geojson_gz("Gothenburg (GeoJSON)", "gothenburg_walk.geojson.gz")),
        ),
        (
            "wuhan",
            Box::new(|| geojson_gz("Wuhan (GeoJSON)", "wuhan_streets.geojson.gz")),
        ),
    ];
    let synthetic_nodes = args.synthetic_nodes;
    if synthetic_nodes > 0 {
        cases.push((
            "synthetic",
            Box::new(move || Ok(synthetic(synthetic_nodes))),
        ));
    }
    let mut rows = Vec::new();
    for (key, load) in cases {
        if wanted(key) {
            rows.push(run(&load()?, &args)?);
        }
    }
    print_tables(&rows, &args, (&load_start, &load_average()));
    Ok(())
}
