//! What-if queries: the exact effect of adding, removing or moving one center, found by
//! searches that touch only the part of the network the change improves (or worsens).

use serde::Serialize;

use crate::coverage::walk_from_position;
use crate::coverage::CoverageResult;
use crate::input::PointFeature;
use crate::network::{EdgeId, NodeId, Snap, WalkNetwork};
use crate::routing::{bucket_of, BucketQueue, SearchArc, WalkCosts};
use crate::{Error, Result};

/// A center's index in the centers given to [`crate::compute_coverage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CenterId(pub u32);

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

/// The change one what-if brings to the coverage headline figures.
///
/// All populations are population-weighted sums over residents; "before" figures are
/// those of the coverage result the [`Planner`] was built on.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteChange {
    /// Covered population before the change.
    pub covered_population_before: f64,
    /// Covered population after the change.
    pub covered_population_after: f64,
    /// `after - before`: positive for a gain, negative for a loss.
    pub covered_population_change: f64,
    /// Residents (points) newly covered.
    pub newly_covered_residents: usize,
    /// Residents (points) no longer covered.
    pub no_longer_covered_residents: usize,
    /// Population whose walk got shorter (including residents who had no walk before).
    pub shorter_walk_population: f64,
    /// Population whose walk got longer (including residents who lost their walk).
    pub longer_walk_population: f64,
    /// Population-weighted mean walk of residents with a walk, before, minutes.
    pub mean_walk_before_min: Option<f64>,
    /// The same after the change.
    pub mean_walk_after_min: Option<f64>,
    /// `after - before` of the mean walk, minutes (negative: walks got shorter).
    pub mean_walk_change_min: Option<f64>,
    /// Population-weighted total walk time saved over residents who had a walk before
    /// and still have one, minutes (negative for a loss).
    pub walk_minutes_saved: f64,
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

const PRUNE_BASE: u8 = 0;
const PRUNE_REPAIRED: u8 = 1;
const PRUNE_NONE: u8 = 2;

/// Reusable buffers for what-if searches; one per thread.
///
/// Reset costs O(what the last query touched), so many small queries on a big network
/// stay cheap.
#[derive(Debug, Clone)]
pub struct PlanScratch {
    cost: Vec<f64>,
    /// The queue holds an entry for the node in the bucket of its `cost`, not yet
    /// settled: a further improvement within that bucket needs no second entry.
    queued: Vec<bool>,
    touched: Vec<u32>,
    /// Nodes by cost bucket, as the coverage search queues them: the searches are
    /// label-correcting (a node improved after it was settled is settled again), so
    /// their final costs are exact although a bucket is drained in no particular order.
    queue: BucketQueue,
    /// Repaired node costs after a removal (`NAN`: not repaired).
    repaired: Vec<f64>,
    repaired_touched: Vec<u32>,
    edge_stamp: Vec<u32>,
    stamp: u32,
    pub(crate) edges: Vec<u32>,
    pub(crate) changes: Vec<(u32, f64)>,
}

impl PlanScratch {
    /// Buffers for queries on `network`.
    pub fn new(network: &WalkNetwork) -> Self {
        Self {
            cost: vec![f64::INFINITY; network.node_count()],
            queued: vec![false; network.node_count()],
            touched: Vec::new(),
            queue: BucketQueue::default(),
            repaired: vec![f64::NAN; network.node_count()],
            repaired_touched: Vec::new(),
            edge_stamp: vec![0; network.edge_count()],
            stamp: 0,
            edges: Vec::new(),
            changes: Vec::new(),
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            self.cost[v as usize] = f64::INFINITY;
            self.queued[v as usize] = false;
        }
        self.touched.clear();
        self.queue.clear();
    }

    fn reset_repaired(&mut self) {
        for &v in &self.repaired_touched {
            self.repaired[v as usize] = f64::NAN;
        }
        self.repaired_touched.clear();
    }

    fn next_stamp(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.edge_stamp.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        self.edges.clear();
    }

    #[inline]
    fn mark_edge(&mut self, e: u32) {
        if self.edge_stamp[e as usize] != self.stamp {
            self.edge_stamp[e as usize] = self.stamp;
            self.edges.push(e);
        }
    }

