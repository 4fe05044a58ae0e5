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

pub use self::layers::{read_osm_pbf_layers, OsmLayers, OsmPointQuery};
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

/// Reads walkable road lines from an OSM PBF file (design §3 "Network from OSM").
///
/// Ways with a `highway` tag that pass [`is_walkable`](super::is_walkable) become [`RoadLine`]s with
/// `osm_node_ids` set and the way's tags; `source_index` is the way's position among all
/// ways of the file. Ways without `highway` are not roads and not counted. Repeated
/// consecutive node references are merged.
///
/// Extracts cut by a bounding box hold ways whose nodes are partly missing. Such a way is
/// split into the runs of consecutive nodes that have locations: runs of 2 or more nodes are
/// kept (all with the way's `source_index`) and the way is counted under
/// `"way with missing node locations (split)"`; each single-node run is counted under
/// `"way piece with fewer than 2 node locations (dropped)"`; a way with no run left is
/// skipped as `"way without 2 consecutive node locations"`.
///
/// The file is decoded once, block by block ([`read_osm_pbf_layers`]); memory holds the
/// walkable ways and a 16-byte location per node of the file, never a decoded file.
///
/// # Errors
/// [`Error::Parse`] for a corrupt, truncated or non-PBF input; [`Error::Feature`] (index =
/// way position) for a node outside the WGS84 range; [`Error::TooLarge`] past the default
/// [`InputLimits`].
pub fn read_roads_osm_pbf(layer: &str, bytes: &[u8]) -> Result<RoadLayer> {
    read_roads_osm_pbf_with_limits(layer, bytes, &InputLimits::default())
}

/// [`read_roads_osm_pbf`] with explicit limits.
///
/// # Errors
/// As [`read_roads_osm_pbf`].
pub fn read_roads_osm_pbf_with_limits(
    layer: &str,
    bytes: &[u8],
    limits: &InputLimits,
) -> Result<RoadLayer> {
    let layers = read_osm_pbf_layers(bytes, Some(layer), &[], limits)?;
    Ok(layers.roads.unwrap_or_default())
}

/// Turns the walkable ways of a scan into road lines (see [`read_roads_osm_pbf`]).
fn resolve_roads(
    layer: &str,
    pending: Vec<PendingWay>,
    skipped: SkipCounts,
    nodes: &NodeTable,
    ways: &WayStore,
    limits: &InputLimits,
) -> Result<RoadLayer> {
    limits.check_features(layer, pending.len())?;
    let mut roads = RoadLayer {
        lines: Vec::new(),
        skipped,
    };
    for mut way in pending {
        let mut refs = ways.refs(way.way).to_vec();
        refs.dedup();
        let mut runs: Vec<(Vec<i64>, Vec<[f64; 2]>)> = Vec::new();
        let mut ids = Vec::with_capacity(refs.len());
        let mut coords = Vec::with_capacity(refs.len());
        let mut dropped_pieces = 0;
        let mut missing = false;
        for &node in &refs {
            if let Some(location) = nodes.checked(layer, way.way_index, node)? {
                ids.push(node);
                coords.push(location);
                continue;
            }
            missing = true;
            match ids.len() {
                0 => {}
                1 => dropped_pieces += 1,
                _ => runs.push((std::mem::take(&mut ids), std::mem::take(&mut coords))),
            }
            ids.clear();
            coords.clear();
        }
        match ids.len() {
            0 => {}
            1 if missing => dropped_pieces += 1,
            1 => {}
            _ => runs.push((ids, coords)),
        }
        roads.skipped.add(
            "way piece with fewer than 2 node locations (dropped)",
            dropped_pieces,
        );
        if runs.is_empty() {
            roads.skipped.add(
                if missing {
                    "way without 2 consecutive node locations"
                } else {
                    "way with fewer than 2 distinct nodes"
                },
                1,
            );
            continue;
        }
        if missing {
            roads
                .skipped
                .add("way with missing node locations (split)", 1);
        }
        let mut runs = runs.into_iter().peekable();
        while let Some((ids, coords)) = runs.next() {
            // The last piece takes the way's tags; earlier pieces of a split way copy them.
            let tags = if runs.peek().is_some() {
                way.tags.clone()
            } else {
                std::mem::take(&mut way.tags)
            };
            roads.lines.push(RoadLine {
                coords,
                elevations_m: None,
                osm_node_ids: Some(ids),
                tags,
                source_index: way.way_index,
            });
        }
        limits.check_features(layer, roads.lines.len())?;
    }
    Ok(roads)
}

