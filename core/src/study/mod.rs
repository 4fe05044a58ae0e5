//! The front door: one coverage study from typed layers and parameters.
//!
//! A [`Study`] converts its inputs to WGS84, samples heights, builds the walking
//! network and the walking costs of its profile, and computes every resident's walk to
//! the nearest center. It then answers everything asked of that run — summary, gaps,
//! network reach, service areas, tiers, profiles, what-ifs, plans — and keeps what the
//! answers share (the network, the costs, the planning index), so a what-if costs only
//! its own search. The command line, the wasm package, the Python package and the
//! benchmarks all stand on it.

mod analysis;
mod bands;
mod gap_sites;
mod layers;
mod outputs;
mod params;
mod plan_report;
mod plans;
mod report;
#[cfg(test)]
mod scenario_tests;
mod upgrades;
mod view;

use std::sync::{Arc, OnceLock};

pub use analysis::{Analysis, CoveredByProfile, CrsCheck, SlopeComparison};
pub use bands::{BandCoverage, BandOutputs, UnitBand};
pub use gap_sites::{GapSite, GAP_SITE_CANDIDATES, GAP_SITE_GAPS};
pub use layers::{InputReport, InputsReport, Layer, Layers};
pub use outputs::{
    is_default_title, CoverageOutputs, FileSink, FillFile, LayerWriter, Truncated,
    COVERAGE_OUTPUT_STAGES, COVERAGE_TABLE_NAMES, DEFAULT_TITLE, GEOPACKAGE_NAME, OUTPUT_NAMES,
    PLAN_FOLDER_TITLES,
};

pub use params::{Elevation, InputCrs, ServicesSource, StudyParams, MAX_WALKING_SPEED_KMH};
pub use plan_report::{
    CandidateProperties, CandidatesReport, ClosedReport, PlanReport, PlanReportParams,
    SiteProperties, SiteReport,
};
pub use plans::{site_offer, site_services, TierTargets};
pub use report::{
    CoverageReport, GapHeadline, GapsReport, ModelReport, ReportParams, ServiceAreaHeadline,
    ToolInfo,
};
pub use view::{
    BulkLayers, ClosedView, CoverageMapView, PlanView, RankedCandidate, ScenarioCenter,
    ViewCenterProperties, WhatIfView,
};

use crate::coverage::{
    compute_coverage, compute_with_snaps, find_gap_pieces, find_gaps, network_reach, service_areas,
    summarize, CoverageResult, CoverageSummary, DemandSnaps, GapArea, GapMode, ReachPiece,
    ServiceArea, Threshold,
};
use crate::crs::{points_to_wgs84, roads_to_wgs84, units_to_wgs84, Crs};
use crate::features::{CenterId, PointFeature, PointLayer, ReportingUnit, RoadLayer, UnitLayer};
use crate::network::WalkNetwork;
use crate::planning::{
    rank_candidates, Candidate, CandidateGain, PlanIndex, PlanScratch, Planner, SiteChange,
};
use crate::routing::{profile_costs_by, WalkCosts, WalkProfile};
use crate::{Error, Result};

/// What preparing the inputs did, kept for the reports and the coordinate check.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// Centers as given (before conversion), when they were converted.
    pub raw_centers: Option<Vec<PointFeature>>,
    /// Residents as given, when converted.
    pub raw_demand: Option<Vec<PointFeature>>,
    /// Whether the roads were converted (then the skipped-conversion check is not
    /// comparable).
    pub roads_converted: bool,
    /// Road vertices that got a height from the elevation tiles, and those that did not.
    pub dem_vertices: Option<(usize, usize)>,
}

/// The stages of building a study, as [`Study::new_observed`] reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudyStage {
    /// Converting inputs, sampling heights and building the walk network.
    BuildingNetwork,
    /// The walking costs and every resident's walk.
    ComputingWalks,
}

impl StudyStage {
    /// What the stage does, in words (`building walk network`, `computing walks`).
    pub fn as_str(self) -> &'static str {
        match self {
            StudyStage::BuildingNetwork => "building walk network",
            StudyStage::ComputingWalks => "computing walks",
        }
    }
}

