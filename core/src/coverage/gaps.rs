//! Gap areas: clusters of uncovered residents, ranked by population.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use geo::algorithm::buffer::{Buffer, BufferStyle, LineCap, LineJoin};
use geo::{Area, ConvexHull, Coord, LineString, MapCoords, MultiPoint, Polygon};

use super::compute::{CoverageResult, DemandStatus};
use crate::features::PointFeature;
use crate::network::WalkNetwork;
use crate::parallel::map_heavy_in_order;

/// Vertices of a full circle in gap outlines (a lone resident is a 16-gon; hull corners
/// are rounded with the same step).
const GAP_CIRCLE_SEGMENTS: usize = 16;

/// A cluster of uncovered residents: people who are not within the threshold walk of
/// any center and live within `gap_link_m` of one another (single linkage) — a *linked
/// area* — or one piece of such an area that a single new center could close
/// ([`super::find_gap_pieces`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GapArea {
    /// Position by population, 1 for the largest gap.
    pub rank: usize,
    /// Rank of the linked area the gap lies in (its own rank for a linked area).
    pub area: usize,
    /// For a piece: the point of the network (in front of one of its residents' places)
    /// from which every resident of the piece is within the threshold walk, `[lon,
    /// lat]` — a new center there closes the piece. `None` for linked areas, and for
    /// pieces of residents no site on the network can bring within the threshold (too
    /// far from the network).
    pub site_lonlat: Option<[f64; 2]>,
    /// Widest straight-line distance between two of its residents, metres.
    pub width_m: f64,
    /// Population of the gap (unreachable residents included).
    pub population: f64,
    /// Residents (demand points) in the gap.
    pub residents: usize,
    /// Population with no walk at all (too far from the network, or no path).
    pub unreachable_population: f64,
    /// Residents farther than `max_snap_m` from the network.
    pub too_far_from_network_residents: usize,
    /// Residents on a part of the network without a center.
    pub no_path_residents: usize,
    /// Population-weighted mean walk time of the residents with a walk, minutes.
    pub mean_walk_min: Option<f64>,
    /// Longest walk time of the residents with a walk, minutes.
    pub max_walk_min: Option<f64>,
    /// Population-weighted centroid of the residents, `[lon, lat]` (the plain mean when
    /// the population is zero).
    pub centroid_lonlat: [f64; 2],
    /// Outline, `[lon, lat]`: the convex hull of the residents buffered by
    /// `gap_link_m / 2` (a circle of that radius for a single place).
    pub polygon: Polygon<f64>,
    /// Indexes (into the demand given) of the residents, ascending.
    pub resident_indexes: Vec<usize>,
}

/// Union-find over `0..n`; the root of a set is always its smallest element, so the
/// partition and its representatives do not depend on the order of unions.
struct DisjointSets(Vec<usize>);

