//! Tobler's hiking function: how slope changes walking speed (coverage contract, `docs/coverage-contract.md`, "Walk time").

/// Tobler's hiking function, km/h, for slope `s` (rise over horizontal run, positive
/// uphill in the walking direction): `6 · e^(−3.5·|s + 0.05|)`. Fastest (6 km/h) on a
/// gentle 5 % descent, 5.04 km/h on the flat.
///
/// Tobler, W. (1993), *Three presentations on geographical analysis and modeling*,
/// NCGIA Technical Report 93-1.
///
/// ```
/// assert!((lifecircle::routing::tobler_speed_kmh(-0.05) - 6.0).abs() < 1e-12);
/// assert!((lifecircle::routing::tobler_speed_kmh(0.0) - 5.0368).abs() < 1e-4);
/// ```
pub fn tobler_speed_kmh(slope: f64) -> f64 {
    6.0 * (-3.5 * (slope + 0.05).abs()).exp()
}

/// Walking-time factor of slope `s` relative to flat ground, with Tobler's function
/// scaled so that flat ground gives the profile speed:
/// `v(s) = v_flat · e^(−3.5·|s + 0.05|) / e^(−3.5·0.05)`, so the factor is
/// `v_flat / v(s) = e^(3.5·(|s + 0.05| − 0.05))`. It is 1 on the flat, about 0.839 on
/// a 5 % descent (the fastest), exactly 1 again on a 10 % descent, and about 1.419 on a
/// 10 % climb. A segment's cost in flat-equivalent metres is `length_m · factor`.
///
/// ```
/// use lifecircle::routing::tobler_factor;
/// assert_eq!(tobler_factor(0.0), 1.0);
/// assert!((tobler_factor(-0.1) - 1.0).abs() < 1e-12);
/// assert!((tobler_factor(0.1) - 0.35f64.exp()).abs() < 1e-12);
/// ```
pub fn tobler_factor(slope: f64) -> f64 {
    (3.5 * ((slope + 0.05).abs() - 0.05)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_is_the_speed_ratio() {
        for s in [-0.3, -0.1, -0.05, 0.0, 0.02, 0.08, 0.25] {
            let ratio = tobler_speed_kmh(0.0) / tobler_speed_kmh(s);
            assert!((tobler_factor(s) - ratio).abs() < 1e-12, "{s}");
        }
        // Uphill is slower than the same descent.
        assert!(tobler_factor(0.08) > tobler_factor(-0.08));
    }
}
