//! Network building, coverage and every derived layer on arbitrary small geometry.
//!
//! The bytes are decoded into a few road lines on a coarse lattice (so vertices coincide,
//! lines overlap and repeat), centers, residents and parameters, placed at one of several
//! awkward spots (the equator, Helsinki, both sides of the antimeridian, near the pole).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::coverage::DemandStatus;
use lifecircle::crs::Crs;
use lifecircle::features::{PointFeature, RoadLine};
use lifecircle::output::{geojson_string, DemandLayer, GapsLayer, NetworkLayer, ServiceAreasLayer};
use lifecircle::{Layer, Layers, Study, StudyParams};

const ORIGINS: [[f64; 2]; 5] = [
    [0.0, 0.0],
    [24.94, 60.17],
    [179.99, 0.0],
    [-179.99, 0.0],
    [10.0, 89.99],
];

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn position(&mut self, origin: [f64; 2], step: f64) -> [f64; 2] {
        let dx = f64::from(self.next() as i8) * step;
        let dy = f64::from(self.next() as i8) * step;
        [
            (origin[0] + dx).clamp(-180.0, 180.0),
            (origin[1] + dy).clamp(-90.0, 90.0),
        ]
    }
}

fn point(id: String, [lon, lat]: [f64; 2], population: f64) -> PointFeature {
    PointFeature::new(id, lon, lat).with_population(population)
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let head = b.next();
    let origin = ORIGINS[usize::from(head % 5)];
    let step = [0.0001, 0.0005, 0.002][usize::from(head / 5 % 3)];
    let mut roads = Vec::new();
    for k in 0..usize::from(b.next() % 12) + 1 {
        let vertices = usize::from(b.next() % 6) + 2;
        let coords = (0..vertices).map(|_| b.position(origin, step)).collect();
        roads.push(RoadLine::new(coords).with_source_index(k));
    }
    let centers: Vec<PointFeature> = (0..usize::from(b.next() % 4) + 1)
        .map(|k| point(format!("c{k}"), b.position(origin, step), 1.0))
        .collect();
    let demand: Vec<PointFeature> = (0..usize::from(b.next() % 16))
        .map(|k| {
            let at = b.position(origin, step);
            point(format!("r{k}"), at, f64::from(b.next()) / 4.0)
        })
        .collect();
    let mut params = StudyParams::default();
    params.coverage.threshold_min = f64::from(b.next() % 30) + 0.5;
    params.coverage.max_snap_m = f64::from(b.next()) * 5.0;
    params.network.min_component_nodes = usize::from(b.next() % 4) + 1;
    let threshold = params.coverage.threshold_min;
    let residents = demand.len();
    let layers = Layers {
        roads: Layer::new(roads.into(), "roads"),
        centers: Layer::new(centers.into(), "centers"),
        demand: Layer::new(demand.into(), "residents"),
        units: None,
    };
    let Ok(study) = Study::new(layers, params) else {
        return;
    };
    let summary = study.summary();

    // Conservation and the meaning of `covered`.
    assert_eq!(
        summary.residents_covered
            + summary.residents_uncovered_reachable
            + summary.residents_too_far_from_network
            + summary.residents_no_path,
        residents
    );
    for d in &study.result().demand {
        assert_eq!(d.walk_min.is_some(), d.status == DemandStatus::Ok);
        if let (Some(walk_m), Some(walk_min)) = (d.walk_m, d.walk_min) {
            assert!(walk_m >= 0.0 && walk_m.is_finite());
            assert!(walk_min >= 0.0 && walk_min.is_finite());
            if d.covered {
                assert!(
                    walk_min <= threshold * (1.0 + 1e-9),
                    "{walk_min} > {threshold}"
                );
            } else {
                assert!(
                    walk_min >= threshold * (1.0 - 1e-9),
                    "{walk_min} < {threshold}"
                );
            }
        } else {
            assert!(!d.covered);
        }
    }
    assert!(summary.coverage_ratio.is_finite());

    let gaps = study.gaps();
    let reach = study.reach();
    let areas = study.service_areas();
    let demand_layer = DemandLayer::new(study.demand(), study.centers(), study.result());
    for text in [
        geojson_string(&demand_layer, Crs::Wgs84),
        geojson_string(
            &GapsLayer {
                gaps: &gaps,
                crs: Crs::Wgs84,
            },
            Crs::Wgs84,
        ),
        geojson_string(&NetworkLayer {
            pieces: &reach,
            band: None,
        }, Crs::Wgs84),
        geojson_string(&ServiceAreasLayer {
            areas: &areas,
            band: None,
        }, Crs::Wgs84),
    ] {
        assert!(text.starts_with("{\"type\":\"FeatureCollection\",\"features\":[\n"));
        assert!(text.ends_with("\n]}\n"));
    }
});
