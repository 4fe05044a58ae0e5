//! Tests of [`super`]: walks on small hand-made networks.

use super::*;
use crate::geodesy::haversine_m;
use crate::network::NetworkParams;
use crate::test_support::{grid, line, point, STEP};

fn run(
    roads: &[crate::features::RoadLine],
    min_component_nodes: usize,
    centers: &[PointFeature],
    demand: &[PointFeature],
    params: &CoverageParams,
) -> CoverageResult {
    let network = WalkNetwork::from_roads(
        roads,
        &NetworkParams {
            min_component_nodes,
        },
    )
    .unwrap();
    let costs = WalkCosts::flat(&network);
    compute_coverage(&network, &costs, centers, demand, params).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn other_costs_on_the_same_snapping_equal_a_fresh_run() {
    let network = WalkNetwork::from_roads(
        &grid(),
        &NetworkParams {
            min_component_nodes: 1,
        },
    )
    .unwrap();
    let centers = [point("c", 0.0, 0.0, 1.0), point("far", 1.0, 1.0, 1.0)];
    let demand = [
        point("a", STEP * 2.0, STEP * 0.4, 2.0),
        point("b", STEP, STEP * 2.0, 1.0),
        point("off", 0.5, 0.5, 1.0),
    ];
    let params = CoverageParams {
        threshold_min: 4.0,
        ..CoverageParams::default()
    };
    let adult = WalkCosts::flat(&network);
    let older = WalkCosts::flat(&network).with_speed_kmh(3.3);
    let first = compute_coverage(&network, &adult, &centers, &demand, &params).unwrap();
    let shared = first.with_costs(&network, &older).unwrap();
    let fresh = compute_coverage(&network, &older, &centers, &demand, &params).unwrap();
    assert_eq!(shared.demand, fresh.demand);
    assert_eq!(shared.centers, fresh.centers);
    assert_eq!(shared.demand_cost_m, fresh.demand_cost_m);
    // The slower walker covers fewer: the costs did change.
    assert_ne!(
        shared.demand.iter().filter(|d| d.covered).count(),
        first.demand.iter().filter(|d| d.covered).count()
    );
}

#[test]
fn grid_walks_follow_the_streets() {
    let centers = [point("c", 0.0, 0.0, 1.0)];
    let demand = [
        point("corner", 2.0 * STEP, 2.0 * STEP, 3.0),
        point("off-street", 1.5 * STEP, 2.1 * STEP, 2.0),
    ];
    let params = CoverageParams {
        threshold_min: 5.0,
        ..Default::default()
    };
    let r = run(&grid(), 1, &centers, &demand, &params);
    let edge = haversine_m([0.0, 0.0], [0.0, STEP]);
    // Corner: four edges (Manhattan), 444.8 m, 5.56 min at 80 m/min: not covered in 5 min.
    let corner = &r.demand[0];
    assert_eq!(corner.status, DemandStatus::Ok);
    assert!(
        close(corner.walk_m.unwrap(), 4.0 * edge),
        "{:?}",
        corner.walk_m
    );
    assert!(close(corner.walk_min.unwrap(), 4.0 * edge / 80.0));
    assert!(!corner.covered);
    assert_eq!(corner.nearest_center, Some(CenterId(0)));
    // Off-street: access 0.1 step up to the top street, then 2 steps up + 1.5 across.
    let off = &r.demand[1];
    let access = haversine_m([1.5 * STEP, 2.1 * STEP], [1.5 * STEP, 2.0 * STEP]);
    let along = 2.0 * edge + haversine_m([0.0, 2.0 * STEP], [1.5 * STEP, 2.0 * STEP]);
    assert!(close(off.snap.unwrap().access_m, access));
    assert!((off.walk_m.unwrap() - (access + along)).abs() < 1e-3);
    // 400.3 m is just over the 400 m a 5-minute walk covers.
    assert!(off.walk_m.unwrap() > 400.0 && !off.covered);
    let wider = run(&grid(), 1, &centers, &demand, &CoverageParams::default());
    assert!(wider.demand.iter().all(|d| d.covered));
}

#[test]
fn resident_and_center_on_the_same_edge_walk_along_it() {
    let centers = [point("c", 0.2 * STEP, -0.05 * STEP, 1.0)];
    let demand = [point("r", 0.8 * STEP, 0.03 * STEP, 1.0)];
    let r = run(&grid(), 1, &centers, &demand, &CoverageParams::default());
    let access_c = haversine_m([0.2 * STEP, -0.05 * STEP], [0.2 * STEP, 0.0]);
    let access_r = haversine_m([0.8 * STEP, 0.03 * STEP], [0.8 * STEP, 0.0]);
    let along = haversine_m([0.2 * STEP, 0.0], [0.8 * STEP, 0.0]);
    let walk = r.demand[0].walk_m.unwrap();
    assert!(
        (walk - (access_c + along + access_r)).abs() < 1e-3,
        "{walk}"
    );
}

#[test]
fn point_beyond_max_snap_is_unreachable_but_counted() {
    let centers = [point("c", 0.0, 0.0, 1.0)];
    // About 890 m north of the top street.
    let demand = [
        point("far", STEP, 0.01, 5.0),
        point("near", STEP, STEP, 5.0),
    ];
    let r = run(&grid(), 1, &centers, &demand, &CoverageParams::default());
    assert_eq!(r.demand[0].status, DemandStatus::TooFarFromNetwork);
    assert!(r.demand[0].walk_m.is_none() && !r.demand[0].covered);
    let s = crate::coverage::summarize(&r, &centers, &demand, &[]);
    assert_eq!(s.total_population, 10.0);
    assert_eq!(s.covered_population, 5.0);
    assert_eq!(s.too_far_from_network_population, 5.0);
    assert!(close(s.coverage_ratio, 0.5));
    // With a larger snapping radius it reaches the network.
    let lenient = CoverageParams {
        max_snap_m: 1000.0,
        ..Default::default()
    };
    let r = run(&grid(), 1, &centers, &demand, &lenient);
    assert_eq!(r.demand[0].status, DemandStatus::Ok);
}

#[test]
fn islands_are_not_snapped_to_and_centerless_components_give_no_path() {
    let mut roads = grid(); // 9 nodes, holds the center
                            // A two-node island right next to a resident, 10 steps east.
    roads.push(line(&[[10.0 * STEP, 0.0], [11.0 * STEP, 0.0]]));
    // A second 9-node grid without a center, 20 steps east.
    roads.extend(grid().into_iter().map(|mut l| {
        l.coords.iter_mut().for_each(|c| c[0] += 20.0 * STEP);
        l
    }));
    let network = WalkNetwork::from_roads(
        &roads,
        &NetworkParams {
            min_component_nodes: 5,
        },
    )
    .unwrap();
    let stats = network.stats();
    assert_eq!((stats.components, stats.eligible_components), (3, 2));
    assert_eq!((stats.island_nodes, stats.island_edges), (2, 1));
    let centers = [point("c", 0.0, 0.0, 1.0)];
    let demand = [
        point("by the island", 10.5 * STEP, 0.0001, 1.0),
        point("in the centerless grid", 21.0 * STEP, 1.5 * STEP, 1.0),
    ];
    let costs = WalkCosts::flat(&network);
    let r = compute_coverage(
        &network,
        &costs,
        &centers,
        &demand,
        &CoverageParams::default(),
    )
    .unwrap();
    // The island 11 m away is ignored; the nearest eligible street is 8 steps away.
    assert_eq!(r.demand[0].status, DemandStatus::TooFarFromNetwork);
    assert_eq!(r.demand[1].status, DemandStatus::NoPath);
    let lenient = CoverageParams {
        max_snap_m: 5000.0,
        ..Default::default()
    };
    let r = compute_coverage(&network, &costs, &centers, &demand, &lenient).unwrap();
    let snap = r.demand[0].snap.unwrap();
    let to_grid = haversine_m([10.5 * STEP, 0.0001], [2.0 * STEP, 0.0001]);
    assert!((snap.access_m - to_grid).abs() < 1.0, "{snap:?}");
}

#[test]
fn all_centers_off_network_is_a_valid_zero_coverage_result() {
    let centers = [point("c", 0.0, 0.5, 1.0)];
    let demand = [point("r", STEP, STEP, 2.0)];
    let r = run(&grid(), 1, &centers, &demand, &CoverageParams::default());
    assert_eq!(r.centers[0].status, DemandStatus::TooFarFromNetwork);
    assert_eq!(r.demand[0].status, DemandStatus::NoPath);
    let s = crate::coverage::summarize(&r, &centers, &demand, &[]);
    assert_eq!(s.coverage_ratio, 0.0);
    assert_eq!(s.centers_too_far_from_network, 1);
}

#[test]
fn no_center_is_an_error_and_bad_parameters_are_named() {
    let network = WalkNetwork::from_roads(
        &grid(),
        &NetworkParams {
            min_component_nodes: 1,
        },
    )
    .unwrap();
    let costs = WalkCosts::flat(&network);
    let err = compute_coverage(&network, &costs, &[], &[], &CoverageParams::default()).unwrap_err();
    assert!(err.to_string().contains("no service center"), "{err}");
    let bad = CoverageParams {
        threshold_min: -1.0,
        ..Default::default()
    };
    let err =
        compute_coverage(&network, &costs, &[point("c", 0.0, 0.0, 1.0)], &[], &bad).unwrap_err();
    assert!(err.to_string().contains("threshold_min"), "{err}");
}
