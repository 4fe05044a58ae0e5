//! The input layers: roads, centers, residents and units from their files, or from one
//! OSM PBF by tag filter (every layer of the same PBF decoded in one pass), and the
//! bundled sample.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use lifecircle::crs::Projection;
use lifecircle::features::{PointLayer, RoadLayer, UnitLayer};
use lifecircle::input::{
    detect_format, read_osm_layers, InputFormat, InputLimits, OsmPointQuery, PopulationEstimate,
    TagFilter,
};
use lifecircle::input::{read_raster_demand, RasterDemand};
use lifecircle::{read_points, read_roads, read_units, Layer, Layers, ReadOptions};

use super::params::LayerProjections;

use super::files::ReadInput;
use super::{input_limits, population_rule, read_file};
use crate::args::LayerArgs;

/// The Isle of Man OSM extract (2020-03-13), © OpenStreetMap contributors, ODbL 1.0.
pub(super) const ISLE_OF_MAN_PBF: &[u8] = include_bytes!("../../../data/isle_of_man.osm.pbf");
/// How the bundled extract is named in reports.
pub(super) const SAMPLE_SOURCE: &str = "isle_of_man.osm.pbf (bundled)";
/// Civic amenities that host community services: community and social centres, libraries,
/// town halls and social facilities.
pub(super) const SAMPLE_CENTER_FILTER: &str =
    "amenity=community_centre|social_centre|library|townhall|social_facility";
/// One resident point per building.
pub(super) const SAMPLE_DEMAND_FILTER: &str = "building";

/// What a command read: the layers of the study, and the candidate layer taken from
/// the same OSM file when asked for.
pub(crate) struct Inputs {
    /// Roads, centers, residents, units.
    pub layers: Layers,
    /// The extra point layer asked for by tag filter (`plan --candidates-osm`).
    pub extra: Option<Layer<PointLayer>>,
    /// Bytes of the files read (each file once).
    pub bytes_read: u64,
}

fn query(label: &str, filter: &str, population: PopulationEstimate) -> Result<OsmPointQuery> {
    Ok(OsmPointQuery {
        layer: label.to_string(),
        filter: TagFilter::parse(filter)?,
        population,
    })
}

/// Roads, centers and residents of the bundled extract, read in one pass over the PBF.
pub(crate) fn read_sample() -> Result<Inputs> {
    let one = PopulationEstimate::One;
    let queries = [
        query(SAMPLE_SOURCE, SAMPLE_CENTER_FILTER, one.clone())?,
        query(SAMPLE_SOURCE, SAMPLE_DEMAND_FILTER, one)?,
    ];
    let layers = read_osm_layers(
        SAMPLE_SOURCE,
        ISLE_OF_MAN_PBF,
        true,
        &queries,
        &InputLimits::default(),
    )?;
    let mut points = layers.points.into_iter();
    let (Some(roads), Some(centers), Some(demand)) = (layers.roads, points.next(), points.next())
    else {
        unreachable!("roads and two point layers were asked for");
    };
    Ok(Inputs {
        layers: Layers {
            roads: Layer::new(roads, SAMPLE_SOURCE),
            centers: Layer::new(centers, format!("{SAMPLE_SOURCE} [{SAMPLE_CENTER_FILTER}]")),
            demand: Layer::new(demand, format!("{SAMPLE_SOURCE} [{SAMPLE_DEMAND_FILTER}]")),
            units: None,
        },
        extra: None,
        bytes_read: ISLE_OF_MAN_PBF.len() as u64,
    })
}

