//! Vector features into WGS84: the coordinate system a file declares, else the one the
//! caller gives for files that declare none (`--input-crs`), else a check that the
//! coordinates can be degrees at all.
//!
//! The rule, kept simple:
//! - declared and readable: used (the caller's option does not override what the file
//!   states);
//! - declared but not readable: an error asking to reproject the file or to give
//!   `--input-crs`; with that option given, it is used instead and the error is avoided
//!   (the applied name records the choice);
//! - not declared: the caller's option; without one the coordinates must look like
//!   degrees, else an error naming the first that cannot be.

use super::raw::FeatureTable;
use crate::crs::Projection;
use crate::{Error, Result};

/// Converts every position of `table` to WGS84 longitude/latitude (heights kept).
///
/// Returns the name of the system converted from, or `None` when the coordinates were
/// taken as WGS84 already (a WGS84 declaration, or none and no `fallback`).
///
/// # Errors
/// [`Error::Parse`] for a declared system that cannot be read and no `fallback`;
/// [`Error::Feature`] for a position that cannot be converted, or (nothing declared or
/// given) one that cannot be longitude/latitude.
pub(crate) fn to_wgs84(
    label: &str,
    table: &mut FeatureTable,
    fallback: Option<&Projection>,
) -> Result<Option<String>> {
    let declared = match table.declared_crs.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Some(text),
        _ => None,
    };
    let parsed;
    let (projection, applied) = match (declared, fallback) {
        (Some(text), fallback) => match Projection::parse(text) {
            Ok(p) => {
                parsed = p;
                let name = parsed.name();
                (&parsed, name)
            }
            Err(e) => match fallback {
                Some(p) => (
                    p,
                    format!("{} (given; the file's own is unreadable)", p.name()),
                ),
                None => {
                    let reason = match e {
                        Error::InvalidParameter { reason, .. } => reason,
                        other => other.to_string(),
                    };
                    return Err(Error::Parse {
                        layer: label.to_string(),
                        reason: format!(
                            "the file declares a coordinate system this tool cannot read \
                             ({reason}); reproject the file to WGS84 (EPSG:4326), or give \
                             its system with --input-crs EPSG:NNNN"
                        ),
                    });
                }
            },
        },
        (None, Some(p)) => (p, p.name()),
        (None, None) => {
            check_degrees(label, table)?;
            return Ok(None);
        }
    };
    if projection.is_wgs84() {
        return Ok(None);
    }
    if declared.is_none() && !projection.is_geographic() {
        refuse_degrees_as_projected(label, table, projection)?;
    }
    for (index, feature) in table.features.iter_mut().enumerate() {
        for position in feature.positions_mut() {
            if position.len < 2 {
                continue; // reported by the layer reader
            }
            let [x, y, _] = position.values;
            let [lon, lat] = projection
                .to_wgs84([x, y])
                .map_err(|reason| Error::Feature {
                    layer: label.to_string(),
                    index,
                    reason,
                })?;
            position.values[0] = lon;
            position.values[1] = lat;
        }
    }
    Ok(Some(applied))
}

/// A projected system given for files that declare none, applied to a file whose
/// coordinates all look like degrees, would move every feature to the projection's false
/// origin: most likely the option was meant for another layer (a WGS84 GeoJSON beside a
/// Gauss–Krüger CSV). Refused, naming the per-layer options.
fn refuse_degrees_as_projected(
    label: &str,
    table: &mut FeatureTable,
    projection: &Projection,
) -> Result<()> {
    let mut all_degrees = true;
    let mut any = false;
    for feature in &mut table.features {
        for position in feature.positions_mut().filter(|p| p.len >= 2) {
            let [x, y, _] = position.values;
            any = true;
            all_degrees &= x.abs() <= 180.0 && y.abs() <= 90.0;
        }
    }
    if any && all_degrees {
        return Err(Error::Parse {
            layer: label.to_string(),
            reason: format!(
                "every coordinate looks like longitude/latitude, but {} was given as the \
                 system of files that declare none, and it is projected (metres); give it \
                 only to the layers in that system (--roads-crs, --centers-crs, \
                 --demand-crs, --units-crs)",
                projection.name()
            ),
        });
    }
    Ok(())
}

/// Refuses the first finite position that cannot be longitude/latitude, naming the
/// likely cause: a projected file that does not say so.
fn check_degrees(label: &str, table: &mut FeatureTable) -> Result<()> {
    for (index, feature) in table.features.iter_mut().enumerate() {
        for position in feature.positions_mut() {
            if position.len < 2 {
                continue;
            }
            let [x, y, _] = position.values;
            if cannot_be_degrees(x, y) {
                return Err(Error::Feature {
                    layer: label.to_string(),
                    index,
                    reason: not_degrees_reason(x, y),
                });
            }
        }
    }
    Ok(())
}

/// Whether finite `(x, y)` cannot be longitude/latitude degrees whatever the slip: past
/// 360 (longitudes written 0–360) and 180 (latitude and longitude swapped). Such a pair is
/// most likely projected; smaller slips are left to the lon/lat check, whose messages
/// name the range and suggest the swap.
pub(crate) fn cannot_be_degrees(x: f64, y: f64) -> bool {
    x.is_finite() && y.is_finite() && (x.abs() > 360.0 || y.abs() > 180.0)
}

