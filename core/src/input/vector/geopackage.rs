//! GeoPackage: an SQLite database whose feature tables `gpkg_contents` lists.
//!
//! SQLite is C (compiled in by `rusqlite`'s `bundled` feature), so it is only there with
//! the `gpkg` feature; without it (the browser build) the reader says how to convert.

#[cfg(feature = "gpkg")]
pub(crate) use self::sqlite::read_geopackage;

#[cfg(not(feature = "gpkg"))]
pub(crate) use self::unavailable::read_geopackage;

#[cfg(not(feature = "gpkg"))]
mod unavailable {
    use super::super::parse_error;
    use crate::input::gzip::InputLimits;
    use crate::input::raw::FeatureTable;
    use crate::Result;

    /// Why a build without SQLite cannot read a GeoPackage, and what to do instead.
    const NEEDS_SQLITE: &str = "GeoPackage needs the SQLite build (the CLI and Python \
         package have it; the browser cannot read GeoPackage — convert to FlatGeobuf or a \
         zipped Shapefile)";

    /// Reading a GeoPackage needs the `gpkg` feature.
    ///
    /// # Errors
    /// Always [`crate::Error::Parse`], saying so.
    pub(crate) fn read_geopackage(
        label: &str,
        _bytes: &[u8],
        _layer: Option<&str>,
        _limits: &InputLimits,
    ) -> Result<FeatureTable> {
        Err(parse_error(label, NEEDS_SQLITE))
    }
}

/// The GeoPackage geometry blob: a `GP` header (version, flags, SRS id, envelope) before
/// standard WKB. Returns the WKB, or `None` for a geometry the header marks empty.
///
/// Parsed here (a few bytes) so that its errors are precise; the WKB after it goes to
/// the shared decoder.
#[cfg(any(feature = "gpkg", test))]
pub(super) fn gpkg_wkb(blob: &[u8]) -> Result<Option<&[u8]>, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("geometry is not a GeoPackage blob (no `GP` header)".to_string());
    }
    if blob[2] != 0 {
        return Err(format!("GeoPackage blob version {} is not known", blob[2]));
    }
    let flags = blob[3];
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => return Err(format!("GeoPackage blob with envelope code {other}")),
    };
    if flags & 0b1_0000 != 0 {
        return Ok(None);
    }
    let start = 8 + envelope;
    match blob.get(start..) {
        Some(wkb) if !wkb.is_empty() => Ok(Some(wkb)),
        _ => Err("GeoPackage blob cut short before its WKB".to_string()),
    }
}

#[cfg(feature = "gpkg")]
mod sqlite {
    use std::io::{Cursor, Read};

    use rusqlite::types::ValueRef;
    use rusqlite::{Connection, OpenFlags};
    use serde_json::Value;

    use super::super::geom::decode_wkb;
    use super::super::{feature_error, float_value, guarded, parse_error, Properties};
    use super::gpkg_wkb;
    use crate::input::gzip::InputLimits;
    use crate::input::raw::{FeatureTable, RawFeature};
    use crate::Result;

    struct Column {
        name: String,
        declared: String,
        primary_key: bool,
    }

    /// Reads the feature table `layer` (or the only one) of the GeoPackage `bytes`.
    ///
    /// # Errors
    /// [`crate::Error::Parse`] naming `label` for a file SQLite cannot open, one without
    /// feature tables, several tables and no `layer`, or an unknown `layer` (listing the
    /// tables); [`crate::Error::Feature`] for a geometry that does not decode.
    pub(crate) fn read_geopackage(
        label: &str,
        bytes: &[u8],
        layer: Option<&str>,
        limits: &InputLimits,
    ) -> Result<FeatureTable> {
        guarded(label, "GeoPackage", || read(label, bytes, layer, limits))
    }

