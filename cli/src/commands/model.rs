//! Tiers and services, slope, walking profiles and coordinate systems: the options
//! shared by every command that computes coverage (`coverage`, and `plan`).
//!
//! A command calls, in order: [`Model::from_args`] (reads the config and DEM tiles),
//! [`Model::prepare_inputs`] (inputs to WGS84, DEM heights onto the roads) before the
//! network is built, [`Model::profile`] / [`Model::coverage_params`] /
//! [`Model::costs`] for the walking costs of the main run, and [`Model::analyse`] for
//! the extra results (profiles side by side, flat vs slope, tiers and services, the
//! coordinate check), whose [`Analysis`] adds sections to the outputs.

use std::path::Path;

use anyhow::{bail, Context, Result};
use lifecircle::input::{maybe_gunzip, parse_hgt_name, Dem, HgtTile, PointFeature};
use lifecircle::output::round_to;
use lifecircle::{
    closed_edges, compare_coverage, compute_coverage, compute_tier_coverage, points_to_wgs84,
    profile_costs, roads_to_wgs84, units_to_wgs84, CoverageComparison, CoverageParams,
    CoverageResult, Crs, ProfileCoverage, ServiceConfig, TierCoverage, WalkCosts, WalkNetwork,
    WalkProfile,
};
use serde_json::{json, Map, Value};

use super::pipeline::Inputs;
use crate::args::ModelArgs;
use crate::load;

/// Coordinate system of each input.
#[derive(Debug, Clone, Copy, Default)]
pub struct InputCrs {
    pub roads: Crs,
    pub centers: Crs,
    pub demand: Crs,
    pub units: Crs,
}

/// The model options of a run.
#[derive(Debug, Clone)]
pub struct Model {
    /// Tiers and services, with where they came from.
    pub config: Option<(ServiceConfig, String)>,
    /// Slope-aware walking (from z coordinates or the DEM).
    pub slope: bool,
    /// Elevation tiles, when heights are sampled.
    pub dem: Option<Dem>,
    /// Their file names.
    pub dem_sources: Vec<String>,
    /// Walking profile of the main results.
    pub profile: String,
    /// Input coordinate systems.
    pub input_crs: InputCrs,
    /// Output coordinate system.
    pub output_crs: Crs,
}

impl Default for Model {
    fn default() -> Self {
        Self {
            config: None,
            slope: false,
            dem: None,
            dem_sources: Vec::new(),
            profile: "adult".into(),
            input_crs: InputCrs::default(),
            output_crs: Crs::Wgs84,
        }
    }
}

/// What [`Model::prepare_inputs`] did, kept for the analysis.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// Centers as given (before conversion), when they were converted.
    pub raw_centers: Option<Vec<PointFeature>>,
    /// Demand as given, when converted.
    pub raw_demand: Option<Vec<PointFeature>>,
    /// Whether the roads were converted (then no skipped-conversion check is possible).
    pub roads_converted: bool,
    /// Road vertices that got a height from the DEM, and those that did not.
    pub dem_vertices: Option<(usize, usize)>,
}

fn crs(flag: &str, value: &str) -> Result<Crs> {
    Crs::parse(value).with_context(|| format!("--{flag} {value}"))
}

/// Reads one `.hgt` tile (optionally gzipped), its corner taken from the file name.
pub fn read_hgt(path: &Path) -> Result<HgtTile> {
    let label = path.display().to_string();
    let (lat, lon) = parse_hgt_name(&label).with_context(|| {
        format!("{label}: an SRTM tile must be named after its south-west corner, e.g. N57E011.hgt")
    })?;
    let raw = load::read_file(path)?;
    let bytes = maybe_gunzip(&label, &raw)?;
    Ok(HgtTile::from_bytes(&label, &bytes, lat, lon)?)
}

