use std::io::Cursor;

use super::*;
use crate::features::SkipCounts;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../tests/fixtures/raster/", $name)).as_slice()
    };
}

/// Whole-raster sums of the fixtures (see make.sh).
const POP_SUM: f64 = 27_274.5;
const INT_SUM: f64 = 38_019.0;
const UTM_BOUNDS: [f64; 4] = [239_000.0, 3_386_000.0, 243_000.0, 3_389_000.0];

fn read(name: &str, bytes: &[u8], options: &RasterOptions) -> Result<RasterCells> {
    read_raster_window(name, Cursor::new(bytes), options)
}

fn whole(name: &str, bytes: &[u8]) -> RasterCells {
    read(name, bytes, &RasterOptions::default()).unwrap()
}

fn band(band: usize) -> RasterOptions {
    RasterOptions {
        band,
        ..RasterOptions::default()
    }
}

fn window(w: [f64; 4]) -> RasterOptions {
    RasterOptions {
        window: Some(w),
        ..RasterOptions::default()
    }
}

/// The value make.sh puts in pop.asc at (row, col), `None` for nodata.
fn pop_value(row: usize, col: usize) -> Option<f64> {
    (row != 0 && col != 39).then(|| {
        if col == 0 {
            0.0
        } else {
            row as f64 + col as f64 / 2.0
        }
    })
}

#[test]
fn float32_values_georeference_and_counts() {
    let r = whole("f32_strip.tif", fixture!("f32_strip.tif"));
    assert_eq!(r.crs.as_deref(), Some("EPSG:32650"));
    assert!(!r.geographic);
    assert_eq!(r.cell_size, [100.0, 100.0]);
    assert_eq!(r.window_pixels, [0, 0, 40, 30]);
    assert_eq!(r.cells.len(), 29 * 38);
    assert_eq!(r.nodata_cells, 69);
    assert_eq!(r.zero_cells, 29);
    assert_eq!(r.window_sum, POP_SUM);
    let first = r.cells[0];
    assert_eq!((first.row, first.col, first.population), (1, 1, 1.5));
    assert_eq!([first.x, first.y], [239_150.0, 3_388_850.0]);
    for c in &r.cells {
        assert_eq!(Some(c.population), pop_value(c.row, c.col));
        assert_eq!(c.x, 239_000.0 + 100.0 * c.col as f64 + 50.0);
        assert_eq!(c.y, 3_389_000.0 - 100.0 * c.row as f64 - 50.0);
    }
    // Row-major order.
    assert!(r
        .cells
        .windows(2)
        .all(|w| (w[0].row, w[0].col) < (w[1].row, w[1].col)));
    assert_eq!(
        r.window_sum,
        r.cells.iter().map(|c| c.population).sum::<f64>()
    );
}

#[test]
fn raster_bounds_reads_no_pixels() {
    let info = raster_bounds(
        "f32_tiled_deflate.tif",
        Cursor::new(fixture!("f32_tiled_deflate.tif")),
    )
    .unwrap();
    assert_eq!(info.crs.as_deref(), Some("EPSG:32650"));
    assert_eq!(info.crs_note, None);
    assert_eq!(info.bounds, UTM_BOUNDS);
    assert_eq!(info.size, [40, 30]);
    assert_eq!(info.cell_size, [100.0, 100.0]);
    assert_eq!(info.bands, 1);
    assert_eq!(info.nodata, Some(-99_999.0));
    assert!(info.tiled);
    assert_eq!(info.chunk_size, [16, 16]);
    let strip = raster_bounds(
        "f32_strip_lzw_pred2.tif",
        Cursor::new(fixture!("f32_strip_lzw_pred2.tif")),
    )
    .unwrap();
    assert!(!strip.tiled);
    assert_eq!(strip.chunk_size, [40, 7]);
    let nan = raster_bounds("f32_nan.tif", Cursor::new(fixture!("f32_nan.tif"))).unwrap();
    assert!(nan.nodata.unwrap().is_nan());
}

