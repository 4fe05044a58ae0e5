//! The buffers of what-if searches and the rules that prune them.

use crate::network::{NodeId, WalkNetwork};
use crate::routing::{MultiSourceSearch, Prune, PrunedSearch};

/// Which field a site's search prunes against: today's node costs, those repaired after
/// a removal, or none.
pub(crate) const PRUNE_BASE: u8 = 0;
pub(crate) const PRUNE_REPAIRED: u8 = 1;
pub(crate) const PRUNE_NONE: u8 = 2;

/// The edges a search reached, each listed once (a stamp per edge, so clearing costs
/// nothing).
#[derive(Debug, Clone)]
pub(crate) struct EdgeMarks {
    stamp: Vec<u32>,
    now: u32,
    pub(crate) edges: Vec<u32>,
}

impl EdgeMarks {
    fn new(edge_count: usize) -> Self {
        Self {
            stamp: vec![0; edge_count],
            now: 0,
            edges: Vec::new(),
        }
    }

    /// Starts a new list.
    pub(crate) fn restart(&mut self) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.now = 1;
        }
        self.edges.clear();
    }

    #[inline(always)]
    pub(crate) fn mark(&mut self, e: u32) {
        if self.stamp[e as usize] != self.now {
            self.stamp[e as usize] = self.now;
            self.edges.push(e);
        }
    }
}

/// Reusable buffers for what-if searches; one per thread.
///
/// Reset costs O(what the last query touched), so many small queries on a big network
/// stay cheap.
#[derive(Debug, Clone)]
pub struct PlanScratch {
    pub(crate) search: PrunedSearch,
    /// Repaired node costs after a removal (`NAN`: not repaired).
    pub(crate) repaired: Vec<f64>,
    pub(crate) repaired_touched: Vec<u32>,
    pub(crate) marks: EdgeMarks,
    pub(crate) changes: Vec<(u32, f64)>,
}

impl PlanScratch {
    /// Buffers for queries on `network`.
    pub fn new(network: &WalkNetwork) -> Self {
        Self {
            search: PrunedSearch::new(network.node_count()),
            repaired: vec![f64::NAN; network.node_count()],
            repaired_touched: Vec::new(),
            marks: EdgeMarks::new(network.edge_count()),
            changes: Vec::new(),
        }
    }

    pub(crate) fn reset_repaired(&mut self) {
        for &v in &self.repaired_touched {
            self.repaired[v as usize] = f64::NAN;
        }
        self.repaired_touched.clear();
    }

    /// The edges the last search reached.
    pub(crate) fn edges(&self) -> &[u32] {
        &self.marks.edges
    }
}

/// A site's search: expands only where the site beats the field it prunes against, and
/// marks the edges around every node it expands.
pub(crate) struct SiteRule<'a, const MODE: u8> {
    pub(crate) node_cost: &'a [f64],
    pub(crate) repaired: &'a [f64],
    pub(crate) marks: &'a mut EdgeMarks,
}

impl<const MODE: u8> SiteRule<'_, MODE> {
    #[inline(always)]
    pub(crate) fn field(&self, v: usize) -> f64 {
        match MODE {
            PRUNE_BASE => self.node_cost[v],
            PRUNE_REPAIRED => {
                let r = self.repaired[v];
                if r.is_nan() {
                    self.node_cost[v]
                } else {
                    r
                }
            }
            _ => f64::INFINITY,
        }
    }
}

impl<const MODE: u8> Prune for SiteRule<'_, MODE> {
    #[inline(always)]
    fn admit(&mut self, head: u32, cost_m: f64) -> bool {
        // The current centers are at least as close: nothing beyond improves.
        cost_m < self.field(head as usize)
    }

    #[inline(always)]
    fn arc(&mut self, edge: u32) {
        self.marks.mark(edge);
    }
}

/// The removal's first search: expands the nodes the removed center is (one of) the
/// cheapest for, and lists them.
pub(crate) struct CellRule<'a> {
    pub(crate) field: &'a MultiSourceSearch,
    pub(crate) center: u32,
    pub(crate) cell: Vec<u32>,
}

impl Prune for CellRule<'_> {
    #[inline]
    fn expand(&mut self, v: u32, cost_m: f64) -> bool {
        let base = self.field.cost_m(NodeId(v)).unwrap_or(f64::INFINITY);
        let wins = self.field.source(NodeId(v)) == Some(self.center);
        if cost_m > base * (1.0 + 1e-12) + 1e-9 && !wins {
            return false;
        }
        self.cell.push(v);
        true
    }
}

/// The removal's repair: relaxes only into the cell (nodes with a repaired cost).
pub(crate) struct IntoCell<'a>(pub(crate) &'a [f64]);

impl Prune for IntoCell<'_> {
    #[inline(always)]
    fn admit(&mut self, head: u32, _cost_m: f64) -> bool {
        !self.0[head as usize].is_nan()
    }
}
