//! `lifecircle plan`: choose new sites (MCLP, LSCP, p-median) and write the plan.

use anyhow::{bail, Context, Result};
use lifecircle::input::PointFeature;
use lifecircle::input::{PointLayer, RoadLayer, SkipCounts, UnitLayer};
use lifecircle::output::round_to;
use lifecircle::{
    candidates_from_points, compute_coverage, generate_candidates, plan_matrix,
    plan_sites_with_progress, rank_candidates, Candidate, CandidateGrid, Crs, PlanModel,
    PlanParams, PlanProgress, PlanStage, Planner, WalkNetwork,
};
use serde_json::json;

use super::coverage::read_inputs_and_osm_points;
use super::model::{check_slope_data, InputCrs, Model};
use super::pipeline::{self, Inputs, Layer};
use crate::args::PlanArgs;
use crate::load;
use crate::progress::Stages;
use crate::write::OutputDir;

fn plan_params(args: &PlanArgs) -> Result<PlanParams> {
    let model = PlanModel::parse(&args.model)?;
    let mut p = PlanParams {
        model,
        capacity: args.capacity,
        exact: args.exact,
        swap: !args.no_swap,
        exact_time_limit_s: Some(args.time_limit_s),
        allow_closing: args.allow_closing,
        max_closed: args.max_closed,
        ..PlanParams::default()
    };
    match model {
        PlanModel::MaxCoverage | PlanModel::PMedian => {
            p.k = args.k.with_context(|| {
                format!("--model {} needs --k N (new sites to open)", args.model)
            })?;
            if args.target.is_some() {
                bail!("--target is for --model lscp; {} takes --k", args.model);
            }
        }
        PlanModel::SetCover => {
            p.target_ratio = args.target.unwrap_or(1.0);
            if args.k.is_some() {
                bail!(
                    "--k is for mclp and pmedian; lscp finds the number of sites (give --target)"
                );
            }
        }
    }
    p.validate()?;
    Ok(p)
}

fn clone_inputs(i: &Inputs, centers: Vec<PointFeature>) -> Inputs {
    Inputs {
        roads: Layer::new(
            RoadLayer {
                lines: i.roads.data.lines.clone(),
                skipped: i.roads.data.skipped.clone(),
            },
            i.roads.source.clone(),
        ),
        centers: Layer::new(
            PointLayer {
                points: centers,
                skipped: i.centers.data.skipped.clone(),
            },
            i.centers.source.clone(),
        ),
        demand: Layer::new(i.demand.data.clone(), i.demand.source.clone()),
        units: i.units.as_ref().map(|u| {
            Layer::new(
                UnitLayer {
                    units: u.data.units.clone(),
                    skipped: u.data.skipped.clone(),
                },
                u.source.clone(),
            )
        }),
    }
}

/// Candidate sites and where they came from: a points file, the OSM layer read with the
/// other inputs (`--candidates-osm`), or network nodes on a grid. Also the features of
/// the candidate layer that were skipped, by reason.
fn read_candidates(
    args: &PlanArgs,
    network: &WalkNetwork,
    osm_layer: Option<Layer<PointLayer>>,
) -> Result<(Vec<Candidate>, String, SkipCounts)> {
    if let Some(path) = &args.candidates {
        let label = path.display().to_string();
        let layer = load::points(&label, &load::read_file(path)?, &Default::default())?;
        return Ok((candidates_from_points(&layer.points), label, layer.skipped));
    }
    if let Some(layer) = osm_layer {
        return Ok((
            candidates_from_points(&layer.data.points),
            layer.source,
            layer.data.skipped,
        ));
    }
    let spacing_m = args.candidate_spacing_m.unwrap_or(400.0);
    let boundary = match &args.boundary {
        Some(path) => {
            let label = path.display().to_string();
            let units = load::units(&label, &load::read_file(path)?)?;
            let polygons: Vec<_> = units.units.into_iter().flat_map(|u| u.geometry.0).collect();
            if polygons.is_empty() {
                bail!("{label}: no boundary polygon found");
            }
            Some(geo::MultiPolygon::new(polygons))
        }
        None => None,
    };
    let candidates = generate_candidates(
        network,
        &CandidateGrid {
            spacing_m,
            boundary,
        },
    )?;
    Ok((
        candidates,
        format!("network nodes {spacing_m} m apart"),
        SkipCounts::default(),
    ))
}

fn point_geometry(output_crs: Crs, lonlat: [f64; 2]) -> serde_json::Value {
    let lonlat = output_crs.from_wgs84(lonlat);
    json!({"type": "Point", "coordinates": [round_to(lonlat[0], 7), round_to(lonlat[1], 7)]})
}

