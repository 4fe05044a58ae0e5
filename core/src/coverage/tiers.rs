//! Service tiers and the service catalogue: walks to the nearest center offering each
//! service, coverage per service and per tier, and "complete" coverage.
//!
//! Centers carry a `tier` property (a tier id of the config) and a `services` property
//! (a JSON array of service ids, or one string separated by `;`, `,` or `|`). The config
//! ([`ServiceConfig`], TOML or JSON) names the tiers with their walking thresholds and
//! the service catalogue:
//!
//! ```toml
//! name = "GB 50180-2018 life circles"
//!
//! [[tiers]]
//! id = "15min"
//! name = "15-minute life circle"
//! threshold_min = 15
//! stands_in_for = []          # lower tiers this tier also counts as (default none)
//!
//! [[services]]
//! id = "community_health_center"
//! name = "Community health service center"
//! tier = "15min"              # the tier at which it must be within reach
//! threshold_min = 15          # optional; default: the tier's threshold
//! required = true             # counts towards complete coverage (default true)
//! ```
//!
//! A service required at tier `T` is met only by centers that offer it *and* whose tier
//! is `T` or a tier whose `stands_in_for` lists `T`: a higher tier does not stand in for
//! a lower one unless the config says so. A service without a `tier` is met by any center
//! offering it, and must give its own `threshold_min`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::compute::{compute_coverage, CoverageResult, DemandStatus};
use super::gaps::find_gaps;
use super::params::CoverageParams;
use crate::features::{CenterId, PointFeature};
use crate::network::WalkNetwork;
use crate::routing::WalkCosts;
use crate::{Error, Result};

/// One tier of centers (e.g. district, sub-district, neighbourhood).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    /// Identifier, as written in the centers' `tier` property.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Walking threshold of the tier, minutes.
    pub threshold_min: f64,
    /// Other tiers that centers of this tier also count as.
    #[serde(default)]
    pub stands_in_for: Vec<String>,
}

/// One service of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Identifier, as written in the centers' `services` property.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Tier at which the service must be within reach (None: any center offering it).
    #[serde(default)]
    pub tier: Option<String>,
    /// Walking threshold, minutes (default: the tier's).
    #[serde(default)]
    pub threshold_min: Option<f64>,
    /// Whether the service counts towards complete coverage.
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// Tiers and the service catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// Name of the configuration (shown in reports).
    #[serde(default)]
    pub name: Option<String>,
    /// The tiers, highest first by convention.
    pub tiers: Vec<TierSpec>,
    /// The service catalogue.
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
}

/// Names of the built-in presets ([`ServiceConfig::preset`]).
pub const SERVICE_PRESETS: [&str; 1] = ["gb50180"];

fn invalid(layer: &str, reason: String) -> Error {
    Error::InvalidParameter {
        name: format!("config {layer}"),
        reason,
    }
}