#[test]
fn every_layout_and_compression_gives_the_same_cells() {
    let reference = whole("f32_strip.tif", fixture!("f32_strip.tif"));
    let same: [(&str, &[u8], usize); 13] = [
        (
            "f32_tiled_deflate.tif",
            fixture!("f32_tiled_deflate.tif"),
            1,
        ),
        (
            "f32_strip_lzw_pred2.tif",
            fixture!("f32_strip_lzw_pred2.tif"),
            1,
        ),
        (
            "f32_tiled_lzw_pred3.tif",
            fixture!("f32_tiled_lzw_pred3.tif"),
            1,
        ),
        ("f32_packbits.tif", fixture!("f32_packbits.tif"), 1),
        ("f64.tif", fixture!("f64.tif"), 1),
        ("cog.tif", fixture!("cog.tif"), 1),
        ("f32_point.tif", fixture!("f32_point.tif"), 1),
        ("f32_nan.tif", fixture!("f32_nan.tif"), 1),
        ("f32_nodata_min.tif", fixture!("f32_nodata_min.tif"), 1),
        ("f32_userdef.tif", fixture!("f32_userdef.tif"), 1),
        ("bands2_chunky.tif", fixture!("bands2_chunky.tif"), 2),
        ("bands2_planar.tif", fixture!("bands2_planar.tif"), 2),
        ("f32_strip.tif", fixture!("f32_strip.tif"), 1),
    ];
    for (name, bytes, b) in same {
        let r = read(name, bytes, &band(b)).unwrap();
        assert_eq!(r.cells, reference.cells, "{name}");
        assert_eq!((r.nodata_cells, r.zero_cells), (69, 29), "{name}");
        assert_eq!(r.window_sum, POP_SUM, "{name}");
    }
}

#[test]
fn integer_sample_formats() {
    let reference = whole("u16.tif", fixture!("u16.tif"));
    assert_eq!(reference.window_sum, INT_SUM);
    assert_eq!(reference.cells.len(), 1102);
    assert_eq!((reference.nodata_cells, reference.zero_cells), (69, 29));
    let others: [(&str, &[u8]); 4] = [
        ("u8.tif", fixture!("u8.tif")),
        ("i16_tiled.tif", fixture!("i16_tiled.tif")),
        ("i32.tif", fixture!("i32.tif")),
        ("u32.tif", fixture!("u32.tif")),
    ];
    for (name, bytes) in others {
        let r = whole(name, bytes);
        assert_eq!(r.cells, reference.cells, "{name}");
        assert_eq!(r.nodata_cells, 69, "{name}");
    }
}

#[test]
fn geographic_raster() {
    let r = whole("f32_deg.tif", fixture!("f32_deg.tif"));
    assert_eq!(r.crs.as_deref(), Some("EPSG:4326"));
    assert!(r.geographic);
    assert!((r.cell_size[0] - 0.001).abs() < 1e-12 && (r.cell_size[1] - 0.001).abs() < 1e-12);
    assert_eq!(r.window_sum, POP_SUM);
    let first = r.cells[0];
    assert!((first.x - 114.2815).abs() < 1e-9, "{}", first.x);
    assert!((first.y - 30.6085).abs() < 1e-9, "{}", first.y);
}

#[test]
fn band_choice() {
    let ones = read("bands2_planar.tif", fixture!("bands2_planar.tif"), &band(1)).unwrap();
    assert_eq!(ones.window_sum, 1102.0);
    assert!(ones.cells.iter().all(|c| c.population == 1.0));
    let chunky = read("bands2_chunky.tif", fixture!("bands2_chunky.tif"), &band(1)).unwrap();
    assert_eq!(chunky.cells, ones.cells);
    for b in [0, 3] {
        let err = read("bands2_chunky.tif", fixture!("bands2_chunky.tif"), &band(b)).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidParameter { name, reason }
            if name == "band" && reason.contains("2 band(s)") && reason.contains("bands2_chunky.tif")),
            "{err}"
        );
    }
    // Planar: only the asked band's tiles are decoded.
    let r = read("bands2_planar.tif", fixture!("bands2_planar.tif"), &band(2)).unwrap();
    assert_eq!(r.chunks_read, 6);
}

