//! Networks built from part of a road set: a tile of a distributed run with its halo.
//!
//! A tile's network holds every road line near the tile ("core" lines) and every line
//! sharing a vertex with one of them ("ring" lines), so each core line is split into
//! edges exactly as in the whole network. What a part cannot know is how large a
//! component is beyond its ring: a component with fewer than `min_component_nodes`
//! nodes here may be larger in the whole network, where points may snap to it. Such a
//! component is *open* when it holds a ring line (a closed one, of core lines only, is
//! all there is of it). [`doubtful_snaps`] counts the points an open small component
//! lies within snapping reach of: zero means every snap of those points is the one the
//! whole network gives; otherwise the part must be rebuilt with more of the road set
//! around it.

use std::collections::BTreeSet;

use super::build::NetworkParams;
use super::graph::{EdgeId, WalkNetwork};
use crate::features::RoadLine;
use crate::Result;

/// How many of `points` lie within `max_snap_m` of an edge of an open component that
/// is too small to snap to here (and so might be snapped to in the whole network).
///
/// `network` was built from lines of which `open_line[i]` tells whether line `i` (its
/// position in the slice given to [`WalkNetwork::from_roads`]) is a ring line.
///
/// # Errors
/// None in practice: the sub-network of the doubtful components is built from edges
/// of at least two vertices.
pub fn doubtful_snaps(
    network: &WalkNetwork,
    open_line: &[bool],
    points: &[[f64; 2]],
    max_snap_m: f64,
) -> Result<usize> {
    let edges =
        (0..network.edge_count()).map(|e| EdgeId(u32::try_from(e).expect("edge ids fit in u32")));
    let doubtful: BTreeSet<usize> = edges
        .clone()
        .filter(|&e| open_line.get(network.edge_source_line(e)) == Some(&true))
        .map(|e| network.edge_nodes(e).0)
        .filter(|&node| !network.is_node_eligible(node))
        .map(|node| network.node_component(node))
        .collect();
    if doubtful.is_empty() {
        return Ok(0);
    }
    let lines: Vec<RoadLine> = edges
        .filter(|&e| doubtful.contains(&network.node_component(network.edge_nodes(e).0)))
        .map(|e| RoadLine::new(network.edge_geometry(e)))
        .collect();
    let near = WalkNetwork::from_roads(
        &lines,
        &NetworkParams {
            min_component_nodes: 1,
        },
    )?;
    Ok(points
        .iter()
        .filter(|&&p| near.snap_within(p, max_snap_m).is_some())
        .count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(coords: &[[f64; 2]]) -> RoadLine {
        RoadLine::new(coords.to_vec())
    }

    /// A spur of 3 nodes (lines 0 and 1), and a street of 31 nodes (eligible) 1.1 km
    /// south of it, one line per block (lines 2 to 31).
    fn roads() -> Vec<RoadLine> {
        let mut lines = vec![
            line(&[[0.0, 0.01], [0.001, 0.01]]),
            line(&[[0.001, 0.01], [0.002, 0.01]]),
        ];
        lines.extend((0..30).map(|i| {
            let x = f64::from(i) * 0.001;
            line(&[[x, 0.0], [x + 0.001, 0.0]])
        }));
        lines
    }

    fn open(lines: &[usize]) -> Vec<bool> {
        (0..32).map(|i| lines.contains(&i)).collect()
    }

    #[test]
    fn a_closed_small_component_is_certain() {
        let network = WalkNetwork::from_roads(&roads(), &NetworkParams::default()).unwrap();
        let near_spur = [[0.001, 0.0101]];
        assert_eq!(
            doubtful_snaps(&network, &open(&[]), &near_spur, 300.0).unwrap(),
            0
        );
    }

    #[test]
    fn an_open_small_component_is_doubtful_only_near_points() {
        let network = WalkNetwork::from_roads(&roads(), &NetworkParams::default()).unwrap();
        let (near_spur, far, on_street) = ([0.001, 0.0101], [0.5, 0.5], [0.01, 0.0001]);
        let spur_open = open(&[1]);
        assert_eq!(
            doubtful_snaps(&network, &spur_open, &[near_spur, far], 300.0).unwrap(),
            1
        );
        assert_eq!(
            doubtful_snaps(&network, &spur_open, &[far, on_street], 300.0).unwrap(),
            0
        );
        // An open line of an eligible component raises no doubt.
        assert_eq!(
            doubtful_snaps(&network, &open(&[5]), &[on_street], 300.0).unwrap(),
            0
        );
    }
}
