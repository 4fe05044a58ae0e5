//! Network reach: every eligible edge split exactly where the walk to a center crosses the threshold.

use serde::Serialize;

use super::compute::{walk_from_position, CoverageResult};
use crate::network::{EdgeId, NodeId, WalkNetwork};
use crate::routing::WalkCosts;

/// A stretch of one edge that is wholly within the threshold walk of a center, or wholly
/// beyond it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachPiece {
    /// The edge the piece lies on.
    pub edge: EdgeId,
    /// Start of the piece, metres along the edge from its first node.
    pub from_offset_m: f64,
    /// End of the piece, metres along the edge from its first node (`>= from_offset_m`).
    pub to_offset_m: f64,
    /// Whether a walker standing anywhere on the piece reaches a center within the
    /// threshold (access legs not included: the walker is on the path).
    pub covered: bool,
    /// Of the thresholds the network was split at ([`network_reach_in_bands`]), the
    /// first within whose walk the whole piece lies; `None` beyond them all. With one
    /// threshold, `Some(0)` exactly when `covered`.
    pub band: Option<usize>,
    /// Walk time in minutes from the piece start to the nearest center; `None` when no
    /// center can be reached from there.
    pub walk_min_start: Option<f64>,
    /// Walk time in minutes from the piece end to the nearest center; `None` when no
    /// center can be reached from there.
    pub walk_min_end: Option<f64>,
    /// The piece's geometry, `[lon, lat]` vertices from `from_offset_m` to `to_offset_m`.
    pub coords: Vec<[f64; 2]>,
}

/// The parts of `edge` (as closed offset intervals, sorted, disjoint) from which a center
/// is reached at a cost of at most `limit_m`.
///
/// The walk cost at offset `x` is the minimum of one term per way off the edge: via the
/// first node `c0 + cost(x → 0)`, via the second node `c1 + cost(x → L)`, and via each
/// center on the edge at offset `o` with access cost `s`, `s + cost(x → o)` (costs as
/// in [`WalkCosts::partial_m`]: piecewise linear in `x`, one rate per segment and
/// direction). Each term grows with the distance to its target, so its sublevel set is
/// one interval, found by [`WalkCosts::reach_toward_m`]; the covered set is their union. Intervals that touch are merged; zero-length intervals are kept.
///
/// Complexity: O(k log k) for k centers on the edge.
pub(crate) fn reached_intervals(
    network: &WalkNetwork,
    costs: &WalkCosts,
    edge: EdgeId,
    node_costs_m: [Option<f64>; 2],
    on_edge: impl IntoIterator<Item = (f64, f64)>,
    limit_m: f64,
    out: &mut Vec<(f64, f64)>,
) {
    out.clear();
    let length = network.edge_length_m(edge);
    let reach = |target: f64, budget: f64, after: bool| {
        costs.reach_toward_m(network, edge, target, budget, after)
    };
    if let Some(c0) = node_costs_m[0].filter(|&c| c <= limit_m) {
        out.push((0.0, reach(0.0, limit_m - c0, true)));
    }
    if let Some(c1) = node_costs_m[1].filter(|&c| c <= limit_m) {
        out.push((length - reach(length, limit_m - c1, false), length));
    }
    for (offset, access) in on_edge {
        if access <= limit_m {
            let budget = limit_m - access;
            out.push((
                offset - reach(offset, budget, false),
                offset + reach(offset, budget, true),
            ));
        }
    }
    for interval in out.iter_mut() {
        interval.0 = interval.0.clamp(0.0, length);
        interval.1 = interval.1.clamp(0.0, length);
    }
    out.retain(|(lo, hi)| lo <= hi);
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut merged = 0;
    for i in 0..out.len() {
        if merged > 0 && out[i].0 <= out[merged - 1].1 {
            out[merged - 1].1 = out[merged - 1].1.max(out[i].1);
        } else {
            out[merged] = out[i];
            merged += 1;
        }
    }
    out.truncate(merged);
}

