//! What an interactive viewer shows of a study: the coverage view (figures and every
//! layer in one JSON document, or the two large layers apart as GeoJSON bytes with the
//! residents' walks as columns), what-if answers, ranked candidates and plans — the same
//! figures and layers as the command line's files, typed.

use serde::Serialize;

use super::bands::BandCoverage;
use super::report::GapHeadline;
use super::Study;
use crate::coverage::{Accessibility, CoverageSummary, TierCoverage};
use crate::crs::Crs;
use crate::features::CenterId;
use crate::network::NetworkStats;
use crate::output::{
    round_to, write_geojson, DemandLayer, FeatureCollection, FeatureSource, GapsLayer,
    NetworkLayer, PointsLayer, ResidentDetails, ServiceAreasLayer, UnitsLayer,
};
use crate::planning::{Candidate, CandidateGain, ClosedCenter, PlanOutcome, SiteChange};
use crate::Result;

/// Gap rows listed in the view (the gaps layer holds them all).
const VIEW_GAP_ROWS: usize = 200;

/// A center of a scenario as the viewer lists it: open or closed, loaded or added.
#[derive(Debug, Clone)]
pub struct ScenarioCenter {
    /// The key the viewer names it by.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Its tier, when it has one.
    pub tier: Option<String>,
    /// `[lon, lat]`, WGS84.
    pub lonlat: [f64; 2],
    /// Added in the session (not in the loaded file).
    pub added: bool,
    /// Its position among the study's centers when open; `None` when closed.
    pub open: Option<CenterId>,
}

/// The properties of a center in the view's `centers` layer.
#[derive(Debug, Clone, Serialize)]
pub struct ViewCenterProperties {
    id: String,
    name: String,
    tier: Option<String>,
    added: bool,
    removed: bool,
    served_population: f64,
    served_residents: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewLayers<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    network: Option<FeatureCollection<'a, NetworkLayer<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    demand: Option<FeatureCollection<'a, DemandLayer<'a>>>,
    gaps: FeatureCollection<'a, GapsLayer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_areas: Option<FeatureCollection<'a, ServiceAreasLayer<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    units: Option<FeatureCollection<'a, UnitsLayer<'a>>>,
    centers: FeatureCollection<'a, PointsLayer<ViewCenterProperties>>,
}

/// The two largest layers of a coverage view, apart from its JSON: a page hands the
/// bytes to its map (which parses them off the page's thread) and draws the histogram
/// from the columns, instead of parsing every resident as a JS object on each edit.
#[derive(Debug, Clone, Default)]
pub struct BulkLayers {
    /// The view's `network` layer as GeoJSON (UTF-8 bytes).
    pub network_geojson: Vec<u8>,
    /// The view's `demand` layer (the residents) as GeoJSON (UTF-8 bytes).
    pub demand_geojson: Vec<u8>,
    /// Each resident's walk to the nearest center, minutes, as the demand layer's
    /// `walk_min` (rounded alike); NaN where there is no walk.
    pub walk_min: Vec<f64>,
    /// Each resident's population, as the demand layer's `population`.
    pub population: Vec<f64>,
}

/// A coverage view with its large layers apart.
#[derive(Debug, Clone)]
pub struct CoverageMapView {
    /// The view as [`Study::coverage_view_json`] writes it, without `layers.network` and
    /// `layers.demand`.
    pub json: String,
    /// Those two layers, and the residents' columns.
    pub bulk: BulkLayers,
}

/// The coverage view: the summary, the network's size, the gaps, and every layer.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CoverageView<'a> {
    summary: &'a CoverageSummary,
    network: NetworkStats,
    gap_count: usize,
    gap_population: f64,
    largest_gap: Option<&'a GapHeadline>,
    gaps: &'a [GapHeadline],
    bounds: [f64; 4],
    threshold_min: f64,
    threshold_m: Option<f64>,
    speed_kmh: f64,
    tiers: Option<&'a TierCoverage>,
    /// Every band's coverage in a multi-threshold run (the network and residents then
    /// carry `band_min` / `band_m`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    bands: &'a [BandCoverage],
    /// 2SFCA figures when accessibility is on (residents then carry `access_score` and
    /// `centers_within`).
    #[serde(skip_serializing_if = "Option::is_none")]
    accessibility: Option<&'a Accessibility>,
    layers: ViewLayers<'a>,
}

/// A what-if answer: the change, with the coverage ratios before and after.
#[derive(Debug, Clone, Serialize)]
pub struct WhatIfView {
    /// The change.
    #[serde(flatten)]
    pub change: SiteChange,
    /// Coverage ratio before.
    pub coverage_ratio_before: f64,
    /// Coverage ratio after.
    pub coverage_ratio_after: f64,
    /// Total population.
    pub total_population: f64,
    /// Whether the site joined the network.
    pub snapped: bool,
    /// Why nothing changes, when the site does not join the network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn ratio(part: f64, total: f64) -> f64 {
    if total > 0.0 {
        part / total
    } else {
        0.0
    }
}

