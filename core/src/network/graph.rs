//! The walk graph: nodes, edges with geometry, and compact (CSR) adjacency.

use serde::Serialize;

use super::segment_index::SegmentIndex;
use crate::features::RoadLine;
use crate::geodesy::LocalProjection;

/// A network node (a line end or a vertex shared by two or more lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub u32);

/// A network edge: the stretch of one road line between two consecutive nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EdgeId(pub u32);

impl NodeId {
    /// The id as an index into per-node arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl EdgeId {
    /// The id as an index into per-edge arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Size figures of a built network, for reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NetworkStats {
    /// Number of nodes.
    pub nodes: usize,
    /// Number of edges.
    pub edges: usize,
    /// Total edge length in kilometres.
    pub length_km: f64,
    /// Number of connected components.
    pub components: usize,
    /// Components with at least `min_component_nodes` nodes (points may snap to these).
    pub eligible_components: usize,
    /// Nodes in components too small to snap to (islands, reported not used).
    pub island_nodes: usize,
    /// Edges in those small components.
    pub island_edges: usize,
    /// Share of all nodes in the largest component.
    pub largest_component_node_share: f64,
    /// Edges whose geometry has elevation for every vertex.
    pub edges_with_elevation: usize,
}

/// A walkable network built once and queried many times.
///
/// Nodes and edges are stored in flat arrays; adjacency is a compressed sparse row
/// (CSR) table of *arcs* (each undirected edge gives two arcs), so a search touches
/// contiguous memory.
#[derive(Debug, Clone)]
pub struct WalkNetwork {
    pub(super) projection: LocalProjection,
    pub(super) node_lonlat: Vec<[f64; 2]>,
    pub(super) edge_from: Vec<u32>,
    pub(super) edge_to: Vec<u32>,
    /// Shared (not copied) with flat walking costs, where every cost is the length.
    pub(super) edge_length_m: std::sync::Arc<[f64]>,
    /// `edge_geometry_start[e]..edge_geometry_start[e + 1]` indexes `interior_lonlat`.
    pub(super) edge_geometry_start: Vec<u32>,
    /// The vertices strictly between an edge's two nodes. The end vertices are the
    /// nodes themselves (`node_lonlat`), kept once rather than once per edge: on street
    /// grids most edges are straight, and this halves the geometry.
    pub(super) interior_lonlat: Vec<[f64; 2]>,
    /// Cumulative haversine length from the edge start to each interior vertex (the
    /// first node is at 0, the second at the edge length).
    pub(super) interior_offset_m: Vec<f64>,
    /// Elevation for each vertex of each edge, end vertices included (NaN where
    /// unknown), indexed by [`WalkNetwork::edge_vertex_range`]: lines meeting at a node
    /// may disagree on its elevation.
    pub(super) vertex_elevation_m: Option<Vec<f64>>,
    /// Position, in the slice given to `from_roads`, of the line each edge came from.
    pub(super) edge_line: Vec<u32>,
    /// What the walking profiles read of each edge's line, so the lines (and their
    /// tags) can be dropped once the network is built.
    pub(super) edge_traits: Vec<EdgeTraits>,
    /// `arc_start[v]..arc_start[v + 1]` are the arcs leaving node `v`.
    /// (Arc heads live with the costs, in `WalkCosts`, which every search reads.)
    pub(super) arc_start: Vec<u32>,
    /// Edge of each arc; the arc runs along the edge when `edge_from == tail`.
    pub(super) arc_edge: Vec<u32>,
    pub(super) arc_forward: Vec<bool>,
    pub(super) node_component: Vec<u32>,
    pub(super) component_nodes: Vec<u32>,
    pub(super) min_component_nodes: usize,
    pub(super) segment_index: SegmentIndex,
}

/// What the walking profiles read of a road line's tags, one byte per edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct EdgeTraits(u8);

impl EdgeTraits {
    const STEPS: u8 = 1;
    const EVEN_GRADE: u8 = 2;

    /// The traits of the edges of `line`: `highway=steps` is steps; a line tagged
    /// `bridge` or `tunnel` (any value but `no`) takes one even grade.
    pub(crate) fn of_line(line: &RoadLine) -> Self {
        let tag_is_set = |key: &str| {
            line.tags
                .get(key)
                .is_some_and(|v| !v.is_empty() && v != "no")
        };
        let mut bits = 0;
        if line.tags.get("highway").is_some_and(|h| h == "steps") {
            bits |= Self::STEPS;
        }
        if tag_is_set("bridge") || tag_is_set("tunnel") {
            bits |= Self::EVEN_GRADE;
        }
        Self(bits)
    }