/// One coverage run: the inputs, the network and costs, every resident's walk, and what
/// the queries share.
///
/// ```
/// use lifecircle::features::{PointFeature, RoadLine};
/// use lifecircle::{Layer, Layers, Study, StudyParams};
/// // Two streets 111 m long meeting at a corner; a center at one end.
/// let roads = vec![
///     RoadLine::new(vec![[0.0, 0.0], [0.001, 0.0]]),
///     RoadLine::new(vec![[0.001, 0.0], [0.001, 0.001]]),
/// ];
/// let layers = Layers {
///     roads: Layer::new(roads.into(), "roads"),
///     centers: Layer::new(vec![PointFeature::new("c", 0.0, 0.0)].into(), "centers"),
///     demand: Layer::new(vec![PointFeature::new("r", 0.001, 0.001).with_population(4.0)].into(), "residents"),
///     units: None,
/// };
/// let mut params = StudyParams::default();
/// params.network.min_component_nodes = 1;
/// let study = Study::new(layers, params).unwrap();
/// // 222 m at 80 m/min: 2.8 minutes, within the 10-minute circle.
/// assert_eq!(study.summary().covered_population, 4.0);
/// ```
#[derive(Debug)]
pub struct Study {
    params: StudyParams,
    inputs: InputsReport,
    network: Arc<WalkNetwork>,
    profile: WalkProfile,
    costs: Arc<WalkCosts>,
    centers: Layer<PointLayer>,
    demand: Arc<Layer<PointLayer>>,
    units: Option<Arc<Layer<UnitLayer>>>,
    prepared: Arc<Prepared>,
    result: CoverageResult,
    plan_index: OnceLock<PlanIndex>,
}

/// What a study is built from once its network exists, shared where it can be: the
/// residents and units (large, read-only) and the costs of a profile are reference
/// counted, so scenarios on the same data ([`Study::with_centers`]) and interactive
/// sessions that change one layer at a time copy none of them.
#[derive(Debug, Clone)]
pub struct StudyParts {
    /// The walking network (with heights, when slope is used).
    pub network: Arc<WalkNetwork>,
    /// What reading the roads used and skipped.
    pub roads: InputReport,
    /// The walking costs of the study's profile on `network`, when already computed
    /// (they must be those [`crate::routing::profile_costs`] gives for the study's
    /// profile and slope); `None` computes them.
    pub costs: Option<Arc<WalkCosts>>,
    /// The centers, in WGS84.
    pub centers: Layer<PointLayer>,
    /// The residents, in WGS84.
    pub demand: Arc<Layer<PointLayer>>,
    /// The reporting units, in WGS84.
    pub units: Option<Arc<Layer<UnitLayer>>>,
    /// What preparing the layers did (for the reports).
    pub prepared: Arc<Prepared>,
    /// The residents' positions on `network` from an earlier run on these residents;
    /// used when snapped with the same `max_snap_m`, else they are snapped again.
    pub demand_snaps: Option<DemandSnaps>,
}

/// Converts every layer from its [`StudyParams::input_crs`] to WGS84 and samples the
/// elevation tiles onto the roads, as [`Study::new`] does first (for callers that build
/// the network themselves: [`build_network`], [`Study::on_network`]).
pub fn prepare_layers(layers: &mut Layers, params: &StudyParams) -> Prepared {
    let mut prepared = Prepared::default();
    let c = params.input_crs;
    if c.centers != Crs::Wgs84 {
        prepared.raw_centers = Some(layers.centers.data.points.clone());
        points_to_wgs84(&mut layers.centers.data.points, c.centers);
    }
    if c.demand != Crs::Wgs84 {
        prepared.raw_demand = Some(layers.demand.data.points.clone());
        points_to_wgs84(&mut layers.demand.data.points, c.demand);
    }
    if c.roads != Crs::Wgs84 {
        prepared.roads_converted = true;
        roads_to_wgs84(&mut layers.roads.data.lines, c.roads);
    }
    if let Some(u) = &mut layers.units {
        units_to_wgs84(&mut u.data.units, c.units);
    }
    if let Some(elevation) = &params.elevation {
        prepared.dem_vertices = Some(
            elevation
                .dem
                .fill_road_elevations(&mut layers.roads.data.lines),
        );
    }
    prepared
}

