//! GeoJSON reporting-unit reader on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{read_units_geojson_with_limits, InputLimits};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = InputLimits {
        max_bytes: 1 << 20,
        max_features: 10_000,
    };
    let _ = read_units_geojson_with_limits("fuzz.geojson", text, &limits);
});