// ---------------------------------------------------------------------------------------------
// Tag filter

/// One `key` or `key=v1|v2` alternative of a [`TagFilter`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct TagCondition {
    key: String,
    /// `None`: any value except `no`.
    values: Option<Vec<String>>,
}

/// Which OSM elements count as points of interest, e.g. `amenity=community_centre|library`.
///
/// A spec is one or more alternatives separated by `,` or `;`; an element matches when any
/// alternative does. An alternative is
/// - `key` or `key=*`: the tag is present with any value except `no`
///   (so `building` leaves out `building=no`);
/// - `key=v1|v2|...`: the tag has one of the listed values.
///
/// ```
/// use std::collections::BTreeMap;
/// use lifecircle::input::TagFilter;
///
/// let filter = TagFilter::parse("amenity=community_centre|library, building").unwrap();
/// let tags = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
/// assert!(filter.matches(&tags("amenity", "library")));
/// assert!(filter.matches(&tags("building", "yes")));
/// assert!(!filter.matches(&tags("building", "no")));
/// assert!(!filter.matches(&tags("amenity", "school")));
/// assert_eq!(filter.to_string(), "amenity=community_centre|library, building");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFilter {
    spec: String,
    conditions: Vec<TagCondition>,
}

impl TagFilter {
    /// Parses a filter spec (see [`TagFilter`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (named `tag filter`) for an empty spec, an empty key or
    /// an empty value.
    pub fn parse(spec: &str) -> Result<TagFilter> {
        let invalid = |reason: String| Error::InvalidParameter {
            name: "tag filter".to_string(),
            reason,
        };
        let mut conditions = Vec::new();
        for alternative in spec.split([',', ';']).map(str::trim) {
            if alternative.is_empty() {
                continue;
            }
            let (key, values) = match alternative.split_once('=') {
                None => (alternative, None),
                Some((key, values)) => (key.trim(), Some(values.trim())),
            };
            if key.is_empty() {
                return Err(invalid(format!("`{alternative}` has no key")));
            }
            let values = match values {
                None | Some("*") => None,
                Some(values) => {
                    let list: Vec<String> =
                        values.split('|').map(|v| v.trim().to_string()).collect();
                    if list.iter().any(String::is_empty) {
                        return Err(invalid(format!("`{alternative}` has an empty value")));
                    }
                    Some(list)
                }
            };
            conditions.push(TagCondition {
                key: key.to_string(),
                values,
            });
        }
        if conditions.is_empty() {
            return Err(invalid(format!(
                "`{spec}` names no tag; expected e.g. `amenity=library|school` or `building`"
            )));
        }
        Ok(TagFilter {
            spec: spec.trim().to_string(),
            conditions,
        })
    }

    /// Whether an element with these tags matches.
    pub fn matches(&self, tags: &BTreeMap<String, String>) -> bool {
        self.matches_pairs(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Whether an element with these `(key, value)` pairs matches; avoids building a map.
    pub fn matches_pairs<'a>(&self, tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> bool {
        tags.into_iter().any(|(key, value)| {
            self.conditions
                .iter()
                .any(|condition| condition.key == key && condition.accepts(value))
        })
    }
}

impl TagCondition {
    fn accepts(&self, value: &str) -> bool {
        match &self.values {
            None => value != "no",
            Some(values) => values.iter().any(|v| v == value),
        }
    }
}

impl fmt::Display for TagFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spec)
    }
}

// ---------------------------------------------------------------------------------------------
// Points of interest

/// How many people an OSM point of interest stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum PopulationEstimate {
    /// Every element is 1 (centers, candidate sites).
    One,
    /// The numeric value of a tag, e.g. `population`. An element without the tag, or with a
    /// value that is not a non-negative number up to 10¹², counts 1 and is counted in `skipped` under a
    /// key starting with `defaulted:` (the point itself is kept).
    FromTag {
        /// Tag key.
        key: String,
    },
    /// Residents estimated from building floor area: geodesic footprint area (m²) ×
    /// `building:levels` (leading number of the tag, default 1; more than 1000 counts as
    /// absent) ÷ `m2_per_person`, rounded
    /// to 2 decimals, with no minimum (a small shed may be 0.3 people). Elements without a
    /// footprint (nodes, open ways, multipolygons that could not be assembled) count 1,
    /// counted under a `defaulted:` key.
    FloorArea {
        /// Floor area per resident in m² (must be positive).
        m2_per_person: f64,
    },
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

