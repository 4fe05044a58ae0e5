//! The state behind the wasm `CoverageModel`: inputs, parameters, the built network and
//! the current scenario (which centers are open). Pure Rust with no JS types, so it is
//! tested natively; `bindings.rs` only converts in and out.

use lifecircle::input::{
    read_osm_layers_auto, read_points_auto, read_points_osm_auto, read_roads_auto, read_units_auto,
    CsvOptions, InputLimits, OsmPointQuery, PointFeature, PointLayer, PointOptions,
    PopulationEstimate, RoadLayer, SkipCounts, TagFilter, UnitLayer,
};
use lifecircle::{
    candidates_from_points, compute_coverage, compute_tier_coverage, generate_candidates,
    plan_sites_with_progress, profile_costs, rank_candidates, Candidate, CandidateGrid, CenterId,
    CoverageParams, CoverageResult, Error, NetworkParams, PlanModel, PlanParams, PlanProgress,
    PlanScratch, Planner, Result, ServiceConfig, WalkCosts, WalkNetwork, WalkProfile,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::view;

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
    /// Features skipped by reason.
    pub skipped: SkipCounts,
}

/// What [`Session::load_osm`] read from one OSM PBF: a report per layer.
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

impl LoadReport {
    fn new(source: String, used: usize, skipped: &SkipCounts) -> Self {
        Self {
            source,
            features_used: used,
            skipped_total: skipped.total(),
            skipped: skipped.clone(),
        }
    }
}

/// A parameter change from JS (`model.setParams({...})`): any subset.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ParamUpdate {
    /// Walk-time threshold, minutes.
    pub threshold_min: Option<f64>,
    /// Adult walking speed on flat ground, km/h.
    pub speed_kmh: Option<f64>,
    /// `adult`, `older` or `wheelchair`.
    pub profile: Option<String>,
    /// Largest straight-line distance from a point to the network, metres.
    pub max_snap_m: Option<f64>,
    /// Gap areas link uncovered residents closer than this, metres.
    pub gap_link_m: Option<f64>,
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

/// Default largest input in the browser, bytes: a wasm32 heap tops out at 4 GiB, and a
/// network takes several times its file size.
pub const BROWSER_MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

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

/// The loaded roads: their network (the lines themselves are not kept).
struct Roads {
    network: WalkNetwork,
    /// `[west, south, east, north]` of the lines as loaded.
    bounds: [f64; 4],
}

/// Costs for one profile and speed.
struct ProfileCosts {
    key: (String, u64),
    costs: WalkCosts,
    speed_kmh: f64,
}

/// The current scenario's result and the centers it was computed with.
pub(crate) struct Scenario {
    pub open_centers: Vec<PointFeature>,
    /// `open_keys[i]` is the key of `open_centers[i]`.
    pub open_keys: Vec<String>,
    pub result: CoverageResult,
}

