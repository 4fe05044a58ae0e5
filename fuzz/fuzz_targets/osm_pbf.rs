//! OSM PBF readers (roads, and points under each population rule) on arbitrary bytes.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{InputFormat, InputLimits, PopulationEstimate, TagFilter};
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::{read_points, read_roads, ReadOptions};

/// The readers catch panics inside the third-party PBF decoder (e.g. its unchecked
/// coordinate arithmetic overflowing on corrupt blocks) and report them as parse errors.
/// libFuzzer's panic hook would abort on those caught panics too, so they are let through;
/// a panic anywhere else (our own code) still aborts and is a finding.
fn tolerate_decoder_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map_or("", |l| l.file());
            if !(file.contains("/osmpbf-") || file.contains("/protobuf-")) {
                abort(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    tolerate_decoder_panics();
    let limits = InputLimits {
        max_bytes: 4 << 20,
        max_features: 100_000,
    };
    let options = ReadOptions::with_limits(limits).format(InputFormat::OsmPbf);
    if let Ok(roads) = read_roads("fuzz.osm.pbf", data, &options) {
        let _ = WalkNetwork::from_roads(
            &roads.lines,
            &NetworkParams {
                min_component_nodes: 1,
            },
        );
    }
    let filter = TagFilter::parse("building, amenity=townhall|library").unwrap();
    let population = match data.len() % 3 {
        0 => PopulationEstimate::One,
        1 => PopulationEstimate::FromTag {
            key: "building:levels".into(),
        },
        _ => PopulationEstimate::FloorArea {
            m2_per_person: 30.0,
        },
    };
    if let Ok(layer) = read_points("fuzz.osm.pbf", data, &options.osm(filter, population)) {
        for p in &layer.points {
            assert!((-180.0..=180.0).contains(&p.lon) && (-90.0..=90.0).contains(&p.lat));
            assert!(p.population.is_finite() && p.population >= 0.0);
        }
    }
});
