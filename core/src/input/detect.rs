//! Which format a file is in: by its name, else by its first bytes.

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
    // A PBF starts with a 4-byte header length and the "OSMHeader" blob type.
    if bytes.len() >= 15 && &bytes[6..15] == b"OSMHeader" {
        return InputFormat::OsmPbf;
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
        let e = utf8_text("x.geojson", b"{\xff}").unwrap_err();
        assert!(e.to_string().contains("offset 1"), "{e}");
    }
}