    fn read(
        label: &str,
        bytes: &[u8],
        layer: Option<&str>,
        limits: &InputLimits,
    ) -> Result<FeatureTable> {
        let sql = |e: rusqlite::Error| parse_error(label, format!("invalid GeoPackage: {e}"));
        let conn = open(bytes).map_err(sql)?;
        let mut tables: Vec<String> = conn
            .prepare("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")
            .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
            .map_err(sql)?;
        tables.sort();
        let listed = tables.join(", ");
        let table = match (layer, tables.as_slice()) {
            (_, []) => {
                return Err(parse_error(label, "the GeoPackage holds no feature table"));
            }
            (None, [only]) => only.clone(),
            (None, _) => {
                return Err(parse_error(
                    label,
                    format!(
                        "the GeoPackage holds {} layers; choose one: {listed}",
                        tables.len()
                    ),
                ));
            }
            (Some(wanted), _) => tables
                .iter()
                .find(|t| t.eq_ignore_ascii_case(wanted))
                .cloned()
                .ok_or_else(|| {
                    parse_error(
                        label,
                        format!("the GeoPackage has no layer `{wanted}`; its layers: {listed}"),
                    )
                })?,
        };
        let (geometry_column, srs_id): (String, i64) = conn
            .query_row(
                "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
                [&table],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|e| {
                parse_error(
                    label,
                    format!("layer `{table}` has no geometry column: {e}"),
                )
            })?;
        let declared_crs = srs(&conn, srs_id).map_err(sql)?;
        let columns: Vec<Column> = conn
            .prepare(&format!("PRAGMA table_info({})", quoted(&table)))
            .and_then(|mut s| {
                s.query_map([], |row| {
                    Ok(Column {
                        name: row.get(1)?,
                        declared: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                        primary_key: row.get::<_, i64>(5)? > 0,
                    })
                })?
                .collect()
            })
            .map_err(sql)?;
        let selected: Vec<&Column> = columns
            .iter()
            .filter(|c| !c.primary_key && c.name != geometry_column)
            .collect();
        let mut names = vec![quoted(&geometry_column)];
        names.extend(selected.iter().map(|c| quoted(&c.name)));
        let query = format!(
            "SELECT {} FROM {} ORDER BY rowid",
            names.join(", "),
            quoted(&table)
        );
        let mut statement = conn.prepare(&query).map_err(sql)?;
        let mut rows = statement.query([]).map_err(sql)?;
        let mut features = Vec::new();
        while let Some(row) = rows.next().map_err(sql)? {
            let index = features.len();
            limits.check_features(label, index + 1)?;
            let geometry = match row.get_ref(0).map_err(sql)? {
                ValueRef::Null => None,
                ValueRef::Blob(blob) => match gpkg_wkb(blob) {
                    Ok(Some(wkb)) => decode_wkb(wkb).map_err(|r| feature_error(label, index, r))?,
                    Ok(None) => None,
                    Err(reason) => return Err(feature_error(label, index, reason)),
                },
                _ => {
                    return Err(feature_error(
                        label,
                        index,
                        format!("geometry column `{geometry_column}` holds no blob"),
                    ))
                }
            };
            let mut properties = Properties::new();
            for (i, column) in selected.iter().enumerate() {
                let value = match row.get_ref(i + 1).map_err(sql)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) if is_boolean(&column.declared) => Value::Bool(n != 0),
                    ValueRef::Integer(n) => n.into(),
                    ValueRef::Real(x) => float_value(x),
                    ValueRef::Text(text) => {
                        Value::String(String::from_utf8_lossy(text).into_owned())
                    }
                    // Blobs are not read: the engine uses properties as tags and numbers.
                    ValueRef::Blob(_) => continue,
                };
                properties.insert(column.name.clone(), value);
            }
            features.push(RawFeature::new(geometry, properties));
        }
        Ok(FeatureTable {
            features,
            declared_crs,
        })
    }

    /// An in-memory, read-only copy of the database.
    fn open(bytes: &[u8]) -> rusqlite::Result<Connection> {
        let mut conn = Connection::open_with_flags(
            ":memory:",
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A database saved in WAL mode says so at bytes 18-19; an in-memory copy has no
        // WAL file, so it is read as a rollback-journal database.
        let (head, tail) = bytes.split_at(bytes.len().min(20));
        let mut head = head.to_vec();
        if head.len() == 20 && head[18] == 2 && head[19] == 2 {
            head[18] = 1;
            head[19] = 1;
        }
        let reader = Cursor::new(head).chain(Cursor::new(tail));
        conn.deserialize_read_exact("main", reader, bytes.len(), true)?;
        Ok(conn)
    }

    /// The coordinate system of `srs_id`: `EPSG:n` from its organization code, else its
    /// WKT; `None` for the undefined systems 0 and -1.
    fn srs(conn: &Connection, srs_id: i64) -> rusqlite::Result<Option<String>> {
        if srs_id == 0 || srs_id == -1 {
            return Ok(None);
        }
        let row: Option<(Option<String>, Option<i64>, Option<String>)> = conn
            .query_row(
                "SELECT organization, organization_coordsys_id, definition \
                 FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
                [srs_id],
                |row| Ok(Some((row.get(0)?, row.get(1)?, row.get(2)?))),
            )
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let Some((organization, code, definition)) = row else {
            return Ok(None);
        };
        Ok(match (organization, code) {
            (Some(org), Some(code)) if !org.trim().is_empty() && code > 0 => {
                Some(format!("{}:{code}", org.trim().to_ascii_uppercase()))
            }
            _ => definition
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty() && d != "undefined"),
        })
    }

    fn is_boolean(declared: &str) -> bool {
        declared.eq_ignore_ascii_case("BOOLEAN")
    }

    /// An SQL identifier in double quotes.
    fn quoted(name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}
