//! Thresholds as walking distances (GB 50180-2018's rule) beside walking times, checked
//! by hand on one straight street along the equator: nodes every 0.001° (111.19 m), the
//! center at its west end, residents on the street 278, 445 and 556 m east of it.

use std::collections::BTreeMap;

use lifecircle::coverage::{ServiceConfig, Threshold};
use lifecircle::features::{PointFeature, RoadLine};
use lifecircle::geodesy::haversine_m;
use lifecircle::study::ServicesSource;
use lifecircle::{Layer, Layers, Study, StudyParams};

const RESIDENT_LONS: [f64; 3] = [0.0025, 0.0040, 0.0050];

/// The street, climbing `grade` (rise over run) eastwards when given (negative: down).
fn street(grade: Option<f64>) -> RoadLine {
    let coords: Vec<[f64; 2]> = (0..=10).map(|i| [f64::from(i) * 0.001, 0.0]).collect();
    let elevations_m = grade.map(|g| {
        coords
            .iter()
            .map(|c| g * haversine_m([0.0, 0.0], *c))
            .collect()
    });
    let mut tags = BTreeMap::new();
    tags.insert("highway".to_string(), "footway".to_string());
    RoadLine {
        coords,
        elevations_m,
        osm_node_ids: None,
        tags,
        source_index: 0,
    }
}

fn layers(grade: Option<f64>, center_tier: Option<&str>) -> Layers {
    let mut center = PointFeature::new("c", 0.0, 0.0);
    if let Some(t) = center_tier {
        center.properties.insert("tier".into(), t.into());
    }
    let residents: Vec<PointFeature> = RESIDENT_LONS
        .iter()
        .enumerate()
        .map(|(i, &lon)| PointFeature::new(format!("r{i}"), lon, 0.0).with_population(1.0))
        .collect();
    Layers {
        roads: Layer::new(vec![street(grade)].into(), "roads"),
        centers: Layer::new(vec![center].into(), "centers"),
        demand: Layer::new(residents.into(), "residents"),
        units: None,
    }
}

fn params(threshold: Threshold) -> StudyParams {
    let mut p = StudyParams::default();
    p.network.min_component_nodes = 1;
    p.coverage = p.coverage.with_threshold(threshold);
    p
}

fn covered(study: &Study) -> Vec<bool> {
    study.result().demand.iter().map(|d| d.covered).collect()
}

fn distance_m(lon: f64) -> f64 {
    haversine_m([0.0, 0.0], [lon, 0.0])
}

#[test]
fn a_distance_threshold_covers_the_walks_up_to_it() {
    assert!((distance_m(0.0040) - 444.8).abs() < 0.1);
    let study = Study::new(layers(None, None), params(Threshold::Metres(500.0))).unwrap();
    assert_eq!(covered(&study), [true, true, false]);
    assert_eq!(study.summary().covered_population, 2.0);
    for (d, lon) in study.result().demand.iter().zip(RESIDENT_LONS) {
        assert!((d.walk_m.unwrap() - distance_m(lon)).abs() < 1e-3);
    }
    // 500 m is 6.25 minutes at 80 m/min: the same run, to the byte of every walk.
    let minutes = Study::new(layers(None, None), params(Threshold::Minutes(6.25))).unwrap();
    assert_eq!(covered(&minutes), covered(&study));
    assert_eq!(minutes.result().demand, study.result().demand);
    assert_eq!(study.threshold_min(), 6.25);
    // The standard's 300 m reaches only the nearest.
    let short = Study::new(layers(None, None), params(Threshold::Metres(300.0))).unwrap();
    assert_eq!(covered(&short), [true, false, false]);
}

#[test]
fn a_distance_is_the_same_for_a_slower_walker_a_time_is_not() {
    let mut p = params(Threshold::Metres(500.0));
    p.profile = "older".into();
    let older = Study::new(layers(None, None), p).unwrap();
    assert_eq!(covered(&older), [true, true, false]);
    // 6.25 minutes at 3.3 km/h (55 m/min) is 343.75 m: only the nearest.
    let mut p = params(Threshold::Minutes(6.25));
    p.profile = "older".into();
    let older_time = Study::new(layers(None, None), p).unwrap();
    assert_eq!(covered(&older_time), [true, false, false]);
    // The profiles side by side under the distance rule agree.
    let study = Study::new(layers(None, None), params(Threshold::Metres(500.0))).unwrap();
    let profiles = study.analysis().unwrap().profiles;
    let by_name: Vec<(&str, f64)> = profiles
        .iter()
        .map(|r| (r.profile.as_str(), r.covered_population))
        .collect();
    assert_eq!(
        by_name,
        [("adult", 2.0), ("older", 2.0), ("wheelchair", 2.0)]
    );
}