impl DisjointSets {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Single-linkage clusters of `points` (local metres) at distance `link_m`, as lists of
/// point numbers (ascending), ordered by their first member.
///
/// Points are bucketed in a grid of cells `link_m / √2` wide, so any two points of a
/// cell are linked; cells up to two apart are compared pair by pair, stopping at the
/// first link or when the two cells are already joined.
fn single_linkage(points: &[[f64; 2]], link_m: f64) -> Vec<Vec<usize>> {
    let cell = link_m / std::f64::consts::SQRT_2;
    let link2 = link_m * link_m;
    let mut cells: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (i, p) in points.iter().enumerate() {
        let key = ((p[0] / cell).floor() as i64, (p[1] / cell).floor() as i64);
        cells.entry(key).or_default().push(i);
    }
    let mut sets = DisjointSets((0..points.len()).collect());
    for members in cells.values() {
        for &i in &members[1..] {
            sets.union(members[0], i);
        }
    }
    for (&(cx, cy), members) in &cells {
        for dx in -2i64..=2 {
            for dy in -2i64..=2 {
                // Each unordered pair of cells once.
                if (dx, dy) <= (0, 0) {
                    continue;
                }
                let Some(others) = cells.get(&(cx + dx, cy + dy)) else {
                    continue;
                };
                if sets.find(members[0]) == sets.find(others[0]) {
                    continue;
                }
                'pairs: for &i in members {
                    for &j in others {
                        let (a, b) = (points[i], points[j]);
                        if (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) <= link2 {
                            sets.union(i, j);
                            break 'pairs;
                        }
                    }
                }
            }
        }
    }
    let mut group_of_root = vec![usize::MAX; points.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..points.len() {
        let root = sets.find(i);
        if group_of_root[root] == usize::MAX {
            group_of_root[root] = groups.len();
            groups.push(Vec::new());
        }
        groups[group_of_root[root]].push(i);
    }
    groups
}

/// A regular `GAP_CIRCLE_SEGMENTS`-gon of radius `r` around `c` (counter-clockwise).
fn circle(c: [f64; 2], r: f64) -> Polygon<f64> {
    let mut ring: Vec<Coord<f64>> = (0..GAP_CIRCLE_SEGMENTS)
        .map(|k| {
            let a = 2.0 * PI * k as f64 / GAP_CIRCLE_SEGMENTS as f64;
            Coord {
                x: c[0] + r * a.cos(),
                y: c[1] + r * a.sin(),
            }
        })
        .collect();
    ring.push(ring[0]);
    Polygon::new(LineString::new(ring), Vec::new())
}

/// The convex hull of `points` (local metres) buffered by `r`.
fn hull_outline(points: &[[f64; 2]], r: f64) -> Polygon<f64> {
    let lex = |a: &&[f64; 2], b: &&[f64; 2]| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1]));
    let (lo, hi) = (
        *points.iter().min_by(lex).expect("a gap has a resident"),
        *points.iter().max_by(lex).expect("a gap has a resident"),
    );
    if lo == hi {
        return circle(lo, r);
    }
    let step = 2.0 * PI / GAP_CIRCLE_SEGMENTS as f64;
    let style = BufferStyle::new(r)
        .line_join(LineJoin::Round(step))
        .line_cap(LineCap::Round(step));
    let hull = MultiPoint::from(points.to_vec()).convex_hull();
    let extent2 = (hi[0] - lo[0]).powi(2) + (hi[1] - lo[1]).powi(2);
    let buffered = if hull.unsigned_area() <= 1e-9 * extent2 {
        // Collinear residents: the hull is the segment between the extreme points.
        LineString::from(vec![lo, hi]).buffer_with_style(style)
    } else {
        hull.buffer_with_style(style)
    };
    buffered
        .0
        .into_iter()
        .reduce(|a, b| {
            if b.unsigned_area() > a.unsigned_area() {
                b
            } else {
                a
            }
        })
        .unwrap_or_else(|| circle(lo, r))
}

/// Groups the residents who are not covered into gap areas, largest population first.
///
/// Every resident that is not covered takes part: those with a walk beyond the
/// threshold and those with none (too far from the network, or on a part of it
/// without a center; see the split counts). Two of them share a gap when their
/// straight-line distance (in the network's local projection) is at most
/// `result.params.gap_link_m`, and gaps are closed under that relation (single
/// linkage). Ties in population go to the gap holding the smaller resident index;
/// ranks run 1..n in that order.
///
/// `demand` must be the demand points of the run that gave `result`.
///
/// Complexity: O(U log U + P) for U uncovered residents and P pairs of residents in
/// neighbouring grid cells that are compared (at most one link found per pair of
/// cells), plus O(m log m) per gap of m residents for its hull and buffer.
///
/// ```
/// use lifecircle::{features::{PointFeature, RoadLine}, CoverageParams};
/// use lifecircle::coverage::{compute_coverage, find_gaps};
/// use lifecircle::network::{NetworkParams, WalkNetwork};
/// use lifecircle::routing::WalkCosts;
/// let line = RoadLine { coords: vec![[0.0, 0.0], [0.01, 0.0]], elevations_m: None,
///     osm_node_ids: None, tags: Default::default(), source_index: 0 };
/// let network = WalkNetwork::from_roads(&[line], &NetworkParams { min_component_nodes: 1 }).unwrap();
/// let costs = WalkCosts::flat(&network);
/// let point = |lon: f64| PointFeature { id: lon.to_string(), lon, lat: 0.0, population: 1.0,
///     properties: Default::default(), source_index: 0 };
/// let centers = [point(0.0)];
/// // Two residents 1 km out, 56 m apart, and one near the center.
/// let demand = [point(0.009), point(0.0095), point(0.001)];
/// let result = compute_coverage(&network, &costs, &centers, &demand, &CoverageParams::default()).unwrap();
/// let gaps = find_gaps(&network, &result, &demand);
/// assert_eq!(gaps.len(), 1);
/// assert_eq!(gaps[0].resident_indexes, vec![0, 1]);
/// assert_eq!(gaps[0].population, 2.0);
/// ```
pub fn find_gaps(
    network: &WalkNetwork,
    result: &CoverageResult,
    demand: &[PointFeature],
) -> Vec<GapArea> {
    let areas = linked_areas(network, result, demand);
    let numbered: Vec<(usize, &Vec<usize>)> = areas.iter().enumerate().collect();
    let mut gaps = map_heavy_in_order(
        &numbered,
        || (),
        |(), &(a, members)| {
            let mut gap = gap_area(network, result, demand, members);
            gap.area = a + 1;
            gap
        },
    );
    rank_gaps(&mut gaps);
    gaps
}

