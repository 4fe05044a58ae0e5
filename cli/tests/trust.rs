//! Regression tests of the trust review: each defect it found, named after it.

mod common;

use common::{city, lifecircle, temp_dir, texts};

fn coverage_args<'a>(inputs: &'a (String, String, String, String), out: &'a str) -> Vec<&'a str> {
    vec![
        "coverage",
        "--roads",
        &inputs.0,
        "--centers",
        &inputs.1,
        "--demand",
        &inputs.2,
        "--min-component-nodes",
        "1",
        "--quiet",
        "--out",
        out,
    ]
}

/// Runs `lifecircle` and returns (exit code, stderr).
fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = lifecircle(args);
    (out.status.code(), texts(&out).1)
}

#[cfg(unix)]
#[test]
fn max_input_mb_bounds_the_read_of_a_pipe_or_device() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    let mut args = coverage_args(&inputs, &out);
    args[2] = "/dev/zero"; // endless: the limit must stop the read itself
    args.extend(["--max-input-mb", "1"]);
    let started = std::time::Instant::now();
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("/dev/zero: more than the limit of 1048576 bytes"),
        "{stderr}"
    );
    assert!(started.elapsed().as_secs() < 60, "the read was not bounded");
}

#[test]
fn minutes_beyond_the_longest_walk_are_refused() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    let mut args = coverage_args(&inputs, &out);
    args.extend(["--minutes", "1e9"]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("longest walk accepted (180 minutes)"),
        "{stderr}"
    );
    let mut args = coverage_args(&inputs, &out);
    args.extend(["--speed-kmh", "500"]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("faster than walking"), "{stderr}");
}

#[test]
fn negative_values_are_checked_not_read_as_unknown_flags() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    let mut args = coverage_args(&inputs, &out);
    args.extend(["--minutes", "-5"]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(!stderr.contains("unexpected argument"), "{stderr}");
    assert!(
        stderr.contains("threshold_min") && stderr.contains("-5"),
        "{stderr}"
    );
}

fn plan_args<'a>(inputs: &'a (String, String, String, String), out: &'a str) -> Vec<&'a str> {
    let mut args = coverage_args(inputs, out);
    args[0] = "plan";
    args.extend(["--candidate-spacing-m", "300"]);
    args
}

#[test]
fn exact_time_limit_overflow_is_an_error_not_a_panic() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    let mut args = plan_args(&inputs, &out);
    args.extend([
        "--model",
        "mclp",
        "--k",
        "1",
        "--exact",
        "--time-limit-s",
        "1e19",
    ]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--time-limit-s 10000000000000000000"),
        "{stderr}"
    );
}

#[test]
fn max_closed_without_allow_closing_says_what_it_needs() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    let mut args = plan_args(&inputs, &out);
    args.extend(["--model", "mclp", "--k", "1", "--max-closed", "1"]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr
            .contains("--max-closed N limits how many centers may close: it needs --allow-closing"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("required arguments were not provided"),
        "{stderr}"
    );
}

#[test]
fn lscp_without_target_is_an_error_not_a_silent_full_cover() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    let mut args = plan_args(&inputs, &out);
    args.extend(["--model", "lscp"]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--model lscp needs --target RATIO"),
        "{stderr}"
    );
}

#[test]
fn building_population_by_area_cannot_bypass_the_population_cap() {
    let dir = temp_dir();
    let out = dir.path().join("out").display().to_string();
    let roads = common::data("monaco.osm.pbf").display().to_string();
    let (code, stderr) = run(&[
        "coverage",
        "--roads",
        &roads,
        "--centers-osm",
        "amenity=library",
        "--demand-osm",
        "building",
        "--building-population",
        "area:1e-303",
        "--out",
        &out,
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("at least 1 m² per person"), "{stderr}");
}

#[test]
fn a_misnamed_population_field_is_an_error() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let geojson = common::write(
        dir.path(),
        "homes.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"pop":3},"geometry":{"type":"Point","coordinates":[0.001,0.001]}}]}"#,
    );
    let out = dir.path().join("out").display().to_string();
    let mut args = coverage_args(&inputs, &out);
    args[6] = &geojson;
    args.extend(["--population-field", "population_2020"]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("homes.geojson")
            && stderr.contains("no feature has a `population_2020` property"),
        "{stderr}"
    );
}

