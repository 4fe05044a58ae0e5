//! Serde model of GeoJSON that streams coordinates into inline positions without buffering.
//!
//! It reads only what the readers use; how it compares with the `geojson` crate's model is
//! measured in `benches/README.md` (see the parent module).

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The top level of a GeoJSON document, read only as far as needed to tell its kind.
#[derive(Deserialize)]
#[serde(expecting = "a GeoJSON object")]
pub(super) struct Document {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub features: Option<Vec<RawFeature>>,
}

/// A GeoJSON Feature; unknown members are skipped.
#[derive(Deserialize)]
#[serde(expecting = "a GeoJSON Feature")]
pub(super) struct RawFeature {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub geometry: Option<RawGeometry>,
    #[serde(default)]
    pub properties: Option<Map<String, Value>>,
    #[serde(default)]
    pub id: Option<Value>,
}

/// A geometry object: its type name and coordinates, checked against each other later so
/// that a mismatch names the feature.
#[derive(Deserialize)]
#[serde(expecting = "a GeoJSON geometry")]
pub(super) struct RawGeometry {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub coordinates: Option<Coordinates>,
    /// Only its presence matters: collections are skipped, not read.
    #[serde(default)]
    pub geometries: Option<IgnoredAny>,
}

/// One position: up to three numbers kept inline, plus how many the input gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Position {
    /// `[lon, lat, z]`; entries past `len` are zero.
    pub values: [f64; 3],
    /// How many numbers the position had.
    pub len: usize,
}

/// Coordinates of any nesting depth.
pub(super) enum Coordinates {
    Position(Position),
    Positions(Vec<Position>),
    Rings(Vec<Vec<Position>>),
    Polygons(Vec<Vec<Vec<Position>>>),
}

/// A geometry with its coordinates matched to its type.
pub(super) enum Shape<'a> {
    Point(&'a Position),
    MultiPoint(&'a [Position]),
    LineString(&'a [Position]),
    MultiLineString(&'a [Vec<Position>]),
    Polygon(&'a [Vec<Position>]),
    MultiPolygon(&'a [Vec<Vec<Position>>]),
    GeometryCollection,
}

impl Shape<'_> {
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Shape::Point(_) => "Point",
            Shape::MultiPoint(_) => "MultiPoint",
            Shape::LineString(_) => "LineString",
            Shape::MultiLineString(_) => "MultiLineString",
            Shape::Polygon(_) => "Polygon",
            Shape::MultiPolygon(_) => "MultiPolygon",
            Shape::GeometryCollection => "GeometryCollection",
        }
    }
}

impl RawGeometry {
    /// Matches coordinates to the type; the error is a reason for `Error::Feature`.
    pub(super) fn shape(&self) -> Result<Shape<'_>, String> {
        use Coordinates as C;
        let kind = self.kind.as_str();
        if kind == "GeometryCollection" {
            return match self.geometries {
                Some(_) => Ok(Shape::GeometryCollection),
                None => Err("GeometryCollection without `geometries`".to_string()),
            };
        }
        let Some(coordinates) = &self.coordinates else {
            return Err(format!("{kind} geometry without `coordinates`"));
        };
        // An empty array parses as an empty position list; it fits any list type.
        let empty = matches!(coordinates, C::Positions(p) if p.is_empty());
        Ok(match (kind, coordinates) {
            ("Point", C::Position(p)) => Shape::Point(p),
            ("MultiPoint", C::Positions(p)) => Shape::MultiPoint(p),
            ("LineString", C::Positions(p)) => Shape::LineString(p),
            ("MultiLineString", C::Rings(r)) => Shape::MultiLineString(r),
            ("MultiLineString", _) if empty => Shape::MultiLineString(&[]),
            ("Polygon", C::Rings(r)) => Shape::Polygon(r),
            ("Polygon", _) if empty => Shape::Polygon(&[]),
            ("MultiPolygon", C::Polygons(p)) => Shape::MultiPolygon(p),
            ("MultiPolygon", _) if empty => Shape::MultiPolygon(&[]),
            (
                "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon"
                | "MultiPolygon",
                _,
            ) => return Err(format!("{kind} coordinates are nested to the wrong depth")),
            _ => return Err(format!("unknown geometry type `{kind}`")),
        })
    }
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PositionVisitor;
        impl<'de> Visitor<'de> for PositionVisitor {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a position (an array of numbers)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Position, A::Error> {
                rest_of_position(seq, Position::default())
            }
        }
        deserializer.deserialize_seq(PositionVisitor)
    }
}

impl Default for Position {
    fn default() -> Self {
        Self {
            values: [0.0; 3],
            len: 0,
        }
    }
}

impl Position {
    fn push(&mut self, value: f64) {
        if let Some(slot) = self.values.get_mut(self.len) {
            *slot = value;
        }
        self.len += 1;
    }
}

fn rest_of_position<'de, A: SeqAccess<'de>>(
    mut seq: A,
    mut position: Position,
) -> Result<Position, A::Error> {
    while let Some(value) = seq.next_element::<f64>()? {
        position.push(value);
    }
    Ok(position)
}

/// The first element of a coordinate array decides the depth of the whole array.
enum Element {
    Number(f64),
    Nested(Coordinates),
}

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = Element;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or an array of coordinates")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Element, E> {
        Ok(Element::Number(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Element, E> {
        Ok(Element::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Element, E> {
        Ok(Element::Number(v as f64))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Element, A::Error> {
        CoordinatesVisitor.visit_seq(seq).map(Element::Nested)
    }
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ElementVisitor)
    }
}

struct CoordinatesVisitor;

impl<'de> Visitor<'de> for CoordinatesVisitor {
    type Value = Coordinates;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of coordinates")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coordinates, A::Error> {
        Ok(match seq.next_element::<Element>()? {
            None => Coordinates::Positions(Vec::new()),
            Some(Element::Number(first)) => {
                let mut position = Position::default();
                position.push(first);
                Coordinates::Position(rest_of_position(seq, position)?)
            }
            Some(Element::Nested(Coordinates::Position(first))) => {
                Coordinates::Positions(rest_of_list(seq, first)?)
            }
            Some(Element::Nested(Coordinates::Positions(first))) => {
                Coordinates::Rings(rest_of_list(seq, first)?)
            }
            Some(Element::Nested(Coordinates::Rings(first))) => {
                Coordinates::Polygons(rest_of_list(seq, first)?)
            }
            Some(Element::Nested(Coordinates::Polygons(_))) => {
                return Err(de::Error::custom("coordinates nested too deep"))
            }
        })
    }
}

fn rest_of_list<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    mut seq: A,
    first: T,
) -> Result<Vec<T>, A::Error> {
    let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).saturating_add(1).min(4096));
    list.push(first);
    while let Some(item) = seq.next_element()? {
        list.push(item);
    }
    Ok(list)
}

impl<'de> Deserialize<'de> for Coordinates {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(CoordinatesVisitor)
    }
}
