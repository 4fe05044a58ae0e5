//! Format detection and one-call readers for raw file bytes (gzip allowed), shared by the
//! CLI and the wasm package so both accept exactly the same files.

use crate::input::{
    maybe_gunzip_with_limits, read_osm_pbf_layers, read_points_csv_with_limits,
    read_points_geojson_with_limits, read_points_osm_pbf_with_limits,
    read_roads_geojson_with_limits, read_roads_osm_pbf_with_limits, read_units_geojson_with_limits,
    CsvOptions, InputLimits, OsmLayers, OsmPointQuery, PointLayer, PointOptions,
    PopulationEstimate, RoadLayer, TagFilter, UnitLayer,
};
use crate::{Error, Result};

/// Input formats the readers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// GeoJSON (`.geojson`, `.json`).
    GeoJson,
    /// OpenStreetMap PBF (`.pbf`).
    OsmPbf,
    /// Comma-separated points (`.csv`).
    Csv,
}

/// Decides the format from the file name (ignoring `.gz`), else from the content.
pub fn detect_format(label: &str, bytes: &[u8]) -> InputFormat {
    let name = label.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".geojson") || name.ends_with(".json") {
        return InputFormat::GeoJson;
    }
    if name.ends_with(".pbf") {
        return InputFormat::OsmPbf;
    }
    if name.ends_with(".csv") {
        return InputFormat::Csv;
    }
    // A PBF starts with a 4-byte header length and the "OSMHeader" blob type.
    if bytes.len() >= 15 && &bytes[6..15] == b"OSMHeader" {
        return InputFormat::OsmPbf;
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') => InputFormat::GeoJson,
        _ => InputFormat::Csv,
    }
}

/// The bytes as UTF-8 text (a byte-order mark is dropped).
///
/// # Errors
/// [`Error::Parse`] naming the offset of the first invalid byte.
pub fn utf8_text<'a>(label: &str, bytes: &'a [u8]) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| Error::Parse {
        layer: label.to_string(),
        reason: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ),
    })
}

/// Reads road lines from GeoJSON or OSM PBF bytes, gzip or not.
///
/// # Errors
/// The readers' errors, and [`Error::Parse`] for a CSV file.
pub fn read_roads_auto(label: &str, raw: &[u8], limits: &InputLimits) -> Result<RoadLayer> {
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    match detect_format(label, &bytes) {
        InputFormat::GeoJson => {
            read_roads_geojson_with_limits(label, utf8_text(label, &bytes)?, limits)
        }
        InputFormat::OsmPbf => read_roads_osm_pbf_with_limits(label, &bytes, limits),
        InputFormat::Csv => Err(Error::Parse {
            layer: label.to_string(),
            reason: "roads must be GeoJSON lines or an OSM PBF, not CSV".into(),
        }),
    }
}

/// Reads points from GeoJSON or CSV bytes, gzip or not.
///
/// # Errors
/// The readers' errors, and [`Error::Parse`] for an OSM PBF (which needs a tag filter:
/// [`read_points_osm_auto`]).
pub fn read_points_auto(
    label: &str,
    raw: &[u8],
    geojson: &PointOptions,
    csv: &CsvOptions,
    limits: &InputLimits,
) -> Result<PointLayer> {
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    match detect_format(label, &bytes) {
        InputFormat::GeoJson => {
            read_points_geojson_with_limits(label, utf8_text(label, &bytes)?, geojson, limits)
        }
        InputFormat::Csv => {
            read_points_csv_with_limits(label, utf8_text(label, &bytes)?, csv, limits)
        }
        InputFormat::OsmPbf => Err(Error::Parse {
            layer: label.to_string(),
            reason: "an OSM PBF holds many kinds of features; choose them with a tag filter".into(),
        }),
    }
}