impl Model {
    /// Reads the config and the DEM tiles named by the arguments and checks every name.
    pub fn from_args(args: &ModelArgs) -> Result<Model> {
        let base = crs("crs", &args.crs)?;
        let per = |flag: &str, v: &Option<String>| v.as_deref().map_or(Ok(base), |v| crs(flag, v));
        let input_crs = InputCrs {
            roads: per("roads-crs", &args.roads_crs)?,
            centers: per("centers-crs", &args.centers_crs)?,
            demand: per("demand-crs", &args.demand_crs)?,
            units: per("units-crs", &args.units_crs)?,
        };
        let output_crs = if args.output_crs.eq_ignore_ascii_case("input") {
            base
        } else {
            crs("output-crs", &args.output_crs)?
        };
        WalkProfile::by_name(&args.profile, 4.8)
            .with_context(|| format!("--profile {}", args.profile))?;
        let config = match &args.config {
            None => None,
            Some(spec) => Some(match spec.strip_prefix("preset:") {
                Some(name) => (ServiceConfig::preset(name)?, spec.clone()),
                None => {
                    let path = Path::new(spec);
                    let raw = load::read_file(path)?;
                    let bytes = maybe_gunzip(spec, &raw)?;
                    let text = std::str::from_utf8(&bytes)
                        .with_context(|| format!("{spec}: config is not UTF-8 text"))?;
                    (ServiceConfig::parse(spec, text)?, spec.clone())
                }
            }),
        };
        let mut tiles = Vec::new();
        for path in &args.dem {
            tiles.push(read_hgt(path)?);
        }
        Ok(Model {
            config,
            slope: args.slope || !args.dem.is_empty(),
            dem: (!tiles.is_empty()).then(|| Dem::new(tiles)),
            dem_sources: args.dem.iter().map(|p| p.display().to_string()).collect(),
            profile: args.profile.trim().to_ascii_lowercase(),
            input_crs,
            output_crs,
        })
    }

    /// The main walking profile; `adult_speed_kmh` is the adult (and wheelchair) speed.
    pub fn profile(&self, adult_speed_kmh: f64) -> Result<WalkProfile> {
        Ok(WalkProfile::by_name(&self.profile, adult_speed_kmh)?)
    }

    /// Coverage parameters of the main run: `base` with the profile's speed.
    pub fn coverage_params(&self, base: &CoverageParams) -> Result<CoverageParams> {
        Ok(CoverageParams {
            speed_kmh: self.profile(base.speed_kmh)?.speed_kmh,
            ..base.clone()
        })
    }

    /// Converts every input to WGS84 and samples the DEM onto the roads. Call before
    /// building the network.
    pub fn prepare_inputs(&self, inputs: &mut Inputs) -> Prepared {
        let mut prepared = Prepared::default();
        let c = self.input_crs;
        if c.centers != Crs::Wgs84 {
            prepared.raw_centers = Some(inputs.centers.data.points.clone());
            points_to_wgs84(&mut inputs.centers.data.points, c.centers);
        }
        if c.demand != Crs::Wgs84 {
            prepared.raw_demand = Some(inputs.demand.data.points.clone());
            points_to_wgs84(&mut inputs.demand.data.points, c.demand);
        }
        if c.roads != Crs::Wgs84 {
            prepared.roads_converted = true;
            roads_to_wgs84(&mut inputs.roads.data.lines, c.roads);
        }
        if let Some(u) = &mut inputs.units {
            units_to_wgs84(&mut u.data.units, c.units);
        }
        if let Some(dem) = &self.dem {
            prepared.dem_vertices = Some(dem.fill_road_elevations(&mut inputs.roads.data.lines));
        }
        prepared
    }

    /// Walking costs of `profile` on `network`.
    pub fn costs(&self, network: &WalkNetwork, profile: &WalkProfile) -> WalkCosts {
        profile_costs(network, profile, self.slope)
    }

