//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use lifecircle::coverage::{
    DEFAULT_GAP_LINK_M, DEFAULT_MAX_SNAP_M, DEFAULT_MIN_COMPONENT_NODES, DEFAULT_SPEED_KMH,
    DEFAULT_THRESHOLD_MIN,
};
use lifecircle::output::LayerFormat;

/// Walking-distance coverage of service centers over real footpath networks
/// (the 10-minute service circle).
#[derive(Debug, Parser)]
#[command(name = "lifecircle", version, about, long_about = None)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Benchmark coverage queries (parse, build, coverage, what-ifs, ranking) on your
    /// data or the bundled sample: latency percentiles and throughput per stage.
    // A negative number is a value to check (`--minutes -5`), not an unknown flag.
    #[command(allow_negative_numbers = true)]
    Bench(Box<BenchArgs>),
    /// Compute who is within a walk of a service center, with gaps and service areas.
    // A negative number is a value to check (`--minutes -5`), not an unknown flag.
    #[command(allow_negative_numbers = true)]
    Coverage(Box<CoverageArgs>),
    /// Write `report.html` of an existing output folder (of `coverage`, `plan` or `demo`).
    Report(ReportArgs),
    /// Run the whole pipeline on the bundled Isle of Man sample.
    // A negative number is a value to check (`--minutes -5`), not an unknown flag.
    #[command(allow_negative_numbers = true)]
    Demo(DemoArgs),
    /// Choose new sites: max coverage (mclp), set cover (lscp) or p-median.
    // A negative number is a value to check (`--minutes -5`), not an unknown flag.
    #[command(allow_negative_numbers = true)]
    Plan(Box<PlanArgs>),
    /// Serve the browser viewer on 127.0.0.1, opened on your own data.
    // A negative number is a value to check (`--minutes -5`), not an unknown flag.
    #[command(allow_negative_numbers = true)]
    Serve(ServeArgs),
}

/// Inputs and parameters of a coverage run.
#[derive(Debug, Args)]
pub(crate) struct CoverageArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub report: ReportFormatArgs,
    /// Folder to write the outputs into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Which reports a run writes besides its data files.
#[derive(Debug, Args)]
pub(crate) struct ReportFormatArgs {
    /// Reports to write: `md` (report.md, always written) and `html` (report.html: one
    /// self-contained page with maps and charts, opens offline, prints to A4).
    /// Comma-separated, e.g. `md,html`.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "md",
        value_name = "FORMATS"
    )]
    pub report: Vec<ReportFormat>,
    /// Formats of the map layers: `geojson`, `gpkg` (one layers.gpkg holding every
    /// layer), `fgb` (FlatGeobuf), `parquet` (GeoParquet) and `shp` (Shapefile).
    /// Comma-separated, e.g. `geojson,gpkg`.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "geojson",
        value_name = "FORMATS",
        value_parser = parse_layer_format
    )]
    pub format: Vec<LayerFormat>,
    /// Language of report.html: `en` or `zh`.
    #[arg(long, default_value = "en", value_name = "LANG")]
    pub lang: String,
    /// Title of the reports, e.g. the study area (default: `Walking coverage`).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Also write spreadsheet tables: demand.csv (one row per resident), centers.csv
    /// and, with --units, units.csv (UTF-8).
    #[arg(long)]
    pub csv: bool,
    /// Start the CSV tables with a byte-order mark so that Excel reads them as UTF-8
    /// (Chinese names intact); implies --csv.
    #[arg(long)]
    pub csv_bom: bool,
}

fn parse_layer_format(text: &str) -> Result<LayerFormat, String> {
    LayerFormat::parse(text).map_err(|e| e.to_string())
}

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// report.md: Markdown tables for a memo.
    Md,
    /// report.html: maps, charts and tables in one page.
    Html,
}

/// Arguments of `lifecircle report`.
#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The output folder of a `coverage`, `plan` or `demo` run.
    #[arg(value_name = "DIR")]
    pub folder: PathBuf,
    /// Language: `en` or `zh`.
    #[arg(long, default_value = "en", value_name = "LANG")]
    pub lang: String,
    /// Where to write the page (default: DIR/report.html, replaced). An existing file
    /// here is never replaced.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Where the data comes from.
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Roads: GeoJSON lines (OSM tags in properties) or an OSM PBF (.osm.pbf); .gz accepted.
    #[arg(long, value_name = "FILE")]
    pub roads: PathBuf,
    #[command(flatten)]
    pub layers: LayerArgs,
}