#[test]
fn a_window_gives_exactly_the_cells_whose_centre_is_inside() {
    let w = [239_500.0, 3_388_000.0, 240_500.0, 3_388_800.0];
    for (name, bytes) in [
        ("f32_strip.tif", fixture!("f32_strip.tif")),
        ("f32_tiled_deflate.tif", fixture!("f32_tiled_deflate.tif")),
    ] {
        let r = read(name, bytes, &window(w)).unwrap();
        assert_eq!(r.window_pixels, [5, 2, 15, 10], "{name}");
        assert_eq!(r.cells.len(), 80, "{name}");
        // Rows 2..=9, cols 5..=14 of row + col / 2.
        assert_eq!(r.window_sum, 10.0 * 44.0 + 8.0 * 95.0 / 2.0, "{name}");
        assert!(r
            .cells
            .iter()
            .all(|c| w[0] <= c.x && c.x < w[2] && w[1] <= c.y && c.y < w[3]));
    }
    // Inside the first tile: one chunk decoded; the whole tiled raster is 3 × 2 tiles.
    let tiled = fixture!("f32_tiled_deflate.tif");
    let one = read(
        "t",
        tiled,
        &window([239_000.0, 3_388_000.0, 239_500.0, 3_389_000.0]),
    )
    .unwrap();
    assert_eq!(one.chunks_read, 1);
    assert_eq!(one.window_pixels, [0, 0, 5, 10]);
    assert_eq!(whole("t", tiled).chunks_read, 6);
    // Striped in strips of 7 rows: rows 2..10 meet strips 0 and 1.
    let strips = read("s", fixture!("f32_strip_lzw_pred2.tif"), &window(w)).unwrap();
    assert_eq!(strips.chunks_read, 2);
}

#[test]
fn windows_that_partition_the_raster_conserve_cells_and_sums() {
    let reference = whole("f32_strip.tif", fixture!("f32_strip.tif"));
    // Cuts on cell edges, on cell centres (239_150 is a centre) and in between.
    let xs = [
        230_000.0, 239_150.0, 240_000.0, 241_234.5, 242_950.0, 250_000.0,
    ];
    let ys = [
        3_380_000.0,
        3_386_050.0,
        3_387_777.0,
        3_388_900.0,
        3_390_000.0,
    ];
    for (name, bytes) in [
        ("f32_strip.tif", fixture!("f32_strip.tif")),
        ("f32_tiled_deflate.tif", fixture!("f32_tiled_deflate.tif")),
        ("cog.tif", fixture!("cog.tif")),
    ] {
        let mut cells = Vec::new();
        let (mut sum, mut nodata, mut zero) = (0.0, 0, 0);
        for x in xs.windows(2) {
            for y in ys.windows(2) {
                let r = read(name, bytes, &window([x[0], y[0], x[1], y[1]])).unwrap();
                assert_eq!(
                    r.window_sum,
                    r.cells.iter().map(|c| c.population).sum::<f64>()
                );
                sum += r.window_sum;
                nodata += r.nodata_cells;
                zero += r.zero_cells;
                cells.extend(r.cells);
            }
        }
        cells.sort_by_key(|c| (c.row, c.col));
        assert_eq!(cells, reference.cells, "{name}");
        assert_eq!(sum, POP_SUM, "{name}");
        assert_eq!((nodata, zero), (69, 29), "{name}");
    }
}

#[test]
fn window_errors() {
    let bytes = fixture!("f32_strip.tif");
    let err = read("f32_strip.tif", bytes, &window([0.0, 0.0, 1000.0, 1000.0])).unwrap_err();
    assert!(
        matches!(&err, Error::Empty { layer, reason } if layer == "f32_strip.tif"
        && reason.contains("outside") && reason.contains("EPSG:32650")),
        "{err}"
    );
    for w in [
        [1.0, 0.0, 0.0, 1.0],
        [f64::NAN, 0.0, 1.0, 1.0],
        [0.0, 0.0, f64::INFINITY, 1.0],
    ] {
        let err = read("f32_strip.tif", bytes, &window(w)).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidParameter { name, .. } if name == "window"),
            "{err}"
        );
    }
    let small = RasterOptions {
        max_cells: 100,
        ..RasterOptions::default()
    };
    let err = read("f32_strip.tif", bytes, &small).unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { layer, reason } if layer == "f32_strip.tif"
        && reason.contains("1200")),
        "{err}"
    );
    // A sliver between cell centres: no cell, no error.
    let sliver = read(
        "f32_strip.tif",
        bytes,
        &window([239_060.0, 3_386_000.0, 239_140.0, 3_389_000.0]),
    )
    .unwrap();
    assert!(sliver.cells.is_empty());
    assert_eq!((sliver.chunks_read, sliver.window_sum), (0, 0.0));
}

