//! The coverage pipeline shared by `coverage` and `demo`: network, coverage, outputs.

use std::path::Path;

use anyhow::{Context, Result};
use lifecircle::input::{PointLayer, RoadLayer, SkipCounts, UnitLayer};
use lifecircle::output::{demand_geojson, markdown_report, ReportContext};
use lifecircle::{
    compute_coverage, summarize, CoverageParams, NetworkParams, WalkCosts, WalkNetwork,
};
use serde_json::json;

use crate::args::ParamArgs;
use crate::progress::Stages;
use crate::write::{print_summary, OutputDir};

/// One input layer and where it came from.
pub struct Layer<T> {
    pub data: T,
    pub source: String,
}

impl<T> Layer<T> {
    pub fn new(data: T, source: String) -> Self {
        Self { data, source }
    }
}

/// Everything a run reads.
pub struct Inputs {
    pub roads: Layer<RoadLayer>,
    pub centers: Layer<PointLayer>,
    pub demand: Layer<PointLayer>,
    pub units: Option<Layer<UnitLayer>>,
}

/// Coverage and network parameters from the command line.
pub struct RunParams {
    pub coverage: CoverageParams,
    pub network: NetworkParams,
}

pub fn params_from_args(args: &ParamArgs) -> RunParams {
    RunParams {
        coverage: CoverageParams {
            threshold_min: args.minutes,
            speed_kmh: args.speed_kmh,
            max_snap_m: args.max_snap_m,
            gap_link_m: args.gap_link_m,
        },
        network: NetworkParams {
            min_component_nodes: args.min_component_nodes,
        },
    }
}

fn input_json(role_source: &str, used: usize, skipped: &SkipCounts) -> serde_json::Value {
    json!({
        "source": role_source,
        "features_used": used,
        "skipped_total": skipped.total(),
        "skipped": skipped,
    })
}

/// Runs network build, coverage and writes every output into `out`.
pub fn run(
    inputs: Inputs,
    params: &RunParams,
    out: &Path,
    title: &str,
    stages: &mut Stages,
    quiet: bool,
) -> Result<()> {
    params.coverage.validate()?;
    let roads = &inputs.roads;
    let network = stages
        .run("building walk network", || {
            WalkNetwork::from_roads(&roads.data.lines, &params.network)
        })
        .with_context(|| format!("{}: cannot build a walking network", roads.source))?;
    let costs = WalkCosts::flat(&network);
    let centers = &inputs.centers.data.points;
    let demand = &inputs.demand.data.points;
    if centers.is_empty() {
        anyhow::bail!(
            "{}: no service center found ({} features skipped)",
            inputs.centers.source,
            inputs.centers.data.skipped.total()
        );
    }
    let result = stages.run("computing walks", || {
        compute_coverage(&network, &costs, centers, demand, &params.coverage)
    })?;
    let no_units = Vec::new();
    let units = inputs.units.as_ref().map_or(&no_units, |u| &u.data.units);
    let summary = stages.run("summarising", || summarize(&result, centers, demand, units));
    let stats = network.stats();

    let out_dir = OutputDir::create(out)?;
    let mut inputs_json = serde_json::Map::new();
    inputs_json.insert(
        "roads".into(),
        input_json(&roads.source, roads.data.lines.len(), &roads.data.skipped),
    );
    inputs_json.insert(
        "centers".into(),
        input_json(&inputs.centers.source, centers.len(), &inputs.centers.data.skipped),
    );
    inputs_json.insert(
        "demand".into(),
        input_json(&inputs.demand.source, demand.len(), &inputs.demand.data.skipped),
    );
    if let Some(u) = &inputs.units {
        inputs_json.insert(
            "units".into(),
            input_json(&u.source, u.data.units.len(), &u.data.skipped),
        );
    }
    let report_inputs: Vec<(String, String, usize, usize)> = inputs_json
        .iter()
        .map(|(role, v)| {
            (
                role.clone(),
                v["source"].as_str().unwrap_or_default().to_string(),
                v["features_used"].as_u64().unwrap_or(0) as usize,
                v["skipped_total"].as_u64().unwrap_or(0) as usize,
            )
        })
        .collect();

    stages.run("writing outputs", || -> Result<()> {
        let summary_json = json!({
            "tool": {"name": "lifecircle", "version": env!("CARGO_PKG_VERSION")},
            "parameters": {
                "threshold_min": params.coverage.threshold_min,
                "speed_kmh": params.coverage.speed_kmh,
                "max_snap_m": params.coverage.max_snap_m,
                "min_component_nodes": params.network.min_component_nodes,
                "gap_link_m": params.coverage.gap_link_m,
            },
            "inputs": inputs_json,
            "network": stats,
            "coverage": summary,
        });
        out_dir.write_json("summary.json", &summary_json)?;
        out_dir.write("demand.geojson", &demand_geojson(demand, centers, &result))?;
        let report = markdown_report(&ReportContext {
            title,
            inputs: report_inputs,
            network: &stats,
            params: &params.coverage,
            summary: &summary,
            gaps: Vec::new(),
        });
        out_dir.write("report.md", &report)?;
        Ok(())
    })?;
    out_dir.write_json("timings.json", &stages.to_json())?;
    if !quiet {
        print_summary(&summary, &stats, &params.coverage, out_dir.path(), stages.total());
    }
    Ok(())
}
