//! Building the walk graph from road lines (the node rule of `docs/coverage-contract.md`).

use serde::Serialize;

use super::components::label_components;
use super::graph::{EdgeId, EdgeTraits, WalkNetwork};
use super::segment_index::{SegmentIndex, SegmentRef};
use crate::features::RoadLine;
use crate::geodesy::{haversine_m, LocalProjection};
use crate::{Error, Result};

/// Parameters of network construction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkParams {
    /// Components with fewer nodes than this are islands: reported, never snapped to.
    pub min_component_nodes: usize,
}

impl Default for NetworkParams {
    fn default() -> Self {
        Self {
            min_component_nodes: 20,
        }
    }
}

/// Rounded coordinates of a vertex (1e-7 degrees), the identity of GeoJSON vertices.
fn rounded_key(c: [f64; 2]) -> (i64, i64) {
    ((c[0] * 1e7).round() as i64, (c[1] * 1e7).round() as i64)
}

/// Numbers the distinct places among all vertex uses, by sorting.
///
/// Vertex uses are numbered in line order (`flat` index); two uses are the same place
/// when OSM gives both the same node id, or, for lines without OSM ids, when their
/// coordinates round to the same 1e-7 degrees (an OSM vertex never matches a
/// coordinate vertex). Returns the place of every use and the number of places.
///
/// Sorting keeps memory access sequential, which on millions of vertices is several
/// times faster than hashing.
///
/// Complexity: O(V log V) for V vertex uses.
fn number_places(lines: &[(usize, &RoadLine)], total: usize) -> (Vec<u32>, usize) {
    let mut place_of = vec![0u32; total];
    let mut osm: Vec<(i64, u32)> = Vec::new();
    let mut rounded: Vec<((i64, i64), u32)> = Vec::new();
    let mut flat = 0u32;
    for (_, line) in lines {
        match &line.osm_node_ids {
            Some(ids) => osm.extend(ids.iter().map(|&id| {
                flat += 1;
                (id, flat - 1)
            })),
            None => rounded.extend(line.coords.iter().map(|&c| {
                flat += 1;
                (rounded_key(c), flat - 1)
            })),
        }
    }
    let mut places = 0usize;
    group_sorted(osm, &mut place_of, &mut places);
    // Packed into one u64 when every coordinate fits in an i32 (any valid lon/lat does).
    let fits = |v: i64| i32::try_from(v).is_ok();
    if rounded.iter().all(|((x, y), _)| fits(*x) && fits(*y)) {
        let packed: Vec<(u64, u32)> = rounded
            .into_iter()
            .map(|((x, y), f)| {
                (
                    (u64::from(x as i32 as u32) << 32) | u64::from(y as i32 as u32),
                    f,
                )
            })
            .collect();
        group_sorted(packed, &mut place_of, &mut places);
    } else {
        group_sorted(rounded, &mut place_of, &mut places);
    }
    (place_of, places)
}

/// Sorts `(key, flat index)` pairs and gives each distinct key the next place number.
fn group_sorted<K: Ord + Copy>(mut uses: Vec<(K, u32)>, place_of: &mut [u32], places: &mut usize) {
    uses.sort_unstable_by_key(|u| u.0);
    let mut previous: Option<K> = None;
    for (key, flat) in uses {
        if previous != Some(key) {
            previous = Some(key);
            *places += 1;
        }
        place_of[flat as usize] = (*places - 1) as u32;
    }
}

