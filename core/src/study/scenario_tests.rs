//! Scenarios made from a study's parts ([`Study::parts_with_centers`]) reuse where the
//! residents meet the network: they must equal studies computed afresh.

use super::{Layer, Layers, Study, StudyParams};
use crate::features::{PointFeature, PointLayer};
use crate::test_support::{grid, point, STEP};

fn centers(points: &[(&str, f64, f64)]) -> Layer<PointLayer> {
    let points: Vec<PointFeature> = points
        .iter()
        .map(|&(id, lon, lat)| point(id, lon, lat, 0.0))
        .collect();
    Layer::new(points.into(), "centers")
}

/// Residents on the 3 × 3 grid and one 60 m south of it.
fn residents() -> Layer<PointLayer> {
    let mut points = vec![point("far", STEP, -0.00054, 3.0)];
    for i in 0..9 {
        let (x, y) = ((i % 3) as f64 * STEP, (i / 3) as f64 * STEP);
        points.push(point(
            &format!("r{i}"),
            x + 0.0003,
            y + 0.00002,
            1.0 + i as f64,
        ));
    }
    Layer::new(points.into(), "residents")
}

fn fresh(centers_layer: Layer<PointLayer>, params: &StudyParams) -> Study {
    let layers = Layers {
        roads: Layer::new(grid().into(), "roads"),
        centers: centers_layer,
        demand: residents(),
        units: None,
    };
    Study::new(layers, params.clone()).unwrap()
}

fn params(max_snap_m: f64) -> StudyParams {
    let mut params = StudyParams::default();
    params.network.min_component_nodes = 1;
    params.coverage.max_snap_m = max_snap_m;
    params.coverage.threshold_min = 3.0;
    params
}

#[test]
fn edited_scenarios_equal_fresh_ones_with_the_snaps_reused() {
    let base = fresh(centers(&[("a", 0.0, 0.0)]), &params(100.0));
    let edited = [("a", 0.0, 0.0), ("b", 2.0 * STEP, 2.0 * STEP)];
    let parts = base.parts_with_centers(centers(&edited));
    assert!(parts.demand_snaps.is_some());
    let scenario = Study::from_parts(parts, params(100.0)).unwrap();
    let expected = fresh(centers(&edited), &params(100.0));
    assert_eq!(scenario.result().demand, expected.result().demand);
    assert_eq!(scenario.summary(), expected.summary());
    assert_ne!(
        scenario.summary(),
        base.summary(),
        "the edit changes coverage"
    );
}

#[test]
fn snaps_found_within_another_distance_are_found_again() {
    // 60 m from the grid: too far at 50 m, on the network at 100 m.
    let base = fresh(centers(&[("a", STEP, 0.0)]), &params(50.0));
    assert!(base.result().demand[0].snap.is_none());
    let parts = base.parts_with_centers(centers(&[("a", STEP, 0.0)]));
    let scenario = Study::from_parts(parts, params(100.0)).unwrap();
    let expected = fresh(centers(&[("a", STEP, 0.0)]), &params(100.0));
    assert!(scenario.result().demand[0].snap.is_some());
    assert_eq!(scenario.result().demand, expected.result().demand);
}
