//! What crosses between the session and JavaScript: load reports, parameter updates,
//! optimisation and ranking options, the centers as listed, and the parameters as
//! shown. Plain serde types; `bindings.rs` converts them.

use lifecircle::features::{PointFeature, SkipCounts};
use lifecircle::study::InputReport;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What loading one file used and skipped.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadReport {
    /// File name (and tag filter) as given.
    pub source: String,
    /// Features read.
    pub features_used: usize,
    /// Features skipped, all reasons.
    pub skipped_total: usize,
    /// Features kept with a note (id renamed, population defaulted).
    pub noted_total: usize,
    /// Features skipped by reason.
    pub skipped: SkipCounts,
}

/// What [`super::Session::load_osm`] read from one OSM PBF: a report per layer.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OsmLoadReport {
    /// The roads.
    pub roads: LoadReport,
    /// The centers, when a centers filter was given.
    pub centers: Option<LoadReport>,
    /// The residents, when a demand filter was given.
    pub demand: Option<LoadReport>,
}

impl From<InputReport> for LoadReport {
    fn from(r: InputReport) -> Self {
        Self {
            source: r.source,
            features_used: r.features_used,
            skipped_total: r.skipped_total,
            noted_total: r.noted_total,
            skipped: r.skipped,
        }
    }
}

/// A parameter change from JS (`model.setParams({...})`): any subset.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ParamUpdate {
    /// Walk-time threshold, minutes (switches a distance threshold back to time).
    pub threshold_min: Option<f64>,
    /// Threshold as a walking distance along the network, metres.
    pub threshold_m: Option<f64>,
    /// More thresholds answered side by side, in the threshold's unit (minutes or
    /// metres; empty for one threshold). Switching the threshold's unit without them
    /// drops the bands.
    pub bands: Option<Vec<f64>>,
    /// Adult walking speed on flat ground, km/h.
    pub speed_kmh: Option<f64>,
    /// `adult`, `older` or `wheelchair`.
    pub profile: Option<String>,
    /// Largest straight-line distance from a point to the network, metres.
    pub max_snap_m: Option<f64>,
    /// Gap areas link uncovered residents closer than this, metres.
    pub gap_link_m: Option<f64>,
    /// Accessibility scores: `2sfca`, `e2sfca`, or `none` to turn them off.
    pub access: Option<String>,
    /// The center property holding capacities for the scores (default `capacity`).
    pub capacity_field: Option<String>,
}

/// Input limits from JS (`model.setLimits({...})`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LimitsUpdate {
    /// Largest input after gzip decompression, MiB.
    pub max_input_mb: Option<f64>,
    /// Largest number of features one file may hold.
    pub max_features: Option<usize>,
}

/// Options of `optimize` from JS.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OptimizeOptions {
    /// New sites (MCLP, p-median); default 1.
    pub k: Option<usize>,
    /// Coverage ratio to reach (LSCP); default 1.
    pub target_ratio: Option<f64>,
    /// Generated candidates' spacing, metres (when no candidates were loaded).
    pub spacing_m: Option<f64>,
    /// Solve exactly.
    pub exact: Option<bool>,
    /// Most population one new site may serve.
    pub capacity: Option<f64>,
    /// Existing centers may close (relocation): the plan may drop them.
    pub allow_closing: Option<bool>,
    /// With `allow_closing`: most existing centers that may close.
    pub max_closed: Option<usize>,
    /// With reporting units: every unit the candidates can bring there reaches this
    /// coverage ratio (MCLP).
    pub unit_floor: Option<f64>,
    /// With reporting units: raise the worst-served unit first (MCLP).
    pub maximin: Option<bool>,
    /// A tier plan: the new sites are centers of this tier offering its services, and
    /// the objective is complete coverage (needs the tiers and services).
    pub site_tier: Option<String>,
}

/// Options of `rankCandidates` from JS.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RankOptions {
    /// Generated candidates' spacing, metres (when no candidates were loaded).
    pub spacing_m: Option<f64>,
    /// Return only the best `limit` candidates.
    pub limit: Option<usize>,
}

/// One service center of the scenario.
#[derive(Debug, Clone)]
pub struct Center {
    /// Unique key (the input id, made unique; `site-N` for added sites).
    pub key: String,
    /// The point given to the engine.
    pub point: PointFeature,
    /// Added in this session (not in the loaded file).
    pub added: bool,
    /// Closed in this scenario.
    pub removed: bool,
}

/// A center as JS sees it (`model.centers()`).
#[derive(Debug, Clone, Serialize)]
pub struct CenterInfo {
    /// Key used by `removeCenter` / `restoreCenter`.
    pub id: String,
    /// The `name` property, else the id.
    pub name: String,
    /// Longitude, WGS84.
    pub lon: f64,
    /// Latitude, WGS84.
    pub lat: f64,
    /// The `tier` property, when present.
    pub tier: Option<String>,
    /// Added in this session.
    pub added: bool,
    /// Closed in this scenario.
    pub removed: bool,
}

/// The parameters as JS sees them (`model.params()`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamsView {
    /// Walk-time threshold, minutes (not used while `threshold_m` is given).
    pub threshold_min: f64,
    /// Threshold as a walking distance, metres, when the threshold is a distance.
    pub threshold_m: Option<f64>,
    /// The other bands, in the threshold's unit.
    pub bands: Vec<f64>,
    /// Adult walking speed on flat ground, km/h.
    pub speed_kmh: f64,
    /// The walking profile.
    pub profile: String,
    /// Largest straight-line distance from a point to the network, metres.
    pub max_snap_m: f64,
    /// Gap areas link uncovered residents closer than this, metres.
    pub gap_link_m: f64,
    /// `2sfca` or `e2sfca` when accessibility scores are on.
    pub access: Option<&'static str>,
    /// The center property capacities come from.
    pub capacity_field: String,
}

fn property_text(point: &PointFeature, key: &str) -> Option<String> {
    point.properties.get(key).map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// A center for `model.centers()`.
pub(super) fn center_info(c: &Center) -> CenterInfo {
    CenterInfo {
        id: c.key.clone(),
        name: property_text(&c.point, "name").unwrap_or_else(|| c.point.id.clone()),
        lon: c.point.lon,
        lat: c.point.lat,
        tier: property_text(&c.point, "tier"),
        added: c.added,
        removed: c.removed,
    }
}
