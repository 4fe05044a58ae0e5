//! Chinese map coordinate systems: GCJ-02 and BD-09 to and from WGS84.
//!
//! Web maps in mainland China publish coordinates in GCJ-02 (Amap/Gaode, Tencent, Google
//! Maps in China) or BD-09 (Baidu), both deliberately shifted from WGS84 by up to several
//! hundred metres. The engine works in WGS84; inputs in these systems are converted on
//! the way in, and outputs can be converted back on the way out.
//!
//! The forward transform (WGS84 → GCJ-02) is the standard published one: the offset
//! polynomial evaluated at `(lon − 105°, lat − 35°)` and scaled on the Krasovsky 1940
//! ellipsoid (a = 6,378,245 m, e² = 0.00669342162296594323). GCJ-02 → BD-09 is Baidu's
//! published rotation and scaling about the origin plus a fixed shift. Neither has a
//! closed-form inverse; here the inverses are solved by fixed-point iteration until the
//! forward transform of the answer lands within 1e-10° (about 0.01 mm) of the input.
//!
//! Points outside mainland China are not shifted, as the map providers do: "outside" is
//! the usual rough bounding box of the mainland used by the widely used open-source
//! implementations, longitude outside 72.004°–137.8347° E or latitude outside
//! 0.8293°–55.8271° N ([`out_of_china`]). It is a box, not the border: points in the box
//! but outside China (parts of Mongolia, Korea, South-East Asia) are shifted too.

use serde::Serialize;

use crate::{Error, Result};

/// Semi-major axis of the Krasovsky 1940 ellipsoid, metres.
const KRASOVSKY_A_M: f64 = 6_378_245.0;
/// First eccentricity squared of the Krasovsky 1940 ellipsoid.
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;
/// Baidu's rotation constant: π · 3000 / 180.
const BD_X_PI: f64 = std::f64::consts::PI * 3000.0 / 180.0;
/// Stop inverting when the forward transform is this close to the target, degrees.
const INVERSE_TOLERANCE_DEG: f64 = 1e-10;
/// Safety cap on inverse iterations (convergence takes about 5).
const INVERSE_MAX_ITERATIONS: usize = 50;

/// A geographic coordinate system inputs and outputs may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Crs {
    /// WGS84 longitude/latitude (GPS, OpenStreetMap, RFC 7946 GeoJSON).
    #[default]
    Wgs84,
    /// GCJ-02, China's obfuscated system (Amap/Gaode, Tencent maps).
    Gcj02,
    /// BD-09, Baidu's system (GCJ-02 shifted once more).
    Bd09,
}

impl Crs {
    /// Parses `wgs84`, `gcj02` or `bd09` (case-insensitive; `gcj-02`, `bd-09`,
    /// `epsg:4326` also accepted).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for any other name.
    ///
    /// ```
    /// use lifecircle::crs::Crs;
    /// assert_eq!(Crs::parse("GCJ-02").unwrap(), Crs::Gcj02);
    /// assert!(Crs::parse("utm50").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Crs> {
        match name.trim().to_ascii_lowercase().replace('-', "").as_str() {
            "wgs84" | "epsg:4326" | "wgs" => Ok(Crs::Wgs84),
            "gcj02" | "gcj" => Ok(Crs::Gcj02),
            "bd09" | "bd09ll" | "bd" => Ok(Crs::Bd09),
            _ => Err(Error::InvalidParameter {
                name: "crs".into(),
                reason: format!(
                    "unknown coordinate system `{name}`; expected wgs84, gcj02 or bd09"
                ),
            }),
        }
    }

    /// The name used in outputs: `wgs84`, `gcj02` or `bd09`.
    pub fn as_str(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
        }
    }

    /// Converts `[lon, lat]` in this system to WGS84.
    pub fn to_wgs84(self, lonlat: [f64; 2]) -> [f64; 2] {
        match self {
            Crs::Wgs84 => lonlat,
            Crs::Gcj02 => gcj02_to_wgs84(lonlat),
            Crs::Bd09 => bd09_to_wgs84(lonlat),
        }
    }

    /// Converts WGS84 `[lon, lat]` to this system.
    pub fn from_wgs84(self, lonlat: [f64; 2]) -> [f64; 2] {
        match self {
            Crs::Wgs84 => lonlat,
            Crs::Gcj02 => wgs84_to_gcj02(lonlat),
            Crs::Bd09 => wgs84_to_bd09(lonlat),
        }
    }
}