/// Splits every edge of every eligible component (components points may snap to) at the
/// exact offsets where the walk to the nearest center crosses the threshold
/// (`result.params.threshold_min`).
///
/// The walk time from a point on an edge is the one residents get
/// ([`crate::coverage::CoverageResult`]'s walk field, without the access leg): the best of leaving
/// by either end node or walking to a center on the same edge. Along an edge it is
/// piecewise linear, so the crossings are solved in closed form (with directional costs
/// each direction has its own rate, `forward_m / length` or `backward_m / length`).
/// Adjacent stretches with the same `covered` flag form one piece. An edge from which
/// no center can be reached is one uncovered piece with no times; a zero-length edge is
/// one zero-length piece.
///
/// `costs` must be the costs `result` was computed with. Output is in edge id order,
/// then offset order.
///
/// Complexity: O(E + C log C) for E edges and C centers (plus the output geometry).
///
/// ```
/// use lifecircle::{features::{PointFeature, RoadLine}, CoverageParams};
/// use lifecircle::coverage::{compute_coverage, network_reach};
/// use lifecircle::network::{NetworkParams, WalkNetwork};
/// use lifecircle::routing::WalkCosts;
/// let line = RoadLine { coords: vec![[0.0, 0.0], [0.002, 0.0]], elevations_m: None,
///     osm_node_ids: None, tags: Default::default(), source_index: 0 };
/// let network = WalkNetwork::from_roads(&[line], &NetworkParams { min_component_nodes: 1 }).unwrap();
/// let costs = WalkCosts::flat(&network);
/// let center = PointFeature { id: "c".into(), lon: 0.0, lat: 0.0, population: 1.0,
///     properties: Default::default(), source_index: 0 };
/// // 100 m at 80 m/min.
/// let params = CoverageParams { threshold_min: 1.25, ..Default::default() };
/// let result = compute_coverage(&network, &costs, &[center], &[], &params).unwrap();
/// let pieces = network_reach(&network, &costs, &result);
/// assert_eq!(pieces.len(), 2);
/// assert!(pieces[0].covered && !pieces[1].covered);
/// assert!((pieces[0].to_offset_m - 100.0).abs() < 1e-9);
/// ```
pub fn network_reach(
    network: &WalkNetwork,
    costs: &WalkCosts,
    result: &CoverageResult,
) -> Vec<ReachPiece> {
    network_reach_in_bands(network, costs, result, &[result.threshold_cost_m()])
}