/// Why `(x, y)` is refused when no coordinate system is known.
pub(crate) fn not_degrees_reason(x: f64, y: f64) -> String {
    format!(
        "coordinate ({x}, {y}) cannot be longitude/latitude and the file declares no \
         coordinate system: it is probably projected (UTM, Gauss–Krüger, a national grid); \
         give its EPSG code with --input-crs EPSG:NNNN"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::geojson::parse_features;
    use crate::input::gzip::InputLimits;

    fn table(crs: Option<&str>, coords: &str) -> FeatureTable {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{}},
            "geometry":{{"type":"LineString","coordinates":{coords}}}}}]}}"#
        );
        let mut t = parse_features("t.geojson", &text, &InputLimits::default()).unwrap();
        t.declared_crs = crs.map(str::to_string);
        t
    }

    fn first(t: &mut FeatureTable) -> [f64; 3] {
        t.features[0].positions_mut().next().unwrap().values
    }

    /// Wuhan in UTM 50N (cs2cs, see `crs/projection/tests.rs`), with a height.
    const WUHAN_UTM: &str = "[[241098.9014, 3387270.8627, 25.0], [241198.9, 3387270.8]]";

    #[test]
    fn a_projected_fallback_on_degrees_is_refused_naming_the_layer_options() {
        let gk = Projection::from_epsg(4547).unwrap();
        let mut t = table(None, "[[114.3, 30.59], [114.4, 30.6]]");
        let e = to_wgs84("roads.geojson", &mut t, Some(&gk))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("roads.geojson: ")
                && e.contains("EPSG:4547")
                && e.contains("--roads-crs"),
            "{e}"
        );
        // A geographic fallback on degrees is fine.
        let beijing = Projection::from_epsg(4214).unwrap();
        assert!(to_wgs84(
            "t",
            &mut table(None, "[[114.3, 30.59], [114.4, 30.6]]"),
            Some(&beijing)
        )
        .is_ok());
    }

    #[test]
    fn declared_wins_over_the_fallback() {
        let mut t = table(Some("EPSG:32650"), WUHAN_UTM);
        let other = Projection::from_epsg(4547).unwrap();
        let applied = to_wgs84("t", &mut t, Some(&other)).unwrap();
        assert_eq!(applied.as_deref(), Some("EPSG:32650"));
        let [lon, lat, z] = first(&mut t);
        assert!(
            (lon - 114.30).abs() < 1e-8 && (lat - 30.59).abs() < 1e-8,
            "{lon} {lat}"
        );
        assert_eq!(z, 25.0);
    }

    #[test]
    fn fallback_when_none_declared_or_unreadable() {
        let utm = Projection::from_epsg(32650).unwrap();
        let mut t = table(None, WUHAN_UTM);
        assert_eq!(
            to_wgs84("t", &mut t, Some(&utm)).unwrap().as_deref(),
            Some("EPSG:32650")
        );
        assert!((first(&mut t)[0] - 114.30).abs() < 1e-8);

        let mut t = table(Some("EPSG:notacode"), WUHAN_UTM);
        let applied = to_wgs84("t", &mut t, Some(&utm)).unwrap().unwrap();
        assert!(applied.starts_with("EPSG:32650 (given"), "{applied}");
        let e = to_wgs84(
            "roads.shp",
            &mut table(Some("LOCAL_CS[\"x\"]"), WUHAN_UTM),
            None,
        )
        .unwrap_err();
        assert!(matches!(e, Error::Parse { .. }), "{e}");
        let e = e.to_string();
        assert!(
            e.starts_with("roads.shp: ") && e.contains("--input-crs"),
            "{e}"
        );
    }

    #[test]
    fn wgs84_declared_or_nothing_leaves_degrees_alone() {
        let mut t = table(
            Some("urn:ogc:def:crs:OGC:1.3:CRS84"),
            "[[114.3, 30.59], [114.4, 30.6]]",
        );
        assert_eq!(to_wgs84("t", &mut t, None).unwrap(), None);
        let mut t = table(None, "[[114.3, 30.59], [114.4, 30.6]]");
        assert_eq!(to_wgs84("t", &mut t, None).unwrap(), None);
        assert_eq!(first(&mut t), [114.3, 30.59, 0.0]);
    }

    #[test]
    fn projected_looking_coordinates_without_a_system_are_refused() {
        let mut t = table(None, "[[500123.4, 3385012.1], [500200, 3385100]]");
        let e = to_wgs84("homes.geojson", &mut t, None).unwrap_err();
        assert!(matches!(e, Error::Feature { index: 0, .. }));
        assert_eq!(
            e.to_string(),
            "homes.geojson: feature 0: coordinate (500123.4, 3385012.1) cannot be \
             longitude/latitude and the file declares no coordinate system: it is probably \
             projected (UTM, Gauss–Krüger, a national grid); give its EPSG code with \
             --input-crs EPSG:NNNN"
        );
    }

    #[test]
    fn a_failed_conversion_names_feature_and_coordinate() {
        let mut t = table(Some("EPSG:32650"), WUHAN_UTM);
        t.features[0].positions_mut().nth(1).unwrap().values[0] = f64::NAN;
        match to_wgs84("t", &mut t, None).unwrap_err() {
            Error::Feature {
                index: 0, reason, ..
            } => {
                assert!(reason.contains("(NaN, 3387270.8)"), "{reason}");
            }
            e => panic!("{e}"),
        }
    }
}
