//! Seeded synthetic cities: street grids with noise, rivers, bridges, cul-de-sacs and hills.
//!
//! The generator lays out an `nx × ny` grid of intersections `block_m` apart, centred on a
//! configurable origin, and then roughens it:
//!
//! * every intersection is jittered by up to `jitter_share × block_m` on each axis;
//! * a share of street segments is removed at random;
//! * rivers (gentle sine curves across the whole city, alternating east–west and
//!   north–south) cut every street segment that crosses them, except one bridge every
//!   `bridge_spacing_m` along the river;
//! * some blocks get a cul-de-sac: a dead-end stub from the middle of the block's southern
//!   street into the block (a T-junction plus a dead end, two extra network nodes);
//! * some other blocks get a diagonal footpath from one corner to the opposite one;
//! * optionally, an elevation field (a sum of Gaussian hills) is sampled at every vertex.
//!
//! Lines are built row by row (each street row and column becomes a few long lines, broken
//! where a segment is removed), so a 4-million-node city takes a few hundred MB and a few
//! seconds. Every random decision comes from a [`ChaCha8Rng`] stream derived from `seed`:
//! the same parameters always give the same lines, bit for bit. Each feature (jitter,
//! removals, blocks, rivers, hills) draws from its own stream, so switching one feature
//! off leaves the others unchanged.
//!
//! Coordinates are converted from local metres to WGS84 with [`LocalProjection`], an
//! equirectangular projection around the origin; all geometric decisions (river sides)
//! are taken on the metre coordinates *recomputed from the emitted lon/lat*, so a test
//! that projects the output back reaches exactly the same verdicts.

use std::collections::BTreeMap;
use std::f64::consts::{PI, TAU};

use lifecircle::features::{PointFeature, RoadLine};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Earth radius used by lifecircle for haversine distances, in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

// Independent random streams, one per feature.
const STREAM_JITTER: u64 = 1;
const STREAM_REMOVAL: u64 = 2;
const STREAM_BLOCKS: u64 = 3;
const STREAM_RIVERS: u64 = 4;
const STREAM_HILLS: u64 = 5;
const STREAM_POINTS: u64 = 6;

/// Parameters of [`generate_city`]. Every field has a default (see [`Default`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticCityParams {
    /// Approximate number of network nodes (within a few percent): intersections plus
    /// the T-junctions and dead ends that cul-de-sacs add. Default 10,000.
    pub target_nodes: usize,
    /// Seed of every random decision. Default 42.
    pub seed: u64,
    /// Longitude of the city centre in degrees. Default 114.3 (Wuhan).
    pub origin_lon: f64,
    /// Latitude of the city centre in degrees. Default 30.6 (Wuhan).
    pub origin_lat: f64,
    /// Distance between neighbouring grid intersections in metres. Default 80.
    pub block_m: f64,
    /// Maximum jitter of an intersection on each axis, as a share of `block_m`
    /// (kept below 0.25 so streets never fold over). Default 0.15.
    pub jitter_share: f64,
    /// Share of street segments removed at random. Default 0.05.
    pub removed_edge_share: f64,
    /// Share of blocks that get a cul-de-sac (dead-end stub). Default 0.15.
    pub cul_de_sac_share: f64,
    /// Share of blocks that get a diagonal footpath. Default 0.08.
    pub diagonal_share: f64,
    /// Number of rivers crossing the city. Default 1.
    pub river_count: usize,
    /// Distance between bridges along a river in metres. Default 400.
    pub bridge_spacing_m: f64,
    /// Whether to write an elevation field (Gaussian hills) into `elevations_m`.
    /// Default true.
    pub hills: bool,
    /// Typical distance between hill tops in metres. Default 1,500.
    pub hill_spacing_m: f64,
    /// Height of the highest hills above the plain in metres. Default 60.
    pub hill_height_m: f64,
    /// Whether every line gets a `highway` tag (`residential` for streets, `footway`
    /// for stubs' and diagonal paths). Each tag map costs a few hundred bytes per line,
    /// so multi-million-node cities are cheaper without. Default false (empty tags).
    pub highway_tags: bool,
}

impl Default for SyntheticCityParams {
    fn default() -> Self {
        Self {
            target_nodes: 10_000,
            seed: 42,
            origin_lon: 114.3,
            origin_lat: 30.6,
            block_m: 80.0,
            jitter_share: 0.15,
            removed_edge_share: 0.05,
            cul_de_sac_share: 0.15,
            diagonal_share: 0.08,
            river_count: 1,
            bridge_spacing_m: 400.0,
            hills: true,
            hill_spacing_m: 1_500.0,
            hill_height_m: 60.0,
            highway_tags: false,
        }
    }
}