    /// Steps, which profiles that avoid them close.
    pub(crate) fn is_steps(self) -> bool {
        self.0 & Self::STEPS != 0
    }

    /// A bridge or tunnel: its height follows its deck, not the ground a DEM gives, so
    /// it takes one even grade between its edge's end heights.
    pub(crate) fn takes_even_grade(self) -> bool {
        self.0 & Self::EVEN_GRADE != 0
    }
}

impl WalkNetwork {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_lonlat.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edge_from.len()
    }

    /// `[lon, lat]` of a node.
    pub fn node_lonlat(&self, node: NodeId) -> [f64; 2] {
        self.node_lonlat[node.index()]
    }

    /// End nodes of an edge, in geometry order.
    pub fn edge_nodes(&self, edge: EdgeId) -> (NodeId, NodeId) {
        (
            NodeId(self.edge_from[edge.index()]),
            NodeId(self.edge_to[edge.index()]),
        )
    }

    /// Length of an edge in metres (haversine along its geometry).
    pub fn edge_length_m(&self, edge: EdgeId) -> f64 {
        self.edge_length_m[edge.index()]
    }

    /// Geometry of an edge as `[lon, lat]` vertices, from its first to its second node.
    pub fn edge_geometry(&self, edge: EdgeId) -> Vec<[f64; 2]> {
        self.edge_shape(edge).lonlats().collect()
    }

    /// What the walking profiles read of the edge's road line.
    pub(crate) fn edge_traits(&self, edge: EdgeId) -> EdgeTraits {
        self.edge_traits[edge.index()]
    }

    /// Position, in the slice given to [`WalkNetwork::from_roads`], of the road line this
    /// edge came from (so its tags are `lines[network.edge_source_line(e)].tags`).
    pub fn edge_source_line(&self, edge: EdgeId) -> usize {
        self.edge_line[edge.index()] as usize
    }

    /// All edges as `(from, to, length_m)`, in edge id order.
    pub fn edges(&self) -> impl Iterator<Item = (NodeId, NodeId, f64)> + '_ {
        (0..self.edge_count()).map(|e| {
            (
                NodeId(self.edge_from[e]),
                NodeId(self.edge_to[e]),
                self.edge_length_m[e],
            )
        })
    }

    /// Connected component of a node (components are numbered by size, largest first).
    pub fn node_component(&self, node: NodeId) -> usize {
        self.node_component[node.index()] as usize
    }

    /// Whether points may snap to edges of this node's component.
    pub fn is_node_eligible(&self, node: NodeId) -> bool {
        self.component_nodes[self.node_component[node.index()] as usize] as usize
            >= self.min_component_nodes
    }

    /// Size figures for reports.
    pub fn stats(&self) -> NetworkStats {
        let eligible_components = self
            .component_nodes
            .iter()
            .filter(|&&n| n as usize >= self.min_component_nodes)
            .count();
        let island_nodes = (0..self.node_count())
            .filter(|&v| !self.is_node_eligible(NodeId(v as u32)))
            .count();
        let island_edges = (0..self.edge_count())
            .filter(|&e| !self.is_node_eligible(NodeId(self.edge_from[e])))
            .count();
        let edges_with_elevation = match &self.vertex_elevation_m {
            None => 0,
            Some(z) => (0..self.edge_count())
                .filter(|&e| {
                    z[self.edge_vertex_range(EdgeId(e as u32))]
                        .iter()
                        .all(|h| h.is_finite())
                })
                .count(),
        };
        NetworkStats {
            nodes: self.node_count(),
            edges: self.edge_count(),
            length_km: self.edge_length_m.iter().sum::<f64>() / 1000.0,
            components: self.component_nodes.len(),
            eligible_components,
            island_nodes,
            island_edges,
            largest_component_node_share: self
                .component_nodes
                .first()
                .map_or(0.0, |&n| n as f64 / self.node_count().max(1) as f64),
            edges_with_elevation,
        }
    }

    /// Bytes the network holds on the heap (its arrays and spatial index), for memory
    /// reports; the input lines are not included.
    ///
    /// ```
    /// use lifecircle::features::RoadLine;
    /// use lifecircle::network::{NetworkParams, WalkNetwork};
    /// let line = RoadLine {
    ///     coords: vec![[10.0, 50.0], [10.001, 50.0]],
    ///     elevations_m: None,
    ///     osm_node_ids: None,
    ///     tags: Default::default(),
    ///     source_index: 0,
    /// };
    /// let params = NetworkParams { min_component_nodes: 1 };
    /// let network = WalkNetwork::from_roads(&[line], &params).unwrap();
    /// assert!(network.heap_bytes() >= 2 * 16 + 2 * 16);
    /// ```
    pub fn heap_bytes(&self) -> usize {
        fn bytes<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        bytes(&self.node_lonlat)
            + bytes(&self.edge_from)
            + bytes(&self.edge_to)
            + std::mem::size_of_val(&*self.edge_length_m)
            + bytes(&self.edge_geometry_start)
            + bytes(&self.interior_lonlat)
            + bytes(&self.interior_offset_m)
            + self.vertex_elevation_m.as_ref().map_or(0, bytes)
            + bytes(&self.edge_line)
            + bytes(&self.edge_traits)
            + bytes(&self.arc_start)
            + bytes(&self.arc_edge)
            + bytes(&self.arc_forward)
            + bytes(&self.node_component)
            + bytes(&self.component_nodes)
            + self.segment_index.heap_bytes()
    }

    /// The local metric projection the network uses.
    pub fn projection(&self) -> &LocalProjection {
        &self.projection
    }

    /// Arc table offsets: `arc_starts()[v]..arc_starts()[v + 1]` are the arcs leaving
    /// node `v` (a slice, for the searches' inner loops).
    #[inline]
    pub(crate) fn arc_starts(&self) -> &[u32] {
        &self.arc_start
    }

    /// The arcs leaving `node`, as arc indexes.
    #[inline]
    pub(crate) fn arcs(&self, node: u32) -> std::ops::Range<usize> {
        self.arc_start[node as usize] as usize..self.arc_start[node as usize + 1] as usize
    }

    /// The edge of every arc, indexed like the arcs.
    #[inline]
    pub(crate) fn arc_edges(&self) -> &[u32] {
        &self.arc_edge
    }

    /// Whether each arc runs along its edge (its tail is the edge's first node).
    pub(crate) fn arc_forward(&self) -> &[bool] {
        &self.arc_forward
    }

    /// First and second node of every edge.
    pub(crate) fn edge_ends(&self) -> (&[u32], &[u32]) {
        (&self.edge_from, &self.edge_to)
    }

    /// Every edge's length, shared with flat costs (where cost is length).
    pub(crate) fn edge_lengths(&self) -> &std::sync::Arc<[f64]> {
        &self.edge_length_m
    }

    /// Heights of every edge vertex ([`WalkNetwork::edge_vertex_range`]), when known.
    pub(crate) fn vertex_elevations_m(&self) -> Option<&[f64]> {
        self.vertex_elevation_m.as_deref()
    }

    /// Where an edge's vertices, end vertices included, sit in per-vertex arrays
    /// (elevations, segment cost rates): every edge has two more than its interior.
    pub(crate) fn edge_vertex_range(&self, edge: EdgeId) -> std::ops::Range<usize> {
        let e = edge.index();
        let start = self.edge_geometry_start[e] as usize + 2 * e;
        let end = self.edge_geometry_start[e + 1] as usize + 2 * (e + 1);
        start..end
    }

    /// Length of per-vertex arrays indexed by [`WalkNetwork::edge_vertex_range`].
    pub(crate) fn vertex_slots(&self) -> usize {
        self.interior_lonlat.len() + 2 * self.edge_count()
    }

    /// An edge's vertices and their offsets along it.
    pub(crate) fn edge_shape(&self, edge: EdgeId) -> EdgeShape<'_> {
        let e = edge.index();
        let interior =
            self.edge_geometry_start[e] as usize..self.edge_geometry_start[e + 1] as usize;
        EdgeShape {
            first: self.node_lonlat[self.edge_from[e] as usize],
            last: self.node_lonlat[self.edge_to[e] as usize],
            interior: &self.interior_lonlat[interior.clone()],
            interior_offset_m: &self.interior_offset_m[interior],
            length_m: self.edge_length_m[e],
        }
    }

    /// Point at `offset_m` along an edge (clamped to the edge).
    pub fn point_along_edge(&self, edge: EdgeId, offset_m: f64) -> [f64; 2] {
        let shape = self.edge_shape(edge);
        let i = shape.vertices_at_or_before(offset_m);
        if i == 0 {
            return shape.first;
        }
        if i >= shape.vertex_count() {
            return shape.last;
        }
        let (o0, o1) = (shape.offset_m(i - 1), shape.offset_m(i));
        let t = if o1 > o0 {
            (offset_m - o0) / (o1 - o0)
        } else {
            0.0
        };
        let (a, b) = (shape.lonlat(i - 1), shape.lonlat(i));
        [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
    }

    /// The part of an edge's geometry between two offsets (`from_m <= to_m`), as `[lon, lat]`.
    pub fn edge_geometry_between(&self, edge: EdgeId, from_m: f64, to_m: f64) -> Vec<[f64; 2]> {
        let shape = self.edge_shape(edge);
        let mut out = vec![self.point_along_edge(edge, from_m)];
        for (o, c) in shape.offsets_m().zip(shape.lonlats()) {
            if o > from_m && o < to_m {
                out.push(c);
            }
        }
        out.push(self.point_along_edge(edge, to_m));
        out
    }
}

