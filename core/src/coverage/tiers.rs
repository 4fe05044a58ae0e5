//! Walks to the nearest center offering each service (at a tier that counts), coverage
//! per service and per tier, and "complete" coverage; the catalogue is in
//! [`super::ServiceConfig`], what each center is in [`super::center_roles`].

use serde::Serialize;

use super::catalogue::ServiceConfig;
use super::center_roles::center_roles;
use super::center_rules::RuleReport;
use super::compute::{compute_with_snaps, snap_demand, CoverageResult, DemandStatus};
use super::gap_pieces::find_gap_pieces;
use super::gaps::find_gaps;
use super::params::{CoverageParams, GapMode, Threshold};
use crate::features::{CenterId, PointFeature};
use crate::network::{Snap, WalkNetwork};
use crate::routing::WalkCosts;
use crate::Result;

/// Walks to the nearest eligible center for one service or one tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementCoverage {
    /// Service or tier id.
    pub id: String,
    /// Display name (the id when the config gives none).
    pub name: String,
    /// The tier the requirement belongs to (None: any tier).
    pub tier: Option<String>,
    /// Threshold, minutes (for a distance: the minutes it takes at the costs' flat speed).
    pub threshold_min: f64,
    /// Threshold as a walking distance, metres, when the requirement is a distance.
    pub threshold_m: Option<f64>,
    /// Whether it counts towards complete coverage.
    pub required: bool,
    /// Eligible centers (offering the service at a tier that counts).
    pub centers: usize,
    /// Population within the threshold of an eligible center.
    pub covered_population: f64,
    /// covered / total population.
    pub coverage_ratio: f64,
    /// Residents within the threshold.
    pub residents_covered: usize,
    /// Uncovered areas (gaps) for this requirement.
    pub gap_count: usize,
    /// Population in those gaps.
    pub gap_population: f64,
    /// Population-weighted centre of the largest gap, `[lon, lat]`.
    pub largest_gap_centroid: Option<[f64; 2]>,
    /// Per resident: walk time to the nearest eligible center, minutes.
    #[serde(skip)]
    pub walk_min: Vec<Option<f64>>,
    /// Per resident: index (into all centers) of that center.
    #[serde(skip)]
    pub nearest_center: Vec<Option<CenterId>>,
    /// Per resident: within the threshold.
    #[serde(skip)]
    pub covered: Vec<bool>,
}

/// One tier's or service's coverage in one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRequirement {
    /// Tier or service id.
    pub id: String,
    /// Population of the unit within the requirement's threshold.
    pub covered_population: f64,
    /// covered / the unit's population (0 without population).
    pub coverage_ratio: f64,
}

/// A reporting unit's coverage by tier and service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitTierCoverage {
    /// Unit id.
    pub id: String,
    /// Unit name.
    pub name: Option<String>,
    /// Population in the unit.
    pub population: f64,
    /// Population with every required service within its threshold.
    pub complete_population: f64,
    /// complete / population (0 without population).
    pub complete_ratio: f64,
    /// Per tier, in the order of [`TierCoverage::tiers`].
    pub tiers: Vec<UnitRequirement>,
    /// Per service, in the order of [`TierCoverage::services`].
    pub services: Vec<UnitRequirement>,
}

/// Coverage per service, per tier and complete coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierCoverage {
    /// Config name.
    pub config: Option<String>,
    /// Per tier: centers of the tier (or standing in for it) within its threshold.
    pub tiers: Vec<RequirementCoverage>,
    /// Per service of the catalogue.
    pub services: Vec<RequirementCoverage>,
    /// Population with every required service within its threshold (with no service
    /// in the catalogue: every tier).
    pub complete_population: f64,
    /// complete / total population.
    pub complete_ratio: f64,
    /// Residents with complete coverage.
    pub residents_complete: usize,
    /// Total population.
    pub total_population: f64,
    /// Per resident: complete coverage.
    #[serde(skip)]
    pub complete: Vec<bool>,
    /// With rules in the config: centers matched per rule, and those none matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub center_rules: Option<RuleReport>,
    /// With reporting units: every unit's coverage by tier and service
    /// ([`super::tier_coverage_per_unit`]); empty (and not written) without.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_unit: Vec<UnitTierCoverage>,
    /// Upgrade versus build: the best services existing centers could add, most people
    /// newly complete first (at most [`UPGRADES_LISTED`]; computed by the study).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub upgrades: Vec<UpgradeOption>,
    /// Upgrades that would serve anyone, listed or not.
    #[serde(skip_serializing_if = "is_zero")]
    pub upgrade_options: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Upgrades listed in [`TierCoverage::upgrades`].
