//! Writing peer comparison cases: the shared pieces of the exchange format in
//! `benches/peers/FORMAT.md`.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use std::time::Instant;

use anyhow::{ensure, Context, Result};
use lifecircle::network::{NetworkParams, WalkNetwork};

use crate::{build_city, SyntheticCityParams};

/// A synthetic city's walking network, with how long it took to make.
pub struct TimedNetwork {
    /// The network, node ids within `u32` as the case formats need.
    pub network: WalkNetwork,
    /// Generating the city's road lines, milliseconds.
    pub generate_ms: f64,
    /// `WalkNetwork::from_roads` on them, milliseconds.
    pub build_ms: f64,
}

/// Generates the synthetic city of `target_nodes` nodes and `seed` and builds its
/// network; the road lines are dropped once it is built.
pub fn synthetic_network(target_nodes: usize, seed: u64) -> Result<TimedNetwork> {
    let start = Instant::now();
    let city = build_city(&SyntheticCityParams::new(target_nodes, seed));
    let generate_ms = start.elapsed().as_secs_f64() * 1e3;
    let start = Instant::now();
    let network = WalkNetwork::from_roads(&city.lines, &NetworkParams::default())?;
    let build_ms = start.elapsed().as_secs_f64() * 1e3;
    ensure!(
        u32::try_from(network.node_count()).is_ok(),
        "too many nodes for the format"
    );
    Ok(TimedNetwork {
        network,
        generate_ms,
        build_ms,
    })
}

/// Median of `values` (the mean of the middle two for an even count); `NaN` when empty.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Milliseconds `work` takes, per run, after one untimed warm-up run: at least
/// `min_runs` runs, and more until they add up to `min_total_ms`. A query of a fraction
/// of a millisecond then gets hundreds of samples, so that a few slow runs on a shared
/// machine do not move its median.
pub fn time_runs_ms(min_runs: usize, min_total_ms: f64, mut work: impl FnMut()) -> Vec<f64> {
    work();
    let mut runs_ms = Vec::with_capacity(min_runs);
    let mut total_ms = 0.0;
    while runs_ms.len() < min_runs || total_ms < min_total_ms {
        let start = Instant::now();
        work();
        let ms = start.elapsed().as_secs_f64() * 1e3;
        runs_ms.push(ms);
        total_ms += ms;
    }
    runs_ms
}

/// Creates `path` and fills it through a buffered writer, naming the file in any error.
pub fn write_file(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<fs::File>) -> std::io::Result<()>,
) -> Result<()> {
    let file = fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("writing {}", path.display()))
}

/// Writes `graph.bin`: node and edge counts, each edge's two nodes, and its length as
/// the search adds it (`f32` precision), so every tool solves exactly the same problem.
pub fn write_graph(path: &Path, network: &WalkNetwork) -> Result<()> {
    let node_count =
        u32::try_from(network.node_count()).context("too many nodes for the format")?;
    let edge_count =
        u32::try_from(network.edge_count()).context("too many edges for the format")?;
    write_file(path, |w| {
        w.write_all(&node_count.to_le_bytes())?;
        w.write_all(&edge_count.to_le_bytes())?;
        for (a, _, _) in network.edges() {
            w.write_all(&a.0.to_le_bytes())?;
        }
        for (_, b, _) in network.edges() {
            w.write_all(&b.0.to_le_bytes())?;
        }
        for (_, _, length_m) in network.edges() {
            w.write_all(&f64::from(length_m as f32).to_le_bytes())?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(Vec::new()).is_nan());
    }

    /// Exactly `min_runs` timed runs (plus the warm-up) without a time budget; with one,
    /// runs until they add up to it, and not one more.
    #[test]
    fn timed_runs_reach_the_run_count_and_the_time_budget() {
        let mut calls = 0;
        assert_eq!(time_runs_ms(3, 0.0, || calls += 1).len(), 3);
        assert_eq!(calls, 4);
        let sleep = || std::thread::sleep(std::time::Duration::from_millis(2));
        let runs = time_runs_ms(1, 10.0, sleep);
        let total: f64 = runs.iter().sum();
        assert!(total >= 10.0, "{runs:?}");
        // Every run sleeps at least 2 ms, so five reach the budget.
        assert!(runs.len() <= 5, "{runs:?}");
        assert!(total - runs.last().unwrap() < 10.0, "{runs:?}");
    }
}
