//! SRTM `.hgt` elevation tiles and bilinear sampling of elevation at any point.
//!
//! A tile covers one degree square whose south-west corner is in the file name
//! (`N57E011.hgt`: 57–58° N, 11–12° E). It holds `n × n` big-endian `i16` heights in
//! metres, `n` = 1201 (SRTM3, 3″ spacing) or 3601 (SRTM1, 1″), row 0 at the *north*
//! edge and column 0 at the west edge; edge rows and columns repeat the neighbouring
//! tiles'. The value −32768 marks a void (no data).
//!
//! Voids: bilinear sampling uses the valid corners of the surrounding cell only, with
//! their weights renormalised; when all four corners are voids the height is unknown
//! (NaN), and walking costs treat a segment with an unknown end as flat.

use crate::features::RoadLine;
use crate::{Error, Result};

/// The value SRTM uses for "no data".
pub const HGT_VOID: i16 = -32768;

/// One SRTM tile.
#[derive(Debug, Clone, PartialEq)]
pub struct HgtTile {
    /// Latitude of the southern edge, whole degrees.
    pub south_lat: i32,
    /// Longitude of the western edge, whole degrees.
    pub west_lon: i32,
    /// Samples per row and per column (1201 or 3601).
    pub size: usize,
    heights_m: Vec<i16>,
}

/// Parses a tile name such as `N57E011`, `s33w071.hgt` or `N57E011.hgt.gz` (directories
/// allowed) into `(south_lat, west_lon)`.
///
/// ```
/// assert_eq!(lifecircle::input::parse_hgt_name("data/N57E011.hgt.gz"), Some((57, 11)));
/// assert_eq!(lifecircle::input::parse_hgt_name("S33W071.hgt"), Some((-33, -71)));
/// assert_eq!(lifecircle::input::parse_hgt_name("tile.hgt"), None);
/// ```
pub fn parse_hgt_name(name: &str) -> Option<(i32, i32)> {
    let base = name.rsplit(['/', '\\']).next()?;
    let b = base.as_bytes();
    if b.len() < 7 {
        return None;
    }
    let lat_sign = match b[0].to_ascii_uppercase() {
        b'N' => 1,
        b'S' => -1,
        _ => return None,
    };
    let lon_sign = match b[3].to_ascii_uppercase() {
        b'E' => 1,
        b'W' => -1,
        _ => return None,
    };
    let lat: i32 = base.get(1..3)?.parse().ok()?;
    let lon: i32 = base.get(4..7)?.parse().ok()?;
    let rest = base.get(7..)?.to_ascii_lowercase();
    if !(rest.is_empty() || rest.starts_with(".hgt")) || lat > 90 || lon > 180 {
        return None;
    }
    Some((lat_sign * lat, lon_sign * lon))
}

impl HgtTile {
    /// Reads a tile from its raw bytes (already decompressed) and its south-west corner.
    ///
    /// # Errors
    /// [`Error::Parse`] naming `layer` when the size is neither 1201² nor 3601² samples
    /// of two bytes.
    pub fn from_bytes(layer: &str, bytes: &[u8], south_lat: i32, west_lon: i32) -> Result<Self> {
        let size = match bytes.len() {
            2_884_802 => 1201,
            25_934_402 => 3601,
            n => {
                return Err(Error::Parse {
                    layer: layer.into(),
                    reason: format!(
                        "an SRTM .hgt tile has 1201×1201 (2,884,802 bytes, SRTM3) or \
                         3601×3601 (25,934,402 bytes, SRTM1) big-endian samples, this file has {n} bytes"
                    ),
                })
            }
        };
        let heights_m = bytes
            .chunks_exact(2)
            .map(|c| i16::from_be_bytes([c[0], c[1]]))
            .collect();
        Ok(Self {
            south_lat,
            west_lon,
            size,
            heights_m,
        })
    }

    /// A tile from samples in file order (row 0 north); for tests and synthetic terrain.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `heights_m.len() == size * size` and `size >= 2`.
    pub fn from_samples(
        south_lat: i32,
        west_lon: i32,
        size: usize,
        heights_m: Vec<i16>,
    ) -> Result<Self> {
        if size < 2 || heights_m.len() != size * size {
            return Err(Error::InvalidParameter {
                name: "hgt samples".into(),
                reason: format!(
                    "need size² = {} samples with size ≥ 2, got {}",
                    size * size,
                    heights_m.len()
                ),
            });
        }
        Ok(Self {
            south_lat,
            west_lon,
            size,
            heights_m,
        })
    }

    fn sample(&self, row: usize, col: usize) -> Option<f64> {
        let h = self.heights_m[row * self.size + col];
        (h != HGT_VOID).then_some(h as f64)
    }

    /// Whether the tile covers `[lon, lat]` (edges included).
    pub fn covers(&self, lonlat: [f64; 2]) -> bool {
        let (x, y) = (
            lonlat[0] - self.west_lon as f64,
            lonlat[1] - self.south_lat as f64,
        );
        (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)
    }

