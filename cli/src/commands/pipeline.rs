//! The coverage pipeline shared by `coverage` and `demo`: network, coverage, outputs.

use std::path::Path;

use anyhow::{Context, Result};
use lifecircle::input::{PointLayer, RoadLayer, SkipCounts, UnitLayer};
use lifecircle::output::{
    demand_geojson_with, gaps_geojson, markdown_report, network_geojson, service_areas_geojson,
    units_geojson, GapRow, ReportContext,
};
use lifecircle::{
    compute_coverage, find_gaps, network_reach, reproject_feature_collection, service_areas,
    summarize, CoverageParams, Crs, NetworkParams, WalkNetwork,
};
use serde_json::json;

use super::model::Model;
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
    /// Tiers and services, slope, profile and coordinate systems.
    pub model: Model,
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
        model: Model::default(),
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
    mut inputs: Inputs,
    params: &RunParams,
    out: &Path,
    title: &str,
    stages: &mut Stages,
    quiet: bool,
) -> Result<()> {
    params.coverage.validate()?;
    let model = &params.model;
    let prepared = model.prepare_inputs(&mut inputs);
    let coverage_params = model.coverage_params(&params.coverage)?;
    let network = stages
        .run("building walk network", || {
            WalkNetwork::from_roads(&inputs.roads.data.lines, &params.network)
        })
        .with_context(|| format!("{}: cannot build a walking network", inputs.roads.source))?;
    super::model::check_slope_data(model, &network, &inputs.roads.source)?;
    inputs.roads.data.release_after_build();
    let roads = &inputs.roads;
    let profile = model.profile(params.coverage.speed_kmh)?;
    let costs = model.costs(&network, &profile);
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
        compute_coverage(&network, &costs, centers, demand, &coverage_params)
    })?;
    let analysis = stages.run("profiles, slope and services", || {
        model.analyse(
            &network,
            &params.coverage,
            &costs,
            &result,
            centers,
            demand,
            &prepared,
        )
    })?;
    let no_units = Vec::new();
    let units = inputs.units.as_ref().map_or(&no_units, |u| &u.data.units);
    let summary = stages.run("summarising", || summarize(&result, centers, demand, units));
    let stats = network.stats();
    let gaps = stages.run("finding gaps", || find_gaps(&network, &result, demand));
    let reach = stages.run("splitting the network at the threshold", || {
        network_reach(&network, &costs, &result)
    });
    let areas = stages.run("tracing service areas", || {
        service_areas(&network, &costs, &result, centers, demand)
    });

    let out_dir = OutputDir::create(out)?;
    let mut inputs_json = serde_json::Map::new();
    inputs_json.insert(
        "roads".into(),
        input_json(&roads.source, roads.data.lines.len(), &roads.data.skipped),
    );
    inputs_json.insert(
        "centers".into(),
        input_json(
            &inputs.centers.source,
            centers.len(),
            &inputs.centers.data.skipped,
        ),
    );
    inputs_json.insert(
        "demand".into(),
        input_json(
            &inputs.demand.source,
            demand.len(),
            &inputs.demand.data.skipped,
        ),
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
                "speed_kmh": coverage_params.speed_kmh,
                "max_snap_m": params.coverage.max_snap_m,
                "min_component_nodes": params.network.min_component_nodes,
                "gap_link_m": params.coverage.gap_link_m,
            },
            "inputs": inputs_json,
            "network": stats,
            "coverage": summary,
            "gaps": {
                "count": gaps.len(),
                "population": gaps.iter().map(|g| g.population).sum::<f64>(),
                "largest": gaps.iter().take(10).map(|g| json!({
                    "rank": g.rank,
                    "population": g.population,
                    "residents": g.residents,
                    "unreachable_population": g.unreachable_population,
                    "mean_walk_min": g.mean_walk_min,
                    "max_walk_min": g.max_walk_min,
                    "centroid": model.output_crs.from_wgs84(g.centroid_lonlat),
                })).collect::<Vec<_>>(),
            },
            "service_areas": areas.iter().map(|a| json!({
                "center": a.center_id,
                "reachable_population": a.reachable_population,
                "served_population": a.served_population,
                "reached_length_m": a.reached_length_m,
                "area_m2": a.area_m2,
            })).collect::<Vec<_>>(),
        });
        let mut summary_json = summary_json;
        summary_json["model"] = model.summary_json(&prepared, coverage_params.speed_kmh);
        for (key, value) in analysis.summary_sections(model.output_crs) {
            summary_json[key] = value;
        }
        out_dir.write_json("summary.json", &summary_json)?;
        let write_geojson = |name: &str, text: String| -> Result<()> {
            if model.output_crs == Crs::Wgs84 {
                // Nothing to convert: no second copy of the text.
                return out_dir.write(name, &text);
            }
            out_dir.write(
                name,
                &reproject_feature_collection(name, &text, model.output_crs)?,
            )
        };
        write_geojson(
            "demand.geojson",
            demand_geojson_with(demand, centers, &result, |i, p| {
                analysis.demand_properties(i, p)
            }),
        )?;
        write_geojson("gaps.geojson", gaps_geojson(&gaps))?;
        write_geojson("network.geojson", network_geojson(&reach))?;
        write_geojson("service_areas.geojson", service_areas_geojson(&areas))?;
        if let Some(u) = &inputs.units {
            write_geojson(
                "units.geojson",
                units_geojson(&u.data.units, &summary.per_unit),
            )?;
        }
        let report = markdown_report(&ReportContext {
            title,
            inputs: report_inputs,
            network: &stats,
            params: &coverage_params,
            summary: &summary,
            gaps: gaps
                .iter()
                .map(|g| GapRow {
                    centroid_lonlat: model.output_crs.from_wgs84(g.centroid_lonlat),
                    ..GapRow::from(g)
                })
                .collect(),
        });
        let report = report + &analysis.report_markdown(params.coverage.threshold_min);
        out_dir.write("report.md", &report)?;
        Ok(())
    })?;
    out_dir.write_json("timings.json", &stages.to_json())?;
    if !quiet {
        print_summary(
            &summary,
            &stats,
            &coverage_params,
            out_dir.path(),
            stages.total(),
        );
    }
    Ok(())
}
