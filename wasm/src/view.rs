//! What the page sees: the core's results rendered as JSON, with the same figures and
//! GeoJSON layers as the CLI's output files.

use lifecircle::input::{PointFeature, ReportingUnit, RoadLine};
use lifecircle::output::{
    demand_geojson, gaps_geojson, network_geojson, round_to, service_areas_geojson, units_geojson,
    FeatureCollectionWriter,
};
use lifecircle::{
    find_gaps, network_reach, service_areas, summarize, Candidate, CandidateGain, PlanProgress,
    PlanStage, Planner, SiteChange, TierCoverage, WalkCosts, WalkNetwork,
};
use serde_json::{json, Map, Value};

use crate::session::{Center, CenterInfo, Scenario};

/// Gap rows listed in the view (the page's gaps table); the layer holds them all.
const GAP_ROWS: usize = 200;

fn ratio(part: f64, total: f64) -> f64 {
    if total > 0.0 {
        part / total
    } else {
        0.0
    }
}

/// `[west, south, east, north]` of the road vertices (zeros when there are none).
pub(crate) fn line_bounds(lines: &[RoadLine]) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in lines.iter().flat_map(|l| &l.coords) {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    if b[0].is_finite() {
        b
    } else {
        [0.0; 4]
    }
}

fn property_text(point: &PointFeature, key: &str) -> Option<String> {
    point.properties.get(key).map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// A center for `model.centers()`.
pub fn center_info(c: &Center) -> CenterInfo {
    CenterInfo {
        id: c.key.clone(),
        name: property_text(&c.point, "name").unwrap_or_else(|| c.point.id.clone()),
        lon: c.point.lon,
        lat: c.point.lat,
        tier: property_text(&c.point, "tier"),
        added: c.added,
        removed: c.removed,
    }
}

/// Every center, open or closed, with what it serves when open.
fn centers_geojson(centers: &[Center], scenario: &Scenario, served: &[(f64, usize)]) -> String {
    let mut w = FeatureCollectionWriter::new();
    for c in centers {
        let info = center_info(c);
        let mut p = Map::new();
        p.insert("id".into(), json!(info.id));
        p.insert("name".into(), json!(info.name));
        p.insert("tier".into(), json!(info.tier));
        p.insert("added".into(), json!(info.added));
        p.insert("removed".into(), json!(info.removed));
        let open = scenario.open_keys.iter().position(|k| *k == c.key);
        let (population, residents) = open.map_or((0.0, 0), |i| served[i]);
        p.insert("served_population".into(), json!(round_to(population, 3)));
        p.insert("served_residents".into(), json!(residents));
        w.push(
            json!({"type": "Point", "coordinates": [c.point.lon, c.point.lat]}),
            p,
        );
    }
    w.finish()
}

/// What a coverage view is made of.
pub struct ViewInputs<'a> {
    /// The walking network.
    pub network: &'a WalkNetwork,
    /// `[west, south, east, north]` of its road lines.
    pub bounds: [f64; 4],
    /// The costs of the profile in force.
    pub costs: &'a WalkCosts,
    /// The scenario's result.
    pub scenario: &'a Scenario,
    /// Every center, closed ones included.
    pub centers: &'a [Center],
    /// Residents.
    pub demand: &'a [PointFeature],
    /// Reporting units (may be empty).
    pub units: &'a [ReportingUnit],
    /// Tier and service coverage, when a config is set.
    pub tiers: Option<&'a TierCoverage>,
}