impl WalkNetwork {
    /// Builds the network from walkable road lines.
    ///
    /// A vertex becomes a node when it ends a line or is used by two or more lines (or
    /// twice by one line); edges join consecutive nodes along a line. Node ids follow the
    /// position along a Hilbert curve (ties: order of first appearance), which keeps
    /// searches cache-friendly; the same input always gives the same graph.
    ///
    /// Complexity: O(V log V) for V input vertices (sorting the vertices, then the segments for the packed R-tree).
    ///
    /// # Errors
    /// [`Error::Empty`] when there is no line with two distinct vertices.
    pub fn from_roads(lines: &[RoadLine], params: &NetworkParams) -> Result<WalkNetwork> {
        if params.min_component_nodes == 0 {
            return Err(Error::InvalidParameter {
                name: "min_component_nodes".into(),
                reason: "must be at least 1".into(),
            });
        }
        let usable: Vec<(usize, &RoadLine)> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.coords.len() >= 2)
            .collect();
        if usable.is_empty() {
            return Err(Error::Empty {
                layer: "roads".into(),
                reason: "no walkable road line with two or more vertices".into(),
            });
        }
        // A segment jumping more than half the globe in longitude crosses the 180°
        // meridian: drawn as given it would run the long way round (through 0°), and the
        // local projection cannot hold both sides. Refuse it, naming the line.
        for (_, line) in &usable {
            if let Some(w) = line
                .coords
                .windows(2)
                .find(|w| (w[1][0] - w[0][0]).abs() > 180.0)
            {
                return Err(Error::Feature {
                    layer: "roads".into(),
                    index: line.source_index,
                    reason: format!(
                        "the line crosses the 180° meridian (longitude {} to {}); split it at \
                         the meridian, or shift the longitudes of data on both sides to one \
                         range",
                        w[0][0], w[1][0]
                    ),
                });
            }
        }
        if u32::try_from(lines.iter().map(|l| l.coords.len()).sum::<usize>()).is_err() {
            return Err(Error::TooLarge {
                layer: "roads".into(),
                reason: "more than 4 billion road vertices".into(),
            });
        }

        // Pass 1: how often each place is used; line ends always count as shared.
        let total: usize = usable.iter().map(|(_, l)| l.coords.len()).sum();
        let (place_of, places) = number_places(&usable, total);
        let mut uses = vec![0u32; places];
        let mut flat = 0;
        for (_, line) in &usable {
            let last = line.coords.len() - 1;
            for i in 0..=last {
                let bump = if i == 0 || i == last { 2 } else { 1 };
                let u = &mut uses[place_of[flat] as usize];
                *u = u.saturating_add(bump);
                flat += 1;
            }
        }

        // Exact sizes of the output: an edge per pair of consecutive nodes along a line;
        // only vertices that are not nodes are stored with the edges.
        let (mut edge_count, mut interior_vertices) = (0, 0);
        let mut flat = 0;
        for (_, line) in &usable {
            let n = line.coords.len();
            let nodes = (flat..flat + n)
                .filter(|&f| uses[place_of[f] as usize] >= 2)
                .count();
            edge_count += nodes - 1;
            interior_vertices += n - nodes;
            flat += n;
        }

        // Pass 2: split lines at nodes; nodes are numbered in order of first use.
        const NOT_YET: u32 = u32::MAX;
        let mut node_of_place = vec![NOT_YET; places];
        let any_elevation = usable.iter().any(|(_, l)| l.elevations_m.is_some());
        let mut b = Builder::with_capacity(edge_count, interior_vertices, any_elevation);
        let mut flat = 0;
        for &(line_index, line) in &usable {
            let mut edge_open = false;
            for i in 0..line.coords.len() {
                let place = place_of[flat] as usize;
                flat += 1;
                let is_node = uses[place] >= 2;
                let z = line
                    .elevations_m
                    .as_ref()
                    .map_or(f64::NAN, |zs| zs.get(i).copied().unwrap_or(f64::NAN));
                if is_node {
                    let mut node = node_of_place[place];
                    if node == NOT_YET {
                        node = b.node_lonlat.len() as u32;
                        node_of_place[place] = node;
                        b.node_lonlat.push(line.coords[i]);
                    }
                    // Edges end exactly at their nodes' positions: with GeoJSON, uses
                    // of one place may differ below the 1e-7 degree rounding.
                    let at = b.node_lonlat[node as usize];
                    if edge_open {
                        b.close_edge(node, at, z);
                    }
                    b.open_edge(node, at, z, line_index);
                    edge_open = true;
                } else {
                    b.push_interior_vertex(line.coords[i], z);
                }
            }
            b.discard_open_edge();
        }
        drop((place_of, uses, node_of_place));
        let edge_traits = b
            .edge_line
            .iter()
            .map(|&line| EdgeTraits::of_line(&lines[line as usize]))
            .collect();
        Ok(b.finish(params, edge_traits))
    }
}

/// Cells per side of the grid the Hilbert order is computed on (2^16).
const HILBERT_SIDE: u32 = 1 << 16;

/// Position of cell `(x, y)` along a Hilbert curve filling a `HILBERT_SIDE`² grid.
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

