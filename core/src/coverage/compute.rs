//! Per-resident walks to the nearest center (`docs/coverage-contract.md`, "Walk distance", "Covered").

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::params::{CoverageParams, Threshold};
use crate::features::{CenterId, PointFeature};
use crate::geodesy::z_order;
use crate::network::{EdgeId, NodeId, Snap, WalkNetwork};
use crate::parallel::map_in_order;
use crate::routing::{search_threads, MultiSourceSearch, Seed, WalkCosts};
use crate::{Error, Result};

/// Why a point has no walk, or `Ok` when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandStatus {
    /// Snapped and a path to a center exists.
    Ok,
    /// Farther than `max_snap_m` from any eligible edge.
    TooFarFromNetwork,
    /// Snapped to a component that holds no center.
    NoPath,
}

impl DemandStatus {
    /// The status as written in outputs (`ok`, `too_far_from_network`, `no_path`).
    pub fn as_str(self) -> &'static str {
        match self {
            DemandStatus::Ok => "ok",
            DemandStatus::TooFarFromNetwork => "too_far_from_network",
            DemandStatus::NoPath => "no_path",
        }
    }
}

/// One resident's (demand point's) result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandResult {
    /// Whether the resident has a walk, and if not why.
    pub status: DemandStatus,
    /// Where the resident meets the network (None when too far).
    pub snap: Option<Snap>,
    /// Walk length to the nearest center in metres (length of the fastest walk).
    pub walk_m: Option<f64>,
    /// Walk time to the nearest center in minutes.
    pub walk_min: Option<f64>,
    /// The nearest center by walk time.
    pub nearest_center: Option<CenterId>,
    /// Walk time within the threshold.
    pub covered: bool,
}

/// One center's snapping result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CenterResult {
    /// `Ok` when snapped, `TooFarFromNetwork` otherwise (`NoPath` is not used).
    pub status: DemandStatus,
    /// Where the center meets the network.
    pub snap: Option<Snap>,
}

/// A walk from a point on the network to its nearest center.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Walk {
    pub cost_m: f64,
    pub length_m: f64,
    pub center: u32,
}

impl Walk {
    fn better_than(&self, other: &Option<Walk>) -> bool {
        match other {
            None => true,
            Some(o) => {
                self.cost_m < o.cost_m || (self.cost_m == o.cost_m && self.center < o.center)
            }
        }
    }
}

/// Centers snapped to the network, ready to seed searches.
#[derive(Debug, Clone, Default)]
pub(crate) struct SnappedCenters {
    pub results: Vec<CenterResult>,
    /// Centers on each edge: `(offset_m, access_m, center index)`, for walks that stay on
    /// the resident's own edge.
    pub on_edge: BTreeMap<u32, Vec<(f64, f64, u32)>>,
}

impl SnappedCenters {
    pub(crate) fn snap(network: &WalkNetwork, centers: &[PointFeature], max_snap_m: f64) -> Self {
        let mut out = SnappedCenters::default();
        for (i, center) in centers.iter().enumerate() {
            let snap = network.snap_within([center.lon, center.lat], max_snap_m);
            if let Some(s) = &snap {
                out.on_edge
                    .entry(s.edge.0)
                    .or_default()
                    .push((s.offset_m, s.access_m, i as u32));
            }
            out.results.push(CenterResult {
                status: if snap.is_some() {
                    DemandStatus::Ok
                } else {
                    DemandStatus::TooFarFromNetwork
                },
                snap,
            });
        }
        out
    }

    /// Search seeds: each center reaches both ends of its edge (walker walks node -> center).
    pub(crate) fn seeds(&self, network: &WalkNetwork, costs: &WalkCosts) -> Vec<Seed> {
        let mut seeds = Vec::new();
        for (i, r) in self.results.iter().enumerate() {
            if let Some(s) = &r.snap {
                let (from, to) = network.edge_nodes(s.edge);
                let length = network.edge_length_m(s.edge);
                seeds.push(Seed {
                    node: from,
                    cost_m: s.access_m + costs.partial_m(network, s.edge, 0.0, s.offset_m),
                    length_m: s.access_m + s.offset_m,
                    source: i as u32,
                });
                seeds.push(Seed {
                    node: to,
                    cost_m: s.access_m + costs.partial_m(network, s.edge, length, s.offset_m),
                    length_m: s.access_m + (length - s.offset_m),
                    source: i as u32,
                });
            }
        }
        seeds
    }
}

