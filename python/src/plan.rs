//! `Study.plan`: new sites chosen among candidates, with the plan's report, its sites and
//! candidates as tables, and the study with the sites opened.

use std::path::Path;
use std::sync::Arc;

use lifecircle::features::SkipCounts;
use lifecircle::output::geojson_string;
use lifecircle::planning::{
    candidates_from_points, generate_candidates, Candidate, CandidateGain, CandidateGrid, Method,
    PlanModel, PlanOutcome, UnitRule,
};
use lifecircle::study::PLAN_FOLDER_TITLES;
use lifecircle::{PlanParams, Study};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::background;
use crate::columns::Table;
use crate::errors::{Failure, Outcome};
use crate::inputs::{LayerSpec, PointReading};
use crate::scenario::Scenario;

/// The keyword arguments of `Study.plan`, every one given.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct PlanOptions {
    model: String,
    k: Option<usize>,
    target: Option<f64>,
    capacity: Option<f64>,
    exact: bool,
    swap: bool,
    allow_closing: bool,
    max_closed: Option<usize>,
    unit_floor: Option<f64>,
    maximin: bool,
    site_tier: Option<String>,
    time_limit_s: f64,
    candidate_spacing_m: Option<f64>,
}

impl PlanOptions {
    fn plan_params(&self) -> Outcome<PlanParams> {
        let model = PlanModel::parse(&self.model)?;
        if self.max_closed.is_some() && !self.allow_closing {
            return Err(Failure::parameter(
                "max_closed",
                "limits how many centers may close: it needs allow_closing=True",
            ));
        }
        if !(self.time_limit_s.is_finite() && self.time_limit_s > 0.0 && self.time_limit_s <= 1e6) {
            return Err(Failure::parameter(
                "time_limit_s",
                format!(
                    "{}: expected a positive number of seconds, at most 1000000",
                    self.time_limit_s
                ),
            ));
        }
        let unit_rule = match (self.unit_floor, self.maximin) {
            (Some(_), true) => {
                return Err(Failure::parameter(
                    "maximin",
                    "is another rule than unit_floor: give one of them",
                ))
            }
            (Some(ratio), false) => Some(UnitRule::Floor { ratio }),
            (None, true) => Some(UnitRule::Maximin),
            (None, false) => None,
        };
        let mut params = PlanParams {
            model,
            unit_rule,
            site_tier: self.site_tier.clone(),
            capacity: self.capacity,
            method: if self.exact {
                Method::Exact
            } else if self.swap {
                Method::GreedySwap
            } else {
                Method::Greedy
            },
            exact_time_limit_s: Some(self.time_limit_s),
            allow_closing: self.allow_closing,
            max_closed: self.max_closed,
            ..PlanParams::default()
        };
        match model {
            PlanModel::MaxCoverage | PlanModel::PMedian => {
                params.k = self.k.ok_or_else(|| {
                    Failure::parameter(
                        "k",
                        format!("model `{}` needs k (new sites to open)", self.model),
                    )
                })?;
                if self.target.is_some() {
                    return Err(Failure::parameter(
                        "target",
                        format!("is for model `lscp`; `{}` takes k", self.model),
                    ));
                }
            }
            PlanModel::SetCover => {
                params.target_ratio = self.target.ok_or_else(|| {
                    Failure::parameter(
                        "target",
                        "model `lscp` needs target: the coverage ratio to reach, e.g. 0.95",
                    )
                })?;
                if self.k.is_some() {
                    return Err(Failure::parameter(
                        "k",
                        "is for mclp and pmedian; lscp finds the number of sites (give target)",
                    ));
                }
            }
        }
        params.validate()?;
        Ok(params)
    }
}

/// A plan and the study it was made on (see `lifecircle.Plan`).
#[pyclass(frozen, module = "lifecircle._native")]
pub(crate) struct NativePlan {
    before: Arc<Scenario>,
    after: Arc<Scenario>,
    params: PlanParams,
    outcome: PlanOutcome,
    candidates: Vec<Candidate>,
    gains: Vec<CandidateGain>,
    source: String,
    skipped: SkipCounts,
}

/// Everything a plan is made of, computed in the background.
struct Planned {
    outcome: PlanOutcome,
    candidates: Vec<Candidate>,
    gains: Vec<CandidateGain>,
    source: String,
    skipped: SkipCounts,
    after: Study,
}