pub fn run(args: PlanArgs) -> Result<()> {
    let plan = plan_params(&args)?;
    let mut stages = Stages::new(args.quiet);
    let walk_model = Model::from_args(&args.walk)?;
    // Candidates tagged in the OSM file are decoded in the same pass as the other layers.
    let (mut inputs, osm_candidates) = stages.run("reading inputs", || {
        read_inputs_and_osm_points(&args.inputs, args.candidates_osm.as_deref())
    })?;
    // Coordinates are converted and heights sampled once, here; the before/after runs
    // below then see WGS84 inputs that already carry their heights.
    walk_model.prepare_inputs(&mut inputs);
    let mut params = pipeline::params_from_args(&args.params);
    params.coverage.validate()?;
    let coverage_params = walk_model.coverage_params(&params.coverage)?;
    let network = stages
        .run("building walk network", || {
            WalkNetwork::from_roads(&inputs.roads.data.lines, &params.network)
        })
        .with_context(|| format!("{}: cannot build a walking network", inputs.roads.source))?;
    check_slope_data(&walk_model, &network, &inputs.roads.source)?;
    let profile = walk_model.profile(params.coverage.speed_kmh)?;
    let costs = walk_model.costs(&network, &profile);
    let output_crs = walk_model.output_crs;
    params.model = Model {
        input_crs: InputCrs::default(),
        dem: None,
        ..walk_model
    };
    let centers = &inputs.centers.data.points;
    let demand = &inputs.demand.data.points;
    let base = stages.run("computing walks", || {
        compute_coverage(&network, &costs, centers, demand, &coverage_params)
    })?;
    let (candidates, candidate_source, candidates_skipped) = stages
        .run("reading candidates", || {
            read_candidates(&args, &network, osm_candidates)
        })?;
    if candidates.is_empty() {
        bail!("{candidate_source}: no candidate site found");
    }
    let planner = Planner::new(&network, &costs, &base, demand)?;
    let gains = stages.run("ranking candidates", || {
        rank_candidates(&planner, &candidates, None)
    });
    let outcome = stages.run_with_progress("optimizing sites", |report| {
        plan_sites_with_progress(&planner, &candidates, &plan, &mut |p: PlanProgress| {
            let stage = match p.stage {
                PlanStage::Candidates => "searching candidates",
                PlanStage::Greedy => "greedy picks",
                PlanStage::Swap => "swaps (work units)",
                PlanStage::Exact => "integer program",
            };
            report(&format!("{stage} {}/{}", p.done, p.total));
        })
    })?;

    let out_dir = OutputDir::create(&args.out)?;
    if args.export_matrix {
        let matrix = plan_matrix(&planner, &candidates, &plan);
        out_dir.write_json("matrix.json", &serde_json::to_value(&matrix)?)?;
    }
    let plan_json = json!({
        "tool": {"name": "lifecircle", "version": env!("CARGO_PKG_VERSION")},
        "parameters": {
            "model": plan.model.as_str(),
            "k": (plan.model != PlanModel::SetCover).then_some(plan.k),
            "target_ratio": (plan.model == PlanModel::SetCover).then_some(plan.target_ratio),
            "capacity": plan.capacity,
            "allow_closing": plan.allow_closing,
            "max_closed": plan.max_closed,
            "exact": plan.exact,
            "swap": plan.swap,
            "threshold_min": params.coverage.threshold_min,
            "speed_kmh": params.coverage.speed_kmh,
            "max_snap_m": params.coverage.max_snap_m,
            "min_component_nodes": params.network.min_component_nodes,
        },
        "candidates": {"source": candidate_source, "count": candidates.len(),
            "skipped_total": candidates_skipped.total(), "skipped": candidates_skipped,
            "snapped": gains.iter().filter(|g| g.snapped).count(),
            "useful": outcome.useful_candidates},
        "demand_groups": outcome.demand_groups,
        "method": outcome.method,
        "sites": outcome.sites.iter().map(|s| json!({
            "rank": s.rank, "id": s.id, "candidate": s.candidate.0,
            "lonlat": [round_to(s.lonlat[0], 7), round_to(s.lonlat[1], 7)],
            "gain": s.gain,
        })).collect::<Vec<_>>(),
        "closed": outcome.closed.iter().map(|c| {
            let p = &centers[c.center.0 as usize];
            json!({
                "center": c.center.0, "id": p.id,
                "lonlat": [round_to(p.lon, 7), round_to(p.lat, 7)],
                "served_population": c.served_population,
                "covered_population_lost": c.covered_population_lost,
                "walk_minutes_added": c.walk_minutes_added.map(|m| round_to(m, 3)),
            })
        }).collect::<Vec<_>>(),
        "total_population": outcome.total_population,
        "covered_population_before": outcome.covered_population_before,
        "covered_population_after": outcome.covered_population_after,
        "coverage_ratio_before": outcome.coverage_ratio_before,
        "coverage_ratio_after": outcome.coverage_ratio_after,
        "mean_walk_before_min": outcome.mean_walk_before_min,
        "mean_walk_after_min": outcome.mean_walk_after_min,
        "objective": outcome.objective,
        "bound": outcome.bound,
        "bound_kind": outcome.bound_kind,
        "gap": outcome.gap,
        "relative_gap": outcome.relative_gap,
        "target_reached": outcome.target_reached,
        "max_reachable_ratio": outcome.max_reachable_ratio,
        "notes": outcome.notes,
    });
    out_dir.write_json("plan.json", &plan_json)?;
    let sites_fc = json!({"type": "FeatureCollection", "features": outcome.sites.iter().map(|s| json!({
        "type": "Feature", "geometry": point_geometry(output_crs, s.lonlat),
        "properties": {"rank": s.rank, "id": s.id, "gain": s.gain},
    })).collect::<Vec<_>>()});
    out_dir.write("plan.geojson", &serde_json::to_string(&sites_fc)?)?;
    let cand_fc = json!({"type": "FeatureCollection", "features": candidates.iter().zip(&gains).map(|(c, g)| json!({
        "type": "Feature", "geometry": point_geometry(output_crs, c.lonlat),
        "properties": {
            "id": c.id, "rank": g.rank, "snapped": g.snapped,
            "gain": g.covered_population_gain,
            "newly_covered_residents": g.newly_covered_residents,
            "shorter_walk_population": g.shorter_walk_population,
            "walk_minutes_saved": round_to(g.walk_minutes_saved, 3),
        },
    })).collect::<Vec<_>>()});
    out_dir.write("candidates.geojson", &serde_json::to_string(&cand_fc)?)?;

    // Before/after coverage in the same formats as `coverage` (closed centers left out).
    let closed: std::collections::HashSet<usize> =
        outcome.closed.iter().map(|c| c.center.0 as usize).collect();
    let mut after_centers: Vec<PointFeature> = centers
        .iter()
        .enumerate()
        .filter(|(i, _)| !closed.contains(i))
        .map(|(_, c)| c.clone())
        .collect();
    for s in &outcome.sites {
        let mut p = PointFeature {
            id: format!("new-{}-{}", s.rank, s.id),
            lon: s.lonlat[0],
            lat: s.lonlat[1],
            population: 1.0,
            properties: Default::default(),
            source_index: centers.len() + s.rank - 1,
        };
        p.properties.insert("planned_rank".into(), json!(s.rank));
        after_centers.push(p);
    }
    for (dir, set, title) in [
        (
            "before",
            centers.clone(),
            "Walking coverage before the plan",
        ),
        (
            "after",
            after_centers,
            "Walking coverage with the planned sites",
        ),
    ] {
        let mut sub = Stages::new(true);
        let inputs = clone_inputs(&inputs, set);
        let path = args.out.join(dir);
        stages.run(&format!("writing {dir} coverage"), || {
            pipeline::run(inputs, &params, &path, title, &mut sub, true)
        })?;
    }
    out_dir.write_json("timings.json", &stages.to_json())?;
    if !args.quiet {
        print_table(&outcome, &candidate_source, candidates.len());
        println!(
            "Outputs in {} ({:.2} s)",
            out_dir.path().display(),
            stages.total().as_secs_f64()
        );
    }
    Ok(())
}