/// Cheapest walk from a snapped position (edge, offset) to the centers of a finished
/// search, excluding the resident's own access leg. Walks through a closed stretch
/// (infinite cost, e.g. steps for a wheelchair) do not count.
pub(crate) fn walk_from_position(
    network: &WalkNetwork,
    costs: &WalkCosts,
    search: &MultiSourceSearch,
    centers: &SnappedCenters,
    edge: EdgeId,
    offset_m: f64,
) -> Option<Walk> {
    let (from, to) = network.edge_nodes(edge);
    let length = network.edge_length_m(edge);
    let mut best: Option<Walk> = None;
    for (node, end_offset) in [(from, 0.0), (to, length)] {
        if let (Some(c), Some(l), Some(center)) = (
            search.cost_m(node),
            search.length_m(node),
            search.source(node),
        ) {
            let walk = Walk {
                cost_m: costs.partial_m(network, edge, offset_m, end_offset) + c,
                length_m: (offset_m - end_offset).abs() + l,
                center,
            };
            if walk.cost_m.is_finite() && walk.better_than(&best) {
                best = Some(walk);
            }
        }
    }
    if let Some(list) = centers.on_edge.get(&edge.0) {
        for &(center_offset, access, center) in list {
            let walk = Walk {
                cost_m: costs.partial_m(network, edge, offset_m, center_offset) + access,
                length_m: (offset_m - center_offset).abs() + access,
                center,
            };
            if walk.cost_m.is_finite() && walk.better_than(&best) {
                best = Some(walk);
            }
        }
    }
    best
}

/// The full result of a coverage computation: per resident, per center, and the
/// node-level walk field used for network reach and what-if queries.
#[derive(Debug, Clone)]
pub struct CoverageResult {
    /// Parameters used.
    pub params: CoverageParams,
    /// Walking speed on flat ground of the costs used, km/h.
    pub speed_kmh: f64,
    /// One entry per center given, in input order.
    pub centers: Vec<CenterResult>,
    /// One entry per demand point given, in input order.
    pub demand: Vec<DemandResult>,
    pub(crate) snapped_centers: SnappedCenters,
    pub(crate) search: MultiSourceSearch,
    /// Per resident, the walk's cost (flat-equivalent metres, access leg included), as
    /// `covered` compares it with the threshold: kept so another threshold classifies
    /// exactly as a run at it would ([`CoverageResult::at_threshold`]).
    pub(crate) demand_cost_m: Vec<Option<f64>>,
}

impl CoverageResult {
    /// Walk time in minutes from a network node to its nearest center, if any.
    pub fn node_walk_min(&self, node: NodeId) -> Option<f64> {
        self.search.cost_m(node).map(|c| c / self.metres_per_min())
    }

    /// The walking speed in metres per minute.
    pub fn metres_per_min(&self) -> f64 {
        self.speed_kmh * 1000.0 / 60.0
    }

    /// The threshold as a flat-equivalent walking cost in metres.
    pub fn threshold_cost_m(&self) -> f64 {
        self.params.threshold_cost_m(self.metres_per_min())
    }

    /// Resident `i`'s walk as a flat-equivalent cost in metres (access leg included),
    /// the figure `covered` compares with the threshold; `None` without a walk.
    pub fn walk_cost_m(&self, i: usize) -> Option<f64> {
        self.demand_cost_m.get(i).copied().flatten()
    }