/// A centers layer must hold at least one center: the check every adapter makes of a
/// centers layer it loads, before a study is built on it.
///
/// # Errors
/// [`Error::Empty`] naming the layer, with the count of features skipped.
pub fn check_centers(centers: &Layer<PointLayer>) -> Result<()> {
    if centers.data.points.is_empty() {
        return Err(Error::Empty {
            layer: centers.source.clone(),
            reason: format!(
                "no service center found ({} features skipped)",
                centers.data.skipped.dropped()
            ),
        });
    }
    Ok(())
}

/// Builds the walking network of `roads` (for [`Study::on_network`]).
///
/// # Errors
/// [`Error::Empty`] naming the roads' source when no walkable line remains.
pub fn build_network(
    roads: &Layer<RoadLayer>,
    params: &crate::network::NetworkParams,
) -> Result<WalkNetwork> {
    WalkNetwork::from_roads(&roads.data.lines, params).map_err(|e| {
        // Say what was left out, so an extract whose ways lost their nodes, or a file of
        // motorways, explains itself.
        let skipped = &roads.data.skipped;
        let mut reasons: Vec<(&String, &usize)> = skipped.0.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let left_out = if reasons.is_empty() {
            String::new()
        } else {
            let top: Vec<String> = reasons
                .iter()
                .take(3)
                .map(|(reason, n)| format!("{n} {reason}"))
                .collect();
            format!("; left out: {}", top.join(", "))
        };
        Error::Empty {
            layer: roads.source.clone(),
            reason: format!("cannot build a walking network: {e}{left_out}"),
        }
    })
}

impl Study {
    /// Runs the study: inputs to WGS84, heights from the elevation tiles, the walking
    /// network, the profile's costs and every resident's walk.
    ///
    /// The road lines are released once the network is built.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for parameters out of range; [`Error::Empty`] naming
    /// the layer when the roads give no network, when no center is given, or when slope
    /// is asked for and no road has a height.
    pub fn new(layers: Layers, params: StudyParams) -> Result<Study> {
        Self::new_observed(layers, params, &mut |_| {})
    }

    /// [`Self::new`], calling `observe` as each stage begins (for progress and timing).
    ///
    /// # Errors
    /// As [`Self::new`].
    pub fn new_observed(
        mut layers: Layers,
        params: StudyParams,
        observe: &mut dyn FnMut(StudyStage),
    ) -> Result<Study> {
        params.validate()?;
        observe(StudyStage::BuildingNetwork);
        let prepared = prepare_layers(&mut layers, &params);
        let network = build_network(&layers.roads, &params.network)?;
        layers.roads.data.release_after_build();
        check_centers(&layers.centers)?;
        let roads_report = InputReport::new(
            &layers.roads.source,
            layers.roads.data.lines.len(),
            &layers.roads.data.skipped,
        )
        .with_crs(layers.roads.data.crs.clone());
        observe(StudyStage::ComputingWalks);
        Self::from_parts(
            StudyParts {
                network: Arc::new(network),
                roads: roads_report,
                costs: None,
                centers: layers.centers,
                demand: Arc::new(layers.demand),
                units: layers.units.map(Arc::new),
                prepared: Arc::new(prepared),
                demand_snaps: None,
            },
            params,
        )
    }

    /// Runs the study on a network built before (from the roads `roads_report`
    /// describes, with [`build_network`]); `layers.roads` is not read. Centers,
    /// residents and units are converted to WGS84 as in [`Self::new`]; heights must
    /// already be on the network.
    ///
    /// # Errors
    /// As [`Self::new`].
    pub fn on_network(
        network: Arc<WalkNetwork>,
        roads_report: InputReport,
        mut layers: Layers,
        params: StudyParams,
    ) -> Result<Study> {
        params.validate()?;
        let mut point_params = params.clone();
        point_params.input_crs.roads = Crs::Wgs84;
        point_params.elevation = None;
        let prepared = prepare_layers(&mut layers, &point_params);
        Self::from_parts(
            StudyParts {
                network,
                roads: roads_report,
                costs: None,
                centers: layers.centers,
                demand: Arc::new(layers.demand),
                units: layers.units.map(Arc::new),
                prepared: Arc::new(prepared),
                demand_snaps: None,
            },
            params,
        )
    }

