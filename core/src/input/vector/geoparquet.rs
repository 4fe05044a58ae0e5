//! GeoParquet: a Parquet file whose `geo` metadata names the geometry column (WKB) and
//! its coordinate system; the other columns become properties.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

use super::geom::decode_wkb;
use super::{feature_error, float_value, guarded, parse_error, Properties};
use crate::input::gzip::InputLimits;
use crate::input::raw::{FeatureTable, RawFeature};
use crate::Result;

/// Reads the features of the GeoParquet `bytes` named `label`.
///
/// # Errors
/// [`crate::Error::Parse`] naming `label` for a corrupt file, one without `geo`
/// metadata, or a geometry encoding other than WKB; [`crate::Error::Feature`] for a
/// geometry that does not decode; [`crate::Error::TooLarge`] past `limits`.
pub(crate) fn read_geoparquet(
    label: &str,
    bytes: &[u8],
    limits: &InputLimits,
) -> Result<FeatureTable> {
    guarded(label, "GeoParquet", || read(label, bytes, limits))
}

struct GeoMetadata {
    column: String,
    declared_crs: Option<String>,
    /// Every geometry column (the others are not properties either).
    geometry_columns: Vec<String>,
}

fn read(label: &str, bytes: &[u8], limits: &InputLimits) -> Result<FeatureTable> {
    let corrupt =
        |e: parquet::errors::ParquetError| parse_error(label, format!("invalid Parquet file: {e}"));
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::copy_from_slice(bytes))
        .map_err(corrupt)?;
    let geo = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|pairs| pairs.iter().find(|kv| kv.key == "geo"))
        .and_then(|kv| kv.value.clone())
        .ok_or_else(|| {
            parse_error(
                label,
                "a Parquet file without GeoParquet `geo` metadata (no geometry column is named)",
            )
        })?;
    let geo = geo_metadata(&geo).map_err(|reason| parse_error(label, reason))?;
    let rows = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    limits.check_features(label, rows)?;
    let reader = builder.with_batch_size(8192).build().map_err(corrupt)?;
    let mut features = Vec::with_capacity(rows.min(1 << 20));
    for batch in reader {
        let batch = batch.map_err(|e| parse_error(label, format!("invalid Parquet file: {e}")))?;
        read_batch(label, &batch, &geo, &mut features)?;
        limits.check_features(label, features.len())?;
    }
    Ok(FeatureTable {
        features,
        declared_crs: geo.declared_crs,
    })
}

/// The primary geometry column, its encoding (WKB only) and its coordinate system.
fn geo_metadata(text: &str) -> std::result::Result<GeoMetadata, String> {
    let geo: Value = serde_json::from_str(text)
        .map_err(|e| format!("invalid GeoParquet `geo` metadata: {e}"))?;
    let column = geo
        .get("primary_column")
        .and_then(Value::as_str)
        .ok_or("GeoParquet `geo` metadata without `primary_column`")?
        .to_string();
    let columns = geo
        .get("columns")
        .and_then(Value::as_object)
        .ok_or("GeoParquet `geo` metadata without `columns`")?;
    let meta = columns
        .get(&column)
        .ok_or_else(|| format!("GeoParquet `geo` metadata does not describe column `{column}`"))?;
    let encoding = meta.get("encoding").and_then(Value::as_str).unwrap_or("");
    if !encoding.eq_ignore_ascii_case("WKB") {
        return Err(format!(
            "geometry column `{column}` is encoded as `{encoding}`; only WKB is read (write \
             it with WKB encoding, e.g. geopandas `to_parquet(geometry_encoding=\"WKB\")`)"
        ));
    }
    // Absent: OGC:CRS84 (longitude/latitude on WGS 84), the GeoParquet default.
    let declared_crs = match meta.get("crs") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(projjson) => Some(projjson_id(projjson).unwrap_or_else(|| projjson.to_string())),
    };
    Ok(GeoMetadata {
        column,
        declared_crs,
        geometry_columns: columns.keys().cloned().collect(),
    })
}

