//! A plan as the models see it: the instance, today's figures, the need (LSCP), and
//! what a model hands back ([`Solved`]).

use super::candidates::Candidate;
use super::evaluator::Evaluator;
use super::exact::{self, ExactSolution};
use super::fairness::{PlanUnits, UnitConstraint, UnitFigures, UnitSolve};
use super::index::Planner;
use super::instance::Instance;
use super::outcome::{report, BoundKind, PlanProgress, PlanStage};
use super::params::{Method, PlanModel, PlanParams};
use super::targets::PlanTargets;
use crate::Result;

/// The problem one plan solves.
pub(crate) struct Problem<'a> {
    /// Today's coverage and the planning index.
    pub planner: &'a Planner<'a>,
    /// The candidates given.
    pub candidates: &'a [Candidate],
    /// The parameters.
    pub params: &'a PlanParams,
    /// The candidate (and, with closing, existing-center) → demand-group matrix.
    pub inst: Instance,
    /// Total population.
    pub total: f64,
    /// Population covered today.
    pub before: f64,
    /// The existing-center columns (`0..existing`; empty without closing).
    pub existing_cols: Vec<usize>,
    /// Most existing centers that may close.
    pub max_closed: usize,
    /// Objective of today's centers alone (0 without closing: the model counts gains).
    pub base_value: f64,
    /// Highest coverage the sites reach together, without capacities.
    pub reach_max: f64,
    /// LSCP: the weight the sites must cover (the instance's units: gains without
    /// closing, totals with), at most what they can; 0 for the other models.
    pub reachable_need: f64,
    /// Tolerance on populations (`1e-9` of the total).
    pub eps: f64,
    /// Notes found while setting up (an unreachable target).
    pub notes: Vec<String>,
    /// With [`PlanParams::unit_rule`]: coverage per reporting unit.
    pub units: Option<UnitFigures>,
}

/// What a model returns: the final columns and their value, with the bound.
pub(crate) struct Solved {
    /// The final columns (kept existing centers, new candidates).
    pub set: Vec<usize>,
    /// The evaluator's value of `set` (totals, today's kept coverage included with
    /// closing); LSCP: the number of sites.
    pub value: f64,
    /// The bound on `value` (same units).
    pub bound: f64,
    /// How the bound was found.
    pub bound_kind: BoundKind,
    /// What ran.
    pub method: Method,
    /// With capacities: the population covered after, each new site counted up to its
    /// capacity (a total, as `covered_population_after`); `None`: by walking distance.
    pub covered_after: Option<f64>,
    /// LSCP with capacities: the most population the sites can cover with their
    /// capacities (a total); `None`: as [`Problem::reach_max`].
    pub reach_max: Option<f64>,
    /// Notes of the model.
    pub notes: Vec<String>,
    /// With [`PlanParams::unit_rule`]: what the per-unit solve found.
    pub unit_solve: Option<UnitSolve>,
}

impl Solved {
    /// An exact answer whose value is `value`: its own bound when optimal, else the
    /// solver's LP bound.
    pub(super) fn exact(sol: ExactSolution, value: f64) -> Self {
        let (bound, bound_kind) = if sol.optimal {
            (value, BoundKind::Optimal)
        } else {
            (sol.bound, BoundKind::LpRelaxation)
        };
        Solved {
            set: sol.chosen,
            value,
            bound,
            bound_kind,
            method: Method::Exact,
            covered_after: None,
            reach_max: None,
            notes: Vec::new(),
            unit_solve: None,
        }
    }
}