/// The layers besides the roads, and how they are read (shared by every command that
/// reads inputs).
#[derive(Debug, Args)]
pub(crate) struct LayerArgs {
    /// Service centers: GeoJSON points/polygons or CSV with lon/lat columns.
    #[arg(long, value_name = "FILE")]
    pub centers: Option<PathBuf>,
    /// Take centers from an OSM PBF by tag filter, e.g. `amenity=community_centre|library`.
    #[arg(long, value_name = "FILTER", conflicts_with = "centers")]
    pub centers_osm: Option<String>,
    /// Residents (demand): GeoJSON points/polygons or CSV; `population` property (missing: 1).
    #[arg(long, value_name = "FILE")]
    pub demand: Option<PathBuf>,
    /// Take residents from an OSM PBF by tag filter, e.g. `building` (one point per building).
    #[arg(long, value_name = "FILTER", conflicts_with = "demand")]
    pub demand_osm: Option<String>,
    /// Residents from a population raster (GeoTIFF: WorldPop, GHS-POP, census grids;
    /// tiled or striped, deflate/LZW, Cloud-Optimized): each cell's people at its centre,
    /// or spread with --raster-spread-m. Only the window around the roads is read.
    #[arg(long, value_name = "FILE.tif", conflicts_with_all = ["demand", "demand_osm"])]
    pub demand_raster: Option<PathBuf>,
    /// The raster band holding the population (1-based).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub raster_band: usize,
    /// Spread each raster cell's people over grid points this far apart inside the cell
    /// (default: one point at the cell's centre).
    #[arg(long, value_name = "METRES")]
    pub raster_spread_m: Option<f64>,
    /// The OSM PBF that `--centers-osm` / `--demand-osm` read (default: `--roads` if it is a PBF).
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// Reporting units (communities, grid cells): GeoJSON polygons with `id` / `name`.
    #[arg(long, value_name = "FILE")]
    pub units: Option<PathBuf>,
    /// Property (or CSV column) holding the population of a demand point or polygon.
    #[arg(long, default_value = "population", value_name = "NAME")]
    pub population_field: String,
    /// Spread each demand polygon's population evenly over grid points this far apart.
    #[arg(long, value_name = "METRES")]
    pub demand_spread_m: Option<f64>,
    /// Population of an OSM building: `one`, `tag:KEY`, or `area:M2_PER_PERSON`
    /// (footprint × levels ÷ floor area per person).
    #[arg(long, default_value = "one", value_name = "RULE")]
    pub building_population: String,
    /// Largest input accepted, in MiB (checked on the file size before reading, and again
    /// after gzip decompression). Default: 2048.
    #[arg(long, value_name = "MB")]
    pub max_input_mb: Option<u64>,
    /// Most features (GeoJSON features, CSV rows, OSM lines or points) one input may hold.
    /// Default: 50,000,000.
    #[arg(long, value_name = "N")]
    pub max_features: Option<usize>,
}

/// Coverage parameters (design defaults).
#[derive(Debug, Args)]
pub(crate) struct ParamArgs {
    /// Walking threshold in minutes; several, comma-separated (`5,10,15`), answer each
    /// circle side by side from one run: the first is the headline (gaps, what-ifs),
    /// every one gets its coverage, units, network band and service areas.
    #[arg(
        long,
        default_value = "10",
        value_name = "MIN[,MIN…]",
        value_delimiter = ','
    )]
    pub minutes: Vec<f64>,
    /// Walking threshold as a distance along the network, metres, instead of minutes
    /// (GB 50180-2018's rule: 300, 500, 800–1,000 m); several comma-separated as
    /// --minutes.
    #[arg(
        long,
        visible_alias = "meters",
        value_name = "M[,M…]",
        value_delimiter = ',',
        conflicts_with = "minutes"
    )]
    pub metres: Vec<f64>,
    /// Walking speed on flat ground, km/h.
    #[arg(long, default_value_t = DEFAULT_SPEED_KMH, value_name = "KMH")]
    pub speed_kmh: f64,
    /// Points farther than this from the network are unreachable, metres.
    #[arg(long, default_value_t = DEFAULT_MAX_SNAP_M, value_name = "M")]
    pub max_snap_m: f64,
    /// Smallest network component points may snap to, in nodes.
    #[arg(long, default_value_t = DEFAULT_MIN_COMPONENT_NODES, value_name = "N")]
    pub min_component_nodes: usize,
    /// Uncovered residents closer than this share a gap area, metres.
    #[arg(long, default_value_t = DEFAULT_GAP_LINK_M, value_name = "M")]
    pub gap_link_m: f64,
    /// Gaps as `pieces` one new center could close (each with its site), or as whole
    /// `linked` areas (single linkage at --gap-link-m).
    #[arg(long, default_value = "pieces", value_name = "MODE")]
    pub gaps: String,
}

