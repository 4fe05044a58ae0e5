//! What the report reads from an output folder: the parts of `summary.json`,
//! `plan.json` and the layers it shows. The folder is the report's only input, so the
//! report of a fresh run and the report of a folder written earlier are the same bytes.

use serde::Deserialize;

use crate::{Error, Result};

/// Reads one file of an output folder by its name (`summary.json`, `before/summary.json`),
/// `None` when the folder does not hold it. The adapter decides where the bytes come
/// from: a folder on disk, or files just made in memory.
pub type ReadOutputFile<'a> = dyn Fn(&str) -> Option<Vec<u8>> + 'a;

fn file(read: &ReadOutputFile<'_>, name: &str) -> Result<Vec<u8>> {
    read(name).ok_or_else(|| Error::Empty {
        layer: name.to_string(),
        reason: if name.ends_with(".geojson") {
            "missing from the output folder (the page reads the GeoJSON layers: write them \
             with `lifecircle coverage` or `plan` and `geojson` among `--format`, or ask \
             for `--report html` in that run)"
        } else {
            "missing from the output folder (write it with `lifecircle coverage` or `plan`)"
        }
        .into(),
    })
}

fn json<T: for<'de> Deserialize<'de>>(read: &ReadOutputFile<'_>, name: &str) -> Result<T> {
    let bytes = file(read, name)?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Parse {
        layer: name.to_string(),
        reason: format!("not an output file of this lifecircle version: {e}"),
    })
}

