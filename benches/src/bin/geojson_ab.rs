//! GeoJSON reader A/B: core's hand-written streaming serde model
//! (`core/src/input/geojson/raw.rs`, through `lifecircle::read_roads`) against the
//! `geojson` crate, on the bundled street files; prints a markdown table. Results and the
//! conclusion: `benches/README.md`, "GeoJSON reader: hand-written vs the geojson crate".
//!
//! `cargo run --release -p lifecircle-benches --bin geojson_ab [-- --reps 11]`
//!
//! Each file is decompressed once, outside the timing. Then, end to end from the bytes to
//! the walkable `RoadLine`s:
//!
//! - **core**: `lifecircle::read_roads(label, bytes, &ReadOptions::default())`.
//! - **`FeatureCollection::from_str`**: the crate's typed model of the whole document,
//!   then each feature converted to `RoadLine`s as core's reader does (properties to tags,
//!   `lifecircle::input::is_walkable`, coordinates checked, consecutive duplicates
//!   dropped, elevations kept when every vertex has one).
//! - **`FeatureReader`**: the crate's streaming iterator (`FeatureReader::features` over
//!   the byte slice), each feature converted as it comes.
//! - **JSON scan**: `serde_json` skipping the document (`IgnoredAny`), for scale: no
//!   reader can be faster than this.
//!
//! Before timing, both crate routes must give exactly core's lines (coordinates, tags,
//! elevations, feature index). Times are medians over `--reps` rounds in one process, the
//! variants taking turns in an order that rotates each round; MB/s are decompressed
//! bytes (10⁶) per second.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::str::FromStr;
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use clap::Parser;
use geojson::{Feature, FeatureCollection, FeatureReader, GeometryValue, Position};
use lifecircle::features::RoadLine;
use lifecircle::input::{is_walkable, maybe_gunzip};
use lifecircle::{read_roads, ReadOptions};
use serde_json::Value;

#[derive(Parser)]
#[command(about = "GeoJSON reader A/B: core's streaming model vs the geojson crate")]
struct Args {
    /// Timed rounds per file (medians are reported).
    #[arg(long, default_value_t = 11)]
    reps: usize,
}

/// A property value as core renders it into a tag; `None` for null (dropped).
fn value_to_tag(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

/// Vertices `[lon, lat]` of one line and their elevations when all have one.
type LineGeometry = (Vec<[f64; 2]>, Option<Vec<f64>>);

/// One line's geometry, or `None` when fewer than two distinct vertices are left; core's
/// rules, its checks included.
fn line_geometry(positions: &[Position]) -> Result<Option<LineGeometry>> {
    let mut coords: Vec<[f64; 2]> = Vec::with_capacity(positions.len());
    let mut elevations_m = Vec::new();
    let mut z_count = 0;
    for position in positions {
        let p = position.as_slice();
        ensure!(p.len() >= 2, "a position needs longitude and latitude");
        let (lon, lat) = (p[0], p[1]);
        ensure!(
            lon.is_finite()
                && lat.is_finite()
                && (-90.0..=90.0).contains(&lat)
                && (-180.0..=180.0).contains(&lon),
            "position ({lon}, {lat}) out of range"
        );
        let z = p.get(2).copied();
        z_count += usize::from(z.is_some());
        if coords.last() == Some(&[lon, lat]) {
            continue;
        }
        coords.push([lon, lat]);
        if let Some(z) = z {
            elevations_m.push(z);
        }
    }
    if coords.len() < 2 {
        return Ok(None);
    }
    Ok(Some((
        coords,
        (z_count == positions.len()).then_some(elevations_m),
    )))
}

/// The walkable lines of feature `index`, appended to `lines` as core's reader makes them.
fn convert(index: usize, feature: Feature, lines: &mut Vec<RoadLine>) -> Result<()> {
    let Some(geometry) = feature.geometry else {
        return Ok(());
    };
    let parts: Vec<Vec<Position>> = match geometry.value {
        GeometryValue::LineString { coordinates } => vec![coordinates],
        GeometryValue::MultiLineString { coordinates } => coordinates,
        _ => return Ok(()),
    };
    let mut tags: BTreeMap<String, String> = feature
        .properties
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| match value {
            Value::String(s) => Some((key, s)),
            other => Some((key, value_to_tag(&other)?)),
        })
        .collect();
    if is_walkable(&tags).is_err() {
        return Ok(());
    }
    let mut pieces = Vec::with_capacity(parts.len());
    for positions in &parts {
        if let Some(piece) = line_geometry(positions)? {
            pieces.push(piece);
        }
    }
    let last = pieces.len().saturating_sub(1);
    for (k, (coords, elevations_m)) in pieces.into_iter().enumerate() {
        lines.push(RoadLine {
            coords,
            elevations_m,
            osm_node_ids: None,
            tags: if k == last {
                std::mem::take(&mut tags)
            } else {
                tags.clone()
            },
            source_index: index,
        });
    }
    Ok(())
}