/// Reads points of interest (service centers, candidate sites, buildings as residents) from
/// an OSM PBF file.
///
/// Elements whose tags match `filter` become points:
/// - **nodes**: at the node;
/// - **closed ways** (first node = last, at least 4 references): a point inside the
///   polygon ([`geo::InteriorPoint`]);
/// - **open ways**: the inner vertex nearest the line's centroid (a point on the line);
/// - **relations** tagged `type=multipolygon` or `type=boundary`: outer member ways are
///   chained end to end into rings (inner ways into holes) and a point inside is taken; when
///   assembly fails (missing members or rings that do not close) the first vertex of the
///   first outer way whose nodes are all present is used and counted under
///   `"multipolygon not assembled (...)"`. Other relation types are skipped.
///
/// Ways and relations whose nodes are missing from the file are skipped and counted. Output
/// order is nodes, then ways, then relations, each in file order; `source_index` is the
/// element's position in the file (all element kinds counted together). The id is
/// `node/<id>`, `way/<id>` or `relation/<id>`; properties are the tags as strings plus
/// `osm_type`.
///
/// # Errors
/// [`Error::Parse`] for a corrupt, truncated or non-PBF input; [`Error::Feature`] (index =
/// element position) for a node outside the WGS84 range; [`Error::InvalidParameter`] for a
/// non-positive `m2_per_person`; [`Error::TooLarge`] past the default [`InputLimits`].
pub fn read_points_osm_pbf(
    layer: &str,
    bytes: &[u8],
    filter: &TagFilter,
    population: &PopulationEstimate,
) -> Result<PointLayer> {
    read_points_osm_pbf_with_limits(layer, bytes, filter, population, &InputLimits::default())
}

/// [`read_points_osm_pbf`] with explicit limits.
///
/// # Errors
/// As [`read_points_osm_pbf`].
pub fn read_points_osm_pbf_with_limits(
    layer: &str,
    bytes: &[u8],
    filter: &TagFilter,
    population: &PopulationEstimate,
    limits: &InputLimits,
) -> Result<PointLayer> {
    let query = OsmPointQuery {
        layer: layer.to_string(),
        filter: filter.clone(),
        population: population.clone(),
    };
    let layers = read_osm_pbf_layers(bytes, None, std::slice::from_ref(&query), limits)?;
    Ok(layers.points.into_iter().next().unwrap_or_default())
}

impl PopulationEstimate {
    /// [`Error::InvalidParameter`] for a non-positive `m2_per_person`.
    fn validate(&self) -> Result<()> {
        if let PopulationEstimate::FloorArea { m2_per_person } = self {
            if !(m2_per_person.is_finite() && *m2_per_person > 0.0) {
                return Err(Error::InvalidParameter {
                    name: "m2_per_person".to_string(),
                    reason: format!("must be a positive area in m², got {m2_per_person}"),
                });
            }
        }
        Ok(())
    }
}

/// The elements of one point layer found by a scan, each kind in file order.
#[derive(Default)]
struct PointScan {
    nodes: Vec<PendingElement>,
    ways: Vec<PendingElement>,
    relations: Vec<PendingElement>,
    skipped: SkipCounts,
}

