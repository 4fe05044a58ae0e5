//! The files of a coverage output folder, as one set every adapter writes the same way.
//!
//! The command line and the Python package both write a study's outputs; the set of
//! files, their names and their bytes are decided here once, so the two cannot drift.
//! Core writes into whatever [`Write`] the adapter hands it and never opens a file.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::bands::BandOutputs;
use super::gap_sites::GapSite;
use super::{Analysis, Study};
use crate::coverage::{CoverageSummary, GapArea, ReachPiece, ServiceArea};
use crate::crs::Crs;
#[cfg(feature = "gpkg")]
use crate::output::GeoPackage;
use crate::output::{
    html_report, write_csv, write_geojson, write_layer, CsvOptions, DemandLayer, FeatureSource,
    GapsLayer, Lang, LayerFormat, NetworkLayer, PointsLayer, ResidentDetails, ServiceAreasLayer,
    UnitsLayer,
};
use crate::{Error, Result};

/// What a coverage output folder is made from: every derived result of a study.
#[derive(Debug)]
pub struct CoverageOutputs {
    /// Per-profile runs, flat-vs-slope, tiers and the coordinate check.
    pub analysis: Analysis,
    /// The headline figures.
    pub summary: CoverageSummary,
    /// Uncovered areas.
    pub gaps: Vec<GapArea>,
    /// The network split at the threshold.
    pub reach: Vec<ReachPiece>,
    /// Each center's service area.
    pub areas: Vec<ServiceArea>,
    /// The best site of each of the largest gaps ([`Study::gap_sites`]).
    pub gap_sites: Vec<Option<GapSite>>,
    /// Every band's figures and service areas, in a multi-threshold run.
    pub bands: Option<BandOutputs>,
}

impl CoverageOutputs {
    /// `demand.geojson`'s layer: every resident with the per-profile, slope, tier and
    /// band details of these outputs.
    pub fn demand_layer<'a>(&'a self, study: &'a Study) -> DemandLayer<'a> {
        DemandLayer {
            details: ResidentDetails {
                band: self.bands.as_ref().map(|b| &b.resident_band),
                ..self.analysis.resident_details()
            },
            ..DemandLayer::new(study.demand(), study.centers(), study.result())
        }
    }

    /// `network.geojson`'s layer (with each piece's band in a multi-threshold run).
    pub fn network_layer(&self) -> NetworkLayer<'_> {
        NetworkLayer {
            pieces: &self.reach,
            band: self.bands.as_ref().map(|b| &b.reach_band),
        }
    }

    /// `service_areas.geojson`'s layer: one area per center, or per center and band in a
    /// multi-threshold run.
    pub fn service_areas_layer(&self) -> ServiceAreasLayer<'_> {
        match &self.bands {
            None => ServiceAreasLayer {
                areas: &self.areas,
                band: None,
            },
            Some(b) => ServiceAreasLayer {
                areas: &b.areas,
                band: Some(&b.areas_band),
            },
        }
    }

    /// `units.geojson`'s layer (with each band's coverage in a multi-threshold run, and
    /// each tier's and service's with a catalogue).
    pub fn units_layer<'a>(&'a self, study: &'a Study) -> UnitsLayer<'a> {
        UnitsLayer {
            units: study.units(),
            summaries: &self.summary.per_unit,
            band_ratios: self.bands.as_ref().map_or(&[], |b| &b.unit_ratios),
            tiers: self.analysis.tiers.as_ref().map_or(&[], |t| &t.per_unit),
            access: self.analysis.access.as_ref().map_or(&[], |a| &a.per_unit),
        }
    }
}

