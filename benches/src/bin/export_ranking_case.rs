//! Exports a planning peer case: a network, current centers, residents and candidate
//! sites (all on nodes), lifecircle's coverage gain for every candidate, and how long
//! lifecircle took to rank them all and to answer one what-if, in the exchange format of
//! `benches/peers/FORMAT.md`.
//!
//! ```text
//! export_ranking_case --nodes 100000 --candidates 10000 --out /tmp/rank-100k
//! ```
//!
//! Every point sits exactly on a node of a synthetic city, so a tool that knows only the
//! graph answers the same question: how much currently uncovered population lies within
//! the threshold walk of each candidate. lifecircle answers it through its planning API
//! (`compute_coverage`, `Planner`, `rank_candidates`, `Planner::add_site`).

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use clap::Parser;
use lifecircle::coverage::compute_coverage;
use lifecircle::features::PointFeature;
use lifecircle::network::{NodeId, WalkNetwork};
use lifecircle::planning::{candidates_from_points, rank_candidates, PlanScratch, Planner};
use lifecircle::routing::WalkCosts;
use lifecircle::CoverageParams;
use lifecircle_benches::peer_case::{
    median, synthetic_network, time_runs_ms, write_file, write_graph, TimedNetwork,
};
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Version of the exchange format written here (see FORMAT.md).
const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Parser)]
#[command(about = "Export a candidate ranking case for the peer comparison harness")]
struct Args {
    /// Target node count of the synthetic city.
    #[arg(long, default_value_t = 100_000)]
    nodes: usize,
    /// Seed of the city and of the point choice.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// One current center per this many nodes.
    #[arg(long, default_value_t = 1_000)]
    nodes_per_center: usize,
    /// One resident (population 1 to 4) per this many nodes.
    #[arg(long, default_value_t = 2)]
    nodes_per_resident: usize,
    /// Candidate sites, on distinct random nodes (at most the node count).
    #[arg(long, default_value_t = 10_000)]
    candidates: usize,
    /// What-ifs timed one by one: the first this many candidates.
    #[arg(long, default_value_t = 200)]
    whatifs: usize,
    /// Timed repetitions of the ranking (after one warm-up run).
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Threads of the ranking as it runs by default, timed besides one thread.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Output directory (created if missing).
    #[arg(long)]
    out: PathBuf,
}

