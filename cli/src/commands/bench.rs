//! `lifecircle bench`: a standard, seeded workload of coverage queries with latency
//! percentiles and throughput per stage.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;
use lifecircle::{
    compute_coverage, generate_candidates, rank_candidates, CandidateGrid, NodeId, PlanScratch,
    Planner, WalkNetwork,
};
use serde_json::{json, Value};

use super::coverage::read_inputs;
use super::demo::{read_sample, ISLE_OF_MAN_PBF};
use super::model::{check_slope_data, Model};
use super::pipeline::{self, Inputs};
use crate::args::{InputArgs, ModelArgs, ParamArgs};

/// Options of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Roads: GeoJSON lines or an OSM PBF (.gz accepted). Without inputs the bundled
    /// Isle of Man extract is used (as in `demo`).
    #[arg(long, value_name = "FILE")]
    pub roads: Option<PathBuf>,
    /// Service centers: GeoJSON points/polygons or CSV with lon/lat columns.
    #[arg(long, value_name = "FILE", requires = "roads")]
    pub centers: Option<PathBuf>,
    /// Take centers from an OSM PBF by tag filter, e.g. `amenity=community_centre|library`.
    #[arg(
        long,
        value_name = "FILTER",
        conflicts_with = "centers",
        requires = "roads"
    )]
    pub centers_osm: Option<String>,
    /// Residents (demand): GeoJSON points/polygons or CSV; `population` property (missing: 1).
    #[arg(long, value_name = "FILE", requires = "roads")]
    pub demand: Option<PathBuf>,
    /// Take residents from an OSM PBF by tag filter, e.g. `building`.
    #[arg(
        long,
        value_name = "FILTER",
        conflicts_with = "demand",
        requires = "roads"
    )]
    pub demand_osm: Option<String>,
    /// The OSM PBF that `--centers-osm` / `--demand-osm` read (default: `--roads` if it is a PBF).
    #[arg(long, value_name = "FILE", requires = "roads")]
    pub osm: Option<PathBuf>,
    /// Property (or CSV column) holding the population of a demand point or polygon.
    #[arg(long, default_value = "population", value_name = "NAME")]
    pub population_field: String,
    /// Spread each demand polygon's population evenly over grid points this far apart.
    #[arg(long, value_name = "METRES")]
    pub demand_spread_m: Option<f64>,
    /// Population of an OSM building: `one`, `tag:KEY`, or `area:M2_PER_PERSON`.
    #[arg(long, default_value = "one", value_name = "RULE")]
    pub building_population: String,
    /// Largest input accepted, in MiB. Default: 2048.
    #[arg(long, value_name = "MB")]
    pub max_input_mb: Option<u64>,
    /// Most features one input may hold. Default: 50,000,000.
    #[arg(long, value_name = "N")]
    pub max_features: Option<usize>,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Times parse, network build, full coverage, planner setup and candidate ranking
    /// are each run.
    #[arg(long, default_value_t = 5, value_name = "R")]
    pub repeat: usize,
    /// Number of what-if queries (a new site at a random point inside the network's
    /// bounds that snaps to it).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub whatifs: usize,
    /// Candidates for ranking: network nodes at least this far apart.
    #[arg(long, default_value_t = 400.0, value_name = "M")]
    pub candidate_spacing_m: f64,
    /// Seed of the random what-if sites (same seed, same workload).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
    /// Also write the figures as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Print nothing but errors (the JSON file is still written).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Latency samples of one stage and what one run processes.
struct StageTimes {
    name: &'static str,
    samples: Vec<Duration>,
    /// Items one run processes (for the throughput), and their unit.
    items_per_run: f64,
    unit: &'static str,
}

impl StageTimes {
    fn new(name: &'static str, items_per_run: f64, unit: &'static str) -> Self {
        Self {
            name,
            samples: Vec::new(),
            items_per_run,
            unit,
        }
    }

    /// Times `work` once and keeps its output.
    fn time<T>(&mut self, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = work();
        self.samples.push(start.elapsed());
        out
    }

    fn sorted_ms(&self) -> Vec<f64> {
        let mut ms: Vec<f64> = self.samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        ms
    }

