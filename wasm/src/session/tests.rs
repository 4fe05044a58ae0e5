//! The session against the CLI's reviewed Monaco outputs and against full recomputations.

use serde::Serialize;
use serde_json::Value;

use super::*;

fn json(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

const MONACO: &[u8] = include_bytes!("../../../data/monaco.osm.pbf");
const MONACO_NAME: &str = "monaco.osm.pbf";
/// The golden run's center filter (`cli/tests/golden.rs`).
const CENTERS: &str = "amenity=library|post_office|townhall|community_centre|social_facility";
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/monaco");

fn monaco() -> Session {
    let mut s = Session::new();
    s.load_roads(MONACO_NAME, MONACO).unwrap();
    s.load_centers(MONACO_NAME, MONACO, Some(CENTERS)).unwrap();
    s.load_demand(MONACO_NAME, MONACO, Some("building"))
        .unwrap();
    s
}

fn view(s: &mut Session) -> Value {
    serde_json::from_str(&s.coverage_json().unwrap()).unwrap()
}

/// A golden CLI output, without the CLI's side-by-side profile flags (the viewer runs
/// one profile at a time).
fn golden(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{GOLDEN}/{name}")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    if let Some(features) = v["features"].as_array_mut() {
        for f in features {
            if let Some(p) = f["properties"].as_object_mut() {
                p.remove("covered_by_profile");
            }
        }
    }
    v
}

fn covered(v: &Value) -> f64 {
    v["summary"]["covered_population"].as_f64().unwrap()
}

#[test]
fn coverage_equals_the_cli_golden_outputs() {
    let mut s = monaco();
    let v = view(&mut s);
    let summary = golden("summary.json");
    assert_eq!(v["summary"], summary["coverage"]);
    assert_eq!(v["network"], summary["network"]);
    assert_eq!(v["gapCount"], summary["gaps"]["count"]);
    for (layer, file) in [
        ("demand", "demand.geojson"),
        ("gaps", "gaps.geojson"),
        ("network", "network.geojson"),
        ("serviceAreas", "service_areas.geojson"),
    ] {
        assert!(
            v["layers"][layer] == golden(file),
            "layer {layer} differs from {file}"
        );
    }
    let centers = v["layers"]["centers"]["features"].as_array().unwrap();
    assert_eq!(
        centers.len(),
        summary["coverage"]["centers"].as_u64().unwrap() as usize
    );
}

#[test]
fn the_same_inputs_give_the_same_text() {
    let a = monaco().coverage_json().unwrap();
    let b = monaco().coverage_json().unwrap();
    assert_eq!(a, b);
}

#[test]
fn what_if_equals_the_scenario_with_the_site_added() {
    let mut s = monaco();
    let before = view(&mut s);
    // Points across the city, on and between streets.
    for (lon, lat) in [(7.4200, 43.7310), (7.4128, 43.7275), (7.4300, 43.7400)] {
        let change = json(s.evaluate_candidate(lon, lat).unwrap());
        assert_eq!(
            change["covered_population_before"].as_f64(),
            Some(covered(&before))
        );
        let key = s.add_center(lon, lat, None, None).unwrap();
        let after = view(&mut s);
        assert_eq!(
            change["covered_population_after"].as_f64(),
            Some(covered(&after))
        );
        // Ratios agree to rounding (the summary sums the total in another order).
        let ratio = |v: &Value| v.as_f64().unwrap();
        let summary_ratio = ratio(&after["summary"]["coverage_ratio"]);
        assert!(
            (ratio(&change["coverage_ratio_after"]) - summary_ratio).abs() < 1e-12,
            "site {lon}, {lat}"
        );
        s.remove_center(&key).unwrap();
        assert_eq!(view(&mut s), before, "undo restores the scenario");
    }
}

#[test]
fn removal_what_if_equals_the_scenario_without_the_center() {
    let mut s = monaco();
    let before = view(&mut s);
    let first = s.centers()[0].id.clone();
    let change = json(s.evaluate_removal(&first).unwrap());
    s.remove_center(&first).unwrap();
    let after = view(&mut s);
    assert_eq!(
        change["covered_population_after"].as_f64(),
        Some(covered(&after))
    );
    assert!(s.centers()[0].removed);
    s.restore_center(&first).unwrap();
    assert_eq!(view(&mut s), before);
}

#[test]
fn a_site_off_the_network_changes_nothing() {
    let mut s = monaco();
    let change = json(s.evaluate_candidate(7.0, 43.0).unwrap());
    assert_eq!(change["snapped"], false);
    assert_eq!(change["covered_population_change"], 0.0);
    assert!(change["reason"]
        .as_str()
        .unwrap()
        .contains("walking network"));
}

