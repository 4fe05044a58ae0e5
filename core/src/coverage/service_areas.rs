//! Service areas: the network each center reaches within the threshold, as a polygon.

use std::collections::BTreeMap;

use geo::algorithm::buffer::{Buffer, BufferStyle, LineCap, LineJoin};
use geo::{
    unary_union, Area, Coord, LineString, MapCoords, MultiLineString, MultiPolygon, Simplify,
};

use super::compute::CoverageResult;
use super::reach::reached_intervals;
use crate::features::PointFeature;
use crate::network::{EdgeId, Snap, WalkNetwork};
use crate::parallel::map_heavy_in_order;
use crate::routing::{MultiSourceSearch, Seed, WalkCosts};

/// Half-width, in metres, of the band drawn around the reached footpaths to turn them
/// into an area.
///
/// A service area is a set of paths, not a disc; the band makes it a polygon a map can
/// fill. 25 m takes in the building frontages along a path (residents of those
/// buildings use that path) while staying under half the spacing of typical urban
/// parallel streets (60–120 m), so streets the walk does not reach are not swallowed.
pub const SERVICE_AREA_BUFFER_M: f64 = 25.0;

/// Tolerance, in metres, of the Ramer–Douglas–Peucker simplification of the polygons,
/// and the most a round join or cap may fall inside the true circle: well below
/// [`SERVICE_AREA_BUFFER_M`], invisible on a map, and it keeps output files small.
const SIMPLIFY_M: f64 = 1.0;

/// What one center reaches on its own within the threshold, whether or not it is the
/// nearest center there.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceArea {
    /// Index of the center in the centers given.
    pub center: usize,
    /// The center's id.
    pub center_id: String,
    /// Length of footpath reached within the threshold, metres (partial edges counted
    /// up to the exact crossing).
    pub reached_length_m: f64,
    /// Planar area of `polygon` in the network's local projection, square metres.
    pub area_m2: f64,
    /// Population whose own walk to *this* center is within the threshold (residents
    /// also reached by a nearer center count here too).
    pub reachable_population: f64,
    /// Residents (demand points) counted in `reachable_population`.
    pub reachable_residents: usize,
    /// Population for which this center is the nearest and within the threshold (the
    /// exclusive figure of [`crate::coverage::CenterSummary::served_population`]).
    pub served_population: f64,
    /// The reached footpaths buffered by [`SERVICE_AREA_BUFFER_M`], `[lon, lat]`.
    /// Empty when the center's own access leg already exceeds the threshold.
    pub polygon: MultiPolygon<f64>,
}

/// A resident on the network: `(edge, offset_m, access_m, resident index)`.
type OnEdge = (u32, f64, f64, usize);