/// One edge's geometry: its end nodes' positions, the vertices between them, and the
/// offset of each vertex along the edge. Vertex `0` is the first node and vertex
/// `vertex_count() - 1` the second.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EdgeShape<'a> {
    pub first: [f64; 2],
    pub last: [f64; 2],
    pub interior: &'a [[f64; 2]],
    pub interior_offset_m: &'a [f64],
    pub length_m: f64,
}

impl EdgeShape<'_> {
    /// Vertices, end vertices included (at least 2).
    pub(crate) fn vertex_count(&self) -> usize {
        self.interior.len() + 2
    }

    /// `[lon, lat]` of vertex `i`.
    pub(crate) fn lonlat(&self, i: usize) -> [f64; 2] {
        match i {
            0 => self.first,
            i if i <= self.interior.len() => self.interior[i - 1],
            _ => self.last,
        }
    }

    /// Offset of vertex `i` along the edge, metres.
    pub(crate) fn offset_m(&self, i: usize) -> f64 {
        match i {
            0 => 0.0,
            i if i <= self.interior.len() => self.interior_offset_m[i - 1],
            _ => self.length_m,
        }
    }

    /// Every vertex's `[lon, lat]`, in order.
    pub(crate) fn lonlats(&self) -> impl Iterator<Item = [f64; 2]> + '_ {
        std::iter::once(self.first)
            .chain(self.interior.iter().copied())
            .chain(std::iter::once(self.last))
    }

    /// Every vertex's offset along the edge, in order.
    pub(crate) fn offsets_m(&self) -> impl Iterator<Item = f64> + '_ {
        std::iter::once(0.0)
            .chain(self.interior_offset_m.iter().copied())
            .chain(std::iter::once(self.length_m))
    }

    /// How many vertices have an offset of at most `offset_m` (offsets never decrease
    /// along an edge).
    pub(crate) fn vertices_at_or_before(&self, offset_m: f64) -> usize {
        usize::from(0.0 <= offset_m)
            + self.interior_offset_m.partition_point(|&o| o <= offset_m)
            + usize::from(self.length_m <= offset_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::haversine_m;
    use crate::network::NetworkParams;
    use crate::test_support::line;

    /// A bent line crossed at its middle vertex by a second line: the first line gives
    /// two edges with one interior vertex each.
    fn crossed_bend() -> (Vec<crate::features::RoadLine>, WalkNetwork) {
        let roads = vec![
            line(&[
                [0.0, 0.0],
                [0.001, 0.0005],
                [0.002, 0.0],
                [0.003, 0.0005],
                [0.004, 0.0],
            ]),
            line(&[[0.002, -0.001], [0.002, 0.0]]),
        ];
        let params = NetworkParams {
            min_component_nodes: 1,
        };
        let network = WalkNetwork::from_roads(&roads, &params).unwrap();
        (roads, network)
    }

    #[test]
    fn edges_keep_their_geometry_with_the_nodes_as_end_vertices() {
        let (roads, network) = crossed_bend();
        assert_eq!((network.node_count(), network.edge_count()), (4, 3));
        let mut geometries: Vec<Vec<[f64; 2]>> =
            (0..3).map(|e| network.edge_geometry(EdgeId(e))).collect();
        geometries.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(
            geometries,
            vec![
                roads[0].coords[..3].to_vec(),
                roads[1].coords.clone(),
                roads[0].coords[2..].to_vec(),
            ]
        );
        for e in 0..3 {
            let edge = EdgeId(e);
            let (from, to) = network.edge_nodes(edge);
            let shape = network.edge_shape(edge);
            let coords = network.edge_geometry(edge);
            assert_eq!(coords[0], network.node_lonlat(from));
            assert_eq!(coords[coords.len() - 1], network.node_lonlat(to));
            // Offsets are the running haversine sums, ending at the edge length.
            let mut walked = 0.0;
            for i in 0..shape.vertex_count() {
                if i > 0 {
                    walked += haversine_m(coords[i - 1], coords[i]);
                }
                assert_eq!(shape.offset_m(i), walked);
                assert_eq!(shape.lonlat(i), coords[i]);
                assert_eq!(network.point_along_edge(edge, walked), coords[i]);
            }
            assert_eq!(walked, network.edge_length_m(edge));
            assert_eq!(network.edge_vertex_range(edge).len(), shape.vertex_count());
        }
    }

    #[test]
    fn points_along_an_edge_clamp_and_interpolate() {
        let (_, network) = crossed_bend();
        let edge = (0..3)
            .map(EdgeId)
            .find(|&e| network.edge_shape(e).interior.len() == 1)
            .unwrap();
        let shape = network.edge_shape(edge);
        let length = network.edge_length_m(edge);
        assert_eq!(network.point_along_edge(edge, -5.0), shape.first);
        assert_eq!(network.point_along_edge(edge, f64::NAN), shape.first);
        assert_eq!(network.point_along_edge(edge, length + 5.0), shape.last);
        let middle = shape.offset_m(1);
        let quarter = network.point_along_edge(edge, middle / 2.0);
        let expected = [
            (shape.first[0] + shape.interior[0][0]) / 2.0,
            (shape.first[1] + shape.interior[0][1]) / 2.0,
        ];
        assert!(
            (quarter[0] - expected[0]).abs() < 1e-12 && (quarter[1] - expected[1]).abs() < 1e-12
        );
        // Between two offsets: the cut ends plus the vertices strictly inside.
        let part = network.edge_geometry_between(edge, middle / 2.0, length);
        assert_eq!(part, vec![quarter, shape.interior[0], shape.last]);
        // Counting vertices at or before an offset agrees with a plain count.
        for offset in [-1.0, 0.0, middle / 2.0, middle, length - 1e-9, length, 1e9] {
            let counted = shape.offsets_m().filter(|&o| o <= offset).count();
            assert_eq!(shape.vertices_at_or_before(offset), counted, "{offset}");
        }
    }

    #[test]
    fn edges_meeting_at_a_rounded_place_end_at_the_same_node_position() {
        // The second line's first vertex rounds to the same 1e-7 degree place as the
        // first line's last one, without being equal: both edges end at one position.
        let roads = [
            line(&[[0.0, 0.0], [0.001, 0.0]]),
            line(&[[0.001 + 2e-8, 0.0], [0.002, 0.0]]),
        ];
        let params = NetworkParams {
            min_component_nodes: 1,
        };
        let network = WalkNetwork::from_roads(&roads, &params).unwrap();
        assert_eq!(network.node_count(), 3);
        let shared = network.node_lonlat(NodeId(
            (0..3)
                .find(|&v| {
                    network.node_lonlat(NodeId(v))[0] > 0.0009
                        && network.node_lonlat(NodeId(v))[0] < 0.0011
                })
                .unwrap(),
        ));
        assert_eq!(shared, [0.001, 0.0]);
        for e in 0..2 {
            let geometry = network.edge_geometry(EdgeId(e));
            assert!(geometry.contains(&shared), "{geometry:?}");
            let sum: f64 = geometry.windows(2).map(|w| haversine_m(w[0], w[1])).sum();
            assert_eq!(sum, network.edge_length_m(EdgeId(e)));
        }
    }
}
