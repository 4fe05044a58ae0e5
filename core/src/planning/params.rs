//! Planning parameters with their named defaults.

use serde::Serialize;

use crate::{Error, Result};

/// Default largest number of variables the exact mode accepts.
pub const DEFAULT_EXACT_MAX_VARIABLES: usize = 60_000;

/// What to optimize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanModel {
    /// Maximal covering (MCLP): `k` new sites covering the most population.
    MaxCoverage,
    /// Location set covering (LSCP): fewest new sites reaching a target coverage ratio.
    SetCover,
    /// p-median: `k` new sites minimising the population-weighted walk time.
    PMedian,
}

impl PlanModel {
    /// Short name as written in outputs (`mclp`, `lscp`, `pmedian`).
    pub fn as_str(self) -> &'static str {
        match self {
            PlanModel::MaxCoverage => "mclp",
            PlanModel::SetCover => "lscp",
            PlanModel::PMedian => "pmedian",
        }
    }

    /// Parses `mclp`, `lscp` or `pmedian` (also `p-median`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the accepted models.
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "mclp" | "max-coverage" => Ok(PlanModel::MaxCoverage),
            "lscp" | "set-cover" => Ok(PlanModel::SetCover),
            "pmedian" | "p-median" => Ok(PlanModel::PMedian),
            _ => Err(Error::InvalidParameter {
                name: "model".into(),
                reason: format!("unknown model `{name}`: expected mclp, lscp or pmedian"),
            }),
        }
    }
}

/// How a plan is solved.
///
/// Serialized (and written in `plan.json` → `method`) as `greedy`, `greedy+swap` or
/// `exact`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Method {
    /// Lazy greedy (CELF) alone, with a reported bound.
    #[serde(rename = "greedy")]
    Greedy,
    /// Lazy greedy improved by a 1-swap/2-swap local search, with a reported bound (the
    /// default). LSCP has no swap step and runs the greedy alone.
    #[default]
    #[serde(rename = "greedy+swap")]
    GreedySwap,
    /// The integer program, solved exactly (or to the time limit, with its bound).
    #[serde(rename = "exact")]
    Exact,
}

impl Method {
    /// Name as written in outputs (`greedy`, `greedy+swap`, `exact`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Greedy => "greedy",
            Method::GreedySwap => "greedy+swap",
            Method::Exact => "exact",
        }
    }

    /// Parses `greedy`, `greedy+swap` (also `greedy-swap`, `swap`) or `exact`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the accepted methods.
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "greedy" => Ok(Method::Greedy),
            "greedy+swap" | "greedy-swap" | "swap" => Ok(Method::GreedySwap),
            "exact" => Ok(Method::Exact),
            _ => Err(Error::InvalidParameter {
                name: "method".into(),
                reason: format!("unknown method `{name}`: expected greedy, greedy+swap or exact"),
            }),
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Fairness over reporting units (communities, grid cells): what the plan owes the
/// worst-served ones (MCLP, solved by the integer program).
///
/// Serialized as `{"rule": "floor", "ratio": 0.8}` or `{"rule": "maximin"}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum UnitRule {
    /// Every unit at least `ratio` of its population covered, then the most population
    /// in all. Units the candidates cannot bring to the floor are reported and left out
    /// of it.
    Floor {
        /// Coverage ratio each unit must reach, in `(0, 1]`.
        ratio: f64,
    },
    /// The worst-covered unit (of those the candidates can improve) as well covered as
    /// possible, then the most population in all.
    Maximin,
}

