//! `lifecircle bench`: a standard, seeded workload of coverage queries with latency
//! percentiles and throughput per stage.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use lifecircle::network::{NodeId, WalkNetwork};
use lifecircle::planning::{generate_candidates, CandidateGrid, PlanIndex};
use lifecircle::study::{build_network, InputCrs, InputReport};
use lifecircle::{Study, StudyParams};
use serde_json::{json, Value};

use crate::args::BenchArgs;
use crate::load::{self, Inputs};

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
fn read_workload_inputs(args: &BenchArgs) -> Result<Inputs> {
    let Some(roads) = &args.roads else {
        let l = &args.layers;
        let given = [
            (l.centers.is_some(), "--centers"),
            (l.centers_osm.is_some(), "--centers-osm"),
            (l.demand.is_some(), "--demand"),
            (l.demand_osm.is_some(), "--demand-osm"),
            (l.osm.is_some(), "--osm"),
            (l.units.is_some(), "--units"),
        ];
        if let Some((_, flag)) = given.iter().find(|(given, _)| *given) {
            bail!("{flag} needs --roads (without --roads the bundled sample is used)");
        }
        return load::read_sample();
    };
    load::read_inputs(
        roads,
        &args.layers,
        &load::LayerProjections::default(),
        args.params.max_snap_m,
        None,
    )
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
        "cores": std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
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

pub(super) fn run(args: BenchArgs) -> Result<()> {
    if args.repeat == 0 {
        bail!("--repeat must be at least 1");
    }
    if !(args.candidate_spacing_m.is_finite() && args.candidate_spacing_m > 0.0) {
        bail!("--candidate-spacing-m must be a positive number of metres");
    }
    let quiet = args.quiet;
    let params = load::study_params(&args.params, &args.model)?;
    params.validate()?;

    say(quiet, "parsing inputs");
    let mut parse = StageTimes::new("parse", 0.0, "MB");
    let mut parsed = None;
    for _ in 0..args.repeat {
        // The previous inputs are dropped outside the timed part, as the network below.
        drop(parsed.take());
        parsed = Some(parse.time(|| read_workload_inputs(&args))?);
    }
    let inputs = parsed.expect("repeat >= 1");
    parse.items_per_run = inputs.bytes_read as f64 / 1e6;
    let mut layers = inputs.layers;
    // The study converts and samples heights itself; the network stage below times the
    // build alone, on inputs prepared the same way.
    let build_params = StudyParams {
        slope: params.uses_slope(),
        elevation: None,
        input_crs: InputCrs::default(),
        ..params.clone()
    };
    lifecircle::study::prepare_layers(&mut layers, &params);

    say(quiet, "building the walk network");
    let mut build = StageTimes::new("build network", 0.0, "nodes");
    let mut built = None;
    for _ in 0..args.repeat {
        // The previous network is dropped outside the timed part.
        drop(built.take());
        built = Some(build.time(|| build_network(&layers.roads, &build_params.network)));
    }
    let network = Arc::new(built.expect("repeat >= 1")?);
    build.items_per_run = network.node_count() as f64;
    let roads_report = InputReport::new(
        &layers.roads.source,
        layers.roads.data.lines.len(),
        &layers.roads.data.skipped,
    );
    layers.roads.data.release_after_build();

    say(quiet, "computing full coverage");
    let residents = layers.demand.data.points.len();
    let mut coverage = StageTimes::new("full coverage", residents as f64, "residents");
    let mut study = None;
    for _ in 0..args.repeat {
        drop(study.take());
        let scenario = layers.clone();
        let network = Arc::clone(&network);
        let report = roads_report.clone();
        let params = build_params.clone();
        study = Some(coverage.time(|| Study::on_network(network, report, scenario, params))?);
    }
    let study = study.expect("repeat >= 1");

    let mut setup = StageTimes::new("planner setup", residents as f64, "residents");
    for _ in 0..args.repeat {
        let index = setup.time(|| {
            PlanIndex::new(
                study.network(),
                study.costs(),
                study.result(),
                study.demand(),
            )
        })?;
        drop(index);
    }
    // The study's own index, built once and kept, serves the queries below.
    study.plan_index();

    say(quiet, "running what-if queries");
    let bounds = network_bounds(study.network());
    let mut rng = SplitMix64(args.seed);
    let mut whatif = StageTimes::new("what-if (add site)", 1.0, "queries");
    let mut scratch = study.scratch();
    let max_attempts = args.whatifs.saturating_mul(100).saturating_add(1000);
    let (mut attempts, mut off_network, mut newly_covered) = (0usize, 0usize, 0.0);
    while whatif.samples.len() < args.whatifs && attempts < max_attempts {
        attempts += 1;
        let lonlat = [
            bounds[0] + rng.next_f64() * (bounds[2] - bounds[0]),
            bounds[1] + rng.next_f64() * (bounds[3] - bounds[1]),
        ];
        let start = Instant::now();
        let change = study.what_if_add(&mut scratch, lonlat);
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
        study.network(),
        &CandidateGrid {
            spacing_m: args.candidate_spacing_m,
            boundary: None,
        },
    )?;
    let mut rank = StageTimes::new("rank candidates", candidates.len() as f64, "candidates");
    let mut snapped_candidates = 0;
    for _ in 0..args.repeat {
        let gains = rank.time(|| study.rank(&candidates, None));
        snapped_candidates = gains.iter().filter(|g| g.snapped).count();
    }

    let planner = study.planner();
    let stages = [parse, build, coverage, setup, whatif, rank];
    let report = json!({
        "tool": {"name": "lifecircle", "version": env!("CARGO_PKG_VERSION")},
        "machine": machine_json(),
        "workload": {
            "roads": study.inputs().roads.source,
            "centers_source": study.inputs().centers.source,
            "demand_source": study.inputs().demand.source,
            "input_bytes": inputs.bytes_read,
            "seed": args.seed,
            "repeat": args.repeat,
            "threshold_min": study.threshold_min(),
            "threshold_m": params.coverage.threshold_m,
            "speed_kmh": study.costs().speed_kmh(),
            "profile": params.profile,
            "slope": params.uses_slope(),
            "nodes": study.network().node_count(),
            "edges": study.network().edge_count(),
            "centers": study.centers().len(),
            "residents": residents,
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
