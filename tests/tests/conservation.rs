//! Conservation on real data: every input resident is accounted for in the output.
//!
//! For each bundled OSM extract, every element matching the demand filter (counted here
//! independently with `osmpbf`) is either a resident point or counted under a skip reason;
//! every resident is covered, uncovered, too far from the network or without a path; and
//! the populations add up the same way.

mod common;

use common::data;
use lifecircle::coverage::{compute_coverage, summarize, DemandStatus};
use lifecircle::features::SkipCounts;
use lifecircle::input::{PopulationEstimate, TagFilter};
use lifecircle::network::{NetworkParams, WalkNetwork};
use lifecircle::routing::WalkCosts;
use lifecircle::CoverageParams;
use lifecircle::{read_points, read_roads, ReadOptions};
use osmpbf::{Element, ElementReader};

const CENTERS: &str = "amenity=community_centre|social_centre|library|townhall|social_facility";

/// Elements with a `building` tag other than `building=no`, counted without the engine.
fn count_buildings(pbf: &[u8]) -> usize {
    let mut count = 0;
    ElementReader::new(pbf)
        .for_each(|element| {
            let mut tags: Box<dyn Iterator<Item = (&str, &str)>> = match &element {
                Element::Node(n) => Box::new(n.tags()),
                Element::DenseNode(n) => Box::new(n.tags()),
                Element::Way(w) => Box::new(w.tags()),
                Element::Relation(r) => Box::new(r.tags()),
            };
            if tags.any(|(k, v)| k == "building" && v != "no") {
                count += 1;
            }
        })
        .unwrap();
    count
}

/// Skip-count keys that annotate a kept point rather than drop a feature.
fn is_note(reason: &str) -> bool {
    reason.starts_with("renamed:")
        || reason.starts_with("defaulted:")
        || reason.starts_with("multipolygon not assembled")
}

fn dropped(skipped: &SkipCounts) -> usize {
    skipped
        .0
        .iter()
        .filter(|(reason, _)| !is_note(reason))
        .map(|(_, n)| n)
        .sum()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn check(name: &str, population: PopulationEstimate) {
    let pbf = data(name);
    let roads = read_roads(name, &pbf, &ReadOptions::default()).unwrap();
    let by_tag = |filter: &str, population: &PopulationEstimate| {
        ReadOptions::default().osm(TagFilter::parse(filter).unwrap(), population.clone())
    };
    let centers = read_points(name, &pbf, &by_tag(CENTERS, &PopulationEstimate::One)).unwrap();
    let demand = read_points(name, &pbf, &by_tag("building", &population)).unwrap();

    // Every building read, or counted as skipped with a reason.
    let buildings = count_buildings(&pbf);
    assert!(buildings > 100, "{name}: {buildings}");
    assert_eq!(
        demand.points.len() + dropped(&demand.skipped),
        buildings,
        "{name}: skipped {:?}",
        demand.skipped
    );

    let network = WalkNetwork::from_roads(&roads.lines, &NetworkParams::default()).unwrap();
    let costs = WalkCosts::flat(&network);
    let params = CoverageParams::default();
    let result =
        compute_coverage(&network, &costs, &centers.points, &demand.points, &params).unwrap();
    let s = summarize(&result, &centers.points, &demand.points, &[]);

    // Residents in = covered + uncovered + too far + no path.
    assert_eq!(s.residents, demand.points.len());
    assert_eq!(result.demand.len(), demand.points.len());
    assert_eq!(
        s.residents_covered
            + s.residents_uncovered_reachable
            + s.residents_too_far_from_network
            + s.residents_no_path,
        s.residents,
        "{name}"
    );
    // The same by recount from the per-resident results.
    let by_status =
        |status: DemandStatus| result.demand.iter().filter(|d| d.status == status).count();
    assert_eq!(
        by_status(DemandStatus::TooFarFromNetwork),
        s.residents_too_far_from_network
    );
    assert_eq!(by_status(DemandStatus::NoPath), s.residents_no_path);
    assert_eq!(
        result.demand.iter().filter(|d| d.covered).count(),
        s.residents_covered
    );
    for d in &result.demand {
        assert_eq!(d.walk_min.is_some(), d.status == DemandStatus::Ok);
        assert!(!d.covered || d.status == DemandStatus::Ok);
    }

    // Populations add up.
    let total: f64 = demand.points.iter().map(|p| p.population).sum();
    assert!(close(s.total_population, total), "{name}");
    assert!(
        close(
            s.covered_population
                + s.uncovered_reachable_population
                + s.too_far_from_network_population
                + s.no_path_population,
            s.total_population
        ),
        "{name}: {s:?}"
    );
    let histogram: usize = s.histogram.iter().map(|b| b.residents).sum();
    assert_eq!(
        histogram,
        s.residents_covered + s.residents_uncovered_reachable
    );
    let served: f64 = s.per_center.iter().map(|c| c.served_population).sum();
    assert!(close(served, s.covered_population), "{name}");
    let nearest: f64 = s.per_center.iter().map(|c| c.nearest_population).sum();
    assert!(
        close(
            nearest,
            s.covered_population + s.uncovered_reachable_population
        ),
        "{name}"
    );
    assert!(s.covered_population > 0.0, "{name}");
}

#[test]
fn monaco_accounts_for_every_building() {
    check("monaco.osm.pbf", PopulationEstimate::One);
}

#[test]
fn helsinki_accounts_for_every_building_and_floor_area_population() {
    check(
        "helsinki_center.osm.pbf",
        PopulationEstimate::FloorArea {
            m2_per_person: 30.0,
        },
    );
}

#[test]
fn isle_of_man_accounts_for_every_building() {
    check("isle_of_man.osm.pbf", PopulationEstimate::One);
}
