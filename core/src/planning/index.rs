//! What a coverage state needs for what-if queries and site optimization: per resident
//! its snapped position and walk, the residents of every edge, the node field — built
//! once ([`PlanIndex`]) and queried through a [`Planner`].

use std::borrow::Cow;

use crate::coverage::{walk_from_position, CoverageResult};
use crate::features::PointFeature;
use crate::network::{EdgeId, NodeId, Snap, WalkNetwork};
use crate::routing::WalkCosts;

use super::scratch::PlanScratch;
use crate::{Error, Result};

/// One resident as the planner sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resident {
    pub edge: u32,
    pub offset_m: f64,
    pub access_m: f64,
    pub population: f64,
    /// Current cheapest walk cost (access included), `INFINITY` without a walk.
    pub cost_m: f64,
}

/// One resident in edge order, with what its walk needs precomputed: the cost of the
/// partial edge from the resident to each end node of its edge.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub resident: u32,
    /// `partial_m(edge, offset, 0)`: resident → the edge's `from` node.
    pub to_from_m: f64,
    /// `partial_m(edge, offset, length)`: resident → the edge's `to` node.
    pub to_to_m: f64,
    pub access_m: f64,
    /// The resident's current walk cost (as [`Resident::cost_m`]).
    pub cost_m: f64,
}

/// What a coverage state needs for what-if queries and site optimization, owned:
/// per resident, its snapped position and current cheapest walk cost, and the residents
/// of every edge in compressed (CSR) form, so a query finds the residents of the edges
/// its search reaches without scanning them all.
///
/// Built once per coverage result and kept (a [`crate::Study`] keeps one), so a
/// what-if costs only its own search. [`Planner`] is the view that queries it.
///
/// Complexity: building is O(D log D + E) for D residents and E edges.
#[derive(Debug, Clone)]
pub struct PlanIndex {
    pub(crate) residents: Vec<Resident>,
    /// `edge_residents[edge_start[e]..edge_start[e + 1]]` are the residents on edge `e`.
    pub(crate) edge_start: Vec<u32>,
    pub(crate) edge_residents: Vec<u32>,
    /// The same residents as `edge_residents`, with their walks precomputed.
    pub(crate) slots: Vec<Slot>,
    /// Cheapest walk cost from each node to the current centers (`INFINITY`: none).
    pub(crate) node_cost: Vec<f64>,
    pub(crate) threshold_cost_m: f64,
    pub(crate) metres_per_min: f64,
    pub(crate) total_population: f64,
    pub(crate) covered_population: f64,
    /// Σ population × cost over residents with a walk, and Σ population of them.
    pub(crate) walk_cost_sum: f64,
    pub(crate) walk_population: f64,
}

/// A coverage state ready for what-if queries and site optimization: the network, the
/// costs and the result it was computed with, and its [`PlanIndex`] (owned, or
/// borrowed from whoever keeps it).
#[derive(Debug, Clone)]
pub struct Planner<'a> {
    pub(crate) network: &'a WalkNetwork,
    pub(crate) costs: &'a WalkCosts,
    pub(crate) result: &'a CoverageResult,
    pub(crate) index: Cow<'a, PlanIndex>,
}

/// Where a new site meets the network.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SiteSnap {
    pub snap: Snap,
}

