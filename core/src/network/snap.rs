//! Snapping points to the nearest eligible edge.

use rstar::PointDistance;
use serde::Serialize;

use super::graph::{EdgeId, WalkNetwork};
use crate::geodesy::haversine_m;

/// Where a point meets the network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Snap {
    /// The edge the point snapped to.
    pub edge: EdgeId,
    /// Distance along the edge from its first node to the snapped position, in metres.
    pub offset_m: f64,
    /// Straight-line (haversine) distance from the point to the snapped position.
    pub access_m: f64,
    /// The snapped position, `[lon, lat]`.
    pub lonlat: [f64; 2],
}

impl WalkNetwork {
    /// Snaps a `[lon, lat]` point to the nearest point of the nearest edge in a component
    /// of at least `min_component_nodes` nodes (islands are never indexed).
    ///
    /// Returns `None` when the network has no eligible edge. The caller compares
    /// [`Snap::access_m`] with its `max_snap_m`.
    ///
    /// Complexity: O(log E) expected (R-tree nearest neighbour).
    pub fn snap(&self, lonlat: [f64; 2]) -> Option<Snap> {
        let query = self.projection.to_xy(lonlat);
        // Nearest by planar distance; break exact ties by (edge, segment) so the answer
        // does not depend on the tree's internal order.
        let mut best: Option<(f64, (u32, u32))> = None;
        for candidate in self.segment_index.nearest_neighbor_iter(query) {
            let d2 = candidate.distance_2(&query);
            match best {
                None => best = Some((d2, candidate.data)),
                Some((best_d2, best_data)) => {
                    if d2 > best_d2 {
                        break;
                    }
                    if candidate.data < best_data {
                        best = Some((d2, candidate.data));
                    }
                }
            }
        }
        let (_, (edge, segment)) = best?;
        let edge = EdgeId(edge);
        let range = self.edge_vertex_range(edge);
        let first = range.start + segment as usize;
        let (a, b) = (self.vertex_lonlat[first], self.vertex_lonlat[first + 1]);
        let (pa, pb) = (self.projection.to_xy(a), self.projection.to_xy(b));
        let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((query[0] - pa[0]) * dx + (query[1] - pa[1]) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let snapped = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        let (o0, o1) = (self.vertex_offset_m[first], self.vertex_offset_m[first + 1]);
        Some(Snap {
            edge,
            offset_m: o0 + t * (o1 - o0),
            access_m: haversine_m(lonlat, snapped),
            lonlat: snapped,
        })
    }
}