/// Tiers and services, slope, walking profile and coordinate systems (shared by every
/// command that computes coverage).
#[derive(Debug, Clone, Args)]
pub(crate) struct ModelArgs {
    /// Tiers and service catalogue: a TOML or JSON file, `preset:gb50180` (the
    /// standard's walking distances) or `preset:gb50180-minutes` (walking times).
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// Slope-aware walking times (Tobler) from the roads' z coordinates.
    #[arg(long)]
    pub slope: bool,
    /// Sample every road vertex's elevation from SRTM tiles instead (named like
    /// N57E011.hgt, .gz accepted); implies --slope.
    #[arg(long, value_name = "FILE.hgt", num_args = 1..)]
    pub dem: Vec<PathBuf>,
    /// Walking profile of the main results: adult, older or wheelchair.
    #[arg(long, default_value = "adult", value_name = "NAME")]
    pub profile: String,
    /// Accessibility beyond yes/no: `2sfca` (two-step floating catchment, capacities
    /// shared over each center's catchment) or `e2sfca` (with Gaussian distance decay);
    /// adds `access_score` and `centers_within` per resident and unit.
    #[arg(long, value_name = "METHOD")]
    pub access: Option<String>,
    /// With --access: the center property holding its capacity (centers without it
    /// count 1, and are counted).
    #[arg(
        long,
        default_value = "capacity",
        value_name = "NAME",
        requires = "access"
    )]
    pub capacity_field: String,
    /// Coordinate system of inputs that declare none: wgs84, gcj02, bd09 (Chinese web
    /// maps), or any other as EPSG:NNNN (e.g. EPSG:4547 CGCS2000 Gauss–Krüger, EPSG:32650
    /// UTM 50N), a PROJ string or WKT. A file's own declaration (.prj, GeoPackage SRS,
    /// GeoParquet metadata, GeoJSON `crs`) wins.
    #[arg(
        long,
        visible_alias = "input-crs",
        default_value = "wgs84",
        value_name = "CRS"
    )]
    pub crs: String,
    /// Coordinate system of the roads when their file declares none (default: --crs).
    #[arg(long, value_name = "CRS")]
    pub roads_crs: Option<String>,
    /// Coordinate system of the centers when their file declares none (default: --crs).
    #[arg(long, value_name = "CRS")]
    pub centers_crs: Option<String>,
    /// Coordinate system of the demand when its file declares none (default: --crs).
    #[arg(long, value_name = "CRS")]
    pub demand_crs: Option<String>,
    /// Coordinate system of the reporting units when their file declares none (default:
    /// --crs).
    #[arg(long, value_name = "CRS")]
    pub units_crs: Option<String>,
    /// Coordinate system of the outputs: wgs84, gcj02, bd09, or `input` (that of --crs).
    #[arg(long, default_value = "wgs84", value_name = "CRS")]
    pub output_crs: String,
}

/// Options of the demo.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Folder to write the outputs into.
    #[arg(long, default_value = "lifecircle-demo", value_name = "DIR")]
    pub out: PathBuf,
    /// Walking threshold in minutes.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD_MIN, value_name = "MIN")]
    pub minutes: f64,
    #[command(flatten)]
    pub report: ReportFormatArgs,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `plan`.