#[test]
fn bad_files_name_the_file_and_the_reason() {
    let err = whole_err("bad_nogeo.tif", fixture!("bad_nogeo.tif"));
    assert!(
        matches!(&err, Error::Parse { layer, reason } if layer == "bad_nogeo.tif"
        && reason.contains("has no georeference (no ModelTiepoint/ModelPixelScale or ModelTransformation tags)")),
        "{err}"
    );
    let err = whole_err("bad_rotated.tif", fixture!("bad_rotated.tif"));
    assert!(
        matches!(&err, Error::Parse { layer, reason } if layer == "bad_rotated.tif"
        && reason.contains("rotated")),
        "{err}"
    );
    let err = whole_err("bad_truncated.tif", fixture!("bad_truncated.tif"));
    assert!(
        matches!(&err, Error::Parse { layer, .. } if layer == "bad_truncated.tif"),
        "{err}"
    );
    let err = whole_err("bad_negative.tif", fixture!("bad_negative.tif"));
    assert!(
        matches!(&err, Error::Feature { layer, index, reason } if layer == "bad_negative.tif"
        && *index == 5 * 40 + 1 && reason.contains("row 5, col 1") && reason.contains("-5.5")
        && reason.contains("-99999")),
        "{err}"
    );
    let err = whole_err("notes.txt", b"population,lon,lat\n");
    assert!(
        matches!(&err, Error::Parse { layer, .. } if layer == "notes.txt"),
        "{err}"
    );
    // A user-defined CRS reads, with the reason why it has no EPSG code.
    let r = whole("f32_userdef.tif", fixture!("f32_userdef.tif"));
    assert_eq!(r.crs, None);
    assert!(
        r.crs_note.as_deref().unwrap().contains("32767"),
        "{:?}",
        r.crs_note
    );
}

fn whole_err(name: &str, bytes: &[u8]) -> Error {
    read(name, bytes, &RasterOptions::default()).unwrap_err()
}

#[test]
fn truncated_or_corrupted_files_give_errors_not_panics() {
    for (name, bytes) in [
        ("f32_tiled_deflate.tif", fixture!("f32_tiled_deflate.tif")),
        (
            "f32_strip_lzw_pred2.tif",
            fixture!("f32_strip_lzw_pred2.tif"),
        ),
        ("cog.tif", fixture!("cog.tif")),
        ("bands2_planar.tif", fixture!("bands2_planar.tif")),
    ] {
        let full = whole(name, bytes);
        for len in 0..bytes.len() {
            // A prefix may still hold everything needed (trailing overviews): then it reads
            // the same cells; otherwise it is an error naming the file.
            match read(name, &bytes[..len], &RasterOptions::default()) {
                Ok(r) => assert_eq!(r.cells, full.cells, "{name} cut at {len}"),
                Err(e) => assert!(e.to_string().contains(name), "{name} cut at {len}: {e}"),
            }
            let _ = raster_bounds(name, Cursor::new(&bytes[..len]));
        }
        let mut corrupt = bytes.to_vec();
        for at in 0..corrupt.len() {
            let original = corrupt[at];
            corrupt[at] = original ^ 0xA5;
            if let Err(e) = read(name, &corrupt, &RasterOptions::default()) {
                assert!(e.to_string().contains(name), "{name} byte {at}: {e}");
            }
            corrupt[at] = original;
        }
    }
}

fn identity(xy: [f64; 2]) -> Result<[f64; 2], String> {
    Ok(xy)
}

