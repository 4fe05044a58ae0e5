//! FlatGeobuf with its packed Hilbert R-tree (the crate's `FgbWriter`).

use ::flatgeobuf::{ColumnType as FgbType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::{ColumnValue, GeomProcessor, GeozeroGeometry, PropertyProcessor};

use super::table::{Cell, ColumnType, Shape, ShapeKind, Table};
use crate::crs::Crs;

/// A shape fed to the writer's geometry processor.
struct Feed<'a>(&'a Shape);

impl GeozeroGeometry for Feed<'_> {
    fn process_geom<P: GeomProcessor>(&self, p: &mut P) -> geozero::error::Result<()> {
        let line = |p: &mut P, points: &[[f64; 2]], tagged: bool, idx: usize| {
            p.linestring_begin(tagged, points.len(), idx)?;
            for (i, [x, y]) in points.iter().enumerate() {
                p.xy(*x, *y, i)?;
            }
            p.linestring_end(tagged, idx)
        };
        match self.0 {
            Shape::Point([x, y]) => {
                p.point_begin(0)?;
                p.xy(*x, *y, 0)?;
                p.point_end(0)
            }
            Shape::LineString(points) => line(p, points, true, 0),
            Shape::MultiPolygon(parts) => {
                p.multipolygon_begin(parts.len(), 0)?;
                for (j, rings) in parts.iter().enumerate() {
                    p.polygon_begin(false, rings.len(), j)?;
                    for (k, ring) in rings.iter().enumerate() {
                        line(p, ring, false, k)?;
                    }
                    p.polygon_end(false, j)?;
                }
                p.multipolygon_end(0)
            }
        }
    }
}

/// `table` as a FlatGeobuf named `name`, indexed; EPSG:4326 in WGS84, no code otherwise.
pub(crate) fn write(name: &str, table: &Table, crs: Crs) -> Result<Vec<u8>, String> {
    let geometry_type = match table.kind()? {
        Some(ShapeKind::Point) => GeometryType::Point,
        Some(ShapeKind::LineString) => GeometryType::LineString,
        Some(ShapeKind::MultiPolygon) => GeometryType::MultiPolygon,
        None => GeometryType::Unknown,
    };
    let options = FgbWriterOptions {
        write_index: true,
        detect_type: false,
        promote_to_multi: false,
        crs: FgbCrs {
            code: if crs == Crs::Wgs84 { 4326 } else { 0 },
            ..Default::default()
        },
        ..Default::default()
    };
    let mut fgb =
        FgbWriter::create_with_options(name, geometry_type, options).map_err(|e| e.to_string())?;
    for (column, kind) in &table.columns {
        let fgb_type = match kind {
            ColumnType::Boolean => FgbType::Bool,
            ColumnType::Integer => FgbType::Long,
            ColumnType::Double => FgbType::Double,
            ColumnType::Text => FgbType::String,
        };
        fgb.add_column(column, fgb_type, |_, args| args.nullable = true);
    }
    for (shape, row) in table.shapes.iter().zip(&table.rows) {
        let mut failed = None;
        fgb.add_feature_geom(Feed(shape), |feature| {
            for (i, (cell, (column, _))) in row.iter().zip(&table.columns).enumerate() {
                // A null is a property left out (FlatGeobuf properties are sparse).
                let value = match cell {
                    Cell::Null => continue,
                    Cell::Bool(b) => ColumnValue::Bool(*b),
                    Cell::Int(n) => ColumnValue::Long(*n),
                    Cell::Double(x) => ColumnValue::Double(*x),
                    Cell::Text(s) => ColumnValue::String(s),
                };
                if let Err(e) = feature.property(i, column, &value) {
                    failed.get_or_insert(e.to_string());
                }
            }
        })
        .map_err(|e| e.to_string())?;
        if let Some(reason) = failed {
            return Err(reason);
        }
    }
    let mut out = Vec::new();
    fgb.write(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}