pub const UPGRADES_LISTED: usize = 20;

/// One existing center adding one service of the catalogue it does not offer (and its
/// tier counts for), with whom that would serve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpgradeOption {
    /// The center's id.
    pub center: String,
    /// Its index in the centers given.
    pub center_index: usize,
    /// Its tier.
    pub tier: String,
    /// The service it would add.
    pub service: String,
    /// Population who would then have every required service within its threshold
    /// (those lacking only this service, within its threshold of the center).
    pub newly_complete_population: f64,
    /// Population who would then have this service within its threshold.
    pub newly_served_population: f64,
}

impl RequirementCoverage {
    /// The requirement's threshold: a distance when it is one, else a time.
    pub fn threshold(&self) -> Threshold {
        match self.threshold_m {
            Some(m) => Threshold::Metres(m),
            None => Threshold::Minutes(self.threshold_min),
        }
    }
}

impl TierCoverage {
    /// Ids of the required services resident `i` does not reach in time.
    pub fn missing_services(&self, i: usize) -> Vec<&str> {
        self.services
            .iter()
            .filter(|s| s.required && !s.covered[i])
            .map(|s| s.id.as_str())
            .collect()
    }
}

#[allow(clippy::too_many_arguments)]
fn requirement(
    network: &WalkNetwork,
    costs: &WalkCosts,
    centers: &[PointFeature],
    (demand, snaps): (&[PointFeature], &[Option<Snap>]),
    params: &CoverageParams,
    eligible: &[usize],
    head: (String, String, Option<String>, Threshold, bool),
) -> Result<RequirementCoverage> {
    let (id, name, tier, threshold, required) = head;
    let total: f64 = demand.iter().map(|d| d.population).sum();
    let mut out = RequirementCoverage {
        id,
        name,
        tier,
        threshold_min: threshold.minutes_at(costs.metres_per_min()),
        threshold_m: match threshold {
            Threshold::Metres(m) => Some(m),
            Threshold::Minutes(_) => None,
        },
        required,
        centers: eligible.len(),
        covered_population: 0.0,
        coverage_ratio: 0.0,
        residents_covered: 0,
        gap_count: 0,
        gap_population: 0.0,
        largest_gap_centroid: None,
        walk_min: vec![None; demand.len()],
        nearest_center: vec![None; demand.len()],
        covered: vec![false; demand.len()],
    };
    if eligible.is_empty() {
        out.gap_count = usize::from(!demand.is_empty());
        out.gap_population = total;
        return Ok(out);
    }
    let subset: Vec<PointFeature> = eligible.iter().map(|&c| centers[c].clone()).collect();
    let p = params.with_threshold(threshold);
    let result: CoverageResult = compute_with_snaps(network, costs, &subset, snaps, &p)?;
    for (i, (r, d)) in result.demand.iter().zip(demand).enumerate() {
        if r.status == DemandStatus::Ok {
            out.walk_min[i] = r.walk_min;
            out.nearest_center[i] = r.nearest_center.map(|c| CenterId::at(eligible[c.index()]));
        }
        if r.covered {
            out.covered[i] = true;
            out.covered_population += d.population;
            out.residents_covered += 1;
        }
    }
    if total > 0.0 {
        out.coverage_ratio = out.covered_population / total;
    }
    let gaps = match params.gap_mode {
        GapMode::Pieces => find_gap_pieces(network, costs, &result, demand),
        GapMode::Linked => find_gaps(network, &result, demand),
    };
    out.gap_count = gaps.len();
    out.gap_population = gaps.iter().map(|g| g.population).sum();
    out.largest_gap_centroid = gaps.first().map(|g| g.centroid_lonlat);
    Ok(out)
}

