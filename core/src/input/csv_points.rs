//! CSV reader for points given as longitude/latitude columns.

use serde_json::{Map, Value};

use super::gzip::InputLimits;
use super::reproject::{cannot_be_degrees, not_degrees_reason};
use super::validate::{check_lon_lat, make_ids_unique, parse_population};
use super::{PointFeature, PointLayer};
use crate::crs::Projection;
use crate::{Error, Result};

/// Header names recognised (case-insensitively) when a column is not named explicitly, in
/// order of preference.
const LON_NAMES: [&str; 5] = ["lon", "lng", "long", "longitude", "x"];
const LAT_NAMES: [&str; 3] = ["lat", "latitude", "y"];
const ID_NAMES: [&str; 1] = ["id"];
/// The same with a coordinate system given (`--input-crs`): projected x/y first.
const X_NAMES: [&str; 7] = ["x", "easting", "east", "lon", "lng", "long", "longitude"];
const Y_NAMES: [&str; 5] = ["y", "northing", "north", "lat", "latitude"];
/// Population columns recognised without `--population-field`: English and Chinese
/// headers (人口 population, 常住人口 resident population, 居住人口 living population).
const POPULATION_NAMES: [&str; 6] = [
    "population",
    "pop",
    "inhabitants",
    "人口",
    "常住人口",
    "居住人口",
];

/// Which CSV columns hold what. `None` detects the column from its header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Longitude column; detected from `lon`, `lng`, `long`, `longitude`, `x`.
    pub lon_column: Option<String>,
    /// Latitude column; detected from `lat`, `latitude`, `y`.
    pub lat_column: Option<String>,
    /// Identifier column; detected from `id`. Without one the id is the data-row index.
    pub id_column: Option<String>,
    /// Population column; detected from `population`, `pop` and the names in
    /// `POPULATION_NAMES`. Without one every row is 1.
    pub population_column: Option<String>,
    /// The rows are places (centers, candidate sites): no population is noted as
    /// defaulted.
    pub places: bool,
}

/// Finds a column: an explicit name (exact, then case-insensitive) or the first candidate.
fn find_column(
    headers: &csv::StringRecord,
    explicit: Option<&str>,
    candidates: &[&str],
) -> Option<usize> {
    let position = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
    };
    match explicit {
        Some(name) => position(name),
        None => candidates.iter().find_map(|name| position(name)),
    }
}

fn missing_column(
    layer: &str,
    headers: &csv::StringRecord,
    explicit: Option<&str>,
    candidates: &[&str],
) -> Error {
    let wanted = match explicit {
        Some(name) => format!("column `{name}`"),
        None => format!("column named any of {}", candidates.join(", ")),
    };
    let header: Vec<&str> = headers.iter().collect();
    Error::Parse {
        layer: layer.to_string(),
        reason: format!("no {wanted}; the header has: {}", header.join(", ")),
    }
}

/// A required column, or the error listing the header.
fn required_column(
    layer: &str,
    headers: &csv::StringRecord,
    explicit: Option<&str>,
    candidates: &[&str],
) -> Result<usize> {
    find_column(headers, explicit, candidates)
        .ok_or_else(|| missing_column(layer, headers, explicit, candidates))
}

/// An optional column; naming one explicitly that does not exist is still an error.
fn optional_column(
    layer: &str,
    headers: &csv::StringRecord,
    explicit: Option<&str>,
    candidates: &[&str],
) -> Result<Option<usize>> {
    match find_column(headers, explicit, candidates) {
        None if explicit.is_some() => Err(missing_column(layer, headers, explicit, candidates)),
        found => Ok(found),
    }
}

