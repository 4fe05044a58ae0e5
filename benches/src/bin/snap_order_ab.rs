//! Snapping order A/B: residents snapped in the order they come (a random order here)
//! against the same residents snapped in `lifecircle::geodesy::z_order`, on the
//! Gothenburg footpaths, one thread; prints a markdown row. Results: `benches/README.md`,
//! "Snapping in Z-order".
//!
//! `cargo run --release -p lifecircle-benches --bin snap_order_ab [-- --points 208000 --reps 9]`
//!
//! Both orders must give the same snap for every point before anything is timed. The
//! Z-order time includes computing the order and putting the snaps back in input order.
//! Medians over `--reps` rounds, the two orders taking turns.

use std::hint::black_box;
use std::time::Instant;

use anyhow::{ensure, Result};
use clap::Parser;
use lifecircle::geodesy::z_order;
use lifecircle::network::{NetworkParams, Snap, WalkNetwork};
use lifecircle::{read_roads, ReadOptions};
use lifecircle_benches::{generate_points, LonLatBox, PointKind};

#[derive(Parser)]
struct Args {
    /// Residents to snap (random over the network's extent).
    #[arg(long, default_value_t = 208_000)]
    points: usize,
    /// Rounds per order.
    #[arg(long, default_value_t = 9)]
    reps: usize,
}

fn in_given_order(network: &WalkNetwork, points: &[[f64; 2]]) -> Vec<Option<Snap>> {
    points
        .iter()
        .map(|&p| network.snap_within(p, 300.0))
        .collect()
}

fn in_z_order(network: &WalkNetwork, points: &[[f64; 2]]) -> Vec<Option<Snap>> {
    let mut snaps = vec![None; points.len()];
    for i in z_order(points) {
        snaps[i] = network.snap_within(points[i], 300.0);
    }
    snaps
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() -> Result<()> {
    let args = Args::parse();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/gothenburg_walk.geojson.gz"
    );
    let raw = std::fs::read(file)?;
    let lines = read_roads("gothenburg_walk.geojson.gz", &raw, &ReadOptions::default())?.lines;
    let network = WalkNetwork::from_roads(&lines, &NetworkParams::default())?;
    let extent = LonLatBox::of_lines(&lines).expect("lines");
    let points: Vec<[f64; 2]> = generate_points(&extent, args.points, 11, PointKind::Residents)
        .iter()
        .map(|p| [p.lon, p.lat])
        .collect();
    ensure!(
        in_given_order(&network, &points) == in_z_order(&network, &points),
        "the two orders snap differently"
    );
    let (mut given, mut sorted) = (Vec::new(), Vec::new());
    for round in 0..args.reps {
        for turn in 0..2 {
            let z = (round + turn) % 2 == 1;
            let start = Instant::now();
            if z {
                black_box(in_z_order(&network, &points));
            } else {
                black_box(in_given_order(&network, &points));
            }
            let ms = start.elapsed().as_secs_f64() * 1e3;
            if z {
                sorted.push(ms);
            } else {
                given.push(ms);
            }
        }
    }
    let (given, sorted) = (median_ms(given), median_ms(sorted));
    println!("| points | given order, ms | Z-order, ms (order included) | given / Z |");
    println!("|---:|---:|---:|---:|");
    println!(
        "| {} | {given:.1} | {sorted:.1} | {:.2}× |",
        args.points,
        given / sorted
    );
    Ok(())
}
