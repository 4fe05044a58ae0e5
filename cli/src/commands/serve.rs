//! `lifecircle serve`: serves the built browser viewer on 127.0.0.1, with the user's own
//! files beside it under `/data/` and the viewer's URL pointing at them.
//!
//! All computation happens in the browser; the server only hands out files. It accepts
//! GET and HEAD for files under the viewer folder and the named data files, nothing else.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

/// Arguments of `lifecircle serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The built viewer (`npm run build` in `web/` writes `web/dist`).
    #[arg(long, value_name = "DIR", default_value = "web/dist")]
    pub viewer: PathBuf,
    /// Roads to open the viewer with: GeoJSON or OSM PBF (.gz accepted).
    #[arg(long, value_name = "FILE")]
    pub roads: Option<PathBuf>,
    /// Service centers: GeoJSON or CSV, or with `--centers-osm` an OSM PBF (default: the roads PBF).
    #[arg(long, value_name = "FILE")]
    pub centers: Option<PathBuf>,
    /// Take centers from the OSM PBF by this tag filter, e.g. `amenity=community_centre|library`.
    #[arg(long, value_name = "FILTER")]
    pub centers_osm: Option<String>,
    /// Residents: GeoJSON or CSV, or with `--demand-osm` an OSM PBF (default: the roads PBF).
    #[arg(long, value_name = "FILE")]
    pub demand: Option<PathBuf>,
    /// Take residents from the OSM PBF by this tag filter, e.g. `building`.
    #[arg(long, value_name = "FILTER")]
    pub demand_osm: Option<String>,
    /// Walk-time threshold the viewer opens with, minutes.
    #[arg(long, value_name = "MIN")]
    pub minutes: Option<f64>,
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8017)]
    pub port: u16,
    /// Open the viewer in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Stop after this many requests (for scripted use and tests).
    #[arg(long, value_name = "N", hide = true)]
    pub max_requests: Option<usize>,
}

/// The files the server hands out besides the viewer: URL name → path.
#[derive(Debug, Default)]
struct DataFiles(BTreeMap<String, PathBuf>);

impl DataFiles {
    /// Registers `path` and returns its URL (`data/<name>`), keeping names unique.
    fn add(&mut self, path: &Path) -> Result<String> {
        if !path.is_file() {
            bail!("{}: no such file", path.display());
        }
        if let Some((name, _)) = self.0.iter().find(|(_, p)| p.as_path() == path) {
            return Ok(format!("data/{name}"));
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
        Ok(format!("data/{name}"))
    }
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The viewer's start query for the given inputs, registering their files.
fn start_query(args: &ServeArgs, files: &mut DataFiles) -> Result<String> {
    let mut query: Vec<(&str, String)> = Vec::new();
    let Some(roads) = &args.roads else {
        if args.centers.is_some() || args.demand.is_some() {
            bail!("--centers and --demand need --roads");
        }
        return Ok(String::new());
    };
    let roads_url = files.add(roads)?;
    query.push(("roads", roads_url.clone()));
    for (role, file, filter) in [
        ("centers", &args.centers, &args.centers_osm),
        ("demand", &args.demand, &args.demand_osm),
    ] {
        let url = match (file, filter) {
            (Some(path), _) => files.add(path)?,
            (None, Some(_)) => roads_url.clone(),
            (None, None) => bail!("give --{role} FILE or --{role}-osm FILTER"),
        };
        query.push((role, url));
        if let Some(f) = filter {
            query.push((
                if role == "centers" {
                    "centersFilter"
                } else {
                    "demandFilter"
                },
                f.clone(),
            ));
        }
    }
    if let Some(m) = args.minutes {
        query.push(("minutes", m.to_string()));
    }
    Ok(format!(
        "?{}",
        query
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    ))
}

fn content_type(path: &Path) -> &'static str {
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

/// Maps a request path to a file: `data/...` to a registered input, anything else to a
/// file inside the viewer folder (no `..`, no absolute paths).
fn resolve(viewer: &Path, files: &DataFiles, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let path = path.trim_start_matches('/');
    if let Some(name) = path.strip_prefix("data/") {
        if let Some(p) = files.0.get(name) {
            return Some(p.clone());
        }
    }
    let relative = if path.is_empty() { "index.html" } else { path };
    let relative = Path::new(relative);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let full = viewer.join(relative);
    full.is_file().then_some(full)
}

fn respond(stream: &mut TcpStream, viewer: &Path, files: &DataFiles) -> Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; the server needs none of them.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let send = |stream: &mut TcpStream, status: &str, kind: &str, body: &[u8], head: bool| {
        let header = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(header.as_bytes())?;
        if !head {
            stream.write_all(body)?;
        }
        stream.flush()
    };
    if method != "GET" && method != "HEAD" {
        send(
            stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
            false,
        )?;
        return Ok(());
    }
    match resolve(viewer, files, target) {
        Some(path) => match std::fs::read(&path) {
            Ok(body) => send(
                stream,
                "200 OK",
                content_type(&path),
                &body,
                method == "HEAD",
            )?,
            Err(_) => send(
                stream,
                "500 Internal Server Error",
                "text/plain",
                b"cannot read file\n",
                false,
            )?,
        },
        None => send(
            stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            method == "HEAD",
        )?,
    }
    Ok(())
}

fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not start a browser ({opener}); open {url} yourself");
    }
}

