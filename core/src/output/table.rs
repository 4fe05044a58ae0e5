//! CSV tables of a layer's properties, for spreadsheets.
//!
//! One row per feature; the columns are every property any feature has, in the order
//! they first appear (so the same layer always gives the same header). Nested objects
//! become one column per key (`covered_by_profile.older`), lists of plain values one
//! cell joined by `; `, `null` an empty cell. Points get `lon` and `lat` columns (in
//! the output coordinate system) after their properties; other geometries are left to
//! the layer files.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return as a formula (CSV injection). A text cell starting so — an id or a name from
//! the input — is written with a leading `'`, which spreadsheets show as text and do not
//! display; numbers are never changed.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use super::flat::{flat_values, is_plain_list};
use super::geojson::{output_position, FeatureSource, Geometry};
use crate::crs::Crs;

/// The UTF-8 byte-order mark: Excel on Windows reads a CSV as UTF-8 (Chinese names
/// intact) only when the file starts with it.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a table is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start the file with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
}

/// Writes `layer`'s properties as CSV: one row per feature, a header of every column.
///
/// # Errors
/// Whatever `writer` returns.
///
/// ```
/// use lifecircle::crs::Crs;
/// use lifecircle::output::{write_csv, CsvOptions, PointsLayer};
/// use serde_json::json;
///
/// let sites = PointsLayer {
///     points: vec![
///         ([114.3, 30.59], json!({"id": "a", "name": "社区中心", "seats": 40})),
///         ([114.31, 30.6], json!({"id": "=b", "open": {"mon": true}})),
///     ],
/// };
/// let mut out = Vec::new();
/// write_csv(&mut out, &sites, Crs::Wgs84, CsvOptions::default()).unwrap();
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "id,name,seats,open.mon,lon,lat\n\
///      a,社区中心,40,,114.3,30.59\n\
///      '=b,,,true,114.31,30.6\n"
/// );
/// ```
pub fn write_csv<W: Write + ?Sized, L: FeatureSource + ?Sized>(
    writer: &mut W,
    layer: &L,
    crs: Crs,
    options: CsvOptions,
) -> io::Result<()> {
    // Two passes: the header needs every column before the first row.
    let mut columns: Vec<String> = Vec::new();
    let mut has_points = false;
    for i in 0..layer.len() {
        let (geometry, properties) = layer.feature(i);
        has_points |= matches!(geometry, Geometry::Point(_));
        for (name, _) in flat_cells(&properties)? {
            if !columns.contains(&name) {
                columns.push(name);
            }
        }
    }
    let mut header = columns.clone();
    if has_points {
        header.extend(["lon".to_string(), "lat".to_string()]);
    }
    if options.bom {
        writer.write_all(UTF8_BOM)?;
    }
    if header.is_empty() {
        // No feature: an empty table (a CSV record of no fields would read as one "").
        return Ok(());
    }
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(writer);
    csv.write_record(&header).map_err(io::Error::other)?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for i in 0..layer.len() {
        let (geometry, properties) = layer.feature(i);
        let cells = flat_cells(&properties)?;
        row.clear();
        row.extend(columns.iter().map(|column| {
            cells
                .iter()
                .find(|(name, _)| name == column)
                .map(|(_, cell)| cell.clone())
                .unwrap_or_default()
        }));
        if has_points {
            match geometry {
                Geometry::Point(lonlat) => {
                    let [x, y] = output_position(crs, lonlat);
                    row.push(number_text(x));
                    row.push(number_text(y));
                }
                _ => row.extend([String::new(), String::new()]),
            }
        }
        csv.write_record(&row).map_err(io::Error::other)?;
    }
    csv.flush()
}

/// A coordinate as GeoJSON writes it (shortest round-trip form).
fn number_text(value: f64) -> String {
    Value::from(value).to_string()
}

/// The properties as `(column, cell)` pairs, nested objects flattened.
fn flat_cells<P: Serialize>(properties: &P) -> io::Result<Vec<(String, String)>> {
    Ok(flat_values(properties)?
        .into_iter()
        .map(|(name, value)| {
            let cell = cell_text(&value);
            (name, cell)
        })
        .collect())
}

fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => defused(s),
        Value::Array(items) if is_plain_list(value) => {
            let parts: Vec<String> = items.iter().map(cell_text).collect();
            parts.join("; ")
        }
        other => other.to_string(),
    }
}

/// Text a spreadsheet would run as a formula, made plain text (see the module docs).
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::PointsLayer;
    use serde_json::json;

    fn csv_of(layer: &PointsLayer<Value>, options: CsvOptions) -> String {
        let mut out = Vec::new();
        write_csv(&mut out, layer, Crs::Wgs84, options).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_in_first_seen_order_lists_joined_nulls_empty() {
        let layer = PointsLayer {
            points: vec![
                (
                    [1.0, 2.0],
                    json!({"id": "a", "missing": ["x", "y"], "n": null}),
                ),
                ([3.5, -4.25], json!({"id": "b, \"quoted\"", "extra": 1.5})),
            ],
        };
        assert_eq!(
            csv_of(&layer, CsvOptions::default()),
            "id,missing,n,extra,lon,lat\na,x; y,,,1.0,2.0\n\"b, \"\"quoted\"\"\",,,1.5,3.5,-4.25\n"
        );
    }

    #[test]
    fn bom_for_excel_and_formulas_defused_but_numbers_kept() {
        let layer = PointsLayer {
            points: vec![(
                [0.0, 0.0],
                json!({"id": "-1", "name": "@home", "delta": -3}),
            )],
        };
        let text = csv_of(&layer, CsvOptions { bom: true });
        assert!(text.starts_with('\u{feff}'), "{text:?}");
        assert!(text.ends_with("'-1,'@home,-3,0.0,0.0\n"), "{text:?}");
    }

    #[test]
    fn an_empty_layer_is_an_empty_file() {
        let layer = PointsLayer::<Value> { points: vec![] };
        assert_eq!(csv_of(&layer, CsvOptions::default()), "");
    }
}