    /// The extra results: every built-in profile side by side, flat against slope for
    /// the main profile, tiers and services, and what skipping the coordinate
    /// conversion would change.
    #[allow(clippy::too_many_arguments)]
    pub fn analyse(
        &self,
        network: &WalkNetwork,
        base: &CoverageParams,
        costs: &WalkCosts,
        result: &CoverageResult,
        centers: &[PointFeature],
        demand: &[PointFeature],
        prepared: &Prepared,
    ) -> Result<Analysis> {
        let main = self.profile(base.speed_kmh)?;
        let params = self.coverage_params(base)?;
        let mut analysis = Analysis::default();

        // Profiles side by side.
        let mut first: Option<CoverageResult> = None;
        for profile in WalkProfile::builtin(base.speed_kmh) {
            let p_costs = self.costs(network, &profile);
            let p_params = CoverageParams {
                speed_kmh: profile.speed_kmh,
                ..base.clone()
            };
            let r = compute_coverage(network, &p_costs, centers, demand, &p_params)?;
            let (steps, steep) = closed_edges(network, &profile, &p_costs);
            let total: f64 = demand.iter().map(|d| d.population).sum();
            let covered: f64 = demand
                .iter()
                .zip(&r.demand)
                .filter(|(_, x)| x.covered)
                .map(|(d, _)| d.population)
                .sum::<f64>()
                + 0.0;
            let no_walk: f64 = demand
                .iter()
                .zip(&r.demand)
                .filter(|(_, x)| x.walk_min.is_none())
                .map(|(d, _)| d.population)
                .sum::<f64>()
                + 0.0;
            let lost = first
                .as_ref()
                .map(|f| compare_coverage("", f, "", &r, centers, demand));
            analysis.profiles.push(ProfileCoverage {
                profile: profile.name.clone(),
                speed_kmh: profile.speed_kmh,
                slope: self.slope,
                covered_population: covered,
                coverage_ratio: if total > 0.0 { covered / total } else { 0.0 },
                residents_covered: r.demand.iter().filter(|x| x.covered).count(),
                no_walk_population: no_walk,
                closed_steps_edges: steps,
                closed_steep_edges: steep,
                lost_vs_first_population: lost.as_ref().map_or(0.0, |c| c.lost_population),
                lost_vs_first_residents: lost.as_ref().map_or(0, |c| c.lost_residents),
            });
            analysis.profile_covered.push((
                profile.name.clone(),
                r.demand.iter().map(|x| x.covered).collect(),
            ));
            if first.is_none() {
                first = Some(r);
            }
        }

        // Flat against slope, for the main profile.
        if self.slope {
            let flat_costs = profile_costs(network, &main, false);
            let flat = compute_coverage(network, &flat_costs, centers, demand, &params)?;
            analysis.flat_walk_min = Some(flat.demand.iter().map(|d| d.walk_min).collect());
            analysis.slope = Some(compare_coverage(
                "flat", &flat, "slope", result, centers, demand,
            ));
            analysis.edges_with_elevation = Some(network.stats().edges_with_elevation);
        }

        if let Some((config, _)) = &self.config {
            analysis.tiers = Some(compute_tier_coverage(
                network, costs, centers, demand, &params, config,
            )?);
        }

        // What skipping the coordinate conversion would change.
        if prepared.raw_centers.is_some() || prepared.raw_demand.is_some() {
            analysis.crs_check = Some(if prepared.roads_converted {
                json!({"skipped": "roads were converted too; the unconverted run is not comparable"})
            } else {
                let raw_c = prepared.raw_centers.as_deref().unwrap_or(centers);
                let raw_d = prepared.raw_demand.as_deref().unwrap_or(demand);
                let raw = compute_coverage(network, costs, raw_c, raw_d, &params)?;
                let c = compare_coverage("converted", result, "unconverted", &raw, centers, demand);
                // Mean shift over the points that were converted.
                let converted = [
                    (centers, prepared.raw_centers.as_deref()),
                    (demand, prepared.raw_demand.as_deref()),
                ];
                let shift: Vec<f64> = converted
                    .iter()
                    .filter_map(|(now, raw)| raw.map(|raw| now.iter().zip(raw)))
                    .flatten()
                    .map(|(a, b)| lifecircle::haversine_m([a.lon, a.lat], [b.lon, b.lat]))
                    .collect();
                let mean_shift = shift.iter().sum::<f64>() / shift.len().max(1) as f64;
                json!({
                    "converted_covered_population": c.baseline_covered_population,
                    "unconverted_covered_population": c.variant_covered_population,
                    "residents_changing_status": c.lost_residents + c.gained_residents,
                    "residents_losing_coverage_if_skipped": c.lost_residents,
                    "residents_gaining_coverage_if_skipped": c.gained_residents,
                    "population_changing_status": c.lost_population + c.gained_population,
                    "mean_shift_m": round_to(mean_shift, 2),
                })
            });
        }
        Ok(analysis)
    }

    /// The `model` section of `summary.json`.
    pub fn summary_json(&self, prepared: &Prepared, speed_kmh: f64) -> Value {
        json!({
            "profile": self.profile,
            "speed_kmh": speed_kmh,
            "slope": self.slope,
            "elevation_source": if self.dem.is_some() { "dem" } else if self.slope { "z coordinates" } else { "none" },
            "dem_tiles": self.dem_sources,
            "dem_vertices_with_height": prepared.dem_vertices.map(|v| v.0),
            "dem_vertices_without_height": prepared.dem_vertices.map(|v| v.1),
            "config": self.config.as_ref().map(|c| c.1.clone()),
            "input_crs": {
                "roads": self.input_crs.roads, "centers": self.input_crs.centers,
                "demand": self.input_crs.demand, "units": self.input_crs.units,
            },
            "output_crs": self.output_crs,
        })
    }
}

