//! A feature's properties as flat `(column, value)` pairs, shared by every tabular
//! format (CSV and the GIS formats) so they all have the same columns.
//!
//! Nested objects become one column per key, joined with `.` (`covered_by_profile.older`);
//! everything else stays one value (lists are left to each writer to join).

use std::io;

use serde::Serialize;
use serde_json::{Map, Value};

/// The properties as `(column, value)` pairs in their serialised order, nested objects
/// flattened; properties that are not an object become one column `value`.
pub(crate) fn flat_values<P: Serialize + ?Sized>(
    properties: &P,
) -> io::Result<Vec<(String, Value)>> {
    let value = serde_json::to_value(properties).map_err(io::Error::other)?;
    let mut cells = Vec::new();
    match value {
        Value::Object(map) => flatten("", map, &mut cells),
        other => cells.push(("value".to_string(), other)),
    }
    Ok(cells)
}

fn flatten(prefix: &str, map: Map<String, Value>, cells: &mut Vec<(String, Value)>) {
    for (key, value) in map {
        let name = if prefix.is_empty() {
            key
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => flatten(&name, inner, cells),
            other => cells.push((name, other)),
        }
    }
}

/// Whether `value` is a list of plain values (no list or object inside): written as one
/// text joined by `; `.
pub(crate) fn is_plain_list(value: &Value) -> bool {
    matches!(value, Value::Array(items) if items.iter().all(|v| !v.is_array() && !v.is_object()))
}