    /// The same result at another threshold: every walk is kept (the search is not
    /// bounded by the threshold) and only `covered` is decided again, with the very
    /// costs the run compared, so it is exactly what [`compute_coverage`] gives at
    /// `threshold` on the same inputs. The bands of a multi-threshold run are these.
    ///
    /// Complexity: O(V + D) (a copy of the walk field).
    pub fn at_threshold(&self, threshold: Threshold) -> CoverageResult {
        let params = self.params.with_threshold(threshold);
        let limit_m = params.threshold_cost_m(self.metres_per_min());
        let mut result = self.clone();
        for (d, cost) in result.demand.iter_mut().zip(&self.demand_cost_m) {
            d.covered = cost.is_some_and(|c| c <= limit_m);
        }
        result.params = params;
        result
    }
}

/// Computes every resident's walk to its nearest center.
///
/// Centers and residents snap to the nearest eligible edge; one multi-source search
/// from all centers (over the whole network, so walks beyond the threshold are known
/// too) gives each node its cheapest walk; each resident then takes the better end of
/// its edge, or a center on its own edge.
///
/// Complexity: O((V + E) log V + (C + D) log E) for C centers and D residents.
///
/// # Errors
/// [`Error::InvalidParameter`] for parameters (or the costs' speed) out of range;
/// [`Error::Empty`] when no center is given.
pub fn compute_coverage(
    network: &WalkNetwork,
    costs: &WalkCosts,
    centers: &[PointFeature],
    demand: &[PointFeature],
    params: &CoverageParams,
) -> Result<CoverageResult> {
    // Validated first: a bad parameter is refused before any work.
    params.validate()?;
    let snaps = snap_demand(network, demand, params.max_snap_m);
    compute_with_snaps(network, costs, centers, &snaps, params)
}

/// Each resident's position on the network (`None`: farther than `max_snap_m`), as
/// [`compute_coverage`] snaps them.
pub(crate) fn snap_demand(
    network: &WalkNetwork,
    demand: &[PointFeature],
    max_snap_m: f64,
) -> Vec<Option<Snap>> {
    // In Z-order: neighbours share the index nodes they visit, which stay in cache.
    let lonlats: Vec<[f64; 2]> = demand.iter().map(|p| [p.lon, p.lat]).collect();
    let order = z_order(&lonlats);
    let sorted = map_in_order(&order, |&i| network.snap_within(lonlats[i], max_snap_m));
    let mut snaps = vec![None; demand.len()];
    for (i, snap) in order.into_iter().zip(sorted) {
        snaps[i] = snap;
    }
    snaps
}

/// Every resident's position on the network as one run snapped them, kept so that runs
/// with other centers on the same network and residents skip snapping (an interactive
/// session recomputes a scenario on each edit; snapping is most of a run's time).
#[derive(Debug, Clone)]
pub struct DemandSnaps {
    max_snap_m: f64,
    snaps: Arc<[Option<Snap>]>,
}

impl DemandSnaps {
    /// The residents' positions of `result`.
    pub fn of(result: &CoverageResult) -> Self {
        Self {
            max_snap_m: result.params.max_snap_m,
            snaps: result.demand.iter().map(|d| d.snap).collect(),
        }
    }

    /// The snapping distance they were found within, metres.
    pub fn max_snap_m(&self) -> f64 {
        self.max_snap_m
    }

    /// The positions, when they were snapped as a run of `params` over `demand_count`
    /// residents would snap them.
    pub(crate) fn matching(
        &self,
        demand_count: usize,
        params: &CoverageParams,
    ) -> Option<&[Option<Snap>]> {
        (self.snaps.len() == demand_count && self.max_snap_m == params.max_snap_m)
            .then_some(&*self.snaps)
    }
}

