//! Which format a file is in: by its magic bytes when it has them, else by its name,
//! else by what its text looks like.

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
    /// An ESRI Shapefile's geometry (`.shp`); its `.dbf`, `.shx`, `.prj` and `.cpg` come
    /// in [`crate::ReadOptions::companions`].
    Shapefile,
    /// A zip archive holding a Shapefile (`.zip`, `.shz`).
    Zip,
    /// FlatGeobuf (`.fgb`).
    FlatGeobuf,
    /// GeoPackage (`.gpkg`), an SQLite database.
    GeoPackage,
    /// GeoParquet (`.parquet`, `.geoparquet`).
    GeoParquet,
}

/// The format that the first (and, for Parquet, last) bytes prove, if any.
fn format_by_magic(bytes: &[u8]) -> Option<InputFormat> {
    if bytes.starts_with(&9994i32.to_be_bytes()) && bytes.len() >= 100 {
        return Some(InputFormat::Shapefile);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(InputFormat::Zip);
    }
    if bytes.starts_with(b"fgb\x03") {
        return Some(InputFormat::FlatGeobuf);
    }
    if bytes.starts_with(b"SQLite format 3\0") {
        return Some(InputFormat::GeoPackage);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1") {
        return Some(InputFormat::GeoParquet);
    }
    // A PBF starts with a 4-byte header length and the "OSMHeader" blob type.
    if bytes.len() >= 15 && &bytes[6..15] == b"OSMHeader" {
        return Some(InputFormat::OsmPbf);
    }
    None
}

/// Decides the format: by magic bytes when the content has them (a zip named `.json` is
/// read as a zip), else from the file name (ignoring `.gz`), else from the text.
pub fn detect_format(label: &str, bytes: &[u8]) -> InputFormat {
    if let Some(format) = format_by_magic(bytes) {
        return format;
    }
    let name = label.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let geojson_names = [
        ".geojson",
        ".json",
        ".geojsons",
        ".geojsonl",
        ".geojsonseq",
        ".ndjson",
        ".jsonl",
    ];
    if geojson_names.iter().any(|ext| name.ends_with(ext)) {
        return InputFormat::GeoJson;
    }
    if name.ends_with(".pbf") {
        return InputFormat::OsmPbf;
    }
    if name.ends_with(".csv") {
        return InputFormat::Csv;
    }
    let by_extension = [
        (".shp", InputFormat::Shapefile),
        (".zip", InputFormat::Zip),
        (".shz", InputFormat::Zip),
        (".fgb", InputFormat::FlatGeobuf),
        (".gpkg", InputFormat::GeoPackage),
        (".parquet", InputFormat::GeoParquet),
        (".geoparquet", InputFormat::GeoParquet),
    ];
    if let Some((_, format)) = by_extension.iter().find(|(ext, _)| name.ends_with(ext)) {
        return *format;
    }
    // A byte-order mark (Windows editors) says nothing about the format.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        // 0x1E starts each record of a GeoJSON text sequence (RFC 8142).
        Some(b'{' | b'[' | 0x1E) => InputFormat::GeoJson,
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
        for (name, format) in [
            ("a.shp", InputFormat::Shapefile),
            ("a.SHZ", InputFormat::Zip),
            ("a.zip", InputFormat::Zip),
            ("a.fgb", InputFormat::FlatGeobuf),
            ("a.gpkg", InputFormat::GeoPackage),
            ("a.parquet", InputFormat::GeoParquet),
            ("a.geoparquet", InputFormat::GeoParquet),
        ] {
            assert_eq!(detect_format(name, b""), format, "{name}");
        }
        let e = utf8_text("x.geojson", b"{\xff}").unwrap_err();
        assert!(e.to_string().contains("offset 1"), "{e}");
    }
}
