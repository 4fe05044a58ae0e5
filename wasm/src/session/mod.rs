//! The state behind the wasm `CoverageModel`: the loaded layers, the parameters, and
//! the current scenario (which centers are open) as a core [`Study`]. Pure Rust with no
//! JS types, so it is tested natively; `bindings.rs` only converts in and out.
//!
//! The network is built once per roads file; the residents, units and each profile's
//! costs are shared between the studies of successive scenarios, and a scenario's
//! study keeps its planning index, so a what-if costs only its own search.
//!
//! Loading and the scenario are here; what-ifs, ranking and optimizing in `plan.rs`,
//! the JS messages in `messages.rs`, file reading in `read.rs`.

use std::sync::Arc;

use lifecircle::coverage::{AccessDecay, AccessParams, DemandSnaps, ServiceConfig, Threshold};
use lifecircle::features::{PointFeature, PointLayer, SkipCounts, UnitLayer};
use lifecircle::input::{
    read_osm_layers, InputLimits, OsmPointQuery, PopulationEstimate, TagFilter,
};
use lifecircle::network::WalkNetwork;
use lifecircle::output::Lang;
use lifecircle::planning::PlanScratch;
use lifecircle::routing::WalkCosts;
use lifecircle::study::{
    check_centers, site_offer, CoverageMapView, InputReport, Prepared, ScenarioCenter,
    ServicesSource, StudyParts, DEFAULT_TITLE,
};
use lifecircle::{
    read_roads, read_units, CenterId, Error, Layer, ReadOptions, Result, Study, StudyParams,
};

mod messages;
mod plan;
mod read;

use messages::center_info;
pub use messages::{
    Center, CenterInfo, LimitsUpdate, LoadReport, OptimizeOptions, OsmLoadReport, ParamUpdate,
    ParamsView, RankOptions,
};
use read::{given, read_point_layer, roads_with_network};

/// Default largest input in the browser, bytes: a wasm32 heap tops out at 4 GiB, and a
/// network takes several times its file size.
pub const BROWSER_MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// The loaded roads: their network (the lines themselves are not kept).
struct Roads {
    network: Arc<WalkNetwork>,
    report: InputReport,
    /// `[west, south, east, north]` of the lines as loaded.
    bounds: [f64; 4],
}

