//! Each stage of a coverage run, separately: parse, network build, snapping,
//! multi-source search and full coverage, on real extracts and synthetic cities.
//!
//! `cargo bench -p lifecircle-benches --bench stages` (add `-- <filter>` to pick one).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lifecircle::input::{read_points_osm_pbf, read_roads_osm_pbf, PopulationEstimate, TagFilter};
use lifecircle::{
    compute_coverage, CoverageParams, MultiSourceSearch, NetworkParams, Seed, WalkCosts,
    WalkNetwork,
};
use lifecircle_benches::{build_city, generate_points, PointKind, SyntheticCityParams};

const ISLE_OF_MAN: &[u8] = include_bytes!("../../data/isle_of_man.osm.pbf");
const CENTERS: &str = "amenity=community_centre|social_centre|library|townhall|social_facility";

fn configure(c: &mut Criterion) -> Criterion {
    std::mem::take(c)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

fn real_extract(c: &mut Criterion) {
    let mut c = configure(c);
    let mut group = c.benchmark_group("isle_of_man");
    group.throughput(Throughput::Bytes(ISLE_OF_MAN.len() as u64));
    group.bench_function("parse_roads", |b| {
        b.iter(|| read_roads_osm_pbf("iom", black_box(ISLE_OF_MAN)).unwrap())
    });
    let roads = read_roads_osm_pbf("iom", ISLE_OF_MAN).unwrap();
    let centers = read_points_osm_pbf(
        "iom",
        ISLE_OF_MAN,
        &TagFilter::parse(CENTERS).unwrap(),
        &PopulationEstimate::One,
    )
    .unwrap()
    .points;
    let demand = read_points_osm_pbf(
        "iom",
        ISLE_OF_MAN,
        &TagFilter::parse("building").unwrap(),
        &PopulationEstimate::One,
    )
    .unwrap()
    .points;
    group.throughput(Throughput::Elements(roads.lines.len() as u64));
    group.bench_function("build_network", |b| {
        b.iter(|| {
            WalkNetwork::from_roads(black_box(&roads.lines), &NetworkParams::default()).unwrap()
        })
    });
    let network = WalkNetwork::from_roads(&roads.lines, &NetworkParams::default()).unwrap();
    let costs = WalkCosts::flat(&network);
    group.throughput(Throughput::Elements(demand.len() as u64));
    group.bench_function("snap_residents", |b| {
        b.iter(|| {
            demand
                .iter()
                .filter_map(|p| network.snap([p.lon, p.lat]))
                .count()
        })
    });
    group.bench_function("full_coverage", |b| {
        b.iter(|| {
            compute_coverage(
                &network,
                &costs,
                &centers,
                &demand,
                &CoverageParams::default(),
            )
            .unwrap()
        })
    });
    group.finish();
}

fn synthetic_cities(c: &mut Criterion) {
    let mut c = configure(c);
    let mut group = c.benchmark_group("synthetic");
    for nodes in [10_000usize, 100_000] {
        let city = build_city(&SyntheticCityParams::new(nodes, 1));
        group.throughput(Throughput::Elements(nodes as u64));
        group.bench_with_input(
            BenchmarkId::new("build_network", nodes),
            &city,
            |b, city| {
                b.iter(|| WalkNetwork::from_roads(&city.lines, &NetworkParams::default()).unwrap())
            },
        );
        let network = WalkNetwork::from_roads(&city.lines, &NetworkParams::default()).unwrap();
        let costs = WalkCosts::flat(&network);
        let seeds: Vec<Seed> = generate_points(&city.extent, 50, 2, PointKind::Centers)
            .iter()
            .enumerate()
            .filter_map(|(i, p)| network.snap([p.lon, p.lat]).map(|s| (i, s)))
            .map(|(i, s)| Seed {
                node: network.edge_nodes(s.edge).0,
                cost_m: 0.0,
                length_m: 0.0,
                source: i as u32,
            })
            .collect();
        let mut search = MultiSourceSearch::new(&network);
        group.bench_with_input(
            BenchmarkId::new("multi_source_search", nodes),
            &seeds,
            |b, seeds| b.iter(|| search.run(&network, &costs, seeds, f64::INFINITY)),
        );
        group.bench_with_input(
            BenchmarkId::new("multi_source_search_10min", nodes),
            &seeds,
            |b, seeds| b.iter(|| search.run(&network, &costs, seeds, 800.0)),
        );
        let residents = generate_points(&city.extent, nodes / 5, 3, PointKind::Residents);
        let centers = generate_points(&city.extent, 50, 2, PointKind::Centers);
        group.bench_with_input(
            BenchmarkId::new("full_coverage", nodes),
            &residents,
            |b, residents| {
                b.iter(|| {
                    compute_coverage(
                        &network,
                        &costs,
                        &centers,
                        residents,
                        &CoverageParams::default(),
                    )
                    .unwrap()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, real_extract, synthetic_cities);
criterion_main!(benches);
