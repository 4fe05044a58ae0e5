//! ESRI Shapefile: `.shp` and `.shx` (the `shapefile` crate), `.dbf` (`dbase`, UTF-8),
//! `.cpg` and, in WGS84, `.prj`.
//!
//! dBase limits what a table holds: field names are cut to 10 bytes (a name taken gets
//! `_1`, `_2`, … in place of its last bytes), text to 254 bytes (counted and reported).
//! Numbers are written as decimal text as wide as the column's widest value; integers
//! beyond ±2^53, which the `dbase` crate's f64 would round, are written as text.

use std::io::Cursor;

use ::shapefile::{Point, Polygon, PolygonRing, Polyline, ShapeWriter};
use dbase::{FieldName, FieldValue, FieldWriter, TableWriterBuilder, WritableRecord};

use super::table::{unique_names, Cell, ColumnType, Shape, Table};
use super::LayerFiles;
use crate::crs::Crs;

/// The files of a Shapefile, in the order written.
pub(crate) const EXTENSIONS: [&str; 5] = ["shp", "shx", "dbf", "cpg", "prj"];

/// Longest dBase field name, bytes.
const FIELD_NAME_MAX_BYTES: usize = 10;
/// Longest dBase text value, bytes.
const TEXT_MAX_BYTES: usize = 254;
/// Largest integer an f64 holds exactly.
const EXACT_INTEGER_MAX: i64 = 1 << 53;
/// The header's "last update" (bytes 1–3: years since 1900, month, day): fixed, so the
/// same layer gives the same bytes.
const DBF_DATE: [u8; 3] = [70, 1, 1];

/// WGS84 in the ESRI dialect of WKT that `.prj` files hold.
const WGS84_PRJ: &str = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",\
6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

/// How one column goes into the `.dbf`.
#[derive(Debug, Clone, Copy)]
enum Field {
    Logical,
    /// Decimal text `width` wide with `decimals` places.
    Numeric {
        width: u8,
        decimals: u8,
    },
    Character {
        width: u8,
    },
}

/// One record: a value per field.
struct Record(Vec<FieldValue>);

impl WritableRecord for Record {
    fn write_using<W: std::io::Write>(
        &self,
        writer: &mut FieldWriter<'_, W>,
    ) -> Result<(), dbase::FieldError> {
        for value in &self.0 {
            writer.write_next_field_value(value)?;
        }
        Ok(())
    }
}

/// Text cut to at most `max` bytes at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Digits after the point in the shortest form of `x` (as Rust prints it, never in
/// exponent form).
fn decimals_of(x: f64) -> usize {
    let text = x.to_string();
    text.split_once('.').map_or(0, |(_, d)| d.len())
}

fn width(len: usize) -> Result<u8, String> {
    u8::try_from(len.max(1))
        .map_err(|_| format!("a value {len} bytes wide does not fit a dBase field"))
}

