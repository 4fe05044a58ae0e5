//! Tag rules: a center's tier and services from its properties (or OSM tags) when it
//! carries no `tier` of its own, so centers read from OpenStreetMap need no hand labels.
//!
//! ```toml
//! [[rules]]
//! name = "community centres"                 # optional, shown in reports
//! match = { amenity = "community_centre" }   # every key must match
//! tier = "neighbourhood"
//! services = ["reading_room", "meeting_rooms"]
//!
//! [[rules]]
//! match = { amenity = ["townhall", "social_facility"], "social_facility:for" = "*" }
//! tier = "subdistrict"
//! ```
//!
//! A value matches when the property equals it, equals one of a list, or — for OSM's
//! `a;b` multi-values — one of its parts does; `"*"` matches any value that is there.
//! The first rule that matches wins (config order). A center's own `tier` property wins
//! over every rule; its own `services` are added to the rule's.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::features::PointFeature;

/// What one rule needs of a property: one value, or any of several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RuleValue {
    /// This value (`"*"`: any value).
    One(String),
    /// Any of these values.
    Any(Vec<String>),
}

impl RuleValue {
    fn accepts(&self, value: &str) -> bool {
        let one = |wanted: &str| {
            wanted == "*" || value == wanted || value.split(';').any(|part| part.trim() == wanted)
        };
        match self {
            RuleValue::One(wanted) => one(wanted),
            RuleValue::Any(wanted) => wanted.iter().any(|w| one(w)),
        }
    }
}

/// One rule: centers whose properties match get its tier and services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CenterRule {
    /// Display name (default: the match written out).
    #[serde(default)]
    pub name: Option<String>,
    /// Property (or OSM tag) → the value it must have.
    #[serde(rename = "match")]
    pub matches: BTreeMap<String, RuleValue>,
    /// The tier the matched centers get.
    pub tier: String,
    /// The services they offer.
    #[serde(default)]
    pub services: Vec<String>,
}

impl CenterRule {
    /// Whether `center`'s properties satisfy every key of the rule.
    pub fn matches(&self, center: &PointFeature) -> bool {
        self.matches
            .iter()
            .all(|(key, wanted)| match center.properties.get(key) {
                Some(serde_json::Value::String(s)) => wanted.accepts(s.trim()),
                Some(serde_json::Value::Number(n)) => wanted.accepts(&n.to_string()),
                Some(serde_json::Value::Bool(b)) => wanted.accepts(&b.to_string()),
                _ => false,
            })
    }

    /// The name reports show: the given one, or the match written out
    /// (`amenity=community_centre`).
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| {
            self.matches
                .iter()
                .map(|(key, value)| match value {
                    RuleValue::One(v) => format!("{key}={v}"),
                    RuleValue::Any(vs) => format!("{key}={}", vs.join("|")),
                })
                .collect::<Vec<_>>()
                .join(" & ")
        })
    }
}

/// Centers matched by one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleCount {
    /// The rule, as [`CenterRule::label`] names it.
    pub rule: String,
    /// The tier it gives.
    pub tier: String,
    /// Centers it matched (first match only: a center counts for one rule).
    pub centers: usize,
}

/// How the centers got their tiers when the config has rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleReport {
    /// Per rule, in config order.
    pub rules: Vec<RuleCount>,
    /// Centers whose own `tier` property was used.
    pub by_property: usize,
    /// Centers neither a property nor a rule gave a tier: they count for no tier.
    pub unmatched: usize,
    /// The first [`UNMATCHED_LISTED`] of them, by id.
    pub unmatched_ids: Vec<String>,
}

/// How many unmatched centers the report lists by id.
pub const UNMATCHED_LISTED: usize = 20;

/// The first rule matching `center`, by index.
pub(crate) fn first_match(rules: &[CenterRule], center: &PointFeature) -> Option<usize> {
    rules.iter().position(|rule| rule.matches(center))
}

/// Checks every rule against the config's tier and service ids; the first problem.
pub(crate) fn check_rules(
    rules: &[CenterRule],
    tier_ids: &BTreeSet<&str>,
    service_ids: &BTreeSet<&str>,
) -> std::result::Result<(), String> {
    for (i, rule) in rules.iter().enumerate() {
        let which = format!("rule {} ({})", i + 1, rule.label());
        if rule.matches.is_empty() {
            return Err(format!("{which} matches nothing: give `match`"));
        }
        if !tier_ids.contains(rule.tier.as_str()) {
            return Err(format!("{which} gives unknown tier `{}`", rule.tier));
        }
        if let Some(s) = rule
            .services
            .iter()
            .find(|s| !service_ids.contains(s.as_str()))
        {
            return Err(format!(
                "{which} gives service `{s}`, which is not in the catalogue"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A center at 0, 0 with these properties.
    pub(crate) fn center(tags: &[(&str, &str)]) -> PointFeature {
        tags.iter()
            .fold(PointFeature::new("c", 0.0, 0.0), |c, (k, v)| {
                c.with_property(k, *v)
            })
    }

    fn rule(toml_text: &str) -> CenterRule {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn values_lists_multi_values_and_any() {
        let r = rule(
            r#"match = { amenity = "community_centre" }
tier = "n""#,
        );
        assert!(r.matches(&center(&[("amenity", "community_centre")])));
        assert!(r.matches(&center(&[("amenity", "library;community_centre")])));
        assert!(!r.matches(&center(&[("amenity", "library")])));
        assert!(!r.matches(&center(&[("leisure", "community_centre")])));
        assert_eq!(r.label(), "amenity=community_centre");

        let r = rule(
            r#"match = { amenity = ["townhall", "library"], operator = "*" }
tier = "s""#,
        );
        assert!(r.matches(&center(&[("amenity", "library"), ("operator", "city")])));
        assert!(!r.matches(&center(&[("amenity", "library")])), "every key");
        assert_eq!(r.label(), "amenity=townhall|library & operator=*");
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let rules = [
            rule(
                r#"match = { amenity = "library" }
tier = "a""#,
            ),
            rule(
                r#"match = { amenity = "*" }
tier = "b""#,
            ),
        ];
        assert_eq!(
            first_match(&rules, &center(&[("amenity", "library")])),
            Some(0)
        );
        assert_eq!(
            first_match(&rules, &center(&[("amenity", "townhall")])),
            Some(1)
        );
        assert_eq!(first_match(&rules, &center(&[("shop", "x")])), None);
    }
}
