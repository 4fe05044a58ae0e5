//! GeoParquet 1.1: property columns and a WKB `geometry` column, Snappy-compressed, with
//! the `geo` metadata.

use std::sync::Arc;

use arrow_array::builder::BinaryBuilder;
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::json;

use super::table::{unique_names, Cell, ColumnType, Table};
use super::wkb::wkb;
use crate::crs::Crs;

/// The writer named in the file's metadata: fixed (not the crate's version) so that the
/// same layer gives the same bytes whatever builds it.
const CREATED_BY: &str = "lifecircle";

/// `table` as GeoParquet in `crs` (WGS84: `crs` left out, meaning OGC:CRS84; GCJ-02 and
/// BD-09: `crs` null, undefined).
pub(crate) fn write(table: &Table, crs: Crs) -> Result<Vec<u8>, String> {
    let names: Vec<String> = table.columns.iter().map(|(n, _)| n.clone()).collect();
    let names = unique_names(&names, usize::MAX, &["geometry"]);
    let mut fields = Vec::with_capacity(names.len() + 1);
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(names.len() + 1);
    for (c, (name, (_, kind))) in names.iter().zip(&table.columns).enumerate() {
        let cells = table.rows.iter().map(|row| &row[c]);
        let (data_type, array): (DataType, ArrayRef) = match kind {
            ColumnType::Boolean => (
                DataType::Boolean,
                Arc::new(BooleanArray::from_iter(cells.map(|cell| match cell {
                    Cell::Bool(v) => Some(*v),
                    _ => None,
                }))),
            ),
            ColumnType::Integer => (
                DataType::Int64,
                Arc::new(Int64Array::from_iter(cells.map(|cell| match cell {
                    Cell::Int(v) => Some(*v),
                    _ => None,
                }))),
            ),
            ColumnType::Double => (
                DataType::Float64,
                Arc::new(Float64Array::from_iter(cells.map(|cell| match cell {
                    Cell::Double(v) => Some(*v),
                    _ => None,
                }))),
            ),
            ColumnType::Text => (
                DataType::Utf8,
                Arc::new(StringArray::from_iter(cells.map(|cell| match cell {
                    Cell::Text(s) => Some(s.as_str()),
                    _ => None,
                }))),
            ),
        };
        fields.push(Field::new(name, data_type, true));
        arrays.push(array);
    }
    let mut geometry = BinaryBuilder::new();
    for shape in &table.shapes {
        geometry.append_value(wkb(shape));
    }
    fields.push(Field::new("geometry", DataType::Binary, false));
    arrays.push(Arc::new(geometry.finish()));

    let geometry_types: Vec<&str> = match table.kind() {
        Ok(Some(kind)) => vec![kind.ogc_name()],
        Ok(None) => vec![],
        Err(_) => {
            let mut kinds: Vec<&str> = table.shapes.iter().map(|s| s.kind().ogc_name()).collect();
            kinds.sort_unstable();
            kinds.dedup();
            kinds
        }
    };
    let mut column = json!({"encoding": "WKB", "geometry_types": geometry_types});
    if let Some(bbox) = table.bbox() {
        column["bbox"] = json!(bbox);
    }
    if crs != Crs::Wgs84 {
        column["crs"] = serde_json::Value::Null;
    }
    let geo = json!({
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": column},
    });
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| e.to_string())?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(CREATED_BY.to_string())
        .build();
    let mut out = Vec::new();
    let mut writer =
        ArrowWriter::try_new(&mut out, schema, Some(properties)).map_err(|e| e.to_string())?;
    writer.write(&batch).map_err(|e| e.to_string())?;
    // In the file's key-value metadata, where GeoParquet readers look for it.
    writer.append_key_value_metadata(KeyValue::new("geo".to_string(), geo.to_string()));
    writer.close().map_err(|e| e.to_string())?;
    Ok(out)
}