/// Physical line numbers of byte offsets, counted forward as records are read: the CSV
/// reader's own line count skips blank lines and counts `\r\n` by records, so errors
/// would name the wrong line of a file with blank lines or Windows line ends.
struct LineNumbers<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineNumbers<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record the reader places at byte `offset` (offsets come
    /// in increasing order). The reader's offset may point at the line end before the
    /// record, and blank lines come before it: the record starts at the first byte
    /// after them.
    fn at(&mut self, offset: u64) -> u64 {
        let mut offset = (offset as usize).min(self.text.len());
        while self
            .text
            .get(offset)
            .is_some_and(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
        {
            offset += 1;
        }
        if offset >= self.byte {
            self.line += self.text[self.byte..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = offset;
        }
        self.line
    }
}

/// Guesses the delimiter from the header line: `,` unless only `;` or tabs appear.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// Reads points from CSV text with a header row.
///
/// Longitude and latitude columns are required, id and population optional (see
/// [`CsvOptions`]). The delimiter is `,`, or `;` or tab when the header uses only that; a
/// UTF-8 byte order mark and spaces around fields are ignored. An empty population cell
/// counts as 1 person; without an id column (or with an empty cell) the id is the zero-based
/// data-row index. All columns except longitude and latitude are kept as string properties.
/// Repeated ids are renamed `id#2`, `id#3`, ... and counted under a `renamed:` key as in
/// the GeoJSON reader.
///
/// # Errors
/// [`Error::Parse`] when a required column is missing (listing the header found);
/// [`Error::Feature`] for a row with a missing, non-numeric or out-of-range value — `index`
/// is the zero-based data row and the message says `row N` (1-based) and the file line;
/// [`Error::TooLarge`] past the default [`InputLimits`].
///
/// ```
/// use lifecircle::{read_points, ReadOptions};
///
/// let text = "ID,Longitude,Latitude,Pop,kind\na,114.30,30.60,12,home\nb,114.31,30.61,,home\n";
/// let layer = read_points("homes.csv", text.as_bytes(), &ReadOptions::default()).unwrap();
/// assert_eq!(layer.points[0].id, "a");
/// assert_eq!(layer.points[0].population, 12.0);
/// assert_eq!(layer.points[1].population, 1.0);
/// assert_eq!(layer.points[1].properties["kind"], "home");
///
/// let err = read_points("homes.csv", b"name,east,north\n", &ReadOptions::default()).unwrap_err();
/// assert!(err.to_string().contains("the header has: name, east, north"));
/// ```
#[cfg(test)]
pub(crate) fn read_points_csv(layer: &str, text: &str, options: &CsvOptions) -> Result<PointLayer> {
    read_points_csv_with_limits(layer, text, options, &InputLimits::default(), None)
}

/// [`read_points_csv`] with explicit limits; with `projection` the coordinate columns
/// (detected from `x`, `easting`, `east`, then the longitude names; `y`, `northing`,
/// `north`, then the latitude names) hold coordinates in that system.
///
/// # Errors
/// As [`read_points_csv`]; a coordinate the projection cannot convert is an
/// [`Error::Feature`] naming the row.
pub(crate) fn read_points_csv_with_limits(
    layer: &str,
    text: &str,
    options: &CsvOptions,
    limits: &InputLimits,
    projection: Option<&Projection>,
) -> Result<PointLayer> {
    let projection = projection.filter(|p| !p.is_wgs84());
    let (x_names, y_names): (&[&str], &[&str]) = match projection {
        Some(_) => (&X_NAMES, &Y_NAMES),
        None => (&LON_NAMES, &LAT_NAMES),
    };
    limits.check_bytes(layer, text.len())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().cloned().map_err(|e| Error::Parse {
        layer: layer.to_string(),
        reason: format!("invalid CSV header: {e}"),
    })?;
    let lon = required_column(layer, &headers, options.lon_column.as_deref(), x_names)?;
    let lat = required_column(layer, &headers, options.lat_column.as_deref(), y_names)?;
    let id = optional_column(layer, &headers, options.id_column.as_deref(), &ID_NAMES)?;
    let population = optional_column(
        layer,
        &headers,
        options.population_column.as_deref(),
        &POPULATION_NAMES,
    )?;

    let mut out = PointLayer {
        crs: projection.map(Projection::name),
        ..PointLayer::default()
    };
    let mut record = csv::StringRecord::new();
    let mut lines = LineNumbers::new(text);
    for index in 0.. {
        let row_error = |line: u64, reason: String| Error::Feature {
            layer: layer.to_string(),
            index,
            reason: format!("row {} (line {line}) {reason}", index + 1),
        };
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte()));
                return Err(row_error(line, format!("cannot be read: {e}")));
            }
        }
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        if record.len() < headers.len() {
            return Err(row_error(
                line,
                format!(
                    "has {} fields, the header has {}",
                    record.len(),
                    headers.len()
                ),
            ));
        }
        let number = |column: usize| -> Result<f64> {
            let cell = &record[column];
            cell.parse::<f64>().map_err(|_| {
                row_error(
                    line,
                    format!("column `{}`: {cell:?} is not a number", &headers[column]),
                )
            })
        };
        let (x, y) = (number(lon)?, number(lat)?);
        let [lon_deg, lat_deg] = match projection {
            Some(p) => p.to_wgs84([x, y]).map_err(|e| row_error(line, e))?,
            None if cannot_be_degrees(x, y) => {
                return Err(row_error(line, not_degrees_reason(x, y)));
            }
            None => [x, y],
        };
        check_lon_lat(lon_deg, lat_deg).map_err(|e| row_error(line, e))?;
        let population = match population.map(|column| (column, &record[column])) {
            None => {
                if !options.places {
                    out.skipped
                        .add("defaulted: no population column (counted 1)", 1);
                }
                1.0
            }
            Some((_, "")) if options.places => 1.0,
            Some((column, "")) => {
                out.skipped.add(
                    format!("defaulted: empty `{}` cell (counted 1)", &headers[column]),
                    1,
                );
                1.0
            }
            Some((column, cell)) => parse_population(&Value::String(cell.to_string()))
                .map_err(|e| row_error(line, format!("column `{}`: {e}", &headers[column])))?,
        };
        let id = match id.map(|column| &record[column]) {
            None | Some("") => index.to_string(),
            Some(cell) => cell.to_string(),
        };
        let properties: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .enumerate()
            .filter(|(column, _)| *column != lon && *column != lat)
            .map(|(_, (name, value))| (name.to_string(), Value::String(value.to_string())))
            .collect();
        out.points.push(PointFeature {
            id,
            lon: lon_deg,
            lat: lat_deg,
            population,
            properties,
            source_index: index,
        });
        limits.check_features(layer, out.points.len())?;
    }
    make_ids_unique(out.points.iter_mut().map(|p| &mut p.id), &mut out.skipped);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<PointLayer> {
        read_points_csv("pts.csv", text, &CsvOptions::default())
    }

    #[test]
    fn autodetects_columns_case_insensitively() {
        for header in ["lon,lat", "LNG,Lat", "Long,LATITUDE", "longitude,y", "X,Y"] {
            let layer = read(&format!("{header}\n1.5,2.5\n")).unwrap();
            assert_eq!(
                (layer.points[0].lon, layer.points[0].lat),
                (1.5, 2.5),
                "{header}"
            );
            assert_eq!(layer.points[0].id, "0");
            assert_eq!(layer.points[0].population, 1.0);
        }
    }

    #[test]
    fn prefers_earlier_candidates() {
        let layer = read("x,y,lon,lat\n9,9,1,2\n").unwrap();
        assert_eq!((layer.points[0].lon, layer.points[0].lat), (1.0, 2.0));
        assert_eq!(layer.points[0].properties["x"], "9");
        assert!(!layer.points[0].properties.contains_key("lon"));
    }

    #[test]
    fn explicit_columns() {
        let options = CsvOptions {
            lon_column: Some("E".into()),
            lat_column: Some("n".into()),
            id_column: Some("code".into()),
            population_column: Some("residents".into()),
            places: false,
        };
        let text = "code,e,N,residents\nq1,10,20,7.5\n";
        let layer = read_points_csv("p.csv", text, &options).unwrap();
        let p = &layer.points[0];
        assert_eq!(
            (p.id.as_str(), p.lon, p.lat, p.population),
            ("q1", 10.0, 20.0, 7.5)
        );
        let missing = CsvOptions {
            id_column: Some("nope".into()),
            ..CsvOptions::default()
        };
        let err = read_points_csv("p.csv", "lon,lat\n1,2\n", &missing).unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.csv: cannot read input: no column `nope`; the header has: lon, lat"
        );
    }

    #[test]
    fn missing_required_column_lists_header() {
        let err = read("lon,height\n1,2\n").unwrap_err();
        assert!(matches!(err, Error::Parse { .. }));
        assert_eq!(
            err.to_string(),
            "pts.csv: cannot read input: no column named any of lat, latitude, y; the header has: lon, height"
        );
        assert!(matches!(read(""), Err(Error::Parse { .. })));
    }

    #[test]
    fn bom_semicolons_tabs_and_spaces() {
        let layer = read("\u{feff}id;lon;lat\n a ; 1 ; 2 \n").unwrap();
        assert_eq!(
            (layer.points[0].id.as_str(), layer.points[0].lon),
            ("a", 1.0)
        );
        let layer = read("lon\tlat\n3\t4\n").unwrap();
        assert_eq!(layer.points[0].lat, 4.0);
        let layer = read("lon,lat\r\n1,2\r\n\r\n3,4\r\n").unwrap();
        assert_eq!(layer.points.len(), 2);
    }

    #[test]
    fn bad_values_name_the_row() {
        let err = read("id,lon,lat\na,1,2\nb,1,abc\n").unwrap_err();
        assert!(matches!(err, Error::Feature { index: 1, .. }));
        assert_eq!(
            err.to_string(),
            "pts.csv: feature 1: row 2 (line 3) column `lat`: \"abc\" is not a number"
        );
        let err = read("lon,lat\n30.5,114.3\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "pts.csv: feature 0: row 1 (line 2) has latitude 114.3 outside [-90, 90] (lon/lat swapped?)"
        );
        let err = read("lon,lat,pop\n1,2,-5\n").unwrap_err().to_string();
        assert!(
            err.contains("row 1 (line 2) column `pop`: population -5"),
            "{err}"
        );
        let err = read("lon,lat,pop\n1,2\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "pts.csv: feature 0: row 1 (line 2) has 2 fields, the header has 3"
        );
        let err = read("lon,lat\n1,NaN\n").unwrap_err().to_string();
        assert!(err.contains("finite"), "{err}");
    }

    #[test]
    fn lossy_decoded_bytes_are_not_numbers() {
        let bytes = b"lon,lat\n1,\xff\n";
        let text = String::from_utf8_lossy(bytes);
        assert!(read(&text).is_err());
    }

    #[test]
    fn duplicate_ids_and_limits() {
        let layer = read("id,lon,lat\nx,1,2\nx,1,2\n").unwrap();
        assert_eq!(layer.points[1].id, "x#2");
        assert_eq!(
            layer.skipped.0["renamed: duplicate id (#n suffix added)"],
            1
        );
        assert_eq!(layer.skipped.dropped(), 0);
        let limits = InputLimits {
            max_features: 1,
            ..InputLimits::default()
        };
        let err = read_points_csv_with_limits(
            "p",
            "lon,lat\n1,2\n1,2\n",
            &CsvOptions::default(),
            &limits,
            None,
        )
        .unwrap_err();
        assert!(matches!(err, Error::TooLarge { .. }));
    }
}

