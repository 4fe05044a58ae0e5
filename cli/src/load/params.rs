//! The study parameters: coverage and network flags, the walking profile, slope and the
//! elevation tiles it reads, the tier and service catalogue, and coordinate systems.

use std::path::Path;

use anyhow::{Context, Result};
use lifecircle::coverage::ServiceConfig;
use lifecircle::crs::Crs;
use lifecircle::input::{maybe_gunzip, read_hgt_tile, Dem, InputLimits};
use lifecircle::network::NetworkParams;
use lifecircle::routing::WalkProfile;
use lifecircle::study::{Elevation, InputCrs, ServicesSource};
use lifecircle::{CoverageParams, StudyParams};

use super::read_file;
use crate::args::{ModelArgs, ParamArgs};

fn crs(flag: &str, value: &str) -> Result<Crs> {
    Crs::parse(value).with_context(|| format!("--{flag} {value}"))
}

/// Reads the catalogue named by `--config`: a TOML or JSON file, or `preset:NAME`.
fn services(spec: &str) -> Result<ServicesSource> {
    let config = match spec.strip_prefix("preset:") {
        Some(name) => ServiceConfig::preset(name)?,
        None => {
            let raw = read_file(Path::new(spec), &InputLimits::default())?;
            let bytes = maybe_gunzip(spec, &raw)?;
            let text = std::str::from_utf8(&bytes)
                .with_context(|| format!("{spec}: config is not UTF-8 text"))?;
            ServiceConfig::parse(spec, text)?
        }
    };
    Ok(ServicesSource {
        config,
        source: spec.to_string(),
    })
}

/// Reads the elevation tiles named by `--dem`.
fn elevation(paths: &[std::path::PathBuf]) -> Result<Option<Elevation>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut tiles = Vec::new();
    for path in paths {
        let label = path.display().to_string();
        let raw = read_file(path, &InputLimits::default())?;
        tiles.push(read_hgt_tile(&label, &raw)?);
    }
    Ok(Some(Elevation {
        dem: Dem::new(tiles),
        tiles: paths.iter().map(|p| p.display().to_string()).collect(),
    }))
}

/// The parameters of a study from the command line; reads the catalogue and the
/// elevation tiles, and checks every name.
pub(crate) fn study_params(params: &ParamArgs, model: &ModelArgs) -> Result<StudyParams> {
    let base = crs("crs", &model.crs)?;
    let per = |flag: &str, v: &Option<String>| v.as_deref().map_or(Ok(base), |v| crs(flag, v));
    let input_crs = InputCrs {
        roads: per("roads-crs", &model.roads_crs)?,
        centers: per("centers-crs", &model.centers_crs)?,
        demand: per("demand-crs", &model.demand_crs)?,
        units: per("units-crs", &model.units_crs)?,
    };
    let output_crs = if model.output_crs.eq_ignore_ascii_case("input") {
        base
    } else {
        crs("output-crs", &model.output_crs)?
    };
    WalkProfile::by_name(&model.profile, params.speed_kmh)
        .with_context(|| format!("--profile {}", model.profile))?;
    Ok(StudyParams {
        coverage: CoverageParams {
            threshold_min: params.minutes,
            max_snap_m: params.max_snap_m,
            gap_link_m: params.gap_link_m,
        },
        network: NetworkParams {
            min_component_nodes: params.min_component_nodes,
        },
        speed_kmh: params.speed_kmh,
        profile: model.profile.trim().to_ascii_lowercase(),
        slope: model.slope,
        services: model.config.as_deref().map(services).transpose()?,
        elevation: elevation(&model.dem)?,
        input_crs,
        output_crs,
    })
}
