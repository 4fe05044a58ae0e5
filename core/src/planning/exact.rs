//! The integer programs of MCLP, LSCP and p-median, solved by the pure-Rust `microlp`
//! solver through `good_lp` (no native library, so it builds for wasm too).

use good_lp::{
    constraint, microlp, variable, Expression, ProblemVariables, ResolutionError, Solution,
    SolutionStatus, SolverModel, Variable, WithTimeLimit,
};

use super::fairness::UnitConstraint;
use super::instance::Instance;
use super::params::{PlanModel, PlanParams};
use crate::{Error, Result};

/// An exact (or time-limited) answer.
pub(crate) struct ExactSolution {
    /// The chosen columns (existing centers kept, new candidates), ascending.
    pub chosen: Vec<usize>,
    /// The solver's objective (totals: with closing, today's kept coverage included).
    pub objective: f64,
    /// The LP bound when not proven optimal (`NAN` when unavailable).
    pub bound: f64,
    /// Whether the solver proved it optimal.
    pub optimal: bool,
}

fn variable_count(inst: &Instance, params: &PlanParams) -> usize {
    let per_entry = inst.savings() || params.capacity.is_some();
    inst.column_count()
        + if per_entry {
            inst.nnz()
        } else {
            inst.weight.len()
        }
}

struct Model {
    vars: ProblemVariables,
    x: Vec<Variable>,
    objective: Expression,
    constraints: Vec<good_lp::Constraint>,
    /// Coverage in the assignment form (capacities): the weight each column serves;
    /// empty otherwise.
    served_by: Vec<Expression>,
}

/// What the solver answered.
struct Answer {
    /// Value of each `x[j]`.
    x: Vec<f64>,
    /// The objective's value.
    objective: f64,
    /// Weight each column serves (see [`Model::served_by`]).
    served_by: Vec<f64>,
    /// Proven optimal.
    optimal: bool,
}