/// The `CoverageView` JSON text of the current scenario. Without `with_service_areas`
/// the `serviceAreas` layer is left out (it is the costliest to trace; see
/// [`service_areas_view`]).
pub fn coverage_view(inputs: &ViewInputs<'_>, with_service_areas: bool) -> String {
    let &ViewInputs {
        network,
        bounds,
        costs,
        scenario,
        centers,
        demand,
        units,
        tiers,
    } = inputs;
    let result = &scenario.result;
    let open = &scenario.open_centers;
    let summary = summarize(result, open, demand, units);
    let gaps = find_gaps(network, result, demand);
    let reach = network_reach(network, costs, result);
    let served: Vec<(f64, usize)> = summary
        .per_center
        .iter()
        .map(|c| (c.served_population, c.served_residents))
        .collect();
    let gap_rows: Vec<Value> = gaps
        .iter()
        .take(GAP_ROWS)
        .map(|g| {
            json!({
                "rank": g.rank,
                "population": g.population,
                "residents": g.residents,
                "unreachable_population": g.unreachable_population,
                "mean_walk_min": g.mean_walk_min,
                "max_walk_min": g.max_walk_min,
                "centroid": g.centroid_lonlat,
            })
        })
        .collect();
    let head = json!({
        "summary": summary,
        "network": network.stats(),
        "gapCount": gaps.len(),
        "gapPopulation": gaps.iter().map(|g| g.population).sum::<f64>(),
        "largestGap": gap_rows.first(),
        "gaps": gap_rows,
        "bounds": bounds,
        "thresholdMin": result.params.threshold_min,
        "speedKmh": result.params.speed_kmh,
        "tiers": tiers,
    });
    // The layers are already JSON text: splice them in rather than re-parse them.
    let head = head.to_string();
    let areas = if with_service_areas {
        format!(
            ",\"serviceAreas\":{}",
            service_areas_view(network, costs, scenario, demand)
        )
    } else {
        String::new()
    };
    let units_layer = if units.is_empty() {
        String::new()
    } else {
        format!(",\"units\":{}", units_geojson(units, &summary.per_unit))
    };
    let layers = format!(
        "{{\"network\":{},\"demand\":{},\"gaps\":{}{areas}{units_layer},\"centers\":{}}}",
        network_geojson(&reach),
        demand_geojson(demand, open, result),
        gaps_geojson(&gaps),
        centers_geojson(centers, scenario, &served),
    );
    format!("{},\"layers\":{layers}}}", &head[..head.len() - 1])
}

/// The service areas of the open centers as GeoJSON text.
pub fn service_areas_view(
    network: &WalkNetwork,
    costs: &WalkCosts,
    scenario: &Scenario,
    demand: &[PointFeature],
) -> String {
    let areas = service_areas(
        network,
        costs,
        &scenario.result,
        &scenario.open_centers,
        demand,
    );
    service_areas_geojson(&areas)
}

/// A what-if answer with coverage ratios before and after.
pub fn site_change_json(change: &SiteChange, total_population: f64, snapped: bool) -> Value {
    let mut v = serde_json::to_value(change).unwrap_or(Value::Null);
    v["coverage_ratio_before"] = json!(ratio(change.covered_population_before, total_population));
    v["coverage_ratio_after"] = json!(ratio(change.covered_population_after, total_population));
    v["total_population"] = json!(total_population);
    v["snapped"] = json!(snapped);
    v
}

/// The answer for a site that cannot join the network: nothing changes.
pub fn no_change_json(planner: &Planner<'_>) -> Value {
    let covered = planner.covered_population();
    let change = SiteChange {
        covered_population_before: covered,
        covered_population_after: covered,
        ..SiteChange::default()
    };
    site_change_json(&change, planner.total_population(), false)
}

/// One ranked candidate.
pub fn candidate_gain_json(gain: &CandidateGain, candidate: &Candidate) -> Value {
    json!({
        "id": candidate.id,
        "lon": candidate.lonlat[0],
        "lat": candidate.lonlat[1],
        "rank": gain.rank,
        "snapped": gain.snapped,
        "covered_population_gain": gain.covered_population_gain,
        "newly_covered_residents": gain.newly_covered_residents,
        "shorter_walk_population": gain.shorter_walk_population,
        "walk_minutes_saved": gain.walk_minutes_saved,
    })
}

/// Overall progress in `[0, 1)` and a stage name: the candidate searches are most of the
/// work, the greedy picks, swaps or the integer program the rest.
pub fn progress_fraction(p: &PlanProgress) -> (f64, &'static str) {
    let part = if p.total > 0 {
        (p.done as f64 / p.total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    match p.stage {
        PlanStage::Candidates => (0.8 * part, "candidates"),
        PlanStage::Greedy => (0.8 + 0.1 * part, "greedy"),
        PlanStage::Swap => (0.9 + 0.09 * part, "swap"),
        PlanStage::Exact => (0.8 + 0.19 * part, "exact"),
    }
}
