//! GeoJSON point reader (with and without spreading polygons over a grid) on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{InputFormat, InputLimits};
use lifecircle::{read_points, ReadOptions};

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
    let options = ReadOptions {
        // Coarse spacings only: the grid is capped at a million points per polygon, which
        // is correct but slow for a fuzzer.
        spread_spacing_m: (mode & 1 == 1).then_some(2_000.0 + f64::from(mode) * 1_000.0),
        population_field: (mode & 2 == 2).then(|| "pop".to_string()),
        ..ReadOptions::with_limits(limits).format(InputFormat::GeoJson)
    };
    if let Ok(layer) = read_points("fuzz.geojson", text.as_bytes(), &options) {
        let mut ids = std::collections::HashSet::new();
        for p in &layer.points {
            assert!((-180.0..=180.0).contains(&p.lon) && (-90.0..=90.0).contains(&p.lat));
            assert!(p.population.is_finite() && p.population >= 0.0);
            assert!(ids.insert(p.id.clone()), "duplicate id {}", p.id);
        }
    }
});