#[derive(Debug, Deserialize)]
pub(super) struct Summary {
    #[serde(default)]
    pub title: Option<String>,
    pub tool: Tool,
    pub parameters: Parameters,
    pub inputs: std::collections::BTreeMap<String, Input>,
    pub network: Network,
    pub coverage: Coverage,
    /// Each circle of a multi-threshold run (absent with one threshold).
    #[serde(default)]
    pub bands: Vec<Band>,
    pub gaps: Gaps,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    #[serde(default)]
    pub tiers: Option<Tiers>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Band {
    pub label: String,
    pub covered_population: f64,
    pub coverage_ratio: f64,
    pub residents_covered: usize,
}

#[derive(Debug, Deserialize)]
pub(super) struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct Parameters {
    pub threshold_min: f64,
    /// A distance threshold, metres (absent in folders of time thresholds).
    #[serde(default)]
    pub threshold_m: Option<f64>,
    pub speed_kmh: f64,
    pub max_snap_m: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Input {
    pub source: String,
    pub features_used: usize,
    pub skipped_total: usize,
    #[serde(default)]
    pub skipped: std::collections::BTreeMap<String, usize>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Network {
    pub nodes: usize,
    pub edges: usize,
    pub length_km: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Coverage {
    pub residents: usize,
    pub total_population: f64,
    pub covered_population: f64,
    pub uncovered_reachable_population: f64,
    pub too_far_from_network_population: f64,
    pub no_path_population: f64,
    pub coverage_ratio: f64,
    pub residents_covered: usize,
    pub residents_uncovered_reachable: usize,
    pub residents_too_far_from_network: usize,
    pub residents_no_path: usize,
    pub mean_walk_min: Option<f64>,
    pub median_walk_min: Option<f64>,
    pub histogram: Vec<Bin>,
    pub per_center: Vec<Center>,
    #[serde(default)]
    pub per_unit: Vec<Unit>,
    #[serde(default)]
    pub residents_outside_units: usize,
}

#[derive(Debug, Deserialize)]
pub(super) struct Bin {
    pub label: String,
    pub population: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Center {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub location: [f64; 2],
    pub status: String,
    pub served_population: f64,
    pub nearest_population: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Unit {
    pub id: String,
    pub name: Option<String>,
    pub population: f64,
    pub covered_population: f64,
    pub coverage_ratio: f64,
    pub mean_walk_min: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Gaps {
    pub count: usize,
    pub largest: Vec<Gap>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Gap {
    pub rank: usize,
    pub population: f64,
    pub residents: usize,
    pub mean_walk_min: Option<f64>,
    pub max_walk_min: Option<f64>,
    pub centroid: [f64; 2],
    #[serde(default)]
    pub best_site: Option<BestSite>,
}

#[derive(Debug, Deserialize)]
pub(super) struct BestSite {
    pub location: [f64; 2],
    pub covered_population_gain: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Profile {
    pub profile: String,
    pub speed_kmh: f64,
    pub covered_population: f64,
    pub coverage_ratio: f64,
    pub lost_vs_first_population: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Tiers {
    pub tiers: Vec<Requirement>,
    pub services: Vec<Requirement>,
    pub complete_population: f64,
    pub complete_ratio: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Requirement {
    pub name: String,
    pub threshold_min: f64,
    #[serde(default)]
    pub threshold_m: Option<f64>,
    pub required: bool,
    pub centers: usize,
    pub covered_population: f64,
    pub coverage_ratio: f64,
}

/// A street piece of `network.geojson`: its line and walk times at both ends.
#[derive(Debug)]
pub(super) struct Street {
    pub line: Vec<[f64; 2]>,
    pub covered: bool,
    /// The shorter walk of its two ends, minutes; `None` with no path to a center.
    pub walk_min: Option<f64>,
}

/// A gap's outline from `gaps.geojson`: its rank and its rings.
#[derive(Debug)]
pub(super) struct GapShape {
    pub rank: usize,
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// A plan's chosen site from `plan.json`.
#[derive(Debug, Deserialize)]
pub(super) struct Site {
    pub rank: usize,
    pub id: String,
    pub lonlat: [f64; 2],
    pub gain: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Closed {
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct PlanParameters {
    pub model: String,
    pub k: Option<usize>,
    pub target_ratio: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub(super) struct PlanCandidates {
    pub source: String,
    pub count: usize,
}

#[derive(Debug, Deserialize)]
pub(super) struct Plan {
    pub parameters: PlanParameters,
    pub candidates: PlanCandidates,
    pub method: String,
    pub sites: Vec<Site>,
    pub closed: Vec<Closed>,
    pub objective: f64,
    pub bound: Option<f64>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One coverage folder: its summary and the layers the map draws.
#[derive(Debug)]
pub(super) struct CoverageFolder {
    pub summary: Summary,
    pub streets: Vec<Street>,
    pub gaps: Vec<GapShape>,
}

/// A plan folder: `plan.json` and its `before/` and `after/` coverage folders.
#[derive(Debug)]
pub(super) struct PlanFolder {
    pub plan: Plan,
    pub before: CoverageFolder,
    pub after: CoverageFolder,
}

fn geojson(read: &ReadOutputFile<'_>, name: &str) -> Result<geojson::FeatureCollection> {
    let bytes = file(read, name)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| Error::Parse {
        layer: name.to_string(),
        reason: format!("not UTF-8: {e}"),
    })?;
    text.parse::<geojson::FeatureCollection>()
        .map_err(|e| Error::Parse {
            layer: name.to_string(),
            reason: format!("not a GeoJSON feature collection: {e}"),
        })
}

fn position(p: &geojson::Position) -> [f64; 2] {
    [p[0], p[1]]
}

fn streets(read: &ReadOutputFile<'_>, name: &str) -> Result<Vec<Street>> {
    let fc = geojson(read, name)?;
    let mut out = Vec::with_capacity(fc.features.len());
    for (i, f) in fc.features.iter().enumerate() {
        let Some(geojson::GeometryValue::LineString { coordinates: line }) =
            f.geometry.as_ref().map(|g| &g.value)
        else {
            return Err(Error::Feature {
                layer: name.to_string(),
                index: i,
                reason: "a network piece must be a LineString".into(),
            });
        };
        let walk = |key: &str| f.property(key).and_then(serde_json::Value::as_f64);
        let walk_min = match (walk("walk_min_start"), walk("walk_min_end")) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        out.push(Street {
            line: line.iter().map(position).collect(),
            covered: f.property("covered").and_then(serde_json::Value::as_bool) == Some(true),
            walk_min,
        });
    }
    Ok(out)
}

fn gap_shapes(read: &ReadOutputFile<'_>, name: &str) -> Result<Vec<GapShape>> {
    let fc = geojson(read, name)?;
    let mut out = Vec::with_capacity(fc.features.len());
    for (i, f) in fc.features.iter().enumerate() {
        let rings: Vec<Vec<[f64; 2]>> = match f.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Polygon { coordinates: p }) => {
                p.iter().map(|r| r.iter().map(position).collect()).collect()
            }
            Some(geojson::GeometryValue::MultiPolygon { coordinates: m }) => m
                .iter()
                .flatten()
                .map(|r| r.iter().map(position).collect())
                .collect(),
            _ => {
                return Err(Error::Feature {
                    layer: name.to_string(),
                    index: i,
                    reason: "a gap must be a Polygon or MultiPolygon".into(),
                })
            }
        };
        let rank = f
            .property("rank")
            .and_then(serde_json::Value::as_u64)
            .map_or(i + 1, |r| r as usize);
        out.push(GapShape { rank, rings });
    }
    Ok(out)
}

impl CoverageFolder {
    /// Reads the coverage folder whose files are `prefix` + name (`""` or `"after/"`).
    pub(super) fn read(read: &ReadOutputFile<'_>, prefix: &str) -> Result<CoverageFolder> {
        Ok(CoverageFolder {
            summary: json(read, &format!("{prefix}summary.json"))?,
            streets: streets(read, &format!("{prefix}network.geojson"))?,
            gaps: gap_shapes(read, &format!("{prefix}gaps.geojson"))?,
        })
    }
}

impl PlanFolder {
    /// Reads a plan folder.
    pub(super) fn read(read: &ReadOutputFile<'_>) -> Result<PlanFolder> {
        Ok(PlanFolder {
            plan: json(read, "plan.json")?,
            before: CoverageFolder::read(read, "before/")?,
            after: CoverageFolder::read(read, "after/")?,
        })
    }
}