fn core_reader(label: &str, bytes: &[u8]) -> Result<Vec<RoadLine>> {
    Ok(read_roads(label, bytes, &ReadOptions::default())?.lines)
}

fn crate_from_str(bytes: &[u8]) -> Result<Vec<RoadLine>> {
    let text = std::str::from_utf8(bytes)?;
    let collection = FeatureCollection::from_str(text)?;
    let mut lines = Vec::new();
    for (index, feature) in collection.features.into_iter().enumerate() {
        convert(index, feature, &mut lines)?;
    }
    Ok(lines)
}

fn crate_feature_reader(bytes: &[u8]) -> Result<Vec<RoadLine>> {
    let mut lines = Vec::new();
    for (index, feature) in FeatureReader::from_reader(bytes).features().enumerate() {
        convert(index, feature?, &mut lines)?;
    }
    Ok(lines)
}

fn json_scan(bytes: &[u8]) -> Result<()> {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes)?;
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

const VARIANTS: usize = 4;

/// One file's results: MB, walkable lines, median seconds per variant.
struct Row {
    name: &'static str,
    mb: f64,
    lines: usize,
    seconds: [f64; VARIANTS],
}

fn run(name: &'static str, file: &str, reps: usize) -> Result<Row> {
    let path = format!("{}/../data/{file}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read(&path).with_context(|| path.clone())?;
    let bytes = maybe_gunzip(file, &raw)?.into_owned();
    let label = file.trim_end_matches(".gz");

    let ours = core_reader(label, &bytes)?;
    for (k, theirs) in [crate_from_str(&bytes)?, crate_feature_reader(&bytes)?]
        .into_iter()
        .enumerate()
    {
        if theirs != ours {
            let first = ours.iter().zip(&theirs).position(|(a, b)| a != b);
            bail!(
                "{name}: crate route {k} gives {} lines, core {}; first difference at {first:?}",
                theirs.len(),
                ours.len()
            );
        }
    }
    eprintln!(
        "{name}: {} walkable lines, the same from all three readers (load {})",
        ours.len(),
        load_average()
    );

    let mut times: [Vec<f64>; VARIANTS] = Default::default();
    for rep in 0..reps {
        for k in 0..VARIANTS {
            let v = (rep + k) % VARIANTS;
            let start = Instant::now();
            match v {
                0 => drop(black_box(core_reader(label, black_box(&bytes))?)),
                1 => drop(black_box(crate_from_str(black_box(&bytes))?)),
                2 => drop(black_box(crate_feature_reader(black_box(&bytes))?)),
                _ => json_scan(black_box(&bytes))?,
            }
            times[v].push(start.elapsed().as_secs_f64());
        }
    }
    Ok(Row {
        name,
        mb: bytes.len() as f64 / 1e6,
        lines: ours.len(),
        seconds: times.map(median),
    })
}

fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(args.reps > 0, "--reps must be positive");
    let load_start = load_average();
    let rows = [
        run("Gothenburg", "gothenburg_walk.geojson.gz", args.reps)?,
        run("Wuhan", "wuhan_streets.geojson.gz", args.reps)?,
    ];
    println!(
        "{} rounds, medians; load average (1, 5, 15 min) {load_start} → {}; ms (MB/s, time \
         / core's)\n",
        args.reps,
        load_average()
    );
    println!(
        "| file | MB | walkable lines | core `read_roads` | geojson `FeatureCollection::from_str` \
         + convert | geojson `FeatureReader` + convert | JSON scan only |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let cell = |k: usize| {
            let s = r.seconds[k];
            let mut text = format!("{:.0} ({:.0} MB/s", s * 1e3, r.mb / s);
            if k > 0 {
                text += &format!(", {:.2}×", s / r.seconds[0]);
            }
            text + ")"
        };
        println!(
            "| {} | {:.1} | {} | {} | {} | {} | {} |",
            r.name,
            r.mb,
            r.lines,
            cell(0),
            cell(1),
            cell(2),
            cell(3)
        );
    }
    Ok(())
}
