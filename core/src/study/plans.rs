//! Plans on a study: its scope (the units to be fair to, a tier plan's targets), and
//! for a tier plan whom new centers of one tier would give complete coverage (every
//! required service within its threshold) and what such a center offers.

use super::Study;
use crate::coverage::{RequirementCoverage, ServiceConfig};
use crate::planning::{
    plan_sites_in, PlanOutcome, PlanParams, PlanProgress, PlanScope, PlanTargets, PlanUnits,
};
use crate::{Error, Result};

/// What a new center added to a study with `config` is: `Some((tier, services))` for a
/// center of `tier` offering [`site_services`]; `None` without a catalogue, or without a
/// tier when the catalogue has tag rules (it then counts for no tier, as a center no
/// rule matches).
///
/// # Errors
/// [`Error::InvalidParameter`] (`site_tier`) for a tier without a catalogue, a tier the
/// catalogue does not have, or no tier when the catalogue has no rules (the tier
/// analysis could not place the center).
pub fn site_offer(
    config: Option<&ServiceConfig>,
    tier: Option<&str>,
) -> Result<Option<(String, Vec<String>)>> {
    let bad = |reason: String| Error::InvalidParameter {
        name: "site_tier".into(),
        reason,
    };
    let known = |config: &ServiceConfig| {
        let tiers: Vec<&str> = config.tiers.iter().map(|t| t.id.as_str()).collect();
        tiers.join(", ")
    };
    match (config, tier) {
        (None, None) => Ok(None),
        (None, Some(tier)) => Err(bad(format!(
            "`{tier}`: a new center's tier needs the tiers and services (a config)"
        ))),
        (Some(config), Some(tier)) if config.tier(tier).is_none() => Err(bad(format!(
            "unknown tier `{tier}` (the catalogue has: {})",
            known(config)
        ))),
        (Some(config), Some(tier)) => Ok(Some((tier.to_string(), site_services(config, tier)))),
        (Some(config), None) if config.rules.is_empty() => Err(bad(format!(
            "the study has tiers and services: say which tier the new sites are \
             (site_tier / --site-tier: {}), so the coverage after the plan knows what they \
             offer",
            known(config)
        ))),
        (Some(_), None) => Ok(None),
    }
}

/// The services a new center of `tier` offers: every service of the catalogue a center
/// of that tier counts for (its own tier's, those of the tiers it stands in for, and
/// those open to any tier).
pub fn site_services(config: &ServiceConfig, tier: &str) -> Vec<String> {
    config
        .services
        .iter()
        .filter(|s| {
            s.tier
                .as_deref()
                .is_none_or(|t| config.tier_counts_as(tier, t))
        })
        .map(|s| s.id.clone())
        .collect()
}

/// Residents' figures of a tier plan: who can be completed by the tier's new centers.
#[derive(Debug, Clone, PartialEq)]
pub struct TierTargets {
    /// What the planner optimises.
    pub targets: PlanTargets,
    /// Population lacking a required service that one new center of the tier could
    /// supply all of.
    pub completable_population: f64,
    /// Population lacking a required service no center of the tier offers (they stay
    /// incomplete whatever the plan).
    pub beyond_tier_population: f64,
}

