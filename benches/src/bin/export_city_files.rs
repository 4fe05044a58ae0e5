//! Writes a seeded synthetic city as the files a user would hand to `lifecircle
//! coverage` or to a Python pipeline: the streets as GeoJSON lines, the residents and
//! centers as CSV. The side-by-side bench (`benches/pipelines/run.sh`) runs every tool on
//! these files.
//!
//! ```text
//! export_city_files --nodes 1000000 --residents 2000000 --out out/pipelines/synthetic-1m
//! ```
//!
//! Writes OUT/roads.geojson (one LineString per street line, no properties: untagged
//! lines are walkable), OUT/residents.csv (`id,lon,lat,population`, population 1–100)
//! and OUT/centers.csv (`id,lon,lat`). Coordinates have 7 decimals (about 1 cm), as
//! OpenStreetMap's do; every tool reads the same text, so all see the same vertices.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser;
use lifecircle::features::PointFeature;
use lifecircle_benches::{build_city, generate_points, PointKind, SyntheticCityParams};

#[derive(Debug, Parser)]
#[command(about = "Write a synthetic city as roads GeoJSON and residents/centers CSV")]
struct Args {
    /// Target node count of the synthetic city.
    #[arg(long, default_value_t = 1_000_000)]
    nodes: usize,
    /// Number of residents, uniformly spread over the city's extent.
    #[arg(long, default_value_t = 2_000_000)]
    residents: usize,
    /// Number of centers; default one per 2,000 target nodes (at least 5), as the
    /// scaling curve uses.
    #[arg(long)]
    centers: Option<usize>,
    /// Seed of the city and of the points.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output directory (created if missing).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    // Flat: the side-by-side job walks on the flat, and heights would only bloat the file.
    let city = build_city(&SyntheticCityParams {
        hills: false,
        ..SyntheticCityParams::new(args.nodes, args.seed)
    });
    let centers_count = args.centers.unwrap_or((args.nodes / 2000).max(5));
    let residents = generate_points(
        &city.extent,
        args.residents,
        args.seed,
        PointKind::Residents,
    );
    let centers = generate_points(&city.extent, centers_count, args.seed, PointKind::Centers);

    let roads_path = args.out.join("roads.geojson");
    let mut roads = create(&roads_path)?;
    roads.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
    for (i, line) in city.lines.iter().enumerate() {
        if i > 0 {
            roads.write_all(b",\n")?;
        }
        roads.write_all(
            b"{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[",
        )?;
        for (k, c) in line.coords.iter().enumerate() {
            if k > 0 {
                roads.write_all(b",")?;
            }
            write!(roads, "[{:.7},{:.7}]", c[0], c[1])?;
        }
        roads.write_all(b"]}}")?;
    }
    roads.write_all(b"\n]}\n")?;
    roads.flush()?;

    write_points(&args.out.join("residents.csv"), &residents, true)?;
    write_points(&args.out.join("centers.csv"), &centers, false)?;
    eprintln!(
        "export_city_files: {} lines, {} residents, {} centers in {}",
        city.lines.len(),
        residents.len(),
        centers.len(),
        args.out.display()
    );
    Ok(())
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

/// One CSV row per point: `id,lon,lat` and, for residents, `population`.
fn write_points(path: &Path, points: &[PointFeature], with_population: bool) -> Result<()> {
    let mut out = create(path)?;
    if with_population {
        writeln!(out, "id,lon,lat,population")?;
    } else {
        writeln!(out, "id,lon,lat")?;
    }
    for p in points {
        if with_population {
            writeln!(out, "{},{:.7},{:.7},{}", p.id, p.lon, p.lat, p.population)?;
        } else {
            writeln!(out, "{},{:.7},{:.7}", p.id, p.lon, p.lat)?;
        }
    }
    out.flush()?;
    Ok(())
}
