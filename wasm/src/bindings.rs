//! The JS surface: converts arguments in and results out, nothing else.

use js_sys::{Date, Float64Array, Function, Reflect, Uint8Array, JSON};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::session::{
    LimitsUpdate, LoadReport, OptimizeOptions, ParamUpdate, RankOptions, Session,
};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// The package version (the same as the `lifecircle` crate's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A panic is a bug, but it must still reach the page as an `Error` with a message
/// rather than an opaque `unreachable` trap.
#[wasm_bindgen(start)]
pub(crate) fn start() {
    std::panic::set_hook(Box::new(|info| {
        wasm_bindgen::throw_str(&format!("lifecircle internal error: {info}"));
    }));
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(js_error)?;
    parse_json(&text)
}

/// A load report as a JS object, or the reader's error.
fn reported(report: lifecircle::Result<LoadReport>) -> Result<JsValue, JsError> {
    to_js(&report.map_err(js_error)?)
}

fn parse_json(text: &str) -> Result<JsValue, JsError> {
    JSON::parse(text).map_err(|_| js_error("internal error: invalid JSON produced"))
}

/// Reads an options object (`undefined` / `null`: all defaults).
fn from_js<T: DeserializeOwned + Default>(what: &str, value: &JsValue) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let text: String = JSON::stringify(value)
        .map_err(|_| js_error(format!("{what}: not a plain object")))?
        .into();
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| js_error(format!("{what}: {e}")))?;
    // JSON.stringify turns NaN and Infinity into null: refuse them rather than read
    // them as "not given".
    if let Some((key, _)) = value
        .as_object()
        .and_then(|o| o.iter().find(|(_, v)| v.is_null()))
    {
        return Err(js_error(format!(
            "{what}: `{key}` is not a finite value (null, NaN or Infinity)"
        )));
    }
    serde_json::from_value(value).map_err(|e| js_error(format!("{what}: {e}")))
}

fn with_elapsed(value: JsValue, started_ms: f64) -> Result<JsValue, JsError> {
    Reflect::set(
        &value,
        &JsValue::from_str("elapsedMs"),
        &JsValue::from_f64(Date::now() - started_ms),
    )
    .map_err(|_| js_error("internal error: result is not an object"))?;
    Ok(value)
}

/// A coverage model: inputs, parameters and the current scenario of open centers.
#[wasm_bindgen]
pub struct CoverageModel {
    session: Session,
    /// Whether views carry the network and residents as GeoJSON bytes (`layerBytes`) and
    /// the residents' walks as columns, instead of in `layers`.
    layers_as_bytes: bool,
}

impl Default for CoverageModel {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl CoverageModel {
    /// An empty model with the default parameters (10 minutes, 4.8 km/h, adult).
    #[wasm_bindgen(constructor)]
    pub fn new() -> CoverageModel {
        CoverageModel {
            session: Session::new(),
            layers_as_bytes: false,
        }
    }

    /// Loads roads: GeoJSON lines or an OSM PBF (gzip allowed); builds the network.
    #[wasm_bindgen(js_name = loadRoads, unchecked_return_type = "LoadReport")]
    pub fn load_roads(&mut self, name: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        reported(self.session.load_roads(name, bytes))
    }

    /// Loads roads and, by tag filter, centers and residents from one OSM PBF, decoding
    /// it once: the same layers, reports and errors as `loadRoads`, `loadCenters` and
    /// `loadDemand` on that file; nothing changes unless every layer loads.
    #[wasm_bindgen(js_name = loadOsm, unchecked_return_type = "OsmLoadReport")]
    pub fn load_osm(
        &mut self,
        name: &str,
        bytes: &[u8],
        centers_filter: Option<String>,
        demand_filter: Option<String>,
    ) -> Result<JsValue, JsError> {
        let report = self.session.load_osm(
            name,
            bytes,
            centers_filter.as_deref(),
            demand_filter.as_deref(),
        );
        to_js(&report.map_err(js_error)?)
    }

    /// Loads service centers: GeoJSON or CSV points, or an OSM PBF with a tag filter.
    #[wasm_bindgen(js_name = loadCenters, unchecked_return_type = "LoadReport")]
    pub fn load_centers(
        &mut self,
        name: &str,
        bytes: &[u8],
        osm_filter: Option<String>,
    ) -> Result<JsValue, JsError> {
        reported(
            self.session
                .load_centers(name, bytes, osm_filter.as_deref()),
        )
    }

    /// Loads residents: GeoJSON or CSV points, or an OSM PBF with a tag filter.
    #[wasm_bindgen(js_name = loadDemand, unchecked_return_type = "LoadReport")]
    pub fn load_demand(
        &mut self,
        name: &str,
        bytes: &[u8],
        osm_filter: Option<String>,
    ) -> Result<JsValue, JsError> {
        reported(self.session.load_demand(name, bytes, osm_filter.as_deref()))
    }