impl SyntheticCityParams {
    /// Default parameters with the given node target and seed.
    pub fn new(target_nodes: usize, seed: u64) -> Self {
        Self {
            target_nodes,
            seed,
            ..Self::default()
        }
    }

    /// Grid size `(columns, rows)` chosen for `target_nodes`.
    ///
    /// Each cul-de-sac adds two nodes (its junction and its dead end), so the grid
    /// holds about `target_nodes / (1 + 2 × cul_de_sac_share)` intersections.
    pub fn grid_size(&self) -> (usize, usize) {
        let intersections = self.target_nodes as f64 / (1.0 + 2.0 * self.cul_de_sac_share);
        let side = (intersections.sqrt().round() as usize).max(2);
        (side, side)
    }
}

/// An equirectangular projection around an origin: metres east and north of it.
///
/// Accurate to a fraction of a percent over a few tens of kilometres, which is all a
/// synthetic city needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalProjection {
    origin_lon: f64,
    origin_lat: f64,
    m_per_deg_lon: f64,
    m_per_deg_lat: f64,
}

impl LocalProjection {
    /// A projection centred on `(origin_lon, origin_lat)` in degrees.
    pub fn new(origin_lon: f64, origin_lat: f64) -> Self {
        let m_per_deg_lat = EARTH_RADIUS_M * PI / 180.0;
        Self {
            origin_lon,
            origin_lat,
            m_per_deg_lon: m_per_deg_lat * origin_lat.to_radians().cos(),
            m_per_deg_lat,
        }
    }

    /// `[lon, lat]` of the point `x_m` east and `y_m` north of the origin.
    pub fn to_lon_lat(&self, x_m: f64, y_m: f64) -> [f64; 2] {
        [
            self.origin_lon + x_m / self.m_per_deg_lon,
            self.origin_lat + y_m / self.m_per_deg_lat,
        ]
    }

    /// `[x_m, y_m]` (east, north of the origin) of a `[lon, lat]` point.
    pub fn to_metres(&self, lon_lat: [f64; 2]) -> [f64; 2] {
        [
            (lon_lat[0] - self.origin_lon) * self.m_per_deg_lon,
            (lon_lat[1] - self.origin_lat) * self.m_per_deg_lat,
        ]
    }
}

/// Which way a river runs across the city.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiverAxis {
    /// West to east: the river is `y = f(x)` and cuts north–south streets.
    EastWest,
    /// South to north: the river is `x = f(y)` and cuts east–west streets.
    NorthSouth,
}

/// A river: a sine curve across the whole city, in local metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct River {
    /// Direction of flow.
    pub axis: RiverAxis,
    /// Mean offset of the curve from the city centre, across the axis, in metres.
    pub offset_m: f64,
    /// Amplitude of the meanders in metres.
    pub amplitude_m: f64,
    /// Wavelength of the meanders in metres.
    pub wavelength_m: f64,
    /// Phase of the meanders in radians.
    pub phase: f64,
}

impl River {
    /// Cross-axis coordinate of the river at along-axis coordinate `t_m`.
    fn centre_at(&self, t_m: f64) -> f64 {
        self.offset_m + self.amplitude_m * (TAU * t_m / self.wavelength_m + self.phase).sin()
    }

    /// Which bank the local point `[x_m, y_m]` lies on: `true` north (east–west rivers)
    /// or east (north–south rivers) of the river.
    pub fn side(&self, p: [f64; 2]) -> bool {
        match self.axis {
            RiverAxis::EastWest => p[1] > self.centre_at(p[0]),
            RiverAxis::NorthSouth => p[0] > self.centre_at(p[1]),
        }
    }

    /// Whether the straight segment `a`–`b` (local metres) crosses the river, judged by
    /// the banks of its ends.
    pub fn crosses(&self, a: [f64; 2], b: [f64; 2]) -> bool {
        self.side(a) != self.side(b)
    }
}

/// A WGS84 bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLatBox {
    /// Western edge in degrees.
    pub min_lon: f64,
    /// Southern edge in degrees.
    pub min_lat: f64,
    /// Eastern edge in degrees.
    pub max_lon: f64,
    /// Northern edge in degrees.
    pub max_lat: f64,
}

impl LonLatBox {
    /// The box around every vertex of `lines`, or `None` when there are none.
    pub fn of_lines(lines: &[RoadLine]) -> Option<Self> {
        let mut coords = lines.iter().flat_map(|l| l.coords.iter());
        let first = coords.next()?;
        let mut b = Self {
            min_lon: first[0],
            min_lat: first[1],
            max_lon: first[0],
            max_lat: first[1],
        };
        for c in coords {
            b.min_lon = b.min_lon.min(c[0]);
            b.min_lat = b.min_lat.min(c[1]);
            b.max_lon = b.max_lon.max(c[0]);
            b.max_lat = b.max_lat.max(c[1]);
        }
        Some(b)
    }
}