/// The residents of each linked area (demand indexes, ascending), the area with the
/// most population first (ties: the smaller first resident index).
pub(super) fn linked_areas(
    network: &WalkNetwork,
    result: &CoverageResult,
    demand: &[PointFeature],
) -> Vec<Vec<usize>> {
    let projection = network.projection();
    let uncovered: Vec<usize> = result
        .demand
        .iter()
        .take(demand.len())
        .enumerate()
        .filter(|(_, r)| !r.covered)
        .map(|(i, _)| i)
        .collect();
    let points: Vec<[f64; 2]> = uncovered
        .iter()
        .map(|&i| projection.to_xy([demand[i].lon, demand[i].lat]))
        .collect();
    let mut areas: Vec<(f64, Vec<usize>)> = single_linkage(&points, result.params.gap_link_m)
        .into_iter()
        .map(|members| {
            let members: Vec<usize> = members.iter().map(|&m| uncovered[m]).collect();
            let population = members.iter().map(|&i| demand[i].population).sum();
            (population, members)
        })
        .collect();
    areas.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1[0].cmp(&b.1[0])));
    areas.into_iter().map(|(_, members)| members).collect()
}

/// Sorts gaps by population, most first (ties: the smaller first resident index), and
/// numbers them 1..n.
pub(super) fn rank_gaps(gaps: &mut [GapArea]) {
    gaps.sort_by(|a, b| {
        b.population
            .total_cmp(&a.population)
            .then(a.resident_indexes[0].cmp(&b.resident_indexes[0]))
    });
    for (k, gap) in gaps.iter_mut().enumerate() {
        gap.rank = k + 1;
    }
}

/// The gap of `members` (demand indexes, ascending, at least one): its figures, centroid,
/// outline and width; `rank`, `area` and `site_lonlat` are left for the caller.
pub(super) fn gap_area(
    network: &WalkNetwork,
    result: &CoverageResult,
    demand: &[PointFeature],
    members: &[usize],
) -> GapArea {
    let projection = network.projection();
    let points: Vec<[f64; 2]> = members
        .iter()
        .map(|&i| projection.to_xy([demand[i].lon, demand[i].lat]))
        .collect();
    let mut gap = GapArea {
        rank: 0,
        area: 0,
        site_lonlat: None,
        width_m: width_m(&points),
        population: 0.0,
        residents: members.len(),
        unreachable_population: 0.0,
        too_far_from_network_residents: 0,
        no_path_residents: 0,
        mean_walk_min: None,
        max_walk_min: None,
        centroid_lonlat: [0.0, 0.0],
        polygon: Polygon::new(LineString::new(Vec::new()), Vec::new()),
        resident_indexes: members.to_vec(),
    };
    let (mut walk_sum, mut walk_weight) = (0.0, 0.0);
    let mut weighted = [0.0, 0.0];
    let mut plain = [0.0, 0.0];
    for (&i, p) in members.iter().zip(&points) {
        let (pop, r) = (demand[i].population, &result.demand[i]);
        gap.population += pop;
        for k in 0..2 {
            weighted[k] += pop * p[k];
            plain[k] += p[k];
        }
        match r.status {
            DemandStatus::Ok => {}
            DemandStatus::TooFarFromNetwork => gap.too_far_from_network_residents += 1,
            DemandStatus::NoPath => gap.no_path_residents += 1,
        }
        match r.walk_min {
            Some(w) => {
                walk_sum += w * pop;
                walk_weight += pop;
                gap.max_walk_min = Some(gap.max_walk_min.map_or(w, |x: f64| x.max(w)));
            }
            None => gap.unreachable_population += pop,
        }
    }
    if walk_weight > 0.0 {
        gap.mean_walk_min = Some(walk_sum / walk_weight);
    }
    let centroid = if gap.population > 0.0 {
        [weighted[0] / gap.population, weighted[1] / gap.population]
    } else {
        let n = members.len() as f64;
        [plain[0] / n, plain[1] / n]
    };
    gap.centroid_lonlat = projection.to_lonlat(centroid);
    gap.polygon = hull_outline(&points, result.params.gap_link_m / 2.0).map_coords(|c| {
        let [x, y] = projection.to_lonlat([c.x, c.y]);
        Coord { x, y }
    });
    gap
}

