//! Exports a peer comparison case: a network, seeded sources, lifecircle's distances
//! and lifecircle's timing, in the exchange format of `benches/peers/FORMAT.md`.
//!
//! ```text
//! export_peer_case --nodes 100000 --sources 50 --out /tmp/case-100k
//! ```
//!
//! The network comes from a synthetic city (`lifecircle_benches::build_city`). Sources are
//! random nodes with random initial costs (as if snapped from centers off the network);
//! lifecircle's `MultiSourceSearch` computes the distance of every node to its nearest
//! source, and its median time over `--reps` runs goes into `meta.json`.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{ensure, Context, Result};
use clap::Parser;
use lifecircle::network::NodeId;
use lifecircle::routing::{MultiSourceSearch, Seed, WalkCosts};
use lifecircle_benches::peer_case::{
    median, synthetic_network, time_runs_ms, write_file, write_graph, TimedNetwork,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Version of the exchange format written here (see FORMAT.md).
const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Parser)]
#[command(about = "Export a shortest-path case for the peer comparison harness")]
struct Args {
    /// Target node count of the synthetic city.
    #[arg(long, default_value_t = 100_000)]
    nodes: usize,
    /// Seed of the city and of the source choice.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of source nodes (seeds of the multi-source search).
    #[arg(long, default_value_t = 50)]
    sources: usize,
    /// Initial costs are drawn uniformly from [0, this) metres; 0 makes them all zero.
    #[arg(long, default_value_t = 100.0)]
    max_initial_cost_m: f64,
    /// Search bound in metres: nodes farther than this are unreached. Default: none.
    #[arg(long)]
    limit_m: Option<f64>,
    /// Timed repetitions of our search (after one warm-up run): at least this many.
    #[arg(long, default_value_t = 9)]
    reps: usize,
    /// ... and more until the timed runs add up to this many milliseconds.
    #[arg(long, default_value_t = 0.0)]
    min_time_ms: f64,
    /// Threads of the parallel search, timed besides the single-threaded one.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Output directory (created if missing).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(args.reps >= 1, "--reps must be at least 1");
    ensure!(
        args.min_time_ms.is_finite() && args.min_time_ms >= 0.0,
        "--min-time-ms must be a number of milliseconds, 0 or more"
    );
    ensure!(args.sources >= 1, "--sources must be at least 1");
    ensure!(
        args.max_initial_cost_m >= 0.0,
        "--max-initial-cost-m must not be negative"
    );
    let limit_m = args.limit_m.unwrap_or(f64::INFINITY);

    let TimedNetwork {
        network,
        generate_ms,
        build_ms,
    } = synthetic_network(args.nodes, args.seed)?;
    let n = network.node_count();

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x5eed_5eed);
    let seeds: Vec<Seed> = (0..args.sources)
        .map(|k| {
            let cost_m = if args.max_initial_cost_m > 0.0 {
                rng.random_range(0.0..args.max_initial_cost_m)
            } else {
                0.0
            };
            Seed {
                node: NodeId(rng.random_range(0..n as u32)),
                cost_m,
                length_m: cost_m,
                source: k as u32,
            }
        })
        .collect();

    let costs = WalkCosts::flat(&network);
    let mut search = MultiSourceSearch::new(&network);
    let runs_ms = time_runs_ms(args.reps, args.min_time_ms, || {
        search.run(&network, &costs, &seeds, limit_m);
    });
    let ours_ms = median(runs_ms.clone());
    let reached = search.reached().count();

    // The same query split over threads: timed the same way, and it must give the
    // same distance (and source) at every node.
    let mut parallel = MultiSourceSearch::new(&network);
    let parallel_runs_ms = time_runs_ms(args.reps, args.min_time_ms, || {
        parallel.run_parallel(&network, &costs, &seeds, limit_m, args.threads);
    });
    let parallel_ms = median(parallel_runs_ms.clone());
    for v in (0..n as u32).map(NodeId) {
        ensure!(
            parallel.cost_m(v) == search.cost_m(v) && parallel.source(v) == search.source(v),
            "the parallel search differs from the single search at node {}",
            v.0
        );
    }

    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let edge_count = network.edge_count();
    write_graph(&args.out.join("graph.bin"), &network)?;
    write_file(&args.out.join("sources.bin"), |w| {
        w.write_all(&(seeds.len() as u32).to_le_bytes())?;
        for s in &seeds {
            w.write_all(&s.node.0.to_le_bytes())?;
            w.write_all(&s.cost_m.to_le_bytes())?;
        }
        Ok(())
    })?;
    write_file(&args.out.join("expected.bin"), |w| {
        w.write_all(&(n as u32).to_le_bytes())?;
        for v in 0..n as u32 {
            let d = search.cost_m(NodeId(v)).unwrap_or(f64::INFINITY);
            w.write_all(&d.to_le_bytes())?;
        }
        Ok(())
    })?;

    let meta = serde_json::json!({
        "format_version": FORMAT_VERSION,
        "case": format!(
            "synthetic-{}-seed{}-{}src-{}-{}",
            args.nodes,
            args.seed,
            args.sources,
            if args.max_initial_cost_m > 0.0 { "costs" } else { "zero" },
            args.limit_m.map_or("unbounded".to_owned(), |l| format!("{l}m")),
        ),
        "source": {
            "kind": "synthetic",
            "target_nodes": args.nodes,
            "seed": args.seed,
        },
        "node_count": n,
        "edge_count": edge_count,
        "source_count": seeds.len(),
        "max_initial_cost_m": args.max_initial_cost_m,
        "limit_m": args.limit_m,
        "reached_nodes": reached,
        "ours_ms": ours_ms,
        "ours_runs_ms": runs_ms,
        "ours_build_ms": build_ms,
        "ours_threads": args.threads,
        "ours_parallel_ms": parallel_ms,
        "ours_parallel_runs_ms": parallel_runs_ms,
        "ours_generate_ms": generate_ms,
        "ours_min_time_ms": args.min_time_ms,
        "ours_tool": format!("lifecircle {} MultiSourceSearch (flat costs)", env!("CARGO_PKG_VERSION")),
    });
    fs::write(
        args.out.join("meta.json"),
        serde_json::to_string_pretty(&meta)? + "\n",
    )?;
    println!(
        "{}: {n} nodes, {edge_count} edges, {} sources, {reached} reached; \
         build {build_ms:.1} ms, search median {ours_ms:.2} ms over {} runs \
         ({} threads: {parallel_ms:.2} ms over {} runs)",
        args.out.display(),
        seeds.len(),
        runs_ms.len(),
        args.threads,
        parallel_runs_ms.len(),
    );
    Ok(())
}
