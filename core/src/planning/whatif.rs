//! What-if queries: the exact effect of adding, removing or moving one center, found by
//! searches that touch only the part of the network the change improves (or worsens).

use serde::Serialize;

use super::index::{Planner, Resident, SiteSnap};
use super::scratch::{
    CellRule, IntoCell, PlanScratch, SiteRule, PRUNE_BASE, PRUNE_NONE, PRUNE_REPAIRED,
};
use crate::features::CenterId;
use crate::network::{EdgeId, NodeId};
use crate::{Error, Result};

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

impl Planner<'_> {
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

    fn site_search_in<const MODE: u8>(
        &self,
        scratch: &mut PlanScratch,
        site: &SiteSnap,
        limit_m: f64,
    ) {
        let network = self.network;
        let costs = self.costs;
        let PlanScratch {
            search,
            repaired,
            marks,
            ..
        } = scratch;
        search.reset();
        let mut rule = SiteRule::<MODE> {
            node_cost: &self.index.node_cost,
            repaired,
            marks,
        };
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
            if c <= limit_m && c < rule.field(v as usize) {
                search.offer(v, c);
            }
        }
        // Every queued node is expanded, so marking the edges of expanded nodes marks
        // those of every node the search reached.
        rule.marks.restart();
        rule.marks.mark(s.edge.0);
        search.run(network, costs, limit_m, &mut rule);
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
        for &e in scratch.edges() {
            let (from, to) = network.edge_nodes(EdgeId(e));
            let cf = scratch.search.cost(from.0);
            let ct = scratch.search.cost(to.0);
            let slots = self.slots_on(e);
            if e == site_edge {
                for sl in slots {
                    let r = &self.index.residents[sl.resident as usize];
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
        let t = self.index.threshold_cost_m;
        let mut covered = self.index.covered_population;
        let mut newly = 0;
        let mut lost = 0;
        let mut shorter = 0.0;
        let mut longer = 0.0;
        let mut sum = self.index.walk_cost_sum;
        let mut pop = self.index.walk_population;
        let mut saved = 0.0;
        for &(i, new) in changes {
            let r = &self.index.residents[i as usize];
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
                    saved += r.population * (old - new) / self.index.metres_per_min;
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
        let mean = |s: f64, p: f64| (p > 0.0).then(|| s / p / self.index.metres_per_min);
        let before = mean(self.index.walk_cost_sum, self.index.walk_population);
        let after = mean(sum, pop);
        SiteChange {
            covered_population_before: self.index.covered_population,
            covered_population_after: covered,
            covered_population_change: covered - self.index.covered_population,
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
        for k in 0..scratch.edges().len() {
            let e = scratch.edges()[k];
            for &i in self.residents_on(e) {
                let r = &self.index.residents[i as usize];
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
        let mut edges = scratch.edges().to_vec();
        // The site's search prunes against the repaired field.
        self.site_search(scratch, &site, f64::INFINITY);
        edges.extend_from_slice(scratch.edges());
        edges.sort_unstable();
        edges.dedup();
        for &e in &edges {
            for &i in self.residents_on(e) {
                let r = &self.index.residents[i as usize];
                let c = self.resident_cost(
                    r,
                    |v| {
                        self.base_cost(scratch, v)
                            .min(scratch.search.cost(v as u32))
                    },
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
    /// changes) and marks the edges whose residents may change.
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
        scratch.marks.restart();
        let Some(snap) = snap else {
            return Ok(()); // off the network: removing it changes nothing
        };
        let search = &mut scratch.search;
        // 1. The cell: nodes where this center is (one of) the cheapest.
        search.reset();
        let (from, to) = network.edge_nodes(snap.edge);
        let length = network.edge_length_m(snap.edge);
        search.offer(
            from.0,
            snap.access_m + costs.partial_m(network, snap.edge, 0.0, snap.offset_m),
        );
        search.offer(
            to.0,
            snap.access_m + costs.partial_m(network, snap.edge, length, snap.offset_m),
        );
        let mut cell = CellRule {
            field: &self.result.search,
            center: c,
            cell: Vec::new(),
        };
        search.run(network, costs, f64::INFINITY, &mut cell);
        let cell = cell.cell;
        search.reset();
        // 2. Repair: mark the cell, then a search restricted to it, seeded from the
        // nodes around it (unchanged costs) and the other centers' seeds inside it.
        for &v in &cell {
            scratch.repaired[v as usize] = f64::INFINITY;
            scratch.repaired_touched.push(v);
        }
        let repaired = &scratch.repaired;
        let in_cell = |v: u32| !repaired[v as usize].is_nan();
        // Nodes around the cell keep their cost; they seed the repair (the search below
        // relaxes only into the cell).
        for &v in &cell {
            for arc in network.arcs(v) {
                let w = costs.search_arcs[arc].head;
                if !in_cell(w) {
                    if let Some(cw) = self.result.search.cost_m(NodeId(w)) {
                        search.offer(w, cw);
                    }
                }
            }
        }
        for seed in self.result.snapped_centers.seeds(network, costs) {
            if seed.source != c && in_cell(seed.node.0) {
                search.offer(seed.node.0, seed.cost_m);
            }
        }
        search.run(network, costs, f64::INFINITY, &mut IntoCell(repaired));
        for &v in &cell {
            scratch.repaired[v as usize] = scratch.search.cost(v);
        }
        scratch.search.reset();
        scratch.marks.mark(snap.edge.0);
        for &v in &cell {
            for arc in network.arcs(v) {
                scratch.marks.mark(network.arc_edges()[arc]);
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