pub fn run(args: ServeArgs) -> Result<()> {
    if !args.viewer.join("index.html").is_file() {
        bail!(
            "{}: no built viewer here (index.html missing); build it with `npm ci && npm run build` in web/, or point --viewer at it",
            args.viewer.display()
        );
    }
    let mut files = DataFiles::default();
    let query = start_query(&args, &mut files)?;
    let listener = TcpListener::bind(("127.0.0.1", args.port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
    let url = format!("http://{}/{query}", listener.local_addr()?);
    // Printing must not stop the server when nobody reads its output any more.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "lifecircle viewer: {url}");
    let _ = writeln!(out, "Serving {} (Ctrl-C stops).", args.viewer.display());
    for (name, path) in &files.0 {
        let _ = writeln!(out, "  data/{name} <- {}", path.display());
    }
    let _ = out.flush();
    drop(out);
    if args.open {
        open_in_browser(&url);
    }
    let mut served = 0;
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if let Err(e) = respond(&mut stream, &args.viewer, &files) {
            eprintln!("request failed: {e}");
        }
        served += 1;
        if args.max_requests.is_some_and(|n| served >= n) {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_viewer() {
        let dir = std::env::temp_dir().join(format!("lifecircle-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<html>").unwrap();
        std::fs::write(dir.join("assets/app.js"), "1").unwrap();
        let files = DataFiles::default();
        assert_eq!(resolve(&dir, &files, "/"), Some(dir.join("index.html")));
        assert_eq!(
            resolve(&dir, &files, "/?roads=x"),
            Some(dir.join("index.html"))
        );
        assert_eq!(
            resolve(&dir, &files, "/assets/app.js"),
            Some(dir.join("assets/app.js"))
        );
        assert_eq!(resolve(&dir, &files, "/../etc/passwd"), None);
        assert_eq!(resolve(&dir, &files, "/assets/../../x"), None);
        assert_eq!(resolve(&dir, &files, "/missing.js"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn queries_name_every_input() {
        let args = ServeArgs {
            viewer: "web/dist".into(),
            roads: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/monaco.osm.pbf").into()),
            centers: None,
            centers_osm: Some("amenity=library|townhall".into()),
            demand: None,
            demand_osm: Some("building".into()),
            minutes: Some(15.0),
            port: 0,
            open: false,
            max_requests: None,
        };
        let mut files = DataFiles::default();
        let q = start_query(&args, &mut files).unwrap();
        assert_eq!(
            q,
            "?roads=data/monaco.osm.pbf&centers=data/monaco.osm.pbf&centersFilter=amenity%3Dlibrary%7Ctownhall&demand=data/monaco.osm.pbf&demandFilter=building&minutes=15"
        );
        assert_eq!(files.0.len(), 1);
    }
}
