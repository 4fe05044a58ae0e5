//! Typed GeoJSON: layers are [`FeatureSource`]s whose features serialize straight into
//! the writer, in the output coordinate system, one feature per line.
//!
//! A layer is never assembled as a JSON tree nor re-read: the same typed features go to
//! a file ([`write_geojson`]), to a string ([`geojson_string`]), or into a larger JSON
//! document such as the viewer's ([`FeatureCollection`] implements `Serialize`).

use std::io::{self, Write};

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;

use crate::crs::Crs;
use crate::parallel::{map_heavy_in_order, produce_while_consuming};

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

/// A WGS84 position as written in `crs`: rounded to 1e-7° (about 1 cm) before and after
/// the conversion, so a converted file holds exactly what converting the WGS84 file
/// would give.
pub fn output_position(crs: Crs, lonlat: [f64; 2]) -> [f64; 2] {
    let rounded = [round_to(lonlat[0], 7), round_to(lonlat[1], 7)];
    if crs == Crs::Wgs84 {
        return rounded;
    }
    let [x, y] = crs.from_wgs84(rounded);
    [round_to(x, 7), round_to(y, 7)]
}

/// The geometry of one output feature, in WGS84 until written.
#[derive(Debug, Clone, Copy)]
pub enum Geometry<'a> {
    /// A point `[lon, lat]`.
    Point([f64; 2]),
    /// A line through `[lon, lat]` vertices.
    LineString(&'a [[f64; 2]]),
    /// One polygon (exterior ring first, then holes).
    Polygon(&'a geo::Polygon<f64>),
    /// Several polygons.
    MultiPolygon(&'a geo::MultiPolygon<f64>),
}

/// A geometry and the coordinate system it is written in.
struct InCrs<'a> {
    geometry: Geometry<'a>,
    crs: Crs,
}

/// A sequence of positions written in `crs`.
struct Positions<'a, I> {
    points: &'a I,
    crs: Crs,
}

impl<I> Serialize for Positions<'_, I>
where
    I: Clone + IntoIterator<Item = [f64; 2]>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let points = self.points.clone().into_iter();
        let mut seq = serializer.serialize_seq(None)?;
        for p in points {
            seq.serialize_element(&output_position(self.crs, p))?;
        }
        seq.end()
    }
}

/// The rings of one polygon.
struct Rings<'a> {
    polygon: &'a geo::Polygon<f64>,
    crs: Crs,
}

impl Serialize for Rings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for ring in std::iter::once(self.polygon.exterior()).chain(self.polygon.interiors()) {
            let coords = ring.0.iter().map(|c| [c.x, c.y]);
            seq.serialize_element(&Positions {
                points: &coords,
                crs: self.crs,
            })?;
        }
        seq.end()
    }
}

impl Serialize for InCrs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let crs = self.crs;
        let mut map = serializer.serialize_map(Some(2))?;
        match self.geometry {
            Geometry::Point(p) => {
                map.serialize_entry("type", "Point")?;
                map.serialize_entry("coordinates", &output_position(crs, p))?;
            }
            Geometry::LineString(coords) => {
                map.serialize_entry("type", "LineString")?;
                let points = coords.iter().copied();
                map.serialize_entry(
                    "coordinates",
                    &Positions {
                        points: &points,
                        crs,
                    },
                )?;
            }
            Geometry::Polygon(polygon) => {
                // Written as a one-part MultiPolygon, as every polygon layer is.
                map.serialize_entry("type", "MultiPolygon")?;
                map.serialize_entry("coordinates", &[Rings { polygon, crs }])?;
            }
            Geometry::MultiPolygon(mp) => {
                map.serialize_entry("type", "MultiPolygon")?;
                let parts: Vec<Rings<'_>> =
                    mp.0.iter().map(|polygon| Rings { polygon, crs }).collect();
                map.serialize_entry("coordinates", &parts)?;
            }
        }
        map.end()
    }
}

/// A layer of output features: the geometry and typed properties of each.
pub trait FeatureSource: Sync {
    /// The properties of one feature, serialized in their declared order.
    type Properties<'p>: Serialize
    where
        Self: 'p;

    /// Number of features.
    fn len(&self) -> usize;

    /// Whether the layer has no feature.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Feature `i` (`i < len()`): its geometry in WGS84 and its properties.
    fn feature(&self, i: usize) -> (Geometry<'_>, Self::Properties<'_>);
}

/// A layer written as a GeoJSON FeatureCollection in a coordinate system.
pub struct FeatureCollection<'a, L: ?Sized> {
    /// The features.
    pub layer: &'a L,
    /// Coordinate system of the written positions.
    pub crs: Crs,
}