/// A generated city: its lines plus what a test or a viewer may want to know about it.
#[derive(Debug, Clone)]
pub struct SyntheticCity {
    /// The walkable lines, each with `source_index` equal to its position here.
    pub lines: Vec<RoadLine>,
    /// The projection between local metres and WGS84 used for the city.
    pub projection: LocalProjection,
    /// Bounding box of all lines.
    pub extent: LonLatBox,
    /// The rivers, in local metres of `projection`.
    pub rivers: Vec<River>,
    /// Number of bridges (segments crossing a river that were kept), over all rivers.
    pub bridge_count: usize,
    /// Grid columns and rows of intersections.
    pub grid_size: (usize, usize),
}

/// Generates a synthetic city's walkable lines. Shorthand for `build_city(params).lines`.
///
/// Time and memory are linear in `target_nodes`.
///
/// ```
/// use lifecircle_benches::{generate_city, graph_size, SyntheticCityParams};
/// let lines = generate_city(&SyntheticCityParams::new(2_000, 7));
/// let size = graph_size(&lines);
/// assert!((1_800..=2_200).contains(&size.nodes));
/// ```
pub fn generate_city(params: &SyntheticCityParams) -> Vec<RoadLine> {
    build_city(params).lines
}

/// Generates a synthetic city, with its rivers, extent and bridge count.
///
/// # Panics
///
/// When a share parameter lies outside `[0, 1]`, `jitter_share` is not below 0.25, or
/// `block_m`, `bridge_spacing_m` or `hill_spacing_m` is not positive.
pub fn build_city(params: &SyntheticCityParams) -> SyntheticCity {
    CityBuilder::new(params).build()
}

/// One grid intersection (or any vertex): its WGS84 and local coordinates and height.
#[derive(Debug, Clone, Copy)]
struct Vertex {
    lon_lat: [f64; 2],
    /// Local metres recomputed from `lon_lat`: the coordinates every decision uses.
    xy: [f64; 2],
    z: f64,
}

/// What a block (the cell north-east of an intersection) holds besides its streets.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BlockFeature {
    None,
    /// A stub from the point at `t` along the southern street, `depth` of the block deep.
    CulDeSac {
        t: f64,
        depth: f64,
    },
    /// A footpath from south-west to north-east corner (`rising`) or south-east to
    /// north-west, bowed sideways by `bow` of the block size.
    Diagonal {
        rising: bool,
        bow: f64,
    },
}

/// A line under construction: vertices only, turned into a [`RoadLine`] when done.
#[derive(Debug, Default)]
struct LineBuf {
    coords: Vec<[f64; 2]>,
    elevations: Vec<f64>,
}

impl LineBuf {
    fn push(&mut self, v: &Vertex) {
        self.coords.push(v.lon_lat);
        self.elevations.push(v.z);
    }
}

/// Gaussian hills on a jittered lattice; each point sums the hills of the 5 × 5 cells
/// around it (a hill's sigma is at most half a cell, so farther hills add < e^-8).
#[derive(Debug)]
struct HillField {
    cell_m: f64,
    min: [f64; 2],
    cols: usize,
    rows: usize,
    /// (centre x, centre y, height, 1 / (2 sigma²)) per cell, row-major.
    hills: Vec<[f64; 4]>,
}

impl HillField {
    fn new(rng: &mut ChaCha8Rng, min: [f64; 2], max: [f64; 2], cell_m: f64, height_m: f64) -> Self {
        // Two cells of margin on every side so edge vertices see full neighbourhoods.
        let min = [min[0] - 2.0 * cell_m, min[1] - 2.0 * cell_m];
        let cols = ((max[0] - min[0]) / cell_m).ceil() as usize + 3;
        let rows = ((max[1] - min[1]) / cell_m).ceil() as usize + 3;
        let mut hills = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                let x = min[0] + (c as f64 + rng.random::<f64>()) * cell_m;
                let y = min[1] + (r as f64 + rng.random::<f64>()) * cell_m;
                let h = height_m * rng.random_range(0.2..1.0);
                let sigma = cell_m * rng.random_range(0.2..0.5);
                hills.push([x, y, h, 1.0 / (2.0 * sigma * sigma)]);
            }
        }
        Self {
            cell_m,
            min,
            cols,
            rows,
            hills,
        }
    }

    fn height_at(&self, p: [f64; 2]) -> f64 {
        let c = ((p[0] - self.min[0]) / self.cell_m).floor() as isize;
        let r = ((p[1] - self.min[1]) / self.cell_m).floor() as isize;
        let mut z = 0.0;
        for rr in (r - 2).max(0)..=(r + 2).min(self.rows as isize - 1) {
            for cc in (c - 2).max(0)..=(c + 2).min(self.cols as isize - 1) {
                let [hx, hy, h, k] = self.hills[rr as usize * self.cols + cc as usize];
                let d2 = (p[0] - hx).powi(2) + (p[1] - hy).powi(2);
                z += h * (-d2 * k).exp();
            }
        }
        z
    }
}