/// [`network_reach`] split at several thresholds at once: every edge is cut wherever
/// the walk crosses any of `limits_m` (walking costs, flat-equivalent metres, in
/// ascending order), and each piece's [`ReachPiece::band`] is the first limit whose
/// walk reaches all of it. `covered` stays that of `result`'s own threshold. Adjacent
/// stretches of the same band form one piece, so with one limit, the result's own,
/// this is [`network_reach`].
///
/// Complexity: O(B (E + C log C)) for B limits.
pub fn network_reach_in_bands(
    network: &WalkNetwork,
    costs: &WalkCosts,
    result: &CoverageResult,
    limits_m: &[f64],
) -> Vec<ReachPiece> {
    debug_assert!(limits_m.windows(2).all(|w| w[0] <= w[1]));
    let own_limit_m = result.threshold_cost_m();
    let covering = |band: Option<usize>| band.is_some_and(|b| limits_m[b] <= own_limit_m);
    let metres_per_min = result.metres_per_min();
    let minutes_at = |edge: EdgeId, offset_m: f64| {
        walk_from_position(
            network,
            costs,
            &result.search,
            &result.snapped_centers,
            edge,
            offset_m,
        )
        .map(|w| w.cost_m)
        .filter(|c| c.is_finite())
        .map(|c| c / metres_per_min)
    };
    let mut pieces = Vec::new();
    let mut push = |edge: EdgeId, from: f64, to: f64, band: Option<usize>| {
        pieces.push(ReachPiece {
            edge,
            from_offset_m: from,
            to_offset_m: to,
            covered: covering(band),
            band,
            walk_min_start: minutes_at(edge, from),
            walk_min_end: minutes_at(edge, to),
            coords: network.edge_geometry_between(edge, from, to),
        });
    };
    let mut by_band: Vec<Vec<(f64, f64)>> = vec![Vec::new(); limits_m.len()];
    let mut cuts = Vec::new();
    for e in 0..network.edge_count() {
        let edge = EdgeId(e as u32);
        let (from, to) = network.edge_nodes(edge);
        if !network.is_node_eligible(from) {
            continue;
        }
        for (intervals, &limit_m) in by_band.iter_mut().zip(limits_m) {
            let on_edge = result
                .snapped_centers
                .on_edge
                .get(&edge.0)
                .into_iter()
                .flatten()
                .map(|&(offset, access, _)| (offset, access));
            reached_intervals(
                network,
                costs,
                edge,
                [node_cost(result, from), node_cost(result, to)],
                on_edge,
                limit_m,
                intervals,
            );
        }
        let length = network.edge_length_m(edge);
        if length <= 0.0 {
            let band = by_band.iter().position(|i| !i.is_empty());
            push(edge, 0.0, 0.0, band);
            continue;
        }
        // Every place a band starts or ends; between two cuts the band is one. A single
        // reached point is not a stretch, so it only cuts what is merged again below.
        cuts.clear();
        cuts.push(0.0);
        cuts.push(length);
        for &(lo, hi) in by_band.iter().flatten() {
            cuts.push(lo);
            cuts.push(hi);
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let band_at = |x: f64| {
            by_band
                .iter()
                .position(|intervals| intervals.iter().any(|&(lo, hi)| lo <= x && x <= hi))
        };
        let mut start = 0.0;
        let mut current: Option<Option<usize>> = None;
        for pair in cuts.windows(2) {
            let (lo, hi) = (pair[0], pair[1]);
            let band = band_at(lo + (hi - lo) / 2.0);
            match current {
                Some(b) if b == band => {}
                Some(b) => {
                    push(edge, start, lo, b);
                    start = lo;
                    current = Some(band);
                }
                None => current = Some(band),
            }
        }
        if let Some(b) = current {
            push(edge, start, length, b);
        }
    }
    pieces
}

fn node_cost(result: &CoverageResult, node: NodeId) -> Option<f64> {
    result.search.cost_m(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::compute_coverage;
    use crate::features::{PointFeature, RoadLine};
    use crate::geodesy::haversine_m;
    use crate::network::NetworkParams;
    use crate::test_support::line;
    use crate::CoverageParams;

    const DEG: f64 = 0.001;

    fn point(lon: f64, lat: f64) -> PointFeature {
        PointFeature {
            id: format!("{lon},{lat}"),
            lon,
            lat,
            population: 1.0,
            properties: Default::default(),
            source_index: 0,
        }
    }

    /// A straight east-west road along the equator, one edge per `DEG` of longitude.
    fn straight(edges: usize) -> WalkNetwork {
        let lines: Vec<RoadLine> = (0..edges)
            .map(|i| line(&[[i as f64 * DEG, 0.0], [(i + 1) as f64 * DEG, 0.0]]))
            .collect();
        WalkNetwork::from_roads(
            &lines,
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap()
    }

    /// Threshold of `metres` of flat walking (80 m/min).
    fn params(metres: f64) -> CoverageParams {
        CoverageParams {
            threshold_min: metres / 80.0,
            ..Default::default()
        }
    }

    fn edge_len() -> f64 {
        haversine_m([0.0, 0.0], [DEG, 0.0])
    }

    fn summary(pieces: &[ReachPiece]) -> Vec<(u32, f64, f64, bool)> {
        pieces
            .iter()
            .map(|p| (p.edge.0, p.from_offset_m, p.to_offset_m, p.covered))
            .collect()
    }

    fn assert_pieces(pieces: &[ReachPiece], expected: &[(u32, f64, f64, bool)]) {
        let got = summary(pieces);
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for (g, e) in got.iter().zip(expected) {
            assert_eq!(g.0, e.0, "{got:?}");
            // Whole edges are searched at `f32` precision: 111 m is exact to ~4 µm.
            assert!((g.1 - e.1).abs() < 1e-5, "{got:?} vs {expected:?}");
            assert!((g.2 - e.2).abs() < 1e-5, "{got:?} vs {expected:?}");
            assert_eq!(g.3, e.3, "{got:?}");
        }
    }

    #[test]
    fn crossing_mid_second_edge_from_a_center_at_the_end() {
        let network = straight(2);
        let costs = WalkCosts::flat(&network);
        let result =
            compute_coverage(&network, &costs, &[point(0.0, 0.0)], &[], &params(150.0)).unwrap();
        let pieces = network_reach(&network, &costs, &result);
        let l = edge_len();
        // Edge 0 is wholly within 150 m; edge 1 is covered for its first 150 - l metres.
        assert_pieces(
            &pieces,
            &[
                (0, 0.0, l, true),
                (1, 0.0, 150.0 - l, true),
                (1, 150.0 - l, l, false),
            ],
        );
        let crossing = &pieces[1];
        assert!((crossing.walk_min_start.unwrap() - l / 80.0).abs() < 1e-7);
        assert!((crossing.walk_min_end.unwrap() - 150.0 / 80.0).abs() < 1e-7);
        let far = &pieces[2];
        assert!((far.walk_min_end.unwrap() - 2.0 * l / 80.0).abs() < 1e-7);
        // The crossing point lies on the geometry, 150 m from the center.
        let end = *crossing.coords.last().unwrap();
        assert!((haversine_m([0.0, 0.0], end) - 150.0).abs() < 1e-5);
    }

    #[test]
    fn center_in_the_middle_of_an_edge_gives_two_crossings() {
        let network = WalkNetwork::from_roads(
            &[line(&[[0.0, 0.0], [2.0 * DEG, 0.0]])],
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let costs = WalkCosts::flat(&network);
        let result =
            compute_coverage(&network, &costs, &[point(DEG, 0.0)], &[], &params(50.0)).unwrap();
        let pieces = network_reach(&network, &costs, &result);
        let l = network.edge_length_m(EdgeId(0));
        let mid = l / 2.0;
        assert_pieces(
            &pieces,
            &[
                (0, 0.0, mid - 50.0, false),
                (0, mid - 50.0, mid + 50.0, true),
                (0, mid + 50.0, l, false),
            ],
        );
        assert!((pieces[1].walk_min_start.unwrap() - 50.0 / 80.0).abs() < 1e-9);
        assert!((pieces[1].walk_min_end.unwrap() - 50.0 / 80.0).abs() < 1e-9);
        assert!((pieces[0].walk_min_start.unwrap() - mid / 80.0).abs() < 1e-9);
    }

    #[test]
    fn bands_cut_an_edge_at_each_threshold_and_keep_the_own_cover() {
        // A center mid-edge (l/2 from either end, l = 222.4 m) on one edge: bands of
        // 30, 50 and 80 m cut it symmetrically; the run's own threshold is 50 m.
        let network = WalkNetwork::from_roads(
            &[line(&[[0.0, 0.0], [2.0 * DEG, 0.0]])],
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let costs = WalkCosts::flat(&network);
        let result =
            compute_coverage(&network, &costs, &[point(DEG, 0.0)], &[], &params(50.0)).unwrap();
        let pieces = network_reach_in_bands(&network, &costs, &result, &[30.0, 50.0, 80.0]);
        let mid = network.edge_length_m(EdgeId(0)) / 2.0;
        let got: Vec<(f64, f64, Option<usize>, bool)> = pieces
            .iter()
            .map(|p| {
                (
                    p.from_offset_m - mid,
                    p.to_offset_m - mid,
                    p.band,
                    p.covered,
                )
            })
            .collect();
        let expected = [
            (-mid, -80.0, None, false),
            (-80.0, -50.0, Some(2), false),
            (-50.0, -30.0, Some(1), true),
            (-30.0, 30.0, Some(0), true),
            (30.0, 50.0, Some(1), true),
            (50.0, 80.0, Some(2), false),
            (80.0, mid, None, false),
        ];
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for (g, e) in got.iter().zip(&expected) {
            assert!(
                (g.0 - e.0).abs() < 1e-9 && (g.1 - e.1).abs() < 1e-9,
                "{got:?}"
            );
            assert_eq!((g.2, g.3), (e.2, e.3), "{got:?}");
        }
        // One band, the run's own: the plain split, band 0 exactly where covered.
        let one = network_reach_in_bands(&network, &costs, &result, &[50.0]);
        assert_eq!(one, network_reach(&network, &costs, &result));
        assert!(one.iter().all(|p| p.covered == (p.band == Some(0))));
    }

    #[test]
    fn edge_covered_from_both_ends_has_an_uncovered_middle() {
        // A - B - C - D with centers at A and D; the middle edge B-C is reached for
        // 150 - l metres from each end.
        let network = straight(3);
        let costs = WalkCosts::flat(&network);
        let centers = [point(0.0, 0.0), point(3.0 * DEG, 0.0)];
        let result = compute_coverage(&network, &costs, &centers, &[], &params(150.0)).unwrap();
        let pieces = network_reach(&network, &costs, &result);
        let l = edge_len();
        let reach = 150.0 - l;
        assert_pieces(
            &pieces,
            &[
                (0, 0.0, l, true),
                (1, 0.0, reach, true),
                (1, reach, l - reach, false),
                (1, l - reach, l, true),
                (2, 0.0, l, true),
            ],
        );
        let middle = &pieces[2];
        assert!((middle.walk_min_start.unwrap() - 150.0 / 80.0).abs() < 1e-9);
        assert!((middle.walk_min_end.unwrap() - 150.0 / 80.0).abs() < 1e-9);
    }

    #[test]
    fn directional_costs_use_each_direction_rate() {
        // One edge, center at its first node; walking back towards the center
        // (backward) costs twice the length, so 150 cost reaches 75 m.
        let network = WalkNetwork::from_roads(
            &[line(&[[0.0, 0.0], [2.0 * DEG, 0.0]])],
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let l = network.edge_length_m(EdgeId(0));
        let costs = WalkCosts::from_edge_costs(&network, vec![l], vec![2.0 * l]);
        let result =
            compute_coverage(&network, &costs, &[point(0.0, 0.0)], &[], &params(150.0)).unwrap();
        let pieces = network_reach(&network, &costs, &result);
        assert_pieces(&pieces, &[(0, 0.0, 75.0, true), (0, 75.0, l, false)]);
        assert!((pieces[0].walk_min_end.unwrap() - 150.0 / 80.0).abs() < 1e-9);
    }

    #[test]
    fn unreachable_edges_are_one_uncovered_piece_without_times() {
        // Two separate roads; the center is on the first one.
        let lines = [
            line(&[[0.0, 0.0], [DEG, 0.0]]),
            line(&[[0.0, 0.01], [DEG, 0.01]]),
        ];
        let network = WalkNetwork::from_roads(
            &lines,
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let costs = WalkCosts::flat(&network);
        let result =
            compute_coverage(&network, &costs, &[point(0.0, 0.0)], &[], &params(500.0)).unwrap();
        let pieces = network_reach(&network, &costs, &result);
        assert_eq!(pieces.len(), 2);
        assert!(pieces[0].covered);
        assert!(!pieces[1].covered);
        assert_eq!(pieces[1].walk_min_start, None);
        assert_eq!(pieces[1].walk_min_end, None);
        assert_eq!(pieces[1].to_offset_m, network.edge_length_m(EdgeId(1)));
    }

    #[test]
    fn crossings_agree_with_sampled_walk_times() {
        // Brute force: sample the walk along each edge and compare with the pieces.
        let lines = [
            line(&[[0.0, 0.0], [DEG, 0.0], [DEG, DEG]]),
            line(&[[DEG, DEG], [3.0 * DEG, DEG]]),
            line(&[[DEG, 0.0], [3.0 * DEG, 0.0], [3.0 * DEG, DEG]]),
            line(&[[0.0, 0.0], [0.0, 2.0 * DEG], [DEG, DEG]]),
        ];
        let network = WalkNetwork::from_roads(
            &lines,
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let costs = WalkCosts::flat(&network);
        let centers = [point(0.0005, 0.0), point(2.5 * DEG, DEG)];
        let p = params(180.0);
        let result = compute_coverage(&network, &costs, &centers, &[], &p).unwrap();
        let pieces = network_reach(&network, &costs, &result);
        for piece in &pieces {
            for k in 1..20 {
                let x = piece.from_offset_m
                    + (piece.to_offset_m - piece.from_offset_m) * k as f64 / 20.0;
                let walk = walk_from_position(
                    &network,
                    &costs,
                    &result.search,
                    &result.snapped_centers,
                    piece.edge,
                    x,
                )
                .unwrap();
                assert_eq!(walk.cost_m <= 180.0, piece.covered, "{piece:?} at {x}");
            }
        }
        // Pieces tile every edge.
        for e in 0..network.edge_count() {
            let on: Vec<&ReachPiece> = pieces.iter().filter(|p| p.edge.0 == e as u32).collect();
            assert_eq!(on[0].from_offset_m, 0.0);
            assert_eq!(
                on.last().unwrap().to_offset_m,
                network.edge_length_m(EdgeId(e as u32))
            );
            for w in on.windows(2) {
                assert_eq!(w[0].to_offset_m, w[1].from_offset_m);
                assert_ne!(w[0].covered, w[1].covered);
            }
        }
    }
}
