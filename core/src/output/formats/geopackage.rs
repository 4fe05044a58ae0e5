//! GeoPackage 1.3: an in-memory SQLite database with the GeoPackage tables, one feature
//! table per layer, serialised to bytes.

use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, MAIN_DB};

use super::table::{unique_names, Cell, ColumnType, Table};
use super::wkb::wkb;
use crate::crs::Crs;
use crate::output::geojson::FeatureSource;
use crate::{Error, Result};

/// `"GPKG"` as the big-endian integer SQLite's `application_id` holds.
const APPLICATION_ID: i32 = 0x4750_4B47;
/// GeoPackage 1.3.0.
const USER_VERSION: i32 = 10300;
/// `gpkg_contents.last_change` is required; a fixed instant keeps the bytes the same
/// from run to run.
const LAST_CHANGE: &str = "1970-01-01T00:00:00.000Z";

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,\
298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,\
AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],\
AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// The tables every GeoPackage has (requirement 10–15 of the standard); `srs_id` 0 is the
/// undefined geographic system GCJ-02 and BD-09 layers use.
const SCHEMA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL,
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
";

/// A GeoPackage being built: add layers, then [`GeoPackage::finish`] for its bytes.
///
/// ```
/// use lifecircle::crs::Crs;
/// use lifecircle::output::{GeoPackage, PointsLayer};
/// use serde_json::json;
///
/// let sites = PointsLayer { points: vec![([114.3, 30.59], json!({"id": "a"}))] };
/// let mut gpkg = GeoPackage::new(Crs::Wgs84).unwrap();
/// gpkg.add_layer("sites", &sites).unwrap();
/// let bytes = gpkg.finish().unwrap();
/// assert!(bytes.starts_with(b"SQLite format 3\0"));
/// ```
pub struct GeoPackage {
    db: Connection,
    crs: Crs,
}

impl std::fmt::Debug for GeoPackage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoPackage")
            .field("crs", &self.crs)
            .finish()
    }
}

impl GeoPackage {
    /// An empty GeoPackage whose layers are written in `crs`.
    ///
    /// # Errors
    /// SQLite's, if it cannot make the tables.
    pub fn new(crs: Crs) -> rusqlite::Result<Self> {
        let db = Connection::open_in_memory()?;
        db.pragma_update(None, "application_id", APPLICATION_ID)?;
        db.pragma_update(None, "user_version", USER_VERSION)?;
        db.execute_batch(SCHEMA)?;
        let mut insert =
            db.prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        insert.execute(params![
            "Undefined cartesian SRS",
            -1,
            "NONE",
            -1,
            "undefined",
            "undefined cartesian coordinate reference system"
        ])?;
        insert.execute(params![
            "Undefined geographic SRS",
            0,
            "NONE",
            0,
            "undefined",
            "undefined geographic coordinate reference system"
        ])?;
        insert.execute(params![
            "WGS 84 geodetic",
            4326,
            "EPSG",
            4326,
            WGS84_WKT,
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
        ])?;
        drop(insert);
        Ok(Self { db, crs })
    }

    fn srs_id(&self) -> i32 {
        if self.crs == Crs::Wgs84 {
            4326
        } else {
            0
        }
    }

    /// Adds `layer` as the feature table `name`: `fid`, `geom`, then one column per
    /// property (a name SQLite would confuse with another, or with `fid`/`geom`, gets
    /// `_1`, `_2`, …).
    ///
    /// # Errors
    /// [`Error::Output`] if the table cannot be made (a name already used, a layer of
    /// mixed geometry types is written as `GEOMETRY` and is no error).
    pub fn add_layer<L: FeatureSource + ?Sized>(&mut self, name: &str, layer: &L) -> Result<()> {
        let fail = |reason: String| Error::Output {
            file: format!("GeoPackage layer {name}"),
            reason,
        };
        let table = Table::of(layer, self.crs).map_err(|e| fail(e.to_string()))?;
        self.add_table(name, &table)
            .map_err(|e| fail(e.to_string()))
    }

