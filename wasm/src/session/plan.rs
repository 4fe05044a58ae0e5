//! What-ifs, candidate ranking and site optimizing on the current scenario's study,
//! with the planning scratch kept across calls.

use lifecircle::planning::{
    candidates_from_points, generate_candidates, Candidate, CandidateGrid, Method, PlanModel,
    PlanProgress, PlanScratch, UnitRule,
};
use lifecircle::study::{PlanView, RankedCandidate, WhatIfView};
use lifecircle::{CenterId, Error, PlanParams, Result, Study};

use super::{check_position, OptimizeOptions, RankOptions, Session};
use crate::view;

impl Session {
    /// Runs `f` with the current scenario's study and the reusable scratch.
    fn with_study<T>(
        &mut self,
        f: impl FnOnce(&Study, &mut PlanScratch) -> Result<T>,
    ) -> Result<T> {
        self.study()?;
        let study = self.study.as_ref().expect("computed above");
        let scratch = self
            .scratch
            .get_or_insert_with(|| PlanScratch::new(study.network()));
        f(study, scratch)
    }

    /// What a new site at `lon, lat` would change (the scenario stays as it is).
    pub fn evaluate_candidate(&mut self, lon: f64, lat: f64) -> Result<WhatIfView> {
        check_position(lon, lat)?;
        let max_snap_m = self.params.coverage.max_snap_m;
        self.with_study(|study, scratch| {
            let planner = study.planner();
            let total = planner.total_population();
            match study.what_if_add(scratch, [lon, lat]) {
                Ok(change) => Ok(WhatIfView::new(change, total)),
                // Off the network: a valid question with a clear "no effect" answer.
                Err(Error::InvalidParameter { .. }) => {
                    let covered = planner.covered_population();
                    let mut view = WhatIfView::new(
                        lifecircle::planning::SiteChange {
                            covered_population_before: covered,
                            covered_population_after: covered,
                            ..Default::default()
                        },
                        total,
                    );
                    view.snapped = false;
                    view.reason = Some(format!(
                        "farther than {max_snap_m} m from the walking network"
                    ));
                    Ok(view)
                }
                Err(e) => Err(e),
            }
        })
    }

    /// What closing the open center `key` would change.
    pub fn evaluate_removal(&mut self, key: &str) -> Result<WhatIfView> {
        self.study()?;
        let index = self
            .open_keys
            .iter()
            .position(|k| k == key)
            .ok_or_else(|| self.unknown_center(key))?;
        if self.open_keys.len() == 1 {
            return Err(Error::InvalidParameter {
                name: "centerId".into(),
                reason: format!("`{key}` is the only open center"),
            });
        }
        self.with_study(|study, scratch| {
            let change = study.what_if_remove(scratch, CenterId::at(index))?;
            Ok(WhatIfView::new(change, study.planner().total_population()))
        })
    }

    fn candidates(&self, spacing_m: Option<f64>) -> Result<Vec<Candidate>> {
        if let Some(layer) = &self.candidates {
            return Ok(candidates_from_points(&layer.points));
        }
        let grid = CandidateGrid {
            spacing_m: spacing_m.unwrap_or(CandidateGrid::default().spacing_m),
            boundary: None,
        };
        generate_candidates(&self.roads()?.network, &grid)
    }

    /// Every candidate's gain, best first.
    pub fn rank_candidates(&mut self, options: &RankOptions) -> Result<Vec<RankedCandidate>> {
        let candidates = self.candidates(options.spacing_m)?;
        self.with_study(|study, _| {
            let mut gains = study.rank(&candidates, Some(study.threshold_min()));
            gains.sort_by_key(|g| g.rank);
            if let Some(limit) = options.limit {
                gains.truncate(limit);
            }
            Ok(gains
                .iter()
                .map(|g| RankedCandidate::new(g, &candidates[g.candidate.index()]))
                .collect())
        })
    }

    /// Chooses new sites; `progress(fraction, stage)` is called as the work advances.
    pub fn optimize(
        &mut self,
        model: &str,
        options: &OptimizeOptions,
        progress: &mut dyn FnMut(f64, &str),
    ) -> Result<PlanView> {
        let params = PlanParams {
            model: PlanModel::parse(model)?,
            k: options.k.unwrap_or(1),
            target_ratio: options.target_ratio.unwrap_or(1.0),
            capacity: options.capacity,
            method: if options.exact.unwrap_or(false) {
                Method::Exact
            } else {
                Method::default()
            },
            allow_closing: options.allow_closing.unwrap_or(false),
            max_closed: options.max_closed,
            unit_rule: match (options.unit_floor, options.maximin.unwrap_or(false)) {
                (Some(_), true) => {
                    return Err(Error::InvalidParameter {
                        name: "maximin".into(),
                        reason: "is another rule than unitFloor: give one of them".into(),
                    })
                }
                (Some(ratio), false) => Some(UnitRule::Floor { ratio }),
                (None, true) => Some(UnitRule::Maximin),
                (None, false) => None,
            },
            site_tier: options.site_tier.clone(),
            ..PlanParams::default()
        };
        params.validate()?;
        let candidates = self.candidates(options.spacing_m)?;
        self.study()?;
        let open_keys = self.open_keys.clone();
        self.with_study(|study, _| {
            let mut report = |p: PlanProgress| {
                let (fraction, stage) = view::progress_fraction(&p);
                progress(fraction, stage);
            };
            let outcome = study.plan(&candidates, &params, &mut report)?;
            progress(1.0, "done");
            // Name closed centers by the ids removeCenter takes.
            Ok(PlanView::new(outcome, candidates.len(), |c| {
                open_keys[c.index()].clone()
            }))
        })
    }
}