#[test]
fn defaulted_populations_are_reported_in_the_summary_and_the_terminal() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    // A demand file without population column: every resident counts 1, and says so.
    let demand = common::write(
        dir.path(),
        "plain.csv",
        b"id,lon,lat\na,0.001,0.001\nb,0.002,0.002\n",
    );
    let out = dir.path().join("out");
    let shown = out.display().to_string();
    let mut args = coverage_args(&inputs, &shown);
    args[6] = &demand;
    args.retain(|a| *a != "--quiet");
    let output = lifecircle(&args);
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("Note: demand")
            && stdout.contains("2 features no population column (counted 1)"),
        "{stdout}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let report = &summary["inputs"]["demand"];
    assert_eq!(report["noted_total"], 2);
    assert_eq!(report["skipped_total"], 0);
    assert_eq!(
        report["skipped"]["defaulted: no population column (counted 1)"],
        2
    );
}

#[test]
fn ids_with_markup_and_control_characters_are_escaped_in_report_and_terminal() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let centers = common::write(
        dir.path(),
        "odd.csv",
        "id,lon,lat\n\"a|b\nc\",0.001,0.001\n\"<script>x</script>\u{1b}[31m\",0.009,0.0095\n"
            .as_bytes(),
    );
    let out = dir.path().join("out");
    let shown = out.display().to_string();
    let mut args = coverage_args(&inputs, &shown);
    args[4] = &centers;
    let output = lifecircle(&args);
    assert!(output.status.success(), "{:?}", texts(&output));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("| a\\|b\\nc |"), "{report}");
    assert!(
        report.contains("&lt;script&gt;x&lt;/script&gt;\\u{1b}[31m"),
        "{report}"
    );
    assert!(!report.contains('\u{1b}') && !report.contains("<script>"));
    // The terminal: an error quoting such an id shows the escape, never the raw byte.
    let config = common::write(
        dir.path(),
        "t.toml",
        b"[[tiers]]\nid = \"x\"\nthreshold_min = 5\n",
    );
    let tiers = common::write(
        dir.path(),
        "tiers.csv",
        "id,lon,lat,tier\n\"bad\u{1b}[2J\",0.001,0.001,nowhere\n".as_bytes(),
    );
    let out2 = dir.path().join("out2").display().to_string();
    let mut args = coverage_args(&inputs, &out2);
    args[4] = &tiers;
    args.extend(["--config", &config]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2));
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(stderr.contains("bad\\u{1b}[2J"), "{stderr}");
}

#[test]
fn catalogue_errors_name_the_centers_file_and_the_catalogue() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let config = common::write(
        dir.path(),
        "t.toml",
        b"[[tiers]]\nid = \"x\"\nthreshold_min = 5\n",
    );
    let tiers = common::write(
        dir.path(),
        "tiers.csv",
        b"id,lon,lat,tier\nc1,0.001,0.001,nowhere\n",
    );
    let out = dir.path().join("out").display().to_string();
    let mut args = coverage_args(&inputs, &out);
    args[4] = &tiers;
    args.extend(["--config", &config]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("tiers.csv: feature 0: center `c1`: unknown tier `nowhere`")
            && stderr.contains("(catalogue ")
            && stderr.contains("t.toml)"),
        "{stderr}"
    );
    assert!(!stderr.starts_with("error: centers:"), "{stderr}");
}

#[test]
fn an_exact_model_over_the_limit_names_the_flag_that_raises_it() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    let mut args = plan_args(&inputs, &out);
    args.extend([
        "--model",
        "mclp",
        "--k",
        "1",
        "--exact",
        "--exact-max-variables",
        "3",
    ]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("over the limit of 3") && stderr.contains("--exact-max-variables N"),
        "{stderr}"
    );
    // Raised, the same plan solves.
    let mut args = plan_args(&inputs, &out);
    args.extend([
        "--model",
        "mclp",
        "--k",
        "1",
        "--exact",
        "--exact-max-variables",
        "100000",
    ]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn elevation_tiles_that_cover_no_road_are_refused_not_reported_as_slope() {
    let dir = temp_dir();
    let inputs = city(dir.path());
    let out = dir.path().join("out").display().to_string();
    // The Gothenburg tile (57–58° N, 11–12° E) for a city at 0°, 0°.
    let tile = common::data("N57E011.hgt.gz").display().to_string();
    let mut args = coverage_args(&inputs, &out);
    args.extend(["--dem", &tile]);
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--dem: the elevation tiles") && stderr.contains("give no road a height"),
        "{stderr}"
    );
    assert!(!std::path::Path::new(&out).join("summary.json").exists());
}
