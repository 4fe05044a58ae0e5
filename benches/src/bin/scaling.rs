//! One point of the scaling curve: generates a synthetic city, builds its walk network
//! and computes full coverage, and prints one CSV row with times and peak memory.
//!
//! Usage: `scaling TARGET_NODES [SEED] [--header]` (seed default 1). Run each size in
//! its own process: peak memory (`VmHWM` from `/proc/self/status`, Linux) is per
//! process. The peak is reset (`/proc/self/clear_refs`) after the city is generated, so
//! `build_peak_mib` and `coverage_peak_mib` are the peaks of those stages alone, with
//! the input lines (`lines_mib` before the build) still resident.

use std::time::Instant;

use lifecircle::coverage::compute_coverage;
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::routing::WalkCosts;
use lifecircle::CoverageParams;
use lifecircle_benches::{build_city, generate_points, PointKind, SyntheticCityParams};

/// `VmHWM` and `VmRSS` of this process, MiB.
fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Resets the peak (`VmHWM`) to the current RSS (Linux 4.0+; ignored elsewhere).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

const HEADER: &str = "target_nodes,nodes,edges,segments,residents,centers,generate_s,build_s,\
snap_s,coverage_s,lines_mib,network_mib,build_peak_mib,coverage_peak_mib,\
network_heap_b_per_edge,network_b_per_edge,build_peak_b_per_edge,engine_peak_b_per_edge,\
peak_b_per_edge";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--header") {
        println!("{HEADER}");
        return;
    }
    let target: usize = args
        .first()
        .expect("usage: scaling TARGET_NODES [SEED]")
        .parse()
        .expect("TARGET_NODES");
    let seed: u64 = args.get(1).map_or(1, |a| a.parse().expect("SEED"));

    let start = Instant::now();
    let city = build_city(&SyntheticCityParams {
        hills: false,
        ..SyntheticCityParams::new(target, seed)
    });
    let residents = generate_points(&city.extent, target / 5, seed, PointKind::Residents);
    let centers = generate_points(
        &city.extent,
        (target / 2000).max(5),
        seed,
        PointKind::Centers,
    );
    let generate_s = start.elapsed().as_secs_f64();
    let segments: usize = city.lines.iter().map(|l| l.coords.len() - 1).sum();

    let (_, lines_mib) = memory_mib();
    reset_peak();
    let start = Instant::now();
    let network = WalkNetwork::from_roads(&city.lines, &NetworkParams::default()).unwrap();
    let build_s = start.elapsed().as_secs_f64();
    let (build_peak_mib, after_build_mib) = memory_mib();
    let costs = WalkCosts::flat(&network);

    let start = Instant::now();
    let snapped = residents
        .iter()
        .filter(|p| network.snap([p.lon, p.lat]).is_some())
        .count();
    let snap_s = start.elapsed().as_secs_f64();
    std::hint::black_box(snapped);

    reset_peak();
    let start = Instant::now();
    let result = compute_coverage(
        &network,
        &costs,
        &centers,
        &residents,
        &CoverageParams::default(),
    )
    .unwrap();
    let coverage_s = start.elapsed().as_secs_f64();
    let (coverage_peak_mib, _) = memory_mib();
    std::hint::black_box(&result);

    let edges = network.edge_count();
    let network_mib = after_build_mib - lines_mib;
    let per_edge = |mib: f64| mib * 1024.0 * 1024.0 / edges as f64;
    println!(
        "{target},{},{edges},{segments},{},{},{generate_s:.3},{build_s:.3},{snap_s:.3},{coverage_s:.3},\
         {lines_mib:.1},{network_mib:.1},{build_peak_mib:.1},{coverage_peak_mib:.1},\
         {:.0},{:.0},{:.0},{:.0},{:.0}",
        network.node_count(),
        residents.len(),
        centers.len(),
        network.heap_bytes() as f64 / edges as f64,
        per_edge(network_mib),
        per_edge(build_peak_mib - lines_mib),
        // Everything the engine holds at its peak (network, costs, search, results)
        // above the input it was given (road lines, residents, centers).
        per_edge(coverage_peak_mib.max(build_peak_mib) - lines_mib),
        per_edge(coverage_peak_mib.max(build_peak_mib)),
    );
}