    /// Items per second over all runs (total items / total time).
    fn throughput(&self) -> f64 {
        let total_s: f64 = self.samples.iter().map(Duration::as_secs_f64).sum();
        if total_s > 0.0 {
            self.items_per_run * self.samples.len() as f64 / total_s
        } else {
            0.0
        }
    }

    fn to_json(&self) -> Value {
        let ms = self.sorted_ms();
        let round = |x: f64| (x * 1e6).round() / 1e6;
        json!({
            "stage": self.name,
            "runs": ms.len(),
            "min_ms": round(ms.first().copied().unwrap_or(0.0)),
            "p50_ms": round(percentile(&ms, 50.0)),
            "p90_ms": round(percentile(&ms, 90.0)),
            "p99_ms": round(percentile(&ms, 99.0)),
            "max_ms": round(ms.last().copied().unwrap_or(0.0)),
            "mean_ms": round(if ms.is_empty() { 0.0 } else { ms.iter().sum::<f64>() / ms.len() as f64 }),
            "items_per_run": self.items_per_run,
            "throughput_per_s": round(self.throughput()),
            "throughput_unit": self.unit,
        })
    }
}

/// Nearest-rank percentile of sorted samples (0 for none).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// SplitMix64: a small seeded generator, so the workload needs no dependency and is the
/// same on every platform.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Where the inputs come from: the user's files, or the bundled sample.
fn read_workload_inputs(args: &BenchArgs) -> Result<(Inputs, u64)> {
    let Some(roads) = &args.roads else {
        return Ok((read_sample()?, ISLE_OF_MAN_PBF.len() as u64));
    };
    let input_args = InputArgs {
        roads: roads.clone(),
        centers: args.centers.clone(),
        centers_osm: args.centers_osm.clone(),
        demand: args.demand.clone(),
        demand_osm: args.demand_osm.clone(),
        osm: args.osm.clone(),
        units: None,
        population_field: args.population_field.clone(),
        demand_spread_m: args.demand_spread_m,
        building_population: args.building_population.clone(),
        max_input_mb: args.max_input_mb,
        max_features: args.max_features,
    };
    let inputs = read_inputs(&input_args)?;
    // Each file counted once, however many layers read it.
    let mut files: Vec<&PathBuf> = [&args.centers, &args.demand, &args.osm]
        .into_iter()
        .flatten()
        .collect();
    files.push(roads);
    files.sort();
    files.dedup();
    let mut bytes = 0;
    for f in files {
        bytes += std::fs::metadata(f)
            .with_context(|| format!("{}: cannot read file", f.display()))?
            .len();
    }
    Ok((inputs, bytes))
}

/// `[min_lon, min_lat, max_lon, max_lat]` of the nodes points may snap near.
fn network_bounds(network: &WalkNetwork) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for v in 0..network.node_count() {
        let node = NodeId(v as u32);
        if !network.is_node_eligible(node) {
            continue;
        }
        let [lon, lat] = network.node_lonlat(node);
        b = [b[0].min(lon), b[1].min(lat), b[2].max(lon), b[3].max(lat)];
    }
    b
}

/// Peak resident memory of this process in MiB (Linux), when known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn machine_json() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| {
        s.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
    });
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok());
    json!({
        "cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "cpu": cpu,
        "load_average_1m": load_average,
    })
}

fn say(quiet: bool, text: &str) {
    if !quiet {
        eprintln!("{text}");
    }
}

