//! GeoJSON point reader (with and without spreading polygons over a grid) on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{read_points_geojson_with_limits, InputLimits, PointOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let limits = InputLimits {
        max_bytes: 1 << 20,
        max_features: 10_000,
    };
    let options = PointOptions {
        // Coarse spacings only: the grid is capped at a million points per polygon, which
        // is correct but slow for a fuzzer.
        spread_spacing_m: (mode & 1 == 1).then_some(2_000.0 + f64::from(mode) * 1_000.0),
        allow_missing_population: mode & 2 == 0,
        ..PointOptions::default()
    };
    if let Ok(layer) = read_points_geojson_with_limits("fuzz.geojson", text, &options, &limits) {
        let mut ids = std::collections::HashSet::new();
        for p in &layer.points {
            assert!((-180.0..=180.0).contains(&p.lon) && (-90.0..=90.0).contains(&p.lat));
            assert!(p.population.is_finite() && p.population >= 0.0);
            assert!(ids.insert(p.id.clone()), "duplicate id {}", p.id);
        }
    }
});