/// Base height of the plain when hills are on, in metres.
const PLAIN_HEIGHT_M: f64 = 20.0;

struct CityBuilder<'a> {
    p: &'a SyntheticCityParams,
    projection: LocalProjection,
    nx: usize,
    ny: usize,
    /// Local metres of grid intersection (0, 0) before jitter.
    corner: [f64; 2],
    rivers: Vec<River>,
    hills: Option<HillField>,
    /// Bridge slots: a street is a bridge candidate when its index along the river
    /// is a multiple of `bridge_every` (offset by half of it).
    bridge_every: usize,
    /// Per river, per slot (column or row index): whether its bridge is built.
    bridge_used: Vec<Vec<bool>>,
    bridge_count: usize,
    jitter_rng: ChaCha8Rng,
    removal_rng: ChaCha8Rng,
    block_rng: ChaCha8Rng,
    street_tags: BTreeMap<String, String>,
    path_tags: BTreeMap<String, String>,
    lines: Vec<RoadLine>,
}

fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

fn highway(value: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("highway".to_owned(), value.to_owned())])
}

impl<'a> CityBuilder<'a> {
    fn new(p: &'a SyntheticCityParams) -> Self {
        for (name, share) in [
            ("removed_edge_share", p.removed_edge_share),
            ("cul_de_sac_share", p.cul_de_sac_share),
            ("diagonal_share", p.diagonal_share),
        ] {
            assert!((0.0..=1.0).contains(&share), "{name} must lie in [0, 1]");
        }
        assert!(
            (0.0..0.25).contains(&p.jitter_share),
            "jitter_share must lie in [0, 0.25)"
        );
        assert!(p.block_m > 0.0, "block_m must be positive");
        assert!(
            p.bridge_spacing_m > 0.0,
            "bridge_spacing_m must be positive"
        );
        assert!(p.hill_spacing_m > 0.0, "hill_spacing_m must be positive");

        let (nx, ny) = p.grid_size();
        let width = (nx - 1) as f64 * p.block_m;
        let height = (ny - 1) as f64 * p.block_m;
        let corner = [-width / 2.0, -height / 2.0];
        let max = [width / 2.0, height / 2.0];

        let mut river_rng = stream(p.seed, STREAM_RIVERS);
        let rivers = (0..p.river_count)
            .map(|k| {
                let axis = if k % 2 == 0 {
                    RiverAxis::EastWest
                } else {
                    RiverAxis::NorthSouth
                };
                let (along, across) = match axis {
                    RiverAxis::EastWest => (width, height),
                    RiverAxis::NorthSouth => (height, width),
                };
                River {
                    axis,
                    offset_m: across * river_rng.random_range(-0.25..0.25),
                    amplitude_m: across * river_rng.random_range(0.03..0.1),
                    wavelength_m: along.max(p.block_m) * river_rng.random_range(0.4..1.2),
                    phase: river_rng.random_range(0.0..TAU),
                }
            })
            .collect::<Vec<_>>();

        let hills = p.hills.then(|| {
            HillField::new(
                &mut stream(p.seed, STREAM_HILLS),
                corner,
                max,
                p.hill_spacing_m,
                p.hill_height_m,
            )
        });

        let bridge_every = ((p.bridge_spacing_m / p.block_m).round() as usize).max(1);
        let bridge_used = rivers
            .iter()
            .map(|r| match r.axis {
                RiverAxis::EastWest => vec![false; nx],
                RiverAxis::NorthSouth => vec![false; ny],
            })
            .collect();

        Self {
            p,
            projection: LocalProjection::new(p.origin_lon, p.origin_lat),
            nx,
            ny,
            corner,
            rivers,
            hills,
            bridge_every,
            bridge_used,
            bridge_count: 0,
            jitter_rng: stream(p.seed, STREAM_JITTER),
            removal_rng: stream(p.seed, STREAM_REMOVAL),
            block_rng: stream(p.seed, STREAM_BLOCKS),
            street_tags: highway("residential"),
            path_tags: highway("footway"),
            lines: Vec::new(),
        }
    }

