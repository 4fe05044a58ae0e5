//! Reading input files: format detection, gzip, and the core readers.

use std::path::Path;

use anyhow::{bail, Context, Result};
use lifecircle::input::{
    detect_format, read_osm_layers_auto, read_points_auto, read_points_osm_auto, read_roads_auto,
    read_units_auto, CsvOptions, InputFormat, InputLimits, OsmLayers, OsmPointQuery, PointLayer,
    PointOptions, PopulationEstimate, RoadLayer, TagFilter, UnitLayer,
};

/// Reads a whole file, naming it in the error (default limits).
#[allow(dead_code)] // kept for commands that use the default limits
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    read_file_with_limits(path, &InputLimits::default())
}

/// Reads a whole file after checking its size against `limits.max_bytes` (from the file's
/// metadata, so an oversized file is refused before any of it is read).
pub fn read_file_with_limits(path: &Path, limits: &InputLimits) -> Result<Vec<u8>> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("{}: cannot read file", path.display()))?;
    if metadata.is_file() && metadata.len() > limits.max_bytes {
        bail!(
            "{}: file is {} bytes, more than the limit of {} bytes (raise it with --max-input-mb)",
            path.display(),
            metadata.len(),
            limits.max_bytes
        );
    }
    std::fs::read(path).with_context(|| format!("{}: cannot read file", path.display()))
}

/// Input limits from `--max-input-mb` and `--max-features` (core defaults when absent).
pub fn input_limits(max_input_mb: Option<u64>, max_features: Option<usize>) -> Result<InputLimits> {
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

/// Reads road lines from GeoJSON or OSM PBF bytes.
pub fn roads_with_limits(label: &str, raw: &[u8], limits: &InputLimits) -> Result<RoadLayer> {
    Ok(read_roads_auto(label, raw, limits)?)
}

/// How point files are read.
#[derive(Debug, Clone, Default)]
pub struct PointReadOptions {
    pub geojson: PointOptions,
    pub csv: CsvOptions,
}

/// Reads points from GeoJSON or CSV bytes.
#[allow(dead_code)] // kept for commands that use the default limits
pub fn points(label: &str, raw: &[u8], options: &PointReadOptions) -> Result<PointLayer> {
    points_with_limits(label, raw, options, &InputLimits::default())
}

/// [`points`] with explicit input limits.
pub fn points_with_limits(
    label: &str,
    raw: &[u8],
    options: &PointReadOptions,
    limits: &InputLimits,
) -> Result<PointLayer> {
    read_points_auto(label, raw, &options.geojson, &options.csv, limits).map_err(|e| {
        if detect_format(label, raw) == InputFormat::OsmPbf {
            anyhow::anyhow!("{e} (--centers-osm / --demand-osm with --osm {label})")
        } else {
            e.into()
        }
    })
}

/// Reads points from an OSM PBF by tag filter, within the input limits.
pub fn osm_points_with_limits(
    label: &str,
    raw: &[u8],
    filter: &str,
    population: &PopulationEstimate,
    limits: &InputLimits,
) -> Result<PointLayer> {
    let filter = TagFilter::parse(filter)?;
    Ok(read_points_osm_auto(
        label, raw, &filter, population, limits,
    )?)
}

/// Reads the roads (when `roads`) and points by tag filter (`(filter, population)` per
/// layer) from one OSM PBF in a single decoding pass; every layer is labelled `label`.
pub fn osm_layers_with_limits(
    label: &str,
    raw: &[u8],
    roads: bool,
    points: &[(&str, PopulationEstimate)],
    limits: &InputLimits,
) -> Result<OsmLayers> {
    let queries = points
        .iter()
        .map(|(filter, population)| {
            Ok(OsmPointQuery {
                layer: label.to_string(),
                filter: TagFilter::parse(filter)?,
                population: population.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(read_osm_layers_auto(
        raw,
        roads.then_some(label),
        &queries,
        limits,
    )?)
}

/// Reads reporting units from GeoJSON bytes.
#[allow(dead_code)] // kept for commands that use the default limits
pub fn units(label: &str, raw: &[u8]) -> Result<UnitLayer> {
    units_with_limits(label, raw, &InputLimits::default())
}

/// [`units`] with explicit input limits.
pub fn units_with_limits(label: &str, raw: &[u8], limits: &InputLimits) -> Result<UnitLayer> {
    Ok(read_units_auto(label, raw, limits)?)
}

/// Parses `--building-population`.
pub fn population_rule(spec: &str) -> Result<PopulationEstimate> {
    if spec == "one" {
        return Ok(PopulationEstimate::One);
    }
    if let Some(key) = spec.strip_prefix("tag:") {
        if key.is_empty() {
            bail!("--building-population tag: needs a tag key, e.g. tag:population");
        }
        return Ok(PopulationEstimate::FromTag { key: key.into() });
    }
    if let Some(value) = spec.strip_prefix("area:") {
        let m2_per_person: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v > 0.0)
            .with_context(|| {
                format!("--building-population area:{value}: expected a positive number of m² per person")
            })?;
        return Ok(PopulationEstimate::FloorArea { m2_per_person });
    }
    bail!("--building-population {spec}: expected `one`, `tag:KEY` or `area:M2_PER_PERSON`")
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
