//! `lifecircle plan` end to end on the bundled Isle of Man and Monaco extracts.

mod common;

use common::{data, lifecircle, temp_dir, texts, write};

const CENTERS: &str = "amenity=community_centre|social_centre|library|townhall|social_facility";

fn plan(out: &str, extra: &[&str]) -> std::process::Output {
    let roads = data("isle_of_man.osm.pbf").display().to_string();
    let mut args = vec![
        "plan",
        "--roads",
        &roads,
        "--centers-osm",
        CENTERS,
        "--demand-osm",
        "building",
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    lifecircle(&args)
}

#[test]
fn mclp_on_the_isle_of_man_writes_the_plan_and_before_after_coverage() {
    let dir = temp_dir();
    let out = dir.path().display().to_string();
    let run = plan(
        &out,
        &[
            "--model",
            "mclp",
            "--k",
            "2",
            "--candidate-spacing-m",
            "800",
        ],
    );
    let (stdout, stderr) = texts(&run);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stdout.contains("newly covered") && stdout.contains("Coverage:"),
        "{stdout}"
    );
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    let sites = plan["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 2);
    let before = plan["covered_population_before"].as_f64().unwrap();
    let after = plan["covered_population_after"].as_f64().unwrap();
    let gains: f64 = sites.iter().map(|s| s["gain"].as_f64().unwrap()).sum();
    assert!((after - before - gains).abs() < 1e-6);
    assert!(plan["bound"].as_f64().unwrap() >= plan["objective"].as_f64().unwrap() - 1e-9);
    // The after coverage (a full recomputation) agrees with the plan.
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("after/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        summary["coverage"]["covered_population"].as_f64().unwrap(),
        after
    );
    for f in [
        "plan.geojson",
        "candidates.geojson",
        "timings.json",
        "before/demand.geojson",
    ] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
}

#[test]
fn bad_plan_input_gets_a_clear_error() {
    let dir = temp_dir();
    let out = dir.path().join("out").display().to_string();
    let cases: [(&[&str], &str); 4] = [
        (&["--model", "mclp", "--k", "0"], "`k`"),
        (&["--model", "lscp", "--target", "1.5"], "target_ratio"),
        (&["--model", "median", "--k", "1"], "unknown model"),
        (&["--model", "mclp"], "--k"),
    ];
    for (args, want) in cases {
        let run = plan(&out, args);
        let (_, stderr) = texts(&run);
        assert!(!run.status.success());
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
    let empty = write(
        dir.path(),
        "none.geojson",
        br#"{"type":"FeatureCollection","features":[]}"#,
    );
    let run = plan(
        &out,
        &["--model", "mclp", "--k", "1", "--candidates", &empty],
    );
    let (_, stderr) = texts(&run);
    assert!(
        !run.status.success() && stderr.contains("no candidate"),
        "{stderr}"
    );
}

#[test]
fn plan_honours_the_walking_profile() {
    let ratio_before = |profile: &str| {
        let dir = temp_dir();
        let out = dir.path().display().to_string();
        let run = plan(
            &out,
            &[
                "--model",
                "mclp",
                "--k",
                "1",
                "--candidate-spacing-m",
                "1500",
                "--profile",
                profile,
                "--quiet",
            ],
        );
        assert!(run.status.success(), "{:?}", texts(&run));
        let plan: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
                .unwrap();
        plan["coverage_ratio_before"].as_f64().unwrap()
    };
    // Older residents walk slower (3.3 km/h), so fewer are within 10 minutes.
    assert!(ratio_before("older") < ratio_before("adult"));
}

#[test]
fn closing_moves_centers_and_the_after_run_leaves_them_out() {
    let dir = temp_dir();
    let out = dir.path().display().to_string();
    let run = plan(
        &out,
        &[
            "--model",
            "mclp",
            "--k",
            "1",
            "--candidate-spacing-m",
            "800",
            "--allow-closing",
            "--max-closed",
            "2",
        ],
    );
    let (stdout, stderr) = texts(&run);
    assert!(run.status.success(), "{stderr}");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    assert_eq!(plan["parameters"]["allow_closing"], true);
    let closed = plan["closed"].as_array().unwrap();
    assert!(!closed.is_empty() && closed.len() <= 2, "{plan}");
    assert_eq!(plan["sites"].as_array().unwrap().len(), 1 + closed.len());
    for c in closed {
        assert!(c["id"].is_string() && c["served_population"].as_f64().is_some());
        assert!(c["covered_population_lost"].as_f64().is_some());
    }
    assert!(stdout.contains("Closes center"), "{stdout}");
    // The after coverage (a full recomputation without the closed centers) agrees.
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("after/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        summary["coverage"]["covered_population"].as_f64().unwrap(),
        plan["covered_population_after"].as_f64().unwrap()
    );
    let no_flag = plan_args_error(&out);
    assert!(no_flag.contains("allow-closing"), "{no_flag}");
}

fn plan_args_error(out: &str) -> String {
    let run = plan(out, &["--model", "mclp", "--k", "1", "--max-closed", "1"]);
    assert!(!run.status.success());
    texts(&run).1
}

#[test]
fn candidates_tagged_in_the_osm_file_match_the_same_filter_read_as_centers() {
    const SCHOOLS: &str = "amenity=school|college|place_of_worship";
    let dir = temp_dir();
    let out = dir.path().join("plan").display().to_string();
    let run = plan(
        &out,
        &["--model", "mclp", "--k", "1", "--candidates-osm", SCHOOLS],
    );
    let (_, stderr) = texts(&run);
    assert!(run.status.success(), "{stderr}");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan/plan.json")).unwrap())
            .unwrap();
    let candidates = &plan["candidates"];
    assert!(
        candidates["source"]
            .as_str()
            .unwrap()
            .ends_with(&format!("isle_of_man.osm.pbf [{SCHOOLS}]")),
        "{candidates}"
    );

    // The same filter read as the centers of a coverage run (a separate reading path)
    // finds the same features and skips the same ones.
    let roads = data("isle_of_man.osm.pbf").display().to_string();
    let coverage_out = dir.path().join("coverage").display().to_string();
    let run = lifecircle(&[
        "coverage",
        "--roads",
        &roads,
        "--centers-osm",
        SCHOOLS,
        "--demand-osm",
        "building",
        "--out",
        &coverage_out,
        "--quiet",
    ]);
    let (_, stderr) = texts(&run);
    assert!(run.status.success(), "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("coverage/summary.json")).unwrap(),
    )
    .unwrap();
    let centers = &summary["inputs"]["centers"];
    assert!(candidates["count"].as_u64().unwrap() > 10, "{candidates}");
    assert_eq!(candidates["count"], centers["features_used"]);
    assert_eq!(candidates["skipped_total"], centers["skipped_total"]);
    assert_eq!(candidates["skipped"], centers["skipped"]);
}

#[test]
fn candidates_osm_without_a_pbf_is_a_clear_error() {
    let dir = temp_dir();
    let roads = write(
        dir.path(),
        "roads.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"footway"},
           "geometry":{"type":"LineString","coordinates":[[0,0],[0.001,0]]}}]}"#,
    );
    let centers = write(dir.path(), "centers.csv", b"lon,lat\n0,0\n");
    let out = dir.path().join("out").display().to_string();
    let run = lifecircle(&[
        "plan",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &centers,
        "--candidates-osm",
        "amenity=school",
        "--model",
        "mclp",
        "--k",
        "1",
        "--out",
        &out,
    ]);
    let (_, stderr) = texts(&run);
    assert!(!run.status.success());
    assert!(
        stderr.contains("--candidates-osm read an OSM PBF") && stderr.contains("roads.geojson"),
        "{stderr}"
    );
}