    /// A vertex at local metres `xy`, snapped to what its emitted lon/lat say.
    fn vertex(&self, xy: [f64; 2]) -> Vertex {
        let lon_lat = self.projection.to_lon_lat(xy[0], xy[1]);
        let xy = self.projection.to_metres(lon_lat);
        let z = self
            .hills
            .as_ref()
            .map_or(0.0, |h| PLAIN_HEIGHT_M + h.height_at(xy));
        Vertex { lon_lat, xy, z }
    }

    /// The jittered intersections of grid row `j`.
    fn grid_row(&mut self, j: usize) -> Vec<Vertex> {
        let jitter = self.p.jitter_share * self.p.block_m;
        (0..self.nx)
            .map(|i| {
                let (dx, dy) = if jitter > 0.0 {
                    (
                        self.jitter_rng.random_range(-jitter..=jitter),
                        self.jitter_rng.random_range(-jitter..=jitter),
                    )
                } else {
                    (0.0, 0.0)
                };
                self.vertex([
                    self.corner[0] + i as f64 * self.p.block_m + dx,
                    self.corner[1] + j as f64 * self.p.block_m + dy,
                ])
            })
            .collect()
    }

    /// Whether any river separates `a` and `b`.
    fn crosses_river(&self, a: [f64; 2], b: [f64; 2]) -> bool {
        self.rivers.iter().any(|r| r.crosses(a, b))
    }

    /// Decides whether a grid street from `a` to `b` is kept. `slot` is the street's
    /// column (north–south streets) or row (east–west streets); a street crossing a
    /// river is kept only as that river's bridge for the slot.
    fn keep_street(&mut self, a: [f64; 2], b: [f64; 2], north_south: bool, slot: usize) -> bool {
        let crossed: Vec<usize> = (0..self.rivers.len())
            .filter(|&k| self.rivers[k].crosses(a, b))
            .collect();
        if crossed.is_empty() {
            return !self.removal_rng.random_bool(self.p.removed_edge_share);
        }
        let bridge_slot = slot % self.bridge_every == self.bridge_every / 2;
        let is_bridge = |k: usize, this: &Self| {
            let cuts_this_way = match this.rivers[k].axis {
                RiverAxis::EastWest => north_south,
                RiverAxis::NorthSouth => !north_south,
            };
            bridge_slot && cuts_this_way && !this.bridge_used[k][slot]
        };
        if crossed.iter().all(|&k| is_bridge(k, self)) {
            for &k in &crossed {
                self.bridge_used[k][slot] = true;
            }
            self.bridge_count += crossed.len();
            true
        } else {
            false
        }
    }

    fn finish_line(&mut self, buf: LineBuf, footpath: bool) {
        debug_assert!(buf.coords.len() >= 2);
        let tags = match (self.p.highway_tags, footpath) {
            (false, _) => BTreeMap::new(),
            (true, false) => self.street_tags.clone(),
            (true, true) => self.path_tags.clone(),
        };
        let source_index = self.lines.len();
        self.lines.push(RoadLine {
            coords: buf.coords,
            elevations_m: self.hills.is_some().then_some(buf.elevations),
            osm_node_ids: None,
            tags,
            source_index,
        });
    }

