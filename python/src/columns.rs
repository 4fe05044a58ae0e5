//! An output layer as columns: one WKB buffer for the geometries and one typed buffer
//! per property, so a layer crosses into Python as a handful of `bytes` objects, never
//! as one Python object per feature.
//!
//! The properties are those of the layer's GeoJSON (the same `Serialize` impls), so a
//! table and the file the command line writes agree value for value: nested objects
//! become one column per key (`covered_by_profile.older`), lists become JSON text.

use geo::{Coord, LineString, MapCoords, Point};
use lifecircle::crs::Crs;
use lifecircle::output::{output_position, FeatureSource, Geometry};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use serde_json::Value;
use wkb::writer::{write_geometry, WriteOptions};

use crate::errors::{Failure, Outcome};

/// One property column.
enum Values {
    /// Whole numbers (nulls are 0, masked by the validity).
    Int(Vec<i64>),
    /// Numbers (nulls are NaN, masked by the validity).
    Float(Vec<f64>),
    /// Booleans, one byte each.
    Bool(Vec<u8>),
    /// UTF-8 text, concatenated, with `len + 1` offsets.
    Text { data: Vec<u8>, offsets: Vec<i64> },
}

struct Column {
    name: String,
    values: Values,
    /// 1 where the feature has a value.
    valid: Vec<u8>,
}

/// A layer in columns, built without the interpreter.
pub(crate) struct Table {
    len: usize,
    /// Every feature's geometry as little-endian WKB, concatenated.
    wkb: Vec<u8>,
    /// `len + 1` offsets into `wkb`.
    wkb_offsets: Vec<i64>,
    columns: Vec<Column>,
}

/// Appends `key → value` to `row`, flattening objects into `parent.child` keys.
fn flatten(prefix: &str, value: Value, row: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                flatten(&format!("{prefix}.{key}"), inner, row);
            }
        }
        other => row.push((prefix.to_string(), other)),
    }
}

/// The column of `cells` (one per feature; `None` where a feature lacks the key).
fn column(name: String, cells: Vec<Option<Value>>) -> Column {
    let present = || cells.iter().flatten().filter(|v| !v.is_null());
    let valid: Vec<u8> = cells
        .iter()
        .map(|c| u8::from(c.as_ref().is_some_and(|v| !v.is_null())))
        .collect();
    let values = if present().all(Value::is_boolean) && present().next().is_some() {
        Values::Bool(
            cells
                .iter()
                .map(|c| u8::from(matches!(c, Some(Value::Bool(true)))))
                .collect(),
        )
    } else if present().all(Value::is_i64) {
        Values::Int(
            cells
                .iter()
                .map(|c| c.as_ref().and_then(Value::as_i64).unwrap_or(0))
                .collect(),
        )
    } else if present().all(Value::is_number) {
        Values::Float(
            cells
                .iter()
                .map(|c| c.as_ref().and_then(Value::as_f64).unwrap_or(f64::NAN))
                .collect(),
        )
    } else {
        let mut data = Vec::new();
        let mut offsets = Vec::with_capacity(cells.len() + 1);
        offsets.push(0);
        for cell in &cells {
            match cell {
                Some(Value::String(text)) => data.extend_from_slice(text.as_bytes()),
                Some(Value::Null) | None => {}
                Some(other) => data.extend_from_slice(other.to_string().as_bytes()),
            }
            offsets.push(data.len() as i64);
        }
        Values::Text { data, offsets }
    };
    Column {
        name,
        values,
        valid,
    }
}

