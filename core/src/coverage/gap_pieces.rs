//! Gaps a planner can act on: each linked area of uncovered residents split into pieces
//! that one new center could close.
//!
//! Single linkage chains a sprawling uncovered district into one area (on a real city of
//! 208,000 addresses, 78 % of it). Within each area, sites are chosen farthest first
//! (Gonzalez's k-center rule, at most twice the fewest pieces of that radius): the
//! uncovered resident farthest from every site so far — the most populous first, then
//! the lowest index — gets a site on the network in front of it; every resident takes
//! the nearest site it walks to within the threshold; this repeats until everyone has
//! one. A center at a piece's site therefore brings every resident of the piece within
//! the threshold, and on flat ground no piece is wider than twice the threshold's walk.
//! Residents no site can reach (farther than the threshold from the network) are split
//! the same way by straight-line distance and get no site.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

use super::compute::{
    walk_from_position, CenterResult, CoverageResult, DemandStatus, SnappedCenters,
};
use super::gaps::{gap_area, linked_areas, rank_gaps, GapArea};
use crate::features::PointFeature;
use crate::network::{Snap, WalkNetwork};
use crate::parallel::map_heavy_in_order;
use crate::routing::{MultiSourceSearch, WalkCosts};

/// Gap pieces of `result`: every linked area ([`super::find_gaps`]) split into pieces
/// one new center could close, largest population first (ties: the smaller first
/// resident index), each with its area's rank and its site.
///
/// `costs` must be those of the run that gave `result`, `demand` its demand points.
///
/// Complexity: per area of n residents split into k pieces, k searches bounded by the
/// threshold plus O((n + w) log n) for w walks found within them.
pub fn find_gap_pieces(
    network: &WalkNetwork,
    costs: &WalkCosts,
    result: &CoverageResult,
    demand: &[PointFeature],
) -> Vec<GapArea> {
    let reach_m = result.threshold_cost_m();
    let areas = linked_areas(network, result, demand);
    // Areas split independently (the searches of one area run in turn: each site
    // depends on the ones before), then every piece's outline independently.
    let splits = map_heavy_in_order(
        &areas,
        || MultiSourceSearch::new(network),
        |search, members| split_area(network, costs, result, demand, members, reach_m, search),
    );
    let sited: Vec<(usize, Vec<usize>, Option<[f64; 2]>)> = splits
        .into_iter()
        .enumerate()
        .flat_map(|(a, split)| split.into_iter().map(move |(piece, site)| (a, piece, site)))
        .collect();
    let mut pieces = map_heavy_in_order(
        &sited,
        || (),
        |(), (a, piece, site)| {
            let mut gap = gap_area(network, result, demand, piece);
            gap.area = a + 1;
            gap.site_lonlat = *site;
            gap
        },
    );
    rank_gaps(&mut pieces);
    pieces
}

/// A resident waiting for a site: its distance to the nearest site so far, heaviest
/// population first on ties, then the lowest index.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Farthest {
    distance_m: f64,
    population: f64,
    local: usize,
}

impl Eq for Farthest {}

impl Ord for Farthest {
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance_m
            .total_cmp(&other.distance_m)
            .then(self.population.total_cmp(&other.population))
            .then(other.local.cmp(&self.local))
    }
}

