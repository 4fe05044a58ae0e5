//! `lifecircle plan`: choose new sites (MCLP, LSCP, p-median) and write the plan, with
//! the coverage before and after it.

use anyhow::{bail, Context, Result};
use lifecircle::features::SkipCounts;
use lifecircle::output::terminal_text;
use lifecircle::planning::{
    candidates_from_points, generate_candidates, plan_matrix, Candidate, CandidateGrid, Method,
    PlanModel, PlanOutcome, PlanProgress, PlanStage, UnitPlan, UnitRule,
};
use lifecircle::study::PLAN_FOLDER_TITLES;
use lifecircle::{Layer, PlanParams, Study};

use crate::args::PlanArgs;
use crate::load;
use crate::progress::Stages;
use crate::write::{
    html_report_lang, print_truncated, write_coverage, write_html_report, OutputDir, Writing,
};

/// `--exact` solves exactly (and has no swap step, so it wins over `--no-swap`);
/// otherwise `--no-swap` keeps the greedy answer as it is.
fn method(args: &PlanArgs) -> Method {
    if args.exact {
        Method::Exact
    } else if args.no_swap {
        Method::Greedy
    } else {
        Method::GreedySwap
    }
}

fn plan_params(args: &PlanArgs) -> Result<PlanParams> {
    let model = PlanModel::parse(&args.model)?;
    if args.max_closed.is_some() && !args.allow_closing {
        bail!("--max-closed N limits how many centers may close: it needs --allow-closing");
    }
    if !(args.time_limit_s.is_finite() && args.time_limit_s > 0.0 && args.time_limit_s <= 1e6) {
        bail!(
            "--time-limit-s {}: expected a positive number of seconds, at most 1000000",
            args.time_limit_s
        );
    }
    let unit_rule = match (args.unit_floor, args.maximin) {
        (Some(ratio), _) => Some(UnitRule::Floor { ratio }),
        (None, true) => Some(UnitRule::Maximin),
        (None, false) => None,
    };
    if unit_rule.is_some() && args.inputs.layers.units.is_none() {
        bail!(
            "--unit-floor and --maximin are about reporting units: give them with --units FILE \
             (communities, grid cells as GeoJSON polygons)"
        );
    }
    let mut p = PlanParams {
        model,
        unit_rule,
        site_tier: args.site_tier.clone(),
        capacity: args.capacity,
        method: method(args),
        exact_time_limit_s: Some(args.time_limit_s),
        exact_max_variables: args.exact_max_variables,
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
            p.target_ratio = args.target.with_context(|| {
                "--model lscp needs --target RATIO: the coverage to reach, e.g. 0.95 (1 for \
                 everyone the candidates can reach)"
            })?;
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

/// Candidate sites and where they came from: a points file, the OSM layer read with the
/// other inputs (`--candidates-osm`), or network nodes on a grid. Also the features of
/// the candidate layer that were skipped, by reason.
fn read_candidates(
    args: &PlanArgs,
    study: &Study,
    osm_layer: Option<Layer<lifecircle::features::PointLayer>>,
) -> Result<(Vec<Candidate>, String, SkipCounts)> {
    if let Some(path) = &args.candidates {
        let layer = load::read_candidates_file(
            path,
            load::layer_projections(&args.walk)?.centers.as_ref(),
        )?;
        return Ok((
            candidates_from_points(&layer.data.points),
            layer.source,
            layer.data.skipped,
        ));
    }
    if let Some(layer) = osm_layer {
        return Ok((
            candidates_from_points(&layer.data.points),
            layer.source,
            layer.data.skipped,
        ));
    }
    let spacing_m = args
        .candidate_spacing_m
        .unwrap_or(CandidateGrid::default().spacing_m);
    let boundary = match &args.boundary {
        Some(path) => {
            let units = load::read_units_file(
                path,
                &Default::default(),
                load::layer_projections(&args.walk)?.units.as_ref(),
            )?;
            let polygons: Vec<_> = units
                .data
                .units
                .into_iter()
                .flat_map(|u| u.geometry.0)
                .collect();
            if polygons.is_empty() {
                bail!("{}: no boundary polygon found", units.source);
            }
            Some(geo::MultiPolygon::new(polygons))
        }
        None => None,
    };
    let candidates = generate_candidates(
        study.network(),
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

pub(super) fn run(args: PlanArgs) -> Result<()> {
    let plan = plan_params(&args)?;
    let html = html_report_lang(&args.report)?;
    let mut stages = Stages::new(args.quiet);
    let mut named = load::named_files(Some(&args.inputs.roads), &args.inputs.layers, &args.walk);
    let extra: Vec<_> = [&args.candidates, &args.boundary]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    named.extend(load::input_files(&extra));
    let out_dir = OutputDir::begin(&args.out, &named)?;
    let out = out_dir.folder();
    let params = load::study_params(&args.params, &args.walk)?;
    if let (Some(services), None) = (&params.services, &plan.site_tier) {
        // Without tag rules a new site needs a tier for the coverage after the plan.
        if services.config.rules.is_empty() {
            let tiers: Vec<&str> = services
                .config
                .tiers
                .iter()
                .map(|t| t.id.as_str())
                .collect();
            bail!(
                "--config {} has tiers: say which tier the new sites are with --site-tier \
                 ({}); the plan then maximises complete coverage",
                services.source,
                tiers.join(", ")
            );
        }
    }
    let projections = load::layer_projections(&args.walk)?;
    // Candidates tagged in the OSM file are decoded in the same pass as the other layers.
    let inputs = stages.run("reading inputs", || {
        load::read_inputs(
            &args.inputs.roads,
            &args.inputs.layers,
            &projections,
            args.params.max_snap_m,
            args.candidates_osm.as_deref(),
        )
    })?;
    let study = Study::new_observed(inputs.layers, params, &mut |stage| {
        stages.lap(stage.as_str());
    })?;
    stages.end_lap();
    let (candidates, candidate_source, candidates_skipped) = stages
        .run("reading candidates", || {
            read_candidates(&args, &study, inputs.extra)
        })?;
    if candidates.is_empty() {
        bail!("{candidate_source}: no candidate site found");
    }
    let gains = stages.run("ranking candidates", || study.rank(&candidates, None));
    let outcome = stages.run_with_progress("optimizing sites", |report| {
        study.plan(&candidates, &plan, &mut |p: PlanProgress| {
            let stage = match p.stage {
                PlanStage::Candidates => "searching candidates",
                PlanStage::Greedy => "greedy picks",
                PlanStage::Swap => "swaps (work units)",
                PlanStage::Exact => "integer program",
            };
            report(&format!("{stage} {}/{}", p.done, p.total));
        })
    })?;

    if args.export_matrix {
        out.write_json(
            "matrix.json",
            &plan_matrix(&study.planner(), &candidates, &plan),
        )?;
    }
    let report = study.plan_report(
        &plan,
        &outcome,
        (&candidate_source, candidates.len(), &candidates_skipped),
        &gains,
    );
    out.write_json("plan.json", &report)?;
    let crs = study.params().output_crs;
    let writing = Writing::of(&args.report);
    let mut truncated = vec![(
        String::new(),
        out.write_layers(&writing.formats, crs, |layers| {
            layers.add("plan", &Study::sites_layer(&outcome))?;
            layers.add("candidates", &Study::candidates_layer(&candidates, &gains))
        })?,
    )];
    let mut report_layers = std::collections::BTreeMap::new();

    // Before and after the plan, in the same formats as `coverage` (closed centers left
    // out after).
    let after = study.with_plan(&outcome)?;
    for ((dir, default_title), scenario) in PLAN_FOLDER_TITLES.into_iter().zip([&study, &after]) {
        let title = args.report.title.as_deref().unwrap_or(default_title);
        let mut sub = Stages::new(true);
        let folder = out.child(dir)?;
        let written = stages.run(&format!("writing {dir} coverage"), || {
            write_coverage(&folder, scenario, title, &writing, &mut sub)
        })?;
        truncated.push((format!("{dir}/"), written.truncated));
        report_layers.extend(
            written
                .report_layers
                .into_iter()
                .map(|(name, bytes)| (format!("{dir}/{name}"), bytes)),
        );
    }
    if let Some(lang) = html {
        stages.run("writing report.html", || {
            write_html_report(out, lang, &report_layers)
        })?;
    }
    out.write_json("timings.json", &stages.timings())?;
    let path = out_dir.commit()?;
    if !args.quiet {
        for (folder, truncated) in &truncated {
            print_truncated(folder, truncated);
        }
        print_table(&outcome, &candidate_source, candidates.len());
        println!(
            "Outputs in {} ({:.2} s)",
            path.display(),
            stages.total().as_secs_f64()
        );
    }
    Ok(())
}

fn print_table(o: &PlanOutcome, source: &str, n: usize) {
    println!(
        "Plan: {} ({}), {} candidates from {}",
        o.model.as_str(),
        o.method,
        n,
        terminal_text(source)
    );
    let gain = if o.model == PlanModel::PMedian {
        "minutes saved"
    } else {
        "newly covered"
    };
    println!(
        "{:>4}  {:<24} {:>11} {:>10}  {:>14}",
        "rank", "site", "lon", "lat", gain
    );
    for s in &o.sites {
        println!(
            "{:>4}  {:<24} {:>11.6} {:>10.6}  {:>14.1}",
            s.rank,
            terminal_text(&s.id),
            s.lonlat[0],
            s.lonlat[1],
            s.gain
        );
    }
    println!(
        "{}: {:.2} % -> {:.2} % ({:.0} -> {:.0} of {:.0} population)",
        match &o.site_tier {
            Some(tier) => format!("Complete coverage (new `{}` centers)", terminal_text(tier)),
            None => "Coverage".to_string(),
        },
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
    if let Some(units) = &o.units {
        print_units(units);
    }
    for note in &o.notes {
        println!("Note: {note}");
    }
}

fn print_units(u: &UnitPlan) {
    let percent = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{:.1} %", r * 100.0));
    match (u.rule, u.floor_met) {
        (UnitRule::Floor { ratio }, Some(met)) => println!(
            "Unit floor {:.0} %: {} ({} of {} units below it before, {} after{})",
            ratio * 100.0,
            if met { "met" } else { "not met" },
            u.units_below_floor_before.unwrap_or(0),
            u.units.len(),
            u.units_below_floor_after.unwrap_or(0),
            match (u.sites_needed_for_floor, u.sites_needed_at_least) {
                (Some(n), Some(least)) if least < n =>
                    format!("; {n} new sites would meet it, at least {least} are needed"),
                (Some(n), _) => format!("; {n} new sites would meet it"),
                _ => String::new(),
            },
        ),
        _ => println!("Worst-served unit first (maximin), {} units", u.units.len()),
    }
    println!(
        "Worst unit: {} -> {} ({} out of reach of every candidate)",
        percent(u.worst_ratio_before),
        percent(u.worst_ratio_after),
        u.units_out_of_reach
    );
}