/// Every name an output folder of a run may hold: the coverage files, `timings.json`,
/// and a plan's files with its `before/` and `after/` coverage folders. A folder holding
/// anything else is not an output folder, and adapters do not replace it.
pub const OUTPUT_NAMES: &[&str] = &[
    "summary.json",
    "report.md",
    "report.html",
    "demand.geojson",
    "gaps.geojson",
    "network.geojson",
    "service_areas.geojson",
    "units.geojson",
    "layers.gpkg",
    "demand.fgb",
    "gaps.fgb",
    "network.fgb",
    "service_areas.fgb",
    "units.fgb",
    "plan.fgb",
    "candidates.fgb",
    "demand.parquet",
    "gaps.parquet",
    "network.parquet",
    "service_areas.parquet",
    "units.parquet",
    "plan.parquet",
    "candidates.parquet",
    "demand.shp",
    "demand.shx",
    "demand.dbf",
    "demand.cpg",
    "demand.prj",
    "gaps.shp",
    "gaps.shx",
    "gaps.dbf",
    "gaps.cpg",
    "gaps.prj",
    "network.shp",
    "network.shx",
    "network.dbf",
    "network.cpg",
    "network.prj",
    "service_areas.shp",
    "service_areas.shx",
    "service_areas.dbf",
    "service_areas.cpg",
    "service_areas.prj",
    "units.shp",
    "units.shx",
    "units.dbf",
    "units.cpg",
    "units.prj",
    "plan.shp",
    "plan.shx",
    "plan.dbf",
    "plan.cpg",
    "plan.prj",
    "candidates.shp",
    "candidates.shx",
    "candidates.dbf",
    "candidates.cpg",
    "candidates.prj",
    "demand.csv",
    "centers.csv",
    "units.csv",
    "timings.json",
    "plan.json",
    "plan.geojson",
    "candidates.geojson",
    "matrix.json",
    "before",
    "after",
];

/// The title of a coverage folder's reports when the user gives none.
pub const DEFAULT_TITLE: &str = "Walking coverage";
/// The titles of a plan's `before/` and `after/` folders when the user gives none.
pub const PLAN_FOLDER_TITLES: [(&str, &str); 2] = [
    ("before", "Walking coverage before the plan"),
    ("after", "Walking coverage with the planned sites"),
];

/// Whether `title` is one the adapters give when the user gives none (the HTML report
/// then shows only its own heading, in the reader's language).
pub fn is_default_title(title: &str) -> bool {
    title == DEFAULT_TITLE || PLAN_FOLDER_TITLES.iter().any(|(_, t)| *t == title)
}

/// The stages of [`Study::coverage_outputs`], in order, as the progress display names
/// them.
pub const COVERAGE_OUTPUT_STAGES: [&str; 6] = [
    "profiles, slope and services",
    "summarising",
    "finding gaps",
    "finding the best site for each gap",
    "splitting the network at the threshold",
    "tracing service areas",
];

/// Writes one output file's bytes into the writer it is given.
pub type FillFile<'a> = dyn FnMut(&mut dyn Write) -> io::Result<()> + 'a;

/// Where the files of a folder go: called once per file with its name and a function
/// that writes its bytes.
pub type FileSink<'a, E> = dyn FnMut(&str, &mut FillFile<'_>) -> Result<(), E> + 'a;

/// The GeoPackage of a folder: every layer a table of this one file.
pub const GEOPACKAGE_NAME: &str = "layers.gpkg";

/// Text values a layer format cut to fit (Shapefile: 254 bytes), in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncated {
    /// The file (`demand.dbf`).
    pub file: String,
    /// How many values were cut.
    pub values: usize,
}

/// Writes the layers of one output folder in every format asked for, through a sink:
/// `NAME.geojson`, `NAME.fgb`, `NAME.parquet` and `NAME.shp` (with `.shx`, `.dbf`,
/// `.cpg`, `.prj`) as each layer is added, and one [`GEOPACKAGE_NAME`] holding every
/// layer at [`LayerWriter::finish`]. A layer that cannot be written in a format fails
/// the writing of its file, so the sink sees the error with the file's name.
pub struct LayerWriter<'s, 'f, E> {
    formats: &'f [LayerFormat],
    crs: Crs,
    sink: &'s mut FileSink<'f, E>,
    #[cfg(feature = "gpkg")]
    geopackage: Option<std::result::Result<GeoPackage, String>>,
    truncated: Vec<Truncated>,
}