/// [`compute_coverage`] for residents already snapped ([`snap_demand`] with the same
/// `max_snap_m`): runs of other centers over the same residents (a tier's, a
/// service's) snap them once.
///
/// # Errors
/// As [`compute_coverage`].
pub(crate) fn compute_with_snaps(
    network: &WalkNetwork,
    costs: &WalkCosts,
    centers: &[PointFeature],
    snaps: &[Option<Snap>],
    params: &CoverageParams,
) -> Result<CoverageResult> {
    params.validate()?;
    let speed_kmh = costs.speed_kmh();
    if !(speed_kmh.is_finite() && speed_kmh > 0.0) {
        return Err(Error::InvalidParameter {
            name: "speed_kmh".into(),
            reason: format!("must be a positive number, got {speed_kmh}"),
        });
    }
    if centers.is_empty() {
        return Err(Error::Empty {
            layer: "centers".into(),
            reason: "no service center given".into(),
        });
    }
    let snapped_centers = SnappedCenters::snap(network, centers, params.max_snap_m);
    Ok(walk_all(
        network,
        costs,
        snapped_centers,
        snaps,
        params,
        speed_kmh,
    ))
}

/// The walks of snapped centers and residents (`snaps`: each resident's position on
/// the network, `None` when too far) under `costs`; residents in parallel with the
/// `parallel` feature (each walk reads the finished search only).
fn walk_all(
    network: &WalkNetwork,
    costs: &WalkCosts,
    snapped_centers: SnappedCenters,
    snaps: &[Option<Snap>],
    params: &CoverageParams,
    speed_kmh: f64,
) -> CoverageResult {
    let seeds = snapped_centers.seeds(network, costs);
    let mut search = MultiSourceSearch::new(network);
    search.run_parallel(network, costs, &seeds, f64::INFINITY, search_threads());

    let metres_per_min = costs.metres_per_min();
    let threshold_cost = params.threshold_cost_m(metres_per_min);
    let no_walk = |status, snap| DemandResult {
        status,
        snap,
        walk_m: None,
        walk_min: None,
        nearest_center: None,
        covered: false,
    };
    let walks: Vec<(DemandResult, Option<f64>)> = map_in_order(snaps, |&snap| {
        let Some(snap) = snap else {
            return (no_walk(DemandStatus::TooFarFromNetwork, None), None);
        };
        match walk_from_position(
            network,
            costs,
            &search,
            &snapped_centers,
            snap.edge,
            snap.offset_m,
        ) {
            None => (no_walk(DemandStatus::NoPath, Some(snap)), None),
            Some(walk) => {
                let cost = walk.cost_m + snap.access_m;
                let result = DemandResult {
                    status: DemandStatus::Ok,
                    snap: Some(snap),
                    walk_m: Some(walk.length_m + snap.access_m),
                    walk_min: Some(cost / metres_per_min),
                    nearest_center: Some(CenterId(walk.center)),
                    covered: cost <= threshold_cost,
                };
                (result, Some(cost))
            }
        }
    });
    let (demand_results, demand_cost_m) = walks.into_iter().unzip();

    CoverageResult {
        params: params.clone(),
        speed_kmh,
        centers: snapped_centers.results.clone(),
        demand: demand_results,
        snapped_centers,
        search,
        demand_cost_m,
    }
}

impl CoverageResult {
    /// The same centers and residents walked with other `costs` (another walking
    /// profile, flat ground against slope) on the same `network`: exactly what
    /// [`compute_coverage`] gives with `costs`, without snapping every point again
    /// (snapping is geometry only; a profile changes what edges cost, not where points
    /// join them).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a speed out of range.
    pub fn with_costs(&self, network: &WalkNetwork, costs: &WalkCosts) -> Result<CoverageResult> {
        let speed_kmh = costs.speed_kmh();
        if !(speed_kmh.is_finite() && speed_kmh > 0.0) {
            return Err(Error::InvalidParameter {
                name: "speed_kmh".into(),
                reason: format!("must be a positive number, got {speed_kmh}"),
            });
        }
        let snaps: Vec<Option<Snap>> = self.demand.iter().map(|d| d.snap).collect();
        Ok(walk_all(
            network,
            costs,
            self.snapped_centers.clone(),
            &snaps,
            &self.params,
            speed_kmh,
        ))
    }
}

#[cfg(test)]
#[path = "compute_tests.rs"]
mod tests;