/// Computes, for every resident and every service of the catalogue, the walk to the
/// nearest center offering it (at a tier that counts), with coverage per service, per
/// tier, and complete coverage.
///
/// `params` gives everything but the thresholds, which come from the config. Runs one
/// coverage computation per service and per tier.
///
/// Complexity: O(D log E + (S + T) · ((V + E) log V + D)) for S services and T tiers
/// (the residents snap once).
///
/// # Errors
/// As [`center_roles`] for centers whose properties do not match the config, and as
/// [`compute_coverage`](super::compute_coverage).
pub fn compute_tier_coverage(
    network: &WalkNetwork,
    costs: &WalkCosts,
    centers: &[PointFeature],
    demand: &[PointFeature],
    params: &CoverageParams,
    config: &ServiceConfig,
) -> Result<TierCoverage> {
    config.validate("")?;
    // Every requirement walks the same residents: snapped once.
    let snaps = snap_demand(network, demand, params.max_snap_m);
    tier_coverage_with_snaps(network, costs, centers, (demand, &snaps), params, config)
}

/// [`compute_tier_coverage`] for residents already snapped (`residents.1`, as
/// [`snap_demand`] snaps them with `params.max_snap_m`): a study reuses its own run's.
///
/// # Errors
/// As [`compute_tier_coverage`].
pub(crate) fn tier_coverage_with_snaps(
    network: &WalkNetwork,
    costs: &WalkCosts,
    centers: &[PointFeature],
    residents: (&[PointFeature], &[Option<Snap>]),
    params: &CoverageParams,
    config: &ServiceConfig,
) -> Result<TierCoverage> {
    config.validate("")?;
    let roles = center_roles(config, centers)?;
    let demand = residents.0;
    let mut tiers = Vec::new();
    for t in &config.tiers {
        let eligible: Vec<usize> = (0..centers.len())
            .filter(|&c| {
                roles.tier[c]
                    .as_deref()
                    .is_some_and(|tier| config.tier_counts_as(tier, &t.id))
            })
            .collect();
        tiers.push(requirement(
            network,
            costs,
            centers,
            residents,
            params,
            &eligible,
            (
                t.id.clone(),
                t.name.clone().unwrap_or_else(|| t.id.clone()),
                Some(t.id.clone()),
                t.threshold(),
                true,
            ),
        )?);
    }
    let mut services = Vec::new();
    for s in &config.services {
        let eligible: Vec<usize> = (0..centers.len())
            .filter(|&c| {
                roles.services[c].contains(&s.id)
                    && s.tier.as_deref().is_none_or(|t| {
                        roles.tier[c]
                            .as_deref()
                            .is_some_and(|tier| config.tier_counts_as(tier, t))
                    })
            })
            .collect();
        services.push(requirement(
            network,
            costs,
            centers,
            residents,
            params,
            &eligible,
            (
                s.id.clone(),
                s.name.clone().unwrap_or_else(|| s.id.clone()),
                s.tier.clone(),
                config.service_threshold(s),
                s.required,
            ),
        )?);
    }
    let basis: Vec<&RequirementCoverage> = if config.services.is_empty() {
        tiers.iter().collect()
    } else {
        services.iter().filter(|s| s.required).collect()
    };
    let complete: Vec<bool> = (0..demand.len())
        .map(|i| basis.iter().all(|r| r.covered[i]))
        .collect();
    let total_population: f64 = demand.iter().map(|d| d.population).sum();
    let complete_population: f64 = demand
        .iter()
        .zip(&complete)
        .filter(|(_, &c)| c)
        .map(|(d, _)| d.population)
        .sum::<f64>()
        + 0.0; // an empty sum is −0.0
    Ok(TierCoverage {
        config: config.name.clone(),
        tiers,
        services,
        complete_population,
        complete_ratio: if total_population > 0.0 {
            complete_population / total_population
        } else {
            0.0
        },
        residents_complete: complete.iter().filter(|&&c| c).count(),
        total_population,
        complete,
        center_rules: roles.rules,
        per_unit: Vec::new(),
        upgrades: Vec::new(),
        upgrade_options: 0,
    })
}