/// Builds the program; `integer` false gives the LP relaxation.
///
/// Variables: `x[j]` open column j (existing centers first when closing; at most
/// `max_closed` of them at 0), then per group either `y[g]` covered or, in the
/// assignment form (savings, capacities), `z[g][j]` share of g served by j; with
/// [`UnitConstraint::MaximiseWorst`], `w` the worst unit's ratio.
fn build(
    inst: &Instance,
    params: &PlanParams,
    need: f64,
    max_closed: usize,
    integer: bool,
    units: Option<&UnitConstraint<'_>>,
) -> Model {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = (0..inst.column_count())
        .map(|_| {
            vars.add(if integer {
                variable().binary()
            } else {
                variable().min(0.0).max(1.0)
            })
        })
        .collect();
    let mut constraints = Vec::new();
    let mut objective = Expression::from(0.0);
    let mut served = Expression::from(0.0);
    let mut served_by = Vec::new();
    // The share of each group covered, for the per-unit constraints.
    let mut group_covered: Vec<Expression> = Vec::new();
    if inst.savings() || params.capacity.is_some() {
        // Assignment form: z[g][j] share of group g served by candidate j.
        let mut per_group: Vec<Expression> = vec![Expression::from(0.0); inst.weight.len()];
        let mut per_cand: Vec<Expression> = vec![Expression::from(0.0); inst.column_count()];
        for (j, list) in inst.entries.iter().enumerate() {
            for &(g, c) in list {
                let z = vars.add(variable().min(0.0).max(1.0));
                let w = inst.weight[g as usize];
                per_group[g as usize] += z;
                constraints.push(constraint!(z <= x[j]));
                if inst.savings() {
                    objective += w * (inst.current_min[g as usize] - c) * z;
                } else {
                    per_cand[j] += w * z;
                    served += w * z;
                }
            }
        }
        if units.is_some() {
            group_covered = per_group.clone();
        }
        for e in per_group {
            if inst.savings() && inst.may_close() {
                // Everyone who walks to a center today keeps a walk.
                constraints.push(constraint!(e == 1.0));
            } else {
                constraints.push(constraint!(e <= 1.0));
            }
        }
        if let Some(cap) = params.capacity {
            for (j, e) in per_cand.iter().enumerate() {
                if !inst.is_existing(j) {
                    constraints.push(constraint!(e.clone() <= cap * x[j]));
                }
            }
            if !inst.savings() {
                served_by = per_cand;
            }
        }
    } else {
        let mut cover: Vec<Expression> = vec![Expression::from(0.0); inst.weight.len()];
        for (j, list) in inst.entries.iter().enumerate() {
            for &(g, _) in list {
                cover[g as usize] += x[j];
            }
        }
        for (g, e) in cover.into_iter().enumerate() {
            let y = vars.add(variable().min(0.0).max(1.0));
            constraints.push(constraint!(y <= e));
            served += inst.weight[g] * y;
            if units.is_some() {
                group_covered.push(Expression::from(y));
            }
        }
    }
    let mut worst = None;
    if let Some(units) = units {
        let (figures, floor_of, worst_of) = match units {
            UnitConstraint::Floors(f, floors) => (*f, Some(floors), None),
            UnitConstraint::MaximiseWorst(f, included) => (*f, None, Some(included)),
        };
        let w = worst_of.map(|_| vars.add(variable().min(0.0).max(1.0)));
        for u in 0..figures.len() {
            let population = figures.population[u];
            let mut covered = Expression::from(figures.covered_before[u]);
            for &g in &figures.groups[u] {
                covered += inst.weight[g as usize] * group_covered[g as usize].clone();
            }
            if let Some(Some(ratio)) = floor_of.map(|f| f[u]) {
                constraints.push(constraint!(covered >= ratio * population));
            } else if let (Some(w), Some(true)) = (w, worst_of.map(|i| i[u])) {
                constraints.push(constraint!(covered - population * w >= 0.0));
            }
        }
        worst = w;
    }
    let count: Expression = x.iter().copied().sum();
    let existing = inst.existing().len();
    if existing > 0 {
        let kept: Expression = x[..existing].iter().copied().sum();
        constraints.push(constraint!(
            kept >= existing.saturating_sub(max_closed) as f64
        ));
    }
    let open_max = (existing + params.k) as f64;
    match params.model {
        PlanModel::MaxCoverage => {
            objective = worst.map_or(served, Expression::from);
            constraints.push(constraint!(count <= open_max));
        }
        PlanModel::PMedian => {
            constraints.push(constraint!(count <= open_max));
        }
        PlanModel::SetCover => {
            constraints.push(constraint!(served >= need));
            objective = count;
        }
    }
    Model {
        vars,
        x,
        objective,
        constraints,
        served_by,
    }
}

fn solve_model(
    model: Model,
    params: &PlanParams,
    time_limit: Option<f64>,
) -> std::result::Result<Answer, ResolutionError> {
    let Model {
        vars,
        x,
        objective,
        constraints,
        served_by,
    } = model;
    let minimise = params.model == PlanModel::SetCover;
    let unsolved = if minimise {
        vars.minimise(objective.clone())
    } else {
        vars.maximise(objective.clone())
    };
    let mut problem = unsolved.using(microlp);
    if let Some(t) = time_limit {
        problem = problem.with_time_limit(t);
    }
    for c in constraints {
        problem.add_constraint(c);
    }
    let solution = problem.solve()?;
    Ok(Answer {
        x: x.iter().map(|&v| solution.value(v)).collect(),
        objective: solution.eval(&objective),
        served_by: served_by.iter().map(|e| solution.eval(e)).collect(),
        optimal: matches!(solution.status(), SolutionStatus::Optimal),
    })
}

/// The LP-relaxation bound (a total, as the solver's objective), when the instance is
/// within the size limit and solves.
pub(crate) fn lp_bound(
    inst: &Instance,
    params: &PlanParams,
    need: f64,
    max_closed: usize,
    units: Option<&UnitConstraint<'_>>,
) -> Option<f64> {
    if inst.column_count() == 0 || variable_count(inst, params) > params.exact_max_variables {
        return None;
    }
    let model = build(inst, params, need, max_closed, false, units);
    solve_model(model, params, params.exact_time_limit_s)
        .ok()
        .map(|a| a.objective)
}

