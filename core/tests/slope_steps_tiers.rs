//! Hand-checkable fixtures for slope (Tobler), the wheelchair profile and service tiers.

use std::collections::BTreeMap;

use lifecircle::coverage::{compute_coverage, compute_tier_coverage, ServiceConfig, Threshold};
use lifecircle::features::{PointFeature, RoadLine};
use lifecircle::geodesy::haversine_m;
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::routing::{closed_edges, profile_costs, tobler_factor, WalkCosts, WalkProfile};
use lifecircle::CoverageParams;

/// Searches add whole edges at `f32` precision (a relative 6e-8), so walks of a few
/// hundred metres agree with the exact figures to well under 0.1 mm (1e-6 min).
const MINUTES_TOLERANCE: f64 = 1e-6;

fn road(coords: &[[f64; 2]], z: Option<&[f64]>, highway: &str) -> RoadLine {
    let mut tags = BTreeMap::new();
    tags.insert("highway".to_string(), highway.to_string());
    RoadLine {
        coords: coords.to_vec(),
        elevations_m: z.map(<[f64]>::to_vec),
        osm_node_ids: None,
        tags,
        source_index: 0,
    }
}

fn point(id: &str, lonlat: [f64; 2], props: serde_json::Value) -> PointFeature {
    PointFeature {
        id: id.into(),
        lon: lonlat[0],
        lat: lonlat[1],
        population: 1.0,
        properties: props.as_object().cloned().unwrap_or_default(),
        source_index: 0,
    }
}

fn network(roads: &[RoadLine]) -> WalkNetwork {
    WalkNetwork::from_roads(
        roads,
        &NetworkParams {
            min_component_nodes: 1,
        },
    )
    .unwrap()
}

fn walk_min(
    roads: &[RoadLine],
    costs: &WalkCosts,
    net: &WalkNetwork,
    center: [f64; 2],
    resident: [f64; 2],
    speed_kmh: f64,
) -> (Option<f64>, Option<f64>) {
    let params = CoverageParams::default();
    let _ = roads;
    let costs = costs.clone().with_speed_kmh(speed_kmh);
    let r = compute_coverage(
        net,
        &costs,
        &[point("c", center, serde_json::Value::Null)],
        &[point("r", resident, serde_json::Value::Null)],
        &params,
    )
    .unwrap();
    (r.demand[0].walk_min, r.demand[0].walk_m)
}

/// 10 % grade over two 111.19 m segments (0 → 11.12 → 22.24 m). At 4.8 km/h (80 m/min)
/// flat, Tobler gives uphill 10 %: factor e^0.35 = 1.4191, downhill 10 %: factor
/// e^(3.5·(0.05 − 0.05)) = 1 exactly. So the 222.39 m climb takes 222.39 · 1.4191 / 80 =
/// 3.945 min and the descent 2.780 min, the flat walk time.
#[test]
fn uphill_and_downhill_differ_as_tobler_predicts() {
    let seg = haversine_m([0.0, 0.0], [0.001, 0.0]);
    let rise = 0.1 * seg;
    let roads = [road(
        &[[0.0, 0.0], [0.001, 0.0], [0.002, 0.0]],
        Some(&[0.0, rise, 2.0 * rise]),
        "footway",
    )];
    let net = network(&roads);
    let costs = profile_costs(&net, &WalkProfile::adult(4.8), true);
    let (bottom, top) = ([0.0, 0.0], [0.002, 0.0]);
    let length = 2.0 * seg;
    // Resident at the bottom, center at the top: uphill.
    let (up, up_m) = walk_min(&roads, &costs, &net, top, bottom, 4.8);
    assert!(
        (up.unwrap() - length * 0.35f64.exp() / 80.0).abs() < MINUTES_TOLERANCE,
        "{up:?}"
    );
    assert!((up.unwrap() - 3.945).abs() < 1e-3);
    // walk_m stays the geometric length.
    assert!((up_m.unwrap() - length).abs() < 1e-9);
    // Resident at the top, center at the bottom: downhill at 10 % is as fast as flat.
    let (down, _) = walk_min(&roads, &costs, &net, bottom, top, 4.8);
    assert!(
        (down.unwrap() - length / 80.0).abs() < MINUTES_TOLERANCE,
        "{down:?}"
    );
    // Flat costs ignore the heights.
    let flat = WalkCosts::flat(&net);
    let (flat_up, _) = walk_min(&roads, &flat, &net, top, bottom, 4.8);
    assert!((flat_up.unwrap() - length / 80.0).abs() < MINUTES_TOLERANCE);
}

