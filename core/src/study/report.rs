//! `summary.json` and `report.md` of a study, from typed parts.

use serde::Serialize;

use super::analysis::{CrsCheck, SlopeComparison};
use super::bands::BandCoverage;
use super::gap_sites::{GapSite, GAP_SITE_GAPS};
use super::layers::InputsReport;
use super::outputs::CoverageOutputs;
use super::params::InputCrs;
use super::Study;
use crate::coverage::{
    Accessibility, CoverageSummary, GapArea, GapMode, ProfileCoverage, TierCoverage,
};
use crate::crs::Crs;
use crate::network::NetworkStats;
use crate::output::{
    access_markdown, bands_markdown, markdown_report, profiles_markdown, slope_markdown,
    tiers_markdown, BandRow, GapRow, ReportContext,
};

/// Gaps listed in `summary.json` (all of them are in `gaps.geojson`).
const SUMMARY_GAP_ROWS: usize = GAP_SITE_GAPS;

/// The tool that wrote a report.
#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    /// `lifecircle`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

impl Default for ToolInfo {
    fn default() -> Self {
        Self {
            name: "lifecircle",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// The `parameters` section of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ReportParams {
    /// What the threshold measures: `walking time` or `walking distance`.
    pub threshold_rule: &'static str,
    /// Walk-time threshold, minutes (for a distance: the minutes it takes at
    /// `speed_kmh` on flat ground).
    pub threshold_min: f64,
    /// The threshold as a walking distance along the network, metres (distance rule
    /// only).
    pub threshold_m: Option<f64>,
    /// Walking speed of the main profile on flat ground, km/h.
    pub speed_kmh: f64,
    /// Farthest straight-line access to the network, metres.
    pub max_snap_m: f64,
    /// Smallest component points snap to, nodes.
    pub min_component_nodes: usize,
    /// Uncovered residents closer than this share a gap, metres.
    pub gap_link_m: f64,
    /// Gaps as `pieces` one new center could close, or `linked` areas.
    pub gap_mode: GapMode,
}

/// One of the largest gaps in `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct GapHeadline {
    /// 1 for the gap with the most population.
    pub rank: usize,
    /// Population.
    pub population: f64,
    /// Residents (points).
    pub residents: usize,
    /// Population with no walk at all.
    pub unreachable_population: f64,
    /// Population-weighted mean walk, minutes.
    pub mean_walk_min: Option<f64>,
    /// Longest walk, minutes.
    pub max_walk_min: Option<f64>,
    /// Population-weighted centre, in the output coordinate system.
    pub centroid: [f64; 2],
    /// Rank of the linked area it lies in (its own rank when gaps are linked areas).
    pub area: usize,
    /// Widest straight-line distance between two of its residents, metres.
    pub width_m: f64,
    /// A piece's site, from which every one of its residents is within the threshold
    /// (output system; none for linked areas and for residents too far from the network).
    pub site: Option<[f64; 2]>,
    /// The best place found for a new center (location in the output system).
    pub best_site: Option<GapSite>,
}

impl GapHeadline {
    /// The headline of `g` with its centre in `crs` (not rounded, as in the JSON report).
    pub fn new(g: &GapArea, best_site: Option<&GapSite>, crs: Crs) -> Self {
        Self {
            rank: g.rank,
            population: g.population,
            residents: g.residents,
            unreachable_population: g.unreachable_population,
            mean_walk_min: g.mean_walk_min,
            max_walk_min: g.max_walk_min,
            centroid: crs.from_wgs84(g.centroid_lonlat),
            area: g.area,
            width_m: g.width_m,
            site: g.site_lonlat.map(|s| crs.from_wgs84(s)),
            best_site: best_site.map(|s| s.in_crs(crs)),
        }
    }
}

/// The `gaps` section of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct GapsReport {
    /// Number of gaps.
    pub count: usize,
    /// Population in all of them.
    pub population: f64,
    /// The largest, first.
    pub largest: Vec<GapHeadline>,
}

/// One service area in `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceAreaHeadline<'a> {
    /// Center id.
    pub center: &'a str,
    /// Population that can walk to this center in time.
    pub reachable_population: f64,
    /// Population for which it is also the nearest.
    pub served_population: f64,
    /// Footpath reached within the threshold, metres.
    pub reached_length_m: f64,
    /// Area of the service-area polygon, m².
    pub area_m2: f64,
}