struct Builder {
    node_lonlat: Vec<[f64; 2]>,
    edge_from: Vec<u32>,
    edge_to: Vec<u32>,
    edge_length_m: Vec<f64>,
    edge_geometry_start: Vec<u32>,
    edge_line: Vec<u32>,
    interior_lonlat: Vec<[f64; 2]>,
    interior_offset_m: Vec<f64>,
    /// Per vertex of each edge, end vertices included.
    vertex_elevation_m: Vec<f64>,
    /// Whether elevations are kept (else `vertex_elevation_m` stays empty).
    elevation: bool,
    open_from: u32,
    open_line: u32,
    /// The open edge's last vertex so far and its offset along the edge.
    open_last: [f64; 2],
    open_offset_m: f64,
}

impl Builder {
    /// A builder with room for exactly `edges` edges and `interior` interior vertices.
    fn with_capacity(edges: usize, interior: usize, elevation: bool) -> Self {
        Self {
            node_lonlat: Vec::new(),
            edge_from: Vec::with_capacity(edges),
            edge_to: Vec::with_capacity(edges),
            edge_length_m: Vec::with_capacity(edges),
            edge_geometry_start: Vec::with_capacity(edges + 1),
            edge_line: Vec::with_capacity(edges),
            interior_lonlat: Vec::with_capacity(interior),
            interior_offset_m: Vec::with_capacity(interior),
            // (+1: a line's last node opens an edge that is then discarded.)
            vertex_elevation_m: Vec::with_capacity(if elevation {
                interior + 2 * edges + 1
            } else {
                0
            }),
            elevation,
            open_from: 0,
            open_line: 0,
            open_last: [0.0; 2],
            open_offset_m: 0.0,
        }
    }

    fn open_edge(&mut self, from: u32, lonlat: [f64; 2], z: f64, line: usize) {
        self.open_from = from;
        self.open_line = line as u32;
        self.open_last = lonlat;
        self.open_offset_m = 0.0;
        self.edge_geometry_start
            .push(self.interior_lonlat.len() as u32);
        if self.elevation {
            self.vertex_elevation_m.push(z);
        }
    }

    /// Walks the open edge on to `lonlat`; returns the offset reached.
    fn advance(&mut self, lonlat: [f64; 2], z: f64) -> f64 {
        self.open_offset_m += haversine_m(self.open_last, lonlat);
        self.open_last = lonlat;
        if self.elevation {
            self.vertex_elevation_m.push(z);
        }
        self.open_offset_m
    }

    fn push_interior_vertex(&mut self, lonlat: [f64; 2], z: f64) {
        let offset = self.advance(lonlat, z);
        self.interior_lonlat.push(lonlat);
        self.interior_offset_m.push(offset);
    }

    fn close_edge(&mut self, to: u32, lonlat: [f64; 2], z: f64) {
        let length = self.advance(lonlat, z);
        self.edge_from.push(self.open_from);
        self.edge_to.push(to);
        self.edge_length_m.push(length);
        self.edge_line.push(self.open_line);
    }

