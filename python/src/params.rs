//! Study parameters from the keyword arguments of `lifecircle.Study`.

use lifecircle::coverage::{AccessDecay, AccessParams, GapMode, ServiceConfig, Threshold};
use lifecircle::crs::{Crs, Projection};
use lifecircle::input::{maybe_gunzip, read_hgt_tile, Dem, InputLimits};
use lifecircle::network::NetworkParams;
use lifecircle::study::{Elevation, InputCrs, ServicesSource};
use lifecircle::{CoverageParams, StudyParams};
use pyo3::prelude::*;

use crate::errors::{Failure, Outcome};
use crate::inputs::PointReading;

/// The keyword arguments, every one given (the Python side fills in the defaults).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct StudyOptions {
    /// Thresholds in minutes: the first is the study's own, the others its bands.
    minutes: Vec<f64>,
    /// Thresholds as walking distances, metres (instead of `minutes`), as `minutes`.
    metres: Vec<f64>,
    speed_kmh: f64,
    profile: String,
    max_snap_m: f64,
    min_component_nodes: usize,
    gap_link_m: f64,
    /// `pieces` (one new center could close each) or `linked` areas.
    gaps: String,
    slope: bool,
    /// `preset:NAME`, or a TOML / JSON file.
    config: Option<String>,
    /// SRTM `.hgt` tiles.
    dem: Vec<String>,
    /// Coordinate system of file inputs (`wgs84`, `gcj02`, `bd09`), or of files that
    /// declare none (`EPSG:4547`, WKT, a PROJ string).
    crs: String,
    /// Coordinate system of the outputs (`input`: that of the inputs).
    output_crs: String,
    population_field: Option<String>,
    demand_spread_m: Option<f64>,
    max_input_mb: Option<u64>,
    max_features: Option<usize>,
    /// `2sfca` or `e2sfca`: accessibility scores (`None`: not computed).
    access: Option<String>,
    /// The center property holding its capacity.
    capacity_field: String,
}

/// A Chinese web-map system the study shifts after reading, or WGS84 when `value` is a
/// system the readers convert from (see [`StudyOptions::projection`]).
fn crs(name: &str, value: &str) -> Outcome<Crs> {
    match Crs::parse(value) {
        Ok(crs) => Ok(crs),
        Err(e) => match Projection::parse(value) {
            Ok(_) => Ok(Crs::Wgs84),
            Err(projection) => Err(Failure::parameter(
                name,
                format!("{e}; nor a coordinate system: {projection}"),
            )),
        },
    }
}

impl StudyOptions {
    /// Size and feature caps.
    pub(crate) fn limits(&self) -> Outcome<InputLimits> {
        let mut limits = InputLimits::default();
        if let Some(mb) = self.max_input_mb {
            if mb == 0 {
                return Err(Failure::parameter("max_input_mb", "must be at least 1"));
            }
            limits.max_bytes = mb.saturating_mul(1024 * 1024);
        }
        if let Some(n) = self.max_features {
            if n == 0 {
                return Err(Failure::parameter("max_features", "must be at least 1"));
            }
            limits.max_features = n;
        }
        Ok(limits)
    }

    /// The system file inputs that declare none are converted from (`crs="EPSG:4547"`);
    /// `None` for WGS84 and the shifted Chinese systems.
    pub(crate) fn projection(&self) -> Outcome<Option<Projection>> {
        if Crs::parse(&self.crs).is_ok() {
            return Ok(None);
        }
        Projection::parse(&self.crs)
            .map(Some)
            .map_err(|e| Failure::parameter("crs", e.to_string()))
    }

    /// How residents are read.
    pub(crate) fn demand_reading(&self) -> PointReading {
        PointReading {
            population_field: self.population_field.clone(),
            spread_spacing_m: self.demand_spread_m,
            places: false,
        }
    }

    /// The study parameters; reads the catalogue and the elevation tiles.
    pub(crate) fn study_params(&self) -> Outcome<StudyParams> {
        let base = crs("crs", &self.crs)?;
        let output_crs = if self.output_crs.eq_ignore_ascii_case("input") {
            base
        } else {
            // Outputs are WGS84 or a shifted Chinese system, never projected.
            Crs::parse(&self.output_crs)
                .map_err(|e| Failure::parameter("output_crs", e.to_string()))?
        };
        let (name, thresholds): (&str, Vec<Threshold>) = if self.metres.is_empty() {
            let t = self.minutes.iter().map(|&m| Threshold::Minutes(m));
            ("minutes", t.collect())
        } else {
            (
                "metres",
                self.metres.iter().map(|&m| Threshold::Metres(m)).collect(),
            )
        };
        let Some((&main, bands)) = thresholds.split_first() else {
            return Err(Failure::parameter(name, "give at least one threshold"));
        };
        let params = StudyParams {
            coverage: CoverageParams {
                max_snap_m: self.max_snap_m,
                gap_link_m: self.gap_link_m,
                gap_mode: GapMode::by_name(&self.gaps)?,
                ..CoverageParams::default()
            }
            .with_threshold(main),
            bands: bands.to_vec(),
            network: NetworkParams {
                min_component_nodes: self.min_component_nodes,
            },
            speed_kmh: self.speed_kmh,
            profile: self.profile.trim().to_ascii_lowercase(),
            slope: self.slope,
            elevation: self.elevation()?,
            services: self.config.as_deref().map(services).transpose()?,
            input_crs: InputCrs::all(base),
            output_crs,
            access: self
                .access
                .as_deref()
                .map(|method| {
                    AccessDecay::parse(method).map(|decay| AccessParams {
                        decay,
                        capacity_field: self.capacity_field.clone(),
                    })
                })
                .transpose()?,
        };
        params.validate()?;
        Ok(params)
    }

    fn elevation(&self) -> Outcome<Option<Elevation>> {
        if self.dem.is_empty() {
            return Ok(None);
        }
        let mut tiles = Vec::new();
        for path in &self.dem {
            let raw = std::fs::read(path)
                .map_err(|e| Failure::file(path, format!("cannot read file: {e}")))?;
            tiles.push(read_hgt_tile(path, &raw)?);
        }
        Ok(Some(Elevation {
            dem: Dem::new(tiles),
            tiles: self.dem.clone(),
        }))
    }
}

/// The tier and service catalogue: `preset:NAME`, or a TOML / JSON file.
fn services(spec: &str) -> Outcome<ServicesSource> {
    let config = match spec.strip_prefix("preset:") {
        Some(name) => ServiceConfig::preset(name)?,
        None => {
            let raw = std::fs::read(spec)
                .map_err(|e| Failure::file(spec, format!("cannot read file: {e}")))?;
            let bytes = maybe_gunzip(spec, &raw)?;
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| Failure::input(spec, "config is not UTF-8 text"))?;
            ServiceConfig::parse(spec, text)?
        }
    };
    Ok(ServicesSource {
        config,
        source: spec.to_string(),
    })
}