/// The `model` section of `summary.json`: profile, slope, heights, catalogue and
/// coordinate systems.
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport<'a> {
    /// Main walking profile.
    pub profile: &'a str,
    /// Its speed on flat ground, km/h.
    pub speed_kmh: f64,
    /// Whether walking times follow the slope.
    pub slope: bool,
    /// `dem`, `z coordinates` or `none`.
    pub elevation_source: &'static str,
    /// Elevation tile file names.
    pub dem_tiles: &'a [String],
    /// Road vertices that got a height from the tiles.
    pub dem_vertices_with_height: Option<usize>,
    /// Road vertices that did not.
    pub dem_vertices_without_height: Option<usize>,
    /// The tier and service catalogue's source.
    pub config: Option<&'a str>,
    /// Coordinate system of each input.
    pub input_crs: InputCrs,
    /// Coordinate system of the outputs.
    pub output_crs: Crs,
}

/// `summary.json`: parameters, inputs, network, coverage, gaps, service areas, the
/// model, and the analysis sections.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageReport<'a> {
    /// Who wrote it.
    pub tool: ToolInfo,
    /// The study's title.
    pub title: &'a str,
    /// The parameters.
    pub parameters: ReportParams,
    /// What each input used and skipped.
    pub inputs: &'a InputsReport,
    /// The network's size.
    pub network: NetworkStats,
    /// The headline figures (center locations in the output system).
    pub coverage: CoverageSummary,
    /// In a multi-threshold run, every band's coverage, smallest first.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub bands: &'a [BandCoverage],
    /// Gap areas.
    pub gaps: GapsReport,
    /// Service areas.
    pub service_areas: Vec<ServiceAreaHeadline<'a>>,
    /// Profile, slope, catalogue, coordinate systems.
    pub model: ModelReport<'a>,
    /// Every built-in profile side by side.
    pub profiles: &'a [ProfileCoverage],
    /// Flat against slope, with slope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slope: Option<&'a SlopeComparison>,
    /// Tiers and services, with a catalogue (gap centres in the output system).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiers: Option<TierCoverage>,
    /// What skipping the coordinate conversion would change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crs_check: Option<&'a CrsCheck>,
    /// 2SFCA scores and centers within the threshold, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessibility: Option<&'a Accessibility>,
}