    /// Renumbers nodes in Hilbert-curve order of their position (ties: first appearance),
    /// so nodes near each other on the ground sit near each other in memory and a search
    /// front walks mostly cache-resident arrays.
    fn renumber_nodes_along_hilbert_curve(&mut self, projection: &LocalProjection) {
        let xy: Vec<[f64; 2]> = self
            .node_lonlat
            .iter()
            .map(|&p| projection.to_xy(p))
            .collect();
        let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in &xy {
            for k in 0..2 {
                min[k] = min[k].min(p[k]);
                max[k] = max[k].max(p[k]);
            }
        }
        let span = (max[0] - min[0]).max(max[1] - min[1]).max(1e-9);
        let cells = f64::from(HILBERT_SIDE - 1);
        let mut order: Vec<(u64, u32)> = xy
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let x = ((p[0] - min[0]) / span * cells).round() as u32;
                let y = ((p[1] - min[1]) / span * cells).round() as u32;
                (hilbert_index(x, y), i as u32)
            })
            .collect();
        order.sort_unstable();
        let mut new_id = vec![0u32; order.len()];
        for (new, &(_, old)) in order.iter().enumerate() {
            new_id[old as usize] = new as u32;
        }
        self.node_lonlat = order
            .iter()
            .map(|&(_, old)| self.node_lonlat[old as usize])
            .collect();
        for v in self.edge_from.iter_mut().chain(self.edge_to.iter_mut()) {
            *v = new_id[*v as usize];
        }
    }

    /// Drops the edge opened at a line's last node (it has no second node).
    fn discard_open_edge(&mut self) {
        self.edge_geometry_start.pop().expect("an edge was opened");
        if self.elevation {
            self.vertex_elevation_m.pop();
        }
    }

    fn finish(mut self, params: &NetworkParams, edge_traits: Vec<EdgeTraits>) -> WalkNetwork {
        self.edge_geometry_start
            .push(self.interior_lonlat.len() as u32);
        // Moved into its shared form now, while the copy is the largest thing alive,
        // rather than at the end on top of the adjacency and the segment index.
        let edge_length_m: std::sync::Arc<[f64]> = std::mem::take(&mut self.edge_length_m).into();
        let node_count = self.node_lonlat.len();
        let projection = LocalProjection::fitting(&self.node_lonlat);
        self.renumber_nodes_along_hilbert_curve(&projection);

        // CSR adjacency: count, prefix-sum, fill (two arcs per edge, self-loops once each way).
        let mut arc_start = vec![0u32; node_count + 1];
        for (&a, &b) in self.edge_from.iter().zip(&self.edge_to) {
            arc_start[a as usize + 1] += 1;
            arc_start[b as usize + 1] += 1;
        }
        for v in 0..node_count {
            arc_start[v + 1] += arc_start[v];
        }
        let arc_count = arc_start[node_count] as usize;
        let mut fill = arc_start.clone();
        let mut arc_head = vec![0u32; arc_count];
        let mut arc_edge = vec![0u32; arc_count];
        let mut arc_forward = vec![false; arc_count];
        for e in 0..self.edge_from.len() {
            let (a, b) = (self.edge_from[e], self.edge_to[e]);
            for (tail, head, forward) in [(a, b, true), (b, a, false)] {
                let slot = fill[tail as usize] as usize;
                fill[tail as usize] += 1;
                arc_head[slot] = head;
                arc_edge[slot] = e as u32;
                arc_forward[slot] = forward;
            }
        }

        let (node_component, component_nodes) = label_components(node_count, &arc_start, &arc_head);

        let mut segments: Vec<SegmentRef> = Vec::new();
        for e in 0..self.edge_from.len() {
            let component = node_component[self.edge_from[e] as usize];
            if (component_nodes[component as usize] as usize) < params.min_component_nodes {
                continue;
            }
            let interior = self.edge_geometry_start[e + 1] - self.edge_geometry_start[e];
            segments.extend((0..=interior).map(|segment| SegmentRef {
                edge: e as u32,
                segment,
            }));
        }

        let mut network = WalkNetwork {
            projection,
            node_lonlat: self.node_lonlat,
            edge_from: self.edge_from,
            edge_to: self.edge_to,
            edge_length_m,
            edge_geometry_start: self.edge_geometry_start,
            interior_lonlat: self.interior_lonlat,
            interior_offset_m: self.interior_offset_m,
            vertex_elevation_m: self.elevation.then_some(self.vertex_elevation_m),
            edge_line: self.edge_line,
            edge_traits,
            arc_start,
            arc_edge,
            arc_forward,
            node_component,
            component_nodes,
            min_component_nodes: params.min_component_nodes,
            segment_index: SegmentIndex::default(),
        };
        network.segment_index = SegmentIndex::build(segments, |s| {
            let shape = network.edge_shape(EdgeId(s.edge));
            let i = s.segment as usize;
            [
                network.projection.to_xy(shape.lonlat(i)),
                network.projection.to_xy(shape.lonlat(i + 1)),
            ]
        });
        network
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_index_visits_every_cell_of_a_small_grid_once_with_unit_steps() {
        // On the full grid, consecutive indexes must be neighbouring cells; check the
        // lowest 4x4 block, which the curve fills before leaving it.
        let mut cells: Vec<(u64, (u32, u32))> = (0..4)
            .flat_map(|x| (0..4).map(move |y| (hilbert_index(x, y), (x, y))))
            .collect();
        cells.sort_unstable();
        let indexes: Vec<u64> = cells.iter().map(|c| c.0).collect();
        assert_eq!(indexes, (0..16).collect::<Vec<u64>>());
        for pair in cells.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0].1, pair[1].1);
            assert_eq!(x0.abs_diff(x1) + y0.abs_diff(y1), 1, "{pair:?}");
        }
    }
}