/// Extra results of a run.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Every built-in profile, adult first.
    pub profiles: Vec<ProfileCoverage>,
    /// Per profile, per resident: covered.
    pub profile_covered: Vec<(String, Vec<bool>)>,
    /// Flat against slope (main profile), when slope is on.
    pub slope: Option<CoverageComparison>,
    /// Per resident, the walk on flat ground, when slope is on.
    pub flat_walk_min: Option<Vec<Option<f64>>>,
    /// Edges with a height at every vertex, when slope is on.
    pub edges_with_elevation: Option<usize>,
    /// Tiers and services, with a config.
    pub tiers: Option<TierCoverage>,
    /// Skipped-conversion check, with inputs in GCJ-02 / BD-09.
    pub crs_check: Option<Value>,
}

impl Analysis {
    /// Sections added to `summary.json` (coordinates in `output`).
    pub fn summary_sections(&self, output: Crs) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("profiles".into(), json!(self.profiles));
        if let Some(s) = &self.slope {
            let mut v = json!(s);
            v["edges_with_elevation"] = json!(self.edges_with_elevation);
            m.insert("slope".into(), v);
        }
        if let Some(t) = &self.tiers {
            let mut t = t.clone();
            for r in t.tiers.iter_mut().chain(t.services.iter_mut()) {
                r.largest_gap_centroid = r.largest_gap_centroid.map(|c| output.from_wgs84(c));
            }
            m.insert("tiers".into(), json!(t));
        }
        if let Some(c) = &self.crs_check {
            m.insert("crs_check".into(), c.clone());
        }
        m
    }

    /// Extra `demand.geojson` properties of resident `i`.
    pub fn demand_properties(&self, i: usize, p: &mut Map<String, Value>) {
        if let Some(flat) = &self.flat_walk_min {
            p.insert(
                "walk_min_flat".into(),
                flat[i].map_or(Value::Null, |m| json!(round_to(m, 3))),
            );
        }
        let mut by_profile = Map::new();
        for (name, covered) in &self.profile_covered {
            by_profile.insert(name.clone(), json!(covered[i]));
        }
        if !by_profile.is_empty() {
            p.insert("covered_by_profile".into(), Value::Object(by_profile));
        }
        if let Some(t) = &self.tiers {
            p.insert("complete".into(), json!(t.complete[i]));
            p.insert("services_missing".into(), json!(t.missing_services(i)));
            let mut walks = Map::new();
            for s in &t.services {
                walks.insert(
                    s.id.clone(),
                    s.walk_min[i].map_or(Value::Null, |m| json!(round_to(m, 3))),
                );
            }
            p.insert("walk_min_by_service".into(), Value::Object(walks));
            let mut tiers = Map::new();
            for r in &t.tiers {
                tiers.insert(r.id.clone(), json!(r.covered[i]));
            }
            p.insert("covered_by_tier".into(), Value::Object(tiers));
        }
    }

    /// Sections added to `report.md`.
    pub fn report_markdown(&self, threshold_min: f64) -> String {
        let mut out = lifecircle::output::profiles_markdown(&self.profiles, threshold_min);
        if let Some(s) = &self.slope {
            out.push_str(&lifecircle::output::slope_markdown(s));
        }
        if let Some(t) = &self.tiers {
            out.push_str(&lifecircle::output::tiers_markdown(t));
        }
        if let Some(c) = &self.crs_check {
            if let Some(n) = c.get("residents_changing_status") {
                out.push_str(&format!(
                    "\n## Coordinate systems\n\nInputs were converted to WGS84 (mean shift {} m). Without the conversion {} residents would change covered status ({} lose, {} gain).\n",
                    c["mean_shift_m"], n, c["residents_losing_coverage_if_skipped"], c["residents_gaining_coverage_if_skipped"]
                ));
            }
        }
        out
    }
}

/// Fails when an option needs data the run does not have.
pub fn check_slope_data(model: &Model, network: &WalkNetwork, roads_label: &str) -> Result<()> {
    if model.slope && model.dem.is_none() && network.stats().edges_with_elevation == 0 {
        bail!(
            "{roads_label}: --slope needs heights: the roads have no z coordinates; \
             give SRTM tiles with --dem FILE.hgt"
        );
    }
    Ok(())
}