    /// Runs the study on parts already prepared: every layer in WGS84, the network
    /// built.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for parameters out of range; [`Error::Empty`] when no
    /// center is given, or slope is asked for and no road has a height.
    pub fn from_parts(parts: StudyParts, params: StudyParams) -> Result<Study> {
        params.validate()?;
        check_centers(&parts.centers)?;
        let network = parts.network;
        if params.uses_slope() && network.stats().edges_with_elevation == 0 {
            let reason = match &params.elevation {
                None => "--slope needs heights: the roads have no z coordinates; \
                         give SRTM tiles with --dem FILE.hgt"
                    .to_string(),
                Some(e) => format!(
                    "--dem: the elevation tiles ({}) give no road a height: they do not \
                     cover the roads; give the tiles named after the south-west corners \
                     of the area",
                    e.tiles.join(", ")
                ),
            };
            return Err(Error::Empty {
                layer: parts.roads.source.clone(),
                reason,
            });
        }
        let profile = params.walk_profile()?;
        let costs = match parts.costs {
            Some(costs) if costs.speed_kmh() == profile.speed_kmh => costs,
            _ => Arc::new(profile_costs_by(
                &network,
                &profile,
                params.uses_slope(),
                params.measure(),
            )),
        };
        let inputs = InputsReport {
            roads: parts.roads,
            centers: InputReport::of_points(&parts.centers),
            demand: InputReport::of_points(&parts.demand),
            units: parts.units.as_deref().map(InputReport::of_units),
        };
        let (centers, demand) = (&parts.centers.data.points, &parts.demand.data.points);
        let known_snaps =
            (parts.demand_snaps.as_ref()).and_then(|s| s.matching(demand.len(), &params.coverage));
        let result = match known_snaps {
            Some(snaps) => compute_with_snaps(&network, &costs, centers, snaps, &params.coverage),
            None => compute_coverage(&network, &costs, centers, demand, &params.coverage),
        }?;
        Ok(Study {
            params,
            inputs,
            network,
            profile,
            costs,
            centers: parts.centers,
            demand: parts.demand,
            units: parts.units,
            prepared: parts.prepared,
            result,
            plan_index: OnceLock::new(),
        })
    }

    /// Where the residents meet the network, for runs with other centers
    /// ([`StudyParts::demand_snaps`]).
    pub fn demand_snaps(&self) -> DemandSnaps {
        DemandSnaps::of(&self.result)
    }

    /// The parts this study stands on, with other `centers`, for another study.
    pub fn parts_with_centers(&self, centers: Layer<PointLayer>) -> StudyParts {
        StudyParts {
            network: Arc::clone(&self.network),
            roads: self.inputs.roads.clone(),
            costs: Some(Arc::clone(&self.costs)),
            centers,
            demand: Arc::clone(&self.demand),
            units: self.units.clone(),
            prepared: Arc::clone(&self.prepared),
            demand_snaps: Some(self.demand_snaps()),
        }
    }

    /// The same study with other centers (a scenario: centers closed, sites added):
    /// the network, costs, residents and units are shared, only the walks are
    /// recomputed. The coordinate check belongs to the layers as given and is not
    /// carried over.
    ///
    /// # Errors
    /// [`Error::Empty`] when `centers` is empty.
    pub fn with_centers(&self, centers: Layer<PointLayer>) -> Result<Study> {
        let mut parts = self.parts_with_centers(centers);
        parts.prepared = Arc::new(Prepared {
            raw_centers: None,
            raw_demand: None,
            ..(*self.prepared).clone()
        });
        Self::from_parts(parts, self.params.clone())
    }

    /// The parameters.
    pub fn params(&self) -> &StudyParams {
        &self.params
    }

    /// The threshold asked for: a walking time or a walking distance.
    pub fn threshold(&self) -> Threshold {
        self.params.coverage.threshold()
    }

    /// The threshold in minutes of the main profile's walk (a distance as the time it
    /// takes on flat ground): what walk-time figures are compared with.
    pub fn threshold_min(&self) -> f64 {
        self.threshold().minutes_at(self.costs.metres_per_min())
    }

    /// What reading each input used and skipped.
    pub fn inputs(&self) -> &InputsReport {
        &self.inputs
    }

    /// What preparing the inputs did (conversions, heights).
    pub fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// The walking network.
    pub fn network(&self) -> &WalkNetwork {
        &self.network
    }

    /// The network, shared (for another study on it: [`Self::on_network`]).
    pub fn shared_network(&self) -> Arc<WalkNetwork> {
        Arc::clone(&self.network)
    }

