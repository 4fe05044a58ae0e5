//! The coverage view with its large layers apart must hold the same layers, byte for
//! byte, as the view with them in its JSON.

use super::ScenarioCenter;
use crate::features::{CenterId, PointFeature, PointLayer};
use crate::study::{Layer, Layers, Study, StudyParams};
use crate::test_support::{grid, point, STEP};

fn study() -> Study {
    let centers: Vec<PointFeature> = vec![point("c", 0.0, 0.0, 0.0)];
    // Two residents on the grid, one 60 m south of it (too far to join the network).
    let residents: Vec<PointFeature> = vec![
        point("near", 0.0003, 0.00002, 2.0),
        point("corner", 2.0 * STEP, 2.0 * STEP + 0.00002, 1.5),
        point("far", STEP, -0.00054, 3.0),
    ];
    let layers = Layers {
        roads: Layer::new(grid().into(), "roads"),
        centers: Layer::new(PointLayer::from(centers), "centers"),
        demand: Layer::new(PointLayer::from(residents), "residents"),
        units: None,
    };
    let mut params = StudyParams::default();
    params.network.min_component_nodes = 1;
    params.coverage.max_snap_m = 30.0;
    Study::new(layers, params).unwrap()
}

fn scenario(study: &Study) -> Vec<ScenarioCenter> {
    let c = &study.centers()[0];
    vec![ScenarioCenter {
        key: c.id.clone(),
        name: c.id.clone(),
        tier: None,
        lonlat: [c.lon, c.lat],
        added: false,
        open: Some(CenterId::at(0)),
    }]
}

#[test]
fn layers_apart_are_the_layers_of_the_whole_view() {
    let study = study();
    let centers = scenario(&study);
    let bounds = [0.0, 0.0, 1.0, 1.0];
    let whole: serde_json::Value =
        serde_json::from_str(&study.coverage_view_json(&centers, bounds, true).unwrap()).unwrap();
    let apart = study.coverage_map_view(&centers, bounds, true).unwrap();
    let mut rest: serde_json::Value = serde_json::from_str(&apart.json).unwrap();
    let network: serde_json::Value = serde_json::from_slice(&apart.bulk.network_geojson).unwrap();
    let demand: serde_json::Value = serde_json::from_slice(&apart.bulk.demand_geojson).unwrap();
    assert_eq!(network, whole["layers"]["network"]);
    assert_eq!(demand, whole["layers"]["demand"]);
    // Put back, the two layers make the whole view again.
    rest["layers"]["network"] = network;
    rest["layers"]["demand"] = demand;
    assert_eq!(rest, whole);
}

#[test]
fn resident_columns_follow_the_demand_layer() {
    let study = study();
    let apart = study
        .coverage_map_view(&scenario(&study), [0.0; 4], false)
        .unwrap();
    let demand: serde_json::Value = serde_json::from_slice(&apart.bulk.demand_geojson).unwrap();
    let features = demand["features"].as_array().unwrap();
    assert_eq!(apart.bulk.walk_min.len(), 3);
    assert_eq!(apart.bulk.population, vec![2.0, 1.5, 3.0]);
    for (i, f) in features.iter().enumerate() {
        let walk = &f["properties"]["walk_min"];
        match walk.as_f64() {
            Some(w) => assert_eq!(apart.bulk.walk_min[i], w, "resident {i}"),
            None => assert!(apart.bulk.walk_min[i].is_nan(), "resident {i}: {walk}"),
        }
    }
    // The far resident has no walk; the others do.
    assert!(apart.bulk.walk_min[2].is_nan());
    assert!(apart.bulk.walk_min[..2].iter().all(|w| w.is_finite()));
}