impl<'s, 'f, E> LayerWriter<'s, 'f, E> {
    /// Layers in `formats` (each once; order kept) and `crs` into `sink`.
    pub fn new(formats: &'f [LayerFormat], crs: Crs, sink: &'s mut FileSink<'f, E>) -> Self {
        Self {
            formats,
            crs,
            sink,
            #[cfg(feature = "gpkg")]
            geopackage: formats
                .contains(&LayerFormat::GeoPackage)
                .then(|| GeoPackage::new(crs).map_err(|e| e.to_string())),
            truncated: Vec::new(),
        }
    }

    /// Writes `layer` as `name` in every format.
    ///
    /// # Errors
    /// The first error the sink returns.
    pub fn add<L: FeatureSource + ?Sized>(&mut self, name: &str, layer: &L) -> Result<(), E> {
        let crs = self.crs;
        for &format in self.formats {
            match format {
                // Streamed: the largest layers need no second copy in memory.
                LayerFormat::GeoJson => {
                    (self.sink)(&format!("{name}.geojson"), &mut |w| {
                        write_geojson(w, layer, crs)
                    })?;
                }
                LayerFormat::GeoPackage =>
                {
                    #[cfg(feature = "gpkg")]
                    if let Some(Ok(gpkg)) = &mut self.geopackage {
                        if let Err(e) = gpkg.add_layer(name, layer) {
                            self.geopackage = Some(Err(e.to_string()));
                        }
                    }
                }
                other => match write_layer(other, name, layer, crs) {
                    Ok(out) => {
                        for (file, bytes) in &out.files {
                            (self.sink)(file, &mut |w| w.write_all(bytes))?;
                        }
                        if out.truncated_values > 0 {
                            self.truncated.push(Truncated {
                                file: format!("{name}.dbf"),
                                values: out.truncated_values,
                            });
                        }
                    }
                    Err(e) => {
                        let file = format!("{name}.{}", other.extension());
                        (self.sink)(&file, &mut |_| Err(io::Error::other(e.to_string())))?;
                    }
                },
            }
        }
        Ok(())
    }

    /// Writes the GeoPackage, if asked for, and returns what was cut to fit.
    ///
    /// # Errors
    /// The first error the sink returns.
    pub fn finish(self) -> Result<Vec<Truncated>, E> {
        if self.formats.contains(&LayerFormat::GeoPackage) {
            #[cfg(feature = "gpkg")]
            let bytes = match self.geopackage {
                Some(Ok(gpkg)) => gpkg.finish().map_err(|e| e.to_string()),
                Some(Err(e)) => Err(e),
                None => Err("not started".to_string()),
            };
            #[cfg(not(feature = "gpkg"))]
            let bytes: std::result::Result<Vec<u8>, String> =
                Err("GeoPackage output needs lifecircle's `gpkg` feature".to_string());
            (self.sink)(GEOPACKAGE_NAME, &mut |w| match &bytes {
                Ok(bytes) => w.write_all(bytes),
                Err(e) => Err(io::Error::other(e.clone())),
            })?;
        }
        Ok(self.truncated)
    }
}

