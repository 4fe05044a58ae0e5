//! Planning: every candidate's marginal gain on a ~100k-node synthetic city with 10k
//! candidates, 300 existing centers and 100k residents (the 10-minute circle).
//!
//! `cargo bench -p lifecircle-benches --bench planning`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use lifecircle::coverage::compute_coverage;
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::planning::{candidates_from_points, rank_candidates, Planner};
use lifecircle::routing::WalkCosts;
use lifecircle::CoverageParams;
use lifecircle_benches::{build_city, generate_points, PointKind, SyntheticCityParams};

fn planning(c: &mut Criterion) {
    let city = build_city(&SyntheticCityParams::new(100_000, 7));
    let network = WalkNetwork::from_roads(&city.lines, &NetworkParams::default()).unwrap();
    let costs = WalkCosts::flat(&network);
    let centers = generate_points(&city.extent, 300, 7, PointKind::Centers);
    let residents = generate_points(&city.extent, 100_000, 7, PointKind::Residents);
    let candidates = candidates_from_points(&generate_points(
        &city.extent,
        10_000,
        8,
        PointKind::Centers,
    ));
    let params = CoverageParams::default();
    let result = compute_coverage(&network, &costs, &centers, &residents, &params).unwrap();
    let planner = Planner::new(&network, &costs, &result, &residents).unwrap();
    eprintln!(
        "planning bench: {} nodes, {} candidates, {} residents, {} centers, {} threads",
        network.node_count(),
        candidates.len(),
        residents.len(),
        centers.len(),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    let mut group = c.benchmark_group("planning");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("rank_10k_candidates_100k_nodes_coverage", |b| {
        b.iter(|| rank_candidates(&planner, &candidates, Some(params.threshold_min)));
    });
    group.bench_function("rank_10k_candidates_100k_nodes_exact_walks", |b| {
        b.iter(|| rank_candidates(&planner, &candidates, None));
    });
    group.finish();
}

criterion_group!(benches, planning);
criterion_main!(benches);
