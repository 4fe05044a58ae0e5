//! The service catalogue: tiers with their walking thresholds, the services each tier
//! must offer, and the tag rules that give centers their tiers.
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
//! threshold_m = 1000          # a walking distance; or threshold_min = 15, a walking time
//! stands_in_for = []          # lower tiers this tier also counts as (default none)
//!
//! [[services]]
//! id = "community_health_center"
//! name = "Community health service center"
//! tier = "15min"              # the tier at which it must be within reach
//! threshold_m = 1000          # optional (or threshold_min); default: the tier's threshold
//! required = true             # counts towards complete coverage (default true)
//! ```
//!
//! Each tier gives exactly one of `threshold_min` and `threshold_m`
//! ([`crate::coverage::Threshold`]); a service may give one to override its tier's.
//!
//! A service required at tier `T` is met only by centers that offer it *and* whose tier
//! is `T` or a tier whose `stands_in_for` lists `T`: a higher tier does not stand in for
//! a lower one unless the config says so. A service without a `tier` is met by any center
//! offering it, and must give its own `threshold_min`.
//!
//! Centers without a `tier` property (those read from OpenStreetMap by tag) get theirs
//! from the config's `[[rules]]` ([`CenterRule`]): tag or property values → tier and
//! services, with the centers each rule matched and those none did reported.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::center_rules::{check_rules, CenterRule};
use super::params::Threshold;
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
    /// Walking threshold of the tier, minutes (or give `threshold_m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_min: Option<f64>,
    /// Walking threshold of the tier as a distance along the network, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_m: Option<f64>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_min: Option<f64>,
    /// Walking threshold as a distance along the network, metres (default: the tier's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_m: Option<f64>,
    /// Whether the service counts towards complete coverage.
    #[serde(default = "yes")]
    pub required: bool,
}

impl TierSpec {
    /// The tier's threshold (a validated config gives exactly one of the two fields).
    pub fn threshold(&self) -> Threshold {
        match (self.threshold_m, self.threshold_min) {
            (Some(m), _) => Threshold::Metres(m),
            (None, Some(min)) => Threshold::Minutes(min),
            (None, None) => Threshold::Minutes(f64::NAN),
        }
    }
}

impl ServiceSpec {
    /// The service's own threshold, when it gives one.
    pub fn own_threshold(&self) -> Option<Threshold> {
        match (self.threshold_m, self.threshold_min) {
            (Some(m), _) => Some(Threshold::Metres(m)),
            (None, Some(min)) => Some(Threshold::Minutes(min)),
            (None, None) => None,
        }
    }
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
    /// Tier and services of centers without a `tier` property, from their tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<CenterRule>,
}

/// Names of the built-in presets ([`ServiceConfig::preset`]).
pub const SERVICE_PRESETS: [&str; 2] = ["gb50180", "gb50180-minutes"];