/// `AUTHORITY:code` from a PROJJSON `id`.
fn projjson_id(projjson: &Value) -> Option<String> {
    let id = projjson.get("id")?;
    let authority = id.get("authority")?.as_str()?;
    let code = match id.get("code")? {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    Some(format!("{}:{code}", authority.to_ascii_uppercase()))
}

fn read_batch(
    label: &str,
    batch: &RecordBatch,
    geo: &GeoMetadata,
    features: &mut Vec<RawFeature>,
) -> Result<()> {
    let schema = batch.schema();
    let Ok(geometry_index) = schema.index_of(&geo.column) else {
        return Err(parse_error(
            label,
            format!("no column `{}`, which the `geo` metadata names", geo.column),
        ));
    };
    let geometry = batch.column(geometry_index);
    let properties: Vec<(usize, &str)> = schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| !geo.geometry_columns.iter().any(|g| g == f.name()))
        // The index pandas writes is no property.
        .filter(|(_, f)| f.name() != "__index_level_0__")
        .map(|(i, f)| (i, f.name().as_str()))
        .collect();
    for row in 0..batch.num_rows() {
        let index = features.len();
        let wkb: Option<&[u8]> = if geometry.is_null(row) {
            None
        } else {
            match geometry.data_type() {
                DataType::Binary => Some(geometry.as_binary::<i32>().value(row)),
                DataType::LargeBinary => Some(geometry.as_binary::<i64>().value(row)),
                DataType::BinaryView => Some(geometry.as_binary_view().value(row)),
                other => {
                    return Err(parse_error(
                        label,
                        format!(
                            "geometry column `{}` is {other}, not WKB binary",
                            geo.column
                        ),
                    ))
                }
            }
        };
        let raw = match wkb {
            Some(wkb) => decode_wkb(wkb).map_err(|reason| feature_error(label, index, reason))?,
            None => None,
        };
        let mut map = Properties::new();
        for &(column, name) in &properties {
            if let Some(value) = cell(batch.column(column).as_ref(), row) {
                map.insert(name.to_string(), value);
            }
        }
        features.push(RawFeature::new(raw, map));
    }
    Ok(())
}

/// One cell as a property; `None` for types the engine has no use for as a tag or a
/// number (binary, nested lists and structs), which are not read.
fn cell(array: &dyn Array, row: usize) -> Option<Value> {
    if array.is_null(row) {
        return Some(Value::Null);
    }
    Some(match array.data_type() {
        DataType::Boolean => array.as_boolean().value(row).into(),
        DataType::Int8 => array.as_primitive::<Int8Type>().value(row).into(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(row).into(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).into(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row).into(),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(row).into(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(row).into(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(row).into(),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(row).into(),
        DataType::Float32 => float_value(f64::from(array.as_primitive::<Float32Type>().value(row))),
        DataType::Float64 => float_value(array.as_primitive::<Float64Type>().value(row)),
        DataType::Utf8 => array.as_string::<i32>().value(row).into(),
        DataType::LargeUtf8 => array.as_string::<i64>().value(row).into(),
        DataType::Utf8View => array.as_string_view().value(row).into(),
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(row);
            Value::String(civil_date(i64::from(days)))
        }
        DataType::Date64 => {
            let ms = array.as_primitive::<Date64Type>().value(row);
            Value::String(civil_date(ms.div_euclid(86_400_000)))
        }
        DataType::Timestamp(unit, _) => {
            let (value, per_second) = match unit {
                TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().value(row), 1),
                TimeUnit::Millisecond => (
                    array.as_primitive::<TimestampMillisecondType>().value(row),
                    1_000,
                ),
                TimeUnit::Microsecond => (
                    array.as_primitive::<TimestampMicrosecondType>().value(row),
                    1_000_000,
                ),
                TimeUnit::Nanosecond => (
                    array.as_primitive::<TimestampNanosecondType>().value(row),
                    1_000_000_000,
                ),
            };
            Value::String(timestamp(value, per_second))
        }
        DataType::Dictionary(_, _) => {
            let dictionary = array.as_any_dictionary();
            let key = dictionary.normalized_keys()[row];
            return cell(dictionary.values().as_ref(), key);
        }
        _ => return None,
    })
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian calendar).
fn civil_date(days: i64) -> String {
    // Days to civil date by 400-year eras (each 146,097 days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// An ISO 8601 UTC timestamp of `value` units (`per_second` a second) since the epoch.
fn timestamp(value: i64, per_second: i64) -> String {
    let seconds = value.div_euclid(per_second);
    let fraction = value.rem_euclid(per_second);
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (h, m, s) = (
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    );
    let date = civil_date(days);
    if fraction == 0 {
        format!("{date}T{h:02}:{m:02}:{s:02}Z")
    } else {
        let digits = per_second.ilog10() as usize;
        format!("{date}T{h:02}:{m:02}:{s:02}.{fraction:0digits$}Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_timestamps() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(-1), "1969-12-31");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(
            timestamp(1_704_067_200_500, 1_000),
            "2024-01-01T00:00:00.500Z"
        );
        assert_eq!(timestamp(-1, 1), "1969-12-31T23:59:59Z");
    }
}
