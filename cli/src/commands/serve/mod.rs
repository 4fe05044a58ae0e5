//! `lifecircle serve`: serves the built browser viewer on 127.0.0.1, with the user's own
//! files beside it under `/data/` and the viewer's URL pointing at them.
//!
//! All computation happens in the browser; the server only hands out files. It accepts
//! GET and HEAD for regular files inside the viewer folder and the named data files,
//! addressed to `127.0.0.1` or `localhost`, nothing else. Connections are served
//! concurrently, with bounded request heads and timeouts (see `http`).

mod files;
mod http;

use std::io::Write;
use std::time::Duration;

use crate::args::ServeArgs;
use anyhow::{bail, Context, Result};

use files::DataFiles;

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The viewer's start query for the given inputs, registering their files. The data URLs
/// in it are already percent-encoded paths (`data/my%20city%20%231.pbf`), so their `%`
/// become `%25`: the viewer decodes the query once and fetches each URL as it is.
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

pub(super) fn run(args: ServeArgs) -> Result<()> {
    if !args.viewer.join("index.html").is_file() {
        bail!(
            "{}: no built viewer here (index.html missing); build it with `npm ci && npm run build` in web/, or point --viewer at it",
            args.viewer.display()
        );
    }
    let mut data = DataFiles::default();
    let query = start_query(&args, &mut data)?;
    let files = files::Files::new(&args.viewer, data)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let listener = {
        let _inside = runtime.enter();
        http::bind(args.port)?
    };
    let url = format!("http://{}/{query}", listener.local_addr()?);
    // Printing must not stop the server when nobody reads its output any more.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "lifecircle viewer: {url}");
    let _ = writeln!(out, "Serving {} (Ctrl-C stops).", args.viewer.display());
    for (name, path) in &files.data().0 {
        let _ = writeln!(out, "  data/{name} <- {}", path.display());
    }
    let _ = out.flush();
    drop(out);
    if args.open {
        open_in_browser(&url);
    }
    runtime.block_on(http::serve(listener, files, args.max_requests));
    // File reads still blocking on a slow disk do not hold the exit up.
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