/// The whole model state.
pub struct Session {
    limits: InputLimits,
    roads: Option<Roads>,
    centers: Vec<Center>,
    centers_source: Option<String>,
    demand: Option<PointLayer>,
    candidates: Option<PointLayer>,
    units: Option<UnitLayer>,
    services: Option<ServiceConfig>,
    params: CoverageParams,
    profile: String,
    costs: Option<ProfileCosts>,
    scenario: Option<Scenario>,
    scratch: Option<PlanScratch>,
    sites_added: usize,
    service_areas_in_view: bool,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

fn read_points(
    name: &str,
    bytes: &[u8],
    osm_filter: Option<&str>,
    limits: &InputLimits,
) -> Result<(PointLayer, String)> {
    match given(osm_filter) {
        Some(filter) => {
            let tags = TagFilter::parse(filter)?;
            let layer = read_points_osm_auto(name, bytes, &tags, &PopulationEstimate::One, limits)?;
            Ok((layer, format!("{name} [{filter}]")))
        }
        None => Ok((
            read_points_auto(
                name,
                bytes,
                &PointOptions::default(),
                &CsvOptions::default(),
                limits,
            )?,
            name.to_string(),
        )),
    }
}

/// A tag filter that was given (an empty one means none, as in `read_points`).
fn given(filter: Option<&str>) -> Option<&str> {
    filter.filter(|f| !f.trim().is_empty())
}

/// The roads with their network built, and their load report.
fn roads_with_network(name: &str, layer: RoadLayer) -> Result<(Roads, LoadReport)> {
    let network =
        WalkNetwork::from_roads(&layer.lines, &NetworkParams::default()).map_err(|e| {
            Error::Empty {
                layer: name.into(),
                reason: format!("cannot build a walking network: {e}"),
            }
        })?;
    let roads = Roads {
        network,
        bounds: view::line_bounds(&layer.lines),
    };
    let report = LoadReport::new(name.into(), layer.lines.len(), &layer.skipped);
    Ok((roads, report))
}

/// A centers layer must hold at least one center.
fn check_centers(layer: &PointLayer, source: &str) -> Result<()> {
    if layer.points.is_empty() {
        return Err(Error::Empty {
            layer: source.to_string(),
            reason: format!(
                "no service center found ({} features skipped)",
                layer.skipped.total()
            ),
        });
    }
    Ok(())
}

fn not_loaded(layer: &str, what: &str) -> Error {
    Error::Empty {
        layer: layer.into(),
        reason: format!("no {what} loaded yet"),
    }
}

impl Session {
    /// An empty model with the default parameters and input limits.
    pub fn new() -> Self {
        Self {
            limits: InputLimits {
                max_bytes: BROWSER_MAX_INPUT_BYTES,
                ..InputLimits::default()
            },
            roads: None,
            centers: Vec::new(),
            centers_source: None,
            demand: None,
            candidates: None,
            units: None,
            services: None,
            params: CoverageParams::default(),
            profile: "adult".into(),
            costs: None,
            scenario: None,
            scratch: None,
            sites_added: 0,
            service_areas_in_view: true,
        }
    }

    /// Changes the input limits for the next files.
    pub fn set_limits(&mut self, update: &LimitsUpdate) -> Result<()> {
        let mut limits = self.limits;
        if let Some(mb) = update.max_input_mb {
            if !(mb.is_finite() && mb > 0.0) {
                return Err(Error::InvalidParameter {
                    name: "maxInputMb".into(),
                    reason: format!("must be a positive number, got {mb}"),
                });
            }
            limits.max_bytes = (mb * 1024.0 * 1024.0) as u64;
        }
        if let Some(n) = update.max_features {
            if n == 0 {
                return Err(Error::InvalidParameter {
                    name: "maxFeatures".into(),
                    reason: "must be at least 1".into(),
                });
            }
            limits.max_features = n;
        }
        self.limits = limits;
        Ok(())
    }

    /// Reads roads (GeoJSON lines or OSM PBF, gzip or not) and builds the network.
    pub fn load_roads(&mut self, name: &str, bytes: &[u8]) -> Result<LoadReport> {
        let layer = read_roads_auto(name, bytes, &self.limits)?;
        let (roads, report) = roads_with_network(name, layer)?;
        Ok(self.install_roads(roads, report))
    }

    fn install_roads(&mut self, roads: Roads, report: LoadReport) -> LoadReport {
        self.roads = Some(roads);
        self.costs = None;
        self.scratch = None;
        self.scenario = None;
        report
    }