#[test]
fn slope_changes_times_not_distances_but_still_closes_what_a_wheelchair_cannot_climb() {
    // The center on top of a 10 % slope: residents walk up to it, Tobler's factor
    // e^(3.5·0.15 − 0.175) = 1.419. 445 m take 631 flat-equivalent metres, beyond 6.25
    // minutes (500 m); 278 m take 395.
    let mut time = params(Threshold::Minutes(6.25));
    time.slope = true;
    let time = Study::new(layers(Some(-0.1), None), time).unwrap();
    assert_eq!(covered(&time), [true, false, false]);
    let mut distance = params(Threshold::Metres(500.0));
    distance.slope = true;
    let distance = Study::new(layers(Some(-0.1), None), distance).unwrap();
    assert_eq!(covered(&distance), [true, true, false]);
    let walk_m =
        |s: &Study| -> Vec<Option<f64>> { s.result().demand.iter().map(|d| d.walk_m).collect() };
    assert_eq!(walk_m(&distance), walk_m(&time));
    // 10 % is steeper than a wheelchair's 1:12: closed under both rules.
    let mut chair = params(Threshold::Metres(500.0));
    chair.slope = true;
    chair.profile = "wheelchair".into();
    let chair = Study::new(layers(Some(-0.1), None), chair).unwrap();
    assert_eq!(covered(&chair), [false, false, false]);
    assert!(chair.result().demand.iter().all(|d| d.walk_m.is_none()));
}

fn catalogue(text: &str) -> ServicesSource {
    ServicesSource {
        config: ServiceConfig::parse("tiers.toml", text).unwrap(),
        source: "tiers.toml".into(),
    }
}

const MIXED: &str = r#"
[[tiers]]
id = "near"
threshold_m = 300
[[tiers]]
id = "far"
threshold_min = 10
stands_in_for = ["near"]
"#;

#[test]
fn tiers_in_metres_and_minutes_mix_on_the_flat_and_are_refused_together_with_slope() {
    let mut p = params(Threshold::Minutes(10.0));
    p.services = Some(catalogue(MIXED));
    let study = Study::new(layers(None, Some("far")), p.clone()).unwrap();
    let tiers = study.analysis().unwrap().tiers.unwrap();
    let near = &tiers.tiers[0];
    assert_eq!(near.threshold(), Threshold::Metres(300.0));
    assert_eq!(near.threshold_min, 300.0 / 80.0);
    assert_eq!(near.covered, [true, false, false]);
    let far = &tiers.tiers[1];
    assert_eq!(far.threshold(), Threshold::Minutes(10.0));
    assert_eq!(far.threshold_m, None);
    assert_eq!(far.covered, [true, true, true]);
    assert_eq!(tiers.complete, [true, false, false]);

    p.slope = true;
    let err = Study::new(layers(Some(0.0), Some("far")), p)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("tier `near` of tiers.toml has 300 m")
            && err.contains("slope changes walking times, not distances"),
        "{err}"
    );
}

#[test]
fn bad_distance_thresholds_are_named() {
    for (m, want) in [
        (0.0, "must be a positive number of metres"),
        (-5.0, "must be a positive number of metres"),
        (f64::NAN, "must be a positive number of metres"),
        (
            20_000.0,
            "more than the longest walk accepted (14400 metres)",
        ),
    ] {
        let err = Study::new(layers(None, None), params(Threshold::Metres(m)))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("threshold_m") && err.contains(want),
            "{m}: {err}"
        );
    }
    for (text, want) in [
        (
            "[[tiers]]\nid = \"t\"\nthreshold_min = 5\nthreshold_m = 300\n",
            "tier `t` gives both threshold_min and threshold_m",
        ),
        (
            "[[tiers]]\nid = \"t\"\n",
            "tier `t` needs a threshold: threshold_min (minutes) or threshold_m (metres)",
        ),
        (
            "[[tiers]]\nid = \"t\"\nthreshold_m = 0\n",
            "threshold_m of tier `t` must be a positive number of metres",
        ),
        (
            "[[tiers]]\nid = \"t\"\nthreshold_m = 300\n[[services]]\nid = \"s\"\n",
            "service `s` needs a tier or its own threshold_min or threshold_m",
        ),
    ] {
        let err = ServiceConfig::parse("x.toml", text)
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{text}: {err}");
    }
}