impl<'a, L: FeatureSource + ?Sized> FeatureCollection<'a, L> {
    /// `layer` written in `crs`.
    pub fn new(layer: &'a L, crs: Crs) -> Self {
        Self { layer, crs }
    }
}

struct Features<'a, L: ?Sized> {
    layer: &'a L,
    crs: Crs,
}

struct Feature<'a, P> {
    geometry: InCrs<'a>,
    properties: P,
}

impl<P: Serialize> Serialize for Feature<'_, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("type", "Feature")?;
        map.serialize_entry("geometry", &self.geometry)?;
        map.serialize_entry("properties", &self.properties)?;
        map.end()
    }
}

impl<L: FeatureSource + ?Sized> Serialize for Features<'_, L> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.layer.len()))?;
        for i in 0..self.layer.len() {
            let (geometry, properties) = self.layer.feature(i);
            seq.serialize_element(&Feature {
                geometry: InCrs {
                    geometry,
                    crs: self.crs,
                },
                properties,
            })?;
        }
        seq.end()
    }
}

impl<L: FeatureSource + ?Sized> Serialize for FeatureCollection<'_, L> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("type", "FeatureCollection")?;
        map.serialize_entry(
            "features",
            &Features {
                layer: self.layer,
                crs: self.crs,
            },
        )?;
        map.end()
    }
}

/// Compact JSON with each element of the top-level `features` array on its own line:
/// a file stays readable line by line (and diffable) at no cost in size. The file
/// format [`write_geojson`] writes, kept as the tests' oracle of its bytes.
#[cfg(test)]
struct OneFeaturePerLine {
    depth: usize,
}

/// Depth of the `features` array: inside the root object.
#[cfg(test)]
const FEATURES_DEPTH: usize = 2;

#[cfg(test)]
impl serde_json::ser::Formatter for OneFeaturePerLine {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        let at_features = self.depth == FEATURES_DEPTH;
        self.depth -= 1;
        writer.write_all(if at_features { b"\n]" } else { b"]" })
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        match (self.depth == FEATURES_DEPTH, first) {
            (true, true) => writer.write_all(b"\n"),
            (true, false) => writer.write_all(b",\n"),
            (false, true) => Ok(()),
            (false, false) => writer.write_all(b","),
        }
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        writer.write_all(b"}")
    }
}

/// Writes `layer` as a GeoJSON FeatureCollection in `crs`: compact, one feature per
/// line, a final newline. Same layer, same bytes.
///
/// # Errors
/// Whatever `writer` returns.
pub fn write_geojson<W: Write + ?Sized, L: FeatureSource + ?Sized>(
    writer: &mut W,
    layer: &L,
    crs: Crs,
) -> io::Result<()> {
    // The bytes `OneFeaturePerLine` gives, in chunks serialized in parallel (`parallel`
    // feature), a batch at a time (bounded memory), the next batch serialized while this
    // one is written. Each feature alone is compact JSON, as that formatter writes it.
    writer.write_all(br#"{"type":"FeatureCollection","features":["#)?;
    let len = layer.len();
    let batches: Vec<usize> = (0..len).step_by(WRITE_BATCH_FEATURES).collect();
    let serialize = |&start: &usize| {
        let end = len.min(start + WRITE_BATCH_FEATURES);
        let chunks: Vec<usize> = (start..end).step_by(WRITE_CHUNK_FEATURES).collect();
        map_heavy_in_order(
            &chunks,
            || (),
            |(), &first| {
                let mut bytes = Vec::new();
                for i in first..end.min(first + WRITE_CHUNK_FEATURES) {
                    bytes.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                    let (geometry, properties) = layer.feature(i);
                    let feature = Feature {
                        geometry: InCrs { geometry, crs },
                        properties,
                    };
                    serde_json::to_writer(&mut bytes, &feature).map_err(io::Error::other)?;
                }
                Ok::<_, io::Error>(bytes)
            },
        )
    };
    produce_while_consuming(&batches, serialize, |parts| {
        parts
            .into_iter()
            .try_for_each(|part| writer.write_all(&part?))
    })?;
    writer.write_all(b"\n]}\n")
}

/// Features serialized as one piece of work by [`write_geojson`].
const WRITE_CHUNK_FEATURES: usize = 2048;

/// Features [`write_geojson`] serializes as one batch (about 5 MB of residents); two
/// batches are in memory at once, the one being written and the next.
const WRITE_BATCH_FEATURES: usize = 8 * WRITE_CHUNK_FEATURES;

/// [`write_geojson`] into a string.
pub fn geojson_string<L: FeatureSource + ?Sized>(layer: &L, crs: Crs) -> String {
    let mut out = Vec::new();
    write_geojson(&mut out, layer, crs).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// `layer` in `crs` as the `geojson` crate's typed [`::geojson::FeatureCollection`], for
/// Rust embedders who want values rather than bytes: the features [`write_geojson`]
/// writes, with the same rounded positions and properties (serialized into a JSON value,
/// then read by the crate).
///
/// # Panics
/// If the layer holds a coordinate that is not finite (GeoJSON has no number for it; no
/// layer of a run does).
///
/// ```
/// use lifecircle::crs::Crs;
/// use lifecircle::output::{feature_collection, PointsLayer};
/// use serde_json::json;
///
/// let sites = PointsLayer {
///     points: vec![([11.97, 57.7000000001], json!({"name": "library", "seats": 40}))],
/// };
/// let collection = feature_collection(&sites, Crs::Wgs84);
/// let feature = &collection.features[0];
/// assert_eq!(feature.property("name"), Some(&json!("library")));
/// assert_eq!(feature.property("seats").and_then(|v| v.as_u64()), Some(40));
/// let geometry = feature.geometry.as_ref().unwrap();
/// // Rounded to 1e-7°, as written to files.
/// assert_eq!(geometry.value, geojson::GeometryValue::new_point([11.97, 57.7]));
/// ```
pub fn feature_collection<L: FeatureSource + ?Sized>(
    layer: &L,
    crs: Crs,
) -> ::geojson::FeatureCollection {
    let value = serde_json::to_value(FeatureCollection::new(layer, crs))
        .expect("a layer serializes to a JSON value");
    serde_json::from_value(value).expect("a layer with finite coordinates is GeoJSON")
}

/// Properties written as a JSON object in the order given (names borrowed).
#[derive(Debug, Clone, Default)]
pub struct OrderedMap<'a, V>(pub Vec<(&'a str, V)>);