impl std::fmt::Display for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `[lon, lat]` lies outside the rough mainland-China box (72.004–137.8347° E,
/// 0.8293–55.8271° N), where GCJ-02 and BD-09 leave coordinates unshifted.
///
/// ```
/// assert!(lifecircle::crs::out_of_china([11.97, 57.70]));   // Gothenburg
/// assert!(!lifecircle::crs::out_of_china([114.30, 30.59])); // Wuhan
/// ```
pub fn out_of_china(lonlat: [f64; 2]) -> bool {
    let [lon, lat] = lonlat;
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn offset_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS84 → GCJ-02 (unchanged outside China).
///
/// ```
/// // Reference pair from the test suite of the `coordtransform` npm package.
/// let [lon, lat] = lifecircle::crs::wgs84_to_gcj02([116.404, 39.915]);
/// assert!((lon - 116.41024449916938).abs() < 1e-9 && (lat - 39.91640428150164).abs() < 1e-9);
/// ```
pub fn wgs84_to_gcj02(lonlat: [f64; 2]) -> [f64; 2] {
    if out_of_china(lonlat) {
        return lonlat;
    }
    let [lon, lat] = lonlat;
    let d_lat = offset_lat(lon - 105.0, lat - 35.0);
    let d_lon = offset_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat.to_radians();
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let pi = std::f64::consts::PI;
    let d_lat =
        (d_lat * 180.0) / ((KRASOVSKY_A_M * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * pi);
    let d_lon = (d_lon * 180.0) / (KRASOVSKY_A_M / sqrt_magic * rad_lat.cos() * pi);
    [lon + d_lon, lat + d_lat]
}

/// GCJ-02 → BD-09 (Baidu's shift applies everywhere, as Baidu's own API does not check
/// the box; here points outside China are left unchanged for symmetry with GCJ-02).
pub fn gcj02_to_bd09(lonlat: [f64; 2]) -> [f64; 2] {
    if out_of_china(lonlat) {
        return lonlat;
    }
    let [x, y] = lonlat;
    let z = (x * x + y * y).sqrt() + 0.00002 * (y * BD_X_PI).sin();
    let theta = y.atan2(x) + 0.000003 * (x * BD_X_PI).cos();
    [z * theta.cos() + 0.0065, z * theta.sin() + 0.006]
}

/// Solves `forward(x) = target` by fixed-point iteration `x ← x + (target − forward(x))`.
fn invert(target: [f64; 2], forward: impl Fn([f64; 2]) -> [f64; 2]) -> [f64; 2] {
    let mut x = target;
    for _ in 0..INVERSE_MAX_ITERATIONS {
        let f = forward(x);
        let (e0, e1) = (target[0] - f[0], target[1] - f[1]);
        x = [x[0] + e0, x[1] + e1];
        if e0.abs() < INVERSE_TOLERANCE_DEG && e1.abs() < INVERSE_TOLERANCE_DEG {
            break;
        }
    }
    x
}

/// GCJ-02 → WGS84, the exact inverse of [`wgs84_to_gcj02`] (by iteration, to 1e-10°).
pub fn gcj02_to_wgs84(lonlat: [f64; 2]) -> [f64; 2] {
    if out_of_china(lonlat) {
        return lonlat;
    }
    invert(lonlat, wgs84_to_gcj02)
}

/// BD-09 → GCJ-02, the exact inverse of [`gcj02_to_bd09`] (by iteration, to 1e-10°).
pub fn bd09_to_gcj02(lonlat: [f64; 2]) -> [f64; 2] {
    if out_of_china(lonlat) {
        return lonlat;
    }
    invert(lonlat, gcj02_to_bd09)
}

/// WGS84 → BD-09 (through GCJ-02).
pub fn wgs84_to_bd09(lonlat: [f64; 2]) -> [f64; 2] {
    gcj02_to_bd09(wgs84_to_gcj02(lonlat))
}

/// BD-09 → WGS84 (through GCJ-02).
pub fn bd09_to_wgs84(lonlat: [f64; 2]) -> [f64; 2] {
    gcj02_to_wgs84(bd09_to_gcj02(lonlat))
}

/// Converts points from `from` to WGS84 in place.
pub fn points_to_wgs84(points: &mut [crate::features::PointFeature], from: Crs) {
    if from == Crs::Wgs84 {
        return;
    }
    for p in points {
        [p.lon, p.lat] = from.to_wgs84([p.lon, p.lat]);
    }
}

/// Converts road lines from `from` to WGS84 in place (shared vertices stay shared: the
/// same input coordinate always gives the same output).
pub fn roads_to_wgs84(lines: &mut [crate::features::RoadLine], from: Crs) {
    if from == Crs::Wgs84 {
        return;
    }
    for line in lines {
        for c in &mut line.coords {
            *c = from.to_wgs84(*c);
        }
    }
}

/// Converts reporting units from `from` to WGS84 in place.
pub fn units_to_wgs84(units: &mut [crate::features::ReportingUnit], from: Crs) {
    use geo::MapCoordsInPlace;
    if from == Crs::Wgs84 {
        return;
    }
    for u in units {
        u.geometry.map_coords_in_place(|c| {
            let [x, y] = from.to_wgs84([c.x, c.y]);
            geo::Coord { x, y }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::haversine_m;

    fn near(a: [f64; 2], b: [f64; 2], tol_deg: f64) -> bool {
        (a[0] - b[0]).abs() < tol_deg && (a[1] - b[1]).abs() < tol_deg
    }

    /// Reference pairs printed in `test/app.js` of the `coordtransform` npm package
    /// (wandergis/coordtransform), input (116.404, 39.915) near Tiananmen.
    #[test]
    fn coordtransform_reference_pairs() {
        let p = [116.404, 39.915];
        assert!(near(
            wgs84_to_gcj02(p),
            [116.41024449916938, 39.91640428150164],
            1e-12
        ));
        assert!(near(
            gcj02_to_bd09(p),
            [116.41036949371029, 39.92133699351021],
            1e-12
        ));
        // Their inverses are one-step approximations (error up to a few metres); the
        // exact inverses here agree with them to within that.
        assert!(near(
            gcj02_to_wgs84(p),
            [116.39775550083061, 39.91359571849836],
            2e-5
        ));
        assert!(near(
            bd09_to_gcj02(p),
            [116.39762729119315, 39.90865673957631],
            2e-5
        ));
    }

    /// Reference pairs of the `eviltransform` test suite (googollee/eviltransform):
    /// (wgs lat, wgs lon, gcj lat, gcj lon) in Shanghai, Shenzhen and Beijing. That
    /// implementation scales on a 6,378,137 m radius instead of Krasovsky's 6,378,245 m,
    /// a relative difference of 1.7e-5 of a ~500 m offset: under 1 cm.
    #[test]
    fn eviltransform_reference_pairs_both_directions() {
        let cases = [
            (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
            (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
            (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
        ];
        for (wlat, wlon, glat, glon) in cases {
            let gcj = wgs84_to_gcj02([wlon, wlat]);
            assert!(haversine_m(gcj, [glon, glat]) < 0.02, "{gcj:?}");
            let back = gcj02_to_wgs84([glon, glat]);
            assert!(haversine_m(back, [wlon, wlat]) < 0.02, "{back:?}");
        }
        // The same suite's BD-09 pairs are not used: their WGS84 side, mapped forward
        // with the published transform, lands 10 m and 42 m from their BD-09 side (an
        // approximate inverse), so they cannot check an exact one.
    }

    #[test]
    fn inverses_round_trip_to_sub_centimetre() {
        for i in 0..50 {
            let p = [
                100.0 + (i as f64) * 0.7319 % 30.0,
                20.0 + (i as f64) * 0.4133 % 25.0,
            ];
            for crs in [Crs::Gcj02, Crs::Bd09] {
                let shifted = crs.from_wgs84(p);
                assert!(haversine_m(shifted, p) > 1.0, "{crs} does not shift {p:?}");
                let back = crs.to_wgs84(shifted);
                assert!(haversine_m(back, p) < 0.001, "{crs} {p:?} -> {back:?}");
            }
        }
    }

    #[test]
    fn points_outside_china_are_not_shifted() {
        for p in [
            [11.97, 57.70],
            [-0.1276, 51.5072],
            [139.69, 35.69],
            [151.2, -33.9],
        ] {
            for crs in [Crs::Wgs84, Crs::Gcj02, Crs::Bd09] {
                assert_eq!(crs.to_wgs84(p), p);
                assert_eq!(crs.from_wgs84(p), p);
            }
        }
    }

    #[test]
    fn names_parse_and_unknown_names_fail() {
        assert_eq!(Crs::parse("wgs84").unwrap(), Crs::Wgs84);
        assert_eq!(Crs::parse("BD09").unwrap(), Crs::Bd09);
        let err = Crs::parse("cgcs2000").unwrap_err().to_string();
        assert!(
            err.contains("unknown coordinate system `cgcs2000`"),
            "{err}"
        );
    }

    #[test]
    fn output_positions_are_converted_from_rounded_wgs84() {
        let p = crate::output::output_position(Crs::Gcj02, [116.404, 39.915]);
        assert_eq!(p, [116.4102445, 39.9164043]);
        assert_eq!(
            crate::output::output_position(Crs::Wgs84, [116.40400004, 39.915]),
            [116.404, 39.915]
        );
    }
}
