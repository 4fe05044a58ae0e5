//! Upgrade versus build: which existing center should add which service, ranked by the
//! people it would give complete coverage, then by those it would give the service.

use super::Study;
use crate::coverage::{center_roles, ServiceConfig, TierCoverage, UpgradeOption, UPGRADES_LISTED};
use crate::planning::center_catchments;
use crate::Result;

impl Study {
    /// Every (existing center, service) pair where the center does not offer the
    /// service, its tier counts for the service's tier, and adding it would serve
    /// anyone: the best [`UPGRADES_LISTED`], most people newly complete first (ties:
    /// most newly served, then center and catalogue order), and how many there are.
    /// Exact: adding the service to the center and recomputing the tiers gives the same
    /// gains.
    ///
    /// Complexity: one search per center up to the longest service threshold, then
    /// O(N · S) over the N catchment entries and S services.
    ///
    /// # Errors
    /// As [`center_roles`].
    pub fn upgrades(
        &self,
        config: &ServiceConfig,
        tiers: &TierCoverage,
    ) -> Result<(Vec<UpgradeOption>, usize)> {
        if tiers.services.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let roles = center_roles(config, self.centers())?;
        let metres_per_min = self.costs().metres_per_min();
        let limits: Vec<f64> = tiers
            .services
            .iter()
            .map(|s| s.threshold().cost_m(metres_per_min))
            .collect();
        // Per resident: how many required services are missing, and the last one.
        let demand = self.demand();
        let mut missing = vec![(0usize, usize::MAX); demand.len()];
        for (k, s) in tiers
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| s.required)
        {
            for (i, m) in missing.iter_mut().enumerate() {
                if !s.covered[i] {
                    *m = (m.0 + 1, k);
                }
            }
        }
        let planner = self.planner();
        let reach = center_catchments(&planner, limits.iter().copied().fold(0.0, f64::max));
        let mut options = Vec::new();
        for (c, list) in reach.iter().enumerate() {
            let (Some(list), Some(tier)) = (list, &roles.tier[c]) else {
                continue;
            };
            for (k, s) in tiers.services.iter().enumerate() {
                let counts = s
                    .tier
                    .as_deref()
                    .is_none_or(|t| config.tier_counts_as(tier, t));
                if !counts || roles.services[c].contains(&s.id) {
                    continue;
                }
                let (mut complete, mut served) = (0.0, 0.0);
                for &(r, cost) in list {
                    let r = r as usize;
                    if cost <= limits[k] && !s.covered[r] {
                        served += demand[r].population;
                        if s.required && missing[r] == (1, k) {
                            complete += demand[r].population;
                        }
                    }
                }
                if served > 0.0 {
                    options.push(UpgradeOption {
                        center: self.centers()[c].id.clone(),
                        center_index: c,
                        tier: tier.clone(),
                        service: s.id.clone(),
                        newly_complete_population: complete,
                        newly_served_population: served,
                    });
                }
            }
        }
        // Stable: ties keep center and catalogue order.
        options.sort_by(|a, b| {
            b.newly_complete_population
                .total_cmp(&a.newly_complete_population)
                .then(
                    b.newly_served_population
                        .total_cmp(&a.newly_served_population),
                )
        });
        let count = options.len();
        options.truncate(UPGRADES_LISTED);
        Ok((options, count))
    }
}
