//! A deterministic GeoJSON FeatureCollection writer (one feature per line).

use serde_json::{json, Map, Value};

/// Rounds `x` to `decimals` decimal places (non-finite values pass through).
pub fn round_to(x: f64, decimals: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(decimals);
    let r = (x * scale).round() / scale;
    // Avoid "-0" in output.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Rounds a coordinate pair to 1e-7 degrees (about 1 cm).
pub(crate) fn position(lonlat: [f64; 2]) -> Value {
    json!([round_to(lonlat[0], 7), round_to(lonlat[1], 7)])
}

/// Builds a FeatureCollection text with one feature per line, in the order added.
#[derive(Debug)]
pub struct FeatureCollectionWriter {
    /// The text so far, header included, so [`FeatureCollectionWriter::finish`] appends
    /// instead of copying the whole collection.
    text: String,
    count: usize,
}

impl Default for FeatureCollectionWriter {
    fn default() -> Self {
        Self {
            text: "{\"type\":\"FeatureCollection\",\"features\":[".to_string(),
            count: 0,
        }
    }
}

impl FeatureCollectionWriter {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a feature with the given geometry and properties (kept in given order).
    pub fn push(&mut self, geometry: Value, properties: Map<String, Value>) {
        let feature = json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": Value::Object(properties),
        });
        self.text
            .push_str(if self.count == 0 { "\n" } else { ",\n" });
        self.text.push_str(&feature.to_string());
        self.count += 1;
    }

    /// Number of features so far.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no feature was added.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The finished GeoJSON text.
    pub fn finish(mut self) -> String {
        self.text.push_str("\n]}\n");
        self.text
    }
}

/// A Point geometry.
pub(crate) fn point_geometry(lonlat: [f64; 2]) -> Value {
    json!({"type": "Point", "coordinates": position(lonlat)})
}

/// A LineString geometry.
pub(crate) fn line_geometry(coords: &[[f64; 2]]) -> Value {
    json!({"type": "LineString", "coordinates": coords.iter().map(|&c| position(c)).collect::<Vec<_>>()})
}

/// A MultiPolygon geometry.
pub(crate) fn multipolygon_geometry(mp: &geo::MultiPolygon<f64>) -> Value {
    let ring =
        |r: &geo::LineString<f64>| r.0.iter().map(|c| position([c.x, c.y])).collect::<Vec<_>>();
    let polygons: Vec<Value> =
        mp.0.iter()
            .map(|p| {
                let mut rings = vec![ring(p.exterior())];
                rings.extend(p.interiors().iter().map(ring));
                json!(rings)
            })
            .collect();
    json!({"type": "MultiPolygon", "coordinates": polygons})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_is_valid_json_with_one_feature_per_line() {
        let mut w = FeatureCollectionWriter::new();
        let mut props = Map::new();
        props.insert("b".into(), json!(1));
        // Insertion order is kept (serde_json preserve_order).

        props.insert("a".into(), json!(round_to(1.23456, 2)));
        w.push(point_geometry([1.000000049, -0.0000000001]), props);
        w.push(point_geometry([2.0, 3.0]), Map::new());
        let text = w.finish();
        assert_eq!(text.lines().count(), 4);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["features"][0]["geometry"]["coordinates"],
            json!([1.0, 0.0])
        );
        assert_eq!(v["features"][0]["properties"]["a"], json!(1.23));
        assert_eq!(
            FeatureCollectionWriter::new().finish(),
            "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n"
        );
    }
}