    /// Decides the features of the blocks between rows `row` and `up`, and emits
    /// their cul-de-sacs and diagonal paths. Returns, per column, where along the
    /// southern street a cul-de-sac starts (the row line must pass through it).
    fn blocks(&mut self, row: &[Vertex], up: &[Vertex], row_kept: &[bool]) -> Vec<Option<Vertex>> {
        let mut junctions = vec![None; self.nx];
        for i in 0..self.nx - 1 {
            let roll: f64 = self.block_rng.random();
            let feature = if roll < self.p.cul_de_sac_share {
                BlockFeature::CulDeSac {
                    t: self.block_rng.random_range(0.35..0.65),
                    depth: self.block_rng.random_range(0.3..0.5),
                }
            } else if roll < self.p.cul_de_sac_share + self.p.diagonal_share {
                BlockFeature::Diagonal {
                    rising: self.block_rng.random_bool(0.5),
                    bow: self.block_rng.random_range(-0.1..0.1),
                }
            } else {
                BlockFeature::None
            };
            match feature {
                BlockFeature::None => {}
                BlockFeature::CulDeSac { t, depth } => {
                    let (a, b) = (row[i].xy, row[i + 1].xy);
                    let base = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
                    // Point into the block: towards the midpoint of the northern street.
                    let (c, d) = (up[i].xy, up[i + 1].xy);
                    let far = [c[0] + t * (d[0] - c[0]), c[1] + t * (d[1] - c[1])];
                    let end = [
                        base[0] + depth * (far[0] - base[0]),
                        base[1] + depth * (far[1] - base[1]),
                    ];
                    let base = self.vertex(base);
                    let end = self.vertex(end);
                    // The street must exist and cross no river (bridges get no stubs),
                    // and neither may the stub.
                    if row_kept[i]
                        && !self.crosses_river(a, b)
                        && !self.crosses_river(a, base.xy)
                        && !self.crosses_river(base.xy, b)
                        && !self.crosses_river(base.xy, end.xy)
                    {
                        let mut buf = LineBuf::default();
                        buf.push(&base);
                        buf.push(&end);
                        self.finish_line(buf, true);
                        junctions[i] = Some(base);
                    }
                }
                BlockFeature::Diagonal { rising, bow } => {
                    let (from, to) = if rising {
                        (row[i], up[i + 1])
                    } else {
                        (row[i + 1], up[i])
                    };
                    let (a, b) = (from.xy, to.xy);
                    let mid = [
                        (a[0] + b[0]) / 2.0 - bow * (b[1] - a[1]),
                        (a[1] + b[1]) / 2.0 + bow * (b[0] - a[0]),
                    ];
                    let mid = self.vertex(mid);
                    if !self.crosses_river(a, mid.xy) && !self.crosses_river(mid.xy, b) {
                        let mut buf = LineBuf::default();
                        buf.push(&from);
                        buf.push(&mid);
                        buf.push(&to);
                        self.finish_line(buf, true);
                    }
                }
            }
        }
        junctions
    }

    fn build(mut self) -> SyntheticCity {
        let (nx, ny) = (self.nx, self.ny);
        let mut columns: Vec<Option<LineBuf>> = (0..nx).map(|_| None).collect();
        let mut row = self.grid_row(0);
        for j in 0..ny {
            let up = (j + 1 < ny).then(|| self.grid_row(j + 1));

            // East–west streets of this row.
            let row_kept: Vec<bool> = (0..nx - 1)
                .map(|i| self.keep_street(row[i].xy, row[i + 1].xy, false, j))
                .collect();

            // North–south streets to the next row, and the blocks between.
            let (col_kept, junctions) = match &up {
                Some(up) => {
                    let col_kept: Vec<bool> = (0..nx)
                        .map(|i| self.keep_street(row[i].xy, up[i].xy, true, i))
                        .collect();
                    let junctions = self.blocks(&row, up, &row_kept);
                    (col_kept, junctions)
                }
                None => (vec![false; nx], vec![None; nx]),
            };

            // Emit this row's street lines, broken at removed streets.
            let mut buf: Option<LineBuf> = None;
            for i in 0..nx - 1 {
                if row_kept[i] {
                    let line = buf.get_or_insert_with(|| {
                        let mut b = LineBuf::default();
                        b.push(&row[i]);
                        b
                    });
                    if let Some(junction) = &junctions[i] {
                        line.push(junction);
                    }
                    line.push(&row[i + 1]);
                } else if let Some(done) = buf.take() {
                    self.finish_line(done, false);
                }
            }
            if let Some(done) = buf.take() {
                self.finish_line(done, false);
            }

            // Extend or close the column lines.
            for i in 0..nx {
                if col_kept[i] {
                    let up = up.as_ref().expect("a kept column street has a next row");
                    let line = columns[i].get_or_insert_with(|| {
                        let mut b = LineBuf::default();
                        b.push(&row[i]);
                        b
                    });
                    line.push(&up[i]);
                } else if let Some(done) = columns[i].take() {
                    self.finish_line(done, false);
                }
            }

            if let Some(up) = up {
                row = up;
            }
        }

        let extent = LonLatBox::of_lines(&self.lines).unwrap_or_else(|| {
            let o = [self.p.origin_lon, self.p.origin_lat];
            LonLatBox {
                min_lon: o[0],
                min_lat: o[1],
                max_lon: o[0],
                max_lat: o[1],
            }
        });
        SyntheticCity {
            lines: self.lines,
            projection: self.projection,
            extent,
            rivers: self.rivers,
            bridge_count: self.bridge_count,
            grid_size: (nx, ny),
        }
    }
}

/// What kind of points [`generate_points`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    /// Demand points: ids `r0`, `r1`, …; population a whole number from 1 to 100.
    Residents,
    /// Service centers: ids `c0`, `c1`, …; population 1.
    Centers,
}

