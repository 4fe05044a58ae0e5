//! The walk graph: nodes, edges with geometry, and compact (CSR) adjacency.

use serde::Serialize;

use super::segment_index::SegmentIndex;
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
    pub(crate) projection: LocalProjection,
    pub(crate) node_lonlat: Vec<[f64; 2]>,
    pub(crate) edge_from: Vec<u32>,
    pub(crate) edge_to: Vec<u32>,
    /// Shared (not copied) with flat walking costs, where every cost is the length.
    pub(crate) edge_length_m: std::sync::Arc<[f64]>,
    /// `edge_geometry_start[e]..edge_geometry_start[e + 1]` indexes `vertex_lonlat`.
    pub(crate) edge_geometry_start: Vec<u32>,
    pub(crate) vertex_lonlat: Vec<[f64; 2]>,
    /// Cumulative haversine length from the edge start to each vertex.
    pub(crate) vertex_offset_m: Vec<f64>,
    /// Elevation for each vertex (NaN where unknown).
    pub(crate) vertex_elevation_m: Option<Vec<f64>>,
    /// Position, in the slice given to `from_roads`, of the line each edge came from.
    pub(crate) edge_line: Vec<u32>,
    /// `arc_start[v]..arc_start[v + 1]` are the arcs leaving node `v`.
    /// (Arc heads live with the costs, in `WalkCosts`, which every search reads.)
    pub(crate) arc_start: Vec<u32>,
    /// Edge of each arc; the arc runs along the edge when `edge_from == tail`.
    pub(crate) arc_edge: Vec<u32>,
    pub(crate) arc_forward: Vec<bool>,
    pub(crate) node_component: Vec<u32>,
    pub(crate) component_nodes: Vec<u32>,
    pub(crate) min_component_nodes: usize,
    pub(crate) segment_index: SegmentIndex,
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
    pub fn edge_geometry(&self, edge: EdgeId) -> &[[f64; 2]] {
        &self.vertex_lonlat[self.edge_vertex_range(edge)]
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
    /// use lifecircle::input::RoadLine;
    /// use lifecircle::{NetworkParams, WalkNetwork};
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
            + bytes(&self.vertex_lonlat)
            + bytes(&self.vertex_offset_m)
            + self.vertex_elevation_m.as_ref().map_or(0, bytes)
            + bytes(&self.edge_line)
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

    pub(crate) fn edge_vertex_range(&self, edge: EdgeId) -> std::ops::Range<usize> {
        let e = edge.index();
        self.edge_geometry_start[e] as usize..self.edge_geometry_start[e + 1] as usize
    }

    /// Point at `offset_m` along an edge (clamped to the edge).
    pub fn point_along_edge(&self, edge: EdgeId, offset_m: f64) -> [f64; 2] {
        let range = self.edge_vertex_range(edge);
        let offsets = &self.vertex_offset_m[range.clone()];
        let coords = &self.vertex_lonlat[range];
        let i = offsets.partition_point(|&o| o <= offset_m);
        if i == 0 {
            return coords[0];
        }
        if i >= coords.len() {
            return coords[coords.len() - 1];
        }
        let (o0, o1) = (offsets[i - 1], offsets[i]);
        let t = if o1 > o0 {
            (offset_m - o0) / (o1 - o0)
        } else {
            0.0
        };
        let (a, b) = (coords[i - 1], coords[i]);
        [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
    }

    /// The part of an edge's geometry between two offsets (`from_m <= to_m`), as `[lon, lat]`.
    pub fn edge_geometry_between(&self, edge: EdgeId, from_m: f64, to_m: f64) -> Vec<[f64; 2]> {
        let range = self.edge_vertex_range(edge);
        let offsets = &self.vertex_offset_m[range.clone()];
        let coords = &self.vertex_lonlat[range];
        let mut out = vec![self.point_along_edge(edge, from_m)];
        for (o, c) in offsets.iter().zip(coords) {
            if *o > from_m && *o < to_m {
                out.push(*c);
            }
        }
        out.push(self.point_along_edge(edge, to_m));
        out
    }
}