    fn add_table(&mut self, name: &str, table: &Table) -> rusqlite::Result<()> {
        let srs_id = self.srs_id();
        let geometry_type = match table.kind() {
            Ok(Some(kind)) => kind.ogc_name().to_ascii_uppercase(),
            Ok(None) | Err(_) => "GEOMETRY".to_string(),
        };
        let names: Vec<String> = table.columns.iter().map(|(n, _)| n.clone()).collect();
        let names = unique_names(&names, usize::MAX, &["fid", "geom"]);
        let mut columns = String::new();
        for (column, (_, kind)) in names.iter().zip(&table.columns) {
            let sql_type = match kind {
                ColumnType::Boolean => "BOOLEAN",
                ColumnType::Integer => "INTEGER",
                ColumnType::Double => "DOUBLE",
                ColumnType::Text => "TEXT",
            };
            columns.push_str(&format!(", {} {sql_type}", quoted(column)));
        }
        let tx = self.db.transaction()?;
        tx.execute_batch(&format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY NOT NULL, geom {geometry_type}{columns});",
            quoted(name)
        ))?;
        let [min_x, min_y, max_x, max_y] = match table.bbox() {
            Some(b) => b.map(Some),
            None => [None; 4],
        };
        tx.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, \
             last_change, min_x, min_y, max_x, max_y, srs_id) \
             VALUES (?1, 'features', ?1, '', ?2, ?3, ?4, ?5, ?6, ?7)",
            params![name, LAST_CHANGE, min_x, min_y, max_x, max_y, srs_id],
        )?;
        tx.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
            params![name, geometry_type, srs_id],
        )?;
        {
            let placeholders: String = (0..names.len()).map(|i| format!(", ?{}", i + 3)).collect();
            let mut insert = tx.prepare(&format!(
                "INSERT INTO {} VALUES (?1, ?2{placeholders})",
                quoted(name)
            ))?;
            let mut values: Vec<Sql> = Vec::with_capacity(names.len() + 2);
            for (i, (shape, row)) in table.shapes.iter().zip(&table.rows).enumerate() {
                values.clear();
                values.push(Sql::Integer(i as i64 + 1));
                values.push(Sql::Blob(geometry_blob(shape, srs_id)));
                values.extend(row.iter().map(|cell| match cell {
                    Cell::Null => Sql::Null,
                    Cell::Bool(b) => Sql::Integer(i64::from(*b)),
                    Cell::Int(n) => Sql::Integer(*n),
                    Cell::Double(x) => Sql::Real(*x),
                    Cell::Text(s) => Sql::Text(s.clone()),
                }));
                insert.execute(rusqlite::params_from_iter(values.iter()))?;
            }
        }
        tx.commit()
    }

    /// The GeoPackage's bytes.
    ///
    /// # Errors
    /// SQLite's, if it cannot serialise the database.
    pub fn finish(self) -> rusqlite::Result<Vec<u8>> {
        let mut db = self.db;
        let data = db.serialize(MAIN_DB)?;
        Ok(data.to_vec())
    }
}

/// A name as an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The GeoPackage geometry blob: the `GP` header (version 0, little-endian, an xy
/// envelope) and the WKB.
fn geometry_blob(shape: &super::table::Shape, srs_id: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(40 + 64);
    out.extend_from_slice(b"GP");
    out.push(0); // version 1
    let envelope = shape.bbox();
    // Bit 0: little-endian; bits 1-3: envelope kind (1: [minx, maxx, miny, maxy]); bit 4:
    // empty geometry.
    out.push(match envelope {
        Some(_) => 0b0000_0011,
        None => 0b0001_0001,
    });
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some([min_x, min_y, max_x, max_y]) = envelope {
        for v in [min_x, max_x, min_y, max_y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.extend_from_slice(&wkb(shape));
    out
}