/// Computes the service area of every center that snapped to the network.
///
/// For each center separately, a search bounded by the threshold cost runs from that
/// center alone (so areas overlap where centers compete). Every edge touching a reached
/// node, plus the center's own edge, is cut exactly where the walk cost reaches the
/// threshold, from either end and from the center itself (the same closed-form cut as
/// [`crate::coverage::network_reach`]). The reached pieces are buffered by
/// [`SERVICE_AREA_BUFFER_M`] in the local projection, simplified by 1 m and returned in
/// lon/lat. `reachable_population` counts each resident whose walk (access leg
/// included, as in [`crate::coverage::compute_coverage`]) to this center is within the threshold.
///
/// `costs` must be the costs `result` was computed with, and `centers` and `demand` the
/// inputs of that run. Centers too far from the network get no area; output is in
/// center order.
///
/// Complexity: O(V + D log D) once, then per center O((V' + E') log V' + R' + S' log S')
/// for the V' nodes and E' arcs within the threshold, the R' residents on reached
/// edges and the S' reached segments buffered (overlay work, in practice, thanks to tiling).
///
/// ```
/// use lifecircle::{features::{PointFeature, RoadLine}, CoverageParams};
/// use lifecircle::coverage::{compute_coverage, service_areas};
/// use lifecircle::network::{NetworkParams, WalkNetwork};
/// use lifecircle::routing::WalkCosts;
/// let line = RoadLine { coords: vec![[0.0, 0.0], [0.004, 0.0]], elevations_m: None,
///     osm_node_ids: None, tags: Default::default(), source_index: 0 };
/// let network = WalkNetwork::from_roads(&[line], &NetworkParams { min_component_nodes: 1 }).unwrap();
/// let costs = WalkCosts::flat(&network);
/// let center = PointFeature { id: "c".into(), lon: 0.002, lat: 0.0, population: 1.0,
///     properties: Default::default(), source_index: 0 };
/// // 100 m at 80 m/min: 100 m each way along the road.
/// let params = CoverageParams { threshold_min: 1.25, ..Default::default() };
/// let centers = [center];
/// let result = compute_coverage(&network, &costs, &centers, &[], &params).unwrap();
/// let areas = service_areas(&network, &costs, &result, &centers, &[]);
/// assert_eq!(areas.len(), 1);
/// assert!((areas[0].reached_length_m - 200.0).abs() < 1e-6);
/// ```
pub fn service_areas(
    network: &WalkNetwork,
    costs: &WalkCosts,
    result: &CoverageResult,
    centers: &[PointFeature],
    demand: &[PointFeature],
) -> Vec<ServiceArea> {
    let limit_m = result.threshold_cost_m();

    let mut seeds_by_center: Vec<Vec<Seed>> = vec![Vec::new(); result.centers.len()];
    for seed in result.snapped_centers.seeds(network, costs) {
        seeds_by_center[seed.source as usize].push(seed);
    }
    let mut served = vec![0.0; result.centers.len()];
    for (point, r) in demand.iter().zip(&result.demand) {
        if let (true, Some(c)) = (r.covered, r.nearest_center) {
            served[c.index()] += point.population;
        }
    }
    let mut residents: Vec<OnEdge> = result
        .demand
        .iter()
        .enumerate()
        .take(demand.len())
        .filter_map(|(i, r)| r.snap.map(|s| (s.edge.0, s.offset_m, s.access_m, i)))
        .collect();
    residents.sort_by_key(|r| (r.0, r.3));

    let shared = Shared {
        network,
        costs,
        demand,
        residents: &residents,
        limit_m,
    };
    let centers_on_network: Vec<(usize, Snap)> = result
        .centers
        .iter()
        .enumerate()
        .filter_map(|(c, center)| center.snap.map(|snap| (c, snap)))
        .collect();
    // Each center's search and buffer are independent: one center per task.
    map_heavy_in_order(
        &centers_on_network,
        || Scratch {
            search: MultiSourceSearch::new(network),
            edges: Vec::new(),
            intervals: Vec::new(),
        },
        |scratch, &(c, snap)| {
            let mut area = center_area(&shared, scratch, &seeds_by_center[c], snap);
            area.center = c;
            area.center_id = centers
                .get(c)
                .map_or_else(|| c.to_string(), |p| p.id.clone());
            area.served_population = served[c];
            area
        },
    )
}

/// What every center's area reads.
struct Shared<'a> {
    network: &'a WalkNetwork,
    costs: &'a WalkCosts,
    demand: &'a [PointFeature],
    /// Residents on the network, by edge.
    residents: &'a [OnEdge],
    limit_m: f64,
}

/// Buffers reused from one center to the next on a thread.
struct Scratch {
    search: MultiSourceSearch,
    edges: Vec<u32>,
    intervals: Vec<(f64, f64)>,
}