/// A 5 % descent is Tobler's fastest: factor e^(−0.175) = 0.8395.
#[test]
fn gentle_descent_is_fastest() {
    let seg = haversine_m([0.0, 0.0], [0.001, 0.0]);
    let roads = [road(
        &[[0.0, 0.0], [0.001, 0.0]],
        Some(&[0.05 * seg, 0.0]),
        "path",
    )];
    let net = network(&roads);
    let costs = profile_costs(&net, &WalkProfile::adult(4.8), true);
    let (down, _) = walk_min(&roads, &costs, &net, [0.001, 0.0], [0.0, 0.0], 4.8);
    assert!((down.unwrap() - seg * (-0.175f64).exp() / 80.0).abs() < MINUTES_TOLERANCE);
}

/// A resident snapped inside a segment takes its height by linear interpolation: the
/// first segment is flat, the second climbs 10 %. From the middle of the first segment
/// the walk costs 55.6 m flat + 111.2 m × 1.4191, not a length share of the edge's cost.
#[test]
fn partial_edges_are_costed_per_segment() {
    let seg = haversine_m([0.0, 0.0], [0.001, 0.0]);
    let roads = [road(
        &[[0.0, 0.0], [0.001, 0.0], [0.002, 0.0]],
        Some(&[0.0, 0.0, 0.1 * seg]),
        "footway",
    )];
    let net = network(&roads);
    let costs = profile_costs(&net, &WalkProfile::adult(4.8), true);
    let (t, _) = walk_min(&roads, &costs, &net, [0.002, 0.0], [0.0005, 0.0], 4.8);
    let expected = (seg / 2.0 + seg * 0.35f64.exp()) / 80.0;
    assert!((t.unwrap() - expected).abs() < 1e-6, "{t:?} vs {expected}");
}

/// Steps straight to the center (222 m) or a level detour round three sides of a
/// rectangle (444.8 m). Adults take the steps; the wheelchair profile goes round.
#[test]
fn wheelchair_profile_routes_around_steps() {
    let roads = [
        road(&[[0.0, 0.0], [0.002, 0.0]], None, "steps"),
        road(
            &[[0.0, 0.0], [0.0, 0.001], [0.002, 0.001], [0.002, 0.0]],
            None,
            "footway",
        ),
    ];
    let net = network(&roads);
    let direct = haversine_m([0.0, 0.0], [0.002, 0.0]);
    let detour =
        2.0 * haversine_m([0.0, 0.0], [0.0, 0.001]) + haversine_m([0.0, 0.001], [0.002, 0.001]);
    let (c, r) = ([0.002, 0.0], [0.0, 0.0]);
    let adult = profile_costs(&net, &WalkProfile::adult(4.8), false);
    let (t, m) = walk_min(&roads, &adult, &net, c, r, 4.8);
    assert!(
        (m.unwrap() - direct).abs() < 1e-4
            && (t.unwrap() - direct / 80.0).abs() < MINUTES_TOLERANCE
    );
    let chair = profile_costs(&net, &WalkProfile::wheelchair(4.8), false);
    let (t, m) = walk_min(&roads, &chair, &net, c, r, 4.8);
    assert!((m.unwrap() - detour).abs() < 1e-4, "{m:?}");
    assert!((t.unwrap() - detour / 80.0).abs() < MINUTES_TOLERANCE);
    // Older people take the steps, at 3.3 km/h (55 m/min).
    let older = profile_costs(&net, &WalkProfile::older(), false);
    let (t, _) = walk_min(&roads, &older, &net, c, r, 3.3);
    assert!((t.unwrap() - direct / 55.0).abs() < MINUTES_TOLERANCE);
}