/// Turns the elements of a scan into points (see [`read_points_osm_pbf`]).
fn resolve_points(
    query: &OsmPointQuery,
    scan: PointScan,
    locations: &NodeTable,
    ways: &WayStore,
    limits: &InputLimits,
) -> Result<PointLayer> {
    let layer = query.layer.as_str();
    let PointScan {
        nodes,
        ways: pending_ways,
        relations,
        skipped,
    } = scan;
    limits.check_features(layer, nodes.len() + pending_ways.len() + relations.len())?;
    let mut out = PointLayer {
        points: Vec::new(),
        skipped,
    };
    for element in nodes.into_iter().chain(pending_ways).chain(relations) {
        let index = element.element_index;
        let (resolved, osm_type) = match &element.shape {
            PendingShape::Node([lon, lat]) => {
                check_lon_lat(*lon, *lat).map_err(|e| Error::Feature {
                    layer: layer.to_string(),
                    index,
                    reason: format!("{} {e}", element.osm_id),
                })?;
                (Ok(Resolved::Point([*lon, *lat])), "node")
            }
            PendingShape::Way(position) => (
                resolve_way(layer, index, ways.refs(*position), locations)?,
                "way",
            ),
            PendingShape::Relation { outer, inner } => (
                resolve_relation(layer, index, outer, inner, ways, locations)?,
                "relation",
            ),
        };
        let resolved = match resolved {
            Ok(resolved) => resolved,
            Err(reason) => {
                out.skipped.add(reason, 1);
                continue;
            }
        };
        if matches!(resolved, Resolved::Fallback(_)) {
            out.skipped.add(NOT_ASSEMBLED, 1);
        }
        out.points.push(make_point(
            index,
            element.osm_id,
            osm_type,
            element.tags,
            &resolved,
            &query.population,
            &mut out.skipped,
        ));
    }
    Ok(out)
}
/// Locations of all nodes of a way, `Ok(None)` if any is missing.
fn way_coords(
    layer: &str,
    index: usize,
    refs: &[i64],
    locations: &NodeTable,
) -> Result<Option<Vec<geo::Coord<f64>>>> {
    let mut coords = Vec::with_capacity(refs.len());
    for &node in refs {
        match locations.checked(layer, index, node)? {
            Some([lon, lat]) => coords.push(geo::coord! { x: lon, y: lat }),
            None => return Ok(None),
        }
    }
    Ok(Some(coords))
}

type Resolution = Result<Result<Resolved, &'static str>>;

fn resolve_way(layer: &str, index: usize, refs: &[i64], locations: &NodeTable) -> Resolution {
    if refs.is_empty() {
        return Ok(Err("way without nodes"));
    }
    let Some(coords) = way_coords(layer, index, refs, locations)? else {
        return Ok(Err("way with missing node locations"));
    };
    let closed = refs.len() >= 4 && refs.first() == refs.last();
    let line = geo::LineString::new(coords);
    Ok(Ok(if closed {
        Resolved::Area(geo::MultiPolygon::new(vec![geo::Polygon::new(
            line,
            vec![],
        )]))
    } else {
        Resolved::Line(line)
    }))
}

fn resolve_relation(
    layer: &str,
    index: usize,
    outer: &[i64],
    inner: &[i64],
    member_ways: &WayStore,
    locations: &NodeTable,
) -> Resolution {
    let member_refs = |ids: &[i64]| -> Option<Vec<Vec<i64>>> {
        ids.iter()
            .map(|id| member_ways.find(*id).map(<[i64]>::to_vec))
            .collect()
    };
    let outer_rings = member_refs(outer).and_then(assemble_rings);
    let rings_coords = |rings: Vec<Vec<i64>>| -> Result<Option<Vec<geo::LineString<f64>>>> {
        let mut lines = Vec::with_capacity(rings.len());
        for ring in rings {
            match way_coords(layer, index, &ring, locations)? {
                Some(coords) => lines.push(geo::LineString::new(coords)),
                None => return Ok(None),
            }
        }
        Ok(Some(lines))
    };
    let outers = match outer_rings {
        Some(rings) if !rings.is_empty() => rings_coords(rings)?,
        _ => None,
    };
    if let Some(outers) = outers {
        // Holes are optional for placing a point: rings that fail to assemble are left out.
        let inners = match member_refs(inner).and_then(assemble_rings) {
            Some(rings) => rings_coords(rings)?.unwrap_or_default(),
            None => Vec::new(),
        };
        let mut polygons: Vec<geo::Polygon<f64>> = outers
            .into_iter()
            .map(|exterior| geo::Polygon::new(exterior, vec![]))
            .collect();
        for hole in inners {
            let Some(first) = hole.0.first().copied() else {
                continue;
            };
            if let Some(polygon) = polygons
                .iter_mut()
                .find(|p| p.contains(&geo::Point::from(first)))
            {
                polygon.interiors_push(hole);
            }
        }
        return Ok(Ok(Resolved::Area(geo::MultiPolygon::new(polygons))));
    }
    // Fallback: the first vertex of the first outer way whose nodes are all present.
    for id in outer {
        let Some(refs) = member_ways.find(*id) else {
            continue;
        };
        if let Some(coords) = way_coords(layer, index, refs, locations)? {
            if let Some(first) = coords.first() {
                return Ok(Ok(Resolved::Fallback([first.x, first.y])));
            }
        }
    }
    Ok(Err("relation without resolvable outer ways"))
}