impl PartialOrd for Farthest {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Farthest-first sites over `n` residents: `distances(site)` gives the distance of
/// residents to a new site at resident `site` (only those within `radius_m` matter).
/// Returns, per resident, the site (index into the returned sites) nearest to it.
fn farthest_first(
    populations: &[f64],
    radius_m: f64,
    mut distances: impl FnMut(usize, &mut dyn FnMut(usize, f64)),
) -> (Vec<usize>, Vec<usize>) {
    let n = populations.len();
    let mut nearest = vec![f64::INFINITY; n];
    let mut owner = vec![usize::MAX; n];
    let mut sites = Vec::new();
    let mut heap: BinaryHeap<Farthest> = (0..n)
        .map(|local| Farthest {
            distance_m: f64::INFINITY,
            population: populations[local],
            local,
        })
        .collect();
    while let Some(top) = heap.pop() {
        // Stale entries (the resident got nearer since) and residents already within
        // reach of a site are skipped.
        if top.distance_m != nearest[top.local] || nearest[top.local] <= radius_m {
            continue;
        }
        let site = sites.len();
        sites.push(top.local);
        distances(top.local, &mut |local, d| {
            if d <= radius_m && d < nearest[local] {
                nearest[local] = d;
                owner[local] = site;
                heap.push(Farthest {
                    distance_m: d,
                    population: populations[local],
                    local,
                });
            }
        });
        // A site's own resident is always its own (a walk to itself within the reach
        // is how residents were chosen to walk; see `split_area`).
        if owner[top.local] == usize::MAX {
            nearest[top.local] = 0.0;
            owner[top.local] = site;
        }
    }
    (sites, owner)
}

/// Splits one linked area: the pieces (demand indexes, ascending) with their sites.
fn split_area(
    network: &WalkNetwork,
    costs: &WalkCosts,
    result: &CoverageResult,
    demand: &[PointFeature],
    members: &[usize],
    reach_m: f64,
    search: &mut MultiSourceSearch,
) -> Vec<(Vec<usize>, Option<[f64; 2]>)> {
    // Residents a site on the network can bring within the threshold: on the network
    // within reach of it (a center right in front of them still leaves their access leg).
    let (walkers, off): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&i| {
        let r = &result.demand[i];
        r.status != DemandStatus::TooFarFromNetwork
            && r.snap.as_ref().is_some_and(|s| s.access_m <= reach_m)
    });
    let snap = |i: usize| result.demand[i].snap.as_ref().expect("walkers are snapped");
    // Walkers by the nodes of their edge and by their edge, to find those a bounded
    // search reaches without looking at all of them.
    let mut at_node: Vec<(u32, u32)> = Vec::with_capacity(2 * walkers.len());
    let mut on_edge: Vec<(u32, u32)> = Vec::with_capacity(walkers.len());
    for (k, &i) in walkers.iter().enumerate() {
        let s = snap(i);
        let (a, b) = network.edge_nodes(s.edge);
        at_node.push((a.0, k as u32));
        at_node.push((b.0, k as u32));
        on_edge.push((s.edge.0, k as u32));
    }
    at_node.sort_unstable();
    on_edge.sort_unstable();
    let listed = |list: &[(u32, u32)], key: u32| {
        let from = list.partition_point(|&(x, _)| x < key);
        let to = list.partition_point(|&(x, _)| x <= key);
        list[from..to]
            .iter()
            .map(|&(_, k)| k as usize)
            .collect::<Vec<_>>()
    };
    let mut seen = vec![usize::MAX; walkers.len()];
    let populations: Vec<f64> = walkers.iter().map(|&i| demand[i].population).collect();
    let mut site_points: BTreeMap<usize, [f64; 2]> = BTreeMap::new();
    let (sites, owner) = farthest_first(&populations, reach_m, |site, found| {
        let s = snap(walkers[site]);
        let at = Snap {
            access_m: 0.0,
            ..*s
        };
        let mut centers = SnappedCenters {
            results: vec![CenterResult {
                status: DemandStatus::Ok,
                snap: Some(at),
            }],
            on_edge: BTreeMap::new(),
        };
        centers.on_edge.insert(s.edge.0, vec![(s.offset_m, 0.0, 0)]);
        site_points.insert(site, s.lonlat);
        search.run(network, costs, &centers.seeds(network, costs), reach_m);
        let mut candidates = listed(&on_edge, s.edge.0);
        for node in search.reached() {
            candidates.extend(listed(&at_node, node.0));
        }
        for k in candidates {
            if seen[k] == site {
                continue;
            }
            seen[k] = site;
            let r = snap(walkers[k]);
            if let Some(walk) =
                walk_from_position(network, costs, search, &centers, r.edge, r.offset_m)
            {
                found(k, walk.cost_m + r.access_m);
            }
        }
    });
    let mut pieces: Vec<(Vec<usize>, Option<[f64; 2]>)> = sites
        .iter()
        .map(|&site| (Vec::new(), site_points.get(&site).copied()))
        .collect();
    for (k, &i) in walkers.iter().enumerate() {
        pieces[owner[k]].0.push(i);
    }
    // The rest by straight-line distance, without a site.
    if !off.is_empty() {
        let projection = network.projection();
        let xy: Vec<[f64; 2]> = off
            .iter()
            .map(|&i| projection.to_xy([demand[i].lon, demand[i].lat]))
            .collect();
        let populations: Vec<f64> = off.iter().map(|&i| demand[i].population).collect();
        let (sites, owner) = farthest_first(&populations, reach_m, |site, found| {
            let c = xy[site];
            for (k, p) in xy.iter().enumerate() {
                found(k, (p[0] - c[0]).hypot(p[1] - c[1]));
            }
        });
        let first = pieces.len();
        pieces.extend(sites.iter().map(|_| (Vec::new(), None)));
        for (k, &i) in off.iter().enumerate() {
            pieces[first + owner[k]].0.push(i);
        }
    }
    for (piece, _) in &mut pieces {
        piece.sort_unstable();
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::{compute_coverage, find_gaps};
    use crate::network::NetworkParams;
    use crate::test_support::line;
    use crate::CoverageParams;

    const DEG: f64 = 0.001;

    fn point(id: usize, lon: f64, lat: f64) -> PointFeature {
        PointFeature::new(format!("r{id}"), lon, lat).with_population(1.0)
    }

    /// A 2.2 km road along the equator, nodes every 111 m, a center at its west end,
    /// and a 250 m threshold (3.125 minutes at 80 m/min).
    fn run(demand: &[PointFeature]) -> (WalkNetwork, WalkCosts, CoverageResult) {
        let lines: Vec<_> = (0..20)
            .map(|i| line(&[[f64::from(i) * DEG, 0.0], [f64::from(i + 1) * DEG, 0.0]]))
            .collect();
        let network = WalkNetwork::from_roads(
            &lines,
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        let costs = WalkCosts::flat(&network);
        let params = CoverageParams {
            threshold_min: 250.0 / 80.0,
            max_snap_m: 300.0,
            ..CoverageParams::default()
        };
        let centers = [PointFeature::new("c", 0.0, 0.0)];
        let result = compute_coverage(&network, &costs, &centers, demand, &params).unwrap();
        (network, costs, result)
    }

    #[test]
    fn a_chain_of_residents_splits_where_one_site_cannot_reach() {
        // Nine residents 55.6 m apart on the road from 1.11 km: one linked area 445 m
        // long. The first site goes in front of the first (all equally far, equally
        // heavy: the lowest index), reaching 0..4; the next in front of the first it
        // leaves out, 5, reaching 1..8. Each takes its nearest site: 0..2 and 3..8.
        let demand: Vec<PointFeature> = (0..9)
            .map(|k| point(k, (10.0 + 0.5 * k as f64) * DEG, 0.0))
            .collect();
        let (network, costs, result) = run(&demand);
        assert!(result.demand.iter().all(|d| !d.covered));
        assert_eq!(find_gaps(&network, &result, &demand).len(), 1);
        let pieces = find_gap_pieces(&network, &costs, &result, &demand);
        let got: Vec<(usize, usize, Vec<usize>)> = pieces
            .iter()
            .map(|g| (g.rank, g.area, g.resident_indexes.clone()))
            .collect();
        assert_eq!(got, [(1, 1, vec![3, 4, 5, 6, 7, 8]), (2, 1, vec![0, 1, 2])]);
        let site = pieces[0].site_lonlat.unwrap();
        assert!((site[0] - 12.5 * DEG).abs() < 1e-12 && site[1].abs() < 1e-12);
        assert!((pieces[0].width_m - 5.0 * 55.597).abs() < 0.1);
        assert!((pieces[1].width_m - 2.0 * 55.597).abs() < 0.1);
    }

    #[test]
    fn a_center_at_each_site_closes_its_piece_and_no_piece_is_wider_than_twice_the_reach() {
        // Residents scattered along the road and up to 200 m off it, one 400 m off (too
        // far from the network for any site: a piece without one).
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut demand: Vec<PointFeature> = (0..200)
            .map(|k| point(k, (4.0 + 15.0 * next()) * DEG, (next() - 0.5) * 3.6 * DEG))
            .collect();
        demand.push(point(200, 12.0 * DEG, 3.6 * DEG));
        let (network, costs, result) = run(&demand);
        let pieces = find_gap_pieces(&network, &costs, &result, &demand);
        let mut all: Vec<usize> = pieces
            .iter()
            .flat_map(|g| g.resident_indexes.clone())
            .collect();
        all.sort_unstable();
        let uncovered: Vec<usize> = (0..demand.len())
            .filter(|&i| !result.demand[i].covered)
            .collect();
        assert_eq!(
            all, uncovered,
            "the pieces partition the uncovered residents"
        );
        assert!(pieces.len() > find_gaps(&network, &result, &demand).len());
        let reach = result.threshold_cost_m();
        for g in &pieces {
            assert!(
                g.width_m <= 2.0 * reach + 1e-6,
                "piece {} is {} m wide",
                g.rank,
                g.width_m
            );
            let Some(site) = g.site_lonlat else {
                assert!(
                    g.resident_indexes.contains(&200),
                    "only the far resident has no site"
                );
                continue;
            };
            let members: Vec<PointFeature> = g
                .resident_indexes
                .iter()
                .map(|&i| demand[i].clone())
                .collect();
            let with_site = compute_coverage(
                &network,
                &costs,
                &[PointFeature::new("site", site[0], site[1])],
                &members,
                &result.params,
            )
            .unwrap();
            assert!(
                with_site.demand.iter().all(|d| d.covered),
                "piece {} is closed by its site",
                g.rank
            );
        }
        // Ranked by population.
        assert!(pieces
            .windows(2)
            .all(|w| w[0].population >= w[1].population));
    }
}