/// The whole model state.
pub struct Session {
    limits: InputLimits,
    roads: Option<Roads>,
    centers: Vec<Center>,
    centers_source: Option<String>,
    centers_skipped: SkipCounts,
    demand: Option<Arc<Layer<PointLayer>>>,
    candidates: Option<PointLayer>,
    units: Option<Arc<Layer<UnitLayer>>>,
    params: StudyParams,
    /// The costs of the last profile and speed used, kept across scenarios.
    costs: Option<Arc<WalkCosts>>,
    /// The current scenario's study, when computed.
    study: Option<Study>,
    /// Where the residents meet the roads' network, kept across scenarios (an edit then
    /// only walks again).
    demand_snaps: Option<DemandSnaps>,
    /// `open_keys[i]` is the key of the study's center `i`.
    open_keys: Vec<String>,
    scratch: Option<PlanScratch>,
    sites_added: usize,
    service_areas_in_view: bool,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

fn not_loaded(layer: &str, what: &str) -> Error {
    Error::Empty {
        layer: layer.into(),
        reason: format!("no {what} loaded yet"),
    }
}

fn check_position(lon: f64, lat: f64) -> Result<()> {
    if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "lon, lat".into(),
            reason: format!("not a WGS84 position: {lon}, {lat}"),
        })
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
            centers_skipped: SkipCounts::default(),
            demand: None,
            candidates: None,
            units: None,
            params: StudyParams::default(),
            costs: None,
            study: None,
            demand_snaps: None,
            open_keys: Vec::new(),
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
        let layer = read_roads(name, bytes, &ReadOptions::with_limits(self.limits))?;
        let (roads, report) = roads_with_network(Layer::new(layer, name))?;
        Ok(self.install_roads(roads, report))
    }

    fn install_roads(&mut self, roads: Roads, report: LoadReport) -> LoadReport {
        self.roads = Some(roads);
        self.costs = None;
        self.demand_snaps = None;
        self.scratch = None;
        self.study = None;
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
        let layers = read_osm_layers(name, bytes, true, &queries, &self.limits)?;
        let roads_layer = layers.roads.expect("the roads were asked for");
        let mut points = layers.points.into_iter();
        let mut point_layer = |filter: Option<&str>| {
            filter.map(|f| {
                let layer = points.next().expect("one layer per query");
                Layer::new(layer, format!("{name} [{f}]"))
            })
        };
        let centers = point_layer(centers_filter);
        let demand = point_layer(demand_filter);
        let (roads, roads_report) = roads_with_network(Layer::new(roads_layer, name))?;
        if let Some(layer) = &centers {
            check_centers(layer)?;
        }
        Ok(OsmLoadReport {
            roads: self.install_roads(roads, roads_report),
            centers: centers.map(|layer| self.install_centers(layer)),
            demand: demand.map(|layer| self.install_demand(layer)),
        })
    }

    /// Reads the service centers; replaces the scenario's centers.
    pub fn load_centers(
        &mut self,
        name: &str,
        bytes: &[u8],
        osm_filter: Option<&str>,
    ) -> Result<LoadReport> {
        let layer = read_point_layer(name, bytes, osm_filter, &self.limits, true)?;
        check_centers(&layer)?;
        Ok(self.install_centers(layer))
    }

    fn install_centers(&mut self, layer: Layer<PointLayer>) -> LoadReport {
        let report = LoadReport::from(InputReport::of_points(&layer));
        let mut used = std::collections::BTreeSet::new();
        self.centers = layer
            .data
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
        self.centers_source = Some(layer.source);
        self.centers_skipped = layer.data.skipped;
        self.sites_added = 0;
        self.study = None;
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
        let layer = read_point_layer(name, bytes, osm_filter, &self.limits, false)?;
        Ok(self.install_demand(layer))
    }

    fn install_demand(&mut self, layer: Layer<PointLayer>) -> LoadReport {
        let report = LoadReport::from(InputReport::of_points(&layer));
        self.demand = Some(Arc::new(layer));
        self.demand_snaps = None;
        self.study = None;
        report
    }

    /// Reads candidate sites for ranking and optimizing.
    pub fn load_candidates(
        &mut self,
        name: &str,
        bytes: &[u8],
        osm_filter: Option<&str>,
    ) -> Result<LoadReport> {
        let layer = read_point_layer(name, bytes, osm_filter, &self.limits, true)?;
        let report = LoadReport::from(InputReport::of_points(&layer));
        self.candidates = Some(layer.data);
        Ok(report)
    }

    /// Reads reporting units (GeoJSON polygons): coverage is then reported per unit.
    pub fn load_units(&mut self, name: &str, bytes: &[u8]) -> Result<LoadReport> {
        let layer = Layer::new(
            read_units(name, bytes, &ReadOptions::with_limits(self.limits))?,
            name,
        );
        let report = LoadReport::from(InputReport::of_units(&layer));
        self.units = Some(Arc::new(layer));
        self.study = None;
        Ok(report)
    }

    /// Sets the tiers and services (TOML or JSON text, or `preset:gb50180`); `None`
    /// clears them. Checked against the centers at the next coverage.
    pub fn set_services(&mut self, name: &str, text: Option<&str>) -> Result<()> {
        self.params.services = match text {
            None => None,
            Some(t) => Some(ServicesSource {
                config: match t.trim().strip_prefix("preset:") {
                    Some(preset) => ServiceConfig::preset(preset)?,
                    None => ServiceConfig::parse(name, t)?,
                },
                source: name.to_string(),
            }),
        };
        self.study = None;
        Ok(())
    }

    /// Changes parameters; checks them all before applying any.
    pub fn set_params(&mut self, update: &ParamUpdate) -> Result<()> {
        let mut params = self.params.clone();
        match (update.threshold_min, update.threshold_m) {
            (Some(_), Some(_)) => {
                return Err(Error::InvalidParameter {
                    name: "thresholdM".into(),
                    reason: "give thresholdMin (a walking time) or thresholdM (a walking \
                             distance), not both"
                        .into(),
                })
            }
            (Some(min), None) => {
                params.coverage.threshold_min = min;
                params.coverage.threshold_m = None;
            }
            (None, Some(m)) => params.coverage.threshold_m = Some(m),
            (None, None) => {}
        }
        let distance = params.coverage.threshold().is_distance();
        let in_unit = |v: f64| {
            if distance {
                Threshold::Metres(v)
            } else {
                Threshold::Minutes(v)
            }
        };
        match &update.bands {
            Some(values) => params.bands = values.iter().map(|&v| in_unit(v)).collect(),
            None if distance != self.params.coverage.threshold().is_distance() => {
                params.bands.clear();
            }
            None => {}
        }
        if let Some(v) = update.speed_kmh {
            params.speed_kmh = v;
        }
        if let Some(v) = update.max_snap_m {
            params.coverage.max_snap_m = v;
        }
        if let Some(v) = update.gap_link_m {
            params.coverage.gap_link_m = v;
        }
        if let Some(profile) = &update.profile {
            params.profile = profile.clone();
        }
        if let Some(method) = &update.access {
            params.access = match method.as_str() {
                "none" => None,
                name => Some(AccessParams {
                    decay: AccessDecay::parse(name)?,
                    ..params.access.take().unwrap_or_default()
                }),
            };
        }
        if let Some(field) = &update.capacity_field {
            if field.trim().is_empty() {
                return Err(Error::InvalidParameter {
                    name: "capacityField".into(),
                    reason: "must name a center property".into(),
                });
            }
            if let Some(access) = &mut params.access {
                access.capacity_field = field.clone();
            } else if update.access.is_none() {
                return Err(Error::InvalidParameter {
                    name: "capacityField".into(),
                    reason: "is for accessibility scores: give access \"2sfca\" or                              \"e2sfca\" with it"
                        .into(),
                });
            }
        }
        params.validate()?;
        let new_costs = params.walk_profile()? != self.params.walk_profile()?
            || params.measure() != self.params.measure();
        if new_costs {
            self.costs = None;
        }
        self.params = params;
        self.study = None;
        Ok(())
    }

    /// The parameters in force, as `setParams` takes them.
    pub fn params_view(&self) -> ParamsView {
        ParamsView {
            threshold_min: self.params.coverage.threshold_min,
            threshold_m: self.params.coverage.threshold_m,
            bands: self.params.bands.iter().map(|t| t.value()).collect(),
            speed_kmh: self.params.speed_kmh,
            profile: self.params.profile.clone(),
            max_snap_m: self.params.coverage.max_snap_m,
            gap_link_m: self.params.coverage.gap_link_m,
            access: self.params.access.as_ref().map(|a| a.decay.method()),
            capacity_field: self.params.access.as_ref().map_or_else(
                || AccessParams::default().capacity_field,
                |a| a.capacity_field.clone(),
            ),
        }
    }

    fn roads(&self) -> Result<&Roads> {
        self.roads
            .as_ref()
            .ok_or_else(|| not_loaded("roads", "roads"))
    }

    /// Demand points.
    pub fn demand(&self) -> Result<&[PointFeature]> {
        self.demand
            .as_ref()
            .map(|d| d.data.points.as_slice())
            .ok_or_else(|| not_loaded("demand", "residents"))
    }

    /// The current scenario's study, computed when anything it depends on changed.
    fn study(&mut self) -> Result<&Study> {
        if self.study.is_none() {
            let roads = self.roads()?;
            let demand = self
                .demand
                .clone()
                .ok_or_else(|| not_loaded("demand", "residents"))?;
            let open: Vec<&Center> = self.centers.iter().filter(|c| !c.removed).collect();
            let source = self
                .centers_source
                .clone()
                .unwrap_or_else(|| "centers".into());
            if open.is_empty() {
                return Err(Error::Empty {
                    layer: source,
                    reason: if self.centers.is_empty() {
                        "no centers loaded yet".into()
                    } else {
                        "every center is closed in this scenario; restore one or add a site".into()
                    },
                });
            }
            let centers = Layer::new(
                PointLayer {
                    points: open.iter().map(|c| c.point.clone()).collect(),
                    skipped: self.centers_skipped.clone(),
                    crs: None,
                },
                source,
            );
            let open_keys = open.iter().map(|c| c.key.clone()).collect();
            let parts = StudyParts {
                network: Arc::clone(&roads.network),
                roads: roads.report.clone(),
                costs: self.costs.clone(),
                centers,
                demand,
                units: self.units.clone(),
                prepared: Arc::new(Prepared::default()),
                demand_snaps: self.demand_snaps.clone(),
            };
            let study = Study::from_parts(parts, self.params.clone())?;
            self.costs = Some(study.shared_costs());
            let max_snap_m = self.params.coverage.max_snap_m;
            if self.demand_snaps.as_ref().map(DemandSnaps::max_snap_m) != Some(max_snap_m) {
                self.demand_snaps = Some(study.demand_snaps());
            }
            self.open_keys = open_keys;
            self.study = Some(study);
        }
        Ok(self.study.as_ref().expect("computed above"))
    }

    /// Every center of the scenario as the view lists it.
    fn scenario_centers(&self) -> Vec<ScenarioCenter> {
        self.centers
            .iter()
            .map(|c| {
                let info = center_info(c);
                ScenarioCenter {
                    open: self
                        .open_keys
                        .iter()
                        .position(|k| *k == c.key)
                        .filter(|_| !c.removed)
                        .map(CenterId::at),
                    key: info.id,
                    name: info.name,
                    tier: info.tier,
                    lonlat: [c.point.lon, c.point.lat],
                    added: info.added,
                }
            })
            .collect()
    }

    /// Full coverage of the current scenario as one JSON text (`CoverageView`), with the
    /// service areas unless [`Self::set_service_areas_in_view`] turned them off.
    pub fn coverage_json(&mut self) -> Result<String> {
        self.study()?;
        let centers = self.scenario_centers();
        let bounds = self.roads()?.bounds;
        let study = self.study.as_ref().expect("computed above");
        study.coverage_view_json(&centers, bounds, self.service_areas_in_view)
    }

    /// The coverage view of [`Self::coverage_json`] with the network and residents layers
    /// apart, as GeoJSON bytes, and the residents' walks as columns.
    pub fn coverage_map_view(&mut self) -> Result<CoverageMapView> {
        self.study()?;
        let centers = self.scenario_centers();
        let bounds = self.roads()?.bounds;
        let study = self.study.as_ref().expect("computed above");
        study.coverage_map_view(&centers, bounds, self.service_areas_in_view)
    }

    /// Whether [`Self::coverage_json`] traces the service areas (the costliest layer; an
    /// interactive page may fetch them separately with [`Self::service_areas_json`]).
    pub fn set_service_areas_in_view(&mut self, include: bool) {
        self.service_areas_in_view = include;
    }

    /// `report.html` of the current scenario in `lang` (`en`, `zh`): the page
    /// `lifecircle coverage --report html` writes, made from the same files in memory.
    pub fn report_html(&mut self, lang: &str) -> Result<String> {
        let lang = Lang::parse(lang)?;
        let study = self.study()?;
        let outputs = study.coverage_outputs(&mut |_| {})?;
        study.html_report(&outputs, DEFAULT_TITLE, lang)
    }

    /// The service areas of the current scenario as GeoJSON text.
    pub fn service_areas_json(&mut self) -> Result<String> {
        Ok(self.study()?.service_areas_json())
    }

    fn unknown_center(&self, key: &str) -> Error {
        Error::InvalidParameter {
            name: "centerId".into(),
            reason: format!("no open center with id `{key}`"),
        }
    }

    /// Opens a new site, of `tier` when given (it then offers every service that tier
    /// counts for); returns its key.
    ///
    /// # Errors
    /// As [`site_offer`]: with tiers and services and no tag rules a site needs a tier.
    pub fn add_center(
        &mut self,
        lon: f64,
        lat: f64,
        name: Option<&str>,
        tier: Option<&str>,
    ) -> Result<String> {
        check_position(lon, lat)?;
        self.roads()?;
        let config = self.params.services.as_ref().map(|s| &s.config);
        let offer = site_offer(config, given(tier))?;
        self.sites_added += 1;
        let key = format!("site-{}", self.sites_added);
        let name = name.map_or_else(|| format!("New site {}", self.sites_added), str::to_string);
        let mut point = PointFeature::new(key.clone(), lon, lat)
            .with_property("name", name)
            .with_source_index(self.centers.len());
        if let Some((tier, services)) = offer {
            point = point
                .with_property("tier", tier)
                .with_property("services", services);
        }
        self.centers.push(Center {
            key: key.clone(),
            point,
            added: true,
            removed: false,
        });
        self.study = None;
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
        self.study = None;
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
        self.study = None;
        Ok(())
    }

    /// Every center of the scenario, closed ones included.
    pub fn centers(&self) -> Vec<CenterInfo> {
        self.centers.iter().map(center_info).collect()
    }
}

#[cfg(test)]
mod tests;
