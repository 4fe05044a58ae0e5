//! GeoJSON reporting-unit reader on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{InputFormat, InputLimits};
use lifecircle::{read_units, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = InputLimits {
        max_bytes: 1 << 20,
        max_features: 10_000,
    };
    let options = ReadOptions::with_limits(limits).format(InputFormat::GeoJson);
    let _ = read_units("fuzz.geojson", text.as_bytes(), &options);
});
