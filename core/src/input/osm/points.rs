//! Tag-filtered OSM elements (nodes, ways, multipolygons) as points.

use super::*;

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
#[cfg(test)]
pub(crate) fn read_points_osm_pbf(
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
pub(crate) fn read_points_osm_pbf_with_limits(
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

/// Smallest floor area per person the floor-area rule accepts, m²: less than a square
/// metre each is not a dwelling (the smallest standards ask for 5–10 m²).
pub const MIN_M2_PER_PERSON: f64 = 1.0;

impl PopulationEstimate {
    /// [`Error::InvalidParameter`] for an `m2_per_person` below [`MIN_M2_PER_PERSON`]
    /// or not finite.
    pub(crate) fn validate(&self) -> Result<()> {
        if let PopulationEstimate::FloorArea { m2_per_person } = self {
            if !(m2_per_person.is_finite() && *m2_per_person >= MIN_M2_PER_PERSON) {
                return Err(Error::InvalidParameter {
                    name: "m2_per_person".to_string(),
                    reason: format!(
                        "must be a floor area of at least {MIN_M2_PER_PERSON} m² per person, \
                         got {m2_per_person}"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The elements of one point layer found by a scan, each kind in file order.
#[derive(Default)]
pub(super) struct PointScan {
    pub(super) nodes: Vec<PendingElement>,
    pub(super) ways: Vec<PendingElement>,
    pub(super) relations: Vec<PendingElement>,
    pub(super) skipped: SkipCounts,
}

/// Turns the elements of a scan into points (see [`read_points_osm_pbf`]).
pub(super) fn resolve_points(
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
        crs: None,
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
            &query.layer,
            index,
            element.osm_id,
            osm_type,
            element.tags,
            &resolved,
            &query.population,
            &mut out.skipped,
        )?);
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
pub(super) fn assemble_rings(mut ways: Vec<Vec<i64>>) -> Option<Vec<Vec<i64>>> {
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

#[allow(clippy::too_many_arguments)]
fn make_point(
    layer: &str,
    index: usize,
    osm_id: String,
    osm_type: &str,
    tags: Vec<(String, String)>,
    resolved: &Resolved,
    estimate: &PopulationEstimate,
    skipped: &mut SkipCounts,
) -> Result<PointFeature> {
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
                // The cap every population path enforces: sums of populations must stay
                // finite and meaningful.
                if !(people.is_finite() && people <= MAX_POPULATION) {
                    return Err(Error::Feature {
                        layer: layer.to_string(),
                        index,
                        reason: format!(
                            "{osm_id}: floor-area population {people:e} is more than the \
                             largest accepted ({MAX_POPULATION:e})"
                        ),
                    });
                }
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
    Ok(PointFeature {
        id: osm_id,
        lon,
        lat,
        population,
        properties,
        source_index: index,
    })
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
pub(super) fn leading_number(value: &str) -> Option<f64> {
    let value = value.trim();
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    value[..end].parse().ok()
}