/// The area of the center snapped at `snap` with `seeds`; `center`, `center_id` and
/// `served_population` are left for the caller.
fn center_area(shared: &Shared, scratch: &mut Scratch, seeds: &[Seed], snap: Snap) -> ServiceArea {
    let Shared {
        network,
        costs,
        demand,
        residents,
        limit_m,
    } = *shared;
    let projection = network.projection();
    let Scratch {
        search,
        edges,
        intervals,
    } = scratch;
    search.run(network, costs, seeds, limit_m);

    edges.clear();
    for v in search.reached() {
        edges.extend_from_slice(&network.arc_edges()[network.arcs(v.0)]);
    }
    edges.push(snap.edge.0);
    edges.sort_unstable();
    edges.dedup();

    let mut lines: Vec<LineString<f64>> = Vec::new();
    let mut reached_length_m = 0.0;
    let mut reachable_population = 0.0;
    let mut reachable_residents = 0;
    for &e in edges.iter() {
        let edge = EdgeId(e);
        let (from, to) = network.edge_nodes(edge);
        let node_costs = [search.cost_m(from), search.cost_m(to)];
        let own = (edge == snap.edge).then_some((snap.offset_m, snap.access_m));
        reached_intervals(network, costs, edge, node_costs, own, limit_m, intervals);
        for &(lo, hi) in intervals.iter() {
            if hi > lo {
                reached_length_m += hi - lo;
                lines.push(to_xy_line(
                    network.edge_geometry_between(edge, lo, hi),
                    projection,
                ));
            }
        }
        if intervals.is_empty() {
            continue;
        }
        let length = network.edge_length_m(edge);
        let start = residents.partition_point(|r| r.0 < e);
        for &(_, offset, access, i) in residents[start..].iter().take_while(|r| r.0 == e) {
            let mut best = f64::INFINITY;
            for (cost, end) in [(node_costs[0], 0.0), (node_costs[1], length)] {
                if let Some(cost) = cost {
                    best = best.min(costs.partial_m(network, edge, offset, end) + cost);
                }
            }
            if let Some((center_offset, center_access)) = own {
                best =
                    best.min(costs.partial_m(network, edge, offset, center_offset) + center_access);
            }
            if best + access <= limit_m {
                reachable_population += demand[i].population;
                reachable_residents += 1;
            }
        }
    }
    if lines.is_empty() && snap.access_m <= limit_m {
        // Nothing but the center's own point is reached: a disc around it.
        let p = projection.to_xy(snap.lonlat);
        lines.push(LineString::from(vec![p, p]));
    }
    let polygon_xy = if lines.is_empty() {
        MultiPolygon::new(Vec::new())
    } else {
        buffer_lines(lines).simplify(SIMPLIFY_M)
    };
    let area_m2 = polygon_xy.unsigned_area();
    let polygon = polygon_xy.map_coords(|c| {
        let [x, y] = projection.to_lonlat([c.x, c.y]);
        Coord { x, y }
    });
    ServiceArea {
        center: 0,
        center_id: String::new(),
        reached_length_m,
        area_m2,
        reachable_population,
        reachable_residents,
        served_population: 0.0,
        polygon,
    }
}

/// Side of the square tiles the reached lines are grouped into before buffering, metres.
///
/// The overlay behind [`Buffer`] slows down much faster than linearly with the number
/// of overlapping outlines (every node of a path network is a pile of round caps). So
/// lines are buffered tile by tile (by their first vertex) and the tile outlines merged
/// by a quadtree of unions, each of few, already dissolved, outlines. On the Gothenburg
/// network this is about 8 times faster than one buffer of all lines; tiles of 10–30 m
/// all do about as well.
const BUFFER_TILE_M: f64 = 20.0;

/// The lines (local metres) buffered by [`SERVICE_AREA_BUFFER_M`] with round joins and
/// caps whose arcs deviate from a true circle by at most [`SIMPLIFY_M`] (finer arcs
/// would be simplified away anyway).
///
/// Complexity: O(S log S) overlay work for S segments in practice, since each union
/// sees only the dissolved outlines of neighbouring tiles.
fn buffer_lines(lines: Vec<LineString<f64>>) -> MultiPolygon<f64> {
    let arc_step = 2.0 * (1.0 - SIMPLIFY_M / SERVICE_AREA_BUFFER_M).acos();
    let style = BufferStyle::new(SERVICE_AREA_BUFFER_M)
        .line_join(LineJoin::Round(arc_step))
        .line_cap(LineCap::Round(arc_step));
    let mut tiles: BTreeMap<(i64, i64), Vec<LineString<f64>>> = BTreeMap::new();
    for line in lines {
        let first = line.0[0];
        let key = (
            (first.x / BUFFER_TILE_M).floor() as i64,
            (first.y / BUFFER_TILE_M).floor() as i64,
        );
        tiles.entry(key).or_default().push(line);
    }
    let min_x = tiles.keys().map(|k| k.0).min().unwrap_or(0);
    let min_y = tiles.keys().map(|k| k.1).min().unwrap_or(0);
    let mut level: BTreeMap<(i64, i64), MultiPolygon<f64>> = tiles
        .into_iter()
        .map(|((x, y), group)| {
            (
                (x - min_x, y - min_y),
                MultiLineString::new(group).buffer_with_style(style.clone()),
            )
        })
        .collect();
    while level.len() > 1 {
        let mut next: BTreeMap<(i64, i64), Vec<MultiPolygon<f64>>> = BTreeMap::new();
        for ((x, y), part) in level {
            next.entry((x / 2, y / 2)).or_default().push(part);
        }
        level = next
            .into_iter()
            .map(|(key, parts)| {
                let merged = if parts.len() == 1 {
                    parts.into_iter().next().expect("one part")
                } else {
                    unary_union(&parts)
                };
                (key, merged)
            })
            .collect();
    }
    level
        .pop_first()
        .map(|(_, p)| p)
        .unwrap_or_else(|| MultiPolygon::new(Vec::new()))
}

