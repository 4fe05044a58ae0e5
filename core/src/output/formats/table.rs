//! A layer as typed columns and output-CRS shapes: what every GIS writer here takes.

use std::io;

use serde_json::Value;

use crate::crs::Crs;
use crate::output::flat::{flat_values, is_plain_list};
use crate::output::geojson::{output_position, FeatureSource, Geometry};

/// The type of a column, inferred over the whole layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnType {
    Boolean,
    Integer,
    Double,
    Text,
}

/// One value of a column of its type (`Null` in any).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Text(String),
}

/// A geometry in the output coordinate system; polygons always as a MultiPolygon.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    Point([f64; 2]),
    LineString(Vec<[f64; 2]>),
    /// Polygons, each its rings (exterior first), each ring closed.
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

/// The geometry type of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShapeKind {
    Point,
    LineString,
    MultiPolygon,
}

impl ShapeKind {
    /// The OGC name (GeoPackage, GeoParquet).
    pub(crate) fn ogc_name(self) -> &'static str {
        match self {
            ShapeKind::Point => "Point",
            ShapeKind::LineString => "LineString",
            ShapeKind::MultiPolygon => "MultiPolygon",
        }
    }
}

impl Shape {
    pub(crate) fn kind(&self) -> ShapeKind {
        match self {
            Shape::Point(_) => ShapeKind::Point,
            Shape::LineString(_) => ShapeKind::LineString,
            Shape::MultiPolygon(_) => ShapeKind::MultiPolygon,
        }
    }

    /// Every position, in order.
    pub(crate) fn positions(&self) -> Box<dyn Iterator<Item = [f64; 2]> + '_> {
        match self {
            Shape::Point(p) => Box::new(std::iter::once(*p)),
            Shape::LineString(line) => Box::new(line.iter().copied()),
            Shape::MultiPolygon(parts) => Box::new(parts.iter().flatten().flatten().copied()),
        }
    }

    /// `[min_x, min_y, max_x, max_y]`, `None` when the shape has no position (the
    /// GeoPackage envelope).
    #[cfg_attr(not(feature = "gpkg"), allow(dead_code))]
    pub(crate) fn bbox(&self) -> Option<[f64; 4]> {
        bbox_of(self.positions())
    }
}

fn bbox_of(positions: impl Iterator<Item = [f64; 2]>) -> Option<[f64; 4]> {
    positions.fold(None, |b, [x, y]| {
        Some(match b {
            None => [x, y, x, y],
            Some([a, b, c, d]) => [a.min(x), b.min(y), c.max(x), d.max(y)],
        })
    })
}

/// A layer ready for a writer: columns, one row and one shape per feature.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// Column names (flattened property names) and types.
    pub(crate) columns: Vec<(String, ColumnType)>,
    /// One row per feature, one cell per column.
    pub(crate) rows: Vec<Vec<Cell>>,
    /// One shape per feature, in the output coordinate system.
    pub(crate) shapes: Vec<Shape>,
}

impl Table {
    /// `layer` in `crs`: columns in first-seen order (as the CSV tables), typed over
    /// every feature.
    pub(crate) fn of<L: FeatureSource + ?Sized>(layer: &L, crs: Crs) -> io::Result<Self> {
        let mut names: Vec<String> = Vec::new();
        let mut raw: Vec<Vec<(usize, Value)>> = Vec::with_capacity(layer.len());
        let mut shapes = Vec::with_capacity(layer.len());
        for i in 0..layer.len() {
            let (geometry, properties) = layer.feature(i);
            shapes.push(shape_in(geometry, crs));
            let mut row = Vec::new();
            for (name, value) in flat_values(&properties)? {
                let column = match names.iter().position(|n| *n == name) {
                    Some(c) => c,
                    None => {
                        names.push(name);
                        names.len() - 1
                    }
                };
                row.push((column, value));
            }
            raw.push(row);
        }
        let types: Vec<ColumnType> = (0..names.len())
            .map(|c| {
                column_type(
                    raw.iter()
                        .flat_map(|row| row.iter().filter(|(k, _)| *k == c).map(|(_, v)| v)),
                )
            })
            .collect();
        let rows = raw
            .into_iter()
            .map(|row| {
                let mut cells = vec![Cell::Null; names.len()];
                for (c, value) in row {
                    cells[c] = cell(&value, types[c]);
                }
                cells
            })
            .collect();
        Ok(Self {
            columns: names.into_iter().zip(types).collect(),
            rows,
            shapes,
        })
    }