    /// The main walking profile.
    pub fn profile(&self) -> &WalkProfile {
        &self.profile
    }

    /// The walking costs of the main profile (they carry its speed).
    pub fn costs(&self) -> &WalkCosts {
        &self.costs
    }

    /// The centers, in WGS84, in input order ([`CenterId`] indexes them).
    pub fn centers(&self) -> &[PointFeature] {
        &self.centers.data.points
    }

    /// The residents, in WGS84, in input order.
    pub fn demand(&self) -> &[PointFeature] {
        &self.demand.data.points
    }

    /// The reporting units (empty without).
    pub fn units(&self) -> &[ReportingUnit] {
        self.units.as_deref().map_or(&[], |u| &u.data.units)
    }

    /// The costs, shared (for another study with the same profile).
    pub fn shared_costs(&self) -> Arc<WalkCosts> {
        Arc::clone(&self.costs)
    }

    /// The residents, shared.
    pub fn shared_demand(&self) -> Arc<Layer<PointLayer>> {
        Arc::clone(&self.demand)
    }

    /// The units, shared.
    pub fn shared_units(&self) -> Option<Arc<Layer<UnitLayer>>> {
        self.units.clone()
    }

    /// Every resident's and center's result.
    pub fn result(&self) -> &CoverageResult {
        &self.result
    }

    /// The headline figures: covered population, walk-time histogram, per center and
    /// per unit.
    pub fn summary(&self) -> CoverageSummary {
        summarize(&self.result, self.centers(), self.demand(), self.units())
    }

    /// Gaps of uncovered residents, largest population first: pieces one new center
    /// could close, or linked areas ([`crate::coverage::GapMode`]).
    pub fn gaps(&self) -> Vec<GapArea> {
        match self.params.coverage.gap_mode {
            GapMode::Pieces => {
                find_gap_pieces(&self.network, &self.costs, &self.result, self.demand())
            }
            GapMode::Linked => find_gaps(&self.network, &self.result, self.demand()),
        }
    }

    /// The network split where walks cross the threshold.
    pub fn reach(&self) -> Vec<ReachPiece> {
        network_reach(&self.network, &self.costs, &self.result)
    }

    /// Per center, the area it reaches within the threshold.
    pub fn service_areas(&self) -> Vec<ServiceArea> {
        service_areas(
            &self.network,
            &self.costs,
            &self.result,
            self.centers(),
            self.demand(),
        )
    }

    /// The planning index, built on first use and kept.
    pub fn plan_index(&self) -> &PlanIndex {
        self.plan_index.get_or_init(|| {
            PlanIndex::new(&self.network, &self.costs, &self.result, self.demand())
                .expect("the result was computed from these residents")
        })
    }

    /// A planner over the kept index: what-ifs, ranking and plans on this run.
    pub fn planner(&self) -> Planner<'_> {
        Planner::with_index(&self.network, &self.costs, &self.result, self.plan_index())
    }

    /// Reusable buffers for what-if queries on this study's network (one per thread).
    pub fn scratch(&self) -> PlanScratch {
        PlanScratch::new(&self.network)
    }

    /// What a new center at `lonlat` would change ([`Planner::add_site`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the site is too far from the network.
    pub fn what_if_add(&self, scratch: &mut PlanScratch, lonlat: [f64; 2]) -> Result<SiteChange> {
        self.planner().add_site(scratch, lonlat)
    }

    /// What closing `center` would change ([`Planner::remove_center`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown center.
    pub fn what_if_remove(
        &self,
        scratch: &mut PlanScratch,
        center: CenterId,
    ) -> Result<SiteChange> {
        self.planner().remove_center(scratch, center)
    }

    /// What moving `center` to `lonlat` would change ([`Planner::move_center`]).
    ///
    /// # Errors
    /// As [`Self::what_if_add`] and [`Self::what_if_remove`].
    pub fn what_if_move(
        &self,
        scratch: &mut PlanScratch,
        center: CenterId,
        lonlat: [f64; 2],
    ) -> Result<SiteChange> {
        self.planner().move_center(scratch, center, lonlat)
    }

    /// Every candidate's gain on its own, ranked ([`rank_candidates`]).
    pub fn rank(&self, candidates: &[Candidate], threshold_min: Option<f64>) -> Vec<CandidateGain> {
        rank_candidates(&self.planner(), candidates, threshold_min)
    }
}
