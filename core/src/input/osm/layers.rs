//! One decoding pass over a PBF for roads and any number of tag-filtered point layers.

use osmpbf::{Element, RelMemberType};

use super::decode::{element_tags, for_each_element, tag_map, way_refs};
use super::{
    resolve_points, resolve_roads, NodeTable, PendingElement, PendingShape, PendingWay, PointScan,
    PopulationEstimate, TagFilter, WayStore,
};
use crate::features::{PointLayer, RoadLayer, SkipCounts};
use crate::input::gzip::InputLimits;
use crate::input::walkable::is_walkable;
use crate::Result;

/// One point layer to read from an OSM PBF: which elements, and whom each stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmPointQuery {
    /// Label that errors and skip counts of this layer name (usually the file name).
    pub layer: String,
    /// Which elements become points.
    pub filter: TagFilter,
    /// How many people each point stands for.
    pub population: PopulationEstimate,
}

/// Layers read from one OSM PBF by [`crate::input::read_osm_layers`].
#[derive(Debug, Clone, Default)]
pub struct OsmLayers {
    /// The walkable roads, when they were asked for.
    pub roads: Option<RoadLayer>,
    /// One point layer per query, in query order.
    pub points: Vec<PointLayer>,
}

/// Reads roads (when `roads` names their layer label) and every point layer of `points`
/// from one OSM PBF, decoding the file once.
///
/// Each layer equals what its own reader returns — [`read_roads_osm_pbf`] for the roads,
/// [`read_points_osm_pbf`] for each query: the same features, skip counts and errors,
/// each naming that layer's label. Checks run in layer order (roads, then the queries),
/// so the first error is the one the separate readers called in that order would give;
/// a file that does not decode is named by the first layer.
///
/// Memory: blocks are decoded one at a time. The pass keeps a 16-byte location for every
/// node of the file (ways usually follow the nodes they use, so which nodes are needed is
/// known only at the end), the node lists of the walkable ways — of every way when a
/// point layer is asked for, since its relations may use any — and the matching
/// elements with their tags.
///
/// Complexity: O(E + N log N) for E elements and N nodes (the sort is skipped for an
/// id-sorted file), plus O(log N) per node reference resolved.
///
/// ```
/// use lifecircle::input::{read_osm_layers, InputLimits, OsmPointQuery, PopulationEstimate, TagFilter};
/// use lifecircle::{read_roads, ReadOptions};
/// let pbf = include_bytes!("../../../../data/monaco.osm.pbf");
/// let query = OsmPointQuery {
///     layer: "monaco.osm.pbf".to_string(),
///     filter: TagFilter::parse("building").unwrap(),
///     population: PopulationEstimate::One,
/// };
/// let layers =
///     read_osm_layers("monaco.osm.pbf", pbf, true, &[query], &InputLimits::default()).unwrap();
/// let roads = layers.roads.unwrap();
/// let alone = read_roads("monaco.osm.pbf", pbf, &ReadOptions::default()).unwrap();
/// assert_eq!(roads.lines, alone.lines);
/// assert!(!layers.points[0].points.is_empty());
/// ```
///
/// [`read_roads_osm_pbf`]: super::read_roads_osm_pbf
/// [`read_points_osm_pbf`]: super::read_points_osm_pbf
///
/// # Errors
/// As the separate readers: [`crate::Error::Parse`] for a corrupt, truncated or non-PBF
/// input; [`crate::Error::Feature`] for a node outside the WGS84 range;
/// [`crate::Error::InvalidParameter`] for a non-positive `m2_per_person`;
/// [`crate::Error::TooLarge`] past `limits`.
pub(crate) fn read_osm_pbf_layers(
    bytes: &[u8],
    roads: Option<&str>,
    points: &[OsmPointQuery],
    limits: &InputLimits,
) -> Result<OsmLayers> {
    if let Some(layer) = roads {
        limits.check_bytes(layer, bytes.len())?;
    }
    for query in points {
        query.population.validate()?;
        limits.check_bytes(&query.layer, bytes.len())?;
    }
    let Some(file_label) = roads.or(points.first().map(|q| q.layer.as_str())) else {
        return Ok(OsmLayers::default());
    };
    let mut scan = Scan::new(roads.is_some(), points);
    for_each_element(file_label, bytes, |element| scan.visit(&element))?;

    let Scan {
        mut nodes,
        mut ways,
        roads: road_scan,
        points: point_scans,
        ..
    } = scan;
    nodes.finish();
    if point_scans.iter().any(|p| !p.relations.is_empty()) {
        ways.index_ids();
    }
    let roads = match (roads, road_scan) {
        (Some(layer), Some((pending, skipped))) => Some(resolve_roads(
            layer, pending, skipped, &nodes, &ways, limits,
        )?),
        _ => None,
    };
    let points = points
        .iter()
        .zip(point_scans)
        .map(|(query, found)| resolve_points(query, found, &nodes, &ways, limits))
        .collect::<Result<_>>()?;
    Ok(OsmLayers { roads, points })
}

