//! Fixtures shared by the workspace integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use lifecircle::coverage::{compute_coverage, CoverageResult};
use lifecircle::features::{PointFeature, RoadLine};
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::routing::WalkCosts;
use lifecircle::CoverageParams;

/// The repository root.
pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A bundled data file (`data/NAME`).
pub(crate) fn data(name: &str) -> Vec<u8> {
    let path = repo_root().join("data").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A test fixture (`tests/fixtures/NAME`).
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = repo_root().join("tests").join("fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

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

/// Grid spacing of [`grid`] in degrees (about 111 m near the equator).
pub(crate) const STEP: f64 = 0.001;

/// An `n` × `n` grid of streets near (0, 0) through `STEP` multiples.
pub(crate) fn grid(n: usize) -> Vec<RoadLine> {
    let far = (n - 1) as f64 * STEP;
    let mut lines = Vec::new();
    for j in 0..n {
        let y = j as f64 * STEP;
        lines.push(line(&[[0.0, y], [far, y]]));
    }
    for i in 0..n {
        let x = i as f64 * STEP;
        lines.push(line(&[[x, 0.0], [x, far]]));
    }
    // Lines only end at the border; split them at every crossing by listing the vertices.
    lines
        .into_iter()
        .map(|l| {
            let [a, b] = [l.coords[0], l.coords[1]];
            let coords = (0..n)
                .map(|k| {
                    let t = k as f64 / (n - 1) as f64;
                    [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
                })
                .collect::<Vec<_>>();
            line(&coords)
        })
        .collect()
}

/// Builds the network (islands allowed) and computes coverage with flat costs.
pub(crate) fn run(
    roads: &[RoadLine],
    centers: &[PointFeature],
    demand: &[PointFeature],
    params: &CoverageParams,
) -> CoverageResult {
    let network = WalkNetwork::from_roads(
        roads,
        &NetworkParams {
            min_component_nodes: 1,
        },
    )
    .expect("network");
    let costs = WalkCosts::flat(&network);
    compute_coverage(&network, &costs, centers, demand, params).expect("coverage")
}

/// A deterministic shuffle (xorshift), so failures reproduce without a seed file.
pub(crate) fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}