pub fn run(args: BenchArgs) -> Result<()> {
    if args.repeat == 0 {
        bail!("--repeat must be at least 1");
    }
    if !(args.candidate_spacing_m.is_finite() && args.candidate_spacing_m > 0.0) {
        bail!("--candidate-spacing-m must be a positive number of metres");
    }
    let quiet = args.quiet;
    let model = Model::from_args(&args.model)?;
    let params = pipeline::params_from_args(&args.params);
    params.coverage.validate()?;
    let coverage_params = model.coverage_params(&params.coverage)?;

    say(quiet, "parsing inputs");
    let mut parse = StageTimes::new("parse", 0.0, "MB");
    let mut parsed = None;
    for _ in 0..args.repeat {
        // The previous inputs are dropped outside the timed part, as the network below.
        drop(parsed.take());
        parsed = Some(parse.time(|| read_workload_inputs(&args))?);
    }
    let (mut inputs, input_bytes) = parsed.expect("repeat >= 1");
    parse.items_per_run = input_bytes as f64 / 1e6;
    model.prepare_inputs(&mut inputs);
    let lines = &inputs.roads.data.lines;
    let centers = &inputs.centers.data.points;
    let demand = &inputs.demand.data.points;
    if centers.is_empty() {
        bail!("{}: no service center found", inputs.centers.source);
    }

    say(quiet, "building the walk network");
    let mut build = StageTimes::new("build network", 0.0, "nodes");
    let mut built = None;
    for _ in 0..args.repeat {
        // The previous network is dropped outside the timed part.
        drop(built.take());
        built = Some(build.time(|| WalkNetwork::from_roads(lines, &params.network)));
    }
    let network = built
        .expect("repeat >= 1")
        .with_context(|| format!("{}: cannot build a walking network", inputs.roads.source))?;
    build.items_per_run = network.node_count() as f64;
    check_slope_data(&model, &network, &inputs.roads.source)?;
    let profile = model.profile(params.coverage.speed_kmh)?;
    let costs = model.costs(&network, &profile);

    say(quiet, "computing full coverage");
    let mut coverage = StageTimes::new("full coverage", demand.len() as f64, "residents");
    let mut result = None;
    for _ in 0..args.repeat {
        drop(result.take());
        result = Some(
            coverage
                .time(|| compute_coverage(&network, &costs, centers, demand, &coverage_params))?,
        );
    }
    let result = result.expect("repeat >= 1");

    let mut setup = StageTimes::new("planner setup", demand.len() as f64, "residents");
    let mut planner = None;
    for _ in 0..args.repeat {
        planner = Some(setup.time(|| Planner::new(&network, &costs, &result, demand))?);
    }
    let planner = planner.expect("repeat >= 1");

    say(quiet, "running what-if queries");
    let bounds = network_bounds(&network);
    let mut rng = SplitMix64(args.seed);
    let mut whatif = StageTimes::new("what-if (add site)", 1.0, "queries");
    let mut scratch = PlanScratch::new(&network);
    let max_attempts = args.whatifs.saturating_mul(100).saturating_add(1000);
    let (mut attempts, mut off_network, mut newly_covered) = (0usize, 0usize, 0.0);
    while whatif.samples.len() < args.whatifs && attempts < max_attempts {
        attempts += 1;
        let lonlat = [
            bounds[0] + rng.next_f64() * (bounds[2] - bounds[0]),
            bounds[1] + rng.next_f64() * (bounds[3] - bounds[1]),
        ];
        let start = Instant::now();
        let change = planner.add_site(&mut scratch, lonlat);
        let elapsed = start.elapsed();
        match change {
            Ok(change) => {
                whatif.samples.push(elapsed);
                newly_covered += change.covered_population_change;
            }
            Err(_) => off_network += 1,
        }
    }

    say(quiet, "ranking candidates");
    let candidates = generate_candidates(
        &network,
        &CandidateGrid {
            spacing_m: args.candidate_spacing_m,
            boundary: None,
        },
    )?;
    let mut rank = StageTimes::new("rank candidates", candidates.len() as f64, "candidates");
    let mut snapped_candidates = 0;
    for _ in 0..args.repeat {
        let gains = rank.time(|| rank_candidates(&planner, &candidates, None));
        snapped_candidates = gains.iter().filter(|g| g.snapped).count();
    }

    let stages = [parse, build, coverage, setup, whatif, rank];
    let report = json!({
        "tool": {"name": "lifecircle", "version": env!("CARGO_PKG_VERSION")},
        "machine": machine_json(),
        "workload": {
            "roads": inputs.roads.source,
            "centers_source": inputs.centers.source,
            "demand_source": inputs.demand.source,
            "input_bytes": input_bytes,
            "seed": args.seed,
            "repeat": args.repeat,
            "threshold_min": coverage_params.threshold_min,
            "speed_kmh": coverage_params.speed_kmh,
            "profile": model.profile,
            "slope": model.slope,
            "nodes": network.node_count(),
            "edges": network.edge_count(),
            "centers": centers.len(),
            "residents": demand.len(),
            "covered_population": planner.covered_population(),
            "total_population": planner.total_population(),
            "whatifs_requested": args.whatifs,
            "whatifs": stages[4].samples.len(),
            "whatif_attempts": attempts,
            "whatif_off_network": off_network,
            "whatif_mean_gain_population": if stages[4].samples.is_empty() {
                0.0
            } else {
                newly_covered / stages[4].samples.len() as f64
            },
            "candidate_spacing_m": args.candidate_spacing_m,
            "candidates": candidates.len(),
            "candidates_snapped": snapped_candidates,
        },
        "stages": stages.iter().map(StageTimes::to_json).collect::<Vec<_>>(),
        "peak_rss_mib": peak_rss_mib().map(|m| (m * 10.0).round() / 10.0),
    });
    if let Some(path) = &args.json {
        let mut text = serde_json::to_string_pretty(&report).context("serialising JSON")?;
        text.push('\n');
        std::fs::write(path, text)
            .with_context(|| format!("{}: cannot write file", path.display()))?;
    }
    if !quiet {
        print_table(&report, &stages);
    }
    Ok(())
}

