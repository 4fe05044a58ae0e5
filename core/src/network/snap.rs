//! Snapping points to the nearest eligible edge.

use serde::Serialize;

use super::graph::{EdgeId, WalkNetwork};
use crate::geodesy::{haversine_m, LocalProjection, EARTH_RADIUS_M};

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
    /// [`Snap::access_m`] with its `max_snap_m`, or calls [`WalkNetwork::snap_within`].
    ///
    /// Complexity: O(log S) expected for S indexed segments (R-tree nearest neighbour).
    pub fn snap(&self, lonlat: [f64; 2]) -> Option<Snap> {
        self.snap_within(lonlat, f64::INFINITY)
    }

    /// The same snap as [`WalkNetwork::snap`] when it is at most `max_access_m` away,
    /// else `None`. Faster for points far from every road: the search stops at that
    /// distance instead of going on to the nearest road however far it is.
    ///
    /// ```
    /// use lifecircle::features::RoadLine;
    /// use lifecircle::network::{NetworkParams, WalkNetwork};
    /// let line = RoadLine {
    ///     coords: vec![[10.0, 50.0], [10.01, 50.0]],
    ///     elevations_m: None, osm_node_ids: None, tags: Default::default(), source_index: 0,
    /// };
    /// let network = WalkNetwork::from_roads(&[line], &NetworkParams { min_component_nodes: 1 }).unwrap();
    /// let point = [10.005, 50.001]; // about 111 m north of the road
    /// assert_eq!(network.snap_within(point, 200.0), network.snap(point));
    /// assert_eq!(network.snap_within(point, 100.0), None);
    /// ```
    pub fn snap_within(&self, lonlat: [f64; 2], max_access_m: f64) -> Option<Snap> {
        let query = self.projection.to_xy(lonlat);
        // The network-wide projection stretches east-west distances away from its
        // central latitude, so it only proposes candidates, in order of (a lower bound
        // of) planar distance.
        // Each is measured exactly (a projection centred on the point itself, then
        // haversine). A candidate can be within a distance only while its planar
        // distance is within the projection's worst-case stretch of that distance.
        let (lat_point, lat_origin) = (
            lonlat[1].to_radians(),
            self.projection.origin_lat().to_radians(),
        );
        let planar_limit =
            |bound_m: f64| bound_m * projection_stretch(lat_point, lat_origin, bound_m) + 1e-6;
        let local = LocalProjection::new(lonlat);
        let mut best: Option<(f64, (u32, u32), Snap)> = None;
        // No later candidate can be nearer than the best so far, or than the bound,
        // once `planar` (a lower bound of this candidate's planar distance and of
        // every later one's) passes this.
        let mut stop_beyond = planar_limit(max_access_m);
        self.segment_index
            .visit_nearest(query, |candidate, planar| {
                if planar > stop_beyond {
                    return None;
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
                    stop_beyond = planar_limit(snap.access_m.min(max_access_m));
                }
                Some(stop_beyond)
            });
        best.map(|b| b.2)
            .filter(|snap| snap.access_m <= max_access_m)
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

/// Most the network's projection (equirectangular, true east-west scale at
/// `lat_origin`) can lengthen a distance of at most `radius_m` from a point at
/// `lat_point` (radians): its planar length is at most the true length times this.
/// The scale between two points is that of a latitude between them, so every latitude
/// within `radius_m` of the point counts; the last factor covers the flat
/// approximation of the sphere and rounding.
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

    /// Oracles: the unbounded snap is the nearest of all segments measured one by one,
    /// and the bounded snap is that filtered by distance, for points near and far from
    /// roads on a network spanning two degrees of latitude.
    #[test]
    fn snapping_within_a_distance_equals_snapping_then_filtering() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let roads: Vec<_> = (0..60)
            .map(|_| {
                let (lon, lat) = (rng.random_range(10.0..10.2), rng.random_range(59.0..61.0));
                line(&[
                    [lon, lat],
                    [
                        lon + rng.random_range(-0.01..0.01),
                        lat + rng.random_range(-0.01..0.01),
                    ],
                    [
                        lon + rng.random_range(-0.02..0.02),
                        lat + rng.random_range(-0.02..0.02),
                    ],
                ])
            })
            .collect();
        let network = WalkNetwork::from_roads(
            &roads,
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        // Every segment measured exactly, the nearest kept (ties: lowest edge, segment).
        let brute_force = |point: [f64; 2]| {
            let local = LocalProjection::new(point);
            (0..network.edge_count() as u32)
                .flat_map(|e| {
                    let segments = network.edge_shape(EdgeId(e)).vertex_count() - 1;
                    (0..segments).map(move |i| (e, i))
                })
                .map(|(e, i)| (network.snap_to_segment(&local, point, EdgeId(e), i), (e, i)))
                .min_by(|a, b| a.0.access_m.total_cmp(&b.0.access_m).then(a.1.cmp(&b.1)))
                .unwrap()
                .0
        };
        let mut within = 0;
        for _ in 0..400 {
            let point = [rng.random_range(9.9..10.3), rng.random_range(58.9..61.1)];
            let nearest = network.snap(point).unwrap();
            assert_eq!(nearest, brute_force(point), "{point:?}");
            for max_m in [0.0, 50.0, 300.0, 2_000.0, nearest.access_m, f64::INFINITY] {
                let expected = Some(nearest).filter(|s| s.access_m <= max_m);
                within += usize::from(expected.is_some());
                assert_eq!(
                    network.snap_within(point, max_m),
                    expected,
                    "{point:?} {max_m}"
                );
            }
        }
        assert!(within > 800, "{within}");
    }
}
