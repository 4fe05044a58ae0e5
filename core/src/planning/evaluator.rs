//! The incremental objective the heuristics and bounds evaluate sets with: marginal
//! gains, additions, and the value of a whole set, with capacities on new sites.

use super::instance::Instance;

/// Incremental objective: covered weight (optionally capacitated) or walk minutes saved.
///
/// With closing, the savings model starts with nothing open (every group unserved) and
/// measures savings against today's walks; a set that leaves a group unserved is worth
/// `-inf`.
pub(crate) struct Evaluator<'a> {
    inst: &'a Instance,
    /// Most population one new site serves (`INFINITY`: no limit).
    capacity: f64,
    /// Coverage: uncovered weight left per group. Savings: best walk per group.
    state: Vec<f64>,
    touched: Vec<u32>,
    /// Savings with closing: groups no open column serves yet.
    unserved: usize,
    /// Matrix entries visited so far (bounds the swap step).
    pub work: u64,
    order: Vec<(u32, u32)>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator over `inst` with nothing added, new sites limited to `capacity`.
    pub(super) fn new(inst: &'a Instance, capacity: Option<f64>) -> Self {
        let mut e = Self {
            inst,
            capacity: capacity.unwrap_or(f64::INFINITY),
            state: Vec::new(),
            touched: Vec::new(),
            unserved: 0,
            work: 0,
            order: Vec::new(),
        };
        e.state = (0..inst.weight.len()).map(|g| e.initial(g)).collect();
        e.unserved = e.unserved_at_start();
        e
    }

    /// The instance evaluated.
    pub(super) fn instance(&self) -> &'a Instance {
        self.inst
    }

    /// Walk savings with closing: nothing is open at the start.
    fn open_ended(&self) -> bool {
        self.inst.savings() && self.inst.may_close()
    }

    fn unserved_at_start(&self) -> usize {
        if self.open_ended() {
            self.inst.weight.len()
        } else {
            0
        }
    }

    fn initial(&self, g: usize) -> f64 {
        if self.open_ended() {
            f64::INFINITY
        } else if self.inst.savings() {
            self.inst.current_min[g]
        } else {
            self.inst.weight[g]
        }
    }

    fn capacity_of(&self, j: usize) -> f64 {
        if self.inst.is_existing(j) {
            f64::INFINITY
        } else {
            self.capacity
        }
    }

    /// Back to nothing added.
    pub(super) fn reset(&mut self) {
        for k in 0..self.touched.len() {
            let g = self.touched[k] as usize;
            self.state[g] = self.initial(g);
        }
        self.touched.clear();
        self.unserved = self.unserved_at_start();
    }

    /// Savings with closing: whether every group is served.
    pub(super) fn feasible(&self) -> bool {
        self.unserved == 0
    }

    /// Coverage: uncovered weight left in group `g`; savings: its best walk, minutes.
    pub(super) fn group_state(&self, g: usize) -> f64 {
        self.state[g]
    }

    /// Gain of adding column `j` to the current set.
    pub(super) fn marginal(&mut self, j: usize) -> f64 {
        let entries = &self.inst.entries[j];
        self.work += entries.len() as u64;
        if self.inst.savings() {
            entries
                .iter()
                .map(|&(g, c)| {
                    let g = g as usize;
                    let s = self.state[g];
                    if s == f64::INFINITY {
                        self.inst.weight[g] * (self.inst.current_min[g] - c)
                    } else {
                        self.inst.weight[g] * (s - c).max(0.0)
                    }
                })
                .sum()
        } else {
            let free: f64 = entries.iter().map(|&(g, _)| self.state[g as usize]).sum();
            free.min(self.capacity_of(j))
        }
    }

    /// Adds `j`; returns its gain (for capacity: the population it is assigned).
    pub(super) fn add(&mut self, j: usize) -> f64 {
        let entries = &self.inst.entries[j];
        self.work += entries.len() as u64;
        let mut gain = 0.0;
        let capacity = self.capacity_of(j);
        if self.inst.savings() {
            for &(g, c) in entries {
                let gi = g as usize;
                let s = self.state[gi];
                if c < s {
                    if s == self.initial(gi) {
                        self.touched.push(g);
                    }
                    if s == f64::INFINITY {
                        self.unserved -= 1;
                        gain += self.inst.weight[gi] * (self.inst.current_min[gi] - c);
                    } else {
                        gain += self.inst.weight[gi] * (s - c);
                    }
                    self.state[gi] = c;
                }
            }
        } else if capacity.is_infinite() {
            for &(g, _) in entries {
                let s = &mut self.state[g as usize];
                if *s > 0.0 {
                    if *s == self.inst.weight[g as usize] {
                        self.touched.push(g);
                    }
                    gain += *s;
                    *s = 0.0;
                }
            }
        } else {
            // Serve the groups with the fewest other options first.
            self.order.clear();
            self.order.extend(
                entries
                    .iter()
                    .map(|&(g, _)| (self.inst.degree[g as usize], g)),
            );
            self.order.sort_unstable();
            let mut left = capacity;
            for k in 0..self.order.len() {
                let g = self.order[k].1 as usize;
                if left <= 0.0 {
                    break;
                }
                let take = self.state[g].min(left);
                if take > 0.0 {
                    if self.state[g] == self.initial(g) {
                        self.touched.push(g as u32);
                    }
                    self.state[g] -= take;
                    left -= take;
                    gain += take;
                }
            }
        }
        gain
    }

    /// Objective of a whole set, from scratch (`-inf` when the savings model with
    /// closing leaves a group unserved). Existing centers in `set` are added first, so
    /// they serve whom they reach before capacitated new sites do.
    pub(super) fn value_of(&mut self, set: &[usize]) -> f64 {
        self.reset();
        let mut v = 0.0;
        for &j in set.iter().filter(|&&j| self.inst.is_existing(j)) {
            v += self.add(j);
        }
        for &j in set.iter().filter(|&&j| !self.inst.is_existing(j)) {
            v += self.add(j);
        }
        if self.feasible() {
            v
        } else {
            f64::NEG_INFINITY
        }
    }
}
