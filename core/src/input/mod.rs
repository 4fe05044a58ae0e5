//! Input stage: GeoJSON, OSM PBF and CSV bytes into typed features.
//!
//! Readers never touch files: callers pass text or bytes plus a `layer` label (usually the
//! file name) that every error and skip count names.

use std::collections::BTreeMap;

use serde::Serialize;

mod csv_points;
mod detect;
mod geojson;
mod gzip;
mod hgt;
mod osm;
mod validate;
mod walkable;

pub use self::csv_points::{read_points_csv, read_points_csv_with_limits, CsvOptions};
pub use self::detect::{
    detect_format, read_osm_layers_auto, read_points_auto, read_points_osm_auto, read_roads_auto,
    read_units_auto, utf8_text, InputFormat,
};
pub use self::geojson::{
    read_points_geojson, read_points_geojson_with_limits, read_roads_geojson,
    read_roads_geojson_with_limits, read_units_geojson, read_units_geojson_with_limits,
    PointOptions,
};
pub use self::gzip::{maybe_gunzip, maybe_gunzip_with_limits, InputLimits};
pub use self::hgt::{parse_hgt_name, Dem, HgtTile, HGT_VOID};
pub use self::osm::{
    read_osm_pbf_layers, read_points_osm_pbf, read_points_osm_pbf_with_limits, read_roads_osm_pbf,
    read_roads_osm_pbf_with_limits, OsmLayers, OsmPointQuery, PopulationEstimate, TagFilter,
};
pub use self::walkable::is_walkable;

/// Counts of input features that were skipped, keyed by reason.
///
/// Skipping is never silent: every skipped feature increments exactly one reason here,
/// and the CLI writes these counts into `summary.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SkipCounts(pub BTreeMap<String, usize>);

impl SkipCounts {
    /// Adds `count` skips for `reason`.
    pub fn add(&mut self, reason: impl Into<String>, count: usize) {
        if count > 0 {
            *self.0.entry(reason.into()).or_insert(0) += count;
        }
    }

    /// Total number of skipped features over all reasons.
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }

    /// Merges another set of counts into this one.
    pub fn merge(&mut self, other: &SkipCounts) {
        for (reason, count) in &other.0 {
            self.add(reason.clone(), *count);
        }
    }
}

/// One walkable road line (a GeoJSON LineString or an OSM way, or a piece of one).
#[derive(Debug, Clone, PartialEq)]
pub struct RoadLine {
    /// Vertices as WGS84 `[lon, lat]`; at least two.
    pub coords: Vec<[f64; 2]>,
    /// Elevation in metres for every vertex, when the source had z coordinates.
    pub elevations_m: Option<Vec<f64>>,
    /// OSM node ids of the vertices, when the source is OSM. Used instead of rounded
    /// coordinates to decide which vertices are shared between lines.
    pub osm_node_ids: Option<Vec<i64>>,
    /// Tags (GeoJSON properties rendered as strings, or OSM tags).
    pub tags: BTreeMap<String, String>,
    /// Index of the source feature (GeoJSON feature index, or OSM way order).
    pub source_index: usize,
}

/// The walkable road lines of one input plus what was skipped and why.
#[derive(Debug, Clone, Default)]
pub struct RoadLayer {
    /// Walkable lines, in input order.
    pub lines: Vec<RoadLine>,
    /// Features left out, by reason (not walkable, wrong geometry type, ...).
    pub skipped: SkipCounts,
}

impl RoadLayer {
    /// Frees what nothing reads once the network is built: every line's vertices,
    /// heights, node ids and tags. The network keeps its own geometry and what the
    /// walking profiles read of the tags. The lines keep their count, order and source
    /// index, by which edges find their feature
    /// ([`crate::WalkNetwork::edge_source_line`]).
    pub fn release_after_build(&mut self) {
        for line in &mut self.lines {
            line.coords = Vec::new();
            line.elevations_m = None;
            line.osm_node_ids = None;
            line.tags = BTreeMap::new();
        }
        self.lines.shrink_to_fit();
    }
}

/// A point feature: a service center, a resident (demand point) or a candidate site.
#[derive(Debug, Clone, PartialEq)]
pub struct PointFeature {
    /// Identifier: the feature's `id` property, else its GeoJSON/OSM id, else its index.
    pub id: String,
    /// WGS84 longitude in degrees.
    pub lon: f64,
    /// WGS84 latitude in degrees.
    pub lat: f64,
    /// Population this point stands for (1 when the input has none).
    pub population: f64,
    /// The remaining properties, kept for tiers, services and output.
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// Index of the source feature the point came from.
    pub source_index: usize,
}

/// Points read from one input plus what was skipped and why.
#[derive(Debug, Clone, Default)]
pub struct PointLayer {
    /// Points, in input order (a polygon spread over a grid gives several, in row order).
    pub points: Vec<PointFeature>,
    /// Features left out, by reason.
    pub skipped: SkipCounts,
}

/// A reporting unit: a community, a sub-district or a grid cell.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportingUnit {
    /// Identifier (`id` property, else feature id, else index).
    pub id: String,
    /// Display name (`name` property) when present.
    pub name: Option<String>,
    /// The unit's area in WGS84.
    pub geometry: geo::MultiPolygon<f64>,
}

/// Reporting units read from one input plus what was skipped and why.
#[derive(Debug, Clone, Default)]
pub struct UnitLayer {
    /// Units, in input order.
    pub units: Vec<ReportingUnit>,
    /// Features left out, by reason.
    pub skipped: SkipCounts,
}