impl Study {
    /// The `model` section of the reports.
    pub fn model_report(&self) -> ModelReport<'_> {
        let p = self.params();
        let dem_vertices = self.prepared().dem_vertices;
        ModelReport {
            profile: &p.profile,
            speed_kmh: self.costs().speed_kmh(),
            slope: p.uses_slope(),
            elevation_source: if p.elevation.is_some() {
                "dem"
            } else if p.uses_slope() {
                "z coordinates"
            } else {
                "none"
            },
            dem_tiles: p.elevation.as_ref().map_or(&[], |e| &e.tiles),
            dem_vertices_with_height: dem_vertices.map(|v| v.0),
            dem_vertices_without_height: dem_vertices.map(|v| v.1),
            config: p.services.as_ref().map(|s| s.source.as_str()),
            input_crs: p.input_crs,
            output_crs: p.output_crs,
        }
    }

    /// `summary.json` of this study from its computed parts.
    pub fn coverage_report<'a>(
        &'a self,
        title: &'a str,
        outputs: &'a CoverageOutputs,
    ) -> CoverageReport<'a> {
        let CoverageOutputs {
            analysis,
            summary,
            gaps,
            areas,
            gap_sites,
            ..
        } = outputs;
        let p = self.params();
        let crs = p.output_crs;
        let tiers = analysis.tiers.as_ref().map(|t| {
            let mut t = t.clone();
            for r in t.tiers.iter_mut().chain(t.services.iter_mut()) {
                r.largest_gap_centroid = r.largest_gap_centroid.map(|c| crs.from_wgs84(c));
            }
            t
        });
        let mut coverage = summary.clone();
        for c in &mut coverage.per_center {
            c.location = crs.from_wgs84(c.location);
        }
        CoverageReport {
            tool: ToolInfo::default(),
            title,
            parameters: ReportParams {
                threshold_rule: self.threshold().rule(),
                threshold_min: self.threshold_min(),
                threshold_m: p.coverage.threshold_m,
                speed_kmh: self.costs().speed_kmh(),
                max_snap_m: p.coverage.max_snap_m,
                min_component_nodes: p.network.min_component_nodes,
                gap_link_m: p.coverage.gap_link_m,
                gap_mode: p.coverage.gap_mode,
            },
            inputs: self.inputs(),
            network: self.network().stats(),
            coverage,
            bands: outputs.bands.as_ref().map_or(&[], |b| &b.coverage),
            gaps: GapsReport {
                count: gaps.len(),
                population: gaps.iter().map(|g| g.population).sum(),
                largest: gaps
                    .iter()
                    .take(SUMMARY_GAP_ROWS)
                    .enumerate()
                    .map(|(i, g)| {
                        GapHeadline::new(g, gap_sites.get(i).and_then(Option::as_ref), crs)
                    })
                    .collect(),
            },
            service_areas: areas
                .iter()
                .map(|a| ServiceAreaHeadline {
                    center: &a.center_id,
                    reachable_population: a.reachable_population,
                    served_population: a.served_population,
                    reached_length_m: a.reached_length_m,
                    area_m2: a.area_m2,
                })
                .collect(),
            model: self.model_report(),
            profiles: &analysis.profiles,
            slope: analysis.slope.as_ref(),
            tiers,
            crs_check: analysis.crs_check.as_ref(),
            accessibility: analysis.access.as_ref(),
        }
    }

    /// `report.md` of this study from its computed parts, titled `title`.
    pub fn markdown_report(&self, title: &str, outputs: &CoverageOutputs) -> String {
        let CoverageOutputs {
            analysis,
            summary,
            gaps,
            gap_sites,
            ..
        } = outputs;
        let p = self.params();
        let crs = p.output_crs;
        let stats = self.network().stats();
        let inputs = self
            .inputs()
            .rows()
            .into_iter()
            .map(|(role, r)| {
                (
                    role.to_string(),
                    r.source.clone(),
                    r.features_used,
                    r.skipped_total,
                )
            })
            .collect();
        let mut out = markdown_report(&ReportContext {
            title,
            inputs,
            network: &stats,
            params: &p.coverage,
            speed_kmh: self.costs().speed_kmh(),
            summary,
            gaps: gaps
                .iter()
                .enumerate()
                .map(|(i, g)| GapRow {
                    centroid_lonlat: crs.from_wgs84(g.centroid_lonlat),
                    best_site: gap_sites
                        .get(i)
                        .and_then(Option::as_ref)
                        .map(|s| (crs.from_wgs84(s.location), s.covered_population_gain)),
                    ..GapRow::from(g)
                })
                .collect(),
        });
        if let Some(b) = &outputs.bands {
            let rows: Vec<BandRow> = b
                .coverage
                .iter()
                .map(|c| BandRow {
                    label: &c.label,
                    covered_population: c.covered_population,
                    coverage_ratio: c.coverage_ratio,
                    uncovered_reachable_population: c.uncovered_reachable_population,
                })
                .collect();
            let units: Vec<(&str, Vec<f64>)> = self
                .units()
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let name = u.name.as_deref().unwrap_or(&u.id);
                    (
                        name,
                        b.coverage
                            .iter()
                            .map(|c| c.per_unit[i].coverage_ratio)
                            .collect(),
                    )
                })
                .collect();
            out.push_str(&bands_markdown(&rows, &units));
        }
        out.push_str(&profiles_markdown(&analysis.profiles, self.threshold()));
        if let Some(s) = &analysis.slope {
            out.push_str(&slope_markdown(&s.comparison));
        }
        if let Some(t) = &analysis.tiers {
            out.push_str(&tiers_markdown(t));
        }
        if let Some(a) = &analysis.access {
            let names: Vec<&str> = self
                .units()
                .iter()
                .map(|u| u.name.as_deref().unwrap_or(&u.id))
                .collect();
            out.push_str(&access_markdown(a, &names, self.threshold()));
        }
        if let Some(CrsCheck::Compared {
            residents_changing_status,
            residents_losing_coverage_if_skipped,
            residents_gaining_coverage_if_skipped,
            mean_shift_m,
            ..
        }) = &analysis.crs_check
        {
            out.push_str(&format!(
                "\n## Coordinate systems\n\nInputs were converted to WGS84 (mean shift {} m). Without the conversion {} residents would change covered status ({} lose, {} gain).\n",
                // As JSON writes it (`12.0`, not `12`), like the figure in summary.json.
                serde_json::Value::from(*mean_shift_m),
                residents_changing_status,
                residents_losing_coverage_if_skipped,
                residents_gaining_coverage_if_skipped
            ));
        }
        out
    }
}