fn print_table(o: &lifecircle::PlanOutcome, source: &str, n: usize) {
    println!(
        "Plan: {} ({}), {} candidates from {}",
        o.model.as_str(),
        o.method,
        n,
        source
    );
    if o.model == PlanModel::PMedian {
        println!(
            "{:>4}  {:<24} {:>11} {:>10}  {:>14}",
            "rank", "site", "lon", "lat", "minutes saved"
        );
    } else {
        println!(
            "{:>4}  {:<24} {:>11} {:>10}  {:>14}",
            "rank", "site", "lon", "lat", "newly covered"
        );
    }
    for s in &o.sites {
        println!(
            "{:>4}  {:<24} {:>11.6} {:>10.6}  {:>14.1}",
            s.rank, s.id, s.lonlat[0], s.lonlat[1], s.gain
        );
    }
    println!(
        "Coverage: {:.2} % -> {:.2} % ({:.0} -> {:.0} of {:.0} population)",
        o.coverage_ratio_before * 100.0,
        o.coverage_ratio_after * 100.0,
        o.covered_population_before,
        o.covered_population_after,
        o.total_population
    );
    if let (Some(b), Some(a)) = (o.mean_walk_before_min, o.mean_walk_after_min) {
        println!("Mean walk: {b:.2} min -> {a:.2} min");
    }
    println!(
        "Objective {:.2}, bound {:.2} ({:?}), gap {:.2} ({:.2} %)",
        o.objective,
        o.bound,
        o.bound_kind,
        o.gap,
        o.relative_gap * 100.0
    );
    for c in &o.closed {
        match (c.covered_population_lost, c.walk_minutes_added) {
            (Some(lost), _) => println!(
                "Closes center {} (serves {:.0}, {:.0} of them lose coverage)",
                c.center.0, c.served_population, lost
            ),
            (None, Some(added)) => println!(
                "Closes center {} (serves {:.0}, who walk {:.1} minutes more in all)",
                c.center.0, c.served_population, added
            ),
            (None, None) => println!("Closes center {}", c.center.0),
        }
    }
    for note in &o.notes {
        println!("Note: {note}");
    }
}
