//! Reads one window of a GeoTIFF population raster and reports time and peak memory.
//!
//! ```sh
//! cargo run --release -p lifecircle --example raster_window -- big.tif [min_x,min_y,max_x,max_y] [band]
//! ```
//! Used by `benches/raster_window.sh`; the window is in the raster's CRS.

use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

use lifecircle::input::{raster_bounds, read_raster_window, RasterOptions};

/// Peak resident memory of this process in KiB (Linux), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: raster_window FILE [min_x,min_y,max_x,max_y] [band]")?;
    let window = match args.get(1) {
        None => None,
        Some(w) => {
            let v: Vec<f64> = w.split(',').map(str::parse).collect::<Result<_, _>>()?;
            Some(<[f64; 4]>::try_from(v).map_err(|_| "the window has 4 numbers")?)
        }
    };
    let band = args.get(2).map(|b| b.parse()).transpose()?.unwrap_or(1);
    let file_bytes = std::fs::metadata(path)?.len();

    let start = Instant::now();
    let info = raster_bounds(path, BufReader::new(File::open(path)?))?;
    let info_s = start.elapsed().as_secs_f64();
    let options = RasterOptions {
        band,
        window,
        ..RasterOptions::default()
    };
    let start = Instant::now();
    let cells = read_raster_window(path, BufReader::new(File::open(path)?), &options)?;
    let read_s = start.elapsed().as_secs_f64();
    let [w, h] = info.size;
    println!(
        "raster {w} x {h} px ({:.1} GB as float32), file {:.1} MB, chunks {:?} ({})",
        (w * h * 4) as f64 / 1e9,
        file_bytes as f64 / 1e6,
        info.chunk_size,
        if info.tiled { "tiled" } else { "striped" }
    );
    println!("raster_bounds: {:.2} ms", info_s * 1e3);
    println!(
        "window {:?} px: {} cells, sum {}, {} nodata, {} zero, {} chunks decoded in {:.2} ms",
        cells.window_pixels,
        cells.cells.len(),
        cells.window_sum,
        cells.nodata_cells,
        cells.zero_cells,
        cells.chunks_read,
        read_s * 1e3
    );
    if let Some(kib) = peak_rss_kib() {
        println!("peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0);
    }
    Ok(())
}
