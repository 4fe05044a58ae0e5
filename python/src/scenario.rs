//! A study and its derived outputs (computed once, on first use): the answers a
//! `lifecircle.Study` and both sides of a `lifecircle.Plan` give, as tables, GeoJSON
//! and files.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use lifecircle::crs::Crs;
use lifecircle::output::{
    geojson_string, DemandLayer, FeatureSource, GapsLayer, Lang, PointsLayer,
};
use lifecircle::study::{CoverageOutputs, DEFAULT_TITLE};
use lifecircle::Study;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;

use crate::background;
use crate::columns::Table;
use crate::errors::{Failure, Outcome};

/// A study with its outputs cache.
pub(crate) struct Scenario {
    pub(crate) study: Arc<Study>,
    outputs: OnceLock<Arc<CoverageOutputs>>,
}

impl Scenario {
    pub(crate) fn new(study: Study) -> Self {
        Self {
            study: Arc::new(study),
            outputs: OnceLock::new(),
        }
    }

    /// The derived outputs, computed in the background on first use.
    fn outputs(
        &self,
        py: Python<'_>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Arc<CoverageOutputs>> {
        if let Some(outputs) = self.outputs.get() {
            return Ok(outputs.clone());
        }
        let study = self.study.clone();
        let outputs = background::run(py, progress, move |report| {
            Ok(Arc::new(
                study.coverage_outputs(&mut |stage| report(stage))?,
            ))
        })?;
        Ok(self.outputs.get_or_init(|| outputs).clone())
    }

    /// `summary.json`, as JSON text.
    pub(crate) fn summary_json(
        &self,
        py: Python<'_>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        let outputs = self.outputs(py, progress)?;
        // As `to_files` writes it with its default title.
        let report = self.study.coverage_report(DEFAULT_TITLE, &outputs);
        serde_json::to_string(&report).map_err(|e| Failure::input("summary", e.to_string()).into())
    }

    /// The output layer `name` as column buffers (`lifecircle._tables`).
    pub(crate) fn table(
        &self,
        py: Python<'_>,
        name: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyDict>> {
        let outputs = self.outputs(py, progress)?;
        let study = self.study.clone();
        match background::run(py, None, move |_| {
            layer(&study, &outputs, &name, &Want::Table)
        })? {
            Made::Table(table) => table.into_py(py),
            Made::GeoJson(_) => unreachable!("a table was asked for"),
        }
    }

    /// The residents with the main profile's results only (`demand.geojson`'s standard
    /// properties), without computing the other outputs: what a tile of a distributed
    /// run returns.
    pub(crate) fn main_residents(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        let study = self.study.clone();
        let table = background::run(py, None, move |_| {
            let demand = DemandLayer::new(study.demand(), study.centers(), study.result());
            Table::of(&demand, study.params().output_crs)
        })?;
        table.into_py(py)
    }

    /// The output layer `name` as GeoJSON text (the bytes of the CLI's file).
    pub(crate) fn geojson(
        &self,
        py: Python<'_>,
        name: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        let outputs = self.outputs(py, progress)?;
        let study = self.study.clone();
        match background::run(py, None, move |_| {
            layer(&study, &outputs, &name, &Want::GeoJson)
        })? {
            Made::GeoJson(text) => Ok(text),
            Made::Table(_) => unreachable!("GeoJSON was asked for"),
        }
    }

    /// Writes the coverage files into `folder`, which must exist and be empty.
    pub(crate) fn write_files(
        &self,
        py: Python<'_>,
        folder: String,
        title: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<()> {
        let outputs = self.outputs(py, progress)?;
        let study = self.study.clone();
        background::run(py, None, move |_| {
            write_coverage_files(&study, &outputs, Path::new(&folder), &title)
        })
    }
}

impl Scenario {
    /// `report.html` of the coverage in `lang`, titled `title`.
    pub(crate) fn report_html(
        &self,
        py: Python<'_>,
        lang: String,
        title: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<String> {
        let lang = Lang::parse(&lang).map_err(Failure::from)?;
        let outputs = self.outputs(py, progress)?;
        let study = self.study.clone();
        background::run(py, None, move |_| {
            Ok(study.html_report(&outputs, &title, lang)?)
        })
    }
}

/// What to do with the layer a name chooses: make its table, or its GeoJSON.
enum Want {
    Table,
    GeoJson,
}

enum Made {
    Table(Table),
    GeoJson(String),
}

fn make<L: FeatureSource + ?Sized>(layer: &L, crs: Crs, want: &Want) -> Outcome<Made> {
    Ok(match want {
        Want::Table => Made::Table(Table::of(layer, crs)?),
        Want::GeoJson => Made::GeoJson(geojson_string(layer, crs)),
    })
}

/// The output layer `name` of `study`, as its file of the same name holds it.
fn layer(study: &Study, outputs: &CoverageOutputs, name: &str, want: &Want) -> Outcome<Made> {
    let crs = study.params().output_crs;
    match name {
        "residents" => make(&outputs.demand_layer(study), crs, want),
        "gaps" => make(
            &GapsLayer {
                gaps: &outputs.gaps,
                crs,
            },
            crs,
            want,
        ),
        "network" => make(&outputs.network_layer(), crs, want),
        "service_areas" => make(&outputs.service_areas_layer(), crs, want),
        "units" => {
            if study.inputs().units.is_none() {
                return Err(Failure::parameter(
                    "units",
                    "the study was made without reporting units (give units=)",
                ));
            }
            make(&outputs.units_layer(study), crs, want)
        }
        "centers" => make(&centers_layer(study), crs, want),
        other => Err(Failure::parameter(
            "layer",
            format!(
                "`{other}`: expected residents, centers, gaps, network, service_areas or units"
            ),
        )),
    }
}

/// One center as `Study.centers()` shows it: its id, whether it reaches the network and
/// how far it is from it, and the properties it was given (name, tier, services).
#[derive(Clone, Serialize)]
struct CenterRow {
    id: String,
    status: &'static str,
    /// Straight-line distance to the network, metres (2 decimals); null when too far.
    access_m: Option<f64>,
    #[serde(flatten)]
    properties: serde_json::Map<String, serde_json::Value>,
}

fn centers_layer(study: &Study) -> PointsLayer<CenterRow> {
    let points = study
        .centers()
        .iter()
        .zip(&study.result().centers)
        .map(|(center, result)| {
            let row = CenterRow {
                id: center.id.clone(),
                status: result.status.as_str(),
                access_m: result.snap.map(|s| (s.access_m * 100.0).round() / 100.0),
                properties: center.properties.clone(),
            };
            ([center.lon, center.lat], row)
        })
        .collect();
    PointsLayer { points }
}

/// Writes every coverage file of `study` into `folder`.
fn write_coverage_files(
    study: &Study,
    outputs: &CoverageOutputs,
    folder: &Path,
    title: &str,
) -> Outcome<()> {
    study.write_coverage_files(outputs, title, &mut |name, fill| {
        let path = folder.join(name);
        let shown = path.display().to_string();
        let cannot = |e: std::io::Error| Failure::file(&shown, format!("cannot write file: {e}"));
        let file = std::fs::File::create_new(&path).map_err(cannot)?;
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
        fill(&mut writer).map_err(cannot)?;
        let file = writer.into_inner().map_err(|e| cannot(e.into_error()))?;
        file.sync_all().map_err(cannot)
    })
}