/// Parameters of a site optimization ([`crate::planning::plan_sites`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanParams {
    /// The model.
    pub model: PlanModel,
    /// New sites to open (MCLP, p-median).
    pub k: usize,
    /// Coverage ratio to reach (LSCP), in `(0, 1]`.
    pub target_ratio: f64,
    /// Most population one new site may serve (MCLP, LSCP); `None` for no limit.
    /// Existing centers keep serving whom they serve today.
    pub capacity: Option<f64>,
    /// How to solve: the greedy heuristic with or without swaps, or the integer program.
    /// With [`Self::allow_closing`], MCLP and p-median always swap in heuristic mode
    /// (closures are the relocations the swap step finds).
    pub method: Method,
    /// Exact mode refuses instances with more variables than this.
    pub exact_max_variables: usize,
    /// Stop the exact solver after this many seconds and report its best answer with
    /// its bound. `None`: no limit (needed on wasm, where there is no clock).
    pub exact_time_limit_s: Option<f64>,
    /// p-median: ignore walk improvements longer than this many minutes (a new site is
    /// searched only this far). `None`: no cap, exact.
    pub improve_limit_min: Option<f64>,
    /// Let the plan close existing centers (default `false`: they all stay).
    ///
    /// - MCLP and p-median become *relocation* models: the plan keeps at most
    ///   `existing + k` open sites, so every center it closes frees one more new site
    ///   (a closure is a move); it closes a center only where that gains.
    /// - LSCP finds the fewest open sites in all (kept existing centers + new sites)
    ///   reaching the target, so redundant existing centers may close.
    ///
    /// At most `max_closed` centers close. Residents are re-assigned to their nearest
    /// open site; p-median keeps every resident who walks to a center today served.
    /// Capacities apply to new sites only. Closing searches every site without pruning
    /// against the current centers (for p-median, the whole network), so it costs more
    /// than adding.
    pub allow_closing: bool,
    /// With `allow_closing`: most existing centers that may close; `None`: any number.
    pub max_closed: Option<usize>,
    /// Fairness over reporting units (MCLP): a per-unit floor or the worst unit
    /// maximised. Needs the units ([`crate::Study`] passes its own), runs the integer
    /// program whatever the [`Self::method`] (the heuristic has no floor), and refuses
    /// capacities and closing.
    pub unit_rule: Option<UnitRule>,
    /// Plan by tier: the new sites are centers of this tier of the study's catalogue,
    /// each offering every service a center of the tier counts for (co-location), and
    /// the objective is *complete* coverage (every required service within its
    /// threshold) instead of plain coverage. MCLP and LSCP; refuses closing.
    pub site_tier: Option<String>,
}

impl Default for PlanParams {
    fn default() -> Self {
        Self {
            model: PlanModel::MaxCoverage,
            k: 1,
            target_ratio: 1.0,
            capacity: None,
            method: Method::default(),
            exact_max_variables: DEFAULT_EXACT_MAX_VARIABLES,
            exact_time_limit_s: None,
            improve_limit_min: None,
            allow_closing: false,
            max_closed: None,
            unit_rule: None,
            site_tier: None,
        }
    }
}

impl PlanParams {
    /// Checks every parameter is in range.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the first parameter out of range.
    pub fn validate(&self) -> Result<()> {
        let bad = |name: &str, reason: String| {
            Err(Error::InvalidParameter {
                name: name.into(),
                reason,
            })
        };
        match self.model {
            PlanModel::MaxCoverage | PlanModel::PMedian if self.k == 0 => {
                return bad("k", "must be at least 1 new site".into())
            }
            PlanModel::SetCover if !(self.target_ratio > 0.0 && self.target_ratio <= 1.0) => {
                return bad(
                    "target_ratio",
                    format!("must be in (0, 1], got {}", self.target_ratio),
                )
            }
            _ => {}
        }
        if let Some(c) = self.capacity {
            if !(c.is_finite() && c > 0.0) {
                return bad("capacity", format!("must be a positive number, got {c}"));
            }
            if self.model == PlanModel::PMedian {
                return bad(
                    "capacity",
                    "is supported for the mclp and lscp models, not pmedian".into(),
                );
            }
        }
        if let Some(t) = self.exact_time_limit_s {
            if !(t.is_finite() && t > 0.0) {
                return bad(
                    "exact_time_limit_s",
                    format!("must be a positive number, got {t}"),
                );
            }
        }
        if let Some(m) = self.improve_limit_min {
            if m.is_nan() || m <= 0.0 {
                return bad("improve_limit_min", format!("must be positive, got {m}"));
            }
            if self.allow_closing && self.model == PlanModel::PMedian {
                return bad(
                    "improve_limit_min",
                    "cannot be combined with allow_closing for pmedian (closing needs every \
                     walk in full)"
                        .into(),
                );
            }
        }
        if self.max_closed.is_some() && !self.allow_closing {
            return bad("max_closed", "needs allow_closing".into());
        }
        if self.site_tier.is_some() {
            if self.model == PlanModel::PMedian {
                return bad(
                    "site_tier",
                    "plans complete coverage: use mclp or lscp, not pmedian".into(),
                );
            }
            if self.allow_closing {
                return bad("site_tier", "cannot be combined with allow_closing".into());
            }
        }
        if let Some(rule) = self.unit_rule {
            if let UnitRule::Floor { ratio } = rule {
                if !(ratio > 0.0 && ratio <= 1.0) {
                    return bad("unit_floor", format!("must be in (0, 1], got {ratio}"));
                }
            }
            let name = match rule {
                UnitRule::Floor { .. } => "unit_floor",
                UnitRule::Maximin => "maximin",
            };
            if self.model != PlanModel::MaxCoverage {
                return bad(
                    name,
                    format!("applies to the mclp model, not {}", self.model.as_str()),
                );
            }
            if self.capacity.is_some() {
                return bad(name, "cannot be combined with a capacity".into());
            }
            if self.allow_closing {
                return bad(name, "cannot be combined with allow_closing".into());
            }
        }
        Ok(())
    }
}
