//! Generates a synthetic city and prints its size and how long generation took.
//!
//! Usage: `city_stats [TARGET_NODES] [SEED]` (defaults 100000 and 42).

use std::time::Instant;

use lifecircle_benches::{build_city, graph_size, SyntheticCityParams};

fn main() {
    let mut args = std::env::args().skip(1);
    let target: usize = args
        .next()
        .map_or(100_000, |a| a.parse().expect("TARGET_NODES"));
    let seed: u64 = args.next().map_or(42, |a| a.parse().expect("SEED"));
    let params = SyntheticCityParams::new(target, seed);
    let start = Instant::now();
    let city = build_city(&params);
    let generate_s = start.elapsed().as_secs_f64();
    let vertices: usize = city.lines.iter().map(|l| l.coords.len()).sum();
    let start = Instant::now();
    let size = graph_size(&city.lines);
    let count_s = start.elapsed().as_secs_f64();
    println!(
        "target {target} seed {seed}: grid {}x{}, {} lines, {vertices} vertices, \
         {} nodes, {} edges, {} bridges; generated in {generate_s:.2} s, counted in {count_s:.2} s",
        city.grid_size.0,
        city.grid_size.1,
        city.lines.len(),
        size.nodes,
        size.edges,
        city.bridge_count,
    );
}
