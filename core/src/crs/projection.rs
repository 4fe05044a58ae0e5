//! Projected and other non-WGS84 coordinate systems, converted to and from WGS84.
//!
//! The math is `proj4rs` (a pure-Rust port of PROJ's projections and its PROJ.4-style
//! datum pipeline through WGS84); EPSG codes become PROJ strings through the
//! `crs-definitions` table (about 6,000 codes, exported from the EPSG registry by PROJ);
//! WKT becomes a PROJ string through `proj4wkt`, which was chosen over a parser of our
//! own after checking it on the `.prj` texts GDAL writes: ESRI WKT1 (`Gauss_Kruger`,
//! `Mercator_Auxiliary_Sphere`, ESRI parameter names), OGC WKT1 and WKT2 all convert
//! (the tests here hold those texts). What it does not expose (the outermost EPSG code,
//! the datum's name) is read by `wkt.rs`.
//!
//! # Datums
//! A datum shift is applied only when the definition gives one (`+towgs84` Helmert
//! parameters, which `proj4rs` applies), e.g. British National Grid (EPSG:27700) on
//! OSGB36: the Helmert shift is good to a few metres (the exact OSTN15 grid is not
//! used), and the tests hold it within 5 cm of PROJ without its grid files.
//! No shift is applied between WGS84, CGCS2000 (China), ETRS89 (Europe) and NAD83
//! (North America): they differ by centimetres to a metre or so in plate motion, below
//! what the engine resolves, and PROJ's default (null) transformation does the same.
//! So CGCS2000 geographic (EPSG:4490) is treated as WGS84, and Gauss–Krüger zones on
//! CGCS2000 or UTM zones on ETRS89 are plain projections. A datum that needs a grid shift
//! file (NAD27, NZGD49 in the EPSG table, any `+nadgrids=` other than `@null`) is
//! refused: this library reads no files. An EPSG definition on another ellipsoid without
//! `+towgs84` (e.g. Xian 1980) is projected without a shift, as PROJ does when it knows no
//! transformation (its "ballpark"), so such coordinates may be off by tens of metres; a
//! WKT text in that case is refused instead, asking for the EPSG code, because the EPSG
//! table knows shifts that a bare WKT text does not carry.
//!
//! # Axis order
//! Always x = easting/longitude, y = northing/latitude: the order Shapefiles, GeoPackage,
//! GeoJSON and GDAL/GeoPandas outputs store, even for EPSG:4326 (whose EPSG definition
//! says latitude first) and the Chinese Gauss–Krüger systems (whose EPSG definitions say
//! northing first).

use std::fmt;

use proj4rs::Proj;

use super::wkt;
use crate::{Error, Result};

/// The engine's own system: WGS84 longitude/latitude.
const WGS84_PROJ: &str = "+proj=longlat +datum=WGS84 +no_defs";
/// WGS84's (and, within 0.1 mm, GRS80's) semi-major and semi-minor axes, metres.
const WGS84_A_M: f64 = 6_378_137.0;
const WGS84_B_M: f64 = 6_356_752.314_245;
/// Datum names of WKT texts without `TOWGS84` whose shift the `proj4rs` datum table
/// knows: GDAL's ESRI `.prj` for British National Grid says only `D_OSGB_1936`.
const KNOWN_WKT_DATUMS: [(&str, &str); 2] = [
    ("osgb1936", "OSGB36"),
    ("ordnancesurveyofgreatbritain1936", "OSGB36"),
];

/// A coordinate system that can be converted to and from WGS84 longitude/latitude.
///
/// ```
/// use lifecircle::crs::Projection;
/// let gk = Projection::parse("EPSG:4547").unwrap(); // CGCS2000 / 3° Gauss–Krüger CM 114E
/// let [lon, lat] = gk.to_wgs84([528773.1917, 3385557.6179]).unwrap();
/// assert!((lon - 114.30).abs() < 1e-8 && (lat - 30.59).abs() < 1e-8);
/// assert!(Projection::parse("urn:ogc:def:crs:OGC:1.3:CRS84").unwrap().is_wgs84());
/// ```
#[derive(Clone)]
pub struct Projection {
    name: String,
    /// The PROJ string used (for WGS84 too, for [`fmt::Debug`]).
    definition: String,
    /// `None`: WGS84 or equivalent, no conversion.
    transform: Option<Box<Transform>>,
}

#[derive(Clone)]
struct Transform {
    source: Proj,
    wgs84: Proj,
}

impl fmt::Debug for Projection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Projection")
            .field("name", &self.name)
            .field("definition", &self.definition)
            .finish()
    }
}

fn invalid(reason: String) -> Error {
    Error::InvalidParameter {
        name: "crs".into(),
        reason,
    }
}

/// The start of a long text, for messages.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

