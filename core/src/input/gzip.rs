//! Transparent gzip decompression and the size limits every reader enforces.

use std::borrow::Cow;
use std::io::Read;

use flate2::read::MultiGzDecoder;

use crate::{Error, Result};

/// The two bytes every gzip stream starts with (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Caps that keep a hostile or mistaken input from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// Largest accepted input in bytes, after gzip decompression (default 2 GiB).
    pub max_bytes: u64,
    /// Largest number of features (GeoJSON features, CSV rows, OSM lines or points) one
    /// reader returns (default 50,000,000).
    pub max_features: usize,
}

impl Default for InputLimits {
    fn default() -> Self {
        Self {
            max_bytes: 2 * 1024 * 1024 * 1024,
            max_features: 50_000_000,
        }
    }
}

impl InputLimits {
    /// Fails with [`Error::TooLarge`] when an input of `len` bytes exceeds `max_bytes`.
    pub fn check_bytes(&self, layer: &str, len: usize) -> Result<()> {
        if len as u64 > self.max_bytes {
            return Err(Error::TooLarge {
                layer: layer.to_string(),
                reason: format!(
                    "input is {len} bytes, more than the limit of {} bytes",
                    self.max_bytes
                ),
            });
        }
        Ok(())
    }

    /// Fails with [`Error::TooLarge`] when `count` features exceed `max_features`.
    pub fn check_features(&self, layer: &str, count: usize) -> Result<()> {
        if count > self.max_features {
            return Err(Error::TooLarge {
                layer: layer.to_string(),
                reason: format!("more than the limit of {} features", self.max_features),
            });
        }
        Ok(())
    }
}

/// Decompresses `bytes` when they start with the gzip magic, else borrows them unchanged.
///
/// Concatenated gzip members are decompressed as one stream. Uses the default
/// [`InputLimits::max_bytes`]; see [`maybe_gunzip_with_limits`].
///
/// # Errors
/// [`Error::Parse`] for corrupt or truncated gzip data, [`Error::TooLarge`] when the
/// decompressed data exceed the limit.
///
/// ```
/// use std::io::Write;
/// use lifecircle::input::maybe_gunzip;
///
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
/// gz.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[]}").unwrap();
/// let compressed = gz.finish().unwrap();
/// assert!(maybe_gunzip("roads.geojson.gz", &compressed).unwrap().starts_with(b"{\"type\""));
/// assert!(matches!(maybe_gunzip("plain", b"abc").unwrap(), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn maybe_gunzip<'a>(layer: &str, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>> {
    maybe_gunzip_with_limits(layer, bytes, &InputLimits::default())
}

/// [`maybe_gunzip`] with explicit limits.
///
/// # Errors
/// As [`maybe_gunzip`]; uncompressed input larger than `max_bytes` is also
/// [`Error::TooLarge`].
pub fn maybe_gunzip_with_limits<'a>(
    layer: &str,
    bytes: &'a [u8],
    limits: &InputLimits,
) -> Result<Cow<'a, [u8]>> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        limits.check_bytes(layer, bytes.len())?;
        return Ok(Cow::Borrowed(bytes));
    }
    let mut decompressed = Vec::new();
    // Read one byte past the limit so that "exactly at the limit" and "over it" differ.
    MultiGzDecoder::new(bytes)
        .take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut decompressed)
        .map_err(|e| Error::Parse {
            layer: layer.to_string(),
            reason: format!("invalid gzip data: {e}"),
        })?;
    if decompressed.len() as u64 > limits.max_bytes {
        return Err(Error::TooLarge {
            layer: layer.to_string(),
            reason: format!(
                "gzip data decompress to more than the limit of {} bytes",
                limits.max_bytes
            ),
        });
    }
    Ok(Cow::Owned(decompressed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn round_trip() {
        let data = b"lon,lat\n1,2\n".repeat(100);
        let compressed = gzip(&data);
        let out = maybe_gunzip("a.csv.gz", &compressed).unwrap();
        assert!(matches!(out, Cow::Owned(_)));
        assert_eq!(&*out, &data[..]);
    }

    #[test]
    fn concatenated_members() {
        let mut both = gzip(b"hello ");
        both.extend(gzip(b"world"));
        assert_eq!(&*maybe_gunzip("x", &both).unwrap(), b"hello world");
    }

    #[test]
    fn plain_bytes_are_borrowed() {
        let data = b"{}";
        assert!(matches!(maybe_gunzip("x", data).unwrap(), Cow::Borrowed(b) if b == data));
        assert!(matches!(maybe_gunzip("x", b"").unwrap(), Cow::Borrowed(b) if b.is_empty()));
    }

    #[test]
    fn truncated_gzip_is_a_parse_error() {
        let compressed = gzip(&b"some text that compresses".repeat(50));
        let err = maybe_gunzip("roads.geojson.gz", &compressed[..compressed.len() / 2])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("roads.geojson.gz: cannot read input: invalid gzip data"),
            "{err}"
        );
        let err = maybe_gunzip("x.gz", &[0x1f, 0x8b, 0, 1, 2]).unwrap_err();
        assert!(matches!(err, Error::Parse { .. }));
    }

    #[test]
    fn limits_are_enforced() {
        let limits = InputLimits {
            max_bytes: 10,
            ..InputLimits::default()
        };
        let err = maybe_gunzip_with_limits("big.gz", &gzip(&[b'a'; 11]), &limits).unwrap_err();
        assert!(matches!(err, Error::TooLarge { .. }), "{err}");
        assert!(maybe_gunzip_with_limits("ok.gz", &gzip(&[b'a'; 10]), &limits).is_ok());
        let err = maybe_gunzip_with_limits("big", &[b'a'; 11], &limits).unwrap_err();
        assert!(
            err.to_string().starts_with("big: input is 11 bytes"),
            "{err}"
        );
        let err = limits.check_features("pts", usize::MAX).unwrap_err();
        assert!(err.to_string().contains("more than the limit"));
        assert!(limits.check_features("pts", 50_000_000).is_ok());
    }
}
