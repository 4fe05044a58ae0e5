//! The features every stage shares: road lines, points (centers, residents, candidate
//! sites) and reporting units, the layers readers return with their skip counts, and the
//! id of a center.
//!
//! Readers in [`crate::input`] make them from files' bytes; they can as well be built
//! in memory with the constructors here:
//!
//! ```
//! use lifecircle::features::{PointFeature, RoadLine};
//! let road = RoadLine::new(vec![[0.0, 0.0], [0.001, 0.0]]).with_tag("highway", "footway");
//! let home = PointFeature::new("home", 0.0005, 0.0001).with_population(3.0);
//! assert_eq!(road.tags["highway"], "footway");
//! assert_eq!(home.population, 3.0);
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

/// A center's position in the centers given to a coverage run (0-based). Results,
/// what-ifs and plans name centers by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CenterId(pub u32);

impl CenterId {
    /// The position as an index.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id of the center at `index`.
    ///
    /// # Panics
    /// When `index` does not fit in 32 bits (more than 4 billion centers).
    pub fn at(index: usize) -> Self {
        CenterId(u32::try_from(index).expect("fewer than 2^32 centers"))
    }
}

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

    /// Total number of entries over all reasons, notes included.
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }

    /// Whether `reason` notes a feature that was kept (its id renamed, its population
    /// defaulted, its shape simplified) rather than one that was left out, or input that
    /// is no feature at all (`no feature:`, a raster's nodata and empty cells).
    pub fn is_note(reason: &str) -> bool {
        reason.starts_with("renamed:")
            || reason.starts_with("no feature:")
            || reason.starts_with("defaulted:")
            || reason.starts_with("multipolygon not assembled")
    }

    /// Features left out, over every reason that is not a note.
    pub fn dropped(&self) -> usize {
        self.0
            .iter()
            .filter(|(reason, _)| !Self::is_note(reason))
            .map(|(_, n)| n)
            .sum()
    }

    /// Features kept with a note ([`Self::is_note`]).
    pub fn noted(&self) -> usize {
        self.total() - self.dropped()
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
    /// The coordinate system the layer was reprojected from (`EPSG:4547`); `None` when
    /// the input was WGS84 longitude/latitude already.
    pub crs: Option<String>,
}

impl RoadLayer {
    /// Frees what nothing reads once the network is built: every line's vertices,
    /// heights, node ids and tags. The network keeps its own geometry and what the
    /// walking profiles read of the tags. The lines keep their count, order and source
    /// index, by which edges find their feature
    /// ([`crate::network::WalkNetwork::edge_source_line`]).
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
    /// The coordinate system the layer was reprojected from (`EPSG:4547`); `None` when
    /// the input was WGS84 longitude/latitude already.
    pub crs: Option<String>,
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
    /// The coordinate system the layer was reprojected from (`EPSG:4547`); `None` when
    /// the input was WGS84 longitude/latitude already.
    pub crs: Option<String>,
}

impl RoadLine {
    /// A line through `[lon, lat]` vertices (WGS84), without tags, heights or OSM ids.
    pub fn new(coords: Vec<[f64; 2]>) -> Self {
        Self {
            coords,
            elevations_m: None,
            osm_node_ids: None,
            tags: BTreeMap::new(),
            source_index: 0,
        }
    }

    /// The same line with one more tag (`highway`, `foot`, `access`, ...).
    #[must_use]
    pub fn with_tag(mut self, key: &str, value: &str) -> Self {
        self.tags.insert(key.to_string(), value.to_string());
        self
    }

    /// The same line with a height in metres at every vertex.
    #[must_use]
    pub fn with_elevations_m(mut self, elevations_m: Vec<f64>) -> Self {
        self.elevations_m = Some(elevations_m);
        self
    }

    /// The same line recorded as the `index`-th feature of its source.
    #[must_use]
    pub fn with_source_index(mut self, index: usize) -> Self {
        self.source_index = index;
        self
    }
}

impl PointFeature {
    /// The `name` property, when it is a non-empty string (OSM's `name` tag).
    pub fn name(&self) -> Option<&str> {
        self.properties
            .get("name")
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }

    /// A point at `lon, lat` (WGS84) standing for one person, without properties.
    pub fn new(id: impl Into<String>, lon: f64, lat: f64) -> Self {
        Self {
            id: id.into(),
            lon,
            lat,
            population: 1.0,
            properties: serde_json::Map::new(),
            source_index: 0,
        }
    }

    /// The same point standing for `population` people.
    #[must_use]
    pub fn with_population(mut self, population: f64) -> Self {
        self.population = population;
        self
    }

    /// The same point with one more property (`name`, `tier`, `services`, ...).
    #[must_use]
    pub fn with_property(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.properties.insert(key.to_string(), value.into());
        self
    }

    /// The same point recorded as the `index`-th feature of its source.
    #[must_use]
    pub fn with_source_index(mut self, index: usize) -> Self {
        self.source_index = index;
        self
    }

    /// `[lon, lat]`.
    pub fn lonlat(&self) -> [f64; 2] {
        [self.lon, self.lat]
    }
}

impl ReportingUnit {
    /// A unit with an id and its area (WGS84).
    pub fn new(id: impl Into<String>, geometry: geo::MultiPolygon<f64>) -> Self {
        Self {
            id: id.into(),
            name: None,
            geometry,
        }
    }

    /// The same unit with a display name.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

impl From<Vec<RoadLine>> for RoadLayer {
    fn from(lines: Vec<RoadLine>) -> Self {
        Self {
            lines,
            skipped: SkipCounts::default(),
            crs: None,
        }
    }
}

impl From<Vec<PointFeature>> for PointLayer {
    fn from(points: Vec<PointFeature>) -> Self {
        Self {
            points,
            skipped: SkipCounts::default(),
            crs: None,
        }
    }
}

impl From<Vec<ReportingUnit>> for UnitLayer {
    fn from(units: Vec<ReportingUnit>) -> Self {
        Self {
            units,
            skipped: SkipCounts::default(),
            crs: None,
        }
    }
}
