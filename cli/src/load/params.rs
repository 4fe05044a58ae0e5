//! The study parameters: coverage and network flags, the walking profile, slope and the
//! elevation tiles it reads, the tier and service catalogue, and coordinate systems.

use std::path::Path;

use anyhow::{Context, Result};
use lifecircle::coverage::{AccessDecay, AccessParams, GapMode, ServiceConfig, Threshold};
use lifecircle::crs::{Crs, Projection};
use lifecircle::input::{maybe_gunzip, read_hgt_tile, Dem, InputLimits};
use lifecircle::network::NetworkParams;
use lifecircle::routing::WalkProfile;
use lifecircle::study::{Elevation, InputCrs, ServicesSource};
use lifecircle::{CoverageParams, StudyParams};

use super::read_file;
use crate::args::{ModelArgs, ParamArgs};

/// A `--crs`-family value: a Chinese web-map system the study shifts after reading
/// (`gcj02`, `bd09`), or any other system (`EPSG:4547`, a PROJ string, WKT) the readers
/// convert files that declare none from.
enum CrsArg {
    Shifted(Crs),
    Projected(Projection),
}

fn crs_arg(flag: &str, value: &str) -> Result<CrsArg> {
    if let Ok(crs) = Crs::parse(value) {
        return Ok(CrsArg::Shifted(crs));
    }
    Projection::parse(value)
        .map(CrsArg::Projected)
        .with_context(|| {
            format!(
                "--{flag} {value}: expected wgs84, gcj02, bd09, or a coordinate system such as \
                 EPSG:4547"
            )
        })
}

fn crs(flag: &str, value: &str) -> Result<Crs> {
    Ok(match crs_arg(flag, value)? {
        CrsArg::Shifted(crs) => crs,
        CrsArg::Projected(_) => Crs::Wgs84,
    })
}

/// The systems the readers convert each layer's file from when it declares none
/// (`--crs`/`--input-crs` for all, `--roads-crs` … for one).
#[derive(Debug, Clone, Default)]
pub(crate) struct LayerProjections {
    pub roads: Option<Projection>,
    pub centers: Option<Projection>,
    pub demand: Option<Projection>,
    pub units: Option<Projection>,
}

/// The [`LayerProjections`] of the command line.
pub(crate) fn layer_projections(model: &ModelArgs) -> Result<LayerProjections> {
    let projection = |flag: &str, value: &str| -> Result<Option<Projection>> {
        Ok(match crs_arg(flag, value)? {
            CrsArg::Projected(p) => Some(p),
            CrsArg::Shifted(_) => None,
        })
    };
    let base = projection("crs/--input-crs", &model.crs)?;
    let per = |flag: &str, v: &Option<String>| match v {
        Some(v) => projection(flag, v),
        None => Ok(base.clone()),
    };
    Ok(LayerProjections {
        roads: per("roads-crs", &model.roads_crs)?,
        centers: per("centers-crs", &model.centers_crs)?,
        demand: per("demand-crs", &model.demand_crs)?,
        units: per("units-crs", &model.units_crs)?,
    })
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
    let base = crs("crs/--input-crs", &model.crs)?;
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
        match crs_arg("output-crs", &model.output_crs)? {
            CrsArg::Shifted(crs) => crs,
            CrsArg::Projected(p) => anyhow::bail!(
                "--output-crs {}: outputs are written in wgs84, gcj02 or bd09 (longitude/latitude); \
                 reproject them with a GIS tool if you need {}",
                model.output_crs,
                p.name()
            ),
        }
    };
    WalkProfile::by_name(&model.profile, params.speed_kmh)
        .with_context(|| format!("--profile {}", model.profile))?;
    // The first threshold is the study's own; the others are its bands.
    let thresholds: Vec<Threshold> = if params.metres.is_empty() {
        params
            .minutes
            .iter()
            .map(|&m| Threshold::Minutes(m))
            .collect()
    } else {
        params
            .metres
            .iter()
            .map(|&m| Threshold::Metres(m))
            .collect()
    };
    let Some((&main, bands)) = thresholds.split_first() else {
        anyhow::bail!("--minutes / --metres: give at least one threshold");
    };
    let coverage = CoverageParams {
        max_snap_m: params.max_snap_m,
        gap_link_m: params.gap_link_m,
        gap_mode: GapMode::by_name(&params.gaps).context("--gaps")?,
        ..CoverageParams::default()
    }
    .with_threshold(main);
    Ok(StudyParams {
        coverage,
        bands: bands.to_vec(),
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
        access: model
            .access
            .as_deref()
            .map(|method| {
                AccessDecay::parse(method).map(|decay| AccessParams {
                    decay,
                    capacity_field: model.capacity_field.clone(),
                })
            })
            .transpose()
            .context("--access")?,
    })
}