/// The maximal capacitated assignment of [`max_coverage`].
pub(crate) struct MaxCoverage {
    /// Population covered (the instance's units: with closing a total, else what the
    /// new sites add to today's coverage).
    pub covered: f64,
    /// The columns that serve anyone in it, ascending.
    pub used: Vec<usize>,
}

/// The most population the sites can cover with their capacities, with every column
/// open, or only those in `open`: the maximal assignment (a transportation problem, so
/// the LP relaxation is exact), when the instance is within the size limit and solves.
/// Meant for capacities (without them every group in reach is covered).
pub(crate) fn max_coverage(
    inst: &Instance,
    params: &PlanParams,
    open: Option<&[usize]>,
) -> Option<MaxCoverage> {
    let all = PlanParams {
        model: PlanModel::MaxCoverage,
        k: inst.column_count(),
        ..params.clone()
    };
    if inst.column_count() == 0 || variable_count(inst, &all) > all.exact_max_variables {
        return None;
    }
    // Every existing center may close: `open` says which columns stay.
    let mut model = build(inst, &all, 0.0, inst.existing().len(), false, None);
    if let Some(open) = open {
        for (j, &x) in model.x.iter().enumerate() {
            if !open.contains(&j) {
                model.constraints.push(constraint!(x <= 0.0));
            }
        }
    }
    let answer = solve_model(model, &all, all.exact_time_limit_s).ok()?;
    let used = (0..answer.served_by.len())
        .filter(|&j| answer.served_by[j] > 1e-9)
        .collect();
    Some(MaxCoverage {
        // Rounded to 1e-6 population: the solver's own rounding, not people.
        covered: (answer.objective * 1e6).round() / 1e6,
        used,
    })
}

/// The error of a program that should have had a solution and had none.
pub(crate) fn infeasible() -> Error {
    Error::InvalidParameter {
        name: "exact".into(),
        reason: format!(
            "the integer program did not solve: {}",
            ResolutionError::Infeasible
        ),
    }
}

/// Solves the integer program, with the per-unit constraints `units` if any; `None`
/// when it is infeasible (LSCP: the need is more than the sites can serve with their
/// capacities; a unit floor that `k` sites cannot meet). With
/// [`UnitConstraint::MaximiseWorst`] the objective is the worst unit's ratio.
///
/// # Errors
/// [`Error::TooLarge`] over [`PlanParams::exact_max_variables`];
/// [`Error::InvalidParameter`] (`exact`) when the solver fails otherwise.
pub(crate) fn solve(
    inst: &Instance,
    params: &PlanParams,
    need: f64,
    max_closed: usize,
    units: Option<&UnitConstraint<'_>>,
) -> Result<Option<ExactSolution>> {
    let n = variable_count(inst, params);
    if n > params.exact_max_variables {
        return Err(Error::TooLarge {
            layer: "plan".into(),
            reason: format!(
                "the exact model needs {n} variables ({} sites, {} resident groups), over the \
                 limit of {}: use the greedy mode (it reports a bound), fewer candidates \
                 (a larger spacing) or raise the limit (--exact-max-variables N)",
                inst.column_count(),
                inst.weight.len(),
                params.exact_max_variables
            ),
        });
    }
    if inst.column_count() == 0 {
        return Ok(Some(ExactSolution {
            chosen: Vec::new(),
            objective: 0.0,
            bound: 0.0,
            optimal: true,
        }));
    }
    let model = build(inst, params, need, max_closed, true, units);
    let Answer {
        x: values,
        objective,
        optimal,
        ..
    } = match solve_model(model, params, params.exact_time_limit_s) {
        Ok(answer) => answer,
        Err(ResolutionError::Infeasible) => return Ok(None),
        Err(e) => {
            return Err(Error::InvalidParameter {
                name: "exact".into(),
                reason: format!("the integer program did not solve: {e}"),
            })
        }
    };
    let chosen: Vec<usize> = (0..values.len()).filter(|&j| values[j] > 0.5).collect();
    let bound = if optimal {
        objective
    } else {
        lp_bound(inst, params, need, max_closed, units).unwrap_or(f64::NAN)
    };
    Ok(Some(ExactSolution {
        chosen,
        objective,
        bound,
        optimal,
    }))
}