/// Reads the points matching `filter` from OSM PBF bytes, gzip or not.
///
/// # Errors
/// The reader's errors, and [`Error::Parse`] when the bytes are not an OSM PBF.
pub fn read_points_osm_auto(
    label: &str,
    raw: &[u8],
    filter: &TagFilter,
    population: &PopulationEstimate,
    limits: &InputLimits,
) -> Result<PointLayer> {
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    if detect_format(label, &bytes) != InputFormat::OsmPbf {
        return Err(Error::Parse {
            layer: label.to_string(),
            reason: "tag filters need an OSM PBF file".into(),
        });
    }
    read_points_osm_pbf_with_limits(label, &bytes, filter, population, limits)
}

/// Reads roads (when `roads` names their label) and tag-filtered point layers from one
/// OSM PBF, gzip or not, decoding it once ([`read_osm_pbf_layers`]).
///
/// # Errors
/// The reader's errors, and [`Error::Parse`] when the bytes are not an OSM PBF; gzip and
/// format errors name the first layer (the roads when asked for).
pub fn read_osm_layers_auto(
    raw: &[u8],
    roads: Option<&str>,
    points: &[OsmPointQuery],
    limits: &InputLimits,
) -> Result<OsmLayers> {
    let Some(label) = roads.or(points.first().map(|q| q.layer.as_str())) else {
        return Ok(OsmLayers::default());
    };
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    if detect_format(label, &bytes) != InputFormat::OsmPbf {
        return Err(Error::Parse {
            layer: label.to_string(),
            reason: "tag filters need an OSM PBF file".into(),
        });
    }
    read_osm_pbf_layers(&bytes, roads, points, limits)
}

/// Reads reporting units from GeoJSON bytes, gzip or not.
///
/// # Errors
/// The reader's errors, and [`Error::Parse`] for any other format.
pub fn read_units_auto(label: &str, raw: &[u8], limits: &InputLimits) -> Result<UnitLayer> {
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    match detect_format(label, &bytes) {
        InputFormat::GeoJson => {
            read_units_geojson_with_limits(label, utf8_text(label, &bytes)?, limits)
        }
        _ => Err(Error::Parse {
            layer: label.to_string(),
            reason: "reporting units must be GeoJSON polygons".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names_and_content() {
        assert_eq!(detect_format("a.geojson.gz", b""), InputFormat::GeoJson);
        assert_eq!(detect_format("a.osm.pbf", b""), InputFormat::OsmPbf);
        assert_eq!(detect_format("a.CSV", b""), InputFormat::Csv);
        assert_eq!(
            detect_format("data", b"  {\"type\":1}"),
            InputFormat::GeoJson
        );
        assert_eq!(detect_format("data", b"lon,lat\n1,2"), InputFormat::Csv);
        assert_eq!(
            detect_format("data", b"\0\0\0\x0d\x0a\x09OSMHeader\x18"),
            InputFormat::OsmPbf
        );
    }

    #[test]
    fn wrong_formats_name_the_file() {
        let limits = InputLimits::default();
        let e = read_roads_auto("r.csv", b"lon,lat\n1,2\n", &limits).unwrap_err();
        assert!(e.to_string().starts_with("r.csv: "), "{e}");
        let e = read_points_osm_auto(
            "p.geojson",
            b"{}",
            &TagFilter::parse("building").unwrap(),
            &PopulationEstimate::One,
            &limits,
        )
        .unwrap_err();
        assert!(e.to_string().contains("tag filters need an OSM PBF"), "{e}");
        let e = utf8_text("x.geojson", b"{\xff}").unwrap_err();
        assert!(e.to_string().contains("offset 1"), "{e}");
    }

    #[test]
    fn points_from_csv_and_geojson() {
        let limits = InputLimits::default();
        let csv = read_points_auto(
            "c.csv",
            b"\xEF\xBB\xBFlon,lat,population\n1.5,2.5,3\n",
            &PointOptions::default(),
            &CsvOptions::default(),
            &limits,
        )
        .unwrap();
        assert_eq!(csv.points.len(), 1);
        assert_eq!(csv.points[0].population, 3.0);
        let gj = read_points_auto(
            "c.json",
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
            &PointOptions::default(),
            &CsvOptions::default(),
            &limits,
        )
        .unwrap();
        assert_eq!(gj.points.len(), 1);
    }
}