/// The widest distance between two of `points` (local metres): between two corners of
/// their convex hull.
fn width_m(points: &[[f64; 2]]) -> f64 {
    if points.len() < 2 {
        return 0.0;
    }
    let hull = MultiPoint::from(points.to_vec()).convex_hull();
    let corners: Vec<Coord<f64>> = hull.exterior().0.clone();
    // A degenerate hull (collinear points) may drop interior points but keeps the ends.
    let corners = if corners.len() < 2 {
        points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect()
    } else {
        corners
    };
    let mut widest2: f64 = 0.0;
    for (k, a) in corners.iter().enumerate() {
        for b in &corners[k + 1..] {
            widest2 = widest2.max((a.x - b.x).powi(2) + (a.y - b.y).powi(2));
        }
    }
    widest2.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::compute_coverage;
    use crate::features::RoadLine;
    use crate::network::NetworkParams;
    use crate::routing::WalkCosts;
    use crate::test_support::line;
    use crate::CoverageParams;
    use geo::{Contains, Point};

    const DEG: f64 = 0.001;

    fn point(lon: f64, lat: f64, population: f64) -> PointFeature {
        PointFeature {
            id: format!("{lon},{lat}"),
            lon,
            lat,
            population,
            properties: Default::default(),
            source_index: 0,
        }
    }

    /// A 1.1 km road along the equator with a center at its west end, plus a short
    /// road 5.5 km north with no center.
    fn fixture(demand: &[PointFeature]) -> (WalkNetwork, CoverageResult) {
        let mut lines: Vec<RoadLine> = (0..10)
            .map(|i| line(&[[i as f64 * DEG, 0.0], [(i + 1) as f64 * DEG, 0.0]]))
            .collect();
        lines.push(line(&[[0.0, 50.0 * DEG], [DEG, 50.0 * DEG]]));
        let network = WalkNetwork::from_roads(
            &lines,
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let costs = WalkCosts::flat(&network);
        let params = CoverageParams {
            threshold_min: 150.0 / 80.0,
            max_snap_m: 50.0,
            gap_link_m: 100.0,
            ..CoverageParams::default()
        };
        let result =
            compute_coverage(&network, &costs, &[point(0.0, 0.0, 1.0)], demand, &params).unwrap();
        (network, result)
    }

    #[test]
    fn hand_made_clusters() {
        let demand = [
            point(0.5 * DEG, 0.1 * DEG, 7.0),  // 0: covered
            point(5.0 * DEG, 0.2 * DEG, 1.0),  // 1: A
            point(5.5 * DEG, 0.2 * DEG, 2.0),  // 2: A (56 m from 1)
            point(6.0 * DEG, 0.2 * DEG, 3.0),  // 3: A (56 m from 2, 111 m from 1)
            point(9.0 * DEG, 0.1 * DEG, 10.0), // 4: B
            point(9.0 * DEG, 0.9 * DEG, 5.0),  // 5: B (89 m from 4), 100 m off the road
            point(0.0, 50.0 * DEG, 4.0),       // 6: C, on the road without a center
            point(7.2 * DEG, 0.2 * DEG, 1.0),  // 7: alone (133 m from 3)
            point(3.0 * DEG, 0.3 * DEG, 1.0),  // 8: alone
        ];
        let (network, result) = fixture(&demand);
        assert!(result.demand[0].covered);
        assert_eq!(result.demand[5].status, DemandStatus::TooFarFromNetwork);
        assert_eq!(result.demand[6].status, DemandStatus::NoPath);
        let gaps = find_gaps(&network, &result, &demand);
        let summary: Vec<(usize, f64, Vec<usize>)> = gaps
            .iter()
            .map(|g| (g.rank, g.population, g.resident_indexes.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (1, 15.0, vec![4, 5]),
                (2, 6.0, vec![1, 2, 3]),
                (3, 4.0, vec![6]),
                (4, 1.0, vec![7]),
                (5, 1.0, vec![8]),
            ]
        );

        let b = &gaps[0];
        assert_eq!(b.residents, 2);
        assert_eq!(b.unreachable_population, 5.0);
        assert_eq!(b.too_far_from_network_residents, 1);
        assert_eq!(b.no_path_residents, 0);
        assert_eq!(b.mean_walk_min, result.demand[4].walk_min);
        assert_eq!(b.max_walk_min, result.demand[4].walk_min);
        // Population-weighted centroid: 10 at 0.1, 5 at 0.9 (thousandths of a degree).
        assert!((b.centroid_lonlat[0] - 9.0 * DEG).abs() < 1e-12);
        assert!((b.centroid_lonlat[1] - (10.0 * 0.1 + 5.0 * 0.9) / 15.0 * DEG).abs() < 1e-12);

        let a = &gaps[1];
        let walks: Vec<f64> = [1, 2, 3]
            .iter()
            .map(|&i| result.demand[i].walk_min.unwrap())
            .collect();
        let mean = (walks[0] + 2.0 * walks[1] + 3.0 * walks[2]) / 6.0;
        assert!((a.mean_walk_min.unwrap() - mean).abs() < 1e-9);
        assert_eq!(a.max_walk_min, Some(walks[2]));
        assert_eq!(a.unreachable_population, 0.0);

        let c = &gaps[2];
        assert_eq!(c.no_path_residents, 1);
        assert_eq!(c.unreachable_population, 4.0);
        assert_eq!(c.mean_walk_min, None);
        assert_eq!(c.max_walk_min, None);
    }

    #[test]
    fn outlines_cover_members_within_half_the_link() {
        let demand = [
            point(5.0 * DEG, 0.2 * DEG, 1.0),
            point(5.5 * DEG, 0.2 * DEG, 1.0),
            point(6.0 * DEG, 0.2 * DEG, 1.0),
            point(5.5 * DEG, 0.6 * DEG, 1.0),
            point(8.0 * DEG, 0.2 * DEG, 1.0),
        ];
        let (network, result) = fixture(&demand);
        let gaps = find_gaps(&network, &result, &demand);
        assert_eq!(gaps.len(), 2);
        let metres = |m: f64| m / 111_195.08 * 1000.0 * DEG;
        // Hull of 4 residents, buffered by 50 m.
        let hull = &gaps[0].polygon;
        for p in &demand[..4] {
            assert!(hull.contains(&Point::new(p.lon, p.lat)));
        }
        assert!(hull.contains(&Point::new(5.5 * DEG, 0.2 * DEG - metres(45.0))));
        assert!(!hull.contains(&Point::new(5.5 * DEG, 0.2 * DEG - metres(55.0))));
        assert!(hull.contains(&Point::new(6.0 * DEG + metres(45.0), 0.2 * DEG)));
        assert!(!hull.contains(&Point::new(6.0 * DEG + metres(55.0), 0.2 * DEG)));
        // A lone resident gets a 16-gon of radius 50 m.
        let lone = &gaps[1];
        assert_eq!(lone.resident_indexes, vec![4]);
        assert_eq!(lone.polygon.exterior().0.len(), GAP_CIRCLE_SEGMENTS + 1);
        assert!(lone
            .polygon
            .contains(&Point::new(8.0 * DEG + metres(45.0), 0.2 * DEG)));
        assert!(!lone
            .polygon
            .contains(&Point::new(8.0 * DEG + metres(55.0), 0.2 * DEG)));
    }

    #[test]
    fn collinear_residents_get_a_rounded_band() {
        let demand = [
            point(5.0 * DEG, 0.2 * DEG, 1.0),
            point(5.5 * DEG, 0.2 * DEG, 1.0),
            point(6.0 * DEG, 0.2 * DEG, 1.0),
        ];
        let (network, result) = fixture(&demand);
        let gaps = find_gaps(&network, &result, &demand);
        assert_eq!(gaps.len(), 1);
        let polygon = gaps[0].polygon.map_coords(|c| {
            let [x, y] = network.projection().to_xy([c.x, c.y]);
            Coord { x, y }
        });
        // A 111 m segment buffered by 50 m: 2·50·111 + π·50².
        let expected = 100.0 * 111.195 + PI * 2500.0;
        let area = polygon.unsigned_area();
        assert!((area - expected).abs() / expected < 0.03, "{area}");
    }

    #[test]
    fn single_linkage_matches_brute_force() {
        // Deterministic pseudo-random points; brute-force connected components.
        let mut state = 12345u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let points: Vec<[f64; 2]> = (0..300)
            .map(|_| [next() * 2000.0 - 1000.0, next() * 2000.0 - 1000.0])
            .collect();
        let link = 90.0;
        let groups = single_linkage(&points, link);
        let mut sets = DisjointSets((0..points.len()).collect());
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                let (a, b) = (points[i], points[j]);
                if ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt() <= link {
                    sets.union(i, j);
                }
            }
        }
        let mut expected: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..points.len() {
            let root = sets.find(i);
            expected.entry(root).or_default().push(i);
        }
        let expected: Vec<Vec<usize>> = expected.into_values().collect();
        assert_eq!(groups, expected);
        assert!(groups.iter().any(|g| g.len() > 2));
    }
}
