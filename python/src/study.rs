//! `NativeStudy`: one core [`Study`] held for Python (a [`Scenario`]), with its what-if
//! scratch kept between clicks.

use std::sync::{Arc, Mutex};

use lifecircle::features::CenterId;
use lifecircle::network::doubtful_snaps;
use lifecircle::planning::PlanScratch;
use lifecircle::study::WhatIfView;
use lifecircle::{Layers, Study};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::background;
use crate::errors::{Failure, Outcome};
use crate::inputs::{read_one_osm_pass, LayerSpec, PointReading};
use crate::params::StudyOptions;
use crate::plan::{self, NativePlan, PlanOptions};
use crate::scenario::Scenario;

/// A coverage study (see `lifecircle.Study`, the Python class that wraps it).
#[pyclass(frozen, module = "lifecircle._native")]
pub(crate) struct NativeStudy {
    scenario: Arc<Scenario>,
    scratch: Mutex<Option<PlanScratch>>,
    /// For a tile of a distributed run: residents and centers an open small component
    /// lies within snapping reach of ([`lifecircle::network::doubtful_snaps`]).
    doubtful: Option<usize>,
}

impl NativeStudy {
    fn of(scenario: Arc<Scenario>) -> Self {
        Self {
            scenario,
            scratch: Mutex::new(None),
            doubtful: None,
        }
    }

    fn study(&self) -> &Study {
        &self.scenario.study
    }

    /// The center at `index` (a position in the centers given).
    fn center(&self, index: usize) -> Outcome<CenterId> {
        if index < self.study().centers().len() {
            Ok(CenterId::at(index))
        } else {
            Err(Failure::parameter(
                "center",
                format!(
                    "no center at position {index} ({} centers)",
                    self.study().centers().len()
                ),
            ))
        }
    }

    /// Runs `change` on the what-if scratch (made on first use) and returns the view
    /// as JSON.
    fn what_if(
        &self,
        change: impl FnOnce(
            &Study,
            &mut PlanScratch,
        ) -> lifecircle::Result<lifecircle::planning::SiteChange>,
    ) -> Outcome<String> {
        let mut scratch = self
            .scratch
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let scratch = scratch.get_or_insert_with(|| self.study().scratch());
        let change = change(self.study(), scratch)?;
        let view = WhatIfView::new(change, self.study().summary().total_population);
        serde_json::to_string(&view).map_err(|e| Failure::input("what-if", e.to_string()))
    }
}