/// The road tags the profiles read (steps, bridges and tunnels) are taken in when
/// the network is built: costs come out right after the lines are released, as the
/// CLI and the viewer do. A bridge takes one even grade between its ends, whatever
/// the ground below it does; `bridge=no` follows the ground.
#[test]
fn profiles_read_road_tags_when_the_network_is_built() {
    let tagged = |highway: &str, tags: &[(&str, &str)]| {
        let mut line = road(
            &[[0.0, 0.0], [0.0005, 0.0], [0.001, 0.0]],
            Some(&[4.0, -6.0, 9.0]),
            highway,
        );
        for (k, v) in tags {
            line.tags.insert((*k).into(), (*v).into());
        }
        line
    };
    let released_network = |line: RoadLine| {
        let mut layer = lifecircle::features::RoadLayer {
            lines: vec![line],
            skipped: Default::default(),
            crs: None,
        };
        let net = network(&layer.lines);
        layer.release_after_build();
        assert!(layer.lines[0].coords.is_empty() && layer.lines[0].tags.is_empty());
        net
    };
    let edge = lifecircle::network::EdgeId(0);
    let length = 2.0 * haversine_m([0.0, 0.0], [0.0005, 0.0]);
    let even = length * tobler_factor(5.0 / length);
    let adult = WalkProfile::adult(4.8);
    for (tags, even_grade) in [
        (&[("bridge", "yes")][..], true),
        (&[("tunnel", "culvert"), ("name", "Low Road")][..], true),
        (&[("bridge", "no")][..], false),
        (&[][..], false),
    ] {
        let net = released_network(tagged("footway", tags));
        let cost = profile_costs(&net, &adult, true).forward_m(edge);
        assert_eq!(
            (cost - even).abs() < 1e-9,
            even_grade,
            "{tags:?}: {cost} vs {even}"
        );
    }
    let steps = released_network(tagged("steps", &[]));
    for (profile, closed) in [(adult, (0, 0)), (WalkProfile::wheelchair(4.8), (1, 0))] {
        let costs = profile_costs(&steps, &profile, false);
        assert_eq!(
            closed_edges(&steps, &profile, &costs),
            closed,
            "{}",
            profile.name
        );
        assert_eq!(costs.forward_m(edge).is_infinite(), closed.0 == 1);
    }
}

/// A 10 % ramp is steeper than the 1:12 the wheelchair profile accepts: closed, so the
/// resident has no path when it is the only way.
#[test]
fn wheelchair_profile_closes_slopes_steeper_than_one_in_twelve() {
    let seg = haversine_m([0.0, 0.0], [0.001, 0.0]);
    for (grade, open) in [(0.10, false), (0.08, true)] {
        let roads = [road(
            &[[0.0, 0.0], [0.001, 0.0]],
            Some(&[0.0, grade * seg]),
            "footway",
        )];
        let net = network(&roads);
        let chair = profile_costs(&net, &WalkProfile::wheelchair(4.8), true);
        let (t, _) = walk_min(&roads, &chair, &net, [0.001, 0.0], [0.0, 0.0], 4.8);
        assert_eq!(t.is_some(), open, "grade {grade}");
    }
}

fn tier_config(stands_in: bool) -> ServiceConfig {
    let text = format!(
        r#"
[[tiers]]
id = "district"
threshold_min = 15
stands_in_for = [{}]

[[tiers]]
id = "neighbourhood"
threshold_min = 5

[[services]]
id = "legal_advice"
tier = "district"

[[services]]
id = "reading_room"
tier = "neighbourhood"
"#,
        if stands_in { "\"neighbourhood\"" } else { "" }
    );
    ServiceConfig::parse("test.toml", &text).unwrap()
}

/// One street: the resident at 0, a district center offering legal advice *and* a
/// reading room 111 m away (1.4 min), a neighbourhood center with a reading room 1.1 km
/// away (13.9 min). The reading room is a neighbourhood-tier service (5 min): the
/// district center's does not count, so the resident is not covered for it, until the
/// config says the district tier stands in for the neighbourhood tier.
#[test]
fn higher_tier_does_not_cover_a_lower_tier_service() {
    let roads = [road(
        &[[0.0, 0.0], [0.001, 0.0], [0.01, 0.0]],
        None,
        "footway",
    )];
    let net = network(&roads);
    let costs = WalkCosts::flat(&net);
    let centers = [
        point(
            "D",
            [0.001, 0.0],
            serde_json::json!({"tier": "district", "services": ["legal_advice", "reading_room"]}),
        ),
        point(
            "N",
            [0.01, 0.0],
            serde_json::json!({"tier": "neighbourhood", "services": "reading_room"}),
        ),
    ];
    let demand = [point("r", [0.0, 0.0], serde_json::Value::Null)];
    let params = CoverageParams::default();
    let t = compute_tier_coverage(
        &net,
        &costs,
        &centers,
        &demand,
        &params,
        &tier_config(false),
    )
    .unwrap();
    let legal = &t.services[0];
    let reading = &t.services[1];
    assert!(legal.covered[0] && legal.nearest_center[0] == Some(lifecircle::CenterId(0)));
    assert!(!reading.covered[0]);
    assert_eq!(reading.nearest_center[0], Some(lifecircle::CenterId(1)));
    assert!(
        (reading.walk_min[0].unwrap() - haversine_m([0.0, 0.0], [0.01, 0.0]) / 80.0).abs()
            < MINUTES_TOLERANCE
    );
    assert_eq!(reading.threshold_min, 5.0);
    assert!(!t.complete[0]);
    assert_eq!(t.missing_services(0), vec!["reading_room"]);
    // Per tier: the district tier is within 15 min, the neighbourhood tier is not.
    assert!(t.tiers[0].covered[0] && !t.tiers[1].covered[0]);

    let t = compute_tier_coverage(&net, &costs, &centers, &demand, &params, &tier_config(true))
        .unwrap();
    assert!(
        t.services[1].covered[0]
            && t.services[1].nearest_center[0] == Some(lifecircle::CenterId(0))
    );
    assert!(t.tiers[1].covered[0] && t.complete[0]);
    assert_eq!(t.complete_ratio, 1.0);
}