#[test]
fn parameters_change_the_scenario_and_bad_ones_are_refused() {
    let mut s = monaco();
    let ten = covered(&view(&mut s));
    s.set_params(&ParamUpdate {
        threshold_min: Some(5.0),
        ..ParamUpdate::default()
    })
    .unwrap();
    let five = covered(&view(&mut s));
    assert!(five < ten);
    s.set_params(&ParamUpdate {
        profile: Some("older".into()),
        ..ParamUpdate::default()
    })
    .unwrap();
    assert!(covered(&view(&mut s)) <= five);
    let e = s
        .set_params(&ParamUpdate {
            threshold_min: Some(-1.0),
            ..ParamUpdate::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("threshold"), "{e}");
    let e = s
        .set_params(&ParamUpdate {
            profile: Some("runner".into()),
            ..ParamUpdate::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("runner"), "{e}");
    // A refused update leaves everything as it was.
    assert_eq!(json(s.params_view())["thresholdMin"], 5.0);
    assert_eq!(json(s.params_view())["profile"], "older");
}

#[test]
fn a_distance_threshold_is_the_walk_of_the_same_minutes_and_switches_back() {
    let mut s = monaco();
    // 400 m at 4.8 km/h (80 m/min) are 5 minutes.
    s.set_params(&ParamUpdate {
        threshold_min: Some(5.0),
        ..ParamUpdate::default()
    })
    .unwrap();
    let five_min = view(&mut s);
    s.set_params(&ParamUpdate {
        threshold_m: Some(400.0),
        ..ParamUpdate::default()
    })
    .unwrap();
    let four_hundred_m = view(&mut s);
    assert_eq!(four_hundred_m["summary"], five_min["summary"]);
    assert_eq!(four_hundred_m["thresholdM"], 400.0);
    assert_eq!(four_hundred_m["thresholdMin"], 5.0);
    assert_eq!(five_min["thresholdM"], Value::Null);
    assert_eq!(json(s.params_view())["thresholdM"], 400.0);
    let e = s
        .set_params(&ParamUpdate {
            threshold_min: Some(10.0),
            threshold_m: Some(800.0),
            ..ParamUpdate::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("not both"), "{e}");
    s.set_params(&ParamUpdate {
        threshold_min: Some(10.0),
        ..ParamUpdate::default()
    })
    .unwrap();
    assert_eq!(json(s.params_view())["thresholdM"], Value::Null);
}

#[test]
fn ranking_and_optimizing_agree_with_the_what_if() {
    let mut s = monaco();
    let ranked = json(
        s.rank_candidates(&RankOptions {
            spacing_m: Some(300.0),
            limit: Some(5),
        })
        .unwrap(),
    );
    let best = &ranked[0];
    let change = json(
        s.evaluate_candidate(best["lon"].as_f64().unwrap(), best["lat"].as_f64().unwrap())
            .unwrap(),
    );
    assert_eq!(
        change["covered_population_change"],
        best["covered_population_gain"]
    );

    let mut stages = Vec::new();
    let plan = json(
        s.optimize(
            "mclp",
            &OptimizeOptions {
                k: Some(2),
                spacing_m: Some(300.0),
                ..OptimizeOptions::default()
            },
            &mut |fraction, stage| stages.push((fraction, stage.to_string())),
        )
        .unwrap(),
    );
    assert_eq!(plan["sites"].as_array().unwrap().len(), 2);
    assert_eq!(plan["sites"][0]["gain"], best["covered_population_gain"]);
    assert_eq!(stages.last().unwrap(), &(1.0, "done".to_string()));
    assert!(stages.windows(2).all(|w| w[0].0 <= w[1].0), "{stages:?}");
}

#[test]
fn bad_input_is_an_error_naming_the_file() {
    let mut s = Session::new();
    let e = s
        .load_roads("roads.geojson", b"{\"type\": \"Feat")
        .unwrap_err();
    assert!(e.to_string().starts_with("roads.geojson: "), "{e}");
    let e = s.load_roads("cut.osm.pbf", &MONACO[..1000]).unwrap_err();
    assert!(e.to_string().starts_with("cut.osm.pbf: "), "{e}");
    let e = s
        .load_centers("c.csv", b"name,x\nA,zz\n", None)
        .unwrap_err();
    assert!(e.to_string().starts_with("c.csv: "), "{e}");
    let e = s
        .load_centers(MONACO_NAME, MONACO, Some("amenity="))
        .unwrap_err();
    assert!(e.to_string().contains("tag filter"), "{e}");
    let none = s
        .load_demand(MONACO_NAME, MONACO, Some("amenity=nothing_like_this"))
        .unwrap();
    assert_eq!(none.features_used, 0);
    let e = s.coverage_json().unwrap_err();
    assert!(e.to_string().contains("no roads loaded"), "{e}");
    let e = s.evaluate_candidate(f64::NAN, 1.0).unwrap_err();
    assert!(e.to_string().contains("WGS84"), "{e}");
}

#[test]
fn closing_every_center_is_refused_with_a_reason() {
    let mut s = monaco();
    for c in s.centers() {
        s.remove_center(&c.id).unwrap();
    }
    let e = s.coverage_json().unwrap_err();
    assert!(e.to_string().contains("every center is closed"), "{e}");
    let e = s.remove_center("nope").unwrap_err();
    assert!(e.to_string().contains("`nope`"), "{e}");
}

#[test]
fn one_osm_pass_gives_the_layers_and_reports_of_separate_loads() {
    let mut separate = Session::new();
    let roads = separate.load_roads(MONACO_NAME, MONACO).unwrap();
    let centers = separate
        .load_centers(MONACO_NAME, MONACO, Some(CENTERS))
        .unwrap();
    let demand = separate
        .load_demand(MONACO_NAME, MONACO, Some("building"))
        .unwrap();

    let mut one_pass = Session::new();
    let report = one_pass
        .load_osm(MONACO_NAME, MONACO, Some(CENTERS), Some("building"))
        .unwrap();
    // Compared in the JSON form the viewer sees.
    let json = |r: &LoadReport| serde_json::to_value(r).unwrap();
    assert_eq!(json(&report.roads), json(&roads));
    assert_eq!(json(&report.centers.unwrap()), json(&centers));
    assert_eq!(json(&report.demand.unwrap()), json(&demand));
    assert_eq!(view(&mut one_pass), view(&mut separate));

    // Without filters only the roads change; the other layers stay as they were.
    let report = one_pass
        .load_osm(MONACO_NAME, MONACO, None, Some(" "))
        .unwrap();
    assert!(report.centers.is_none() && report.demand.is_none());
    assert_eq!(json(&report.roads), json(&roads));
    assert_eq!(view(&mut one_pass), view(&mut separate));
}

#[test]
fn a_failed_osm_load_changes_nothing() {
    let mut s = monaco();
    let before = view(&mut s);
    // No center matches: refused, as `load_centers` refuses it, with the roads untouched.
    let error = s
        .load_osm(
            MONACO_NAME,
            MONACO,
            Some("amenity=no_such_thing"),
            Some("building"),
        )
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("monaco.osm.pbf [amenity=no_such_thing]")
            && error.contains("no service center found"),
        "{error}"
    );
    let error = s
        .load_osm(MONACO_NAME, MONACO, Some("amenity="), None)
        .unwrap_err()
        .to_string();
    assert!(error.contains("amenity="), "{error}");
    let error = s
        .load_osm(
            "roads.geojson",
            br#"{"type":"FeatureCollection","features":[]}"#,
            None,
            None,
        )
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("roads.geojson"), "{error}");
    assert_eq!(view(&mut s), before);
}

#[test]
fn bands_give_each_circle_as_its_own_run_and_follow_the_unit() {
    let mut s = monaco();
    s.set_params(&ParamUpdate {
        threshold_min: Some(10.0),
        bands: Some(vec![5.0, 15.0]),
        ..ParamUpdate::default()
    })
    .unwrap();
    let banded = view(&mut s);
    let bands = banded["bands"].as_array().unwrap().clone();
    assert_eq!(bands.len(), 3);
    assert_eq!(
        banded["summary"]["covered_population"],
        bands[1]["covered_population"]
    );
    for band in &bands {
        let minutes = band["threshold_min"].as_f64().unwrap();
        s.set_params(&ParamUpdate {
            threshold_min: Some(minutes),
            bands: Some(Vec::new()),
            ..ParamUpdate::default()
        })
        .unwrap();
        let alone = view(&mut s);
        assert!(alone.get("bands").is_none());
        assert_eq!(
            band["covered_population"],
            alone["summary"]["covered_population"]
        );
        assert_eq!(band["coverage_ratio"], alone["summary"]["coverage_ratio"]);
    }
    let pieces = banded["layers"]["network"]["features"].as_array().unwrap();
    assert!(pieces.iter().any(|p| p["properties"]["band_min"] == 15.0));
    // Switching to metres without bands drops the minutes bands.
    s.set_params(&ParamUpdate {
        bands: Some(vec![5.0]),
        ..ParamUpdate::default()
    })
    .unwrap();
    s.set_params(&ParamUpdate {
        threshold_m: Some(500.0),
        ..ParamUpdate::default()
    })
    .unwrap();
    assert_eq!(json(s.params_view())["bands"], serde_json::json!([]));
}

const DISTRICT: &str = include_str!("../../../config/district_1_7_n.toml");
/// Monaco's split at this longitude into a west and an east unit.
const SPLIT_LON: f64 = 7.42;

fn rectangle(id: &str, west: f64, east: f64) -> Value {
    serde_json::json!({
        "type": "Feature",
        "properties": {"id": id, "name": id},
        "geometry": {"type": "Polygon", "coordinates": [[
            [west, 43.70], [east, 43.70], [east, 43.76], [west, 43.76], [west, 43.70]
        ]]}
    })
}

/// One tier and one service every OSM center of the golden filter offers: a new
/// neighbourhood center completes whoever it brings within 5 minutes.
const NEIGHBOURHOODS: &str = r#"
[[tiers]]
id = "neighbourhood"
threshold_min = 5

[[services]]
id = "reading_room"
tier = "neighbourhood"

[[rules]]
match = { amenity = "*" }
tier = "neighbourhood"
services = ["reading_room"]
"#;

/// Monaco with a catalogue (its tag rules place the OSM centers) and two units, west
/// and east of [`SPLIT_LON`].
fn monaco_with_tiers_and_units(catalogue: &str) -> Session {
    let mut s = monaco();
    let units = serde_json::json!({
        "type": "FeatureCollection",
        "features": [rectangle("west", 7.38, SPLIT_LON), rectangle("east", SPLIT_LON, 7.46)]
    });
    s.load_units("units.geojson", units.to_string().as_bytes())
        .unwrap();
    s.set_services("catalogue.toml", Some(catalogue)).unwrap();
    s
}

fn residents(v: &Value) -> &Vec<Value> {
    v["layers"]["demand"]["features"].as_array().unwrap()
}

fn population(r: &Value) -> f64 {
    r["properties"]["population"].as_f64().unwrap()
}

#[test]
fn each_resident_names_what_they_lack_and_units_agree_by_hand() {
    let mut s = monaco_with_tiers_and_units(DISTRICT);
    let v = view(&mut s);
    let tiers = &v["tiers"];
    let residents = residents(&v);
    let lacks = |r: &Value| r["properties"]["lacks"].as_str().unwrap().to_string();
    // Every service's and tier's coverage is the population not lacking it.
    for (kind, list) in [("service", "services"), ("tier", "tiers")] {
        for req in tiers[list].as_array().unwrap() {
            let key = format!("|{kind}:{}|", req["id"].as_str().unwrap());
            let covered: f64 = residents
                .iter()
                .filter(|r| !lacks(r).contains(&key))
                .map(population)
                .sum();
            let expected = req["covered_population"].as_f64().unwrap();
            assert!(
                (covered - expected).abs() < 1e-6,
                "{key}: {covered} vs {expected}"
            );
        }
    }
    let required: Vec<String> = tiers["services"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["required"] == true)
        .map(|s| format!("|service:{}|", s["id"].as_str().unwrap()))
        .collect();
    for r in residents {
        let complete = r["properties"]["complete"].as_bool().unwrap();
        assert_eq!(complete, !required.iter().any(|k| lacks(r).contains(k)));
    }
    // Each unit's coverage of a service, recounted from the residents on its side.
    let units = v["layers"]["units"]["features"].as_array().unwrap();
    assert_eq!(units.len(), 2);
    let service = tiers["services"][0]["id"].as_str().unwrap();
    let key = format!("|service:{service}|");
    for unit in units {
        let west = unit["properties"]["id"] == "west";
        let side: Vec<&Value> = residents
            .iter()
            .filter(|r| (r["geometry"]["coordinates"][0].as_f64().unwrap() < SPLIT_LON) == west)
            .collect();
        let total: f64 = side.iter().map(|r| population(r)).sum();
        let covered: f64 = side
            .iter()
            .filter(|r| !lacks(r).contains(&key))
            .map(|r| population(r))
            .sum();
        let ratio = unit["properties"]["service_coverage"][service]
            .as_f64()
            .unwrap();
        assert!(
            (ratio - covered / total).abs() < 1e-6,
            "unit {}",
            unit["properties"]["id"]
        );
    }
}

#[test]
fn accessibility_scores_conserve_the_capacities_and_can_be_turned_off() {
    let mut s = monaco();
    s.set_params(&ParamUpdate {
        access: Some("2sfca".into()),
        ..ParamUpdate::default()
    })
    .unwrap();
    let v = view(&mut s);
    let access = &v["accessibility"];
    assert_eq!(access["method"], "2sfca");
    // Σ population × score = the capacities (1 each here) of centers anyone reaches.
    let weighted: f64 = residents(&v)
        .iter()
        .map(|r| population(r) * r["properties"]["access_score"].as_f64().unwrap())
        .sum();
    let reached = v["layers"]["centers"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["properties"]["served_population"].as_f64().unwrap() > 0.0)
        .count() as f64;
    assert!(weighted <= access["total_capacity"].as_f64().unwrap() + 1e-6);
    assert!(
        weighted >= reached - 1e-6,
        "{weighted} vs {reached} centers reached"
    );
    assert_eq!(json(s.params_view())["access"], "2sfca");
    let refused = s.set_params(&ParamUpdate {
        access: Some("3sfca".into()),
        ..ParamUpdate::default()
    });
    assert!(refused.unwrap_err().to_string().contains("2sfca or e2sfca"));
    s.set_params(&ParamUpdate {
        access: Some("none".into()),
        ..ParamUpdate::default()
    })
    .unwrap();
    assert!(view(&mut s).get("accessibility").is_none());
    let alone = s.set_params(&ParamUpdate {
        capacity_field: Some("places".into()),
        ..ParamUpdate::default()
    });
    assert!(alone.unwrap_err().to_string().contains("capacityField"));
}

fn options(k: usize) -> OptimizeOptions {
    OptimizeOptions {
        k: Some(k),
        spacing_m: Some(150.0),
        ..OptimizeOptions::default()
    }
}

#[test]
fn plans_fair_to_units_and_by_tier_reach_the_package() {
    let mut s = monaco_with_tiers_and_units(NEIGHBOURHOODS);
    let maximin = OptimizeOptions {
        maximin: Some(true),
        ..options(2)
    };
    let plan = json(s.optimize("mclp", &maximin, &mut |_, _| {}).unwrap());
    let units = &plan["units"];
    assert_eq!(units["units"].as_array().unwrap().len(), 2);
    assert!(units["worst_ratio_after"].as_f64() >= units["worst_ratio_before"].as_f64());
    let both = OptimizeOptions {
        unit_floor: Some(0.5),
        ..maximin
    };
    let refused = s.optimize("mclp", &both, &mut |_, _| {}).unwrap_err();
    assert!(refused.to_string().contains("unitFloor"), "{refused}");

    // A tier plan: its figures are complete coverage, and adding its sites with their
    // tier gives the coverage it promised.
    let tier_plan = OptimizeOptions {
        site_tier: Some("neighbourhood".into()),
        ..options(2)
    };
    let plan = json(s.optimize("mclp", &tier_plan, &mut |_, _| {}).unwrap());
    assert_eq!(plan["site_tier"], "neighbourhood");
    assert_eq!(
        plan["sites"].as_array().unwrap().len(),
        2,
        "{}",
        plan["notes"]
    );
    let before = view(&mut s)["tiers"]["complete_population"].clone();
    assert_eq!(plan["covered_population_before"], before);
    for site in plan["sites"].as_array().unwrap() {
        let [lon, lat] = [0, 1].map(|i| site["lonlat"][i].as_f64().unwrap());
        s.add_center(lon, lat, None, Some("neighbourhood")).unwrap();
    }
    let after = view(&mut s);
    let complete = after["tiers"]["complete_population"].as_f64().unwrap();
    let promised = plan["covered_population_after"].as_f64().unwrap();
    assert!(
        (complete - promised).abs() < 1e-6,
        "{complete} vs {promised}"
    );
    let added = after["layers"]["centers"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["properties"]["added"] == true)
        .unwrap()
        .clone();
    assert_eq!(added["properties"]["tier"], "neighbourhood");
    let unknown = s.add_center(7.42, 43.73, None, Some("castle")).unwrap_err();
    assert!(
        unknown.to_string().contains("unknown tier `castle`"),
        "{unknown}"
    );
}

#[test]
fn a_catalogue_without_rules_needs_the_tier_of_a_new_site() {
    let mut s = monaco();
    let tiers_only = "[[tiers]]\nid = \"neighbourhood\"\nthreshold_min = 5\n";
    s.set_services("tiers.toml", Some(tiers_only)).unwrap();
    let refused = s.add_center(7.42, 43.73, None, None).unwrap_err();
    assert!(refused.to_string().contains("say which tier"), "{refused}");
    assert_eq!(s.centers().iter().filter(|c| c.added).count(), 0);
    s.add_center(7.42, 43.73, None, Some("neighbourhood"))
        .unwrap();
    assert_eq!(s.centers().iter().filter(|c| c.added).count(), 1);
}
