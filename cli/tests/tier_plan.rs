//! `lifecircle plan --site-tier T` on the test city: new centers of a tier offering its
//! services, chosen for complete coverage; the plan's before and after figures are the
//! complete coverage of its before/ and after/ runs, and what the tier cannot supply is
//! counted, not planned for.

mod common;

use common::{city, lifecircle, temp_dir, texts, write};
use serde_json::Value;

/// Two tiers: a district tier with legal advice (10 min) and a neighbourhood tier with
/// a clinic and a library (5 min). c1 is a district center that offers legal advice, c2
/// a neighbourhood center with a clinic only.
const CONFIG: &str = r#"name = "Two tiers"
[[tiers]]
id = "district"
threshold_min = 10
[[tiers]]
id = "neighbourhood"
threshold_min = 5
[[services]]
id = "legal_advice"
tier = "district"
[[services]]
id = "clinic"
tier = "neighbourhood"
[[services]]
id = "library"
tier = "neighbourhood"
"#;

fn json(path: std::path::PathBuf) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn plan(dir: &std::path::Path, name: &str, extra: &[&str]) -> std::process::Output {
    let (roads, _, demand, _) = city(dir);
    let centers = write(
        dir,
        "tiered.csv",
        b"id,lon,lat,tier,services\nc1,0.001,0.001,district,legal_advice\nc2,0.009,0.0095,neighbourhood,clinic\n",
    );
    let config = write(dir, "tiers.toml", CONFIG.as_bytes());
    let out = dir.join(name).display().to_string();
    let mut args = vec![
        "plan",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--config",
        &config,
        "--candidate-spacing-m",
        "300",
        "--out",
        &out,
    ];
    args.extend_from_slice(extra);
    lifecircle(&args)
}

