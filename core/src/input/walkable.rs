//! The walkability rule of the coverage contract (`docs/coverage-contract.md`): which road lines a pedestrian may use.

use std::collections::BTreeMap;

/// `highway` values that are never walked: motorways, roads that do not exist (yet or any
/// more), race tracks and guided busways.
const NOT_WALKABLE_HIGHWAYS: [&str; 7] = [
    "motorway",
    "motorway_link",
    "construction",
    "proposed",
    "abandoned",
    "raceway",
    "bus_guideway",
];

/// Decides whether a line with these tags is walkable (`docs/coverage-contract.md`, "Walkable").
///
/// A line is walkable when all of these hold:
/// - its `highway` value is none of motorway, motorway_link, construction, proposed,
///   abandoned, raceway, bus_guideway;
/// - `foot` is not `no` or `private`;
/// - `access` is not `no` or `private`, unless `foot` is `yes`, `designated` or
///   `permissive`.
///
/// A line with **no `highway` tag at all** is walkable: in GeoJSON input such lines are the
/// user's own footpath data (a hand-drawn path network has no OSM tags). OSM readers only
/// call this for ways that have a `highway` tag; other ways are not roads.
///
/// Walking ignores `oneway`.
///
/// # Errors
/// Returns the skip reason, e.g. `"not walkable (highway=motorway)"`. Reasons are grouped
/// by tag value and the set of values is fixed, so the number of distinct reasons is bounded.
///
/// ```
/// use std::collections::BTreeMap;
/// use lifecircle::input::is_walkable;
///
/// let tags = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
///     pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
/// };
/// assert!(is_walkable(&tags(&[("highway", "footway")])).is_ok());
/// assert_eq!(
///     is_walkable(&tags(&[("highway", "motorway")])),
///     Err("not walkable (highway=motorway)".to_string()),
/// );
/// assert!(is_walkable(&tags(&[("highway", "service"), ("access", "private"), ("foot", "yes")])).is_ok());
/// ```
pub fn is_walkable(tags: &BTreeMap<String, String>) -> Result<(), String> {
    if let Some(highway) = tags.get("highway") {
        if let Some(excluded) = NOT_WALKABLE_HIGHWAYS.iter().find(|v| **v == highway) {
            return Err(format!("not walkable (highway={excluded})"));
        }
    }
    let foot = tags.get("foot").map(String::as_str);
    match foot {
        Some(value @ ("no" | "private")) => return Err(format!("not walkable (foot={value})")),
        Some("yes" | "designated" | "permissive") => return Ok(()),
        _ => {}
    }
    match tags.get("access").map(String::as_str) {
        Some(value @ ("no" | "private")) => Err(format!("not walkable (access={value})")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn ordinary_highways_are_walkable() {
        for value in [
            "footway",
            "residential",
            "primary",
            "trunk",
            "trail",
            "steps",
        ] {
            assert_eq!(is_walkable(&tags(&[("highway", value)])), Ok(()), "{value}");
        }
    }

    #[test]
    fn excluded_highways_name_their_value() {
        for value in NOT_WALKABLE_HIGHWAYS {
            assert_eq!(
                is_walkable(&tags(&[("highway", value)])),
                Err(format!("not walkable (highway={value})"))
            );
        }
    }

    #[test]
    fn foot_no_and_private_exclude() {
        for value in ["no", "private"] {
            assert_eq!(
                is_walkable(&tags(&[("highway", "footway"), ("foot", value)])),
                Err(format!("not walkable (foot={value})"))
            );
        }
    }

    #[test]
    fn access_restrictions_unless_foot_allows() {
        for access in ["no", "private"] {
            let restricted = tags(&[("highway", "service"), ("access", access)]);
            assert_eq!(
                is_walkable(&restricted),
                Err(format!("not walkable (access={access})"))
            );
            for foot in ["yes", "designated", "permissive"] {
                let allowed = tags(&[("highway", "service"), ("access", access), ("foot", foot)]);
                assert_eq!(is_walkable(&allowed), Ok(()));
            }
        }
        assert_eq!(
            is_walkable(&tags(&[("highway", "service"), ("access", "destination")])),
            Ok(())
        );
    }

    #[test]
    fn foot_yes_does_not_make_a_motorway_walkable() {
        let motorway = tags(&[("highway", "motorway"), ("foot", "yes")]);
        assert!(is_walkable(&motorway).is_err());
    }

    #[test]
    fn lines_without_highway_are_user_footpaths() {
        assert_eq!(is_walkable(&tags(&[])), Ok(()));
        assert_eq!(is_walkable(&tags(&[("name", "garden path")])), Ok(()));
        assert!(is_walkable(&tags(&[("foot", "no")])).is_err());
    }
}
