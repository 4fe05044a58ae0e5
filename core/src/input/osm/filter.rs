//! Which OSM elements become points (tag filters) and whom each stands for.

use super::*;

/// One `key` or `key=v1|v2` alternative of a [`TagFilter`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TagCondition {
    pub(super) key: String,
    /// `None`: any value except `no`.
    pub(super) values: Option<Vec<String>>,
}

/// Which OSM elements count as points of interest, e.g. `amenity=community_centre|library`.
///
/// A spec is one or more alternatives separated by `,` or `;`; an element matches when any
/// alternative does. An alternative is
/// - `key` or `key=*`: the tag is present with any value except `no`
///   (so `building` leaves out `building=no`);
/// - `key=v1|v2|...`: the tag has one of the listed values.
///
/// ```
/// use std::collections::BTreeMap;
/// use lifecircle::input::TagFilter;
///
/// let filter = TagFilter::parse("amenity=community_centre|library, building").unwrap();
/// let tags = |k: &str, v: &str| BTreeMap::from([(k.to_string(), v.to_string())]);
/// assert!(filter.matches(&tags("amenity", "library")));
/// assert!(filter.matches(&tags("building", "yes")));
/// assert!(!filter.matches(&tags("building", "no")));
/// assert!(!filter.matches(&tags("amenity", "school")));
/// assert_eq!(filter.to_string(), "amenity=community_centre|library, building");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFilter {
    spec: String,
    pub(super) conditions: Vec<TagCondition>,
}

impl TagFilter {
    /// Parses a filter spec (see [`TagFilter`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (named `tag filter`) for an empty spec, an empty key or
    /// an empty value.
    pub fn parse(spec: &str) -> Result<TagFilter> {
        let invalid = |reason: String| Error::InvalidParameter {
            name: "tag filter".to_string(),
            reason,
        };
        let mut conditions = Vec::new();
        for alternative in spec.split([',', ';']).map(str::trim) {
            if alternative.is_empty() {
                continue;
            }
            let (key, values) = match alternative.split_once('=') {
                None => (alternative, None),
                Some((key, values)) => (key.trim(), Some(values.trim())),
            };
            if key.is_empty() {
                return Err(invalid(format!("`{alternative}` has no key")));
            }
            let values = match values {
                None | Some("*") => None,
                Some(values) => {
                    let list: Vec<String> =
                        values.split('|').map(|v| v.trim().to_string()).collect();
                    if list.iter().any(String::is_empty) {
                        return Err(invalid(format!("`{alternative}` has an empty value")));
                    }
                    Some(list)
                }
            };
            conditions.push(TagCondition {
                key: key.to_string(),
                values,
            });
        }
        if conditions.is_empty() {
            return Err(invalid(format!(
                "`{spec}` names no tag; expected e.g. `amenity=library|school` or `building`"
            )));
        }
        Ok(TagFilter {
            spec: spec.trim().to_string(),
            conditions,
        })
    }

    /// Whether an element with these tags matches.
    pub fn matches(&self, tags: &BTreeMap<String, String>) -> bool {
        self.matches_pairs(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Whether an element with these `(key, value)` pairs matches; avoids building a map.
    pub fn matches_pairs<'a>(&self, tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> bool {
        tags.into_iter().any(|(key, value)| {
            self.conditions
                .iter()
                .any(|condition| condition.key == key && condition.accepts(value))
        })
    }
}

impl TagCondition {
    fn accepts(&self, value: &str) -> bool {
        match &self.values {
            None => value != "no",
            Some(values) => values.iter().any(|v| v == value),
        }
    }
}

impl fmt::Display for TagFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spec)
    }
}

// ---------------------------------------------------------------------------------------------
// Points of interest

/// How many people an OSM point of interest stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum PopulationEstimate {
    /// Every element is 1 (centers, candidate sites).
    One,
    /// The numeric value of a tag, e.g. `population`. An element without the tag, or with a
    /// value that is not a non-negative number up to 10¹², counts 1 and is counted in `skipped` under a
    /// key starting with `defaulted:` (the point itself is kept).
    FromTag {
        /// Tag key.
        key: String,
    },
    /// Residents estimated from building floor area: geodesic footprint area (m²) ×
    /// `building:levels` (leading number of the tag, default 1; more than 1000 counts as
    /// absent) ÷ `m2_per_person`, rounded
    /// to 2 decimals, with no minimum (a small shed may be 0.3 people). Elements without a
    /// footprint (nodes, open ways, multipolygons that could not be assembled) count 1,
    /// counted under a `defaulted:` key.
    FloorArea {
        /// Floor area per resident in m² (must be positive).
        m2_per_person: f64,
    },
}

impl PopulationEstimate {
    /// Parses `one`, `tag:KEY` or `area:M2_PER_PERSON` (as the command line and the
    /// Python package take it).
    ///
    /// # Errors
    /// The reason, in words, when `spec` is none of these or the area is below
    /// [`super::MIN_M2_PER_PERSON`].
    pub fn parse(spec: &str) -> Result<Self, String> {
        if spec == "one" {
            return Ok(Self::One);
        }
        if let Some(key) = spec.strip_prefix("tag:") {
            if key.is_empty() {
                return Err("needs a tag key, e.g. tag:population".into());
            }
            return Ok(Self::FromTag { key: key.into() });
        }
        if let Some(value) = spec.strip_prefix("area:") {
            let min = super::MIN_M2_PER_PERSON;
            return value
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= min)
                .map(|m2_per_person| Self::FloorArea { m2_per_person })
                .ok_or_else(|| format!("expected a floor area of at least {min} m² per person"));
        }
        Err("expected `one`, `tag:KEY` or `area:M2_PER_PERSON`".into())
    }
}
