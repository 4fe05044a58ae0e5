//! Loading: the files named on the command line become typed layers and study
//! parameters. Sizes are checked before anything is read.

mod files;
mod layers;
mod params;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use lifecircle::input::{InputLimits, PopulationEstimate};

pub(crate) use layers::{read_candidates_file, read_inputs, read_sample, read_units_file, Inputs};
pub(crate) use params::{layer_projections, study_params, LayerProjections};

use crate::args::{LayerArgs, ModelArgs};

/// Every file a command names on its command line, with a Shapefile's companions (an
/// input the outputs must never replace).
pub(crate) fn named_files(
    roads: Option<&Path>,
    layers: &LayerArgs,
    model: &ModelArgs,
) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = roads.map(Path::to_path_buf).into_iter().collect();
    files.extend(
        [
            &layers.centers,
            &layers.demand,
            &layers.osm,
            &layers.units,
            &layers.demand_raster,
        ]
        .into_iter()
        .flatten()
        .cloned(),
    );
    if let Some(config) = model
        .config
        .as_deref()
        .filter(|c| !c.starts_with("preset:"))
    {
        files.push(PathBuf::from(config));
    }
    files.extend(model.dem.iter().cloned());
    input_files(&files)
}

/// The files behind input arguments: `city.gpkg:roads` is `city.gpkg`, a `.shp` brings
/// its `.dbf`, `.shx`, `.prj` and `.cpg`.
pub(crate) fn input_files(args: &[PathBuf]) -> Vec<PathBuf> {
    args.iter()
        .flat_map(|arg| files::InputFile::resolve(arg).files())
        .collect()
}

/// Reads a whole file, at most `limits.max_bytes` of it: a regular file's size is checked
/// from its metadata before any of it is read; a pipe, a device or a file that grows is
/// read until one byte past the limit and refused there, so nothing unbounded is read.
pub(crate) fn read_file(path: &Path, limits: &InputLimits) -> Result<Vec<u8>> {
    let shown = path.display();
    let limit = limits.max_bytes;
    let file = std::fs::File::open(path).with_context(|| format!("{shown}: cannot read file"))?;
    let metadata = file
        .metadata()
        .with_context(|| format!("{shown}: cannot read file"))?;
    if metadata.is_dir() {
        bail!("{shown}: is a folder, not a file");
    }
    if metadata.is_file() && metadata.len() > limit {
        bail!(
            "{shown}: file is {} bytes, more than the limit of {limit} bytes (raise it with \
             --max-input-mb)",
            metadata.len()
        );
    }
    let mut bytes = Vec::with_capacity(if metadata.is_file() {
        metadata.len() as usize
    } else {
        0
    });
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, limits.max_bytes.saturating_add(1)),
        &mut bytes,
    )
    .with_context(|| format!("{shown}: cannot read file"))?;
    if bytes.len() as u64 > limit {
        bail!(
            "{shown}: more than the limit of {limit} bytes (read up to the limit and stopped; \
             raise it with --max-input-mb)"
        );
    }
    Ok(bytes)
}

/// Input limits from `--max-input-mb` and `--max-features` (core defaults when absent).
pub(crate) fn input_limits(
    max_input_mb: Option<u64>,
    max_features: Option<usize>,
) -> Result<InputLimits> {
    let mut limits = InputLimits::default();
    if let Some(mb) = max_input_mb {
        if mb == 0 {
            bail!("--max-input-mb must be at least 1");
        }
        limits.max_bytes = mb.saturating_mul(1024 * 1024);
    }
    if let Some(n) = max_features {
        if n == 0 {
            bail!("--max-features must be at least 1");
        }
        limits.max_features = n;
    }
    Ok(limits)
}

/// Parses `--building-population`.
pub(crate) fn population_rule(spec: &str) -> Result<PopulationEstimate> {
    PopulationEstimate::parse(spec)
        .map_err(|reason| anyhow::anyhow!("--building-population {spec}: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_rules() {
        assert!(matches!(
            population_rule("one").unwrap(),
            PopulationEstimate::One
        ));
        assert!(matches!(
            population_rule("area:25").unwrap(),
            PopulationEstimate::FloorArea { m2_per_person } if m2_per_person == 25.0
        ));
        assert!(population_rule("area:-1").is_err());
        assert!(population_rule("people").is_err());
    }
}