#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    /// The model: `mclp` (k sites covering the most), `lscp` (fewest sites reaching a
    /// target ratio) or `pmedian` (k sites minimising the mean walk).
    #[arg(long, value_name = "MODEL")]
    pub model: String,
    /// New sites to open (mclp, pmedian).
    #[arg(long, value_name = "N")]
    pub k: Option<usize>,
    /// Coverage ratio to reach (lscp), e.g. 0.95.
    #[arg(long, value_name = "RATIO")]
    pub target: Option<f64>,
    /// Candidate sites: GeoJSON points/polygons or CSV with lon/lat columns.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["candidates_osm", "candidate_spacing_m"])]
    pub candidates: Option<PathBuf>,
    /// Candidate sites from the OSM PBF by tag filter, e.g. `amenity=school`.
    #[arg(long, value_name = "FILTER", conflicts_with = "candidate_spacing_m")]
    pub candidates_osm: Option<String>,
    /// Generate candidates on the walk network, nodes at least this far apart (default
    /// 400 when no candidates are given).
    #[arg(long, value_name = "M")]
    pub candidate_spacing_m: Option<f64>,
    /// Generated candidates only inside these GeoJSON polygons.
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// Most population one new site may serve (mclp, lscp).
    #[arg(long, value_name = "POPULATION")]
    pub capacity: Option<f64>,
    /// Solve the integer program exactly (pure-Rust MIP solver) instead of greedy + swap.
    #[arg(long)]
    pub exact: bool,
    /// Skip the swap improvement of the greedy answer (method `greedy`; ignored with
    /// `--exact`).
    #[arg(long)]
    pub no_swap: bool,
    /// Let the plan close existing centers: mclp and pmedian may move centers (at most
    /// existing + k sites stay open), lscp counts every open site (kept + new).
    #[arg(long)]
    pub allow_closing: bool,
    /// With --allow-closing: most existing centers that may close (default: any).
    #[arg(long, value_name = "N")]
    pub max_closed: Option<usize>,
    /// Every reporting unit (--units) at least this covered, e.g. 0.8 (mclp; solved
    /// exactly). Units the candidates cannot bring there are reported and left out; when
    /// k sites cannot meet it, plan.json says how many would.
    #[arg(long, value_name = "RATIO", conflicts_with = "maximin")]
    pub unit_floor: Option<f64>,
    /// Maximise the coverage of the worst-served reporting unit (--units), then the
    /// population covered (mclp; solved exactly).
    #[arg(long)]
    pub maximin: bool,
    /// Plan by tier (with --config): the new sites are centers of this tier offering
    /// every service it counts for, and the plan maximises complete coverage (every
    /// required service within its threshold) instead of plain coverage (mclp, lscp).
    #[arg(long, value_name = "TIER")]
    pub site_tier: Option<String>,
    /// Time limit of the exact solver, seconds.
    #[arg(long, default_value_t = 120.0, value_name = "S")]
    pub time_limit_s: f64,
    /// Largest integer program the exact solver takes, in variables (sites plus
    /// resident groups); larger instances are refused with a message.
    #[arg(long, default_value_t = lifecircle::planning::DEFAULT_EXACT_MAX_VARIABLES, value_name = "N")]
    pub exact_max_variables: usize,
    /// Also write `matrix.json`, the candidate/demand-group matrix the model solves.
    #[arg(long)]
    pub export_matrix: bool,
    #[command(flatten)]
    pub inputs: InputArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub walk: ModelArgs,
    #[command(flatten)]
    pub report: ReportFormatArgs,
    /// Folder to write the outputs into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options of `bench`.
#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    /// Roads: GeoJSON lines or an OSM PBF (.gz accepted). Without inputs the bundled
    /// Isle of Man extract is used (as in `demo`).
    #[arg(long, value_name = "FILE")]
    pub roads: Option<PathBuf>,
    #[command(flatten)]
    pub layers: LayerArgs,
    #[command(flatten)]
    pub params: ParamArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Times parse, network build, full coverage, planner setup and candidate ranking
    /// are each run.
    #[arg(long, default_value_t = 5, value_name = "R")]
    pub repeat: usize,
    /// Number of what-if queries (a new site at a random point inside the network's
    /// bounds that snaps to it).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub whatifs: usize,
    /// Candidates for ranking: network nodes at least this far apart.
    #[arg(long, default_value_t = 400.0, value_name = "M")]
    pub candidate_spacing_m: f64,
    /// Seed of the random what-if sites (same seed, same workload).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
    /// Also write the figures as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Print nothing but errors (the JSON file is still written).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `lifecircle serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
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
