//! Tiny hand-made fixtures shared by the unit tests.

use crate::features::{PointFeature, RoadLine};

/// A road line through `[lon, lat]` vertices.
pub(crate) fn line(coords: &[[f64; 2]]) -> RoadLine {
    RoadLine {
        coords: coords.to_vec(),
        elevations_m: None,
        osm_node_ids: None,
        tags: Default::default(),
        source_index: 0,
    }
}

/// A point with population.
pub(crate) fn point(id: &str, lon: f64, lat: f64, population: f64) -> PointFeature {
    PointFeature {
        id: id.into(),
        lon,
        lat,
        population,
        properties: Default::default(),
        source_index: 0,
    }
}

/// A straight street along the equator with a vertex every 0.001° (about 111 m) from
/// 0° to `vertices - 1` thousandths, as one walkable network with flat costs.
pub(crate) fn equator_street(
    vertices: usize,
) -> (crate::network::WalkNetwork, crate::routing::WalkCosts) {
    let coords: Vec<[f64; 2]> = (0..vertices).map(|i| [i as f64 * 0.001, 0.0]).collect();
    let network = crate::network::WalkNetwork::from_roads(
        &[line(&coords)],
        &crate::network::NetworkParams {
            min_component_nodes: 1,
        },
    )
    .expect("a straight street builds");
    let costs = crate::routing::WalkCosts::flat(&network);
    (network, costs)
}

/// Grid spacing of [`grid`] in degrees (about 111.2 m near the equator).
pub(crate) const STEP: f64 = 0.001;

/// A 3 × 3 grid of streets near (0, 0): rows and columns through `STEP` multiples,
/// 9 nodes and 12 edges.
pub(crate) fn grid() -> Vec<RoadLine> {
    let mut lines = Vec::new();
    for j in 0..3 {
        let y = j as f64 * STEP;
        lines.push(line(&[[0.0, y], [STEP, y], [2.0 * STEP, y]]));
    }
    for i in 0..3 {
        let x = i as f64 * STEP;
        lines.push(line(&[[x, 0.0], [x, STEP], [x, 2.0 * STEP]]));
    }
    lines
}
