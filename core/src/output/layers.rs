//! GeoJSON layers of a coverage run.

use serde_json::{json, Map, Value};

use super::feature_collection::{
    line_geometry, multipolygon_geometry, point_geometry, position, round_to,
    FeatureCollectionWriter,
};
use crate::coverage::{CoverageResult, GapArea, ReachPiece, ServiceArea, UnitSummary};
use crate::input::{PointFeature, ReportingUnit};

/// `demand.geojson`: one Point per resident with `id`, `population`, `walk_m` (null when
/// there is no walk), `walk_min`, `nearest_center` (center id), `covered`, `status` and
/// `access_m` (straight-line distance to the network; null when too far).
pub fn demand_geojson(
    demand: &[PointFeature],
    centers: &[PointFeature],
    result: &CoverageResult,
) -> String {
    demand_geojson_with(demand, centers, result, |_, _| {})
}

/// [`demand_geojson`] with extra properties: `extra(i, properties)` may append to the
/// properties of resident `i` (tiers, services, profiles, slope) after the standard ones.
pub fn demand_geojson_with(
    demand: &[PointFeature],
    centers: &[PointFeature],
    result: &CoverageResult,
    mut extra: impl FnMut(usize, &mut Map<String, Value>),
) -> String {
    let mut w = FeatureCollectionWriter::new();
    for (i, (point, r)) in demand.iter().zip(&result.demand).enumerate() {
        let mut p = Map::new();
        p.insert("id".into(), json!(point.id));
        p.insert("population".into(), json!(point.population));
        p.insert("walk_m".into(), opt(r.walk_m, 2));
        p.insert("walk_min".into(), opt(r.walk_min, 3));
        p.insert(
            "nearest_center".into(),
            r.nearest_center
                .map_or(Value::Null, |c| json!(centers[c].id)),
        );
        p.insert("covered".into(), json!(r.covered));
        p.insert("status".into(), json!(r.status.as_str()));
        p.insert("access_m".into(), opt(r.snap.map(|s| s.access_m), 2));
        extra(i, &mut p);
        w.push(point_geometry([point.lon, point.lat]), p);
    }
    w.finish()
}

pub(crate) fn opt(x: Option<f64>, decimals: i32) -> Value {
    x.map_or(Value::Null, |v| json!(round_to(v, decimals)))
}

/// `gaps.geojson`: one Polygon per gap area, largest population first, with `rank`,
/// `population`, `residents`, `unreachable_population`, `mean_walk_min`, `max_walk_min`
/// and `centroid` (`[lon, lat]`).
pub fn gaps_geojson(gaps: &[GapArea]) -> String {
    let mut w = FeatureCollectionWriter::new();
    for g in gaps {
        let mut p = Map::new();
        p.insert("rank".into(), json!(g.rank));
        p.insert("population".into(), json!(round_to(g.population, 3)));
        p.insert("residents".into(), json!(g.residents));
        p.insert(
            "unreachable_population".into(),
            json!(round_to(g.unreachable_population, 3)),
        );
        p.insert("mean_walk_min".into(), opt(g.mean_walk_min, 3));
        p.insert("max_walk_min".into(), opt(g.max_walk_min, 3));
        p.insert("centroid".into(), position(g.centroid_lonlat));
        let polygon = geo::MultiPolygon(vec![g.polygon.clone()]);
        w.push(multipolygon_geometry(&polygon), p);
    }
    w.finish()
}

/// `network.geojson`: every eligible edge split where the walk time crosses the
/// threshold, as LineStrings with `edge`, `covered`, `walk_min_start`, `walk_min_end`
/// (minutes to the nearest center at the piece's two ends; null where unreachable).
pub fn network_geojson(pieces: &[ReachPiece]) -> String {
    let mut w = FeatureCollectionWriter::new();
    for piece in pieces {
        let mut p = Map::new();
        p.insert("edge".into(), json!(piece.edge.0));
        p.insert("covered".into(), json!(piece.covered));
        p.insert("walk_min_start".into(), opt(piece.walk_min_start, 3));
        p.insert("walk_min_end".into(), opt(piece.walk_min_end, 3));
        w.push(line_geometry(&piece.coords), p);
    }
    w.finish()
}

/// `service_areas.geojson`: per snapped center, the area reachable within the
/// threshold, with `center`, `reached_length_m`, `reachable_population` (everyone who
/// can walk to this center in time), `served_population` (those for whom it is also the
/// nearest) and `area_m2`.
pub fn service_areas_geojson(areas: &[ServiceArea]) -> String {
    let mut w = FeatureCollectionWriter::new();
    for a in areas {
        let mut p = Map::new();
        p.insert("center".into(), json!(a.center_id));
        p.insert(
            "reached_length_m".into(),
            json!(round_to(a.reached_length_m, 2)),
        );
        p.insert(
            "reachable_population".into(),
            json!(round_to(a.reachable_population, 3)),
        );
        p.insert("reachable_residents".into(), json!(a.reachable_residents));
        p.insert(
            "served_population".into(),
            json!(round_to(a.served_population, 3)),
        );
        p.insert("area_m2".into(), json!(round_to(a.area_m2, 1)));
        w.push(multipolygon_geometry(&a.polygon), p);
    }
    w.finish()
}

/// `units.geojson`: the reporting units with their coverage figures.
pub fn units_geojson(units: &[ReportingUnit], summaries: &[UnitSummary]) -> String {
    let mut w = FeatureCollectionWriter::new();
    for (unit, s) in units.iter().zip(summaries) {
        let mut p = Map::new();
        p.insert("id".into(), json!(unit.id));
        p.insert("name".into(), json!(unit.name));
        p.insert("residents".into(), json!(s.residents));
        p.insert("population".into(), json!(round_to(s.population, 3)));
        p.insert(
            "covered_population".into(),
            json!(round_to(s.covered_population, 3)),
        );
        p.insert(
            "unreachable_population".into(),
            json!(round_to(s.unreachable_population, 3)),
        );
        p.insert(
            "coverage_ratio".into(),
            json!(round_to(s.coverage_ratio, 6)),
        );
        p.insert("mean_walk_min".into(), opt(s.mean_walk_min, 3));
        w.push(multipolygon_geometry(&unit.geometry), p);
    }
    w.finish()
}