    /// Lowers `v`'s cost to `cost` when that is cheaper, queueing it. Inlined into the
    /// searches' arc loops: as a call it took about 60 instructions of its own.
    #[inline(always)]
    fn offer(&mut self, v: u32, cost: f64) {
        let vi = v as usize;
        let old = self.cost[vi];
        if cost < old {
            if old == f64::INFINITY {
                self.touched.push(v);
            }
            let bucket = bucket_of(cost);
            if !(self.queued[vi] && bucket_of(old) == bucket) {
                self.queue.push(bucket, v);
            }
            self.cost[vi] = cost;
            self.queued[vi] = true;
        }
    }

    /// The next node to settle with its cost, skipping stale queue entries (nodes
    /// improved into an earlier bucket).
    #[inline]
    fn pop(&mut self) -> Option<(u32, f64)> {
        while let Some((bucket, v)) = self.queue.pop() {
            let vi = v as usize;
            let cost = self.cost[vi];
            if self.queued[vi] && bucket_of(cost) == bucket {
                self.queued[vi] = false;
                return Some((v, cost));
            }
        }
        None
    }
}

/// A coverage state prepared for what-if queries and site optimization.
///
/// Holds, per resident, its snapped position and current cheapest walk cost, and the
/// residents of every edge in compressed (CSR) form, so a query finds the residents of
/// the edges its search reaches without scanning them all.
///
/// Complexity: building is O(D log D + E) for D residents and E edges.
#[derive(Debug, Clone)]
pub struct Planner<'a> {
    pub(crate) network: &'a WalkNetwork,
    pub(crate) costs: &'a WalkCosts,
    pub(crate) result: &'a CoverageResult,
    pub(crate) residents: Vec<Resident>,
    /// `edge_residents[edge_start[e]..edge_start[e + 1]]` are the residents on edge `e`.
    edge_start: Vec<u32>,
    edge_residents: Vec<u32>,
    /// The same residents as `edge_residents`, with their walks precomputed.
    slots: Vec<Slot>,
    /// Cheapest walk cost from each node to the current centers (`INFINITY`: none).
    node_cost: Vec<f64>,
    pub(crate) threshold_cost_m: f64,
    pub(crate) metres_per_min: f64,
    pub(crate) total_population: f64,
    pub(crate) covered_population: f64,
    /// Σ population × cost over residents with a walk, and Σ population of them.
    walk_cost_sum: f64,
    walk_population: f64,
}

/// Where a new site meets the network.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SiteSnap {
    pub snap: Snap,
}

