//! Walkable highway ways of an OSM PBF as road lines.

use super::*;
use crate::parallel::map_in_order;

/// Reads walkable road lines from an OSM PBF file (`docs/coverage-contract.md`, "From OSM").
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
#[cfg(test)]
pub(crate) fn read_roads_osm_pbf(layer: &str, bytes: &[u8]) -> Result<RoadLayer> {
    read_roads_osm_pbf_with_limits(layer, bytes, &InputLimits::default())
}

/// [`read_roads_osm_pbf`] with explicit limits.
///
/// # Errors
/// As [`read_roads_osm_pbf`].
pub(crate) fn read_roads_osm_pbf_with_limits(
    layer: &str,
    bytes: &[u8],
    limits: &InputLimits,
) -> Result<RoadLayer> {
    let layers = read_osm_pbf_layers(bytes, Some(layer), &[], limits)?;
    Ok(layers.roads.unwrap_or_default())
}

/// Turns the walkable ways of a scan into road lines (see [`read_roads_osm_pbf`]).
pub(super) fn resolve_roads(
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
        crs: None,
    };
    // Each way's nodes are looked up on its own (in parallel: the lookups are most of
    // the reading time of a large file); counts, limits and the first error follow in
    // way order, as one pass would give them.
    let located = map_in_order(&pending, |way| locate_way(layer, way, nodes, ways));
    for (mut way, located) in pending.into_iter().zip(located) {
        let LocatedWay {
            runs,
            dropped_pieces,
            missing,
        } = located?;
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

/// A way's runs of consecutive located nodes (ids and positions, each of 2 or more).
struct LocatedWay {
    runs: Vec<(Vec<i64>, Vec<[f64; 2]>)>,
    /// Runs of a single located node, dropped.
    dropped_pieces: usize,
    /// Whether some node has no location in the file.
    missing: bool,
}

fn locate_way(
    layer: &str,
    way: &PendingWay,
    nodes: &NodeTable,
    ways: &WayStore,
) -> Result<LocatedWay> {
    let mut refs = ways.refs(way.way).to_vec();
    refs.dedup();
    let mut runs: Vec<(Vec<i64>, Vec<[f64; 2]>)> = Vec::new();
    let mut ids = Vec::with_capacity(refs.len());
    let mut coords = Vec::with_capacity(refs.len());
    let mut dropped_pieces = 0;
    let mut missing = false;
    let mut hint = 0;
    for &node in &refs {
        if let Some(location) = nodes.checked_near(layer, way.way_index, node, &mut hint)? {
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
    Ok(LocatedWay {
        runs,
        dropped_pieces,
        missing,
    })
}

// ---------------------------------------------------------------------------------------------
// Tag filter