impl WhatIfView {
    /// `change` on a population of `total_population`.
    pub fn new(change: SiteChange, total_population: f64) -> Self {
        Self {
            coverage_ratio_before: ratio(change.covered_population_before, total_population),
            coverage_ratio_after: ratio(change.covered_population_after, total_population),
            total_population,
            snapped: true,
            reason: None,
            change,
        }
    }
}

/// One ranked candidate.
#[derive(Debug, Clone, Serialize)]
pub struct RankedCandidate {
    /// Candidate id.
    pub id: String,
    /// Longitude, WGS84.
    pub lon: f64,
    /// Latitude, WGS84.
    pub lat: f64,
    /// 1 for the best.
    pub rank: usize,
    /// Whether it joins the network.
    pub snapped: bool,
    /// Population it would newly cover on its own.
    pub covered_population_gain: f64,
    /// Residents it would newly cover.
    pub newly_covered_residents: usize,
    /// Population whose walk it would shorten.
    pub shorter_walk_population: f64,
    /// Walk minutes it would save.
    pub walk_minutes_saved: f64,
}

impl RankedCandidate {
    /// `gain` of `candidate`.
    pub fn new(gain: &CandidateGain, candidate: &Candidate) -> Self {
        Self {
            id: candidate.id.clone(),
            lon: candidate.lonlat[0],
            lat: candidate.lonlat[1],
            rank: gain.rank,
            snapped: gain.snapped,
            covered_population_gain: gain.covered_population_gain,
            newly_covered_residents: gain.newly_covered_residents,
            shorter_walk_population: gain.shorter_walk_population,
            walk_minutes_saved: gain.walk_minutes_saved,
        }
    }
}

/// A closed center in a plan view, with the key the viewer names it by.
#[derive(Debug, Clone, Serialize)]
pub struct ClosedView {
    /// What closing it costs.
    #[serde(flatten)]
    pub closed: ClosedCenter,
    /// The viewer's key of the center.
    pub id: String,
}

/// A plan as the viewer shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// The plan (its `closed` replaced by [`PlanView::closed`]).
    #[serde(flatten)]
    pub outcome: PlanOutcome,
    /// Existing centers the plan closes, with their keys.
    pub closed: Vec<ClosedView>,
    /// Candidates considered.
    pub candidates: usize,
}

impl PlanView {
    /// `outcome` among `candidates` candidates; `key(c)` is the viewer's key of open
    /// center `c`.
    pub fn new(
        mut outcome: PlanOutcome,
        candidates: usize,
        key: impl Fn(CenterId) -> String,
    ) -> Self {
        let closed = std::mem::take(&mut outcome.closed)
            .into_iter()
            .map(|closed| ClosedView {
                id: key(closed.center),
                closed,
            })
            .collect();
        Self {
            outcome,
            closed,
            candidates,
        }
    }
}

impl Study {
    /// The coverage view as JSON text: summary, network, gaps, bounds and every layer
    /// (service areas when `with_service_areas`; units when the study has them), with
    /// `centers` listing every center of the scenario, open or closed.
    ///
    /// # Errors
    /// As [`Study::tiers`].
    pub fn coverage_view_json(
        &self,
        centers: &[ScenarioCenter],
        bounds: [f64; 4],
        with_service_areas: bool,
    ) -> Result<String> {
        Ok(self
            .coverage_view(centers, bounds, with_service_areas, false)?
            .0)
    }

    /// The coverage view of [`Study::coverage_view_json`] with the network and demand
    /// layers apart, as GeoJSON bytes (the same bytes those layers hold in the JSON
    /// view), and the residents' walks and populations as columns.
    ///
    /// # Errors
    /// As [`Study::tiers`].
    pub fn coverage_map_view(
        &self,
        centers: &[ScenarioCenter],
        bounds: [f64; 4],
        with_service_areas: bool,
    ) -> Result<CoverageMapView> {
        let (json, bulk) = self.coverage_view(centers, bounds, with_service_areas, true)?;
        Ok(CoverageMapView {
            json,
            bulk: bulk.expect("asked for apart"),
        })
    }