impl<'a> Problem<'a> {
    /// Builds the instance (reporting [`PlanStage::Candidates`]) and today's figures,
    /// for LSCP the need, with a note when the target is out of reach, with `units` the
    /// coverage per unit, and with `targets` who is served today and within which walk.
    pub(super) fn new(
        planner: &'a Planner<'a>,
        candidates: &'a [Candidate],
        params: &'a PlanParams,
        units: Option<&PlanUnits>,
        targets: Option<&PlanTargets>,
        progress: &mut dyn FnMut(PlanProgress),
    ) -> Self {
        let unit_of = units.map(PlanUnits::unit_of);
        let inst = Instance::build(
            planner,
            candidates,
            params,
            unit_of,
            targets,
            &mut |done, total| {
                report(progress, PlanStage::Candidates, done, total);
            },
        );
        let units = units.map(|u| UnitFigures::new(u, planner, &inst, targets));
        let total = planner.index.total_population;
        let before = match targets {
            // `+ 0.0`: an empty sum is -0.0.
            Some(t) => {
                planner
                    .index
                    .residents
                    .iter()
                    .enumerate()
                    .filter(|(r, _)| t.served(*r))
                    .map(|(_, res)| res.population)
                    .sum::<f64>()
                    + 0.0
            }
            None => planner.index.covered_population,
        };
        let mut notes = Vec::new();
        let ratio = |x: f64| if total > 0.0 { x / total } else { 0.0 };
        let closing = inst.may_close();
        let n_existing = inst.existing().len();
        let existing_cols: Vec<usize> = (0..n_existing).collect();
        let max_closed = params.max_closed.unwrap_or(n_existing).min(n_existing);
        let base_value = Evaluator::new(&inst, params.capacity).value_of(&existing_cols);

        let coverable: f64 = if inst.savings() {
            0.0
        } else {
            inst.weight.iter().sum()
        };
        // The instance counts today's coverage too when closing.
        let reach_max = if closing {
            coverable
        } else {
            before + coverable
        };
        let need = match params.model {
            PlanModel::SetCover => {
                let target = params.target_ratio * total;
                if target > reach_max + 1e-9 * total.max(1.0) {
                    let unreachable: f64 = planner
                        .index
                        .residents
                        .iter()
                        .filter(|r| r.edge == u32::MAX)
                        .map(|r| r.population)
                        .sum::<f64>()
                        // An empty sum is -0.0: no note may say `-0`.
                        + 0.0;
                    notes.push(format!(
                        "target {:.1} % is unreachable: the candidates can bring coverage to {:.2} % at most \
                         ({:.0} population is farther than max_snap_m from the network, {:.0} more is beyond \
                         the threshold of every candidate)",
                        params.target_ratio * 100.0,
                        ratio(reach_max) * 100.0,
                        unreachable,
                        (total - reach_max - unreachable).max(0.0)
                    ));
                }
                if closing {
                    target.max(0.0)
                } else {
                    (target - before).max(0.0)
                }
            }
            _ => 0.0,
        };
        Problem {
            planner,
            candidates,
            params,
            total,
            before,
            existing_cols,
            max_closed,
            base_value,
            reach_max,
            reachable_need: need.min(coverable),
            eps: 1e-9 * total.max(1.0),
            notes,
            inst,
            units,
        }
    }

    /// `x` as a share of the total population (0 without population).
    pub(super) fn ratio(&self, x: f64) -> f64 {
        if self.total > 0.0 {
            x / self.total
        } else {
            0.0
        }
    }

    /// Solves the integer program for `need` (LSCP; see [`Self::reachable_need`]),
    /// reporting [`PlanStage::Exact`] around it; `None` when it is infeasible.
    ///
    /// # Errors
    /// As [`exact::solve`].
    pub(super) fn solve_exact(
        &self,
        need: f64,
        progress: &mut dyn FnMut(PlanProgress),
    ) -> Result<Option<ExactSolution>> {
        self.solve_exact_in_units(self.params, need, None, progress)
    }

    /// [`Self::solve_exact`] with `params` (the plan's, or a variant of them) and the
    /// per-unit constraints `units`.
    ///
    /// # Errors
    /// As [`exact::solve`].
    pub(super) fn solve_exact_in_units(
        &self,
        params: &PlanParams,
        need: f64,
        units: Option<&UnitConstraint<'_>>,
        progress: &mut dyn FnMut(PlanProgress),
    ) -> Result<Option<ExactSolution>> {
        report(progress, PlanStage::Exact, 0, 1);
        let sol = exact::solve(&self.inst, params, need, self.max_closed, units)?;
        report(progress, PlanStage::Exact, 1, 1);
        Ok(sol)
    }

    /// A coverage value of the instance (with closing a total, else a gain over
    /// today) as a total covered population.
    pub(super) fn covered_total(&self, value: f64) -> f64 {
        if self.inst.may_close() {
            value
        } else {
            self.before + value
        }
    }
}