    /// Loads candidate sites for ranking and optimizing.
    #[wasm_bindgen(js_name = loadCandidates, unchecked_return_type = "LoadReport")]
    pub fn load_candidates(
        &mut self,
        name: &str,
        bytes: &[u8],
        osm_filter: Option<String>,
    ) -> Result<JsValue, JsError> {
        reported(
            self.session
                .load_candidates(name, bytes, osm_filter.as_deref()),
        )
    }

    /// Loads reporting units (GeoJSON polygons with `id` / `name`): the summary then
    /// has `per_unit` and the view a `units` layer.
    #[wasm_bindgen(js_name = loadUnits, unchecked_return_type = "LoadReport")]
    pub fn load_units(&mut self, name: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        reported(self.session.load_units(name, bytes))
    }

    /// Sets tiers and services: TOML or JSON text as the CLI's `--config`, or
    /// `preset:gb50180`; `null` clears them. The view then has `tiers`.
    #[wasm_bindgen(js_name = setServices)]
    pub fn set_services(&mut self, name: &str, text: Option<String>) -> Result<(), JsError> {
        self.session
            .set_services(name, text.as_deref())
            .map_err(js_error)
    }

    /// Sets any of `thresholdMin` (or `thresholdM`, a walking distance), `speedKmh`,
    /// `profile`, `maxSnapM`, `gapLinkM`.
    #[wasm_bindgen(js_name = setParams)]
    pub fn set_params(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ParamsInput")] params: JsValue,
    ) -> Result<(), JsError> {
        let update: ParamUpdate = from_js("setParams", &params)?;
        self.session.set_params(&update).map_err(js_error)
    }

