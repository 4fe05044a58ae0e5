//! Times `lifecircle::read_roads` on one OSM PBF file, from the bytes in memory to the
//! walkable `RoadLine`s, on the whole thread pool and on one thread; prints one JSON
//! line. Run by `benches/pbf_decode.sh` next to osmium-tool.
//!
//! `cargo run --release -p lifecircle-benches --bin read_pbf -- FILE [--reps 3]`

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use lifecircle::{read_roads, ReadOptions};

#[derive(Parser)]
struct Args {
    /// The OSM PBF file.
    file: std::path::PathBuf,
    /// Runs per thread count (the median is printed).
    #[arg(long, default_value_t = 3)]
    reps: usize,
}

fn median_s(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() -> Result<()> {
    let args = Args::parse();
    let start = Instant::now();
    let bytes = std::fs::read(&args.file).with_context(|| format!("{}", args.file.display()))?;
    let file_read_s = start.elapsed().as_secs_f64();
    let name = args.file.display().to_string();
    let time = |threads: usize| -> Result<(f64, usize)> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let mut samples = Vec::new();
        let mut lines = 0;
        for _ in 0..args.reps {
            let start = Instant::now();
            lines = pool
                .install(|| read_roads(&name, &bytes, &ReadOptions::default()))?
                .lines
                .len();
            samples.push(start.elapsed().as_secs_f64());
        }
        Ok((median_s(samples), lines))
    };
    let threads = rayon::current_num_threads();
    let (all_s, lines) = time(threads)?;
    let (one_s, _) = time(1)?;
    println!(
        "{}",
        serde_json::json!({
            "file_mb": bytes.len() as f64 / 1e6,
            "file_read_s": file_read_s,
            "walkable_lines": lines,
            "threads": threads,
            "read_roads_s": all_s,
            "read_roads_one_thread_s": one_s,
        })
    );
    Ok(())
}