/// A point exactly on `node`, so that it snaps there with no access walk.
fn point_on(network: &WalkNetwork, node: u32, id: String, population: f64) -> PointFeature {
    let [lon, lat] = network.node_lonlat(NodeId(node));
    PointFeature {
        id,
        lon,
        lat,
        population,
        properties: serde_json::Map::new(),
        source_index: 0,
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(args.reps >= 1, "--reps must be at least 1");
    ensure!(args.threads >= 1, "--threads must be at least 1");
    ensure!(
        args.nodes_per_center >= 1 && args.nodes_per_resident >= 1,
        "--nodes-per-center and --nodes-per-resident must be at least 1"
    );

    let TimedNetwork {
        network, build_ms, ..
    } = synthetic_network(args.nodes, args.seed)?;
    let n = network.node_count();
    ensure!(
        args.candidates >= 1 && args.candidates <= n,
        "--candidates must be between 1 and the node count ({n})"
    );
    ensure!(
        args.whatifs <= args.candidates,
        "--whatifs must not exceed --candidates"
    );

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x7a9c_0f1e);
    let center_nodes: Vec<u32> = sample(&mut rng, n, (n / args.nodes_per_center).max(1))
        .into_iter()
        .map(|v| v as u32)
        .collect();
    let resident_nodes: Vec<(u32, f64)> = (0..n / args.nodes_per_resident)
        .map(|_| {
            let node = rng.random_range(0..n as u32);
            (node, f64::from(rng.random_range(1u32..=4)))
        })
        .collect();
    let candidate_nodes: Vec<u32> = sample(&mut rng, n, args.candidates)
        .into_iter()
        .map(|v| v as u32)
        .collect();

    let centers: Vec<PointFeature> = center_nodes
        .iter()
        .enumerate()
        .map(|(k, &v)| point_on(&network, v, format!("c{k}"), 1.0))
        .collect();
    let residents: Vec<PointFeature> = resident_nodes
        .iter()
        .enumerate()
        .map(|(k, &(v, population))| point_on(&network, v, format!("r{k}"), population))
        .collect();
    let candidate_points: Vec<PointFeature> = candidate_nodes
        .iter()
        .enumerate()
        .map(|(k, &v)| point_on(&network, v, format!("s{k}"), 1.0))
        .collect();
    let candidates = candidates_from_points(&candidate_points);

    let params = CoverageParams::default();
    let costs = WalkCosts::flat(&network);
    let start = Instant::now();
    let result = compute_coverage(&network, &costs, &centers, &residents, &params)?;
    let planner = Planner::new(&network, &costs, &result, &residents)?;
    let setup_ms = start.elapsed().as_secs_f64() * 1e3;
    let uncovered_population = planner.total_population() - planner.covered_population();

    // Ranking with the coverage gain exact (searches capped at the threshold), as the
    // planner's ranking runs; on `threads` threads and on one.
    let pool = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .context("starting a thread pool")
    };
    let threshold = Some(params.threshold_min);
    let gains = rank_candidates(&planner, &candidates, threshold);
    ensure!(
        gains.iter().all(|g| g.snapped),
        "a candidate on a node did not snap to the network"
    );
    let rank_runs_ms = pool(args.threads)?.install(|| {
        time_runs_ms(args.reps, 0.0, || {
            std::hint::black_box(rank_candidates(&planner, &candidates, threshold));
        })
    });
    let rank_single_runs_ms = pool(1)?.install(|| {
        time_runs_ms(args.reps, 0.0, || {
            std::hint::black_box(rank_candidates(&planner, &candidates, threshold));
        })
    });

    // One what-if at a time, as the viewer asks them: the full `add_site` answer
    // (snapping the site included), checked against the ranking's gain.
    let mut scratch = PlanScratch::new(&network);
    let mut whatif_us = Vec::with_capacity(args.whatifs);
    for pass in 0..2 {
        for (k, point) in candidate_points.iter().take(args.whatifs).enumerate() {
            let start = Instant::now();
            let change = planner.add_site(&mut scratch, [point.lon, point.lat])?;
            let elapsed_us = start.elapsed().as_secs_f64() * 1e6;
            ensure!(
                change.covered_population_change == gains[k].covered_population_gain,
                "candidate {k}: the what-if gains {} but the ranking {}",
                change.covered_population_change,
                gains[k].covered_population_gain
            );
            if pass == 1 {
                whatif_us.push(elapsed_us);
            }
        }
    }

    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    write_graph(&args.out.join("graph.bin"), &network)?;
    let write_nodes = |name: &str, nodes: &[u32]| {
        write_file(&args.out.join(name), |w| {
            w.write_all(&(nodes.len() as u32).to_le_bytes())?;
            for v in nodes {
                w.write_all(&v.to_le_bytes())?;
            }
            Ok(())
        })
    };
    write_nodes("centers.bin", &center_nodes)?;
    write_nodes("candidates.bin", &candidate_nodes)?;
    write_file(&args.out.join("residents.bin"), |w| {
        w.write_all(&(resident_nodes.len() as u32).to_le_bytes())?;
        for &(v, population) in &resident_nodes {
            w.write_all(&v.to_le_bytes())?;
            w.write_all(&population.to_le_bytes())?;
        }
        Ok(())
    })?;
    write_file(&args.out.join("expected_gains.bin"), |w| {
        w.write_all(&(gains.len() as u32).to_le_bytes())?;
        for g in &gains {
            w.write_all(&g.covered_population_gain.to_le_bytes())?;
        }
        Ok(())
    })?;

    let rank_ms = median(rank_runs_ms.clone());
    let rank_single_ms = median(rank_single_runs_ms.clone());
    let whatif_median_us = median(whatif_us.clone());
    let meta = serde_json::json!({
        "format_version": FORMAT_VERSION,
        "kind": "ranking",
        "case": format!(
            "synthetic-{}-seed{}-{}cand-rank",
            args.nodes, args.seed, candidate_nodes.len()
        ),
        "source": {
            "kind": "synthetic",
            "target_nodes": args.nodes,
            "seed": args.seed,
        },
        "node_count": n,
        "edge_count": network.edge_count(),
        "center_count": center_nodes.len(),
        "resident_count": resident_nodes.len(),
        "candidate_count": candidate_nodes.len(),
        "threshold_m": result.threshold_cost_m(),
        "total_population": planner.total_population(),
        "uncovered_population": uncovered_population,
        "whatif_count": whatif_us.len(),
        "ours_build_ms": build_ms,
        "ours_setup_ms": setup_ms,
        "ours_threads": args.threads,
        "ours_rank_ms": rank_ms,
        "ours_rank_runs_ms": rank_runs_ms,
        "ours_rank_single_ms": rank_single_ms,
        "ours_rank_single_runs_ms": rank_single_runs_ms,
        "ours_whatif_median_us": whatif_median_us,
        "ours_whatif_runs_us": whatif_us,
        "ours_tool": format!(
            "lifecircle {} rank_candidates / Planner::add_site",
            env!("CARGO_PKG_VERSION")
        ),
    });
    fs::write(
        args.out.join("meta.json"),
        serde_json::to_string_pretty(&meta)? + "\n",
    )?;
    println!(
        "{}: {n} nodes, {} centers, {} residents ({uncovered_population} of {} population \
         uncovered), {} candidates; setup {setup_ms:.1} ms, ranking median {rank_ms:.1} ms \
         ({} threads; 1 thread: {rank_single_ms:.1} ms), what-if median {whatif_median_us:.1} µs",
        args.out.display(),
        center_nodes.len(),
        resident_nodes.len(),
        planner.total_population(),
        candidate_nodes.len(),
        args.threads,
    );
    Ok(())
}
