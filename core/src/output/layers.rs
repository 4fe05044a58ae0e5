//! GeoJSON layers of a coverage run.

use serde_json::{json, Map, Value};

use super::feature_collection::{point_geometry, round_to, FeatureCollectionWriter};
use crate::coverage::CoverageResult;
use crate::input::PointFeature;

/// `demand.geojson`: one Point per resident with `id`, `population`, `walk_m` (null when
/// there is no walk), `walk_min`, `nearest_center` (center id), `covered`, `status` and
/// `access_m` (straight-line distance to the network; null when too far).
pub fn demand_geojson(
    demand: &[PointFeature],
    centers: &[PointFeature],
    result: &CoverageResult,
) -> String {
    let mut w = FeatureCollectionWriter::new();
    for (point, r) in demand.iter().zip(&result.demand) {
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
        w.push(point_geometry([point.lon, point.lat]), p);
    }
    w.finish()
}

pub(crate) fn opt(x: Option<f64>, decimals: i32) -> Value {
    x.map_or(Value::Null, |v| json!(round_to(v, decimals)))
}