    /// Sets the input limits for the next files: `maxInputMb` (after gzip, default
    /// 512) and `maxFeatures` per file.
    #[wasm_bindgen(js_name = setLimits)]
    pub fn set_limits(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "LimitsInput")] limits: JsValue,
    ) -> Result<(), JsError> {
        let update: LimitsUpdate = from_js("setLimits", &limits)?;
        self.session.set_limits(&update).map_err(js_error)
    }

    /// The parameters in force.
    #[wasm_bindgen(unchecked_return_type = "Params")]
    pub fn params(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.params_view())
    }

    /// Full coverage of the current scenario: summary, gaps and GeoJSON layers.
    #[wasm_bindgen(unchecked_return_type = "CoverageView")]
    pub fn coverage(&mut self) -> Result<JsValue, JsError> {
        let started = Date::now();
        if !self.layers_as_bytes {
            let text = self.session.coverage_json().map_err(js_error)?;
            return with_elapsed(parse_json(&text)?, started);
        }
        let map_view = self.session.coverage_map_view().map_err(js_error)?;
        let view = parse_json(&map_view.json)?;
        let bulk = &map_view.bulk;
        let set = |target: &JsValue, key: &str, value: &JsValue| {
            Reflect::set(target, &key.into(), value)
                .map_err(|_| js_error("internal error: view is not an object"))
        };
        let layer_bytes = js_sys::Object::new();
        set(
            &layer_bytes,
            "network",
            &Uint8Array::from(bulk.network_geojson.as_slice()),
        )?;
        set(
            &layer_bytes,
            "demand",
            &Uint8Array::from(bulk.demand_geojson.as_slice()),
        )?;
        set(&view, "layerBytes", &layer_bytes)?;
        let columns = js_sys::Object::new();
        set(
            &columns,
            "walkMin",
            &Float64Array::from(bulk.walk_min.as_slice()),
        )?;
        set(
            &columns,
            "population",
            &Float64Array::from(bulk.population.as_slice()),
        )?;
        set(&view, "residentColumns", &columns)?;
        with_elapsed(view, started)
    }

    /// Whether `coverage()` (and the scenario edits) give the network and residents
    /// layers as GeoJSON bytes in `layerBytes` (`Uint8Array`s a page can hand to its map
    /// or transfer between threads) with the residents' walks and populations as columns
    /// in `residentColumns`, instead of as objects in `layers` (default false). At city
    /// scale the objects are most of a view's cost.
    #[wasm_bindgen(js_name = setLayersAsBytes)]
    pub fn set_layers_as_bytes(&mut self, as_bytes: bool) {
        self.layers_as_bytes = as_bytes;
    }

    /// Whether `coverage()` (and the scenario edits) include the `serviceAreas` layer
    /// (default true). It is the costliest layer: an interactive page can turn it off
    /// and fetch it with `serviceAreas()` when it is shown.
    #[wasm_bindgen(js_name = setServiceAreasInView)]
    pub fn set_service_areas_in_view(&mut self, include: bool) {
        self.session.set_service_areas_in_view(include);
    }

    /// `report.html` of the scenario on screen in `lang` (`en` or `zh`): one
    /// self-contained page with the map, the figures and the tables.
    #[wasm_bindgen(js_name = reportHtml)]
    pub fn report_html(&mut self, lang: &str) -> Result<String, JsError> {
        self.session.report_html(lang).map_err(js_error)
    }

    /// The service areas of the current scenario (GeoJSON).
    #[wasm_bindgen(js_name = serviceAreas, unchecked_return_type = "FeatureCollection")]
    pub fn service_areas(&mut self) -> Result<JsValue, JsError> {
        let text = self.session.service_areas_json().map_err(js_error)?;
        parse_json(&text)
    }

    /// What a new site at `lon, lat` would change, without changing the scenario.
    #[wasm_bindgen(js_name = evaluateCandidate, unchecked_return_type = "SiteChange")]
    pub fn evaluate_candidate(&mut self, lon: f64, lat: f64) -> Result<JsValue, JsError> {
        let started = Date::now();
        let change = self
            .session
            .evaluate_candidate(lon, lat)
            .map_err(js_error)?;
        with_elapsed(to_js(&change)?, started)
    }

    /// What closing center `center_id` would change, without changing the scenario.
    #[wasm_bindgen(js_name = evaluateRemoval, unchecked_return_type = "SiteChange")]
    pub fn evaluate_removal(&mut self, center_id: &str) -> Result<JsValue, JsError> {
        let started = Date::now();
        let change = self.session.evaluate_removal(center_id).map_err(js_error)?;
        with_elapsed(to_js(&change)?, started)
    }

    /// Opens a new site (of `tier`, offering that tier's services, when given) and
    /// recomputes; the view's new center has id `site-N`.
    #[wasm_bindgen(js_name = addCenter, unchecked_return_type = "CoverageView")]
    pub fn add_center(
        &mut self,
        lon: f64,
        lat: f64,
        name: Option<String>,
        tier: Option<String>,
    ) -> Result<JsValue, JsError> {
        let key = self
            .session
            .add_center(lon, lat, name.as_deref(), tier.as_deref())
            .map_err(js_error)?;
        let view = self.coverage().inspect_err(|_| {
            // Keep the scenario as it was when the new one cannot be computed.
            let _ = self.session.remove_center(&key);
        })?;
        Reflect::set(&view, &"addedId".into(), &key.into())
            .map_err(|_| js_error("internal error: view is not an object"))?;
        Ok(view)
    }

    /// Closes a center (drops an added site) and recomputes.
    #[wasm_bindgen(js_name = removeCenter, unchecked_return_type = "CoverageView")]
    pub fn remove_center(&mut self, center_id: &str) -> Result<JsValue, JsError> {
        self.session.remove_center(center_id).map_err(js_error)?;
        self.coverage().inspect_err(|_| {
            let _ = self.session.restore_center(center_id);
        })
    }

    /// Reopens a closed center and recomputes.
    #[wasm_bindgen(js_name = restoreCenter, unchecked_return_type = "CoverageView")]
    pub fn restore_center(&mut self, center_id: &str) -> Result<JsValue, JsError> {
        self.session.restore_center(center_id).map_err(js_error)?;
        self.coverage()
    }

    /// Every center, closed ones included.
    #[wasm_bindgen(unchecked_return_type = "CenterInfo[]")]
    pub fn centers(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.centers())
    }

    /// Every candidate's gain, best first (`{spacingM, limit}`).
    #[wasm_bindgen(js_name = rankCandidates, unchecked_return_type = "CandidateGain[]")]
    pub fn rank_candidates(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "RankOptions")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let options: RankOptions = from_js("rankCandidates", &options)?;
        to_js(&self.session.rank_candidates(&options).map_err(js_error)?)
    }

    /// Chooses new sites (`mclp`, `lscp` or `pmedian`; `{k, targetRatio, spacingM,
    /// exact, capacity}`); `progress(fraction, stage)` is called as the work advances.
    #[wasm_bindgen(unchecked_return_type = "PlanView")]
    pub fn optimize(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "PlanModelName")] model: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "OptimizeOptions")] options: JsValue,
        #[wasm_bindgen(
            unchecked_optional_param_type = "(fraction: number, stage: string) => void"
        )]
        progress: Option<Function>,
    ) -> Result<JsValue, JsError> {
        let started = Date::now();
        let options: OptimizeOptions = from_js("optimize", &options)?;
        let mut report = |fraction: f64, stage: &str| {
            if let Some(f) = &progress {
                // A failing callback must not stop the optimizer.
                let _ = f.call2(
                    &JsValue::NULL,
                    &JsValue::from_f64(fraction),
                    &JsValue::from_str(stage),
                );
            }
        };
        let outcome = self
            .session
            .optimize(model, &options, &mut report)
            .map_err(js_error)?;
        with_elapsed(to_js(&outcome)?, started)
    }
}