impl ServiceConfig {
    /// Parses a config from TOML or JSON text (JSON when it starts with `{`), then
    /// validates it.
    ///
    /// # Errors
    /// [`Error::Parse`] for malformed text or unknown keys; [`Error::InvalidParameter`]
    /// for a threshold that is not a positive number, a duplicate id, or a reference to
    /// an unknown tier.
    ///
    /// ```
    /// let c = lifecircle::coverage::ServiceConfig::parse("x.toml", r#"
    ///     [[tiers]]
    ///     id = "t"
    ///     threshold_min = 5
    /// "#).unwrap();
    /// assert_eq!(c.tiers[0].threshold_min, 5.0);
    /// let err = lifecircle::coverage::ServiceConfig::parse("x.toml", "[[tiers]]\nid = \"t\"\nthreshold_min = 0\n");
    /// assert!(err.unwrap_err().to_string().contains("threshold_min of tier `t` must be a positive number"));
    /// ```
    pub fn parse(layer: &str, text: &str) -> Result<ServiceConfig> {
        let config: ServiceConfig = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| Error::Parse {
                layer: layer.into(),
                reason: e.to_string(),
            })?
        } else {
            toml::from_str(text).map_err(|e| Error::Parse {
                layer: layer.into(),
                reason: e.to_string().trim_end().to_string(),
            })?
        };
        config.validate(layer)?;
        Ok(config)
    }

    /// Checks thresholds, ids and references.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the first problem.
    pub fn validate(&self, layer: &str) -> Result<()> {
        if self.tiers.is_empty() {
            return Err(invalid(
                layer,
                "names no tier; give at least one [[tiers]]".into(),
            ));
        }
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let mut tier_ids = BTreeSet::new();
        for t in &self.tiers {
            if !tier_ids.insert(t.id.as_str()) {
                return Err(invalid(layer, format!("tier `{}` is defined twice", t.id)));
            }
            if !positive(t.threshold_min) {
                return Err(invalid(
                    layer,
                    format!(
                        "threshold_min of tier `{}` must be a positive number of minutes, got {}",
                        t.id, t.threshold_min
                    ),
                ));
            }
        }
        for t in &self.tiers {
            for other in &t.stands_in_for {
                if !tier_ids.contains(other.as_str()) {
                    return Err(invalid(
                        layer,
                        format!("tier `{}` stands in for unknown tier `{other}`", t.id),
                    ));
                }
            }
        }
        let mut service_ids = BTreeSet::new();
        for s in &self.services {
            if !service_ids.insert(s.id.as_str()) {
                return Err(invalid(
                    layer,
                    format!("service `{}` is defined twice", s.id),
                ));
            }
            if let Some(t) = &s.tier {
                if !tier_ids.contains(t.as_str()) {
                    return Err(invalid(
                        layer,
                        format!(
                            "service `{}` names unknown tier `{t}` (tiers: {})",
                            s.id,
                            self.tier_list()
                        ),
                    ));
                }
            }
            match s.threshold_min {
                Some(v) if !positive(v) => {
                    return Err(invalid(
                        layer,
                        format!(
                            "threshold_min of service `{}` must be a positive number of minutes, got {v}",
                            s.id
                        ),
                    ))
                }
                None if s.tier.is_none() => {
                    return Err(invalid(
                        layer,
                        format!("service `{}` needs a tier or its own threshold_min", s.id),
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn tier_list(&self) -> String {
        self.tiers
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn tier(&self, id: &str) -> Option<&TierSpec> {
        self.tiers.iter().find(|t| t.id == id)
    }

    /// Walking threshold of a service, minutes.
    pub fn service_threshold_min(&self, service: &ServiceSpec) -> f64 {
        service
            .threshold_min
            .or_else(|| {
                service
                    .tier
                    .as_deref()
                    .and_then(|t| self.tier(t))
                    .map(|t| t.threshold_min)
            })
            .unwrap_or(f64::NAN)
    }

    /// Whether a center of tier `center_tier` counts for tier `wanted`.
    pub fn tier_counts_as(&self, center_tier: &str, wanted: &str) -> bool {
        center_tier == wanted
            || self
                .tier(center_tier)
                .is_some_and(|t| t.stands_in_for.iter().any(|s| s == wanted))
    }

    /// A built-in preset: `gb50180`, the three walking life circles of China's
    /// residential planning standard GB 50180-2018 (*Standard for urban residential area
    /// planning and design*): 15, 10 and 5 minutes, each with a few of the facilities
    /// the standard's Appendix B assigns to it (indicative; extend from the standard's
    /// tables). No circle stands in for another.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown preset name.
    pub fn preset(name: &str) -> Result<ServiceConfig> {
        match name {
            "gb50180" | "gb50180-2018" => ServiceConfig::parse("preset gb50180", GB50180_TOML),
            _ => Err(Error::InvalidParameter {
                name: "config".into(),
                reason: format!(
                    "unknown preset `{name}`; presets: {}",
                    SERVICE_PRESETS.join(", ")
                ),
            }),
        }
    }
}

/// The `gb50180` preset as TOML.
pub const GB50180_TOML: &str = include_str!("../../../config/gb50180.toml");

/// What each center is: its tier and services, as indexes into the config.
#[derive(Debug, Clone, PartialEq)]
pub struct CenterRoles {
    /// Per center, its tier id.
    pub tier: Vec<String>,
    /// Per center, the ids of the services it offers (catalogue order).
    pub services: Vec<BTreeSet<String>>,
}

fn property_list(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            })
            .filter(|s| !s.is_empty())
            .collect(),
        serde_json::Value::String(s) => s
            .split([';', ',', '|'])
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        serde_json::Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

/// Reads the `tier` and `services` properties of every center.
///
/// # Errors
/// [`Error::Feature`] (layer `centers`, the center's index) for a center without a tier,
/// with a tier the config does not name, or offering a service not in the catalogue.
pub fn center_roles(config: &ServiceConfig, centers: &[PointFeature]) -> Result<CenterRoles> {
    let known: BTreeSet<&str> = config.services.iter().map(|s| s.id.as_str()).collect();
    let mut roles = CenterRoles {
        tier: Vec::with_capacity(centers.len()),
        services: Vec::with_capacity(centers.len()),
    };
    for (i, c) in centers.iter().enumerate() {
        let err = |reason: String| Error::Feature {
            layer: "centers".into(),
            index: i,
            reason: format!("center `{}`: {reason}", c.id),
        };
        let tier = match c.properties.get("tier") {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                return Err(err(format!(
                    "has no `tier` property (tiers: {})",
                    config.tier_list()
                )))
            }
        };
        if config.tier(&tier).is_none() {
            return Err(err(format!(
                "unknown tier `{tier}` (tiers: {})",
                config.tier_list()
            )));
        }
        let mut services = BTreeSet::new();
        for s in c
            .properties
            .get("services")
            .map(property_list)
            .unwrap_or_default()
        {
            if !known.contains(s.as_str()) {
                return Err(err(format!("service `{s}` is not in the catalogue")));
            }
            services.insert(s);
        }
        roles.tier.push(tier);
        roles.services.push(services);
    }
    Ok(roles)
}

/// Walks to the nearest eligible center for one service or one tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementCoverage {
    /// Service or tier id.
    pub id: String,
    /// Display name (the id when the config gives none).
    pub name: String,
    /// The tier the requirement belongs to (None: any tier).
    pub tier: Option<String>,
    /// Threshold, minutes.
    pub threshold_min: f64,
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
    demand: &[PointFeature],
    params: &CoverageParams,
    eligible: &[usize],
    head: (String, String, Option<String>, f64, bool),
) -> Result<RequirementCoverage> {
    let (id, name, tier, threshold_min, required) = head;
    let total: f64 = demand.iter().map(|d| d.population).sum();
    let mut out = RequirementCoverage {
        id,
        name,
        tier,
        threshold_min,
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
    let p = CoverageParams {
        threshold_min,
        ..params.clone()
    };
    let result: CoverageResult = compute_coverage(network, costs, &subset, demand, &p)?;
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
    let gaps = find_gaps(network, &result, demand);
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
/// Complexity: O((S + T) · ((V + E) log V + D log E)) for S services and T tiers.
///
/// # Errors
/// As [`center_roles`] for centers whose properties do not match the config, and as
/// [`compute_coverage`].
pub fn compute_tier_coverage(
    network: &WalkNetwork,
    costs: &WalkCosts,
    centers: &[PointFeature],
    demand: &[PointFeature],
    params: &CoverageParams,
    config: &ServiceConfig,
) -> Result<TierCoverage> {
    config.validate("")?;
    let roles = center_roles(config, centers)?;
    let mut tiers = Vec::new();
    for t in &config.tiers {
        let eligible: Vec<usize> = (0..centers.len())
            .filter(|&c| config.tier_counts_as(&roles.tier[c], &t.id))
            .collect();
        tiers.push(requirement(
            network,
            costs,
            centers,
            demand,
            params,
            &eligible,
            (
                t.id.clone(),
                t.name.clone().unwrap_or_else(|| t.id.clone()),
                Some(t.id.clone()),
                t.threshold_min,
                true,
            ),
        )?);
    }
    let mut services = Vec::new();
    for s in &config.services {
        let eligible: Vec<usize> = (0..centers.len())
            .filter(|&c| {
                roles.services[c].contains(&s.id)
                    && s.tier
                        .as_deref()
                        .is_none_or(|t| config.tier_counts_as(&roles.tier[c], t))
            })
            .collect();
        services.push(requirement(
            network,
            costs,
            centers,
            demand,
            params,
            &eligible,
            (
                s.id.clone(),
                s.name.clone().unwrap_or_else(|| s.id.clone()),
                s.tier.clone(),
                config.service_threshold_min(s),
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
    })
}
