//! What each center is for the tier analysis: its tier and services, from its own
//! `tier` and `services` properties or — when it carries no `tier` — from the config's
//! tag rules ([`super::CenterRule`]).

use std::collections::BTreeSet;

use super::catalogue::ServiceConfig;
use super::center_rules::{first_match, RuleCount, RuleReport, UNMATCHED_LISTED};
use crate::features::PointFeature;
use crate::{Error, Result};

/// What each center is: its tier and services, as indexes into the config.
#[derive(Debug, Clone, PartialEq)]
pub struct CenterRoles {
    /// Per center, its tier id (`None`: no property and no rule gave one; it counts for
    /// no tier).
    pub tier: Vec<Option<String>>,
    /// Per center, the ids of the services it offers (catalogue order).
    pub services: Vec<BTreeSet<String>>,
    /// With rules in the config: how the tiers were found.
    pub rules: Option<RuleReport>,
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

/// Reads the `tier` and `services` properties of every center; centers without a `tier`
/// get theirs from the first of the config's rules that matches them.
///
/// # Errors
/// [`Error::Feature`] (layer `centers`, the center's index) for a center without a tier
/// when the config has no rules, with a tier the config does not name, or offering a
/// service not in the catalogue; [`Error::Empty`] when the config has rules and no
/// center got a tier.
pub fn center_roles(config: &ServiceConfig, centers: &[PointFeature]) -> Result<CenterRoles> {
    let known: BTreeSet<&str> = config.services.iter().map(|s| s.id.as_str()).collect();
    let mut roles = CenterRoles {
        tier: Vec::with_capacity(centers.len()),
        services: Vec::with_capacity(centers.len()),
        rules: None,
    };
    let mut report = RuleReport {
        rules: config
            .rules
            .iter()
            .map(|rule| RuleCount {
                rule: rule.label(),
                tier: rule.tier.clone(),
                centers: 0,
            })
            .collect(),
        by_property: 0,
        unmatched: 0,
        unmatched_ids: Vec::new(),
    };
    for (i, c) in centers.iter().enumerate() {
        let err = |reason: String| Error::Feature {
            layer: "centers".into(),
            index: i,
            reason: format!("center `{}`: {reason}", c.id),
        };
        let own = match c.properties.get("tier") {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                Some(s.trim().to_string())
            }
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let mut services = BTreeSet::new();
        let tier = match (own, first_match(&config.rules, c)) {
            (Some(tier), _) => {
                report.by_property += 1;
                tier
            }
            (None, Some(rule)) => {
                report.rules[rule].centers += 1;
                services.extend(config.rules[rule].services.iter().cloned());
                config.rules[rule].tier.clone()
            }
            (None, None) if config.rules.is_empty() => {
                return Err(err(format!(
                    "has no `tier` property (tiers: {}; or give [[rules]] that assign tiers \
                     by tag)",
                    config.tier_list()
                )))
            }
            (None, None) => {
                report.unmatched += 1;
                if report.unmatched_ids.len() < UNMATCHED_LISTED {
                    report.unmatched_ids.push(c.id.clone());
                }
                roles.tier.push(None);
                roles.services.push(BTreeSet::new());
                continue;
            }
        };
        if config.tier(&tier).is_none() {
            return Err(err(format!(
                "unknown tier `{tier}` (tiers: {})",
                config.tier_list()
            )));
        }
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
        roles.tier.push(Some(tier));
        roles.services.push(services);
    }
    if !config.rules.is_empty() {
        if !centers.is_empty() && report.unmatched == centers.len() {
            return Err(Error::Empty {
                layer: "centers".into(),
                reason: format!(
                    "no center has a `tier` property or matches a rule of the config ({} \
                     rules: {}); check the rules' tags against the centers' properties",
                    config.rules.len(),
                    report
                        .rules
                        .iter()
                        .map(|r| r.rule.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            });
        }
        roles.rules = Some(report);
    }
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::center_rules::tests::center;

    const CONFIG: &str = r#"
[[tiers]]
id = "sub"
threshold_min = 10
[[tiers]]
id = "hood"
threshold_min = 5
[[services]]
id = "reading_room"
tier = "hood"
[[services]]
id = "legal_advice"
tier = "sub"
[[rules]]
match = { amenity = ["community_centre", "social_centre"] }
tier = "hood"
services = ["reading_room"]
[[rules]]
name = "town halls"
match = { amenity = "townhall" }
tier = "sub"
services = ["legal_advice"]
"#;

    #[test]
    fn centers_get_tiers_by_rule_by_property_or_none_and_are_counted() {
        use crate::coverage::{center_roles, ServiceConfig};
        let config = ServiceConfig::parse("d.toml", CONFIG).unwrap();
        let centers = [
            center(&[("amenity", "community_centre")]),
            center(&[("amenity", "townhall")]),
            center(&[("amenity", "library")]),
            // Its own tier wins over the rule its tags match; its services are added.
            center(&[
                ("amenity", "community_centre"),
                ("tier", "sub"),
                ("services", "legal_advice"),
            ]),
        ];
        let roles = center_roles(&config, &centers).unwrap();
        assert_eq!(
            roles.tier,
            [
                Some("hood".into()),
                Some("sub".into()),
                None,
                Some("sub".into())
            ]
        );
        assert_eq!(
            roles.services[0],
            BTreeSet::from(["reading_room".to_string()])
        );
        assert_eq!(
            roles.services[1],
            BTreeSet::from(["legal_advice".to_string()])
        );
        assert!(roles.services[2].is_empty());
        assert_eq!(
            roles.services[3],
            BTreeSet::from(["legal_advice".to_string()])
        );
        let report = roles.rules.unwrap();
        assert_eq!(
            report
                .rules
                .iter()
                .map(|r| (r.rule.as_str(), r.centers))
                .collect::<Vec<_>>(),
            [
                ("amenity=community_centre|social_centre", 1),
                ("town halls", 1)
            ]
        );
        assert_eq!((report.by_property, report.unmatched), (1, 1));
        assert_eq!(report.unmatched_ids, ["c"]);

        // Nothing matched at all is an error naming the rules, not an empty analysis.
        let e = center_roles(&config, &[center(&[("shop", "bakery")])]).unwrap_err();
        assert!(matches!(e, crate::Error::Empty { .. }), "{e}");
        assert!(e.to_string().contains("town halls"), "{e}");
        // Without rules a center without a tier is an error that points at them.
        let plain =
            ServiceConfig::parse("p.toml", "[[tiers]]\nid = \"t\"\nthreshold_min = 5\n").unwrap();
        let e = center_roles(&plain, &[center(&[])])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("has no `tier` property") && e.contains("[[rules]]"),
            "{e}"
        );
    }

    #[test]
    fn rules_naming_unknown_tiers_or_services_are_refused() {
        use crate::coverage::ServiceConfig;
        let bad_tier = CONFIG.replace(
            "tier = \"sub\"\nservices = [\"legal_advice\"]",
            "tier = \"city\"",
        );
        let e = ServiceConfig::parse("d.toml", &bad_tier)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("rule 2 (town halls) gives unknown tier `city`"),
            "{e}"
        );
        let bad_service = CONFIG.replace("services = [\"legal_advice\"]", "services = [\"legal\"]");
        let e = ServiceConfig::parse("d.toml", &bad_service)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("gives service `legal`, which is not in the catalogue"),
            "{e}"
        );
        let no_match = CONFIG.replace("match = { amenity = \"townhall\" }", "match = {}");
        let e = ServiceConfig::parse("d.toml", &no_match)
            .unwrap_err()
            .to_string();
        assert!(e.contains("matches nothing"), "{e}");
    }
}