/// The one threshold of `min` and `m` given, or a reason naming `what`.
fn one_threshold(
    what: &str,
    min: Option<f64>,
    m: Option<f64>,
) -> std::result::Result<Option<Threshold>, String> {
    let threshold = match (min, m) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "{what} gives both threshold_min and threshold_m; give one (a walking time or a walking distance)"
            ))
        }
        (Some(v), None) => Threshold::Minutes(v),
        (None, Some(v)) => Threshold::Metres(v),
        (None, None) => return Ok(None),
    };
    let key = if threshold.is_distance() {
        "threshold_m"
    } else {
        "threshold_min"
    };
    threshold
        .validate(&format!("{key} of {what}"))
        .map_err(|e| match e {
            Error::InvalidParameter { name, reason } => format!("{name} {reason}"),
            other => other.to_string(),
        })?;
    Ok(Some(threshold))
}

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
    /// use lifecircle::coverage::{ServiceConfig, Threshold};
    /// let c = ServiceConfig::parse("x.toml", r#"
    ///     [[tiers]]
    ///     id = "t"
    ///     threshold_min = 5
    ///     [[tiers]]
    ///     id = "u"
    ///     threshold_m = 300
    /// "#).unwrap();
    /// assert_eq!(c.tiers[0].threshold(), Threshold::Minutes(5.0));
    /// assert_eq!(c.tiers[1].threshold(), Threshold::Metres(300.0));
    /// let err = ServiceConfig::parse("x.toml", "[[tiers]]\nid = \"t\"\nthreshold_min = 0\n");
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
        let mut tier_ids = BTreeSet::new();
        for t in &self.tiers {
            if !tier_ids.insert(t.id.as_str()) {
                return Err(invalid(layer, format!("tier `{}` is defined twice", t.id)));
            }
            let what = format!("tier `{}`", t.id);
            match one_threshold(&what, t.threshold_min, t.threshold_m) {
                Err(reason) => return Err(invalid(layer, reason)),
                Ok(None) => {
                    return Err(invalid(
                        layer,
                        format!(
                        "{what} needs a threshold: threshold_min (minutes) or threshold_m (metres)"
                    ),
                    ))
                }
                Ok(Some(_)) => {}
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
            match one_threshold(
                &format!("service `{}`", s.id),
                s.threshold_min,
                s.threshold_m,
            ) {
                Err(reason) => return Err(invalid(layer, reason)),
                Ok(None) if s.tier.is_none() => {
                    return Err(invalid(
                        layer,
                        format!(
                            "service `{}` needs a tier or its own threshold_min or threshold_m",
                            s.id
                        ),
                    ))
                }
                Ok(_) => {}
            }
        }
        check_rules(&self.rules, &tier_ids, &service_ids)
            .map_err(|reason| invalid(layer, format!("{reason} (tiers: {})", self.tier_list())))
    }

    pub(crate) fn tier_list(&self) -> String {
        self.tiers
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn tier(&self, id: &str) -> Option<&TierSpec> {
        self.tiers.iter().find(|t| t.id == id)
    }

    /// Walking threshold of a service: its own, else its tier's (a validated config
    /// has one or the other).
    pub fn service_threshold(&self, service: &ServiceSpec) -> Threshold {
        service
            .own_threshold()
            .or_else(|| {
                service
                    .tier
                    .as_deref()
                    .and_then(|t| self.tier(t))
                    .map(TierSpec::threshold)
            })
            .unwrap_or(Threshold::Minutes(f64::NAN))
    }

    /// Every threshold the catalogue uses, with what it belongs to (`tier `t``,
    /// `service `s``).
    pub fn thresholds(&self) -> Vec<(String, Threshold)> {
        let tiers = self
            .tiers
            .iter()
            .map(|t| (format!("tier `{}`", t.id), t.threshold()));
        let services = self
            .services
            .iter()
            .map(|s| (format!("service `{}`", s.id), self.service_threshold(s)));
        tiers.chain(services).collect()
    }

    /// Whether a center of tier `center_tier` counts for tier `wanted`.
    pub fn tier_counts_as(&self, center_tier: &str, wanted: &str) -> bool {
        center_tier == wanted
            || self
                .tier(center_tier)
                .is_some_and(|t| t.stands_in_for.iter().any(|s| s == wanted))
    }

    /// A built-in preset: `gb50180`, the walking life circles of China's residential
    /// planning standard GB 50180-2018 (*Standard for urban residential area planning
    /// and design*) as it defines them, by walking distance — 15-minute 1,000 m
    /// (the standard: 800–1,000 m), 10-minute 500 m, 5-minute 300 m, and the residential
    /// block 200 m — each with some of the facilities the standard's Appendix B assigns
    /// to it (indicative; extend from the standard's tables); or `gb50180-minutes`, the
    /// same by walking time (15/10/5/2.5 minutes). No level stands in for another.
    ///
    /// ```
    /// use lifecircle::coverage::{ServiceConfig, Threshold};
    /// let distance = ServiceConfig::preset("gb50180").unwrap();
    /// assert_eq!(distance.tiers[1].threshold(), Threshold::Metres(500.0));
    /// let time = ServiceConfig::preset("gb50180-minutes").unwrap();
    /// assert_eq!(time.tiers[1].threshold(), Threshold::Minutes(10.0));
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown preset name.
    pub fn preset(name: &str) -> Result<ServiceConfig> {
        match name {
            "gb50180" | "gb50180-2018" => ServiceConfig::parse("preset gb50180", GB50180_TOML),
            "gb50180-minutes" | "gb50180-2018-minutes" => {
                ServiceConfig::parse("preset gb50180-minutes", GB50180_MINUTES_TOML)
            }
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

/// The `gb50180` preset (walking distances) as TOML.
pub const GB50180_TOML: &str = include_str!("../../../config/gb50180.toml");
/// The `gb50180-minutes` preset (walking times) as TOML.
pub const GB50180_MINUTES_TOML: &str = include_str!("../../../config/gb50180-minutes.toml");