/// `geometry` in `crs`, as positions are written in the GeoJSON outputs.
fn to_output(geometry: Geometry<'_>, crs: Crs) -> geo::Geometry<f64> {
    let position = |c: Coord<f64>| {
        let [x, y] = output_position(crs, [c.x, c.y]);
        Coord { x, y }
    };
    let line = |points: &[[f64; 2]]| {
        LineString::from(
            points
                .iter()
                .map(|&[x, y]| position(Coord { x, y }))
                .collect::<Vec<_>>(),
        )
    };
    match geometry {
        Geometry::Point([x, y]) => Point(position(Coord { x, y })).into(),
        Geometry::LineString(points) => line(points).into(),
        Geometry::Polygon(polygon) => polygon.map_coords(position).into(),
        Geometry::MultiPolygon(polygons) => polygons.map_coords(position).into(),
    }
}

impl Table {
    /// The columns of `layer` with positions in `crs`.
    pub(crate) fn of<L: FeatureSource + ?Sized>(layer: &L, crs: Crs) -> Outcome<Table> {
        let len = layer.len();
        let mut wkb = Vec::new();
        let mut wkb_offsets = Vec::with_capacity(len + 1);
        wkb_offsets.push(0);
        let mut names: Vec<String> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        let mut cells: Vec<Vec<Option<Value>>> = Vec::new();
        let options = WriteOptions::default();
        for i in 0..len {
            let (geometry, properties) = layer.feature(i);
            write_geometry(&mut wkb, &to_output(geometry, crs), &options)
                .map_err(|e| Failure::input("output", format!("cannot encode WKB: {e}")))?;
            wkb_offsets.push(wkb.len() as i64);
            let value = serde_json::to_value(&properties)
                .map_err(|e| Failure::input("output", e.to_string()))?;
            let Value::Object(map) = value else {
                continue;
            };
            let mut row = Vec::new();
            for (key, value) in map {
                flatten(&key, value, &mut row);
            }
            for (key, value) in row {
                let at = *index.entry(key.clone()).or_insert_with(|| {
                    names.push(key);
                    cells.push(vec![None; len]);
                    cells.len() - 1
                });
                cells[at][i] = Some(value);
            }
        }
        let columns = names
            .into_iter()
            .zip(cells)
            .map(|(name, cells)| column(name, cells))
            .collect();
        Ok(Table {
            len,
            wkb,
            wkb_offsets,
            columns,
        })
    }

    /// The table for `lifecircle._tables.from_native`: a dict of `length`, `geometry`,
    /// `geometry_offsets` and `columns` (each a dict of `name`, `kind`, `values`,
    /// `offsets` for text, and `valid`).
    pub(crate) fn into_py(self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        let bytes_of_i64 = |values: &[i64]| {
            PyBytes::new(
                py,
                &values
                    .iter()
                    .flat_map(|v| v.to_le_bytes())
                    .collect::<Vec<_>>(),
            )
        };
        let table = PyDict::new(py);
        table.set_item("length", self.len)?;
        table.set_item("geometry", PyBytes::new(py, &self.wkb))?;
        table.set_item("geometry_offsets", bytes_of_i64(&self.wkb_offsets))?;
        let columns = PyList::empty(py);
        for column in self.columns {
            let entry = PyDict::new(py);
            entry.set_item("name", column.name)?;
            entry.set_item("valid", PyBytes::new(py, &column.valid))?;
            match column.values {
                Values::Float(values) => {
                    entry.set_item("kind", "float")?;
                    let raw: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
                    entry.set_item("values", PyBytes::new(py, &raw))?;
                }
                Values::Int(values) => {
                    entry.set_item("kind", "int")?;
                    entry.set_item("values", bytes_of_i64(&values))?;
                }
                Values::Bool(values) => {
                    entry.set_item("kind", "bool")?;
                    entry.set_item("values", PyBytes::new(py, &values))?;
                }
                Values::Text { data, offsets } => {
                    entry.set_item("kind", "text")?;
                    entry.set_item("values", PyBytes::new(py, &data))?;
                    entry.set_item("offsets", bytes_of_i64(&offsets))?;
                }
            }
            columns.append(entry)?;
        }
        table.set_item("columns", columns)?;
        Ok(table.unbind())
    }
}
