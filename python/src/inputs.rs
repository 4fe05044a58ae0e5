//! Layers from what the Python side hands over: a file (every format core reads), bytes
//! it serialised (a GeoDataFrame, GeoJSON-like dicts), or points chosen by tag from an
//! OSM PBF. Sizes are checked before anything is read.

use std::io::Read;
use std::path::Path;

use lifecircle::crs::Projection;

use lifecircle::features::{PointLayer, RoadLayer, UnitLayer};
use lifecircle::input::{
    detect_format, read_osm_layers, InputFormat, InputLimits, OsmPointQuery, PopulationEstimate,
    TagFilter,
};
use lifecircle::{read_points, read_roads, read_units, Layer, ReadOptions};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::{Failure, Outcome};

/// One layer as the Python side describes it (`lifecircle/_layers.py` builds these).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct LayerSpec {
    /// How errors and reports name the layer: the path, or e.g. `centers (GeoDataFrame)`.
    label: String,
    /// A file to read.
    path: Option<String>,
    /// Bytes to read instead of a file.
    data: Option<Py<PyBytes>>,
    /// `geojson` or `csv` when the bytes' format must not be detected.
    format: Option<String>,
    /// Points of an OSM PBF chosen by this tag filter, e.g. `amenity=library`.
    osm_filter: Option<String>,
    /// Whom each OSM point stands for: `one`, `tag:KEY`, `area:M2_PER_PERSON`.
    population: Option<String>,
}

/// A layer's bytes, read while the interpreter is still held, for the background run.
pub(crate) struct LayerBytes {
    label: String,
    path: Option<String>,
    bytes: Vec<u8>,
    format: Option<InputFormat>,
    osm_filter: Option<String>,
    population: Option<String>,
    /// The layer of a file that holds several (`city.gpkg:roads`).
    layer_name: Option<String>,
    /// A Shapefile's `.dbf`, `.shx`, `.prj` and `.cpg` read beside its `.shp`.
    companions: Vec<(String, Vec<u8>)>,
    /// The system of a file that declares none (`crs="EPSG:4547"`).
    input_crs: Option<Projection>,
}

/// The companions of a Shapefile, by extension, in the order they are looked for.
const SHAPEFILE_COMPANIONS: [&str; 4] = ["dbf", "shx", "prj", "cpg"];

/// `path` as given: a file, or `FILE:LAYER` when `path` itself is no file but the part
/// before its last `:` is (as on the command line).
fn file_and_layer(path: &str) -> (String, Option<String>) {
    if !Path::new(path).exists() {
        if let Some((file, layer)) = path.rsplit_once(':') {
            if !layer.is_empty() && Path::new(file).is_file() {
                return (file.to_string(), Some(layer.to_string()));
            }
        }
    }
    (path.to_string(), None)
}