/// `lifecircle plan` on Monaco with candidates 300 m apart; returns the run and
/// `plan.json`.
fn plan_monaco(dir: &std::path::Path, extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let roads = data("monaco.osm.pbf").display().to_string();
    let out = dir.display().to_string();
    let mut args = vec![
        "plan",
        "--roads",
        &roads,
        "--centers-osm",
        "amenity=library|post_office|townhall|community_centre|social_facility",
        "--demand-osm",
        "building",
        "--candidate-spacing-m",
        "300",
        "--out",
        &out,
    ];
    args.extend_from_slice(extra);
    let run = lifecircle(&args);
    assert!(run.status.success(), "{extra:?}: {}", texts(&run).1);
    let plan =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
    (run, plan)
}

#[test]
fn plan_capacity_after_figures_are_the_capacitated_assignment() {
    let dir = temp_dir();
    let (_, plan) = plan_monaco(
        dir.path(),
        &["--model", "mclp", "--k", "2", "--capacity", "20", "--quiet"],
    );
    let f = |k: &str| plan[k].as_f64().unwrap();
    let gains: f64 = plan["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["gain"].as_f64().unwrap())
        .sum();
    assert!(gains <= 40.0 + 1e-9, "{plan}");
    // Before + what the sites are assigned, each up to 20: not the walking coverage.
    let capacitated = f("covered_population_before") + gains;
    assert!(
        (f("covered_population_after") - capacitated).abs() < 1e-9,
        "{plan}"
    );
    assert!((f("coverage_ratio_after") - capacitated / f("total_population")).abs() < 1e-12);
    assert!((f("objective") - gains).abs() < 1e-9);
    // The after/ folder is a coverage run of the plan: walking distance, no capacity,
    // and the note says so.
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("after/summary.json")).unwrap(),
    )
    .unwrap();
    let walking = summary["coverage"]["covered_population"].as_f64().unwrap();
    assert!(walking > capacitated, "{walking} vs {capacitated}");
    let notes = plan["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| {
            let n = n.as_str().unwrap();
            n.contains("up to its capacity of 20")
                && n.contains("after/")
                && n.contains(&format!("({walking:.0})"))
        }),
        "{notes:?}"
    );
}

#[test]
fn plan_capacity_exact_with_an_unreachable_target_exits_0_not_reached() {
    // 99 % is within walking reach of the candidates (99.46 %), not with 2 per site.
    let args = ["--model", "lscp", "--target", "0.99", "--capacity", "2"];
    for exact in [false, true] {
        let dir = temp_dir();
        let mut extra = args.to_vec();
        if exact {
            extra.push("--exact");
        }
        let (run, plan) = plan_monaco(dir.path(), &extra);
        assert_eq!(plan["target_reached"], false, "exact {exact}: {plan}");
        let reach = plan["max_reachable_ratio"].as_f64().unwrap();
        let after = plan["coverage_ratio_after"].as_f64().unwrap();
        assert!(reach < 0.99 && after <= reach + 1e-12, "{plan}");
        assert!(after > plan["coverage_ratio_before"].as_f64().unwrap());
        let note = plan["notes"][0].as_str().unwrap();
        assert!(
            note.contains("99.0 % is unreachable with a capacity of 2")
                && note.contains(&format!("{:.2} % at most", reach * 100.0)),
            "{note}"
        );
        assert!(texts(&run).0.contains("is unreachable"));
        assert_eq!(plan["method"], if exact { "exact" } else { "greedy" });
    }
}