fn print_table(report: &Value, stages: &[StageTimes]) {
    let w = &report["workload"];
    let m = &report["machine"];
    println!(
        "lifecircle {} bench on {}",
        report["tool"]["version"].as_str().unwrap_or_default(),
        w["roads"].as_str().unwrap_or_default()
    );
    println!(
        "network: {} nodes, {} edges; {} centers, {} residents; {} candidates; seed {}",
        w["nodes"], w["edges"], w["centers"], w["residents"], w["candidates"], w["seed"]
    );
    println!(
        "machine: {} cores, {}/{}, load average {}{}",
        m["cores"],
        m["os"].as_str().unwrap_or_default(),
        m["arch"].as_str().unwrap_or_default(),
        m["load_average_1m"],
        report["peak_rss_mib"]
            .as_f64()
            .map_or(String::new(), |mib| format!(", peak memory {mib:.0} MiB")),
    );
    println!(
        "what-ifs: {} snapped of {} random points ({} off the network)",
        w["whatifs"], w["whatif_attempts"], w["whatif_off_network"]
    );
    println!();
    println!(
        "{:<20} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}  throughput",
        "stage", "runs", "min ms", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for s in stages {
        let ms = s.sorted_ms();
        let fmt = |x: f64| {
            if x >= 100.0 {
                format!("{x:.0}")
            } else if x >= 1.0 {
                format!("{x:.2}")
            } else {
                format!("{x:.3}")
            }
        };
        println!(
            "{:<20} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}  {} {}/s",
            s.name,
            ms.len(),
            fmt(ms.first().copied().unwrap_or(0.0)),
            fmt(percentile(&ms, 50.0)),
            fmt(percentile(&ms, 90.0)),
            fmt(percentile(&ms, 99.0)),
            fmt(ms.last().copied().unwrap_or(0.0)),
            human(s.throughput()),
            s.unit
        );
    }
}

/// A rate with three significant figures and a k/M suffix.
fn human(x: f64) -> String {
    let (v, suffix) = if x >= 1e6 {
        (x / 1e6, " M")
    } else if x >= 1e3 {
        (x / 1e3, " k")
    } else {
        (x, " ")
    };
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$}{suffix}").trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let ms: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ms, 50.0), 5.0);
        assert_eq!(percentile(&ms, 90.0), 9.0);
        assert_eq!(percentile(&ms, 99.0), 10.0);
        assert_eq!(percentile(&[3.0], 99.0), 3.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
    }

    #[test]
    fn the_generator_is_seeded() {
        let a: Vec<u64> = {
            let mut r = SplitMix64(7);
            (0..3).map(|_| r.next_u64()).collect()
        };
        let mut r = SplitMix64(7);
        assert_eq!(a, (0..3).map(|_| r.next_u64()).collect::<Vec<_>>());
        let x = SplitMix64(7).next_f64();
        assert!((0.0..1.0).contains(&x));
    }

    #[test]
    fn rates_read_well() {
        assert_eq!(human(1234.0), "1.23 k");
        assert_eq!(human(12.0), "12.0");
        assert_eq!(human(2_500_000.0), "2.50 M");
    }
}
