//! FlatGeobuf: features read in file order from bytes, properties by the header's
//! columns, the coordinate system from the header.

use std::io::Cursor;

use ::flatgeobuf::{FallibleStreamingIterator, FgbReader, Header};
use geozero::{ColumnValue, FeatureProperties, GeozeroGeometry, PropertyProcessor};
use serde_json::Value;

use super::geom::GeomBuilder;
use super::{column_value, feature_error, guarded, parse_error, Properties};
use crate::input::gzip::InputLimits;
use crate::input::raw::{FeatureTable, RawFeature};
use crate::Result;

/// Reads every feature of the FlatGeobuf `bytes` named `label`.
///
/// # Errors
/// [`crate::Error::Parse`] naming `label` for a corrupt file; [`crate::Error::Feature`]
/// for a geometry type the engine has no model for; [`crate::Error::TooLarge`] past
/// `limits`.
pub(crate) fn read_flatgeobuf(
    label: &str,
    bytes: &[u8],
    limits: &InputLimits,
) -> Result<FeatureTable> {
    guarded(label, "FlatGeobuf", || read(label, bytes, limits))
}

fn read(label: &str, bytes: &[u8], limits: &InputLimits) -> Result<FeatureTable> {
    let corrupt = |e: ::flatgeobuf::Error| parse_error(label, format!("invalid FlatGeobuf: {e}"));
    let reader = FgbReader::open(Cursor::new(bytes)).map_err(corrupt)?;
    let header = reader.header();
    let declared_crs = header_crs(&header);
    // 0 when the writer did not know; otherwise a file cut short is told by the count
    // (the reader itself ends quietly where the bytes end).
    let features_declared = header.features_count();
    // Every column of the header, null until a feature gives it a value (FlatGeobuf
    // leaves nulls out).
    let empty: Properties = header
        .columns()
        .into_iter()
        .flatten()
        .map(|column| (column.name().to_string(), Value::Null))
        .collect();
    let mut features = Vec::new();
    let mut iter = reader.select_all_seq().map_err(corrupt)?;
    while let Some(feature) = iter.next().map_err(corrupt)? {
        let index = features.len();
        limits.check_features(label, index + 1)?;
        let geometry = match feature.geometry() {
            None => None,
            Some(_) => {
                let mut builder = GeomBuilder::new();
                feature
                    .process_geom(&mut builder)
                    .map_err(|e| feature_error(label, index, format!("invalid geometry: {e}")))?;
                builder
                    .finish()
                    .map_err(|reason| feature_error(label, index, reason))?
            }
        };
        let mut properties = Collector(empty.clone());
        feature
            .process_properties(&mut properties)
            .map_err(|e| feature_error(label, index, format!("invalid properties: {e}")))?;
        features.push(RawFeature::new(geometry, properties.0));
    }
    if features_declared > 0 && features.len() as u64 != features_declared {
        return Err(parse_error(
            label,
            format!(
                "truncated FlatGeobuf: the header says {features_declared} features, the file \
                 holds {}",
                features.len()
            ),
        ));
    }
    Ok(FeatureTable {
        features,
        declared_crs,
    })
}

/// `EPSG:n` (or `ORG:n`) when the header names a code, else its WKT.
fn header_crs(header: &Header<'_>) -> Option<String> {
    let crs = header.crs()?;
    if crs.code() > 0 {
        let org = crs.org().filter(|o| !o.is_empty()).unwrap_or("EPSG");
        return Some(format!("{}:{}", org.to_ascii_uppercase(), crs.code()));
    }
    if let Some(code) = crs.code_string().filter(|c| !c.is_empty()) {
        let org = crs.org().filter(|o| !o.is_empty()).unwrap_or("EPSG");
        return Some(format!("{}:{code}", org.to_ascii_uppercase()));
    }
    crs.wkt()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
}

struct Collector(Properties);

impl PropertyProcessor for Collector {
    fn property(
        &mut self,
        _i: usize,
        name: &str,
        value: &ColumnValue<'_>,
    ) -> geozero::error::Result<bool> {
        match column_value(value) {
            Some(value) => {
                self.0.insert(name.to_string(), value);
            }
            None => {
                self.0.remove(name);
            }
        }
        Ok(false)
    }
}
