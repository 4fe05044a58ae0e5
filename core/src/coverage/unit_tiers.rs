//! Coverage per reporting unit of every tier and service, and complete coverage per
//! unit: which communities lack which service.

use super::summary::assign_units;
use super::tiers::{RequirementCoverage, TierCoverage, UnitRequirement, UnitTierCoverage};
use crate::features::{PointFeature, ReportingUnit};

impl UnitTierCoverage {
    /// The required service covering the smallest share of the unit (first in the
    /// catalogue's order on ties), if the catalogue has services.
    pub fn weakest_service<'a>(&'a self, all: &TierCoverage) -> Option<&'a UnitRequirement> {
        self.services
            .iter()
            .zip(&all.services)
            .filter(|(_, s)| s.required)
            .map(|(u, _)| u)
            .reduce(|best, u| {
                if u.coverage_ratio < best.coverage_ratio {
                    u
                } else {
                    best
                }
            })
    }
}

/// Every unit's coverage by tier and service, from the per-resident results of `t` on
/// `demand` (the residents it was computed for). A resident in overlapping units counts
/// in each.
///
/// Complexity: O(D log U + D · R) for D residents, U units and R tiers and services.
pub fn tier_coverage_per_unit(
    t: &TierCoverage,
    demand: &[PointFeature],
    units: &[ReportingUnit],
) -> Vec<UnitTierCoverage> {
    let membership = assign_units(demand, units);
    let mut population = vec![0.0; units.len()];
    let mut complete = vec![0.0; units.len()];
    for (r, inside) in membership.iter().enumerate() {
        for &u in inside {
            population[u] += demand[r].population;
            if t.complete[r] {
                complete[u] += demand[r].population;
            }
        }
    }
    let per_requirement = |list: &[RequirementCoverage]| -> Vec<Vec<f64>> {
        list.iter()
            .map(|req| {
                let mut covered = vec![0.0; units.len()];
                for (r, inside) in membership.iter().enumerate() {
                    if req.covered[r] {
                        for &u in inside {
                            covered[u] += demand[r].population;
                        }
                    }
                }
                covered
            })
            .collect()
    };
    let tiers = per_requirement(&t.tiers);
    let services = per_requirement(&t.services);
    let ratio = |x: f64, u: usize| {
        if population[u] > 0.0 {
            x / population[u]
        } else {
            0.0
        }
    };
    let rows = |list: &[RequirementCoverage], covered: &[Vec<f64>], u: usize| {
        list.iter()
            .zip(covered)
            .map(|(req, c)| UnitRequirement {
                id: req.id.clone(),
                covered_population: c[u],
                coverage_ratio: ratio(c[u], u),
            })
            .collect()
    };
    units
        .iter()
        .enumerate()
        .map(|(u, unit)| UnitTierCoverage {
            id: unit.id.clone(),
            name: unit.name.clone(),
            population: population[u],
            complete_population: complete[u],
            complete_ratio: ratio(complete[u], u),
            tiers: rows(&t.tiers, &tiers, u),
            services: rows(&t.services, &services, u),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::point;

    fn square(id: &str, west: f64) -> ReportingUnit {
        let ring = geo::LineString::from(vec![
            (west, 0.0),
            (west + 1.0, 0.0),
            (west + 1.0, 1.0),
            (west, 1.0),
            (west, 0.0),
        ]);
        ReportingUnit {
            id: id.into(),
            name: None,
            geometry: geo::MultiPolygon::new(vec![geo::Polygon::new(ring, vec![])]),
        }
    }

    fn requirement(id: &str, required: bool, covered: &[bool]) -> RequirementCoverage {
        RequirementCoverage {
            id: id.into(),
            name: id.into(),
            tier: None,
            threshold_min: 10.0,
            threshold_m: None,
            required,
            centers: 1,
            covered_population: 0.0,
            coverage_ratio: 0.0,
            residents_covered: 0,
            gap_count: 0,
            gap_population: 0.0,
            largest_gap_centroid: None,
            walk_min: vec![None; covered.len()],
            nearest_center: vec![None; covered.len()],
            covered: covered.to_vec(),
        }
    }

    #[test]
    fn each_unit_counts_its_own_residents_per_tier_and_service() {
        // Unit A (x 0..1): residents of 1 and 3 people; unit B (x 1..2): 4 people; one
        // resident of 2 outside both. Clinic reaches the 1 and the 4, library the 3 and
        // the 4 (optional), so complete (the clinic) is A 1 of 4, B 4 of 4.
        let demand = vec![
            point("a1", 0.5, 0.5, 1.0),
            point("a3", 0.6, 0.5, 3.0),
            point("b4", 1.5, 0.5, 4.0),
            point("out", 5.0, 0.5, 2.0),
        ];
        let t = TierCoverage {
            config: None,
            tiers: vec![requirement(
                "neighbourhood",
                true,
                &[true, true, false, true],
            )],
            services: vec![
                requirement("clinic", true, &[true, false, true, false]),
                requirement("library", false, &[false, true, true, false]),
            ],
            complete_population: 0.0,
            complete_ratio: 0.0,
            residents_complete: 0,
            total_population: 10.0,
            complete: vec![true, false, true, false],
            center_rules: None,
            per_unit: Vec::new(),
            upgrades: Vec::new(),
            upgrade_options: 0,
        };
        let units = [square("A", 0.0), square("B", 1.0)];
        let per_unit = tier_coverage_per_unit(&t, &demand, &units);
        let a = &per_unit[0];
        assert_eq!((a.population, a.complete_population), (4.0, 1.0));
        assert_eq!(a.complete_ratio, 0.25);
        assert_eq!(a.tiers[0].coverage_ratio, 1.0);
        let ratios: Vec<f64> = a.services.iter().map(|s| s.coverage_ratio).collect();
        assert_eq!(ratios, [0.25, 0.75]);
        // The library is optional: the weakest required service is the clinic.
        assert_eq!(a.weakest_service(&t).unwrap().id, "clinic");
        let b = &per_unit[1];
        assert_eq!((b.population, b.complete_ratio), (4.0, 1.0));
        assert_eq!(b.tiers[0].coverage_ratio, 0.0);
        assert_eq!(b.services[1].covered_population, 4.0);
    }
}
