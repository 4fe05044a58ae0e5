//! GeoJSON road reader on arbitrary text, then network building on whatever it accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{InputFormat, InputLimits};
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::{read_roads, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = InputLimits {
        max_bytes: 1 << 20,
        max_features: 10_000,
    };
    let options = ReadOptions::with_limits(limits).format(InputFormat::GeoJson);
    if let Ok(roads) = read_roads("fuzz.geojson", text.as_bytes(), &options) {
        for line in &roads.lines {
            assert!(line.coords.len() >= 2);
            assert!(line
                .coords
                .iter()
                .all(|c| c[0].is_finite() && c[1].is_finite()));
        }
        let _ = WalkNetwork::from_roads(
            &roads.lines,
            &NetworkParams {
                min_component_nodes: 1,
            },
        );
    }
});
