//! CSV point reader on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{InputFormat, InputLimits};
use lifecircle::{read_points, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = InputLimits {
        max_bytes: 1 << 20,
        max_features: 10_000,
    };
    let options = ReadOptions::with_limits(limits).format(InputFormat::Csv);
    if let Ok(layer) = read_points("fuzz.csv", text.as_bytes(), &options) {
        let mut ids = std::collections::HashSet::new();
        for p in &layer.points {
            assert!((-180.0..=180.0).contains(&p.lon) && (-90.0..=90.0).contains(&p.lat));
            assert!(p.population.is_finite() && p.population >= 0.0);
            assert!(ids.insert(p.id.clone()), "duplicate id {}", p.id);
        }
    }
});