/// Reads every layer of a run; `extra_osm_filter` asks for one more point layer from
/// the OSM file by tag (`plan --candidates-osm`), decoded in the same pass as the other
/// layers of that file.
pub(crate) fn read_inputs(
    roads_path: &Path,
    args: &LayerArgs,
    projections: &LayerProjections,
    max_snap_m: f64,
    extra_osm_filter: Option<&str>,
) -> Result<Inputs> {
    let limits = input_limits(args.max_input_mb, args.max_features)?;
    let mut roads_input = ReadInput::read(roads_path, &limits)?;
    let roads_label = roads_input.label.clone();
    let mut files: Vec<PathBuf> = roads_input.files.clone();
    let roads_bytes = std::mem::take(&mut roads_input.bytes);
    let roads_are_pbf = detect_format(&roads_label, &roads_bytes[..roads_bytes.len().min(64)])
        == InputFormat::OsmPbf;

    let osm_path = args
        .osm
        .clone()
        .or_else(|| roads_are_pbf.then(|| roads_path.to_path_buf()));
    let population = population_rule(&args.building_population)?;
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
    let roads_in_osm = roads_are_pbf && osm_path.as_deref() == Some(roads_path);
    let one_pass = osm_filters.len() + usize::from(roads_in_osm && !osm_filters.is_empty()) >= 2;
    let osm_flags: Vec<&str> = [
        (args.centers_osm.is_some(), "--centers-osm"),
        (args.demand_osm.is_some(), "--demand-osm"),
        (extra_osm_filter.is_some(), "--candidates-osm"),
    ]
    .into_iter()
    .filter_map(|(used, flag)| used.then_some(flag))
    .collect();
    let osm_label = osm_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let queries = |label: &str| -> Result<Vec<OsmPointQuery>> {
        osm_filters
            .iter()
            .map(|(filter, population)| query(label, filter, population.clone()))
            .collect()
    };
    let mut shared = if one_pass && roads_in_osm {
        Some(read_osm_layers(
            &roads_label,
            &roads_bytes,
            true,
            &queries(&roads_label)?,
            &limits,
        )?)
    } else {
        None
    };
    let roads = match shared.as_mut().and_then(|layers| layers.roads.take()) {
        Some(roads) => roads,
        None => read_roads(
            &roads_label,
            &roads_bytes,
            &roads_input.options(ReadOptions {
                input_crs: projections.roads.clone(),
                ..ReadOptions::with_limits(limits)
            }),
        )?,
    };

    let osm_bytes = match (&osm_path, !osm_flags.is_empty()) {
        (Some(path), true) if path == roads_path => Some(roads_bytes),
        (Some(path), true) => {
            files.push(path.clone());
            Some(read_file(path, &limits)?)
        }
        (None, true) => bail!(
            "{} read an OSM PBF: give one with --osm FILE (the roads file {roads_label} \
             is not a PBF)",
            osm_flags.join(" / ")
        ),
        _ => None,
    };
    if one_pass && shared.is_none() {
        let bytes = osm_bytes.as_deref().expect("checked above");
        shared = Some(read_osm_layers(
            &osm_label,
            bytes,
            false,
            &queries(&osm_label)?,
            &limits,
        )?);
    }
    // The shared pass's point layers, in `osm_filters` order (centers first).
    let mut shared_points = shared.map(|layers| layers.points.into_iter());

    let demand_options = ReadOptions {
        limits,
        // The default name is auto-detected (`population`, in CSV also `pop`).
        population_field: (args.population_field != "population")
            .then(|| args.population_field.clone()),
        spread_spacing_m: args.demand_spread_m,
        input_crs: projections.demand.clone(),
        ..ReadOptions::default()
    };
    // `--population-field` and spreading are about residents: centers and candidate
    // sites stand for one place each.
    let center_options = ReadOptions {
        spread_spacing_m: None,
        population_field: None,
        places: true,
        input_crs: projections.centers.clone(),
        ..demand_options.clone()
    };

    // A point layer comes from its own file, or from the OSM file by tag filter.
    let mut point_layer = |file: &Option<PathBuf>,
                           filter: &Option<String>,
                           options: &ReadOptions,
                           population: &PopulationEstimate,
                           missing: &str|
     -> Result<Layer<PointLayer>> {
        match (file, filter) {
            (Some(path), _) => {
                let mut input = ReadInput::read(path, &limits)?;
                files.extend(input.files.iter().cloned());
                let options = input.options(options.clone());
                let (label, bytes) = (input.label, input.bytes);
                let layer = read_points(&label, &bytes, &options).map_err(|e| {
                    if detect_format(&label, &bytes) == InputFormat::OsmPbf {
                        anyhow::anyhow!("{e} (--centers-osm / --demand-osm with --osm {label})")
                    } else {
                        e.into()
                    }
                })?;
                Ok(Layer::new(layer, label))
            }
            (None, Some(filter)) => {
                let layer = match shared_points.as_mut().and_then(Iterator::next) {
                    Some(layer) => layer,
                    None => {
                        let bytes = osm_bytes.as_deref().expect("checked above");
                        let options = ReadOptions::with_limits(limits)
                            .osm(TagFilter::parse(filter)?, population.clone());
                        read_points(&osm_label, bytes, &options)?
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
    let demand = match &args.demand_raster {
        Some(path) => {
            let options = RasterDemand {
                band: args.raster_band,
                spread_m: args.raster_spread_m,
                area_wgs84: Some(study_area(&roads, max_snap_m)?),
                fallback_crs: projections.demand.clone(),
                ..RasterDemand::default()
            };
            let label = path.display().to_string();
            let file =
                std::fs::File::open(path).with_context(|| format!("{label}: cannot read file"))?;
            let layer = read_raster_demand(&label, std::io::BufReader::new(file), &options)?;
            Layer::new(layer, label)
        }
        None => point_layer(
            &args.demand,
            &args.demand_osm,
            &demand_options,
            &population,
            "give residents with --demand FILE, --demand-osm FILTER or --demand-raster FILE",
        )?,
    };
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
    files.extend(args.demand_raster.iter().cloned());
    let units = match &args.units {
        Some(path) => {
            files.extend(super::input_files(std::slice::from_ref(path)));
            Some(read_units_file(path, &limits, projections.units.as_ref())?)
        }
        None => None,
    };
    // Each file counted once, however many layers read it.
    files.sort();
    files.dedup();
    let bytes_read = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    Ok(Inputs {
        layers: Layers {
            roads: Layer::new(roads, roads_label),
            centers,
            demand,
            units,
        },
        extra,
        bytes_read,
    })
}

/// The box of the roads (WGS84) widened by the snapping distance: every raster cell
/// whose people could reach the network lies in it.
fn study_area(roads: &RoadLayer, max_snap_m: f64) -> Result<[f64; 4]> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for [lon, lat] in roads.lines.iter().flat_map(|l| l.coords.iter().copied()) {
        b = [b[0].min(lon), b[1].min(lat), b[2].max(lon), b[3].max(lat)];
    }
    if !b.iter().all(|v| v.is_finite()) {
        bail!("--demand-raster: the roads hold no line, so there is no area to read the raster in");
    }
    // Metres per degree on the coverage contract's sphere; the margin errs wide.
    let m_per_deg = 6_371_008.8_f64.to_radians();
    let widest_lat = b[1].abs().max(b[3].abs()).min(89.0);
    let dlat = max_snap_m / m_per_deg;
    let dlon = max_snap_m / (m_per_deg * widest_lat.to_radians().cos());
    Ok([
        (b[0] - dlon).max(-180.0),
        (b[1] - dlat).max(-90.0),
        (b[2] + dlon).min(180.0),
        (b[3] + dlat).min(90.0),
    ])
}

/// Reporting units (or boundary polygons) from a polygons file; `projection` converts a
/// file that declares no coordinate system.
pub(crate) fn read_units_file(
    path: &Path,
    limits: &InputLimits,
    projection: Option<&Projection>,
) -> Result<Layer<UnitLayer>> {
    let mut input = ReadInput::read(path, limits)?;
    let options = input.options(ReadOptions {
        input_crs: projection.cloned(),
        ..ReadOptions::with_limits(*limits)
    });
    let layer = read_units(&input.label, &input.bytes, &options)?;
    Ok(Layer::new(layer, input.label))
}

/// Candidate sites from a points file, within the default limits; `projection` converts
/// a file that declares no coordinate system.
pub(crate) fn read_candidates_file(
    path: &Path,
    projection: Option<&Projection>,
) -> Result<Layer<PointLayer>> {
    let mut input = ReadInput::read(path, &InputLimits::default())?;
    let options = input.options(ReadOptions {
        input_crs: projection.cloned(),
        ..ReadOptions::default().as_places()
    });
    let layer = read_points(&input.label, &input.bytes, &options)?;
    Ok(Layer::new(layer, input.label))
}
