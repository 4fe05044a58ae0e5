//! OSM PBF readers: walkable highway ways and tag-filtered points of interest.
//!
//! Every reader decodes the file once ([`read_osm_pbf_layers`]): roads and any number of
//! point layers are collected in the same pass, then resolved against a compact table of
//! node locations.

use std::collections::BTreeMap;
use std::fmt;

use geo::{Contains, GeodesicArea, InteriorPoint, Winding};
use serde_json::{Map, Value};

use super::gzip::InputLimits;
use super::validate::{check_lon_lat, MAX_POPULATION};
use super::{PointFeature, PointLayer, RoadLayer, RoadLine, SkipCounts};
use crate::{Error, Result};

mod decode;
mod layers;
mod nodes;
mod ways;

pub(crate) use self::layers::read_osm_pbf_layers;
pub use self::layers::{OsmLayers, OsmPointQuery};
use self::nodes::NodeTable;
use self::ways::WayStore;

// ---------------------------------------------------------------------------------------------
// Roads

/// A walkable highway way waiting for its node locations.
struct PendingWay {
    way_index: usize,
    /// Position of the way's node list in the [`WayStore`].
    way: usize,
    tags: BTreeMap<String, String>,
}

/// An element matching the filter, waiting for the node locations of its geometry.
struct PendingElement {
    element_index: usize,
    osm_id: String,
    tags: Vec<(String, String)>,
    shape: PendingShape,
}

enum PendingShape {
    Node([f64; 2]),
    /// Position of the way's node list in the [`WayStore`].
    Way(usize),
    Relation {
        outer: Vec<i64>,
        inner: Vec<i64>,
    },
}

/// The geometry resolved for one element.
enum Resolved {
    Point([f64; 2]),
    Area(geo::MultiPolygon<f64>),
    Line(geo::LineString<f64>),
    /// A multipolygon that could not be assembled: first vertex of an outer way.
    Fallback([f64; 2]),
}

/// More `building:levels` than this is a mistake; such a tag counts as absent (1 level).
const MAX_LEVELS: f64 = 1000.0;

const NO_FOOTPRINT: &str = "defaulted: no footprint for floor-area population (counted 1)";
const NOT_ASSEMBLED: &str =
    "multipolygon not assembled (placed at the first vertex of an outer way)";

mod filter;
mod points;
mod roads;

pub use self::filter::{PopulationEstimate, TagFilter};
#[cfg(test)]
pub(crate) use self::points::read_points_osm_pbf;
pub(crate) use self::points::read_points_osm_pbf_with_limits;
pub use self::points::MIN_M2_PER_PERSON;
#[cfg(test)]
use self::points::{assemble_rings, leading_number};
use self::points::{resolve_points, PointScan};
#[cfg(test)]
pub(crate) use self::roads::read_roads_osm_pbf;
pub(crate) use self::roads::read_roads_osm_pbf_with_limits;
use self::roads::resolve_roads;

#[cfg(test)]
mod tests;