/// Chains ways (node id lists) end to end into closed rings; `None` if some ring stays open.
fn assemble_rings(mut ways: Vec<Vec<i64>>) -> Option<Vec<Vec<i64>>> {
    ways.retain(|w| w.len() >= 2);
    let mut rings = Vec::new();
    while !ways.is_empty() {
        let mut ring = ways.remove(0);
        while ring.first() != ring.last() {
            let end = *ring.last()?;
            let next = ways
                .iter()
                .position(|w| w.first() == Some(&end) || w.last() == Some(&end))?;
            let mut way = ways.remove(next);
            if way.first() != Some(&end) {
                way.reverse();
            }
            ring.extend_from_slice(&way[1..]);
        }
        if ring.len() < 4 {
            return None;
        }
        rings.push(ring);
    }
    Some(rings)
}

fn make_point(
    index: usize,
    osm_id: String,
    osm_type: &str,
    tags: Vec<(String, String)>,
    resolved: &Resolved,
    estimate: &PopulationEstimate,
    skipped: &mut SkipCounts,
) -> PointFeature {
    let (location, footprint) = match resolved {
        Resolved::Point(p) | Resolved::Fallback(p) => (Some(*p), None),
        Resolved::Line(line) => (line.interior_point().map(|p| [p.x(), p.y()]), None),
        Resolved::Area(area) => (area.interior_point().map(|p| [p.x(), p.y()]), Some(area)),
    };
    // An interior point exists for any non-empty geometry; the first vertex is a safe stand-in.
    let [lon, lat] = location.unwrap_or_else(|| first_vertex(resolved));
    let population = match estimate {
        PopulationEstimate::One => 1.0,
        PopulationEstimate::FromTag { key } => {
            let value = tags
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| v.trim().parse::<f64>().ok())
                .filter(|p| p.is_finite() && *p >= 0.0 && *p <= MAX_POPULATION);
            value.unwrap_or_else(|| {
                skipped.add(
                    format!("defaulted: `{key}` tag missing or not a number (counted 1)"),
                    1,
                );
                1.0
            })
        }
        PopulationEstimate::FloorArea { m2_per_person } => match footprint {
            Some(area) => {
                let levels = tags
                    .iter()
                    .find(|(k, _)| k == "building:levels")
                    .and_then(|(_, v)| leading_number(v))
                    .filter(|levels| *levels > 0.0 && *levels <= MAX_LEVELS)
                    .unwrap_or(1.0);
                let people = footprint_m2(area) * levels / m2_per_person;
                (people * 100.0).round() / 100.0
            }
            None => {
                skipped.add(NO_FOOTPRINT, 1);
                1.0
            }
        },
    };
    let mut properties: Map<String, Value> = tags
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    properties.insert("osm_type".to_string(), Value::String(osm_type.to_string()));
    PointFeature {
        id: osm_id,
        lon,
        lat,
        population,
        properties,
        source_index: index,
    }
}

/// Geodesic area of the outer rings minus the holes.
///
/// OSM rings have no set winding, and the geodesic area of a clockwise ring is the rest of
/// the globe, so every ring is made counter-clockwise first.
fn footprint_m2(area: &geo::MultiPolygon<f64>) -> f64 {
    let ring_m2 = |ring: &geo::LineString<f64>| {
        let mut ring = ring.clone();
        ring.make_ccw_winding();
        geo::Polygon::new(ring, vec![]).geodesic_area_unsigned()
    };
    area.iter()
        .map(|polygon| {
            let holes_m2: f64 = polygon.interiors().iter().map(ring_m2).sum();
            (ring_m2(polygon.exterior()) - holes_m2).max(0.0)
        })
        .sum()
}

fn first_vertex(resolved: &Resolved) -> [f64; 2] {
    use geo::CoordsIter;
    let first = match resolved {
        Resolved::Point(p) | Resolved::Fallback(p) => return *p,
        Resolved::Line(line) => line.coords_iter().next(),
        Resolved::Area(area) => area.coords_iter().next(),
    };
    first.map_or([0.0, 0.0], |c| [c.x, c.y])
}

/// The number a tag value starts with: `"3"`, `"2.5"`, `"4;5"` → 4, `"3 floors"` → 3.
fn leading_number(value: &str) -> Option<f64> {
    let value = value.trim();
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    value[..end].parse().ok()
}

#[cfg(test)]
mod tests;