#[test]
fn bad_configs_give_clear_errors() {
    let err = |text: &str| {
        ServiceConfig::parse("bad.toml", text)
            .unwrap_err()
            .to_string()
    };
    let e = err("[[tiers]]\nid = \"a\"\nthreshold_min = -5\n");
    assert!(
        e.contains("threshold_min of tier `a` must be a positive number of minutes, got -5"),
        "{e}"
    );
    let e =
        err("[[tiers]]\nid = \"a\"\nthreshold_min = 5\n[[services]]\nid = \"s\"\ntier = \"b\"\n");
    assert!(
        e.contains("service `s` names unknown tier `b` (tiers: a)"),
        "{e}"
    );
    let e = err("[[tiers]]\nid = \"a\"\nthreshold_min = 5\nstands_in_for = [\"z\"]\n");
    assert!(e.contains("tier `a` stands in for unknown tier `z`"), "{e}");
    let e = err("[[tiers]]\nid = \"a\"\nthreshold = 5\n");
    assert!(e.starts_with("bad.toml: cannot read input:"), "{e}");
    let e = err("{\"tiers\": [{\"id\": \"a\", \"threshold_min\": 0}]}");
    assert!(e.contains("must be a positive number"), "{e}");

    // Centers that do not match the config.
    let roads = [road(&[[0.0, 0.0], [0.001, 0.0]], None, "footway")];
    let net = network(&roads);
    let costs = WalkCosts::flat(&net);
    let config = tier_config(false);
    let run = |props: serde_json::Value| {
        compute_tier_coverage(
            &net,
            &costs,
            &[point("c7", [0.0, 0.0], props)],
            &[],
            &CoverageParams::default(),
            &config,
        )
        .unwrap_err()
        .to_string()
    };
    let e = run(serde_json::json!({"tier": "province"}));
    assert_eq!(
        e,
        "centers: feature 0: center `c7`: unknown tier `province` (tiers: district, neighbourhood)"
    );
    let e = run(serde_json::json!({"tier": "district", "services": "legal_advice; karaoke"}));
    assert_eq!(
        e,
        "centers: feature 0: center `c7`: service `karaoke` is not in the catalogue"
    );
    let e = run(serde_json::json!({}));
    assert!(e.contains("has no `tier` property"), "{e}");
}

#[test]
fn gb50180_preset_has_the_standards_distances_and_a_minutes_variant() {
    // GB 50180-2018 Table 3.0.4: 800–1,000 m, 500 m, 300 m; the block level below.
    let c = ServiceConfig::preset("gb50180").unwrap();
    let t: Vec<Threshold> = c
        .tiers
        .iter()
        .map(lifecircle::coverage::TierSpec::threshold)
        .collect();
    let ids: Vec<&str> = c.tiers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["15min", "10min", "5min", "block"]);
    assert_eq!(
        t,
        [1000.0, 500.0, 300.0, 200.0]
            .map(Threshold::Metres)
            .to_vec()
    );
    assert!(c.tiers.iter().all(|t| t.stands_in_for.is_empty()));
    let m = ServiceConfig::preset("gb50180-minutes").unwrap();
    let t: Vec<Threshold> = m
        .tiers
        .iter()
        .map(lifecircle::coverage::TierSpec::threshold)
        .collect();
    assert_eq!(t, [15.0, 10.0, 5.0, 2.5].map(Threshold::Minutes).to_vec());
    // The same facilities in both.
    let services = |c: &ServiceConfig| {
        c.services
            .iter()
            .map(|s| (s.id.clone(), s.tier.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(services(&c), services(&m));
    assert!(ServiceConfig::preset("nope").is_err());
}