/// The companion files beside a `.shp` (any letter case), each `(name, bytes)`.
fn shapefile_companions(path: &str, limits: &InputLimits) -> Outcome<Vec<(String, Vec<u8>)>> {
    let path = Path::new(path);
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"))
    {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for extension in SHAPEFILE_COMPANIONS {
        let candidates = [
            path.with_extension(extension),
            path.with_extension(extension.to_ascii_uppercase()),
        ];
        if let Some(companion) = candidates.iter().find(|p| p.is_file()) {
            let name = companion
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push((name, read_file(&companion.to_string_lossy(), limits)?));
        }
    }
    Ok(found)
}

/// Reads a whole file, refusing one larger than `limits.max_bytes` before reading it
/// (and a pipe or growing file at one byte past the limit).
fn read_file(path: &str, limits: &InputLimits) -> Outcome<Vec<u8>> {
    let cannot = |e: std::io::Error| Failure::file(path, format!("cannot read file: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    if metadata.is_dir() {
        return Err(Failure::file(path, "is a folder, not a file"));
    }
    let limit = limits.max_bytes;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(Failure::file(
            path,
            format!("more than the limit of {limit} bytes (raise it with max_input_mb=)"),
        ));
    }
    Ok(bytes)
}

impl LayerSpec {
    /// The layer's bytes: the file read (with a Shapefile's companions, the layer after
    /// a `:` chosen), or the bytes given.
    pub(crate) fn load(&self, py: Python<'_>, limits: &InputLimits) -> Outcome<LayerBytes> {
        let (mut layer_name, mut companions) = (None, Vec::new());
        let bytes = match (&self.path, &self.data) {
            (Some(path), _) => {
                let (file, layer) = file_and_layer(path);
                layer_name = layer;
                companions = shapefile_companions(&file, limits)?;
                read_file(&file, limits)?
            }
            (None, Some(data)) => data.as_bytes(py).to_vec(),
            (None, None) => return Err(Failure::input(&self.label, "no file and no data given")),
        };
        let format = match self.format.as_deref() {
            None => None,
            Some("geojson") => Some(InputFormat::GeoJson),
            Some("csv") => Some(InputFormat::Csv),
            Some(other) => {
                return Err(Failure::parameter(
                    "format",
                    format!("`{other}`: expected geojson or csv"),
                ))
            }
        };
        Ok(LayerBytes {
            label: self.label.clone(),
            path: self.path.clone(),
            bytes,
            format,
            osm_filter: self.osm_filter.clone(),
            population: self.population.clone(),
            layer_name,
            companions,
            input_crs: None,
        })
    }
}

/// How points are read besides their bytes.
#[derive(Clone, Default)]
pub(crate) struct PointReading {
    pub(crate) population_field: Option<String>,
    pub(crate) spread_spacing_m: Option<f64>,
    /// Centers and candidate sites stand for places, not people.
    pub(crate) places: bool,
}

/// Roads, centers and residents.
pub(crate) type StudyLayers = (Layer<RoadLayer>, Layer<PointLayer>, Layer<PointLayer>);

/// Roads, centers and residents all from one OSM PBF (centers and residents chosen by
/// tag): read in one decoding pass, as the command line does, instead of three. `None`
/// when the layers do not come from one PBF that way.
pub(crate) fn read_one_osm_pass(
    roads: &LayerBytes,
    centers: &LayerBytes,
    demand: &LayerBytes,
    limits: InputLimits,
) -> Option<Outcome<StudyLayers>> {
    let same_file = roads.path.is_some() && centers.path == roads.path && demand.path == roads.path;
    let (Some(center_filter), Some(demand_filter)) = (&centers.osm_filter, &demand.osm_filter)
    else {
        return None;
    };
    let is_pbf = detect_format(&roads.label, &roads.bytes[..roads.bytes.len().min(64)])
        == InputFormat::OsmPbf;
    if !(same_file && is_pbf && roads.format.is_none()) {
        return None;
    }
    Some((|| {
        let query = |filter: &str, population: &Option<String>| -> Outcome<OsmPointQuery> {
            Ok(OsmPointQuery {
                layer: roads.label.clone(),
                filter: TagFilter::parse(filter)?,
                population: population_estimate(population.as_deref())?,
            })
        };
        let queries = [
            query(center_filter, &centers.population)?,
            query(demand_filter, &demand.population)?,
        ];
        let layers = read_osm_layers(&roads.label, &roads.bytes, true, &queries, &limits)?;
        let mut points = layers.points.into_iter();
        let (Some(road_layer), Some(center_layer), Some(demand_layer)) =
            (layers.roads, points.next(), points.next())
        else {
            unreachable!("roads and two point layers were asked for");
        };
        Ok((
            Layer::new(road_layer, roads.label.clone()),
            Layer::new(center_layer, format!("{} [{center_filter}]", centers.label)),
            Layer::new(demand_layer, format!("{} [{demand_filter}]", demand.label)),
        ))
    })())
}

/// Whom each OSM point stands for: `one` (the default), `tag:KEY`, `area:M2_PER_PERSON`.
fn population_estimate(spec: Option<&str>) -> Outcome<PopulationEstimate> {
    match spec {
        None => Ok(PopulationEstimate::One),
        Some(spec) => PopulationEstimate::parse(spec)
            .map_err(|reason| Failure::parameter("population", format!("{spec}: {reason}"))),
    }
}

impl LayerBytes {
    /// The same layer with `projection` as the system of a file that declares none.
    #[must_use]
    pub(crate) fn with_crs(mut self, projection: Option<Projection>) -> Self {
        self.input_crs = projection;
        self
    }

    fn options(&self, limits: InputLimits) -> ReadOptions {
        let mut options = ReadOptions::with_limits(limits).with_companions(self.companions.clone());
        options.format = self.format;
        options.layer_name = self.layer_name.clone();
        options.input_crs = self.input_crs.clone();
        options
    }

    /// Road lines.
    pub(crate) fn roads(
        &self,
        limits: InputLimits,
    ) -> Outcome<Layer<lifecircle::features::RoadLayer>> {
        let roads = read_roads(&self.label, &self.bytes, &self.options(limits))?;
        Ok(Layer::new(roads, self.label.clone()))
    }

    /// Points (centers, residents, candidate sites).
    pub(crate) fn points(
        &self,
        limits: InputLimits,
        reading: &PointReading,
    ) -> Outcome<Layer<PointLayer>> {
        let mut options = self.options(limits);
        options.population_field = reading.population_field.clone();
        options.spread_spacing_m = reading.spread_spacing_m;
        options.places = reading.places;
        let mut source = self.label.clone();
        if let Some(filter) = &self.osm_filter {
            let population = population_estimate(self.population.as_deref())?;
            options = options.osm(TagFilter::parse(filter)?, population);
            source = format!("{} [{filter}]", self.label);
        }
        let points = read_points(&self.label, &self.bytes, &options)?;
        Ok(Layer::new(points, source))
    }

    /// Reporting units or boundary polygons.
    pub(crate) fn units(&self, limits: InputLimits) -> Outcome<Layer<UnitLayer>> {
        let units = read_units(&self.label, &self.bytes, &self.options(limits))?;
        Ok(Layer::new(units, self.label.clone()))
    }
}