fn to_xy_line(
    lonlat: Vec<[f64; 2]>,
    projection: &crate::geodesy::LocalProjection,
) -> LineString<f64> {
    LineString::from(
        lonlat
            .into_iter()
            .map(|p| projection.to_xy(p))
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::{compute_coverage, summarize};
    use crate::features::RoadLine;
    use crate::network::NetworkParams;
    use crate::test_support::line;
    use crate::CoverageParams;
    use geo::{Contains, Point};

    const DEG: f64 = 0.001;

    fn point(id: &str, lon: f64, lat: f64, population: f64) -> PointFeature {
        PointFeature {
            id: id.into(),
            lon,
            lat,
            population,
            properties: Default::default(),
            source_index: 0,
        }
    }

    fn network(lines: &[RoadLine]) -> WalkNetwork {
        WalkNetwork::from_roads(
            lines,
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

    /// `metres` east of the origin along the equator, `[lon, lat]`.
    fn east(metres: f64, north: f64) -> Point<f64> {
        let deg = 180.0 / (std::f64::consts::PI * crate::geodesy::EARTH_RADIUS_M);
        Point::new(metres * deg, north * deg)
    }

    #[test]
    fn straight_line_with_a_center_in_the_middle() {
        // A 5-edge road of about 556 m along the equator, center at its middle.
        let lines: Vec<RoadLine> = (0..5)
            .map(|i| line(&[[i as f64 * DEG, 0.0], [(i + 1) as f64 * DEG, 0.0]]))
            .collect();
        let network = network(&lines);
        let costs = WalkCosts::flat(&network);
        let centers = [point("mid", 2.5 * DEG, 0.0, 1.0)];
        let result = compute_coverage(&network, &costs, &centers, &[], &params(150.0)).unwrap();
        let areas = service_areas(&network, &costs, &result, &centers, &[]);
        assert_eq!(areas.len(), 1);
        let area = &areas[0];
        assert_eq!(area.center_id, "mid");
        assert!(
            (area.reached_length_m - 300.0).abs() < 1e-6,
            "{}",
            area.reached_length_m
        );
        let b = SERVICE_AREA_BUFFER_M;
        let expected = 2.0 * b * 300.0 + std::f64::consts::PI * b * b;
        assert!(
            (area.area_m2 - expected).abs() / expected < 0.03,
            "{} vs {expected}",
            area.area_m2
        );
        let mid = 2.5 * DEG / (180.0 / (std::f64::consts::PI * crate::geodesy::EARTH_RADIUS_M));
        // Inside: on the reached road and a little beside it.
        for (dx, dy) in [(0.0, 0.0), (140.0, 0.0), (-140.0, 10.0), (100.0, -20.0)] {
            assert!(
                area.polygon.contains(&east(mid + dx, dy)),
                "({dx}, {dy}) should be inside"
            );
        }
        // Outside: beyond the threshold along the road, or too far beside it.
        for (dx, dy) in [(200.0, 0.0), (-200.0, 0.0), (0.0, 40.0), (0.0, -40.0)] {
            assert!(
                !area.polygon.contains(&east(mid + dx, dy)),
                "({dx}, {dy}) should be outside"
            );
        }
    }

    #[test]
    fn reachable_population_counts_residents_a_nearer_center_serves() {
        // Road of 4 edges (~445 m); centers at 0 and at 2 edges (~222 m). The threshold
        // is 150 m, so r1 (122 m from a, 100 m from b) is reachable from both but served
        // by b only.
        let lines: Vec<RoadLine> = (0..4)
            .map(|i| line(&[[i as f64 * DEG, 0.0], [(i + 1) as f64 * DEG, 0.0]]))
            .collect();
        let network = network(&lines);
        let costs = WalkCosts::flat(&network);
        let centers = [point("a", 0.0, 0.0, 1.0), point("b", 2.0 * DEG, 0.0, 1.0)];
        let demand = [
            point("r0", 0.2 * DEG, 0.0, 10.0),   // 22 m from a, 200 m from b
            point("r1", 1.1 * DEG, 0.0, 20.0),   // 122 m from a, 100 m from b
            point("r2", 3.0 * DEG, 0.0, 40.0),   // 111 m from b only
            point("r3", 4.0 * DEG, 0.0, 80.0),   // 222 m from b: beyond
            point("r4", 1.1 * DEG, 0.0003, 5.0), // 33 m access + 100 m from b, 155 m from a
        ];
        let result = compute_coverage(&network, &costs, &centers, &demand, &params(150.0)).unwrap();
        let areas = service_areas(&network, &costs, &result, &centers, &demand);
        assert_eq!(areas.len(), 2);
        assert_eq!(areas[0].reachable_population, 10.0 + 20.0);
        assert_eq!(areas[0].reachable_residents, 2);
        assert_eq!(areas[0].served_population, 10.0);
        assert_eq!(areas[1].reachable_population, 20.0 + 40.0 + 5.0);
        assert_eq!(areas[1].served_population, 20.0 + 40.0 + 5.0);
        let summary = summarize(&result, &centers, &demand, &[]);
        for (area, s) in areas.iter().zip(&summary.per_center) {
            assert_eq!(area.served_population, s.served_population);
            assert!(area.reachable_population >= area.served_population);
        }
    }

    #[test]
    fn reachable_residents_match_a_single_center_coverage_run() {
        // Oracle: for each center alone, compute_coverage's covered residents are the
        // reachable ones of the service area.
        let mut lines = Vec::new();
        for i in 0..4 {
            for j in 0..4 {
                let (x, y) = (i as f64 * DEG, j as f64 * DEG);
                if i < 3 {
                    lines.push(line(&[[x, y], [x + DEG, y]]));
                }
                if j < 3 {
                    lines.push(line(&[[x, y], [x, y + DEG + 0.0002 * i as f64]]));
                }
            }
        }
        let network = network(&lines);
        let costs = WalkCosts::flat(&network);
        let centers = [
            point("a", 0.5 * DEG, 1.0 * DEG, 1.0),
            point("b", 2.0 * DEG, 2.3 * DEG, 1.0),
            point("c", 3.0 * DEG, 0.0, 1.0),
        ];
        let demand: Vec<PointFeature> = (0..60)
            .map(|k| {
                let (i, j) = (k % 8, k / 8);
                point(
                    &format!("r{k}"),
                    i as f64 * 0.43 * DEG + 0.01 * DEG,
                    j as f64 * 0.41 * DEG + 0.07 * DEG,
                    1.0 + k as f64,
                )
            })
            .collect();
        let p = params(260.0);
        let result = compute_coverage(&network, &costs, &centers, &demand, &p).unwrap();
        let areas = service_areas(&network, &costs, &result, &centers, &demand);
        for (c, area) in areas.iter().enumerate() {
            let alone = compute_coverage(&network, &costs, &centers[c..=c], &demand, &p).unwrap();
            let expected: f64 = demand
                .iter()
                .zip(&alone.demand)
                .filter(|(_, r)| r.covered)
                .map(|(d, _)| d.population)
                .sum();
            assert_eq!(area.reachable_population, expected, "center {c}");
            assert!(area.reachable_residents > 0);
            assert!(!area.polygon.0.is_empty());
        }
    }

    #[test]
    fn centers_too_far_from_the_network_get_no_area() {
        let network = network(&[line(&[[0.0, 0.0], [DEG, 0.0]])]);
        let costs = WalkCosts::flat(&network);
        let centers = [point("far", 0.0, 0.1, 1.0), point("near", 0.0, 0.0, 1.0)];
        let result = compute_coverage(&network, &costs, &centers, &[], &params(50.0)).unwrap();
        let areas = service_areas(&network, &costs, &result, &centers, &[]);
        assert_eq!(areas.len(), 1);
        assert_eq!(areas[0].center, 1);
        assert!((areas[0].reached_length_m - 50.0).abs() < 1e-6);
    }
}