    /// Reads roads and, by tag filter, centers and residents from one OSM PBF (gzip or
    /// not), decoding it once: the same layers, reports and errors as
    /// [`Session::load_roads`], [`Session::load_centers`] and [`Session::load_demand`] on
    /// the same file. Nothing changes unless every layer loads.
    pub fn load_osm(
        &mut self,
        name: &str,
        bytes: &[u8],
        centers_filter: Option<&str>,
        demand_filter: Option<&str>,
    ) -> Result<OsmLoadReport> {
        let (centers_filter, demand_filter) = (given(centers_filter), given(demand_filter));
        let queries = [centers_filter, demand_filter]
            .into_iter()
            .flatten()
            .map(|filter| {
                Ok(OsmPointQuery {
                    layer: name.to_string(),
                    filter: TagFilter::parse(filter)?,
                    population: PopulationEstimate::One,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let layers = read_osm_layers_auto(bytes, Some(name), &queries, &self.limits)?;
        let roads_layer = layers.roads.expect("the roads were asked for");
        let mut points = layers.points.into_iter();
        let mut point_layer = |filter: Option<&str>| {
            filter.map(|f| {
                let layer = points.next().expect("one layer per query");
                (layer, format!("{name} [{f}]"))
            })
        };
        let centers = point_layer(centers_filter);
        let demand = point_layer(demand_filter);
        let (roads, roads_report) = roads_with_network(name, roads_layer)?;
        if let Some((layer, source)) = &centers {
            check_centers(layer, source)?;
        }
        Ok(OsmLoadReport {
            roads: self.install_roads(roads, roads_report),
            centers: centers.map(|(layer, source)| self.install_centers(layer, source)),
            demand: demand.map(|(layer, source)| self.install_demand(layer, source)),
        })
    }

    /// Reads the service centers; replaces the scenario's centers.
    pub fn load_centers(
        &mut self,
        name: &str,
        bytes: &[u8],
        osm_filter: Option<&str>,
    ) -> Result<LoadReport> {
        let (layer, source) = read_points(name, bytes, osm_filter, &self.limits)?;
        check_centers(&layer, &source)?;
        Ok(self.install_centers(layer, source))
    }

    fn install_centers(&mut self, layer: PointLayer, source: String) -> LoadReport {
        let report = LoadReport::new(source.clone(), layer.points.len(), &layer.skipped);
        let mut used = std::collections::BTreeSet::new();
        self.centers = layer
            .points
            .into_iter()
            .map(|point| {
                let mut key = point.id.clone();
                let mut n = 1;
                while !used.insert(key.clone()) {
                    n += 1;
                    key = format!("{}~{n}", point.id);
                }
                Center {
                    key,
                    point,
                    added: false,
                    removed: false,
                }
            })
            .collect();
        self.centers_source = Some(source);
        self.sites_added = 0;
        self.scenario = None;
        report
    }

    /// Reads the residents (demand points). A file with none is a valid layer (coverage
    /// 0 of 0), as in the CLI; the report says how many features were skipped.
    pub fn load_demand(
        &mut self,
        name: &str,
        bytes: &[u8],
        osm_filter: Option<&str>,
    ) -> Result<LoadReport> {
        let (layer, source) = read_points(name, bytes, osm_filter, &self.limits)?;
        Ok(self.install_demand(layer, source))
    }

    fn install_demand(&mut self, layer: PointLayer, source: String) -> LoadReport {
        let report = LoadReport::new(source, layer.points.len(), &layer.skipped);
        self.demand = Some(layer);
        self.scenario = None;
        report
    }

    /// Reads candidate sites for ranking and optimizing.
    pub fn load_candidates(
        &mut self,
        name: &str,
        bytes: &[u8],
        osm_filter: Option<&str>,
    ) -> Result<LoadReport> {
        let (layer, source) = read_points(name, bytes, osm_filter, &self.limits)?;
        let report = LoadReport::new(source, layer.points.len(), &layer.skipped);
        self.candidates = Some(layer);
        Ok(report)
    }

    /// Reads reporting units (GeoJSON polygons): coverage is then reported per unit.
    pub fn load_units(&mut self, name: &str, bytes: &[u8]) -> Result<LoadReport> {
        let layer = read_units_auto(name, bytes, &self.limits)?;
        let report = LoadReport::new(name.into(), layer.units.len(), &layer.skipped);
        self.units = Some(layer);
        Ok(report)
    }

    /// Sets the tiers and services (TOML or JSON text, or `preset:gb50180`); `None`
    /// clears them. Checked against the centers at the next coverage.
    pub fn set_services(&mut self, name: &str, text: Option<&str>) -> Result<()> {
        self.services = match text {
            None => None,
            Some(t) => Some(match t.trim().strip_prefix("preset:") {
                Some(preset) => ServiceConfig::preset(preset)?,
                None => ServiceConfig::parse(name, t)?,
            }),
        };
        Ok(())
    }

    /// Changes parameters; checks them all before applying any.
    pub fn set_params(&mut self, update: &ParamUpdate) -> Result<()> {
        let mut params = self.params.clone();
        if let Some(v) = update.threshold_min {
            params.threshold_min = v;
        }
        if let Some(v) = update.speed_kmh {
            params.speed_kmh = v;
        }
        if let Some(v) = update.max_snap_m {
            params.max_snap_m = v;
        }
        if let Some(v) = update.gap_link_m {
            params.gap_link_m = v;
        }
        params.validate()?;
        let profile = update
            .profile
            .clone()
            .unwrap_or_else(|| self.profile.clone());
        WalkProfile::by_name(&profile, params.speed_kmh)?;
        self.params = params;
        self.profile = profile;
        self.scenario = None;
        Ok(())
    }

    /// The parameters in force, as `setParams` takes them.
    pub fn params_json(&self) -> Value {
        json!({
            "thresholdMin": self.params.threshold_min,
            "speedKmh": self.params.speed_kmh,
            "profile": self.profile,
            "maxSnapM": self.params.max_snap_m,
            "gapLinkM": self.params.gap_link_m,
        })
    }

    fn roads(&self) -> Result<&Roads> {
        self.roads
            .as_ref()
            .ok_or_else(|| not_loaded("roads", "roads"))
    }

    /// Demand points; an empty slice before any are loaded.
    pub fn demand(&self) -> Result<&[PointFeature]> {
        self.demand
            .as_ref()
            .map(|d| d.points.as_slice())
            .ok_or_else(|| not_loaded("demand", "residents"))
    }

    /// Recomputes the costs when the profile or speed changed.
    fn ensure_costs(&mut self) -> Result<()> {
        let roads = self
            .roads
            .as_ref()
            .ok_or_else(|| not_loaded("roads", "roads"))?;
        let key = (self.profile.clone(), self.params.speed_kmh.to_bits());
        if self.costs.as_ref().is_some_and(|c| c.key == key) {
            return Ok(());
        }
        let profile = WalkProfile::by_name(&self.profile, self.params.speed_kmh)?;
        let costs = profile_costs(&roads.network, &profile, false);
        self.costs = Some(ProfileCosts {
            key,
            costs,
            speed_kmh: profile.speed_kmh,
        });
        self.scenario = None;
        Ok(())
    }

    /// Coverage parameters of the run: the profile's speed.
    fn run_params(&self) -> CoverageParams {
        CoverageParams {
            speed_kmh: self
                .costs
                .as_ref()
                .map_or(self.params.speed_kmh, |c| c.speed_kmh),
            ..self.params.clone()
        }
    }

    /// Computes the current scenario when anything it depends on changed.
    fn ensure_scenario(&mut self) -> Result<()> {
        self.ensure_costs()?;
        if self.scenario.is_some() {
            return Ok(());
        }
        let open: Vec<&Center> = self.centers.iter().filter(|c| !c.removed).collect();
        if open.is_empty() {
            let source = self
                .centers_source
                .clone()
                .unwrap_or_else(|| "centers".into());
            return Err(Error::Empty {
                layer: source,
                reason: if self.centers.is_empty() {
                    "no centers loaded yet".into()
                } else {
                    "every center is closed in this scenario; restore one or add a site".into()
                },
            });
        }
        let open_centers: Vec<PointFeature> = open.iter().map(|c| c.point.clone()).collect();
        let open_keys = open.iter().map(|c| c.key.clone()).collect();
        let params = self.run_params();
        let roads = self.roads()?;
        let costs = &self.costs.as_ref().expect("costs ensured above").costs;
        let demand = self.demand()?;
        let result = compute_coverage(&roads.network, costs, &open_centers, demand, &params)?;
        self.scenario = Some(Scenario {
            open_centers,
            open_keys,
            result,
        });
        Ok(())
    }

    /// Full coverage of the current scenario as one JSON text (`CoverageView`), with the
    /// service areas unless [`Self::set_service_areas_in_view`] turned them off.
    pub fn coverage_json(&mut self) -> Result<String> {
        self.ensure_scenario()?;
        let roads = self.roads()?;
        let costs = &self.costs.as_ref().expect("ensured").costs;
        let scenario = self.scenario.as_ref().expect("ensured");
        let demand = self.demand()?;
        let tiers = match &self.services {
            Some(config) => Some(compute_tier_coverage(
                &roads.network,
                costs,
                &scenario.open_centers,
                demand,
                &scenario.result.params,
                config,
            )?),
            None => None,
        };
        Ok(view::coverage_view(
            &view::ViewInputs {
                network: &roads.network,
                bounds: roads.bounds,
                costs,
                scenario,
                centers: &self.centers,
                demand,
                units: self.units.as_ref().map_or(&[][..], |u| &u.units),
                tiers: tiers.as_ref(),
            },
            self.service_areas_in_view,
        ))
    }

    /// Whether [`Self::coverage_json`] traces the service areas (the costliest layer; an
    /// interactive page may fetch them separately with [`Self::service_areas_json`]).
    pub fn set_service_areas_in_view(&mut self, include: bool) {
        self.service_areas_in_view = include;
    }

    /// The service areas of the current scenario as GeoJSON text.
    pub fn service_areas_json(&mut self) -> Result<String> {
        self.ensure_scenario()?;
        let roads = self.roads()?;
        let costs = &self.costs.as_ref().expect("ensured").costs;
        let scenario = self.scenario.as_ref().expect("ensured");
        Ok(view::service_areas_view(
            &roads.network,
            costs,
            scenario,
            self.demand()?,
        ))
    }

    /// Runs `f` with a planner on the current scenario and the reusable scratch.
    fn with_planner<T>(
        &mut self,
        f: impl FnOnce(&Planner<'_>, &mut PlanScratch, &Scenario) -> Result<T>,
    ) -> Result<T> {
        self.ensure_scenario()?;
        let roads = self.roads.as_ref().expect("ensured");
        let costs = &self.costs.as_ref().expect("ensured").costs;
        let scenario = self.scenario.as_ref().expect("ensured");
        let demand = self
            .demand
            .as_ref()
            .map(|d| d.points.as_slice())
            .expect("ensured");
        let planner = Planner::new(&roads.network, costs, &scenario.result, demand)?;
        let scratch = self
            .scratch
            .get_or_insert_with(|| PlanScratch::new(&roads.network));
        f(&planner, scratch, scenario)
    }

    /// What a new site at `lon, lat` would change (the scenario stays as it is).
    pub fn evaluate_candidate(&mut self, lon: f64, lat: f64) -> Result<Value> {
        if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
            return Err(Error::InvalidParameter {
                name: "lon, lat".into(),
                reason: format!("not a WGS84 position: {lon}, {lat}"),
            });
        }
        let max_snap_m = self.params.max_snap_m;
        self.with_planner(|planner, scratch, _| {
            let total = planner.total_population();
            match planner.add_site(scratch, [lon, lat]) {
                Ok(change) => Ok(view::site_change_json(&change, total, true)),
                // Off the network: a valid question with a clear "no effect" answer.
                Err(Error::InvalidParameter { .. }) => {
                    let mut v = view::no_change_json(planner);
                    v["reason"] = json!(format!(
                        "farther than {max_snap_m} m from the walking network"
                    ));
                    Ok(v)
                }
                Err(e) => Err(e),
            }
        })
    }

    fn open_index(scenario: &Scenario, key: &str) -> Option<usize> {
        scenario.open_keys.iter().position(|k| k == key)
    }

    fn unknown_center(&self, key: &str) -> Error {
        Error::InvalidParameter {
            name: "centerId".into(),
            reason: format!("no open center with id `{key}`"),
        }
    }

    /// What closing the open center `key` would change.
    pub fn evaluate_removal(&mut self, key: &str) -> Result<Value> {
        self.ensure_scenario()?;
        let scenario = self.scenario.as_ref().expect("ensured");
        let index = Self::open_index(scenario, key).ok_or_else(|| self.unknown_center(key))?;
        if scenario.open_keys.len() == 1 {
            return Err(Error::InvalidParameter {
                name: "centerId".into(),
                reason: format!("`{key}` is the only open center"),
            });
        }
        self.with_planner(|planner, scratch, _| {
            let change = planner.remove_center(scratch, CenterId(index as u32))?;
            Ok(view::site_change_json(
                &change,
                planner.total_population(),
                true,
            ))
        })
    }

    /// Opens a new site; returns its key.
    pub fn add_center(&mut self, lon: f64, lat: f64, name: Option<&str>) -> Result<String> {
        if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
            return Err(Error::InvalidParameter {
                name: "lon, lat".into(),
                reason: format!("not a WGS84 position: {lon}, {lat}"),
            });
        }
        self.roads()?;
        self.sites_added += 1;
        let key = format!("site-{}", self.sites_added);
        let mut properties = serde_json::Map::new();
        properties.insert(
            "name".into(),
            json!(name.map_or_else(|| format!("New site {}", self.sites_added), str::to_string)),
        );
        self.centers.push(Center {
            key: key.clone(),
            point: PointFeature {
                id: key.clone(),
                lon,
                lat,
                population: 1.0,
                properties,
                source_index: self.centers.len(),
            },
            added: true,
            removed: false,
        });
        self.scenario = None;
        Ok(key)
    }

    /// Closes a center (an added site is dropped altogether).
    pub fn remove_center(&mut self, key: &str) -> Result<()> {
        let i = self
            .centers
            .iter()
            .position(|c| c.key == key && !c.removed)
            .ok_or_else(|| self.unknown_center(key))?;
        if self.centers[i].added {
            self.centers.remove(i);
        } else {
            self.centers[i].removed = true;
        }
        self.scenario = None;
        Ok(())
    }

    /// Reopens a closed center.
    pub fn restore_center(&mut self, key: &str) -> Result<()> {
        let c = self
            .centers
            .iter_mut()
            .find(|c| c.key == key && c.removed)
            .ok_or_else(|| Error::InvalidParameter {
                name: "centerId".into(),
                reason: format!("no closed center with id `{key}`"),
            })?;
        c.removed = false;
        self.scenario = None;
        Ok(())
    }

    /// Every center of the scenario, closed ones included.
    pub fn centers(&self) -> Vec<CenterInfo> {
        self.centers.iter().map(view::center_info).collect()
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
    pub fn rank_candidates(&mut self, options: &RankOptions) -> Result<Value> {
        let candidates = self.candidates(options.spacing_m)?;
        let threshold = self.params.threshold_min;
        self.with_planner(|planner, _, _| {
            let mut gains = rank_candidates(planner, &candidates, Some(threshold));
            gains.sort_by_key(|g| g.rank);
            if let Some(limit) = options.limit {
                gains.truncate(limit);
            }
            Ok(Value::Array(
                gains
                    .iter()
                    .map(|g| view::candidate_gain_json(g, &candidates[g.candidate.index()]))
                    .collect(),
            ))
        })
    }

    /// Chooses new sites; `progress(fraction, stage)` is called as the work advances.
    pub fn optimize(
        &mut self,
        model: &str,
        options: &OptimizeOptions,
        progress: &mut dyn FnMut(f64, &str),
    ) -> Result<Value> {
        let params = PlanParams {
            model: PlanModel::parse(model)?,
            k: options.k.unwrap_or(1),
            target_ratio: options.target_ratio.unwrap_or(1.0),
            capacity: options.capacity,
            exact: options.exact.unwrap_or(false),
            allow_closing: options.allow_closing.unwrap_or(false),
            max_closed: options.max_closed,
            ..PlanParams::default()
        };
        params.validate()?;
        let candidates = self.candidates(options.spacing_m)?;
        self.with_planner(|planner, _, scenario| {
            let mut report = |p: PlanProgress| {
                let (fraction, stage) = view::progress_fraction(&p);
                progress(fraction, stage);
            };
            let outcome = plan_sites_with_progress(planner, &candidates, &params, &mut report)?;
            progress(1.0, "done");
            let mut v = serde_json::to_value(&outcome).map_err(|e| Error::Parse {
                layer: "plan".into(),
                reason: e.to_string(),
            })?;
            v["candidates"] = json!(candidates.len());
            // Name closed centers by the ids removeCenter takes.
            for (closed, c) in v["closed"]
                .as_array_mut()
                .into_iter()
                .flatten()
                .zip(&outcome.closed)
            {
                closed["id"] = json!(scenario.open_keys[c.center.0 as usize]);
            }
            Ok(v)
        })
    }
}

#[cfg(test)]
mod tests;
