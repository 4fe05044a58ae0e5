//! Shared checks: coordinate ranges, population values and unique point ids.

use std::collections::HashSet;

use super::SkipCounts;

/// Skip-count key for ids made unique by [`make_ids_unique`]. The `renamed:` prefix marks it
/// as a change, not a dropped feature.
pub(crate) const RENAMED_DUPLICATE_ID: &str = "renamed: duplicate id (#n suffix added)";

/// Checks one WGS84 position; the error says what is wrong and hints at swapped axes.
pub(crate) fn check_lon_lat(lon: f64, lat: f64) -> Result<(), String> {
    if !lon.is_finite() || !lat.is_finite() {
        return Err(format!("is not a finite number pair ({lon}, {lat})"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        let hint = if lon.abs() <= 90.0 {
            " (lon/lat swapped?)"
        } else {
            ""
        };
        return Err(format!("has latitude {lat} outside [-90, 90]{hint}"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("has longitude {lon} outside [-180, 180]"));
    }
    Ok(())
}

/// Largest population one feature may stand for: far above any real building or district,
/// and small enough that sums over the feature limit stay finite.
pub(crate) const MAX_POPULATION: f64 = 1e12;

/// Parses a population value: a JSON number or a numeric string, finite and not negative.
pub(crate) fn parse_population(value: &serde_json::Value) -> Result<f64, String> {
    let number = match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match number {
        Some(p) if p > MAX_POPULATION => Err(format!(
            "population {p:e} is more than the largest accepted ({MAX_POPULATION:e})"
        )),
        // `-0` is zero: adding 0.0 turns -0.0 into 0.0, so no output ever says `-0`.
        Some(p) if p.is_finite() && p >= 0.0 => Ok(p + 0.0),
        Some(p) => Err(format!(
            "population {p} is not a finite non-negative number"
        )),
        None => Err(format!("population {value} is not a number")),
    }
}

/// Renames repeated ids deterministically: the second `a` becomes `a#2`, the third `a#3`
/// (skipping any suffix that is itself taken), and counts each rename in `skipped`.
pub(crate) fn make_ids_unique<'a>(
    ids: impl Iterator<Item = &'a mut String>,
    skipped: &mut SkipCounts,
) {
    let mut ids: Vec<&mut String> = ids.collect();
    let mut seen: HashSet<String> = HashSet::with_capacity(ids.len());
    let mut duplicates = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert((**id).clone()) {
            duplicates.push(i);
        }
    }
    for &i in &duplicates {
        let base = ids[i].clone();
        if let Some(unique) = (2..)
            .map(|n| format!("{base}#{n}"))
            .find(|candidate| !seen.contains(candidate))
        {
            seen.insert(unique.clone());
            *ids[i] = unique;
        }
    }
    skipped.add(RENAMED_DUPLICATE_ID, duplicates.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinate_ranges() {
        assert!(check_lon_lat(180.0, -90.0).is_ok());
        let swapped = check_lon_lat(60.2, 95.3).unwrap_err();
        assert_eq!(
            swapped,
            "has latitude 95.3 outside [-90, 90] (lon/lat swapped?)"
        );
        assert!(!check_lon_lat(120.0, 95.0).unwrap_err().contains("swapped"));
        assert!(check_lon_lat(181.0, 0.0)
            .unwrap_err()
            .contains("longitude 181"));
        assert!(check_lon_lat(f64::NAN, 0.0).unwrap_err().contains("finite"));
    }

    #[test]
    fn population_values() {
        use serde_json::json;
        assert_eq!(parse_population(&json!(12)), Ok(12.0));
        assert_eq!(parse_population(&json!(" 2.5 ")), Ok(2.5));
        assert!(parse_population(&json!(-1)).unwrap_err().contains("-1"));
        assert!(parse_population(&json!("many"))
            .unwrap_err()
            .contains("not a number"));
        assert!(parse_population(&json!("NaN")).is_err());
        assert!(parse_population(&json!(true)).is_err());
        // Regression: 1e308 twice summed to infinity and made the coverage ratio NaN.
        assert!(parse_population(&json!(1e300))
            .unwrap_err()
            .contains("largest accepted"));
        assert_eq!(parse_population(&json!(1e12)), Ok(1e12));
    }

    #[test]
    fn duplicate_ids_get_suffixes() {
        use crate::features::PointFeature;
        let point = |id: &str| PointFeature {
            id: id.to_string(),
            lon: 0.0,
            lat: 0.0,
            population: 1.0,
            properties: Default::default(),
            source_index: 0,
        };
        let mut points = [point("a"), point("a#2"), point("a"), point("b"), point("a")];
        let mut skipped = SkipCounts::default();
        make_ids_unique(points.iter_mut().map(|p| &mut p.id), &mut skipped);
        let ids: Vec<_> = points.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["a", "a#2", "a#3", "b", "a#4"]);
        assert_eq!(skipped.0[RENAMED_DUPLICATE_ID], 2);
    }
}