impl Study {
    /// Chooses sites among `candidates`
    /// ([`plan_sites_with_progress`](crate::planning::plan_sites_with_progress)); with a
    /// [`PlanParams::unit_rule`], fair to the study's units; with a
    /// [`PlanParams::site_tier`], a tier plan for complete coverage
    /// ([`Self::tier_targets`]), with a note on whom new centers of the tier can
    /// complete.
    ///
    /// # Errors
    /// As [`plan_sites_in`] and [`Self::tier_targets`].
    pub fn plan(
        &self,
        candidates: &[crate::planning::Candidate],
        params: &PlanParams,
        progress: &mut dyn FnMut(PlanProgress),
    ) -> Result<PlanOutcome> {
        let units = params
            .unit_rule
            .map(|_| PlanUnits::new(self.demand(), self.units()));
        let tier = params
            .site_tier
            .as_deref()
            .map(|t| self.tier_targets(t))
            .transpose()?;
        let scope = PlanScope {
            units: units.as_ref(),
            targets: tier.as_ref().map(|t| &t.targets),
        };
        let mut outcome = plan_sites_in(&self.planner(), candidates, params, scope, progress)?;
        if let (Some(t), Some(id)) = (&tier, &params.site_tier) {
            let offered = self
                .params()
                .services
                .as_ref()
                .map(|s| site_services(&s.config, id))
                .unwrap_or_default();
            outcome.notes.insert(
                0,
                format!(
                    "tier plan: each new site is a `{id}` center offering {}; the coverage \
                     figures are complete coverage (every required service within its \
                     threshold). {} population lack only services such a center offers; {} \
                     lack one it does not (they stay incomplete). The candidates' own gains \
                     (candidates.geojson) are plain coverage, not complete coverage",
                    if offered.is_empty() {
                        "its tier".to_string()
                    } else {
                        offered.join(", ")
                    },
                    crate::output::grouped(t.completable_population),
                    crate::output::grouped(t.beyond_tier_population)
                ),
            );
        }
        Ok(outcome)
    }

    /// The targets of a tier plan for new centers of `tier`: a resident is served today
    /// with complete coverage; one who lacks only services a center of `tier` offers is
    /// completed by a new one within the strictest threshold of those services.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`site_tier`) without a catalogue or for a tier it
    /// does not have; as [`Study::tiers`].
    pub fn tier_targets(&self, tier: &str) -> Result<TierTargets> {
        let bad = |reason: String| Error::InvalidParameter {
            name: "site_tier".into(),
            reason,
        };
        let Some(services) = &self.params().services else {
            return Err(bad(format!(
                "`{tier}`: a tier plan needs the tiers and services (a config)"
            )));
        };
        let config = &services.config;
        if config.tier(tier).is_none() {
            let known: Vec<&str> = config.tiers.iter().map(|t| t.id.as_str()).collect();
            return Err(bad(format!(
                "unknown tier `{tier}` (the catalogue has: {})",
                known.join(", ")
            )));
        }
        let coverage = self
            .tiers()?
            .ok_or_else(|| bad("the study computed no tier coverage".into()))?;
        // Complete coverage counts the required services, or every tier without any.
        let (requirements, offered): (Vec<&RequirementCoverage>, Vec<bool>) =
            if coverage.services.is_empty() {
                let list: Vec<_> = coverage.tiers.iter().collect();
                let offered = list
                    .iter()
                    .map(|t| config.tier_counts_as(tier, &t.id))
                    .collect();
                (list, offered)
            } else {
                let list: Vec<_> = coverage.services.iter().filter(|s| s.required).collect();
                let offered = list
                    .iter()
                    .map(|s| {
                        s.tier
                            .as_deref()
                            .is_none_or(|t| config.tier_counts_as(tier, t))
                    })
                    .collect();
                (list, offered)
            };
        let metres_per_min = self.costs().metres_per_min();
        let demand = self.demand();
        let mut served = Vec::with_capacity(demand.len());
        let mut limits = Vec::with_capacity(demand.len());
        let (mut completable, mut beyond) = (0.0, 0.0);
        for (i, d) in demand.iter().enumerate() {
            let missing: Vec<usize> = (0..requirements.len())
                .filter(|&k| !requirements[k].covered[i])
                .collect();
            served.push(missing.is_empty());
            let limit = if missing.is_empty() {
                0.0
            } else if missing.iter().all(|&k| offered[k]) {
                completable += d.population;
                missing
                    .iter()
                    .map(|&k| requirements[k].threshold().cost_m(metres_per_min))
                    .fold(f64::INFINITY, f64::min)
            } else {
                beyond += d.population;
                f64::INFINITY
            };
            limits.push(limit);
        }
        Ok(TierTargets {
            targets: PlanTargets::new(served, limits)?,
            completable_population: completable,
            beyond_tier_population: beyond,
        })
    }
}