/// Generates `count` points uniformly at random (in degrees) inside `extent`.
///
/// Deterministic for a given `seed`; residents and centers drawn with the same seed
/// differ (each kind has its own stream). Properties are left empty.
///
/// ```
/// use lifecircle_benches::{build_city, generate_points, PointKind, SyntheticCityParams};
/// let city = build_city(&SyntheticCityParams::new(500, 1));
/// let centers = generate_points(&city.extent, 3, 9, PointKind::Centers);
/// assert_eq!(centers[2].id, "c2");
/// assert!(centers.iter().all(|c| c.lon >= city.extent.min_lon && c.lon <= city.extent.max_lon));
/// ```
pub fn generate_points(
    extent: &LonLatBox,
    count: usize,
    seed: u64,
    kind: PointKind,
) -> Vec<PointFeature> {
    let (prefix, stream_offset) = match kind {
        PointKind::Residents => ('r', 0),
        PointKind::Centers => ('c', 1),
    };
    let mut rng = stream(seed, STREAM_POINTS * 2 + stream_offset);
    (0..count)
        .map(|k| {
            let lon = extent.min_lon + rng.random::<f64>() * (extent.max_lon - extent.min_lon);
            let lat = extent.min_lat + rng.random::<f64>() * (extent.max_lat - extent.min_lat);
            let population = match kind {
                PointKind::Residents => f64::from(rng.random_range(1u32..=100)),
                PointKind::Centers => 1.0,
            };
            PointFeature {
                id: format!("{prefix}{k}"),
                lon,
                lat,
                population,
                properties: serde_json::Map::new(),
                source_index: k,
            }
        })
        .collect()
}

/// Node and edge counts of the network that lines make under lifecircle's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphSize {
    /// Vertices that end a line or are used twice or more (coordinates rounded to
    /// 1e-7 degrees).
    pub nodes: usize,
    /// Pieces of lines between consecutive nodes.
    pub edges: usize,
}