/// Chooses new sites for `study` (in the background; Ctrl-C interrupts).
pub(crate) fn plan(
    scenario: &Arc<Scenario>,
    py: Python<'_>,
    options: PlanOptions,
    candidates: Option<LayerSpec>,
    boundary: Option<LayerSpec>,
    progress: Option<Py<PyAny>>,
) -> PyResult<NativePlan> {
    {
        let params = options.plan_params()?;
        let limits = lifecircle::input::InputLimits::default();
        let candidates = candidates.map(|c| c.load(py, &limits)).transpose()?;
        let boundary = boundary.map(|b| b.load(py, &limits)).transpose()?;
        let spacing_m = options
            .candidate_spacing_m
            .unwrap_or(CandidateGrid::default().spacing_m);
        let before = scenario.clone();
        let study = scenario.study.clone();
        let plan_params = params.clone();
        let planned = background::run(py, progress, move |report| {
            let (candidates, source, skipped) = match candidates {
                Some(bytes) => {
                    let places = PointReading {
                        places: true,
                        ..PointReading::default()
                    };
                    let layer = bytes.points(limits, &places)?;
                    (
                        candidates_from_points(&layer.data.points),
                        layer.source,
                        layer.data.skipped,
                    )
                }
                None => {
                    let boundary = match boundary {
                        Some(bytes) => {
                            let units = bytes.units(limits)?;
                            let polygons: Vec<_> = units
                                .data
                                .units
                                .into_iter()
                                .flat_map(|u| u.geometry.0)
                                .collect();
                            if polygons.is_empty() {
                                return Err(Failure::input(
                                    &units.source,
                                    "no boundary polygon found",
                                ));
                            }
                            Some(geo::MultiPolygon::new(polygons))
                        }
                        None => None,
                    };
                    let grid = CandidateGrid {
                        spacing_m,
                        boundary,
                    };
                    (
                        generate_candidates(study.network(), &grid)?,
                        format!("network nodes {spacing_m} m apart"),
                        SkipCounts::default(),
                    )
                }
            };
            if candidates.is_empty() {
                return Err(Failure::input(&source, "no candidate site found"));
            }
            report("ranking candidates");
            let gains = study.rank(&candidates, None);
            report("optimizing sites");
            let outcome = study.plan(&candidates, &plan_params, &mut |_| {})?;
            report("computing coverage with the sites");
            let after = study.with_plan(&outcome)?;
            Ok(Planned {
                outcome,
                candidates,
                gains,
                source,
                skipped,
                after,
            })
        })?;
        Ok(NativePlan {
            before,
            after: Arc::new(Scenario::new(planned.after)),
            params,
            outcome: planned.outcome,
            candidates: planned.candidates,
            gains: planned.gains,
            source: planned.source,
            skipped: planned.skipped,
        })
    }
}

impl NativePlan {
    /// The study with the chosen sites opened (and the closed centers closed).
    pub(crate) fn after(&self) -> Arc<Scenario> {
        self.after.clone()
    }

    fn report_text(&self) -> Outcome<String> {
        let report = self.before.study.plan_report(
            &self.params,
            &self.outcome,
            (&self.source, self.candidates.len(), &self.skipped),
            &self.gains,
        );
        serde_json::to_string_pretty(&report).map_err(|e| Failure::input("plan", e.to_string()))
    }
}

#[pymethods]
impl NativePlan {
    /// `plan.json`, as JSON text.
    fn report_json(&self) -> PyResult<String> {
        Ok(self.report_text()?)
    }

    /// The chosen sites (`sites`) or every candidate ranked (`candidates`) as column
    /// buffers.
    fn table(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyDict>> {
        let crs = self.before.study.params().output_crs;
        let table = match name {
            "sites" => Table::of(&Study::sites_layer(&self.outcome), crs)?,
            "candidates" => {
                Table::of(&Study::candidates_layer(&self.candidates, &self.gains), crs)?
            }
            other => {
                return Err(Failure::parameter(
                    "layer",
                    format!("`{other}`: expected sites or candidates"),
                )
                .into())
            }
        };
        table.into_py(py)
    }

    /// Writes `plan.json`, `plan.geojson`, `candidates.geojson` and the `before/` and
    /// `after/` coverage folders into `folder`, which must exist and be empty.
    #[pyo3(signature = (folder, progress=None))]
    fn write_files(
        &self,
        py: Python<'_>,
        folder: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<()> {
        let folder = Path::new(&folder);
        let crs = self.before.study.params().output_crs;
        let mut report = self.report_text()?;
        report.push('\n');
        let files = [
            ("plan.json", report),
            (
                "plan.geojson",
                geojson_string(&Study::sites_layer(&self.outcome), crs),
            ),
            (
                "candidates.geojson",
                geojson_string(&Study::candidates_layer(&self.candidates, &self.gains), crs),
            ),
        ];
        for (name, text) in files {
            let path = folder.join(name);
            std::fs::write(&path, text).map_err(|e| {
                Failure::file(
                    &path.display().to_string(),
                    format!("cannot write file: {e}"),
                )
            })?;
        }
        for ((name, title), scenario) in PLAN_FOLDER_TITLES
            .into_iter()
            .zip([&self.before, &self.after])
        {
            let sub = folder.join(name);
            std::fs::create_dir(&sub).map_err(|e| {
                Failure::file(
                    &sub.display().to_string(),
                    format!("cannot create folder: {e}"),
                )
            })?;
            scenario.write_files(
                py,
                sub.display().to_string(),
                title.to_string(),
                progress.as_ref().map(|p| p.clone_ref(py)),
            )?;
        }
        Ok(())
    }
}
