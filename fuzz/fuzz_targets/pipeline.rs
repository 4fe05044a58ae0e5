//! Network building, coverage and every derived layer on arbitrary small geometry.
//!
//! The bytes are decoded into a few road lines on a coarse lattice (so vertices coincide,
//! lines overlap and repeat), centers, residents and parameters, placed at one of several
//! awkward spots (the equator, Helsinki, both sides of the antimeridian, near the pole).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{PointFeature, RoadLine};
use lifecircle::output::{demand_geojson, gaps_geojson, network_geojson, service_areas_geojson};
use lifecircle::{
    compute_coverage, find_gaps, network_reach, service_areas, summarize, CoverageParams,
    DemandStatus, NetworkParams, WalkCosts, WalkNetwork,
};

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
    PointFeature {
        id,
        lon,
        lat,
        population,
        properties: Default::default(),
        source_index: 0,
    }
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
        roads.push(RoadLine {
            coords,
            elevations_m: None,
            osm_node_ids: None,
            tags: Default::default(),
            source_index: k,
        });
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
    let params = CoverageParams {
        threshold_min: f64::from(b.next() % 30) + 0.5,
        max_snap_m: f64::from(b.next()) * 5.0,
        ..CoverageParams::default()
    };
    let network_params = NetworkParams {
        min_component_nodes: usize::from(b.next() % 4) + 1,
    };

    let Ok(network) = WalkNetwork::from_roads(&roads, &network_params) else {
        return;
    };
    let costs = WalkCosts::flat(&network);
    let result = compute_coverage(&network, &costs, &centers, &demand, &params).unwrap();
    let summary = summarize(&result, &centers, &demand, &[]);

    // Conservation and the meaning of `covered`.
    assert_eq!(
        summary.residents_covered
            + summary.residents_uncovered_reachable
            + summary.residents_too_far_from_network
            + summary.residents_no_path,
        demand.len()
    );
    for d in &result.demand {
        assert_eq!(d.walk_min.is_some(), d.status == DemandStatus::Ok);
        if let (Some(walk_m), Some(walk_min)) = (d.walk_m, d.walk_min) {
            assert!(walk_m >= 0.0 && walk_m.is_finite());
            assert!(walk_min >= 0.0 && walk_min.is_finite());
            let t = params.threshold_min;
            if d.covered {
                assert!(walk_min <= t * (1.0 + 1e-9), "{walk_min} > {t}");
            } else {
                assert!(walk_min >= t * (1.0 - 1e-9), "{walk_min} < {t}");
            }
        } else {
            assert!(!d.covered);
        }
    }
    assert!(summary.coverage_ratio.is_finite());

    let gaps = find_gaps(&network, &result, &demand);
    let reach = network_reach(&network, &costs, &result);
    let areas = service_areas(&network, &costs, &result, &centers, &demand);
    let _ = demand_geojson(&demand, &centers, &result);
    let _ = gaps_geojson(&gaps);
    let _ = network_geojson(&reach);
    let _ = service_areas_geojson(&areas);
});