impl<'a> Planner<'a> {
    /// Prepares `result` (computed on `network` with `costs` from `demand`) for
    /// what-if queries.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `demand` does not match the result.
    pub fn new(
        network: &'a WalkNetwork,
        costs: &'a WalkCosts,
        result: &'a CoverageResult,
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
        let threshold_cost_m = result.params.threshold_cost_m();
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
            network,
            costs,
            result,
            residents,
            edge_start,
            edge_residents,
            slots,
            node_cost,
            threshold_cost_m,
            metres_per_min: result.params.metres_per_min(),
            total_population,
            covered_population,
            walk_cost_sum,
            walk_population,
        })
    }

    /// Total population (unreachable residents included).
    pub fn total_population(&self) -> f64 {
        self.total_population
    }

    /// Covered population of the coverage state the planner was built on.
    pub fn covered_population(&self) -> f64 {
        self.covered_population
    }

    /// Number of residents.
    pub fn resident_count(&self) -> usize {
        self.residents.len()
    }

    /// Current walk time of a resident in minutes (`None` without a walk).
    pub fn resident_walk_min(&self, resident: usize) -> Option<f64> {
        let c = self.residents[resident].cost_m;
        c.is_finite().then(|| c / self.metres_per_min)
    }

    pub(crate) fn residents_on(&self, edge: u32) -> &[u32] {
        &self.edge_residents
            [self.edge_start[edge as usize] as usize..self.edge_start[edge as usize + 1] as usize]
    }

    fn slots_on(&self, edge: u32) -> &[Slot] {
        &self.slots
            [self.edge_start[edge as usize] as usize..self.edge_start[edge as usize + 1] as usize]
    }

    pub(crate) fn snap_site(&self, lonlat: [f64; 2]) -> Option<SiteSnap> {
        self.network
            .snap_within(lonlat, self.result.params.max_snap_m)
            .map(|snap| SiteSnap { snap })
    }

    #[inline]
    fn base_cost(&self, scratch: &PlanScratch, v: usize) -> f64 {
        let r = scratch.repaired[v];
        if r.is_nan() {
            self.node_cost[v]
        } else {
            r
        }
    }

    /// Pruned search from a new site: settles every node within `limit_m` of the site
    /// where the site is strictly cheaper than the current field (the base, or the
    /// repaired field after a removal), and only those. Marks the edges whose residents
    /// may improve.
    ///
    /// A node the site does not improve is never queued: every walk through it is at
    /// least as cheap from the current centers, so leaving its cost unset changes no
    /// resident's improvement.
    pub(crate) fn site_search(&self, scratch: &mut PlanScratch, site: &SiteSnap, limit_m: f64) {
        if scratch.repaired_touched.is_empty() {
            self.site_search_in::<PRUNE_BASE>(scratch, site, limit_m);
        } else {
            self.site_search_in::<PRUNE_REPAIRED>(scratch, site, limit_m);
        }
    }

    /// Plain search from a site (no pruning against the current centers): every node
    /// within `limit_m`, and the edges around them marked.
    pub(crate) fn site_reach(&self, scratch: &mut PlanScratch, site: &SiteSnap, limit_m: f64) {
        self.site_search_in::<PRUNE_NONE>(scratch, site, limit_m);
    }

    #[inline(always)]
    fn field_cost<const MODE: u8>(&self, scratch: &PlanScratch, v: usize) -> f64 {
        match MODE {
            PRUNE_BASE => self.node_cost[v],
            PRUNE_REPAIRED => self.base_cost(scratch, v),
            _ => f64::INFINITY,
        }
    }

    fn site_search_in<const MODE: u8>(
        &self,
        scratch: &mut PlanScratch,
        site: &SiteSnap,
        limit_m: f64,
    ) {
        let network = self.network;
        let costs = self.costs;
        scratch.reset();
        let s = &site.snap;
        let (from, to) = network.edge_nodes(s.edge);
        let length = network.edge_length_m(s.edge);
        let seeds = [
            (
                from.0,
                s.access_m + costs.partial_m(network, s.edge, 0.0, s.offset_m),
            ),
            (
                to.0,
                s.access_m + costs.partial_m(network, s.edge, length, s.offset_m),
            ),
        ];
        for (v, c) in seeds {
            if c <= limit_m && c < self.field_cost::<MODE>(scratch, v as usize) {
                scratch.offer(v, c);
            }
        }
        // Every queued node is settled, so marking the edges of settled nodes marks
        // those of every node the search reached.
        scratch.next_stamp();
        scratch.mark_edge(s.edge.0);
        let arc_start = &network.arc_start[..];
        let arc_edge = &network.arc_edge[..];
        let search_arcs = &costs.search_arcs[..];
        while let Some((v, cost)) = scratch.pop() {
            let vi = v as usize;
            for arc in arc_start[vi] as usize..arc_start[vi + 1] as usize {
                scratch.mark_edge(arc_edge[arc]);
                let head = search_arcs[arc].head;
                let next = cost + search_arcs[arc].cost_m();
                if next > limit_m {
                    continue;
                }
                let hi = head as usize;
                // The current centers are at least as close: nothing beyond improves.
                if next >= scratch.cost[hi] || next >= self.field_cost::<MODE>(scratch, hi) {
                    continue;
                }
                scratch.offer(head, next);
            }
        }
    }

    /// A resident's cheapest walk cost given node costs `field`, the centers on its edge
    /// except `removed`, and an optional new site.
    fn resident_cost(
        &self,
        r: &Resident,
        field: impl Fn(usize) -> f64,
        removed: Option<u32>,
        site: Option<&SiteSnap>,
    ) -> f64 {
        let network = self.network;
        let costs = self.costs;
        let edge = EdgeId(r.edge);
        let (from, to) = network.edge_nodes(edge);
        let length = network.edge_length_m(edge);
        let mut best = f64::INFINITY;
        for (node, end) in [(from, 0.0), (to, length)] {
            let c = field(node.index());
            if c.is_finite() {
                best = best.min(costs.partial_m(network, edge, r.offset_m, end) + c);
            }
        }
        if let Some(list) = self.result.snapped_centers.on_edge.get(&r.edge) {
            for &(offset, access, center) in list {
                if Some(center) != removed {
                    best = best.min(costs.partial_m(network, edge, r.offset_m, offset) + access);
                }
            }
        }
        if let Some(site) = site {
            if site.snap.edge == edge {
                best = best.min(
                    costs.partial_m(network, edge, r.offset_m, site.snap.offset_m)
                        + site.snap.access_m,
                );
            }
        }
        if best.is_finite() {
            best + r.access_m
        } else {
            best
        }
    }

    /// Residents a new site at `lonlat` serves better than today, with their walk cost
    /// from the site, for sites reached within `limit_m`. Appends to `out` as
    /// `(resident, cost_m)`; returns `false` when the site does not snap.
    ///
    /// Complexity: O((V' + E') log V' + R') for the V' nodes and E' arcs where the
    /// site is strictly closer than the current centers (and within the limit), and the
    /// R' residents on their edges.
    pub(crate) fn improvements(
        &self,
        scratch: &mut PlanScratch,
        site: &SiteSnap,
        limit_m: f64,
        out: &mut Vec<(u32, f64)>,
    ) {
        self.site_search(scratch, site, limit_m);
        self.collect_walks(scratch, site, limit_m, true, out);
    }

    /// Every resident within `limit_m` of a site, with its walk cost from the site
    /// alone (not pruned by the current centers). Appends `(resident, cost_m)` to `out`.
    ///
    /// Complexity: O((V' + E') log V' + R') for the V' nodes within the limit.
    pub(crate) fn reach(
        &self,
        scratch: &mut PlanScratch,
        site: &SiteSnap,
        limit_m: f64,
        out: &mut Vec<(u32, f64)>,
    ) {
        self.site_reach(scratch, site, limit_m);
        self.collect_walks(scratch, site, limit_m, false, out);
    }

    /// Walks from the site of the last search to the residents of the marked edges:
    /// those within `limit_m` (and, with `improving`, cheaper than today).
    fn collect_walks(
        &self,
        scratch: &PlanScratch,
        site: &SiteSnap,
        limit_m: f64,
        improving: bool,
        out: &mut Vec<(u32, f64)>,
    ) {
        let network = self.network;
        let site_edge = site.snap.edge.0;
        for &e in &scratch.edges {
            let (from, to) = network.edge_nodes(EdgeId(e));
            let cf = scratch.cost[from.index()];
            let ct = scratch.cost[to.index()];
            let slots = self.slots_on(e);
            if e == site_edge {
                for sl in slots {
                    let r = &self.residents[sl.resident as usize];
                    let on_edge = self.costs.partial_m(
                        network,
                        site.snap.edge,
                        r.offset_m,
                        site.snap.offset_m,
                    ) + site.snap.access_m;
                    let c = (sl.to_from_m + cf).min(sl.to_to_m + ct).min(on_edge) + sl.access_m;
                    if (!improving || c < sl.cost_m) && c <= limit_m {
                        out.push((sl.resident, c));
                    }
                }
            } else {
                for sl in slots {
                    let c = (sl.to_from_m + cf).min(sl.to_to_m + ct) + sl.access_m;
                    if (!improving || c < sl.cost_m) && c <= limit_m {
                        out.push((sl.resident, c));
                    }
                }
            }
        }
    }

    fn change_from(&self, changes: &[(u32, f64)]) -> SiteChange {
        let t = self.threshold_cost_m;
        let mut covered = self.covered_population;
        let mut newly = 0;
        let mut lost = 0;
        let mut shorter = 0.0;
        let mut longer = 0.0;
        let mut sum = self.walk_cost_sum;
        let mut pop = self.walk_population;
        let mut saved = 0.0;
        for &(i, new) in changes {
            let r = &self.residents[i as usize];
            let old = r.cost_m;
            if new == old {
                continue;
            }
            let (was, is) = (old <= t, new <= t);
            if is && !was {
                covered += r.population;
                newly += 1;
            } else if was && !is {
                covered -= r.population;
                lost += 1;
            }
            if new < old {
                shorter += r.population;
            } else {
                longer += r.population;
            }
            match (old.is_finite(), new.is_finite()) {
                (true, true) => {
                    sum += r.population * (new - old);
                    saved += r.population * (old - new) / self.metres_per_min;
                }
                (false, true) => {
                    sum += r.population * new;
                    pop += r.population;
                }
                (true, false) => {
                    sum -= r.population * old;
                    pop -= r.population;
                }
                (false, false) => {}
            }
        }
        let mean = |s: f64, p: f64| (p > 0.0).then(|| s / p / self.metres_per_min);
        let before = mean(self.walk_cost_sum, self.walk_population);
        let after = mean(sum, pop);
        SiteChange {
            covered_population_before: self.covered_population,
            covered_population_after: covered,
            covered_population_change: covered - self.covered_population,
            newly_covered_residents: newly,
            no_longer_covered_residents: lost,
            shorter_walk_population: shorter,
            longer_walk_population: longer,
            mean_walk_before_min: before,
            mean_walk_after_min: after,
            mean_walk_change_min: before.zip(after).map(|(b, a)| a - b),
            walk_minutes_saved: saved,
        }
    }

    /// What adding a center at `lonlat` would change.
    ///
    /// The search runs from the new site alone and expands only nodes where the site is
    /// strictly closer than every current center, so it touches only what improves; the
    /// result equals a full recomputation with the site added.
    ///
    /// Complexity: O((V' + E') log V' + R') for the V' nodes and E' arcs the site
    /// improves and the R' residents on their edges.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the site is farther than `max_snap_m` from the
    /// network.
    pub fn add_site(&self, scratch: &mut PlanScratch, lonlat: [f64; 2]) -> Result<SiteChange> {
        let site = self.snap_site(lonlat).ok_or_else(|| off_network(lonlat))?;
        let mut changes = std::mem::take(&mut scratch.changes);
        changes.clear();
        scratch.reset_repaired();
        self.improvements(scratch, &site, f64::INFINITY, &mut changes);
        // Sum in resident order, so the figures do not depend on the search's order.
        changes.sort_unstable_by_key(|e| e.0);
        let out = self.change_from(&changes);
        scratch.changes = changes;
        Ok(out)
    }

    /// What closing center `center` would change.
    ///
    /// Finds the nodes the center is nearest to (a search from it, pruned where another
    /// center is closer), repairs their costs with a search seeded from the surrounding
    /// nodes and the other centers inside, and re-walks only the residents of the edges
    /// touched. Equals a full recomputation without the center.
    ///
    /// Complexity: O((V' + E') log V' + R') for the V' nodes the center serves.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown center.
    pub fn remove_center(&self, scratch: &mut PlanScratch, center: CenterId) -> Result<SiteChange> {
        let mut changes = std::mem::take(&mut scratch.changes);
        changes.clear();
        self.removal_field(scratch, center)?;
        for k in 0..scratch.edges.len() {
            let e = scratch.edges[k];
            for &i in self.residents_on(e) {
                let r = &self.residents[i as usize];
                let c = self.resident_cost(r, |v| self.base_cost(scratch, v), Some(center.0), None);
                if c != r.cost_m {
                    changes.push((i, c));
                }
            }
        }
        let out = self.change_from(&changes);
        scratch.changes = changes;
        scratch.reset_repaired();
        Ok(out)
    }

    /// What moving center `center` to `lonlat` would change (closing it and opening a
    /// site there, evaluated together, so residents between the two are counted once).
    ///
    /// # Errors
    /// As [`Self::add_site`] and [`Self::remove_center`].
    pub fn move_center(
        &self,
        scratch: &mut PlanScratch,
        center: CenterId,
        lonlat: [f64; 2],
    ) -> Result<SiteChange> {
        let site = self.snap_site(lonlat).ok_or_else(|| off_network(lonlat))?;
        let mut changes = std::mem::take(&mut scratch.changes);
        changes.clear();
        self.removal_field(scratch, center)?;
        let mut edges = std::mem::take(&mut scratch.edges);
        // The site's search prunes against the repaired field.
        self.site_search(scratch, &site, f64::INFINITY);
        edges.extend_from_slice(&scratch.edges);
        edges.sort_unstable();
        edges.dedup();
        for &e in &edges {
            for &i in self.residents_on(e) {
                let r = &self.residents[i as usize];
                let c = self.resident_cost(
                    r,
                    |v| self.base_cost(scratch, v).min(scratch.cost[v]),
                    Some(center.0),
                    Some(&site),
                );
                if c != r.cost_m {
                    changes.push((i, c));
                }
            }
        }
        let out = self.change_from(&changes);
        scratch.changes = changes;
        scratch.reset_repaired();
        Ok(out)
    }

    /// Computes the node field without `center` into `scratch.repaired` (only nodes it
    /// changes) and marks the edges whose residents may change in `scratch.edges`.
    fn removal_field(&self, scratch: &mut PlanScratch, center: CenterId) -> Result<()> {
        let network = self.network;
        let costs = self.costs;
        let c = center.0;
        let snap = self
            .result
            .snapped_centers
            .results
            .get(c as usize)
            .ok_or_else(|| Error::InvalidParameter {
                name: "center".into(),
                reason: format!("no center {c}"),
            })?
            .snap;
        scratch.reset_repaired();
        scratch.next_stamp();
        let Some(snap) = snap else {
            return Ok(()); // off the network: removing it changes nothing
        };
        // 1. The cell: nodes where this center is (one of) the cheapest.
        scratch.reset();
        let (from, to) = network.edge_nodes(snap.edge);
        let length = network.edge_length_m(snap.edge);
        scratch.offer(
            from.0,
            snap.access_m + costs.partial_m(network, snap.edge, 0.0, snap.offset_m),
        );
        scratch.offer(
            to.0,
            snap.access_m + costs.partial_m(network, snap.edge, length, snap.offset_m),
        );
        let mut cell: Vec<u32> = Vec::new();
        while let Some((v, cost)) = scratch.pop() {
            let vi = v as usize;
            let base = self
                .result
                .search
                .cost_m(NodeId(v))
                .unwrap_or(f64::INFINITY);
            let wins = self.result.search.source(NodeId(v)) == Some(c);
            if cost > base * (1.0 + 1e-12) + 1e-9 && !wins {
                continue;
            }
            cell.push(v);
            let arcs = network.arc_start[vi] as usize..network.arc_start[vi + 1] as usize;
            for arc in arcs {
                let arc = costs.search_arcs[arc];
                scratch.offer(arc.head, cost + arc.cost_m());
            }
        }
        scratch.reset();
        // 2. Repair: mark the cell, then a search restricted to it, seeded from the
        // nodes around it (unchanged costs) and the other centers' seeds inside it.
        for &v in &cell {
            scratch.repaired[v as usize] = f64::INFINITY;
            scratch.repaired_touched.push(v);
        }
        let in_cell = |s: &PlanScratch, v: u32| !s.repaired[v as usize].is_nan();
        // Nodes around the cell keep their cost; they seed the repair (the loop below
        // relaxes only into the cell).
        for &v in &cell {
            let vi = v as usize;
            let arcs = network.arc_start[vi] as usize..network.arc_start[vi + 1] as usize;
            for arc in arcs {
                let w = costs.search_arcs[arc].head;
                if !in_cell(scratch, w) {
                    if let Some(cw) = self.result.search.cost_m(NodeId(w)) {
                        scratch.offer(w, cw);
                    }
                }
            }
        }
        for seed in self.result.snapped_centers.seeds(network, costs) {
            if seed.source != c && in_cell(scratch, seed.node.0) {
                scratch.offer(seed.node.0, seed.cost_m);
            }
        }
        while let Some((v, cost)) = scratch.pop() {
            let vi = v as usize;
            let arcs = network.arc_start[vi] as usize..network.arc_start[vi + 1] as usize;
            for arc in arcs {
                let SearchArc { head: w, .. } = costs.search_arcs[arc];
                if in_cell(scratch, w) {
                    scratch.offer(w, cost + costs.search_arcs[arc].cost_m());
                }
            }
        }
        for &v in &cell {
            scratch.repaired[v as usize] = scratch.cost[v as usize];
        }
        scratch.reset();
        scratch.mark_edge(snap.edge.0);
        for &v in &cell {
            let vi = v as usize;
            let arcs = network.arc_start[vi] as usize..network.arc_start[vi + 1] as usize;
            for arc in arcs {
                scratch.mark_edge(network.arc_edge[arc]);
            }
        }
        Ok(())
    }
}

fn off_network(lonlat: [f64; 2]) -> Error {
    Error::InvalidParameter {
        name: "site".into(),
        reason: format!(
            "({:.6}, {:.6}) is farther than max_snap_m from the walk network",
            lonlat[0], lonlat[1]
        ),
    }
}