#[cfg(test)]
mod projected_tests {
    use super::*;

    fn read_with(text: &str, projection: Option<&Projection>) -> Result<PointLayer> {
        read_points_csv_with_limits(
            "pts.csv",
            text,
            &CsvOptions::default(),
            &InputLimits::default(),
            projection,
        )
    }

    #[test]
    fn projected_columns_with_a_projection() {
        // Wuhan in CGCS2000 / 3° GK CM 114E (cs2cs, see `crs/projection/tests.rs`).
        let gk = Projection::parse("EPSG:4547").unwrap();
        for header in ["x,y", "Easting,Northing", "east,north", "lon,lat"] {
            let text = format!("id,{header}\na,528773.1917,3385557.6179\n");
            let layer = read_with(&text, Some(&gk)).unwrap();
            let p = &layer.points[0];
            assert!(
                (p.lon - 114.30).abs() < 1e-8 && (p.lat - 30.59).abs() < 1e-8,
                "{header}"
            );
            assert_eq!(layer.crs.as_deref(), Some("EPSG:4547"));
        }
        // A WGS84 projection changes nothing and records nothing.
        let wgs84 = Projection::parse("EPSG:4326").unwrap();
        let layer = read_with("lon,lat\n114.3,30.59\n", Some(&wgs84)).unwrap();
        assert_eq!((layer.points[0].lon, layer.crs), (114.3, None));
        // A coordinate the projection cannot convert names the row.
        let e = read_with("x,y\n1,2\n5e9,NaN\n", Some(&gk))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("pts.csv: feature 1: row 2 (line 3) coordinate (5000000000, NaN)"),
            "{e}"
        );
    }

    #[test]
    fn projected_values_without_a_projection_are_refused() {
        let e = read_with("x,y\n528773.2,3385557.6\n", None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "pts.csv: feature 0: row 1 (line 2) coordinate (528773.2, 3385557.6) cannot be \
             longitude/latitude and the file declares no coordinate system: it is probably \
             projected (UTM, Gauss–Krüger, a national grid); give its EPSG code with \
             --input-crs EPSG:NNNN"
        );
    }
}
