//! What `serve` hands out and how request paths map onto it: regular files that resolve
//! inside the viewer folder, and the data files named on the command line.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The files the server hands out besides the viewer: decoded URL name → path.
#[derive(Debug, Default)]
pub(super) struct DataFiles(pub(super) BTreeMap<String, PathBuf>);

impl DataFiles {
    /// Registers `path` and returns its URL path (`data/<name>`, the name percent-encoded
    /// so that the URL works as given), keeping names unique.
    pub(super) fn add(&mut self, path: &Path) -> Result<String> {
        if !path.is_file() {
            bail!("{}: no such file", path.display());
        }
        if let Some((name, _)) = self.0.iter().find(|(_, p)| p.as_path() == path) {
            return Ok(data_url(name));
        }
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("input")
            .to_string();
        let mut name = file_name.clone();
        let mut n = 1;
        while self.0.contains_key(&name) {
            n += 1;
            name = format!("{n}-{file_name}");
        }
        self.0.insert(name.clone(), path.to_path_buf());
        Ok(data_url(&name))
    }
}

fn data_url(name: &str) -> String {
    format!("data/{}", encode_segment(name))
}

/// Percent-encodes one path segment: everything but the unreserved characters of RFC 3986,
/// so `#`, `?`, `%`, spaces and non-ASCII letters survive the trip through a URL.
fn encode_segment(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The decoded request path relative to the served roots: `index.html` for `/`, `None`
/// when a segment is empty, `.` or `..`, or the path holds a NUL or a backslash.
fn relative(decoded: &str) -> Option<&str> {
    let path = decoded.strip_prefix('/').unwrap_or(decoded);
    if path.is_empty() {
        return Some("index.html");
    }
    let clean = path
        .split('/')
        .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains(['\0', '\\']))
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    clean.then_some(path)
}

pub(super) fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "geojson" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// An open regular file ready to be sent.
#[derive(Debug)]
pub(super) struct Found {
    pub(super) file: File,
    pub(super) len: u64,
    pub(super) content_type: &'static str,
}

/// The outcome of looking a request path up.
#[derive(Debug)]
pub(super) enum Lookup {
    Found(Found),
    /// Nothing to serve there (missing, outside the roots, not a regular file, `..`).
    NotFound,
    /// The path is not valid percent-encoded UTF-8.
    BadPath,
    /// The file exists but could not be opened.
    Unreadable,
}

/// The served roots: the viewer folder, canonical, and the registered data files.
#[derive(Debug)]
pub(super) struct Files {
    root: PathBuf,
    data: DataFiles,
}

impl Files {
    pub(super) fn new(viewer: &Path, data: DataFiles) -> Result<Self> {
        let root = viewer
            .canonicalize()
            .with_context(|| format!("{}: cannot resolve the viewer folder", viewer.display()))?;
        Ok(Files { root, data })
    }

    pub(super) fn data(&self) -> &DataFiles {
        &self.data
    }

    /// Maps a raw (percent-encoded) request path to a file: `data/<name>` to a registered
    /// input, anything else (the viewer's own `data/` files too, such as its bundled
    /// sample) to a regular file whose canonical path lies inside the canonical viewer
    /// folder, so a symlink leading out of it is not found. Blocking: file system calls.
    pub(super) fn lookup(&self, raw_path: &str) -> Lookup {
        let Some(decoded) = percent_decode(raw_path) else {
            return Lookup::BadPath;
        };
        let Some(path) = relative(&decoded) else {
            return Lookup::NotFound;
        };
        let kind = content_type(Path::new(path));
        if let Some(file) = path.strip_prefix("data/").and_then(|n| self.data.0.get(n)) {
            return open_regular(file, kind);
        }
        match self.root.join(path).canonicalize() {
            Ok(real) if real.starts_with(&self.root) => open_regular(&real, kind),
            _ => Lookup::NotFound,
        }
    }
}

/// Opens `path` if it is a regular file (checked before opening, so a FIFO never blocks
/// the open, and again on the open handle).
fn open_regular(path: &Path, content_type: &'static str) -> Lookup {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Lookup::NotFound;
    }
    let Ok(file) = File::open(path) else {
        return Lookup::Unreadable;
    };
    match file.metadata() {
        Ok(m) if m.is_file() => Lookup::Found(Found {
            file,
            len: m.len(),
            content_type,
        }),
        Ok(_) => Lookup::NotFound,
        Err(_) => Lookup::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(files: &Files, path: &str) -> Option<String> {
        match files.lookup(path) {
            Lookup::Found(mut f) => {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut f.file, &mut s).unwrap();
                Some(s)
            }
            _ => None,
        }
    }

    #[test]
    fn paths_stay_inside_the_viewer() {
        let dir = std::env::temp_dir().join(format!("lifecircle-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<html>").unwrap();
        std::fs::write(dir.join("assets/app.js"), "1").unwrap();
        let files = Files::new(&dir, DataFiles::default()).unwrap();
        assert_eq!(found(&files, "/").as_deref(), Some("<html>"));
        assert_eq!(found(&files, "/assets/app.js").as_deref(), Some("1"));
        assert_eq!(found(&files, "/assets%2Fapp.js").as_deref(), Some("1"));
        for bad in [
            "/../etc/passwd",
            "/assets/../../x",
            "/%2e%2e/x",
            "/assets/%2E%2E/index.html",
            "/./index.html",
            "//index.html",
            "/assets/",
            "/assets",
            "/index.html%00",
            "/assets%5capp.js",
            "/missing.js",
        ] {
            assert!(matches!(files.lookup(bad), Lookup::NotFound), "{bad}");
        }
        for bad in ["/%zz", "/%4", "/%FF.html"] {
            assert!(matches!(files.lookup(bad), Lookup::BadPath), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn encoded_names_decode_to_themselves() {
        for name in ["my city #1 武汉.geojson", "a%20b?.csv", "plain-name_1.pbf"] {
            let url = data_url(name);
            assert!(url.bytes().all(|b| b.is_ascii_graphic() && b != b'#'));
            assert_eq!(percent_decode(&url).unwrap(), format!("data/{name}"));
        }
    }
}