    /// The view's JSON, with the network and demand layers in it or, when `apart`, beside
    /// it.
    fn coverage_view(
        &self,
        centers: &[ScenarioCenter],
        bounds: [f64; 4],
        with_service_areas: bool,
        apart: bool,
    ) -> Result<(String, Option<BulkLayers>)> {
        let summary = self.summary();
        let gaps = self.gaps();
        let reach = self.reach_in_bands();
        // The view needs each band's figures and columns, not its service areas.
        let band_coverage = self.band_coverage();
        let (reach_band, resident_band) = if band_coverage.is_empty() {
            (None, None)
        } else {
            (
                Some(self.band_column(reach.iter().map(|p| p.band))),
                Some(self.band_column(self.resident_bands())),
            )
        };
        let tiers = self.tiers()?;
        let access = self.accessibility()?;
        let unit_band_ratios = self.unit_band_ratios(&band_coverage);
        let areas = with_service_areas.then(|| self.service_areas());
        let gap_rows: Vec<GapHeadline> = gaps
            .iter()
            .take(VIEW_GAP_ROWS)
            .map(|g| GapHeadline::new(g, None, Crs::Wgs84))
            .collect();
        let centers_layer = PointsLayer {
            points: centers
                .iter()
                .map(|c| {
                    let served = c.open.map(|i| &summary.per_center[i.index()]);
                    (
                        c.lonlat,
                        ViewCenterProperties {
                            id: c.key.clone(),
                            name: c.name.clone(),
                            tier: c.tier.clone(),
                            added: c.added,
                            removed: c.open.is_none(),
                            served_population: served
                                .map_or(0.0, |s| round_to(s.served_population, 3)),
                            served_residents: served.map_or(0, |s| s.served_residents),
                        },
                    )
                })
                .collect(),
        };
        let wgs84 = Crs::Wgs84;
        let network_layer = NetworkLayer {
            pieces: &reach,
            band: reach_band.as_ref(),
        };
        let demand_layer = DemandLayer {
            details: ResidentDetails {
                band: resident_band.as_ref(),
                access: access.as_ref(),
                tiers_flat: tiers.as_ref(),
                ..ResidentDetails::default()
            },
            ..DemandLayer::new(self.demand(), self.centers(), self.result())
        };
        let gaps_layer = GapsLayer {
            gaps: &gaps,
            crs: wgs84,
        };
        let areas_layer = areas
            .as_ref()
            .map(|areas| ServiceAreasLayer { areas, band: None });
        let units_layer = UnitsLayer {
            units: self.units(),
            summaries: &summary.per_unit,
            band_ratios: &unit_band_ratios,
            tiers: tiers.as_ref().map_or(&[], |t| &t.per_unit),
            access: access.as_ref().map_or(&[], |a| &a.per_unit),
        };
        let view = CoverageView {
            summary: &summary,
            network: self.network().stats(),
            gap_count: gaps.len(),
            gap_population: gaps.iter().map(|g| g.population).sum(),
            largest_gap: gap_rows.first(),
            gaps: &gap_rows,
            bounds,
            threshold_min: self.threshold_min(),
            threshold_m: self.params().coverage.threshold_m,
            speed_kmh: self.costs().speed_kmh(),
            tiers: tiers.as_ref(),
            bands: &band_coverage,
            accessibility: access.as_ref(),
            layers: ViewLayers {
                network: (!apart).then(|| FeatureCollection::new(&network_layer, wgs84)),
                demand: (!apart).then(|| FeatureCollection::new(&demand_layer, wgs84)),
                gaps: FeatureCollection::new(&gaps_layer, wgs84),
                service_areas: areas_layer
                    .as_ref()
                    .map(|l| FeatureCollection::new(l, wgs84)),
                units: (!self.units().is_empty())
                    .then(|| FeatureCollection::new(&units_layer, wgs84)),
                centers: FeatureCollection::new(&centers_layer, wgs84),
            },
        };
        let json = serde_json::to_string(&view).expect("the view serializes");
        let bulk = apart.then(|| BulkLayers {
            network_geojson: geojson_bytes(&network_layer),
            demand_geojson: geojson_bytes(&demand_layer),
            walk_min: self
                .result()
                .demand
                .iter()
                .map(|r| round_to(r.walk_min.unwrap_or(f64::NAN), 3))
                .collect(),
            population: self.demand().iter().map(|p| p.population).collect(),
        });
        Ok((json, bulk))
    }

    /// The service areas of the study as GeoJSON text (WGS84).
    pub fn service_areas_json(&self) -> String {
        let areas = self.service_areas();
        crate::output::geojson_string(
            &ServiceAreasLayer {
                areas: &areas,
                band: None,
            },
            Crs::Wgs84,
        )
    }
}

/// `layer` as GeoJSON bytes in WGS84, as a view's layer holds it.
fn geojson_bytes<L: FeatureSource>(layer: &L) -> Vec<u8> {
    let mut out = Vec::new();
    write_geojson(&mut out, layer, Crs::Wgs84).expect("writing to memory cannot fail");
    out
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