#[test]
fn cells_become_points_at_their_centres() {
    let r = whole("f32_deg.tif", fixture!("f32_deg.tif"));
    let layer = cells_to_points("f32_deg.tif", &r, None, identity).unwrap();
    assert_eq!(layer.points.len(), r.cells.len());
    let p = &layer.points[0];
    assert_eq!(p.id, "r1c1");
    assert_eq!(
        (p.lon, p.lat, p.population, p.source_index),
        (r.cells[0].x, r.cells[0].y, 1.5, 0)
    );
    assert_eq!(
        layer.points.iter().map(|p| p.population).sum::<f64>(),
        POP_SUM
    );
    assert_eq!(layer.skipped.0[super::points::NODATA_NOTE], 69);
    assert_eq!(layer.skipped.0[super::points::ZERO_NOTE], 29);
    assert_eq!(layer.skipped.dropped(), 0);
    assert!(SkipCounts::is_note(super::points::NODATA_NOTE));
}

#[test]
fn spreading_conserves_population_inside_each_cell() {
    let r = whole("f32_strip.tif", fixture!("f32_strip.tif"));
    // A stand-in projection: 1 m = 1e-5 degree from the raster's corner.
    let to_lonlat = |xy: [f64; 2]| {
        Ok([
            100.0 + (xy[0] - 239_000.0) * 1e-5,
            20.0 + (xy[1] - 3_386_000.0) * 1e-5,
        ])
    };
    let layer = cells_to_points("f32_strip.tif", &r, Some(30.0), to_lonlat).unwrap();
    // ceil(100 / 30) = 4 points per axis.
    assert_eq!(layer.points.len(), 16 * r.cells.len());
    let sum: f64 = layer.points.iter().map(|p| p.population).sum();
    assert!((sum - POP_SUM).abs() <= 1e-9 * POP_SUM, "{sum}");
    assert_eq!(layer.points[0].id, "r1c1p0");
    assert_eq!(layer.points[15].id, "r1c1p15");
    for p in &layer.points {
        let cell = &r.cells[p.source_index];
        let (x, y) = (
            (p.lon - 100.0) / 1e-5 + 239_000.0,
            (p.lat - 20.0) / 1e-5 + 3_386_000.0,
        );
        assert!(
            (x - cell.x).abs() < 50.0 && (y - cell.y).abs() < 50.0,
            "{} in {:?}",
            p.id,
            cell
        );
        assert!((p.population - cell.population / 16.0).abs() < 1e-12);
    }
    // Geographic cells: 0.001° is about 95.7 m wide and 111.2 m high at 30.6° N.
    let deg = whole("f32_deg.tif", fixture!("f32_deg.tif"));
    let layer = cells_to_points("f32_deg.tif", &deg, Some(50.0), identity).unwrap();
    assert_eq!(layer.points.len(), 2 * 3 * deg.cells.len());
    let sum: f64 = layer.points.iter().map(|p| p.population).sum();
    assert!((sum - POP_SUM).abs() <= 1e-9 * POP_SUM, "{sum}");
    // A tiny spacing is capped per axis.
    let capped = cells_to_points("f32_deg.tif", &deg, Some(0.01), identity);
    assert!(
        matches!(capped, Err(Error::TooLarge { .. }))
            || capped.unwrap().points.len() <= 1024 * deg.cells.len()
    );
}

#[test]
fn point_errors_name_the_cell() {
    let r = whole("f32_strip.tif", fixture!("f32_strip.tif"));
    let err = cells_to_points("f32_strip.tif", &r, None, |xy| {
        if xy[0] > 240_000.0 {
            Err("outside the zone".to_string())
        } else {
            Ok([114.0, 30.0])
        }
    })
    .unwrap_err();
    assert!(
        matches!(&err, Error::Feature { layer, index, reason } if layer == "f32_strip.tif"
        && *index == 9 && reason.contains("row 1, col 10") && reason.contains("outside the zone")
        && reason.contains("EPSG:32650")),
        "{err}"
    );
    let err = cells_to_points("f32_strip.tif", &r, None, identity).unwrap_err();
    assert!(
        matches!(&err, Error::Feature { reason, .. } if reason.contains("outside WGS84")),
        "{err}"
    );
    for bad in [0.0, -1.0, f64::NAN] {
        let err = cells_to_points("f32_strip.tif", &r, Some(bad), identity).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidParameter { name, .. } if name == "spread_m"),
            "{err}"
        );
    }
}