impl Study {
    /// Computes every derived result of the outputs; `observe` is called with each
    /// stage's name ([`COVERAGE_OUTPUT_STAGES`]) as it starts.
    ///
    /// # Errors
    /// As [`Study::analysis`].
    pub fn coverage_outputs(
        &self,
        observe: &mut dyn FnMut(&'static str),
    ) -> Result<CoverageOutputs> {
        let [analysing, summarising, gaps, gap_sites, reach, areas] = COVERAGE_OUTPUT_STAGES;
        observe(analysing);
        let analysis = self.analysis()?;
        observe(summarising);
        let summary = self.summary();
        observe(gaps);
        let gaps = self.gaps();
        observe(gap_sites);
        let gap_sites = self.gap_sites(&gaps);
        observe(reach);
        let reach = self.reach_in_bands();
        observe(areas);
        let areas = self.service_areas();
        let bands = self.band_outputs(&reach);
        Ok(CoverageOutputs {
            analysis,
            summary,
            gaps,
            reach,
            areas,
            gap_sites,
            bands,
        })
    }

    /// Writes every file of a coverage output folder through `sink`, which is called
    /// once per file with its name and a function that writes its bytes: `summary.json`,
    /// `demand.geojson`, `gaps.geojson`, `network.geojson`, `service_areas.geojson`,
    /// `units.geojson` (with units) and `report.md` titled `title`. The bytes are those
    /// of the command line's output folder (its `timings.json` aside).
    ///
    /// # Errors
    /// The first error `sink` returns.
    pub fn write_coverage_files<E>(
        &self,
        outputs: &CoverageOutputs,
        title: &str,
        sink: &mut dyn FnMut(&str, &mut FillFile<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.write_coverage_files_in(outputs, title, &[LayerFormat::GeoJson], sink)
            .map(drop)
    }

    /// [`Study::write_coverage_files`] with the layers in `formats` (through a
    /// [`LayerWriter`]): `summary.json`, the layers in each format, then `report.md`.
    /// Returns the text values a format cut to fit.
    ///
    /// # Errors
    /// The first error `sink` returns.
    pub fn write_coverage_files_in<E>(
        &self,
        outputs: &CoverageOutputs,
        title: &str,
        formats: &[LayerFormat],
        sink: &mut dyn FnMut(&str, &mut FillFile<'_>) -> Result<(), E>,
    ) -> Result<Vec<Truncated>, E> {
        let crs = self.params().output_crs;
        let gaps = &outputs.gaps;
        sink("summary.json", &mut |w| {
            serde_json::to_writer_pretty(&mut *w, &self.coverage_report(title, outputs))?;
            w.write_all(b"\n")
        })?;
        let mut layers = LayerWriter::new(formats, crs, &mut *sink);
        layers.add("demand", &outputs.demand_layer(self))?;
        layers.add("gaps", &GapsLayer { gaps, crs })?;
        layers.add("network", &outputs.network_layer())?;
        layers.add("service_areas", &outputs.service_areas_layer())?;
        if self.inputs().units.is_some() {
            layers.add("units", &outputs.units_layer(self))?;
        }
        let truncated = layers.finish()?;
        sink("report.md", &mut |w| {
            w.write_all(self.markdown_report(title, outputs).as_bytes())
        })?;
        Ok(truncated)
    }
}

/// One row of `centers.csv`: what a center serves (its position goes in `lon`/`lat`).
#[derive(Debug, Clone, serde::Serialize)]
struct CenterRow<'a> {
    id: &'a str,
    name: Option<&'a str>,
    status: &'a str,
    served_population: f64,
    served_residents: usize,
    nearest_population: f64,
}

/// The tables of [`Study::write_coverage_tables`], in the order they are written.
pub const COVERAGE_TABLE_NAMES: [&str; 3] = ["demand.csv", "centers.csv", "units.csv"];

impl Study {
    /// Writes the spreadsheet tables of a coverage folder through `sink` (as
    /// [`Study::write_coverage_files`]): `demand.csv` (one row per resident, the columns
    /// of `demand.geojson` plus `lon`/`lat`), `centers.csv` (what each center serves) and,
    /// with units, `units.csv` (coverage per unit).
    ///
    /// # Errors
    /// The first error `sink` returns.
    pub fn write_coverage_tables<E>(
        &self,
        outputs: &CoverageOutputs,
        options: CsvOptions,
        sink: &mut dyn FnMut(&str, &mut FillFile<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let crs = self.params().output_crs;
        let [demand_csv, centers_csv, units_csv] = COVERAGE_TABLE_NAMES;
        let demand = outputs.demand_layer(self);
        sink(demand_csv, &mut |w| write_csv(w, &demand, crs, options))?;
        let centers = PointsLayer {
            points: outputs
                .summary
                .per_center
                .iter()
                .map(|c| {
                    let row = CenterRow {
                        id: &c.id,
                        name: c.name.as_deref(),
                        status: c.status,
                        served_population: c.served_population,
                        served_residents: c.served_residents,
                        nearest_population: c.nearest_population,
                    };
                    (c.location, row)
                })
                .collect(),
        };
        sink(centers_csv, &mut |w| write_csv(w, &centers, crs, options))?;
        if self.inputs().units.is_some() {
            let units = outputs.units_layer(self);
            sink(units_csv, &mut |w| write_csv(w, &units, crs, options))?;
        }
        Ok(())
    }
}

impl Study {
    /// `report.html` in `lang` of the coverage folder this study's outputs make, built
    /// from the files in memory: the page [`html_report`] makes of the written folder,
    /// for adapters that write no folder (the viewer, a notebook).
    ///
    /// # Errors
    /// As [`html_report`] (a file that cannot be made is named).
    pub fn html_report(
        &self,
        outputs: &CoverageOutputs,
        title: &str,
        lang: Lang,
    ) -> Result<String> {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        self.write_coverage_files(outputs, title, &mut |name, fill| {
            let mut bytes = Vec::new();
            fill(&mut bytes).map_err(|e| Error::Empty {
                layer: name.to_string(),
                reason: format!("cannot make the file: {e}"),
            })?;
            files.insert(name.to_string(), bytes);
            Ok(())
        })?;
        html_report(&|name| files.get(name).cloned(), lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{PointFeature, RoadLine};
    use crate::study::{Layer, Layers, StudyParams};

    /// Two streets meeting at a corner, a center at one end, one resident at the other.
    fn corner_study() -> Study {
        let roads = vec![
            RoadLine::new(vec![[0.0, 0.0], [0.001, 0.0]]),
            RoadLine::new(vec![[0.001, 0.0], [0.001, 0.001]]),
        ];
        let layers = Layers {
            roads: Layer::new(roads.into(), "roads"),
            centers: Layer::new(vec![PointFeature::new("c", 0.0, 0.0)].into(), "centers"),
            demand: Layer::new(
                vec![PointFeature::new("r", 0.001, 0.001)].into(),
                "residents",
            ),
            units: None,
        };
        let mut params = StudyParams::default();
        params.network.min_component_nodes = 1;
        Study::new(layers, params).unwrap()
    }

    #[test]
    fn every_file_once_in_order_and_as_serialised() {
        let study = corner_study();
        let mut stages = Vec::new();
        let outputs = study.coverage_outputs(&mut |s| stages.push(s)).unwrap();
        assert_eq!(stages, COVERAGE_OUTPUT_STAGES);
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        study
            .write_coverage_files(&outputs, "T", &mut |name, fill| -> io::Result<()> {
                let mut bytes = Vec::new();
                fill(&mut bytes)?;
                files.push((name.to_string(), bytes));
                Ok(())
            })
            .unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "summary.json",
                "demand.geojson",
                "gaps.geojson",
                "network.geojson",
                "service_areas.geojson",
                "report.md"
            ]
        );
        let summary: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
        assert_eq!(summary["coverage"]["total_population"], 1.0);
        assert!(files[0].1.ends_with(b"}\n"));
        assert!(String::from_utf8_lossy(&files[5].1).starts_with("# T"));
    }

    #[test]
    fn the_first_sink_error_stops_the_writing() {
        let study = corner_study();
        let outputs = study.coverage_outputs(&mut |_| {}).unwrap();
        let mut calls = 0;
        let result = study.write_coverage_files(&outputs, "T", &mut |_, _| -> Result<(), &str> {
            calls += 1;
            Err("disk full")
        });
        assert_eq!(result, Err("disk full"));
        assert_eq!(calls, 1);
    }
}
