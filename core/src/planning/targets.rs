//! Who a plan serves when its objective is not the study's own coverage (a tier plan:
//! complete coverage, [`PlanParams::site_tier`](super::PlanParams::site_tier)): per
//! resident, whether they count as served today and the walk within which a new site
//! serves them.

use crate::{Error, Result};

/// Per resident (in the coverage run's order): served today, and the walk cost within
/// which one new site serves them (`INFINITY`: no new site can).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanTargets {
    served_before: Vec<bool>,
    limit_cost_m: Vec<f64>,
}

impl PlanTargets {
    /// Targets from the two per-resident lists.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`targets`) when the lists differ in length or a
    /// limit is negative or NaN.
    pub fn new(served_before: Vec<bool>, limit_cost_m: Vec<f64>) -> Result<Self> {
        if served_before.len() != limit_cost_m.len() {
            return Err(Error::InvalidParameter {
                name: "targets".into(),
                reason: format!(
                    "{} residents served today but {} limits",
                    served_before.len(),
                    limit_cost_m.len()
                ),
            });
        }
        if let Some(bad) = limit_cost_m.iter().find(|l| l.is_nan() || **l < 0.0) {
            return Err(Error::InvalidParameter {
                name: "targets".into(),
                reason: format!("a walk limit must be ≥ 0, got {bad}"),
            });
        }
        Ok(Self {
            served_before,
            limit_cost_m,
        })
    }

    /// Number of residents.
    pub fn len(&self) -> usize {
        self.served_before.len()
    }

    /// Whether there is no resident.
    pub fn is_empty(&self) -> bool {
        self.served_before.is_empty()
    }

    /// Whether resident `r` counts as served today.
    pub(crate) fn served(&self, r: usize) -> bool {
        self.served_before[r]
    }

    /// Whether a new site at walk `cost` newly serves resident `r` (never when their
    /// limit is infinite: no new site can).
    pub(crate) fn newly_served(&self, r: usize, cost: f64) -> bool {
        let limit = self.limit_cost_m[r];
        !self.served_before[r] && limit.is_finite() && cost <= limit
    }

    /// How far the site searches must go: the longest finite limit of anyone not served.
    pub(crate) fn search_limit_m(&self) -> f64 {
        self.served_before
            .iter()
            .zip(&self.limit_cost_m)
            .filter(|(s, l)| !**s && l.is_finite())
            .map(|(_, &l)| l)
            .fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::compute_coverage;
    use crate::planning::{candidates_from_points, plan_sites_in, PlanParams, PlanScope, Planner};
    use crate::test_support::{equator_street, point};
    use crate::CoverageParams;

    #[test]
    fn targets_say_who_a_site_serves_and_how_far_to_search() {
        let t = PlanTargets::new(
            vec![true, false, false, false],
            vec![0.0, 300.0, 800.0, f64::INFINITY],
        )
        .unwrap();
        assert!(!t.newly_served(0, 0.0), "served today");
        assert!(t.newly_served(1, 300.0) && !t.newly_served(1, 301.0));
        assert!(
            !t.newly_served(3, 0.0),
            "no new site can serve an infinite limit"
        );
        assert_eq!(t.search_limit_m(), 800.0);
        assert!(PlanTargets::new(vec![true], vec![]).is_err());
        assert!(PlanTargets::new(vec![false], vec![f64::NAN]).is_err());
    }

    #[test]
    fn a_plan_serves_its_targets_not_the_study_coverage() {
        // A 2.2 km street, today's center at the west end; 10 people next to it and 10
        // at 1.1 km, both uncovered by the targets' measure; the one candidate sits by
        // the east group. With a 500 m limit the east group is served by it; with a
        // limit of 0 m nobody can be.
        let (network, costs) = equator_street(21);
        let centers = vec![point("center", 0.0, 0.0001, 1.0)];
        let demand = vec![
            point("west", 0.001, 0.0001, 10.0),
            point("east", 0.01, 0.0001, 10.0),
        ];
        let base = compute_coverage(
            &network,
            &costs,
            &centers,
            &demand,
            &CoverageParams::default(),
        )
        .unwrap();
        let planner = Planner::new(&network, &costs, &base, &demand).unwrap();
        let candidates = candidates_from_points(&[point("k", 0.01, 0.0, 1.0)]);
        let params = PlanParams {
            site_tier: Some("neighbourhood".into()),
            ..Default::default()
        };
        let plan = |limits: Vec<f64>| {
            let targets = PlanTargets::new(vec![false, false], limits).unwrap();
            let scope = PlanScope {
                units: None,
                targets: Some(&targets),
            };
            plan_sites_in(&planner, &candidates, &params, scope, &mut |_| {}).unwrap()
        };
        let served = plan(vec![500.0, 500.0]);
        // Today the study covers the west group; by the targets nobody is served.
        assert_eq!(served.covered_population_before, 0.0);
        assert_eq!(served.covered_population_after, 10.0);
        assert_eq!(served.site_tier.as_deref(), Some("neighbourhood"));
        let none = plan(vec![0.0, 0.0]);
        assert_eq!(none.covered_population_after, 0.0);
        // Targets without a site tier, or a site tier without targets, are refused.
        let plain = PlanParams::default();
        let targets = PlanTargets::new(vec![false, false], vec![1.0, 1.0]).unwrap();
        let scope = PlanScope {
            units: None,
            targets: Some(&targets),
        };
        assert!(plan_sites_in(&planner, &candidates, &plain, scope, &mut |_| {}).is_err());
        assert!(plan_sites_in(
            &planner,
            &candidates,
            &params,
            PlanScope::default(),
            &mut |_| {}
        )
        .is_err());
    }
}