    /// Bilinear elevation at `[lon, lat]`, metres: `None` outside the tile, NaN when the
    /// four surrounding samples are all voids (voids among them are left out and the
    /// remaining weights renormalised).
    pub fn elevation_m(&self, lonlat: [f64; 2]) -> Option<f64> {
        if !self.covers(lonlat) {
            return None;
        }
        let cells = (self.size - 1) as f64;
        let fx = (lonlat[0] - self.west_lon as f64) * cells;
        let fy = (self.south_lat as f64 + 1.0 - lonlat[1]) * cells; // rows run south from the north edge
        let c0 = (fx.floor() as usize).min(self.size - 2);
        let r0 = (fy.floor() as usize).min(self.size - 2);
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let mut sum = 0.0;
        let mut weight = 0.0;
        for (r, c, w) in [
            (r0, c0, (1.0 - tx) * (1.0 - ty)),
            (r0, c0 + 1, tx * (1.0 - ty)),
            (r0 + 1, c0, (1.0 - tx) * ty),
            (r0 + 1, c0 + 1, tx * ty),
        ] {
            if let Some(h) = self.sample(r, c) {
                sum += w * h;
                weight += w;
            }
        }
        Some(if weight > 0.0 { sum / weight } else { f64::NAN })
    }
}

/// A set of elevation tiles (a digital elevation model).
#[derive(Debug, Clone, Default)]
pub struct Dem {
    tiles: Vec<HgtTile>,
}

impl Dem {
    /// A DEM from tiles; where tiles overlap (shared edges) the first given wins.
    pub fn new(tiles: Vec<HgtTile>) -> Self {
        Self { tiles }
    }

    /// Elevation at `[lon, lat]`, metres; NaN outside every tile or in a void.
    pub fn elevation_m(&self, lonlat: [f64; 2]) -> f64 {
        self.tiles
            .iter()
            .find_map(|t| t.elevation_m(lonlat))
            .unwrap_or(f64::NAN)
    }

    /// Replaces every road vertex's elevation with the DEM's (NaN where unknown), so the
    /// network built from `lines` has an elevation for each vertex. Returns how many
    /// vertices got a finite height and how many did not.
    pub fn fill_road_elevations(&self, lines: &mut [RoadLine]) -> (usize, usize) {
        let (mut known, mut unknown) = (0, 0);
        for line in lines {
            let z: Vec<f64> = line.coords.iter().map(|&c| self.elevation_m(c)).collect();
            for h in &z {
                if h.is_finite() {
                    known += 1;
                } else {
                    unknown += 1;
                }
            }
            line.elevations_m = Some(z);
        }
        (known, unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3 × 3 tile: row 0 (north) 0, 10, 20; row 1 30, 40, 50; row 2 (south) 60, 70, 80.
    fn tile(voids: &[usize]) -> HgtTile {
        let mut h: Vec<i16> = (0..9).map(|i| i * 10).collect();
        for &v in voids {
            h[v] = HGT_VOID;
        }
        HgtTile::from_samples(57, 11, 3, h).unwrap()
    }

    #[test]
    fn bilinear_by_hand() {
        let t = tile(&[]);
        // North-west corner = sample (0, 0); south-east = (2, 2).
        assert_eq!(t.elevation_m([11.0, 58.0]), Some(0.0));
        assert_eq!(t.elevation_m([12.0, 57.0]), Some(80.0));
        // Centre of the north-west cell: mean of 0, 10, 30, 40.
        assert!((t.elevation_m([11.25, 57.75]).unwrap() - 20.0).abs() < 1e-9);
        // A quarter of the way east along the north edge: 2.5.
        assert!((t.elevation_m([11.125, 58.0]).unwrap() - 2.5).abs() < 1e-9);
        assert_eq!(t.elevation_m([10.9, 57.5]), None);
    }

    #[test]
    fn voids_are_left_out_or_unknown() {
        let t = tile(&[0]);
        // Cell centre without the void: mean of 10, 30, 40.
        assert!((t.elevation_m([11.25, 57.75]).unwrap() - 80.0 / 3.0).abs() < 1e-9);
        let t = tile(&[0, 1, 3, 4]);
        assert!(t.elevation_m([11.25, 57.75]).unwrap().is_nan());
        let dem = Dem::new(vec![t]);
        assert!(dem.elevation_m([0.0, 0.0]).is_nan());
    }

    #[test]
    fn wrong_size_is_a_clear_error() {
        let err = HgtTile::from_bytes("N57E011.hgt", &[0u8; 1000], 57, 11)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("N57E011.hgt: cannot read input: an SRTM .hgt tile"),
            "{err}"
        );
        assert!(err.contains("this file has 1000 bytes"), "{err}");
    }

    #[test]
    fn big_endian_row_zero_is_north() {
        let mut bytes = vec![0u8; 2 * 1201 * 1201];
        bytes[0..2].copy_from_slice(&300i16.to_be_bytes()); // north-west corner
        let t = HgtTile::from_bytes("x", &bytes, 57, 11).unwrap();
        assert_eq!(t.elevation_m([11.0, 58.0]), Some(300.0));
        assert_eq!(t.elevation_m([11.0, 57.0]), Some(0.0));
    }
}
