//! Candidate sites: from user points, or generated on the walk network.

use std::collections::HashMap;

use geo::{Contains, MultiPolygon, Point};
use serde::Serialize;

use crate::features::PointFeature;
use crate::network::{NodeId, WalkNetwork};
use crate::{Error, Result};

/// A candidate's index in the candidate list given to the planner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CandidateId(pub u32);

impl CandidateId {
    /// The id as an index into the candidate list.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A possible new site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Identifier (the point's id, or `node-<n>` for generated candidates).
    pub id: String,
    /// WGS84 `[lon, lat]`.
    pub lonlat: [f64; 2],
}

/// Candidates from user points (GeoJSON, CSV or OSM features), in input order.
pub fn candidates_from_points(points: &[PointFeature]) -> Vec<Candidate> {
    points
        .iter()
        .map(|p| Candidate {
            id: p.id.clone(),
            lonlat: [p.lon, p.lat],
        })
        .collect()
}

/// Where to generate candidates on the network ([`generate_candidates`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateGrid {
    /// Chosen nodes are at least this far apart (straight line), metres.
    pub spacing_m: f64,
    /// Only nodes inside this area (WGS84), when given.
    pub boundary: Option<MultiPolygon<f64>>,
}

impl Default for CandidateGrid {
    fn default() -> Self {
        Self {
            spacing_m: 400.0,
            boundary: None,
        }
    }
}

/// Network nodes spaced at least `spacing_m` apart, as candidates: every node of an
/// eligible component (inside the boundary when one is given) is visited in id order
/// and kept when no kept node lies within the spacing. Deterministic.
///
/// Complexity: O(V) expected (a hash grid of cell size `spacing_m`).
///
/// # Errors
/// [`Error::InvalidParameter`] for a spacing that is not positive.
pub fn generate_candidates(network: &WalkNetwork, grid: &CandidateGrid) -> Result<Vec<Candidate>> {
    if !(grid.spacing_m.is_finite() && grid.spacing_m > 0.0) {
        return Err(Error::InvalidParameter {
            name: "candidate_spacing_m".into(),
            reason: format!("must be a positive number, got {}", grid.spacing_m),
        });
    }
    let s = grid.spacing_m;
    let projection = network.projection();
    let mut cells: HashMap<(i64, i64), Vec<[f64; 2]>> = HashMap::new();
    let mut out = Vec::new();
    for v in 0..network.node_count() {
        let node = NodeId(v as u32);
        if !network.is_node_eligible(node) {
            continue;
        }
        let lonlat = network.node_lonlat(node);
        if let Some(b) = &grid.boundary {
            if !b.contains(&Point::new(lonlat[0], lonlat[1])) {
                continue;
            }
        }
        let xy = projection.to_xy(lonlat);
        let cell = ((xy[0] / s).floor() as i64, (xy[1] / s).floor() as i64);
        let near = (-1..=1).any(|dx| {
            (-1..=1).any(|dy| {
                cells
                    .get(&(cell.0 + dx, cell.1 + dy))
                    .is_some_and(|list| list.iter().any(|p| (p[0] - xy[0]).hypot(p[1] - xy[1]) < s))
            })
        });
        if !near {
            cells.entry(cell).or_default().push(xy);
            out.push(Candidate {
                id: format!("node-{v}"),
                lonlat,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::NetworkParams;
    use crate::test_support::{grid, STEP};
    use geo::{polygon, MultiPolygon};

    #[test]
    fn generated_candidates_keep_their_spacing_and_boundary() {
        let network = WalkNetwork::from_roads(
            &grid(),
            &NetworkParams {
                min_component_nodes: 1,
            },
        )
        .unwrap();
        // 111 m grid: with 150 m spacing, no two kept nodes are neighbours.
        let c = generate_candidates(
            &network,
            &CandidateGrid {
                spacing_m: 150.0,
                boundary: None,
            },
        )
        .unwrap();
        assert!(c.len() >= 4 && c.len() < 9, "{}", c.len());
        for (i, a) in c.iter().enumerate() {
            for b in &c[i + 1..] {
                assert!(crate::geodesy::haversine_m(a.lonlat, b.lonlat) >= 149.0);
            }
        }
        let all = generate_candidates(
            &network,
            &CandidateGrid {
                spacing_m: 1.0,
                boundary: Some(MultiPolygon::new(vec![polygon![
                    (x: -0.1 * STEP, y: -0.1 * STEP),
                    (x: 1.1 * STEP, y: -0.1 * STEP),
                    (x: 1.1 * STEP, y: 1.1 * STEP),
                    (x: -0.1 * STEP, y: 1.1 * STEP),
                ]])),
            },
        )
        .unwrap();
        assert_eq!(all.len(), 4);
        assert!(generate_candidates(
            &network,
            &CandidateGrid {
                spacing_m: 0.0,
                boundary: None
            }
        )
        .is_err());
    }
}