/// How column `c` is written and its values.
fn field(
    table: &Table,
    c: usize,
    kind: ColumnType,
) -> Result<(Field, Vec<FieldValue>, usize), String> {
    let cells = || table.rows.iter().map(move |row| &row[c]);
    let as_text = |cell: &Cell| -> Option<String> {
        match cell {
            Cell::Null => None,
            Cell::Bool(b) => Some(b.to_string()),
            Cell::Int(n) => Some(n.to_string()),
            Cell::Double(x) => Some(x.to_string()),
            Cell::Text(s) => Some(s.clone()),
        }
    };
    let huge_integer = cells()
        .any(|cell| matches!(cell, Cell::Int(n) if n.unsigned_abs() > EXACT_INTEGER_MAX as u64));
    match kind {
        ColumnType::Boolean => Ok((
            Field::Logical,
            cells()
                .map(|cell| {
                    FieldValue::Logical(match cell {
                        Cell::Bool(b) => Some(*b),
                        _ => None,
                    })
                })
                .collect(),
            0,
        )),
        ColumnType::Integer | ColumnType::Double if !huge_integer => {
            let decimals = cells()
                .map(|cell| match cell {
                    Cell::Double(x) => decimals_of(*x),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
                // A double column keeps a decimal place, so readers type it as real.
                .max(usize::from(kind == ColumnType::Double))
                .min(15);
            let numbers: Vec<Option<f64>> = cells()
                .map(|cell| match cell {
                    Cell::Int(n) => Some(*n as f64),
                    Cell::Double(x) => Some(*x),
                    _ => None,
                })
                .collect();
            let widest = numbers
                .iter()
                .flatten()
                .map(|x| format!("{x:.decimals$}").len())
                .max()
                .unwrap_or(1);
            Ok((
                Field::Numeric {
                    width: width(widest)?,
                    decimals: decimals as u8,
                },
                numbers.into_iter().map(FieldValue::Numeric).collect(),
                0,
            ))
        }
        _ => {
            let mut truncated = 0;
            let values: Vec<FieldValue> = cells()
                .map(|cell| {
                    FieldValue::Character(as_text(cell).map(|text| {
                        if text.len() > TEXT_MAX_BYTES {
                            truncated += 1;
                            cut(&text, TEXT_MAX_BYTES).to_string()
                        } else {
                            text
                        }
                    }))
                })
                .collect();
            let widest = values
                .iter()
                .map(|v| match v {
                    FieldValue::Character(Some(s)) => s.len(),
                    _ => 0,
                })
                .max()
                .unwrap_or(1);
            Ok((
                Field::Character {
                    width: width(widest)?,
                },
                values,
                truncated,
            ))
        }
    }
}

/// `table` as the files of the Shapefile `name`.
pub(crate) fn write(name: &str, table: &Table, crs: Crs) -> Result<LayerFiles, String> {
    table.kind()?;
    let names: Vec<String> = table.columns.iter().map(|(n, _)| n.clone()).collect();
    let short = unique_names(&names, FIELD_NAME_MAX_BYTES, &[]);
    let mut builder = TableWriterBuilder::with_encoding(dbase::Unicode);
    let mut columns = Vec::with_capacity(short.len());
    let mut truncated_values = 0;
    for (c, (field_name, (_, kind))) in short.iter().zip(&table.columns).enumerate() {
        let (field, values, truncated) = field(table, c, *kind)?;
        truncated_values += truncated;
        let field_name = FieldName::try_from(field_name.as_str()).map_err(str::to_string)?;
        builder = match field {
            Field::Logical => builder.add_logical_field(field_name),
            Field::Numeric { width, decimals } => {
                builder.add_numeric_field(field_name, width, decimals)
            }
            Field::Character { width } => builder.add_character_field(field_name, width),
        };
        columns.push(values);
    }

    let mut shp = Cursor::new(Vec::new());
    let mut shx = Cursor::new(Vec::new());
    {
        let mut shapes = ShapeWriter::with_shx(&mut shp, &mut shx);
        for shape in &table.shapes {
            let point = |[x, y]: [f64; 2]| Point::new(x, y);
            let written = match shape {
                Shape::Point(p) => shapes.write_shape(&point(*p)),
                Shape::LineString(line) => {
                    shapes.write_shape(&Polyline::new(line.iter().copied().map(point).collect()))
                }
                Shape::MultiPolygon(parts) => {
                    // The crate orders each ring as its role needs (outer clockwise).
                    let rings = parts
                        .iter()
                        .flat_map(|rings| {
                            rings.iter().enumerate().map(|(k, ring)| {
                                let points = ring.iter().copied().map(point).collect();
                                if k == 0 {
                                    PolygonRing::Outer(points)
                                } else {
                                    PolygonRing::Inner(points)
                                }
                            })
                        })
                        .collect();
                    shapes.write_shape(&Polygon::with_rings(rings))
                }
            };
            written.map_err(|e| e.to_string())?;
        }
        shapes.finalize().map_err(|e| e.to_string())?;
    }

    let mut dbf = Cursor::new(Vec::new());
    {
        let mut records = builder.build_with_dest(&mut dbf);
        for i in 0..table.rows.len() {
            let record = Record(columns.iter().map(|values| values[i].clone()).collect());
            records.write_record(&record).map_err(|e| e.to_string())?;
        }
        records.finalize().map_err(|e| e.to_string())?;
    }
    let mut dbf = dbf.into_inner();
    dbf[1..4].copy_from_slice(&DBF_DATE);

    let mut files = vec![
        (format!("{name}.shp"), shp.into_inner()),
        (format!("{name}.shx"), shx.into_inner()),
        (format!("{name}.dbf"), dbf),
        (format!("{name}.cpg"), b"UTF-8".to_vec()),
    ];
    if crs == Crs::Wgs84 {
        files.push((format!("{name}.prj"), WGS84_PRJ.as_bytes().to_vec()));
    }
    Ok(LayerFiles {
        files,
        truncated_values,
    })
}
