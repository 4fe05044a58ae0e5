//! Vector formats besides GeoJSON, each read into the common [`FeatureTable`]: Shapefile
//! (plain, with its companion files, or zipped), FlatGeobuf, GeoPackage and GeoParquet.
//!
//! The readers only decode: geometry keeps the file's own coordinates (reprojection and
//! every check that names a feature happen later, once for all formats), and the
//! coordinate system is passed on as the file declares it.

mod dbf;
mod flatgeobuf;
mod geom;
mod geopackage;
mod geoparquet;
mod shapefile;
mod zip;

#[cfg(test)]
mod tests;

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde_json::{Map, Number, Value};

use crate::{Error, Result};

pub(crate) use self::flatgeobuf::read_flatgeobuf;
pub(crate) use self::geopackage::read_geopackage;
pub(crate) use self::geoparquet::read_geoparquet;
pub(crate) use self::shapefile::read_shapefile;
pub(crate) use self::zip::read_zipped_shapefile;

/// A companion file (`.dbf`, `.shx`, `.prj`, `.cpg`) by name, with its bytes.
pub(crate) type Companion = (String, Vec<u8>);

fn parse_error(layer: &str, reason: impl Into<String>) -> Error {
    Error::Parse {
        layer: layer.to_string(),
        reason: reason.into(),
    }
}

/// Runs a third-party decoder on untrusted bytes: a panic inside it becomes
/// [`Error::Parse`] naming `layer` and the format instead of taking the caller down.
fn guarded<T>(layer: &str, format: &str, decode: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(decode)) {
        Ok(result) => result,
        Err(_) => Err(parse_error(
            layer,
            format!("invalid {format}: the decoder failed on corrupt data"),
        )),
    }
}

/// A float as a JSON number; NaN and infinities (no JSON number) become null.
fn float_value(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// The file name of a path (after the last `/` or `\`).
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// One feature's properties in column order.
type Properties = Map<String, Value>;

/// A geozero column value as a property; `None` for binary values, which are not read
/// (the engine uses properties as tags and numbers; a blob is neither).
fn column_value(value: &geozero::ColumnValue<'_>) -> Option<Value> {
    use geozero::ColumnValue as C;
    Some(match *value {
        C::Byte(v) => v.into(),
        C::UByte(v) => v.into(),
        C::Bool(v) => v.into(),
        C::Short(v) => v.into(),
        C::UShort(v) => v.into(),
        C::Int(v) => v.into(),
        C::UInt(v) => v.into(),
        C::Long(v) => v.into(),
        C::ULong(v) => v.into(),
        C::Float(v) => float_value(f64::from(v)),
        C::Double(v) => float_value(v),
        C::String(v) | C::DateTime(v) => Value::String(v.to_string()),
        C::Json(v) => serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_string())),
        C::Binary(_) => return None,
    })
}

fn feature_error(layer: &str, index: usize, reason: impl Into<String>) -> Error {
    Error::Feature {
        layer: layer.to_string(),
        index,
        reason: reason.into(),
    }
}