#[pymethods]
impl NativeStudy {
    /// Reads the layers and runs the study (in the background; Ctrl-C interrupts).
    #[new]
    ///
    /// With `ring_property`, the roads are a tile's part of a larger road set and the
    /// lines with that property set are its ring lines: the study then counts the
    /// residents and centers whose snap the part cannot vouch for (`doubtful_snaps`).
    #[pyo3(signature = (roads, centers, demand, units, options, progress=None, ring_property=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        roads: LayerSpec,
        centers: LayerSpec,
        demand: LayerSpec,
        units: Option<LayerSpec>,
        options: StudyOptions,
        progress: Option<Py<PyAny>>,
        ring_property: Option<String>,
    ) -> PyResult<Self> {
        let limits = options.limits()?;
        let params = options.study_params()?;
        let demand_reading = options.demand_reading();
        let projection = options.projection()?;
        let load = |spec: LayerSpec| -> PyResult<_> {
            Ok(spec.load(py, &limits)?.with_crs(projection.clone()))
        };
        let roads = load(roads)?;
        let centers = load(centers)?;
        let demand = load(demand)?;
        let units = units.map(load).transpose()?;
        let max_snap_m = params.coverage.max_snap_m;
        let (study, doubtful) = background::run(py, progress, move |report| {
            report("reading inputs");
            let places = PointReading {
                places: true,
                ..PointReading::default()
            };
            let (roads, centers, demand) =
                match read_one_osm_pass(&roads, &centers, &demand, limits) {
                    Some(layers) => layers?,
                    None => (
                        roads.roads(limits)?,
                        centers.points(limits, &places)?,
                        demand.points(limits, &demand_reading)?,
                    ),
                };
            let layers = Layers {
                roads,
                centers,
                demand,
                units: units.map(|u| u.units(limits)).transpose()?,
            };
            let ring: Option<Vec<bool>> = ring_property.map(|key| {
                let set = |v: &String| v == "true" || v == "1";
                layers
                    .roads
                    .data
                    .lines
                    .iter()
                    .map(|l| l.tags.get(&key).is_some_and(set))
                    .collect()
            });
            let study = Study::new_observed(layers, params, &mut |stage| {
                report(stage.as_str());
            })?;
            let doubtful = match ring {
                None => None,
                Some(open) => {
                    let points: Vec<[f64; 2]> = study
                        .demand()
                        .iter()
                        .chain(study.centers())
                        .map(|p| [p.lon, p.lat])
                        .collect();
                    Some(doubtful_snaps(study.network(), &open, &points, max_snap_m)?)
                }
            };
            Ok((study, doubtful))
        })?;
        Ok(Self {
            doubtful,
            ..Self::of(Arc::new(Scenario::new(study)))
        })
    }

    /// `summary.json` of the study, as JSON text.
    #[pyo3(signature = (progress=None))]
    fn summary_json(&self, py: Python<'_>, progress: Option<Py<PyAny>>) -> PyResult<String> {
        self.scenario.summary_json(py, progress)
    }

    /// The output layer `name` as column buffers (`lifecircle._tables`).
    #[pyo3(signature = (name, progress=None))]
    fn table(
        &self,
        py: Python<'_>,
        name: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyDict>> {
        self.scenario.table(py, name, progress)
    }

    /// The residents with the main profile's results only, as column buffers.
    fn main_residents(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        self.scenario.main_residents(py)
    }

    /// The output layer `name` as GeoJSON text (the bytes of the CLI's file).
    #[pyo3(signature = (name, progress=None))]
    fn geojson(
        &self,
        py: Python<'_>,
        name: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        self.scenario.geojson(py, name, progress)
    }

    /// Writes the coverage files into `folder`, which must exist and be empty.
    #[pyo3(signature = (folder, title, progress=None))]
    fn write_files(
        &self,
        py: Python<'_>,
        folder: String,
        title: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<()> {
        self.scenario.write_files(py, folder, title, progress)
    }

    /// `report.html` of the coverage in `lang`, titled `title`, as text.
    #[pyo3(signature = (lang, title, progress=None))]
    fn report_html(
        &self,
        py: Python<'_>,
        lang: String,
        title: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        self.scenario.report_html(py, lang, title, progress)
    }

    /// The study with a plan's sites opened.
    #[staticmethod]
    fn after_plan(plan: &NativePlan) -> Self {
        Self::of(plan.after())
    }

    /// Chooses new sites among candidates (in the background; Ctrl-C interrupts).
    #[pyo3(signature = (options, candidates=None, boundary=None, progress=None))]
    fn plan(
        &self,
        py: Python<'_>,
        options: PlanOptions,
        candidates: Option<LayerSpec>,
        boundary: Option<LayerSpec>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<NativePlan> {
        plan::plan(&self.scenario, py, options, candidates, boundary, progress)
    }

    /// Residents and centers whose snap a tile cannot vouch for (`None` without
    /// `ring_property`).
    fn doubtful_snaps(&self) -> Option<usize> {
        self.doubtful
    }

    /// The coordinate system of the outputs (`wgs84`, `gcj02`, `bd09`).
    fn output_crs(&self) -> &'static str {
        self.study().params().output_crs.as_str()
    }

    /// The ids of the centers, in the order given.
    fn center_ids(&self) -> Vec<String> {
        self.study()
            .centers()
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }

    /// What a new center at (`lon`, `lat`) would change, as JSON.
    fn what_if_add(&self, py: Python<'_>, lon: f64, lat: f64) -> PyResult<String> {
        py.detach(|| self.what_if(|study, scratch| study.what_if_add(scratch, [lon, lat])))
            .map_err(PyErr::from)
    }

    /// What closing the center at position `index` would change, as JSON.
    fn what_if_remove(&self, py: Python<'_>, index: usize) -> PyResult<String> {
        let center = self.center(index)?;
        py.detach(|| self.what_if(|study, scratch| study.what_if_remove(scratch, center)))
            .map_err(PyErr::from)
    }

    /// What moving the center at position `index` to (`lon`, `lat`) would change.
    fn what_if_move(&self, py: Python<'_>, index: usize, lon: f64, lat: f64) -> PyResult<String> {
        let center = self.center(index)?;
        py.detach(|| self.what_if(|study, scratch| study.what_if_move(scratch, center, [lon, lat])))
            .map_err(PyErr::from)
    }
}