    /// The layer's one geometry type; `Ok(None)` when it has no feature, `Err` with the
    /// types when it mixes several.
    pub(crate) fn kind(&self) -> Result<Option<ShapeKind>, String> {
        let Some(first) = self.shapes.first().map(Shape::kind) else {
            return Ok(None);
        };
        match self.shapes.iter().find(|s| s.kind() != first) {
            None => Ok(Some(first)),
            Some(other) => Err(format!(
                "the layer mixes {} and {} geometries",
                first.ogc_name(),
                other.kind().ogc_name()
            )),
        }
    }

    /// `[min_x, min_y, max_x, max_y]` of every shape.
    pub(crate) fn bbox(&self) -> Option<[f64; 4]> {
        bbox_of(self.shapes.iter().flat_map(Shape::positions))
    }
}

/// The type of a column holding `values` (nulls ignored; no value: text).
fn column_type<'v>(values: impl Iterator<Item = &'v Value>) -> ColumnType {
    let mut kind: Option<ColumnType> = None;
    for value in values {
        let this = match value {
            Value::Null => continue,
            Value::Bool(_) => ColumnType::Boolean,
            Value::Number(n) if n.as_i64().is_some() => ColumnType::Integer,
            Value::Number(_) => ColumnType::Double,
            _ => ColumnType::Text,
        };
        kind = Some(match (kind, this) {
            (None, t) => t,
            (Some(a), b) if a == b => a,
            (Some(ColumnType::Integer), ColumnType::Double)
            | (Some(ColumnType::Double), ColumnType::Integer) => ColumnType::Double,
            _ => ColumnType::Text,
        });
    }
    kind.unwrap_or(ColumnType::Text)
}

fn cell(value: &Value, kind: ColumnType) -> Cell {
    match (value, kind) {
        (Value::Null, _) => Cell::Null,
        (Value::Bool(b), ColumnType::Boolean) => Cell::Bool(*b),
        (Value::Number(n), ColumnType::Integer) => {
            Cell::Int(n.as_i64().expect("an integer column holds i64 values"))
        }
        (Value::Number(n), ColumnType::Double) => {
            Cell::Double(n.as_f64().expect("serde_json numbers convert to f64"))
        }
        (other, _) => Cell::Text(text(other)),
    }
}

/// A value as text: strings as they are, lists of plain values joined by `; ` (as in
/// the CSV tables), anything else as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if is_plain_list(value) => {
            items.iter().map(text).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

fn shape_in(geometry: Geometry<'_>, crs: Crs) -> Shape {
    let at = |p: [f64; 2]| output_position(crs, p);
    let rings = |polygon: &geo::Polygon<f64>| -> Vec<Vec<[f64; 2]>> {
        std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .map(|ring| ring.0.iter().map(|c| at([c.x, c.y])).collect())
            .collect()
    };
    match geometry {
        Geometry::Point(p) => Shape::Point(at(p)),
        Geometry::LineString(line) => Shape::LineString(line.iter().map(|&p| at(p)).collect()),
        Geometry::Polygon(polygon) => Shape::MultiPolygon(vec![rings(polygon)]),
        Geometry::MultiPolygon(mp) => Shape::MultiPolygon(mp.0.iter().map(rings).collect()),
    }
}

/// `names` made unique case-insensitively (SQLite and dBase compare names so) and at
/// most `max_len` bytes, avoiding `reserved`: a name that is too long is cut (at a
/// character boundary), one that is taken gets `_1`, `_2`, … in place of its last bytes.
/// The same names always give the same result.
pub(crate) fn unique_names(names: &[String], max_len: usize, reserved: &[&str]) -> Vec<String> {
    let mut taken: Vec<String> = reserved.iter().map(|r| r.to_ascii_lowercase()).collect();
    let cut = |name: &str, len: usize| -> String {
        let mut end = len.min(name.len());
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name[..end].to_string()
    };
    names
        .iter()
        .map(|name| {
            let mut candidate = cut(name, max_len);
            let mut n = 1;
            while taken.contains(&candidate.to_lowercase()) {
                let suffix = format!("_{n}");
                candidate = format!("{}{suffix}", cut(name, max_len - suffix.len()));
                n += 1;
            }
            taken.push(candidate.to_lowercase());
            candidate
        })
        .collect()
}