#[test]
fn a_tier_plan_is_the_complete_coverage_of_its_before_and_after_runs() {
    let dir = temp_dir();
    for (name, method) in [("greedy", None), ("exact", Some("--exact"))] {
        let mut extra = vec![
            "--model",
            "mclp",
            "--k",
            "2",
            "--site-tier",
            "neighbourhood",
        ];
        extra.extend(method);
        let output = plan(dir.path(), name, &extra);
        let (stdout, stderr) = texts(&output);
        assert!(output.status.success(), "{stderr}");
        let out = dir.path().join(name);
        let p = json(out.join("plan.json"));
        let before = json(out.join("before/summary.json"));
        let after = json(out.join("after/summary.json"));
        assert_eq!(p["parameters"]["site_tier"], "neighbourhood");
        assert_eq!(
            p["covered_population_before"],
            before["tiers"]["complete_population"]
        );
        assert_eq!(
            p["covered_population_after"], after["tiers"]["complete_population"],
            "{name}"
        );
        let gained = p["covered_population_after"].as_f64().unwrap()
            - p["covered_population_before"].as_f64().unwrap();
        assert!(gained > 0.0, "{p}");
        assert_eq!(p["objective"].as_f64().unwrap(), gained);
        // The new sites are neighbourhood centers with both of its services.
        assert_eq!(after["tiers"]["tiers"][1]["centers"], 3);
        let library = after["tiers"]["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "library")
            .unwrap();
        assert_eq!(library["centers"], 2);
        assert!(
            stdout.contains("Complete coverage (new `neighbourhood` centers)"),
            "{stdout}"
        );
        assert!(
            p["notes"][0]
                .as_str()
                .unwrap()
                .contains("each new site is a `neighbourhood` center offering clinic, library"),
            "{p}"
        );
        // The shared ranking stage does not count complete coverage: the note says so.
        assert!(
            p["notes"][0]
                .as_str()
                .unwrap()
                .contains("(candidates.geojson) are plain coverage"),
            "{p}"
        );
    }
    // Greedy + swap reaches the exact optimum here.
    let greedy = json(dir.path().join("greedy/plan.json"));
    let exact = json(dir.path().join("exact/plan.json"));
    assert_eq!(greedy["objective"], exact["objective"]);
}

#[test]
fn residents_lacking_a_service_of_another_tier_stay_incomplete() {
    let dir = temp_dir();
    // Legal advice (district) is 10 minutes from c1 only: whoever is farther lacks a
    // service no neighbourhood center offers.
    let output = plan(
        dir.path(),
        "out",
        &[
            "--model",
            "mclp",
            "--k",
            "3",
            "--site-tier",
            "neighbourhood",
        ],
    );
    assert!(output.status.success(), "{}", texts(&output).1);
    let p = json(dir.path().join("out/plan.json"));
    let note = p["notes"][0].as_str().unwrap();
    let beyond: f64 = note
        .split(" lack one it does not")
        .next()
        .and_then(|s| s.rsplit("; ").next())
        .map(|s| s.replace(',', "").parse().unwrap())
        .unwrap();
    assert!(beyond > 0.0, "{note}");
    let total = p["total_population"].as_f64().unwrap();
    assert!(p["covered_population_after"].as_f64().unwrap() <= total - beyond + 1e-9);
}

#[test]
fn a_tier_plan_needs_a_known_tier_and_a_coverage_model() {
    let dir = temp_dir();
    let missing = plan(dir.path(), "a", &["--model", "mclp", "--k", "1"]);
    assert!(!missing.status.success());
    assert!(
        texts(&missing).1.contains(
            "say which tier the new sites are with --site-tier (district, neighbourhood)"
        ),
        "{}",
        texts(&missing).1
    );
    let unknown = plan(
        dir.path(),
        "b",
        &["--model", "mclp", "--k", "1", "--site-tier", "city"],
    );
    assert!(!unknown.status.success());
    assert!(
        texts(&unknown)
            .1
            .contains("unknown tier `city` (the catalogue has: district, neighbourhood)"),
        "{}",
        texts(&unknown).1
    );
    let pmedian = plan(
        dir.path(),
        "c",
        &["--model", "pmedian", "--k", "1", "--site-tier", "district"],
    );
    assert!(!pmedian.status.success());
    assert!(
        texts(&pmedian).1.contains("use mclp or lscp, not pmedian"),
        "{}",
        texts(&pmedian).1
    );
}

/// Runs `coverage` with `centers_csv` on the city and the two-tier catalogue; returns
/// summary.json's `tiers`.
fn tiers_with(dir: &std::path::Path, name: &str, centers_csv: &str) -> Value {
    let (roads, _, demand, _) = city(dir);
    let centers = write(dir, &format!("{name}.csv"), centers_csv.as_bytes());
    let config = write(dir, "tiers.toml", CONFIG.as_bytes());
    let out = dir.join(name);
    let out_text = out.display().to_string();
    let output = lifecircle(&[
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--config",
        &config,
        "--minutes",
        "5",
        "--out",
        &out_text,
    ]);
    assert!(output.status.success(), "{}", texts(&output).1);
    json(out.join("summary.json"))["tiers"].clone()
}

#[test]
fn each_listed_upgrade_gains_what_a_rerun_with_it_gains() {
    let dir = temp_dir();
    let rows = [
        ("c1", "district", "legal_advice"),
        ("c2", "neighbourhood", "clinic"),
    ];
    let csv = |rows: &[(&str, &str, String)]| {
        let mut text = String::from("id,lon,lat,tier,services\n");
        for ((id, tier, services), at) in rows.iter().zip(["0.001,0.001", "0.009,0.0095"]) {
            text.push_str(&format!("{id},{at},{tier},{services}\n"));
        }
        text
    };
    let base_rows: Vec<(&str, &str, String)> = rows
        .iter()
        .map(|&(id, tier, s)| (id, tier, s.to_string()))
        .collect();
    let before = tiers_with(dir.path(), "before", &csv(&base_rows));
    let upgrades = before["upgrades"].as_array().unwrap();
    assert!(!upgrades.is_empty(), "{before}");
    // The district center may add neighbourhood services only if it stands in for the
    // tier; it does not, so every listed upgrade is the neighbourhood center's.
    assert!(upgrades.iter().all(|u| u["center"] == "c2"), "{upgrades:?}");
    let covered = |tiers: &Value, service: &str| {
        tiers["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == service)
            .unwrap()["covered_population"]
            .as_f64()
            .unwrap()
    };
    for (n, u) in upgrades.iter().enumerate() {
        let service = u["service"].as_str().unwrap();
        let mut upgraded = base_rows.clone();
        let row = &mut upgraded[u["center_index"].as_u64().unwrap() as usize];
        row.2 = format!("{};{service}", row.2);
        let after = tiers_with(dir.path(), &format!("upgrade{n}"), &csv(&upgraded));
        let complete_gain = after["complete_population"].as_f64().unwrap()
            - before["complete_population"].as_f64().unwrap();
        assert_eq!(
            complete_gain,
            u["newly_complete_population"].as_f64().unwrap(),
            "{u}"
        );
        let served_gain = covered(&after, service) - covered(&before, service);
        assert_eq!(
            served_gain,
            u["newly_served_population"].as_f64().unwrap(),
            "{u}"
        );
    }
    let report = std::fs::read_to_string(dir.path().join("before/report.md")).unwrap();
    assert!(report.contains("Upgrade before you build"), "{report}");
}