/// What one pass collects for every layer.
struct Scan<'q> {
    queries: &'q [OsmPointQuery],
    /// Position among all elements of the file (`source_index` of points).
    element_index: usize,
    /// Position among the ways of the file (`source_index` of roads).
    way_index: usize,
    nodes: NodeTable,
    ways: WayStore,
    roads: Option<(Vec<PendingWay>, SkipCounts)>,
    points: Vec<PointScan>,
}

impl<'q> Scan<'q> {
    fn new(roads: bool, queries: &'q [OsmPointQuery]) -> Self {
        Self {
            queries,
            element_index: 0,
            way_index: 0,
            nodes: NodeTable::default(),
            ways: WayStore::default(),
            roads: roads.then(Default::default),
            points: queries.iter().map(|_| PointScan::default()).collect(),
        }
    }

    fn visit(&mut self, element: &Element<'_>) {
        let index = self.element_index;
        self.element_index += 1;
        let mut stored_way = None;
        match element {
            Element::Node(node) => self.nodes.push(node.id(), node.nano_lon(), node.nano_lat()),
            Element::DenseNode(node) => {
                self.nodes.push(node.id(), node.nano_lon(), node.nano_lat());
            }
            Element::Way(way) => {
                let way_index = self.way_index;
                self.way_index += 1;
                // A relation of a point layer may use any way: keep them all then.
                if !self.queries.is_empty() {
                    stored_way = Some(self.ways.push(way.id(), way_refs(way)));
                }
                if let Some((pending, skipped)) = &mut self.roads {
                    if way.tags().any(|(key, _)| key == "highway") {
                        let tags = tag_map(&element_tags(element));
                        match is_walkable(&tags) {
                            Err(reason) => skipped.add(reason, 1),
                            Ok(()) => pending.push(PendingWay {
                                way_index,
                                way: *stored_way
                                    .get_or_insert_with(|| self.ways.push(way.id(), way_refs(way))),
                                tags,
                            }),
                        }
                    }
                }
            }
            Element::Relation(_) => {}
        }
        if self.queries.is_empty() {
            return;
        }
        let tags = element_tags(element);
        for (query, found) in self.queries.iter().zip(&mut self.points) {
            if query.filter.matches_pairs(tags.iter().copied()) {
                found.add(index, element, &tags, stored_way);
            }
        }
    }
}

impl PointScan {
    /// Keeps an element that matches the layer's filter; `stored_way` is the position of a
    /// way's node list in the [`WayStore`].
    fn add(
        &mut self,
        index: usize,
        element: &Element<'_>,
        tags: &[(&str, &str)],
        stored_way: Option<usize>,
    ) {
        let owned_tags = || -> Vec<(String, String)> {
            tags.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        match element {
            Element::Node(node) => self.nodes.push(PendingElement {
                element_index: index,
                osm_id: format!("node/{}", node.id()),
                tags: owned_tags(),
                shape: PendingShape::Node([node.lon(), node.lat()]),
            }),
            Element::DenseNode(node) => self.nodes.push(PendingElement {
                element_index: index,
                osm_id: format!("node/{}", node.id()),
                tags: owned_tags(),
                shape: PendingShape::Node([node.lon(), node.lat()]),
            }),
            Element::Way(way) => self.ways.push(PendingElement {
                element_index: index,
                osm_id: format!("way/{}", way.id()),
                tags: owned_tags(),
                shape: PendingShape::Way(stored_way.expect("ways are stored for point layers")),
            }),
            Element::Relation(relation) => {
                let is_area = tags
                    .iter()
                    .any(|&(k, v)| k == "type" && (v == "multipolygon" || v == "boundary"));
                if !is_area {
                    self.skipped
                        .add("relation that is not a multipolygon or boundary", 1);
                    return;
                }
                let (mut outer, mut inner) = (Vec::new(), Vec::new());
                for member in relation.members() {
                    if member.member_type != RelMemberType::Way {
                        continue;
                    }
                    match member.role() {
                        Ok("inner") => inner.push(member.member_id),
                        // Untagged roles are outer by multipolygon convention.
                        _ => outer.push(member.member_id),
                    }
                }
                self.relations.push(PendingElement {
                    element_index: index,
                    osm_id: format!("relation/{}", relation.id()),
                    tags: owned_tags(),
                    shape: PendingShape::Relation { outer, inner },
                });
            }
        }
    }
}
