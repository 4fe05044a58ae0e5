//! The readers' common feature model: a geometry of inline positions, properties and an id.
//!
//! GeoJSON deserialises straight into it (streaming coordinates into inline positions
//! without buffering; how that compares with the `geojson` crate's model is measured in
//! `benches/README.md`, see `input::geojson`); the other vector formats build it with
//! the constructors here, so every format shares one conversion into layers.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The top level of a GeoJSON document, read only as far as needed to tell its kind.
#[derive(Deserialize)]
#[serde(expecting = "a GeoJSON object")]
pub(crate) struct Document {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub features: Option<Vec<RawFeature>>,
    /// The legacy (2008) `crs` member: `{"type": "name", "properties": {"name": …}}`.
    #[serde(default)]
    pub crs: Option<Value>,
}

/// The features of one vector file and the coordinate system it declares, if any.
pub(crate) struct FeatureTable {
    pub features: Vec<RawFeature>,
    /// As the file states it: an EPSG code (`EPSG:32650`, `urn:ogc:def:crs:EPSG::32650`),
    /// a WKT text (a Shapefile's `.prj`, a GeoPackage's SRS) or a PROJ string.
    pub declared_crs: Option<String>,
}

impl FeatureTable {
    /// Features that declare no coordinate system.
    pub(crate) fn new(features: Vec<RawFeature>) -> Self {
        Self {
            features,
            declared_crs: None,
        }
    }
}

/// A GeoJSON Feature; unknown members are skipped.
#[derive(Deserialize)]
#[serde(expecting = "a GeoJSON Feature")]
pub(crate) struct RawFeature {
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
pub(crate) struct RawGeometry {
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
pub(crate) struct Position {
    /// `[lon, lat, z]`; entries past `len` are zero.
    pub values: [f64; 3],
    /// How many numbers the position had.
    pub len: usize,
}

/// Coordinates of any nesting depth.
pub(crate) enum Coordinates {
    Position(Position),
    Positions(Vec<Position>),
    Rings(Vec<Vec<Position>>),
    Polygons(Vec<Vec<Vec<Position>>>),
}

/// A geometry with its coordinates matched to its type.
pub(crate) enum Shape<'a> {
    Point(&'a Position),
    MultiPoint(&'a [Position]),
    LineString(&'a [Position]),
    MultiLineString(&'a [Vec<Position>]),
    Polygon(&'a [Vec<Position>]),
    MultiPolygon(&'a [Vec<Vec<Position>>]),
    GeometryCollection,
}

impl Shape<'_> {
    pub(crate) fn type_name(&self) -> &'static str {
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

impl RawFeature {
    /// A feature of another format: its geometry (`None`: none) and properties.
    pub(crate) fn new(geometry: Option<RawGeometry>, properties: Map<String, Value>) -> Self {
        Self {
            kind: None,
            geometry,
            properties: Some(properties),
            id: None,
        }
    }

    /// Every position of the feature's geometry, for reprojection.
    pub(crate) fn positions_mut(&mut self) -> impl Iterator<Item = &mut Position> + '_ {
        self.geometry
            .as_mut()
            .and_then(|g| g.coordinates.as_mut())
            .into_iter()
            .flat_map(Coordinates::positions_mut)
    }
}

impl Coordinates {
    /// Every position, however deep the nesting.
    pub(crate) fn positions_mut(&mut self) -> Box<dyn Iterator<Item = &mut Position> + '_> {
        match self {
            Coordinates::Position(p) => Box::new(std::iter::once(p)),
            Coordinates::Positions(list) => Box::new(list.iter_mut()),
            Coordinates::Rings(rings) => Box::new(rings.iter_mut().flatten()),
            Coordinates::Polygons(polygons) => Box::new(polygons.iter_mut().flatten().flatten()),
        }
    }
}

impl RawGeometry {
    /// A geometry of `kind` (`Point`, `LineString`, …) with coordinates nested to match
    /// (a mismatch is reported, naming the feature, when the layer is read).
    pub(crate) fn new(kind: &str, coordinates: Coordinates) -> Self {
        Self {
            kind: kind.to_string(),
            coordinates: Some(coordinates),
            geometries: None,
        }
    }

    /// A geometry collection (skipped by every layer, and counted).
    pub(crate) fn collection() -> Self {
        Self {
            kind: "GeometryCollection".to_string(),
            coordinates: None,
            geometries: Some(IgnoredAny),
        }
    }

    /// Matches coordinates to the type; the error is a reason for `Error::Feature`.
    pub(crate) fn shape(&self) -> Result<Shape<'_>, String> {
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
    /// A position of two numbers.
    pub(crate) fn xy(x: f64, y: f64) -> Self {
        Self {
            values: [x, y, 0.0],
            len: 2,
        }
    }

    /// A position of three numbers (the third is a height).
    pub(crate) fn xyz(x: f64, y: f64, z: f64) -> Self {
        Self {
            values: [x, y, z],
            len: 3,
        }
    }

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
