//! `report.html`: written by `--report html`, remade by `lifecircle report DIR` with the
//! same bytes, its figures those of `summary.json`, both languages, plans, bad folders.

mod common;

use std::path::Path;

use common::{city, data, lifecircle, temp_dir, texts, write};
use serde_json::Value;

fn run_ok(args: &[&str]) {
    let out = lifecircle(args);
    assert!(out.status.success(), "{:?}", texts(&out));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `data-value` of the element with `id`.
fn data_value(html: &str, id: &str) -> String {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[at..];
    let start = rest.find("data-value=\"").unwrap() + "data-value=\"".len();
    rest[start..].split('"').next().unwrap().to_string()
}

/// A coverage run of the small city, with `extra` arguments, into `dir/out`.
fn city_run(dir: &Path, centers: Option<&str>, extra: &[&str]) -> std::path::PathBuf {
    let (roads, default_centers, demand, units) = city(dir);
    let centers = centers.map_or(default_centers, |c| write(dir, "named.csv", c.as_bytes()));
    let out = dir.join("out");
    let mut args = vec![
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--units",
        &units,
        "--min-component-nodes",
        "1",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let out_text = out.display().to_string();
    args.extend_from_slice(&["--out", &out_text]);
    run_ok(&args);
    out
}

#[test]
fn the_page_shows_the_summary_and_report_dir_remakes_the_same_bytes() {
    let dir = temp_dir();
    let out = city_run(dir.path(), None, &["--report", "md,html"]);
    let html = read(&out.join("report.html"));
    let summary: Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    let c = &summary["coverage"];
    assert_eq!(
        data_value(&html, "coverage-pct"),
        c["coverage_ratio"].as_f64().unwrap().to_string()
    );
    assert_eq!(
        data_value(&html, "covered-pop"),
        c["covered_population"].as_f64().unwrap().to_string()
    );
    assert_eq!(
        data_value(&html, "total-pop"),
        c["total_population"].as_f64().unwrap().to_string()
    );
    assert_eq!(
        data_value(&html, "gap-count"),
        summary["gaps"]["count"].to_string()
    );
    for part in [
        r#"<html lang="en">"#,
        "Walking coverage report",
        r#"<svg id="map-coverage""#,
        r#"<svg id="histogram""#,
        r#"id="units-table""#,
        r#"<td>West <span class="note">west</span></td>"#,
        r#"id="centers-table""#,
        r#"id="inputs-table""#,
    ] {
        assert!(html.contains(part), "report.html lacks {part}");
    }
    // Nothing the page needs comes from the network.
    let without_namespaces = html.replace(r#"xmlns="http://www.w3.org/2000/svg""#, "");
    assert!(!without_namespaces.contains("http") && !html.contains("<script"));
    // report.md is still written, with grouped figures.
    assert!(read(&out.join("report.md")).contains("# Walking coverage"));

    let copy = dir.path().join("copy.html");
    let copy_text = copy.display().to_string();
    let out_text = out.display().to_string();
    run_ok(&["report", &out_text, "--out", &copy_text, "--quiet"]);
    assert_eq!(read(&copy), html, "report DIR differs from --report html");
    run_ok(&["report", &out_text, "--quiet"]);
    assert_eq!(read(&out.join("report.html")), html);
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_chinese_page_is_chinese_and_the_title_is_the_users() {
    let dir = temp_dir();
    let out = city_run(
        dir.path(),
        None,
        &["--report", "html", "--lang", "zh", "--title", "江岸区 <b>"],
    );
    let html = read(&out.join("report.html"));
    let ratio: f64 = data_value(&html, "coverage-pct").parse().unwrap();
    for part in [
        r#"<html lang="zh-Hans">"#.to_string(),
        "步行覆盖评估报告".into(),
        "至最近服务中心的步行时间".into(),
        "方法与数据".into(),
        format!("{:.1}%", ratio * 100.0),
        "江岸区 &lt;b&gt;".into(),
    ] {
        assert!(html.contains(&part), "zh report lacks {part}");
    }
    assert!(!html.contains("Walking coverage report"));
}

#[test]
fn names_from_the_data_are_shown_escaped() {
    let dir = temp_dir();
    let centers =
        "id,name,lon,lat\nc1,<script>alert(1)</script>,0.001,0.001\nc2,Library,0.009,0.0095\n";
    let out = city_run(dir.path(), Some(centers), &["--report", "html"]);
    let html = read(&out.join("report.html"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script"));
    assert!(html.contains("Library <span class=\"note\">c2</span>"));
    let md = read(&out.join("report.md"));
    assert!(md.contains("Library (c2)"), "{md}");
}

#[test]
fn an_unknown_language_is_refused_before_anything_runs() {
    let dir = temp_dir();
    let (roads, centers, demand, _) = city(dir.path());
    let out = dir.path().join("out");
    let result = lifecircle(&[
        "coverage",
        "--roads",
        &roads,
        "--centers",
        &centers,
        "--demand",
        &demand,
        "--report",
        "html",
        "--lang",
        "fr",
        "--out",
        &out.display().to_string(),
    ]);
    let (_, err) = texts(&result);
    assert!(!result.status.success());
    assert!(err.contains("lang") && err.contains("fr"), "{err}");
    assert!(!out.exists());
}

#[test]
fn report_refuses_what_is_not_an_output_folder_and_never_replaces_a_file() {
    let dir = temp_dir();
    let foreign = dir.path().join("photos");
    std::fs::create_dir(&foreign).unwrap();
    let result = lifecircle(&["report", &foreign.display().to_string()]);
    let (_, err) = texts(&result);
    assert!(!result.status.success());
    assert!(
        err.contains("photos") && err.contains("summary.json"),
        "{err}"
    );

    let out = city_run(dir.path(), None, &[]);
    let mine = write(dir.path(), "notes.html", b"my notes");
    let result = lifecircle(&["report", &out.display().to_string(), "--out", &mine]);
    let (_, err) = texts(&result);
    assert!(!result.status.success());
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&mine).unwrap(), b"my notes");

    // A folder missing a layer names it.
    std::fs::remove_file(out.join("network.geojson")).unwrap();
    let result = lifecircle(&["report", &out.display().to_string()]);
    let (_, err) = texts(&result);
    assert!(!result.status.success());
    assert!(
        err.contains("network.geojson") && err.contains("missing"),
        "{err}"
    );
    assert!(!out.join("report.html").exists());
}

#[test]
fn a_plan_report_shows_both_maps_and_every_chosen_site() {
    let dir = temp_dir();
    let out = dir.path().join("plan");
    let monaco = data("monaco.osm.pbf").display().to_string();
    run_ok(&[
        "plan",
        "--model",
        "mclp",
        "--k",
        "2",
        "--roads",
        &monaco,
        "--centers-osm",
        "amenity=library|post_office|townhall|community_centre|social_facility",
        "--demand-osm",
        "building",
        "--report",
        "html",
        "--lang",
        "zh",
        "--quiet",
        "--out",
        &out.display().to_string(),
    ]);
    let html = read(&out.join("report.html"));
    let plan: Value = serde_json::from_str(&read(&out.join("plan.json"))).unwrap();
    let after: Value = serde_json::from_str(&read(&out.join("after/summary.json"))).unwrap();
    assert!(html.contains("新增设施选址报告"));
    assert!(html.contains(r#"<svg id="map-before""#) && html.contains(r#"<svg id="map-after""#));
    assert_eq!(html.matches(r#"class="new-site""#).count(), 2);
    for site in plan["sites"].as_array().unwrap() {
        assert!(
            html.contains(site["id"].as_str().unwrap()),
            "site {site} missing"
        );
    }
    assert_eq!(
        data_value(&html, "coverage-pct"),
        after["coverage"]["coverage_ratio"]
            .as_f64()
            .unwrap()
            .to_string()
    );
    let copy = dir.path().join("again.html");
    run_ok(&[
        "report",
        &out.display().to_string(),
        "--lang",
        "zh",
        "--out",
        &copy.display().to_string(),
    ]);
    assert_eq!(read(&copy), html);
}
