//! Each stage of a coverage run, separately — parse, network build, snapping,
//! multi-source search, full coverage, one what-if, candidate ranking and greedy site
//! choice — on the real networks in `data/` and on synthetic cities.
//!
//! `cargo bench -p lifecircle-benches --bench stages` (add `-- <filter>` to pick one,
//! e.g. `-- gothenburg` or `-- build_network`).
//!
//! Real extracts: OSM PBFs take their centers from civic amenities and one resident per
//! building; the GeoJSON networks (no buildings) take seeded random centers (one per
//! 500 nodes) and residents (one per two nodes) inside their bounding box.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lifecircle::features::{PointFeature, RoadLine};
use lifecircle::input::{PopulationEstimate, TagFilter};
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::planning::{generate_candidates, CandidateGrid, Method};
use lifecircle::routing::{MultiSourceSearch, Seed, WalkCosts};
use lifecircle::study::{InputReport, StudyParts};
use lifecircle::{
    read_points, read_roads, CoverageParams, Layer, PlanParams, ReadOptions, Study, StudyParams,
};
use lifecircle_benches::{build_city, generate_points, LonLatBox, PointKind, SyntheticCityParams};

const CENTERS: &str = "amenity=community_centre|social_centre|library|townhall|social_facility";

fn configure(c: &mut Criterion) -> Criterion {
    std::mem::take(c)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/../data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// How a real extract is read.
enum Source {
    /// OSM PBF: roads, centers by tag, one resident per building.
    Pbf,
    /// Gzipped GeoJSON lines; centers and residents are generated.
    GeoJsonGz,
}

fn parse_roads(name: &str, raw: &[u8]) -> Vec<RoadLine> {
    read_roads(name, raw, &ReadOptions::default())
        .unwrap()
        .lines
}

fn points(
    name: &str,
    source: &Source,
    raw: &[u8],
    lines: &[RoadLine],
    nodes: usize,
) -> (Vec<PointFeature>, Vec<PointFeature>) {
    let extent = LonLatBox::of_lines(lines).unwrap();
    let generated = || {
        (
            generate_points(&extent, (nodes / 500).max(5), 11, PointKind::Centers),
            generate_points(&extent, nodes / 2, 11, PointKind::Residents),
        )
    };
    match source {
        Source::GeoJsonGz => generated(),
        Source::Pbf => {
            let read = |filter: &str| {
                let options = ReadOptions::default()
                    .osm(TagFilter::parse(filter).unwrap(), PopulationEstimate::One);
                read_points(name, raw, &options).unwrap().points
            };
            let (centers, residents) = (read(CENTERS), read("building"));
            let (gen_centers, gen_residents) = generated();
            (
                if centers.is_empty() {
                    gen_centers
                } else {
                    centers
                },
                if residents.is_empty() {
                    gen_residents
                } else {
                    residents
                },
            )
        }
    }
}

/// Search seeds at the first node of each center's edge.
fn seeds(network: &WalkNetwork, centers: &[PointFeature]) -> Vec<Seed> {
    centers
        .iter()
        .enumerate()
        .filter_map(|(i, p)| network.snap([p.lon, p.lat]).map(|s| (i, s)))
        .map(|(i, s)| Seed {
            node: network.edge_nodes(s.edge).0,
            cost_m: 0.0,
            length_m: 0.0,
            source: i as u32,
        })
        .collect()
}

/// Every query stage on one network: snap, search, coverage, what-if, rank, greedy.
fn query_stages(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: &str,
    network: &Arc<WalkNetwork>,
    centers: Vec<PointFeature>,
    residents: Vec<PointFeature>,
) {
    let costs = Arc::new(WalkCosts::flat(network));
    group.throughput(Throughput::Elements(residents.len() as u64));
    group.bench_function(BenchmarkId::new("snap_residents", id), |b| {
        b.iter(|| {
            residents
                .iter()
                .filter_map(|p| network.snap([p.lon, p.lat]))
                .count()
        });
    });
    let seeds = seeds(network, &centers);
    let mut search = MultiSourceSearch::new(network);
    group.throughput(Throughput::Elements(network.node_count() as u64));
    group.bench_function(BenchmarkId::new("multi_source_search", id), |b| {
        b.iter(|| search.run(network, &costs, &seeds, f64::INFINITY));
    });
    let threshold_m = CoverageParams::default().threshold_cost_m(costs.metres_per_min());
    group.bench_function(BenchmarkId::new("multi_source_search_10min", id), |b| {
        b.iter(|| search.run(network, &costs, &seeds, threshold_m));
    });

    // Everything from the full coverage on goes through the study, as the tools run it.
    let parts = StudyParts {
        network: Arc::clone(network),
        roads: InputReport::new("roads", 0, &Default::default()),
        costs: Some(costs),
        centers: Layer::new(centers.into(), "centers"),
        demand: Arc::new(Layer::new(residents.into(), "residents")),
        units: None,
        prepared: Default::default(),
        demand_snaps: None,
    };
    let params = StudyParams::default();
    group.throughput(Throughput::Elements(parts.demand.data.points.len() as u64));
    group.bench_function(BenchmarkId::new("full_coverage", id), |b| {
        b.iter(|| Study::from_parts(parts.clone(), params.clone()).unwrap());
    });

    let study = Study::from_parts(parts, params.clone()).unwrap();
    // A scenario edit: the same residents, snapped once, walking to other centers.
    let edited =
        study.parts_with_centers(Layer::new(study.centers()[1..].to_vec().into(), "centers"));
    group.bench_function(BenchmarkId::new("edited_scenario", id), |b| {
        b.iter(|| Study::from_parts(edited.clone(), params.clone()).unwrap());
    });
    study.plan_index();
    let candidates = generate_candidates(network, &CandidateGrid::default()).unwrap();
    // What-if sites: candidate positions, a different one each iteration.
    let sites: Vec<[f64; 2]> = candidates.iter().map(|c| c.lonlat).take(64).collect();
    let mut scratch = study.scratch();
    let mut next = 0;
    group.throughput(Throughput::Elements(1));
    group.bench_function(BenchmarkId::new("whatif_add_site", id), |b| {
        b.iter(|| {
            next = (next + 1) % sites.len();
            study.what_if_add(&mut scratch, sites[next]).unwrap()
        });
    });
    group.throughput(Throughput::Elements(candidates.len() as u64));
    group.bench_function(BenchmarkId::new("rank_candidates", id), |b| {
        b.iter(|| study.rank(&candidates, Some(params.coverage.threshold_min)));
    });
    let greedy = PlanParams {
        k: 10,
        method: Method::Greedy,
        ..PlanParams::default()
    };
    group.bench_function(BenchmarkId::new("greedy_10_sites", id), |b| {
        b.iter(|| study.plan(&candidates, &greedy, &mut |_| {}).unwrap());
    });
}

fn real_networks(c: &mut Criterion) {
    let mut c = configure(c);
    let extracts = [
        ("isle_of_man", "isle_of_man.osm.pbf", Source::Pbf),
        ("helsinki_center", "helsinki_center.osm.pbf", Source::Pbf),
        (
            "gothenburg",
            "gothenburg_walk.geojson.gz",
            Source::GeoJsonGz,
        ),
        ("wuhan", "wuhan_streets.geojson.gz", Source::GeoJsonGz),
    ];
    for (id, file, source) in extracts {
        let raw = data(file);
        let mut group = c.benchmark_group("real");
        group.throughput(Throughput::Bytes(raw.len() as u64));
        group.bench_function(BenchmarkId::new("parse_roads", id), |b| {
            b.iter(|| parse_roads(file, black_box(&raw)));
        });
        let lines = parse_roads(file, &raw);
        group.throughput(Throughput::Elements(lines.len() as u64));
        group.bench_function(BenchmarkId::new("build_network", id), |b| {
            b.iter(|| WalkNetwork::from_roads(black_box(&lines), &NetworkParams::default()));
        });
        let network = Arc::new(WalkNetwork::from_roads(&lines, &NetworkParams::default()).unwrap());
        let (centers, residents) = points(file, &source, &raw, &lines, network.node_count());
        eprintln!(
            "{id}: {} nodes, {} edges, {} centers, {} residents",
            network.node_count(),
            network.edge_count(),
            centers.len(),
            residents.len()
        );
        query_stages(&mut group, id, &network, centers, residents);
        group.finish();
    }
}

fn synthetic_cities(c: &mut Criterion) {
    let mut c = configure(c);
    let mut group = c.benchmark_group("synthetic");
    for nodes in [10_000usize, 100_000] {
        let city = build_city(&SyntheticCityParams::new(nodes, 1));
        let id = nodes.to_string();
        group.throughput(Throughput::Elements(nodes as u64));
        group.bench_function(BenchmarkId::new("build_network", &id), |b| {
            b.iter(|| WalkNetwork::from_roads(&city.lines, &NetworkParams::default()).unwrap());
        });
        let network =
            Arc::new(WalkNetwork::from_roads(&city.lines, &NetworkParams::default()).unwrap());
        let centers = generate_points(&city.extent, 50, 2, PointKind::Centers);
        let residents = generate_points(&city.extent, nodes / 5, 3, PointKind::Residents);
        query_stages(&mut group, &id, &network, centers, residents);
    }
    group.finish();
}

criterion_group!(benches, real_networks, synthetic_cities);
criterion_main!(benches);
