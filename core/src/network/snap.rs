//! Snapping points to the nearest eligible edge.

use serde::Serialize;

use super::graph::{EdgeId, WalkNetwork};
use crate::geodesy::{haversine_m, LocalProjection};

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
    /// Complexity: O(log S) expected for S indexed segments (R-tree nearest neighbour).
    pub fn snap(&self, lonlat: [f64; 2]) -> Option<Snap> {
        let query = self.projection.to_xy(lonlat);
        // The network-wide projection stretches east-west distances away from its
        // central latitude, so it only proposes candidates, in order of (a lower bound
        // of) planar distance.
        // Each is measured exactly (a projection centred on the point itself, then
        // haversine). A candidate can beat the best so far only while its planar
        // distance is within the projection's worst-case stretch of the best access.
        let (lat_point, lat_origin) = (
            lonlat[1].to_radians(),
            self.projection.origin_lat().to_radians(),
        );
        let (c, c0) = (lat_point.cos().max(1e-9), lat_origin.cos().max(1e-9));
        let stretch = (c / c0).max(c0 / c) * (1.0 + 1e-9);
        let local = LocalProjection::new(lonlat);
        let mut best: Option<(f64, (u32, u32), Snap)> = None;
        // `planar` is a lower bound of this candidate's planar distance and of every
        // later one's.
        self.segment_index
            .visit_nearest(query, |candidate, planar| {
                if let Some((best_access, _, _)) = &best {
                    if planar > best_access * stretch + 1e-6 {
                        return false;
                    }
                }
                let edge = candidate.edge;
                let segment = candidate.segment;
                let snap = self.snap_to_segment(&local, lonlat, EdgeId(edge), segment as usize);
                let better = match &best {
                    None => true,
                    Some((best_access, best_key, _)) => {
                        snap.access_m < *best_access
                            || (snap.access_m == *best_access && (edge, segment) < *best_key)
                    }
                };
                if better {
                    best = Some((snap.access_m, (edge, segment), snap));
                }
                true
            });
        best.map(|b| b.2)
    }

    /// The nearest point of one segment to `lonlat`, found in `local` (a projection
    /// centred on `lonlat`, where planar distance from the origin matches the sphere).
    fn snap_to_segment(
        &self,
        local: &LocalProjection,
        lonlat: [f64; 2],
        edge: EdgeId,
        segment: usize,
    ) -> Snap {
        let shape = self.edge_shape(edge);
        let (a, b) = (shape.lonlat(segment), shape.lonlat(segment + 1));
        let (pa, pb) = (local.to_xy(a), local.to_xy(b));
        let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            ((-pa[0] * dx - pa[1] * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let snapped = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        let (o0, o1) = (shape.offset_m(segment), shape.offset_m(segment + 1));
        Snap {
            edge,
            offset_m: o0 + t * (o1 - o0),
            access_m: haversine_m(lonlat, snapped),
            lonlat: snapped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::NetworkParams;
    use crate::test_support::line;

    /// Regression: a network spanning two degrees of latitude, where the network-wide
    /// projection alone picks the farther of two nearly equidistant roads.
    #[test]
    fn snapping_picks_the_truly_nearest_road_far_from_the_projection_centre() {
        let roads = [
            line(&[[10.0, 59.0], [10.0, 60.9], [10.0, 61.0]]),
            line(&[[10.0015, 60.9], [10.1, 60.9], [10.1, 61.0], [10.0, 61.0]]),
        ];
        let network = WalkNetwork::from_roads(
            &roads,
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let point = [10.0018, 60.899114];
        let snap = network.snap(point).unwrap();
        let to_north_south = haversine_m(point, [10.0, 60.899114]);
        assert!(
            (snap.access_m - to_north_south).abs() < 0.05,
            "{snap:?} vs {to_north_south}"
        );
        assert!((snap.lonlat[0] - 10.0).abs() < 1e-9, "{snap:?}");
    }
}