const SUPPORTED: &str = "EPSG:NNNN, urn:ogc:def:crs:EPSG::NNNN, OGC:CRS84, a PROJ string \
    (+proj=...), WKT or PROJJSON";

impl Projection {
    /// WGS84 longitude/latitude, named `name`.
    fn wgs84(name: &str) -> Self {
        Self {
            name: name.to_string(),
            definition: WGS84_PROJ.to_string(),
            transform: None,
        }
    }

    /// The system of an EPSG code, from the EPSG table (`crs-definitions`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`crs`) for a code the table does not hold, or whose
    /// datum needs a grid shift file.
    pub fn from_epsg(code: u32) -> Result<Projection> {
        if matches!(code, 4326 | 4490) {
            return Ok(Self::wgs84(&format!("EPSG:{code}")));
        }
        let def = u16::try_from(code)
            .ok()
            .and_then(crs_definitions::from_code)
            .ok_or_else(|| {
                invalid(format!(
                    "EPSG:{code} is not among the EPSG codes this tool knows; give its \
                     WKT or PROJ string instead"
                ))
            })?;
        Self::from_definition(format!("EPSG:{code}"), def.proj4)
    }

    /// The system of a PROJ string (`+proj=utm +zone=50 +datum=WGS84`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`crs`) for a string `proj4rs` cannot use, or a datum
    /// needing a grid shift file.
    pub fn from_proj(text: &str) -> Result<Projection> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.starts_with('+') {
            return Err(invalid(format!(
                "`{}` is not a PROJ string (+proj=...)",
                excerpt(&text)
            )));
        }
        Self::from_definition(text.clone(), &text)
    }

    /// The system of a WKT text (WKT1 as in Shapefile `.prj` files, OGC or ESRI; WKT2).
    ///
    /// An `AUTHORITY["EPSG","n"]` / `ID["EPSG",n]` on the outermost CRS wins (the EPSG
    /// table's definition carries the datum shift); otherwise the projection parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`crs`) for text that is not WKT, a projection method
    /// not supported, or a datum without a shift to WGS84 (see the module docs).
    pub fn from_wkt(text: &str) -> Result<Projection> {
        let facts = wkt::facts(text)
            .ok_or_else(|| invalid(format!("`{}` is not well-formed WKT", excerpt(text))))?;
        if let Some(code) = facts.epsg {
            if u16::try_from(code)
                .ok()
                .and_then(crs_definitions::from_code)
                .is_some()
                || matches!(code, 4326 | 4490)
            {
                return Self::from_epsg(code);
            }
        }
        let name = facts.name.clone().unwrap_or_else(|| "WKT".to_string());
        let mut definition = proj4wkt::wkt_to_projstring(text.trim()).map_err(|e| {
            invalid(format!(
                "the WKT of `{name}` cannot be converted ({e}); give its EPSG code instead"
            ))
        })?;
        let has = |key: &str| definition.split_whitespace().any(|p| p.starts_with(key));
        // proj4wkt adds `+towgs84=0,...` for WGS84/GRS80 datums and copies a TOWGS84
        // clause; anything else has no known shift.
        if !has("+towgs84=") && !has("+datum=") && !has("+nadgrids=") {
            let datum = facts.datum.as_deref().unwrap_or("(unnamed)");
            let key: String = datum
                .trim_start_matches("D_")
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            match KNOWN_WKT_DATUMS.iter().find(|(k, _)| *k == key) {
                Some((_, proj_datum)) => definition.push_str(&format!(" +datum={proj_datum}")),
                None => {
                    return Err(invalid(format!(
                        "the WKT of `{name}` uses datum `{datum}` without a TOWGS84 shift to \
                         WGS84; give its EPSG code instead (e.g. EPSG:NNNN), which carries \
                         the shift"
                    )))
                }
            }
        }
        Self::from_definition(name, &definition)
    }

    /// Parses a coordinate system as a file declares it or a user writes it:
    /// `EPSG:4547` (any case), `urn:ogc:def:crs:EPSG::32650`,
    /// `http://www.opengis.net/def/crs/EPSG/0/32650`, `OGC:CRS84` / `CRS84` /
    /// `urn:ogc:def:crs:OGC:1.3:CRS84`, `WGS84`, a PROJ string (`+proj=...`), WKT
    /// (starts with a keyword and `[`) or PROJJSON (`{...}` with an `id`). A bare number
    /// is refused: write `EPSG:4547`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`crs`) naming the text and the supported forms.
    pub fn parse(text: &str) -> Result<Projection> {
        let text = text.trim();
        if text.starts_with('{') {
            return Self::from_projjson(text);
        }
        if text.starts_with('+') {
            return Self::from_proj(text);
        }
        if looks_like_wkt(text) {
            return Self::from_wkt(text);
        }
        let upper = text.to_ascii_uppercase();
        if matches!(
            upper.as_str(),
            "OGC:CRS84" | "CRS84" | "URN:OGC:DEF:CRS:OGC:1.3:CRS84" | "URN:OGC:DEF:CRS:OGC::CRS84"
        ) || upper == "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84"
        {
            return Ok(Self::wgs84("OGC:CRS84"));
        }
        if upper == "WGS84" {
            return Ok(Self::wgs84("EPSG:4326"));
        }
        let code = if let Some(rest) = upper.strip_prefix("EPSG:") {
            Some(rest.trim_start_matches(':'))
        } else if let Some(rest) = upper.strip_prefix("URN:OGC:DEF:CRS:EPSG:") {
            // `urn:ogc:def:crs:EPSG::32650` or with a version: `...:EPSG:9.8.1:32650`.
            rest.rsplit(':').next()
        } else {
            upper
                .strip_prefix("HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/")
                .and_then(|rest| rest.rsplit('/').next())
        };
        if let Some(code) = code {
            return match code.parse::<u32>() {
                Ok(code) => Self::from_epsg(code),
                Err(_) => Err(invalid(format!(
                    "`{text}` does not end in an EPSG code number"
                ))),
            };
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(format!(
                "`{text}` is a bare number; write EPSG:{text} for an EPSG code"
            )));
        }
        Err(invalid(format!(
            "unknown coordinate system `{}`; expected {SUPPORTED}",
            excerpt(text)
        )))
    }

    /// PROJJSON: the CRS's `id` (or first of `ids`) decides.
    fn from_projjson(text: &str) -> Result<Projection> {
        let json: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| invalid(format!("`{}` is not valid PROJJSON: {e}", excerpt(text))))?;
        let id = json
            .get("id")
            .or_else(|| json.get("ids").and_then(|ids| ids.get(0)));
        let name = json
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("PROJJSON");
        let (authority, code) = match id {
            Some(id) => (
                id.get("authority").and_then(|a| a.as_str()).unwrap_or(""),
                match id.get("code") {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Number(n)) => n.to_string(),
                    _ => String::new(),
                },
            ),
            None => {
                return Err(invalid(format!(
                    "the PROJJSON CRS `{name}` has no `id` (authority and code); give its \
                     EPSG code or WKT instead"
                )))
            }
        };
        match (authority.to_ascii_uppercase().as_str(), code.as_str()) {
            ("EPSG", code) => match code.parse::<u32>() {
                Ok(code) => Self::from_epsg(code),
                Err(_) => Err(invalid(format!(
                    "the PROJJSON id code `{code}` is not a number"
                ))),
            },
            ("OGC", "CRS84") => Ok(Self::wgs84("OGC:CRS84")),
            (authority, code) => Err(invalid(format!(
                "the PROJJSON CRS `{name}` has id {authority}:{code}; only EPSG codes and \
                 OGC:CRS84 are known"
            ))),
        }
    }

    /// Builds from a PROJ string, refusing grid shifts and recognising WGS84 equivalents.
    fn from_definition(name: String, definition: &str) -> Result<Projection> {
        let params: Vec<&str> = definition.split_whitespace().collect();
        let value = |key: &str| {
            params
                .iter()
                .find_map(|p| p.strip_prefix('+').unwrap_or(p).strip_prefix(key))
                .and_then(|rest| rest.strip_prefix('='))
        };
        let grids = value("nadgrids").filter(|g| *g != "@null" && *g != "null");
        let grid_datum = value("datum").filter(|d| d.eq_ignore_ascii_case("NAD27"));
        if let Some(grids) = grids.or(grid_datum.map(|_| "conus")) {
            return Err(invalid(format!(
                "{name}: its datum needs the grid shift file `{grids}`, which this tool does \
                 not use; reproject the file to WGS84 or another system (e.g. with ogr2ogr \
                 -t_srs EPSG:4326)"
            )));
        }
        if value("proj") == Some("geocent") {
            return Err(invalid(format!(
                "{name} is geocentric (x, y, z from the Earth's centre), not a map system"
            )));
        }
        let source = Proj::from_proj_string(definition).map_err(|e| {
            invalid(format!(
                "{name}: cannot use the definition `{definition}`: {e}"
            ))
        })?;
        if !source.has_inverse() || !source.has_forward() {
            return Err(invalid(format!(
                "{name}: the projection `{}` cannot be converted both ways",
                source.projname()
            )));
        }
        let towgs84_zero = value("towgs84").is_none_or(|v| {
            v.split(',')
                .all(|n| n.trim().parse::<f64>().is_ok_and(|n| n == 0.0))
        });
        let datum_ok = value("datum")
            .is_none_or(|d| d.eq_ignore_ascii_case("WGS84") || d.eq_ignore_ascii_case("NAD83"));
        let (a_m, b_m) = source.ellipse_parameters();
        let wgs84_equivalent = source.is_latlong()
            && source.from_greenwich() == 0.0
            && source.is_normalized_axis()
            && value("geoc").is_none()
            && params.iter().all(|p| *p != "+geoc")
            && towgs84_zero
            && datum_ok
            && (a_m - WGS84_A_M).abs() < 1e-3
            && (b_m - WGS84_B_M).abs() < 1e-3;
        if wgs84_equivalent {
            return Ok(Self {
                name,
                definition: definition.to_string(),
                transform: None,
            });
        }
        let wgs84 = Proj::from_proj_string(WGS84_PROJ)
            .map_err(|e| invalid(format!("the WGS84 definition failed: {e}")))?;
        Ok(Self {
            name,
            definition: definition.to_string(),
            transform: Some(Box::new(Transform { source, wgs84 })),
        })
    }

    /// A short label for reports: `EPSG:4547`, `OGC:CRS84`, a WKT's CRS name or the PROJ
    /// string.
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// The PROJ string the conversion uses.
    pub fn definition(&self) -> &str {
        &self.definition
    }

    /// Whether coordinates are already WGS84 longitude/latitude (EPSG:4326, OGC:CRS84,
    /// CGCS2000 geographic EPSG:4490 and other geographic systems on WGS84/GRS80 without a
    /// datum shift): converting them changes nothing.
    pub fn is_wgs84(&self) -> bool {
        self.transform.is_none()
    }

    /// Whether coordinates are longitude/latitude degrees (on whatever datum) rather than
    /// projected easting/northing.
    pub fn is_geographic(&self) -> bool {
        self.transform
            .as_ref()
            .is_none_or(|t| t.source.is_latlong())
    }

    /// Converts `[x, y]` (easting/northing in the system's units, or longitude/latitude
    /// degrees for a geographic system) to WGS84 `[lon, lat]` degrees.
    ///
    /// # Errors
    /// A reason naming the coordinate when it is not finite or outside the projection.
    pub fn to_wgs84(&self, xy: [f64; 2]) -> std::result::Result<[f64; 2], String> {
        let [x, y] = xy;
        if !x.is_finite() || !y.is_finite() {
            return Err(format!("coordinate ({x}, {y}) is not a finite number pair"));
        }
        let Some(t) = &self.transform else {
            return Ok(xy);
        };
        let mut point = if t.source.is_latlong() {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        let failed = |reason: &dyn fmt::Display| {
            format!(
                "coordinate ({x}, {y}) cannot be converted from {} to WGS84: {reason}",
                self.name
            )
        };
        proj4rs::transform::transform(&t.source, &t.wgs84, &mut point).map_err(|e| failed(&e))?;
        let out = [point.0.to_degrees(), point.1.to_degrees()];
        if out.iter().all(|v| v.is_finite()) {
            Ok(out)
        } else {
            Err(failed(&"outside the projection's domain"))
        }
    }

    /// Converts WGS84 `[lon, lat]` degrees to `[x, y]` in this system.
    ///
    /// # Errors
    /// A reason naming the coordinate when it is not finite or outside the projection.
    pub fn from_wgs84(&self, lonlat: [f64; 2]) -> std::result::Result<[f64; 2], String> {
        let [lon, lat] = lonlat;
        if !lon.is_finite() || !lat.is_finite() {
            return Err(format!(
                "coordinate ({lon}, {lat}) is not a finite number pair"
            ));
        }
        let Some(t) = &self.transform else {
            return Ok(lonlat);
        };
        let failed = |reason: &dyn fmt::Display| {
            format!(
                "coordinate ({lon}, {lat}) cannot be converted from WGS84 to {}: {reason}",
                self.name
            )
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(failed(&"not a longitude/latitude in degrees"));
        }
        let mut point = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&t.wgs84, &t.source, &mut point).map_err(|e| failed(&e))?;
        let out = if t.source.is_latlong() {
            [point.0.to_degrees(), point.1.to_degrees()]
        } else {
            [point.0, point.1]
        };
        if out.iter().all(|v| v.is_finite()) {
            Ok(out)
        } else {
            Err(failed(&"outside the projection's domain"))
        }
    }
}

/// `KEYWORD[` at the start: WKT (WKT1 also allows `(`).
fn looks_like_wkt(text: &str) -> bool {
    let keyword_len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    keyword_len > 0
        && text.as_bytes()[0].is_ascii_alphabetic()
        && matches!(
            text[keyword_len..].trim_start().bytes().next(),
            Some(b'[' | b'(')
        )
}

#[cfg(test)]
mod tests;