impl PlanIndex {
    /// Indexes `result` (computed on `network` with `costs` from `demand`) for
    /// what-if queries.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `demand` does not match the result.
    pub fn new(
        network: &WalkNetwork,
        costs: &WalkCosts,
        result: &CoverageResult,
        demand: &[PointFeature],
    ) -> Result<Self> {
        if demand.len() != result.demand.len() {
            return Err(Error::InvalidParameter {
                name: "demand".into(),
                reason: format!(
                    "{} residents given but the coverage result has {}",
                    demand.len(),
                    result.demand.len()
                ),
            });
        }
        let mut residents = Vec::with_capacity(demand.len());
        let mut total_population = 0.0;
        let mut covered_population = 0.0;
        let mut walk_cost_sum = 0.0;
        let mut walk_population = 0.0;
        let threshold_cost_m = result.threshold_cost_m();
        for (point, r) in demand.iter().zip(&result.demand) {
            total_population += point.population;
            let Some(snap) = r.snap else {
                residents.push(Resident {
                    edge: u32::MAX,
                    offset_m: 0.0,
                    access_m: f64::INFINITY,
                    population: point.population,
                    cost_m: f64::INFINITY,
                });
                continue;
            };
            let cost_m = walk_from_position(
                network,
                costs,
                &result.search,
                &result.snapped_centers,
                snap.edge,
                snap.offset_m,
            )
            .map_or(f64::INFINITY, |w| w.cost_m + snap.access_m);
            if cost_m <= threshold_cost_m {
                covered_population += point.population;
            }
            if cost_m.is_finite() {
                walk_cost_sum += point.population * cost_m;
                walk_population += point.population;
            }
            residents.push(Resident {
                edge: snap.edge.0,
                offset_m: snap.offset_m,
                access_m: snap.access_m,
                population: point.population,
                cost_m,
            });
        }
        let mut edge_start = vec![0u32; network.edge_count() + 1];
        for r in &residents {
            if r.edge != u32::MAX {
                edge_start[r.edge as usize + 1] += 1;
            }
        }
        for e in 0..network.edge_count() {
            edge_start[e + 1] += edge_start[e];
        }
        let mut fill = edge_start.clone();
        let mut edge_residents = vec![0u32; edge_start[network.edge_count()] as usize];
        for (i, r) in residents.iter().enumerate() {
            if r.edge != u32::MAX {
                edge_residents[fill[r.edge as usize] as usize] = i as u32;
                fill[r.edge as usize] += 1;
            }
        }
        let slots = edge_residents
            .iter()
            .map(|&i| {
                let r = &residents[i as usize];
                let edge = EdgeId(r.edge);
                let length = network.edge_length_m(edge);
                Slot {
                    resident: i,
                    to_from_m: costs.partial_m(network, edge, r.offset_m, 0.0),
                    to_to_m: costs.partial_m(network, edge, r.offset_m, length),
                    access_m: r.access_m,
                    cost_m: r.cost_m,
                }
            })
            .collect();
        let node_cost = (0..network.node_count())
            .map(|v| {
                result
                    .search
                    .cost_m(NodeId(v as u32))
                    .unwrap_or(f64::INFINITY)
            })
            .collect();
        Ok(Self {
            residents,
            edge_start,
            edge_residents,
            slots,
            node_cost,
            threshold_cost_m,
            metres_per_min: result.metres_per_min(),
            total_population,
            covered_population,
            walk_cost_sum,
            walk_population,
        })
    }
}

impl<'a> Planner<'a> {
    /// Prepares `result` (computed on `network` with `costs` from `demand`) for
    /// what-if queries, building its index.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `demand` does not match the result.
    pub fn new(
        network: &'a WalkNetwork,
        costs: &'a WalkCosts,
        result: &'a CoverageResult,
        demand: &[PointFeature],
    ) -> Result<Self> {
        let index = PlanIndex::new(network, costs, result, demand)?;
        Ok(Self {
            network,
            costs,
            result,
            index: Cow::Owned(index),
        })
    }

    /// A planner over an index built before ([`PlanIndex::new`] on the same network,
    /// costs and result).
    pub fn with_index(
        network: &'a WalkNetwork,
        costs: &'a WalkCosts,
        result: &'a CoverageResult,
        index: &'a PlanIndex,
    ) -> Self {
        Self {
            network,
            costs,
            result,
            index: Cow::Borrowed(index),
        }
    }

    /// Total population (unreachable residents included).
    pub fn total_population(&self) -> f64 {
        self.index.total_population
    }

    /// Covered population of the coverage state the planner was built on.
    pub fn covered_population(&self) -> f64 {
        self.index.covered_population
    }

    /// Number of residents.
    pub fn resident_count(&self) -> usize {
        self.index.residents.len()
    }

    /// Current walk time of a resident in minutes (`None` without a walk).
    pub fn resident_walk_min(&self, resident: usize) -> Option<f64> {
        let c = self.index.residents[resident].cost_m;
        c.is_finite().then(|| c / self.index.metres_per_min)
    }

    pub(crate) fn residents_on(&self, edge: u32) -> &[u32] {
        &self.index.edge_residents[self.index.edge_start[edge as usize] as usize
            ..self.index.edge_start[edge as usize + 1] as usize]
    }

    pub(crate) fn slots_on(&self, edge: u32) -> &[Slot] {
        &self.index.slots[self.index.edge_start[edge as usize] as usize
            ..self.index.edge_start[edge as usize + 1] as usize]
    }

    pub(crate) fn snap_site(&self, lonlat: [f64; 2]) -> Option<SiteSnap> {
        self.network
            .snap_within(lonlat, self.result.params.max_snap_m)
            .map(|snap| SiteSnap { snap })
    }

    #[inline]
    pub(crate) fn base_cost(&self, scratch: &PlanScratch, v: usize) -> f64 {
        let r = scratch.repaired[v];
        if r.is_nan() {
            self.index.node_cost[v]
        } else {
            r
        }
    }
}
