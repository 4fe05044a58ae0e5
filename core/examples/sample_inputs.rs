//! Deterministic sample centers and residents for a road network, for the real-data runs.
//!
//! ```sh
//! cargo run --release -p lifecircle --example sample_inputs -- \
//!     data/wuhan_streets.geojson.gz OUT_DIR [--spacing-m 100] [--centers 400] \
//!     [--seed 2018] [--centers-crs gcj02] [--highway residential,living_street]
//! ```
//!
//! Writes `OUT_DIR/demand.geojson`: one resident (population 1) every `--spacing-m`
//! metres along every line whose `highway` is in `--highway` (starting half a spacing
//! from each line's start), in WGS84; and `OUT_DIR/centers.geojson`: `--centers` points
//! drawn with a seeded ChaCha8 generator (a uniformly chosen line of those streets, a
//! uniform position along it), written in `--centers-crs` (converted from WGS84) with
//! `tier` and `services` properties matching `config/district_1_7_n.toml`: center 0 is
//! the district center, centers 1–7 the sub-district centers, the rest cycle through
//! neighbourhood, business-district and park centers.

use lifecircle::crs::Crs;
use lifecircle::geodesy::haversine_m;
use lifecircle::output::{write_geojson, PointsLayer};
use lifecircle::{read_roads, ReadOptions};
use rand::{Rng, SeedableRng};
use serde::Serialize;

#[derive(Clone, Serialize)]
struct Resident {
    id: String,
    population: u32,
}

#[derive(Clone, Serialize)]
struct Center {
    id: String,
    tier: &'static str,
    services: &'static [&'static str],
}

const DISTRICT: &[&str] = &[
    "petition_reception",
    "training",
    "legal_advice",
    "employment_startup",
    "health",
    "social_work",
    "help_line",
    "culture_activities",
    "reading_room",
    "meeting_rooms",
];
const SUBDISTRICT: &[&str] = &[
    "legal_advice",
    "employment_startup",
    "health",
    "social_work",
    "help_line",
    "culture_activities",
    "reading_room",
    "meeting_rooms",
];
const NEIGHBOURHOOD: &[&str] = &[
    "reading_room",
    "free_fitness",
    "meeting_rooms",
    "elderly_care",
    "childcare",
    "volunteer_service",
    "community_canteen",
];
const BUSINESS: &[&str] = &[
    "reading_room",
    "meeting_rooms",
    "volunteer_service",
    "community_canteen",
];
const PARK: &[&str] = &["free_fitness", "reading_room", "volunteer_service"];

fn role(i: usize) -> (&'static str, &'static [&'static str]) {
    match i {
        0 => ("district", DISTRICT),
        1..=7 => ("subdistrict", SUBDISTRICT),
        _ => match (i - 8) % 3 {
            0 => ("neighbourhood", NEIGHBOURHOOD),
            1 => ("business_district", BUSINESS),
            _ => ("park", PARK),
        },
    }
}

/// Point `d` metres along a polyline.
fn along(coords: &[[f64; 2]], mut d: f64) -> [f64; 2] {
    for w in coords.windows(2) {
        let l = haversine_m(w[0], w[1]);
        if d <= l && l > 0.0 {
            let t = d / l;
            return [
                w[0][0] + t * (w[1][0] - w[0][0]),
                w[0][1] + t * (w[1][1] - w[0][1]),
            ];
        }
        d -= l;
    }
    *coords.last().expect("a line has vertices")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut spacing_m, mut centers_n, mut seed, mut crs) = (100.0, 400usize, 2018u64, Crs::Wgs84);
    let mut highways = vec!["residential".to_string(), "living_street".to_string()];
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).cloned().ok_or("missing value");
        match args[i].as_str() {
            "--spacing-m" => spacing_m = value()?.parse()?,
            "--centers" => centers_n = value()?.parse()?,
            "--seed" => seed = value()?.parse()?,
            "--centers-crs" => crs = Crs::parse(&value()?)?,
            "--highway" => highways = value()?.split(',').map(String::from).collect(),
            other => {
                positional.push(other.to_string());
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    let [roads_path, out_dir] = <[String; 2]>::try_from(positional)
        .map_err(|_| "usage: sample_inputs ROADS OUT_DIR [options]")?;
    let raw = std::fs::read(&roads_path)?;
    let roads = read_roads(&roads_path, &raw, &ReadOptions::default())?;
    let streets: Vec<(&[[f64; 2]], f64)> = roads
        .lines
        .iter()
        .filter(|l| l.tags.get("highway").is_some_and(|h| highways.contains(h)))
        .map(|l| {
            let len: f64 = l.coords.windows(2).map(|w| haversine_m(w[0], w[1])).sum();
            (l.coords.as_slice(), len)
        })
        .collect();
    std::fs::create_dir_all(&out_dir)?;

    let mut demand = PointsLayer { points: Vec::new() };
    for (coords, len) in &streets {
        let mut d = spacing_m / 2.0;
        while d < *len {
            let id = format!("r{}", demand.points.len());
            demand
                .points
                .push((along(coords, d), Resident { id, population: 1 }));
            d += spacing_m;
        }
    }
    let residents = demand.points.len();
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(format!("{out_dir}/demand.geojson"))?);
    write_geojson(&mut file, &demand, Crs::Wgs84)?;

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut centers = PointsLayer { points: Vec::new() };
    for i in 0..centers_n {
        let (coords, len) = streets[rng.random_range(0..streets.len())];
        let at = along(coords, rng.random_range(0.0..=1.0) * len);
        let (tier, services) = role(i);
        let id = format!("{tier}-{i}");
        centers.points.push((at, Center { id, tier, services }));
    }
    let mut file =
        std::io::BufWriter::new(std::fs::File::create(format!("{out_dir}/centers.geojson"))?);
    write_geojson(&mut file, &centers, crs)?;
    eprintln!(
        "{residents} residents along {} streets, {centers_n} centers in {crs}, in {out_dir}",
        streets.len()
    );
    Ok(())
}