/// Counts the nodes and edges the network built from `lines` will have, following the
/// design's rule: a vertex (rounded to 1e-7°) is a node when it ends a line or is used
/// twice or more; edges join consecutive nodes along a line.
///
/// An independent reference for tests and reports. `O(V log V)` for `V` vertices.
pub fn graph_size(lines: &[RoadLine]) -> GraphSize {
    let key = |c: &[f64; 2]| ((c[0] * 1e7).round() as i64, (c[1] * 1e7).round() as i64);
    // One entry per vertex use: (rounded coordinates, flat vertex index, ends a line).
    let mut uses: Vec<((i64, i64), usize, bool)> = Vec::new();
    for l in lines {
        let last = l.coords.len() - 1;
        let base = uses.len();
        uses.extend(
            l.coords
                .iter()
                .enumerate()
                .map(|(k, c)| (key(c), base + k, k == 0 || k == last)),
        );
    }
    let mut is_node = vec![false; uses.len()];
    uses.sort_unstable_by_key(|u| u.0);
    let mut nodes = 0;
    for group in uses.chunk_by(|a, b| a.0 == b.0) {
        if group.len() >= 2 || group[0].2 {
            nodes += 1;
            for u in group {
                is_node[u.1] = true;
            }
        }
    }
    // Every node after a line's first vertex closes one edge.
    let mut edges = 0;
    let mut base = 0;
    for l in lines {
        edges += is_node[base + 1..base + l.coords.len()]
            .iter()
            .filter(|&&n| n)
            .count();
        base += l.coords.len();
    }
    GraphSize { nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(seed: u64) -> SyntheticCityParams {
        SyntheticCityParams {
            river_count: 2,
            ..SyntheticCityParams::new(5_000, seed)
        }
    }

    #[test]
    fn same_seed_same_city() {
        let a = generate_city(&small(3));
        let b = generate_city(&small(3));
        assert_eq!(a, b);
        let c = generate_city(&small(4));
        assert_ne!(a, c);
    }

    #[test]
    fn lines_are_well_formed() {
        let city = build_city(&SyntheticCityParams {
            highway_tags: true,
            ..small(5)
        });
        for (k, l) in city.lines.iter().enumerate() {
            assert_eq!(l.source_index, k);
            assert!(l.coords.len() >= 2);
            let z = l.elevations_m.as_ref().expect("hills are on by default");
            assert_eq!(z.len(), l.coords.len());
            assert!(z.iter().all(|z| z.is_finite() && *z >= PLAIN_HEIGHT_M));
            assert!(l.tags.contains_key("highway"));
        }
        let flat = generate_city(&SyntheticCityParams {
            hills: false,
            ..small(5)
        });
        assert!(flat
            .iter()
            .all(|l| l.elevations_m.is_none() && l.tags.is_empty()));
    }

    #[test]
    fn node_count_near_target() {
        for (target, seed) in [(1_000, 1), (20_000, 2), (60_000, 3)] {
            let lines = generate_city(&SyntheticCityParams {
                river_count: 3,
                ..SyntheticCityParams::new(target, seed)
            });
            let nodes = graph_size(&lines).nodes as f64;
            let t = target as f64;
            assert!(
                (0.9 * t..=1.1 * t).contains(&nodes),
                "target {target}: {nodes} nodes"
            );
        }
    }

    /// Every segment whose ends lie on opposite banks of a river is a bridge, and there
    /// are as many such crossings as bridges; without the river's cut there would be
    /// many more.
    #[test]
    fn rivers_cut_the_grid_except_at_bridges() {
        let params = SyntheticCityParams {
            river_count: 3,
            ..SyntheticCityParams::new(30_000, 11)
        };
        let city = build_city(&params);
        let crossings = |lines: &[RoadLine]| -> usize {
            lines
                .iter()
                .flat_map(|l| l.coords.windows(2))
                .map(|w| {
                    let a = city.projection.to_metres(w[0]);
                    let b = city.projection.to_metres(w[1]);
                    city.rivers.iter().filter(|r| r.crosses(a, b)).count()
                })
                .sum()
        };
        assert_eq!(city.rivers.len(), 3);
        assert!(city.bridge_count >= 3, "{} bridges", city.bridge_count);
        assert_eq!(crossings(&city.lines), city.bridge_count);

        // The same city without rivers (same jitter, same removals elsewhere) crosses
        // the same curves far more often.
        let dry = generate_city(&SyntheticCityParams {
            river_count: 0,
            ..params
        });
        assert!(crossings(&dry) > 3 * city.bridge_count);
    }

    #[test]
    fn bridge_spacing_sets_bridge_count() {
        let count = |spacing: f64| {
            build_city(&SyntheticCityParams {
                bridge_spacing_m: spacing,
                ..SyntheticCityParams::new(40_000, 5)
            })
            .bridge_count
        };
        // A 200 × 200 grid at 80 m is 16 km wide: about 40 bridges at 400 m.
        let (dense, sparse) = (count(400.0), count(1_600.0));
        assert!((30..=50).contains(&dense), "{dense} bridges");
        assert!(sparse < dense / 2, "{sparse} vs {dense} bridges");
    }

    #[test]
    fn points_are_deterministic_and_inside() {
        let city = build_city(&small(2));
        let a = generate_points(&city.extent, 200, 5, PointKind::Residents);
        assert_eq!(
            a,
            generate_points(&city.extent, 200, 5, PointKind::Residents)
        );
        assert_ne!(
            a,
            generate_points(&city.extent, 200, 6, PointKind::Residents)
        );
        let e = city.extent;
        for (k, p) in a.iter().enumerate() {
            assert_eq!(p.id, format!("r{k}"));
            assert!((e.min_lon..=e.max_lon).contains(&p.lon));
            assert!((e.min_lat..=e.max_lat).contains(&p.lat));
            assert!((1.0..=100.0).contains(&p.population));
        }
    }

    #[test]
    fn projection_round_trips() {
        let p = LocalProjection::new(114.3, 30.6);
        let [lon, lat] = p.to_lon_lat(1234.5, -678.9);
        let [x, y] = p.to_metres([lon, lat]);
        assert!((x - 1234.5).abs() < 1e-6 && (y + 678.9).abs() < 1e-6);
        // One degree of latitude is about 111.2 km on lifecircle's sphere.
        let north = p.to_lon_lat(0.0, 111_195.08);
        assert!((north[1] - 31.6).abs() < 1e-6);
    }

    /// The reference count agrees with the network lifecircle builds from the lines.
    #[test]
    fn graph_size_matches_lifecircle_network() {
        let lines = generate_city(&small(8));
        let network = lifecircle::network::WalkNetwork::from_roads(
            &lines,
            &lifecircle::network::NetworkParams::default(),
        )
        .expect("a synthetic city is a valid network");
        let size = graph_size(&lines);
        assert_eq!(size.nodes, network.node_count());
        assert_eq!(size.edges, network.edge_count());
    }

    #[test]
    fn graph_size_counts_by_the_rule() {
        let line = |coords: Vec<[f64; 2]>| RoadLine {
            coords,
            elevations_m: None,
            osm_node_ids: None,
            tags: BTreeMap::new(),
            source_index: 0,
        };
        // A T: the long line's middle vertex is shared, its other interior vertex is not.
        let lines = [
            line(vec![[0.0, 0.0], [0.001, 0.0], [0.002, 0.0], [0.003, 0.0]]),
            line(vec![[0.002, 0.0], [0.002, 0.001]]),
        ];
        assert_eq!(graph_size(&lines), GraphSize { nodes: 4, edges: 3 });
    }
}
