//! `lifecircle coverage`.

use anyhow::{bail, Result};
use lifecircle::input::{
    detect_format, CsvOptions, InputFormat, PointLayer, PointOptions, PopulationEstimate,
};

use super::model::Model;
use super::pipeline::{self, Inputs, Layer};
use crate::args::{CoverageArgs, InputArgs};
use crate::load::{self, PointReadOptions};
use crate::progress::Stages;

pub fn run(args: CoverageArgs) -> Result<()> {
    let mut stages = Stages::new(args.quiet);
    let model = Model::from_args(&args.model)?;
    let inputs = stages.run("reading inputs", || read_inputs(&args.inputs))?;
    let mut params = pipeline::params_from_args(&args.params);
    params.model = model;
    pipeline::run(
        inputs,
        &params,
        &args.out,
        "Walking coverage",
        &mut stages,
        args.quiet,
    )
}

pub fn read_inputs(args: &InputArgs) -> Result<Inputs> {
    read_inputs_and_osm_points(args, None).map(|(inputs, _)| inputs)
}

/// [`read_inputs`], plus one more point layer taken from the OSM file by tag filter
/// (`plan --candidates-osm`), decoded in the same pass as the other layers of that file.
pub fn read_inputs_and_osm_points(
    args: &InputArgs,
    extra_osm_filter: Option<&str>,
) -> Result<(Inputs, Option<Layer<PointLayer>>)> {
    let limits = load::input_limits(args.max_input_mb, args.max_features)?;
    let roads_label = args.roads.display().to_string();
    let roads_bytes = load::read_file_with_limits(&args.roads, &limits)?;
    let roads_are_pbf = detect_format(&roads_label, &roads_bytes[..roads_bytes.len().min(64)])
        == InputFormat::OsmPbf;

    let osm_path = args
        .osm
        .clone()
        .or_else(|| roads_are_pbf.then(|| args.roads.clone()));
    let population = load::population_rule(&args.building_population)?;
    // Point layers taken from the OSM file by tag filter (a layer's own file wins).
    let osm_filters: Vec<(&str, PopulationEstimate)> = [
        (&args.centers, &args.centers_osm, PopulationEstimate::One),
        (&args.demand, &args.demand_osm, population.clone()),
    ]
    .into_iter()
    .filter_map(|(file, filter, population)| match (file, filter) {
        (None, Some(filter)) => Some((filter.as_str(), population)),
        _ => None,
    })
    .chain(extra_osm_filter.map(|filter| (filter, PopulationEstimate::One)))
    .collect();
    // Layers of the same PBF are read in one decoding pass.
    let roads_in_osm = roads_are_pbf && osm_path.as_ref() == Some(&args.roads);
    let one_pass = osm_filters.len() + usize::from(roads_in_osm && !osm_filters.is_empty()) >= 2;
    let mut shared = if one_pass && roads_in_osm {
        Some(load::osm_layers_with_limits(
            &roads_label,
            &roads_bytes,
            true,
            &osm_filters,
            &limits,
        )?)
    } else {
        None
    };
    let roads = match shared.as_mut().and_then(|layers| layers.roads.take()) {
        Some(roads) => roads,
        None => load::roads_with_limits(&roads_label, &roads_bytes, &limits)?,
    };

    let osm_flags: Vec<&str> = [
        (args.centers_osm.is_some(), "--centers-osm"),
        (args.demand_osm.is_some(), "--demand-osm"),
        (extra_osm_filter.is_some(), "--candidates-osm"),
    ]
    .into_iter()
    .filter_map(|(used, flag)| used.then_some(flag))
    .collect();
    let osm_bytes = match (&osm_path, !osm_flags.is_empty()) {
        (Some(path), true) if path == &args.roads => Some(roads_bytes),
        (Some(path), true) => Some(load::read_file_with_limits(path, &limits)?),
        (None, true) => bail!(
            "{} read an OSM PBF: give one with --osm FILE (the roads file {roads_label} \
             is not a PBF)",
            osm_flags.join(" / ")
        ),
        _ => None,
    };
    let osm_label = osm_path
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if one_pass && shared.is_none() {
        let bytes = osm_bytes.as_deref().expect("checked above");
        shared = Some(load::osm_layers_with_limits(
            &osm_label,
            bytes,
            false,
            &osm_filters,
            &limits,
        )?);
    }
    // The shared pass's point layers, in `osm_filters` order (centers first).
    let mut shared_points = shared.map(|layers| layers.points.into_iter());

    let point_options = PointReadOptions {
        geojson: PointOptions {
            population_field: args.population_field.clone(),
            spread_spacing_m: args.demand_spread_m,
            ..PointOptions::default()
        },
        csv: CsvOptions {
            // The default name is auto-detected (population|pop) and may be absent.
            population_column: (args.population_field != "population")
                .then(|| args.population_field.clone()),
            ..CsvOptions::default()
        },
    };
    let center_options = PointReadOptions {
        geojson: PointOptions {
            spread_spacing_m: None,
            ..point_options.geojson.clone()
        },
        csv: point_options.csv.clone(),
    };

    // A point layer comes from its own file, or from the OSM file by tag filter.
    let mut point_layer = |file: &Option<std::path::PathBuf>,
                           filter: &Option<String>,
                           options: &PointReadOptions,
                           population: &PopulationEstimate,
                           missing: &str|
     -> Result<Layer<PointLayer>> {
        match (file, filter) {
            (Some(path), _) => {
                let label = path.display().to_string();
                let bytes = load::read_file_with_limits(path, &limits)?;
                let layer = load::points_with_limits(&label, &bytes, options, &limits)?;
                Ok(Layer::new(layer, label))
            }
            (None, Some(filter)) => {
                let layer = match shared_points.as_mut().and_then(Iterator::next) {
                    Some(layer) => layer,
                    None => {
                        let bytes = osm_bytes.as_deref().expect("checked above");
                        load::osm_points_with_limits(
                            &osm_label, bytes, filter, population, &limits,
                        )?
                    }
                };
                Ok(Layer::new(layer, format!("{osm_label} [{filter}]")))
            }
            (None, None) => bail!("{missing}"),
        }
    };
    let centers = point_layer(
        &args.centers,
        &args.centers_osm,
        &center_options,
        &PopulationEstimate::One,
        "give service centers with --centers FILE or --centers-osm FILTER",
    )?;
    let demand = point_layer(
        &args.demand,
        &args.demand_osm,
        &point_options,
        &population,
        "give residents with --demand FILE or --demand-osm FILTER",
    )?;
    // The extra layer is always by filter; it comes last out of the shared pass.
    let extra = extra_osm_filter
        .map(|filter| {
            point_layer(
                &None,
                &Some(filter.to_string()),
                &center_options,
                &PopulationEstimate::One,
                "",
            )
        })
        .transpose()?;
    let units = match &args.units {
        Some(path) => {
            let label = path.display().to_string();
            Some(Layer::new(
                load::units_with_limits(
                    &label,
                    &load::read_file_with_limits(path, &limits)?,
                    &limits,
                )?,
                label,
            ))
        }
        None => None,
    };
    let inputs = Inputs {
        roads: Layer::new(roads, roads_label),
        centers,
        demand,
        units,
    };
    Ok((inputs, extra))
}