impl<V: Serialize> Serialize for OrderedMap<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `x` rounded to `decimals` (`None` stays `None`, written as `null`).
pub(crate) fn rounded(x: Option<f64>, decimals: i32) -> Option<f64> {
    x.map(|v| round_to(v, decimals))
}

#[cfg(test)]
mod tests {
    /// The bytes of one serde pass with [`super::OneFeaturePerLine`].
    fn one_pass<L: super::FeatureSource + ?Sized>(layer: &L) -> Vec<u8> {
        use serde::Serialize;
        let mut out = Vec::new();
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut out, super::OneFeaturePerLine { depth: 0 });
        super::FeatureCollection::new(layer, super::Crs::Wgs84)
            .serialize(&mut serializer)
            .unwrap();
        out.push(b'\n');
        out
    }

    #[test]
    fn chunked_writing_gives_the_bytes_of_one_pass() {
        // More features than a batch, and a few: chunk and batch edges, and none.
        for n in [
            0,
            1,
            3,
            super::WRITE_CHUNK_FEATURES + 1,
            super::WRITE_BATCH_FEATURES + 5,
        ] {
            let layer = super::super::PointsLayer {
                points: (0..n)
                    .map(|i| {
                        let x = i as f64 * 1e-5;
                        (
                            [x, -x],
                            serde_json::json!({"id": i, "tags": [i, "a"], "n": {"x": x}}),
                        )
                    })
                    .collect(),
            };
            let mut written = Vec::new();
            super::write_geojson(&mut written, &layer, super::Crs::Wgs84).unwrap();
            assert!(written == one_pass(&layer), "{n} features");
        }
    }

    use super::*;

    struct Points(Vec<[f64; 2]>);

    #[derive(Serialize)]
    struct Props {
        b: usize,
        a: f64,
    }

    impl FeatureSource for Points {
        type Properties<'p> = Props;
        fn len(&self) -> usize {
            self.0.len()
        }
        fn feature(&self, i: usize) -> (Geometry<'_>, Props) {
            (
                Geometry::Point(self.0[i]),
                Props {
                    b: i,
                    a: round_to(1.23456, 2),
                },
            )
        }
    }

    #[test]
    fn collection_is_compact_json_with_one_feature_per_line() {
        let text = geojson_string(
            &Points(vec![[1.000000049, -0.0000000001], [2.0, 3.0]]),
            Crs::Wgs84,
        );
        assert_eq!(
            text,
            "{\"type\":\"FeatureCollection\",\"features\":[\n\
             {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1.0,0.0]},\"properties\":{\"b\":0,\"a\":1.23}},\n\
             {\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[2.0,3.0]},\"properties\":{\"b\":1,\"a\":1.23}}\n\
             ]}\n"
        );
        assert_eq!(
            geojson_string(&Points(Vec::new()), Crs::Wgs84),
            "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n"
        );
    }

    #[test]
    fn positions_are_converted_after_rounding() {
        let p = [114.3000000449, 30.59];
        let text = geojson_string(&Points(vec![p]), Crs::Gcj02);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let want = output_position(Crs::Gcj02, p);
        assert_eq!(
            v["features"][0]["geometry"]["coordinates"],
            serde_json::json!(want)
        );
        assert!((want[0] - p[0]).abs() > 1e-4, "GCJ-02 shifts in China");
    }

    /// Every geometry kind and typed properties (numbers, text, null, nested), in a
    /// converted coordinate system: the typed collection holds what the file holds.
    #[test]
    fn typed_collection_round_trips_geometry_and_properties() {
        use ::geojson::{GeometryValue, Position};
        use geo::{coord, LineString, MultiPolygon, Polygon};

        struct Mixed {
            line: Vec<[f64; 2]>,
            polygon: Polygon<f64>,
            multi: MultiPolygon<f64>,
        }
        #[derive(Serialize)]
        struct MixedProps {
            kind: &'static str,
            minutes: Option<f64>,
            covered: bool,
            by_tier: OrderedMap<'static, bool>,
        }
        impl FeatureSource for Mixed {
            type Properties<'p> = MixedProps;
            fn len(&self) -> usize {
                4
            }
            fn feature(&self, i: usize) -> (Geometry<'_>, MixedProps) {
                let geometry = match i {
                    0 => Geometry::Point([114.30000004, 30.59]),
                    1 => Geometry::LineString(&self.line),
                    2 => Geometry::Polygon(&self.polygon),
                    _ => Geometry::MultiPolygon(&self.multi),
                };
                let props = MixedProps {
                    kind: ["point", "line", "polygon", "multi"][i],
                    minutes: (i != 1).then(|| round_to(1.0 / (i as f64 + 3.0), 3)),
                    covered: i.is_multiple_of(2),
                    by_tier: OrderedMap(vec![("daily", i > 0), ("weekly", true)]),
                };
                (geometry, props)
            }
        }
        let ring = |x: f64| {
            LineString::new(vec![
                coord! { x: x, y: 30.5 },
                coord! { x: x + 0.01, y: 30.5 },
                coord! { x: x, y: 30.51 },
                coord! { x: x, y: 30.5 },
            ])
        };
        let layer = Mixed {
            line: vec![[114.3, 30.59], [114.31, 30.6]],
            polygon: Polygon::new(ring(114.3), vec![]),
            multi: MultiPolygon::new(vec![
                Polygon::new(ring(114.4), vec![]),
                Polygon::new(ring(114.5), vec![]),
            ]),
        };
        let crs = Crs::Gcj02;
        let collection = feature_collection(&layer, crs);

        // The same JSON as the written file, member for member.
        let written: serde_json::Value =
            serde_json::from_str(&geojson_string(&layer, crs)).unwrap();
        assert_eq!(serde_json::to_value(&collection).unwrap(), written);

        // Typed geometry: positions as `output_position` gives them, a polygon as a
        // one-part MultiPolygon.
        let at = |p: [f64; 2]| Position::from(output_position(crs, p));
        let ring_at =
            |x: f64| -> Vec<Position> { ring(x).0.iter().map(|c| at([c.x, c.y])).collect() };
        let geometries: Vec<&GeometryValue> = collection
            .features
            .iter()
            .map(|f| &f.geometry.as_ref().unwrap().value)
            .collect();
        assert_eq!(
            geometries,
            [
                &GeometryValue::Point {
                    coordinates: at([114.30000004, 30.59])
                },
                &GeometryValue::LineString {
                    coordinates: layer.line.iter().map(|&p| at(p)).collect()
                },
                &GeometryValue::MultiPolygon {
                    coordinates: vec![vec![ring_at(114.3)]]
                },
                &GeometryValue::MultiPolygon {
                    coordinates: vec![vec![ring_at(114.4)], vec![ring_at(114.5)]]
                },
            ]
        );
        // Typed properties, in their declared order.
        let first = &collection.features[0];
        let keys: Vec<&String> = first.properties_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["kind", "minutes", "covered", "by_tier"]);
        assert_eq!(first.property("minutes"), Some(&serde_json::json!(0.333)));
        assert_eq!(
            collection.features[1].property("minutes"),
            Some(&serde_json::Value::Null)
        );
        assert_eq!(
            collection.features[3].property("by_tier"),
            Some(&serde_json::json!({"daily": true, "weekly": true}))
        );
    }

    #[test]
    fn embedded_collection_serializes_without_line_breaks() {
        let layer = Points(vec![[1.0, 2.0]]);
        let text = serde_json::to_string(&FeatureCollection::new(&layer, Crs::Wgs84)).unwrap();
        assert!(!text.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["features"][0]["properties"]["b"], 0);
    }
}
