//! Writing output files and the terminal summary.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use lifecircle::{CoverageParams, CoverageSummary, NetworkStats};

/// The output folder.
pub struct OutputDir {
    path: PathBuf,
}

impl OutputDir {
    /// Creates the folder (and parents) if missing.
    pub fn create(path: &Path) -> Result<Self> {
        std::fs::create_dir_all(path)
            .with_context(|| format!("{}: cannot create output folder", path.display()))?;
        Ok(Self {
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a text file into the folder.
    pub fn write(&self, name: &str, content: &str) -> Result<()> {
        let path = self.path.join(name);
        std::fs::write(&path, content)
            .with_context(|| format!("{}: cannot write file", path.display()))
    }

    /// Writes pretty-printed JSON with a final newline.
    pub fn write_json(&self, name: &str, value: &serde_json::Value) -> Result<()> {
        let mut text = serde_json::to_string_pretty(value).context("serialising JSON")?;
        text.push('\n');
        self.write(name, &text)
    }
}

fn thousands(x: f64) -> String {
    let n = x.round() as i64;
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Prints the headline figures.
pub fn print_summary(
    s: &CoverageSummary,
    network: &NetworkStats,
    params: &CoverageParams,
    out: &Path,
    elapsed: Duration,
) {
    println!(
        "Network: {} nodes, {} edges, {:.1} km ({} island nodes left out)",
        thousands(network.nodes as f64),
        thousands(network.edges as f64),
        network.length_km,
        thousands(network.island_nodes as f64)
    );
    println!(
        "Centers: {} ({} off the network)",
        s.centers, s.centers_too_far_from_network
    );
    println!(
        "Coverage within {} min at {} km/h: {:.1} % ({} of {} population)",
        params.threshold_min,
        params.speed_kmh,
        s.coverage_ratio * 100.0,
        thousands(s.covered_population),
        thousands(s.total_population)
    );
    println!(
        "  beyond the threshold: {}   too far from network: {}   no path: {}",
        thousands(s.uncovered_reachable_population),
        thousands(s.too_far_from_network_population),
        thousands(s.no_path_population)
    );
    if let (Some(mean), Some(median)) = (s.mean_walk_min, s.median_walk_min) {
        println!("  walk time: mean {mean:.1} min, median {median:.1} min");
    }
    println!("  walk-time histogram (population):");
    for bin in &s.histogram {
        println!("    {:>6} min  {:>10}", bin.label, thousands(bin.population));
    }
    println!(
        "Outputs in {} ({:.2} s)",
        out.display(),
        elapsed.as_secs_f64()
    );
}
