//! The readers' front door: one call per kind of layer, for any format the engine reads
//! (GeoJSON, Shapefile plain or zipped, FlatGeobuf, GeoPackage, GeoParquet, CSV, OSM PBF;
//! gzip or not), so every adapter accepts exactly the same files.

use super::csv_points::{read_points_csv_with_limits, CsvOptions};
use super::detect::{detect_format, utf8_text, InputFormat};
use super::geojson::parse_features;
use super::gzip::{maybe_gunzip_with_limits, InputLimits};
use super::hgt::{parse_hgt_name, HgtTile};
use super::layers::{points_from_features, roads_from_features, units_from_features, PointOptions};
use super::osm::{
    read_osm_pbf_layers, read_points_osm_pbf_with_limits, read_roads_osm_pbf_with_limits,
    OsmLayers, OsmPointQuery, PopulationEstimate, TagFilter,
};
use super::raw::FeatureTable;
use super::reproject;
use super::vector::{
    read_flatgeobuf, read_geopackage, read_geoparquet, read_shapefile, read_zipped_shapefile,
};
use crate::crs::Projection;
use crate::features::{PointLayer, RoadLayer, UnitLayer};
use crate::{Error, Result};

/// How a layer is read. The defaults read any file within the default limits.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Size and feature caps.
    pub limits: InputLimits,
    /// Property (GeoJSON) or column (CSV) holding a point's population. `None`: the
    /// `population` property, or a `population` / `pop` column; missing means 1.
    pub population_field: Option<String>,
    /// Spread each polygon's population over the centres of a square grid this many
    /// metres apart that fall inside it (points only). `None`: one interior point.
    pub spread_spacing_m: Option<f64>,
    /// CSV columns of longitude, latitude and id (detected when not named).
    pub csv_columns: CsvOptions,
    /// Points from an OSM PBF: the tag filter that chooses them.
    pub osm_filter: Option<TagFilter>,
    /// Points from an OSM PBF: whom each stands for.
    pub osm_population: PopulationEstimate,
    /// The format, when neither the name nor the content should decide (a stream, a
    /// file without extension). `None`: detected ([`detect_format`]).
    pub format: Option<InputFormat>,
    /// The points stand for places (centers, candidate sites), not people: a missing
    /// population is not noted as defaulted.
    pub places: bool,
    /// The coordinate system of files that declare none (`--input-crs`); a file's own
    /// declaration wins unless it cannot be read. For CSV it makes the x/y (or
    /// easting/northing) columns projected coordinates. `None`: such files must be WGS84
    /// longitude/latitude.
    pub input_crs: Option<Projection>,
    /// The files beside a Shapefile's `.shp`, by file name with their bytes: its `.dbf`
    /// (needed), `.shx`, `.prj` and `.cpg`. Ignored by other formats.
    pub companions: Vec<(String, Vec<u8>)>,
    /// Which layer of a file that holds several: a GeoPackage's feature table, or the
    /// Shapefile inside a zip (its base name, `.shp` optional). `None`: the only one (a
    /// file with several is an error listing them).
    pub layer_name: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            limits: InputLimits::default(),
            population_field: None,
            spread_spacing_m: None,
            csv_columns: CsvOptions::default(),
            osm_filter: None,
            osm_population: PopulationEstimate::One,
            format: None,
            places: false,
            input_crs: None,
            companions: Vec::new(),
            layer_name: None,
        }
    }
}

impl ReadOptions {
    /// The defaults within `limits`.
    pub fn with_limits(limits: InputLimits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// The same options choosing OSM elements by `filter`.
    #[must_use]
    pub fn osm(mut self, filter: TagFilter, population: PopulationEstimate) -> Self {
        self.osm_filter = Some(filter);
        self.osm_population = population;
        self
    }

    /// The same options reading `format` whatever the name or content says.
    #[must_use]
    pub fn format(mut self, format: InputFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// The same options reading places (centers, candidate sites): see
    /// [`ReadOptions::places`].
    #[must_use]
    pub fn as_places(mut self) -> Self {
        self.places = true;
        self
    }

    /// The same options with a Shapefile's companion files (`.dbf`, `.shx`, `.prj`,
    /// `.cpg`), by file name: see [`ReadOptions::companions`].
    #[must_use]
    pub fn with_companions(mut self, companions: Vec<(String, Vec<u8>)>) -> Self {
        self.companions = companions;
        self
    }

    /// The same options reading the layer `name`: see [`ReadOptions::layer_name`].
    #[must_use]
    pub fn layer(mut self, name: impl Into<String>) -> Self {
        self.layer_name = Some(name.into());
        self
    }

    fn format_of(&self, label: &str, bytes: &[u8]) -> InputFormat {
        self.format.unwrap_or_else(|| detect_format(label, bytes))
    }

    fn point_options(&self) -> PointOptions {
        PointOptions {
            population_field: self
                .population_field
                .clone()
                .unwrap_or_else(|| PointOptions::default().population_field),
            spread_spacing_m: self.spread_spacing_m,
            require_population_field: self.population_field.is_some(),
            note_defaults: !self.places,
            ..PointOptions::default()
        }
    }

    fn csv_options(&self) -> CsvOptions {
        CsvOptions {
            population_column: self.population_field.clone(),
            places: self.places,
            ..self.csv_columns.clone()
        }
    }
}

/// Reads walkable road lines from a vector file of lines (GeoJSON, Shapefile plain or
/// zipped, FlatGeobuf, GeoPackage, GeoParquet) or an OSM PBF.
///
/// `label` (usually the file name) is named by every error and skip count; the content's
/// magic bytes decide the format, else its extension, else what the text looks like.
///
/// # Errors
/// The format readers' errors, naming `label`; [`Error::Parse`] for CSV.
///
/// ```
/// use lifecircle::{read_roads, ReadOptions};
/// let text = br#"{"type":"FeatureCollection","features":[{"type":"Feature",
///   "properties":{"highway":"footway"},
///   "geometry":{"type":"LineString","coordinates":[[0,0],[0.001,0]]}}]}"#;
/// let roads = read_roads("paths.geojson", text, &ReadOptions::default()).unwrap();
/// assert_eq!(roads.lines.len(), 1);
/// ```
pub fn read_roads(label: &str, raw: &[u8], options: &ReadOptions) -> Result<RoadLayer> {
    let limits = &options.limits;
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    match options.format_of(label, &bytes) {
        InputFormat::OsmPbf => read_roads_osm_pbf_with_limits(label, &bytes, limits),
        InputFormat::Csv => Err(Error::Parse {
            layer: label.to_string(),
            reason: "roads must be lines (GeoJSON, Shapefile, FlatGeobuf, GeoPackage, \
                     GeoParquet) or an OSM PBF, not CSV"
                .into(),
        }),
        format => {
            let (table, crs) = read_table(label, &bytes, format, options)?;
            let mut layer = roads_from_features(label, table.features, limits)?;
            layer.crs = crs;
            Ok(layer)
        }
    }
}

/// The features of a vector file in any format but CSV and OSM PBF, reprojected to WGS 84,
/// and the name of the coordinate system they came in (`None`: WGS 84 as given).
fn read_table(
    label: &str,
    bytes: &[u8],
    format: InputFormat,
    options: &ReadOptions,
) -> Result<(FeatureTable, Option<String>)> {
    let limits = &options.limits;
    let layer = options.layer_name.as_deref();
    let mut table = match format {
        InputFormat::GeoJson => parse_features(label, utf8_text(label, bytes)?, limits)?,
        InputFormat::Shapefile => read_shapefile(label, label, bytes, &options.companions)?,
        InputFormat::Zip => read_zipped_shapefile(label, bytes, layer, limits)?,
        InputFormat::FlatGeobuf => read_flatgeobuf(label, bytes, limits)?,
        InputFormat::GeoPackage => read_geopackage(label, bytes, layer, limits)?,
        InputFormat::GeoParquet => read_geoparquet(label, bytes, limits)?,
        InputFormat::Csv | InputFormat::OsmPbf => {
            return Err(Error::Parse {
                layer: label.to_string(),
                reason: format!("{format:?} is not a vector feature format"),
            })
        }
    };
    limits.check_features(label, table.features.len())?;
    let crs = reproject::to_wgs84(label, &mut table, options.input_crs.as_ref())?;
    Ok((table, crs))
}

/// Reads points (centers, residents, candidate sites) from a vector file of points or
/// polygons (GeoJSON, Shapefile plain or zipped, FlatGeobuf, GeoPackage, GeoParquet), CSV
/// with longitude and latitude columns, or — with [`ReadOptions::osm_filter`] — the
/// matching elements of an OSM PBF.
///
/// # Errors
/// The format readers' errors, naming `label`; [`Error::Parse`] for an OSM PBF without
/// a tag filter, or a tag filter on another format.
pub fn read_points(label: &str, raw: &[u8], options: &ReadOptions) -> Result<PointLayer> {
    let limits = &options.limits;
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    let format = options.format_of(label, &bytes);
    if let Some(filter) = &options.osm_filter {
        if format != InputFormat::OsmPbf {
            return Err(Error::Parse {
                layer: label.to_string(),
                reason: "tag filters need an OSM PBF file".into(),
            });
        }
        return read_points_osm_pbf_with_limits(
            label,
            &bytes,
            filter,
            &options.osm_population,
            limits,
        );
    }
    match format {
        InputFormat::Csv => read_points_csv_with_limits(
            label,
            utf8_text(label, &bytes)?,
            &options.csv_options(),
            limits,
            options.input_crs.as_ref(),
        ),
        InputFormat::OsmPbf => Err(Error::Parse {
            layer: label.to_string(),
            reason: "an OSM PBF holds many kinds of features; choose them with a tag filter".into(),
        }),
        format => {
            let (table, crs) = read_table(label, &bytes, format, options)?;
            let mut layer =
                points_from_features(label, table.features, &options.point_options(), limits)?;
            layer.crs = crs;
            Ok(layer)
        }
    }
}

/// Reads reporting units (communities, grid cells) from a vector file of polygons
/// (GeoJSON, Shapefile plain or zipped, FlatGeobuf, GeoPackage, GeoParquet).
///
/// # Errors
/// The reader's errors, naming `label`; [`Error::Parse`] for any other format.
pub fn read_units(label: &str, raw: &[u8], options: &ReadOptions) -> Result<UnitLayer> {
    let limits = &options.limits;
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    match options.format_of(label, &bytes) {
        InputFormat::Csv | InputFormat::OsmPbf => Err(Error::Parse {
            layer: label.to_string(),
            reason: "reporting units must be polygons (GeoJSON, Shapefile, FlatGeobuf, \
                     GeoPackage, GeoParquet)"
                .into(),
        }),
        format => {
            let (table, crs) = read_table(label, &bytes, format, options)?;
            let mut layer = units_from_features(label, table.features)?;
            layer.crs = crs;
            Ok(layer)
        }
    }
}

/// Reads the roads (with `roads`) and every point layer of `points` from one OSM PBF,
/// decoding it once: the same layers as [`read_roads`] and [`read_points`] on the same
/// file. Roads and format errors name `label`; each point layer names its query's.
///
/// # Errors
/// The reader's errors; [`Error::Parse`] when the bytes are not an OSM PBF.
pub fn read_osm_layers(
    label: &str,
    raw: &[u8],
    roads: bool,
    points: &[OsmPointQuery],
    limits: &InputLimits,
) -> Result<OsmLayers> {
    if !roads && points.is_empty() {
        return Ok(OsmLayers::default());
    }
    let bytes = maybe_gunzip_with_limits(label, raw, limits)?;
    if detect_format(label, &bytes) != InputFormat::OsmPbf {
        return Err(Error::Parse {
            layer: label.to_string(),
            reason: "tag filters need an OSM PBF file".into(),
        });
    }
    read_osm_pbf_layers(&bytes, roads.then_some(label), points, limits)
}

/// Reads one SRTM elevation tile (`.hgt`, gzip or not); its south-west corner comes
/// from its name, e.g. `N57E011.hgt`.
///
/// # Errors
/// [`Error::Parse`] for a name that gives no corner or bytes that are not a tile.
pub fn read_hgt_tile(label: &str, raw: &[u8]) -> Result<HgtTile> {
    let (lat, lon) = parse_hgt_name(label).ok_or_else(|| Error::Parse {
        layer: label.to_string(),
        reason: "an SRTM tile must be named after its south-west corner, e.g. N57E011.hgt".into(),
    })?;
    let bytes = maybe_gunzip_with_limits(label, raw, &InputLimits::default())?;
    HgtTile::from_bytes(label, &bytes, lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_formats_name_the_file() {
        let options = ReadOptions::default();
        let e = read_roads("r.csv", b"lon,lat\n1,2\n", &options).unwrap_err();
        assert!(e.to_string().starts_with("r.csv: "), "{e}");
        let by_tag = ReadOptions::default().osm(
            TagFilter::parse("building").unwrap(),
            PopulationEstimate::One,
        );
        let e = read_points("p.geojson", b"{}", &by_tag).unwrap_err();
        assert!(e.to_string().contains("tag filters need an OSM PBF"), "{e}");
        let e = read_hgt_tile("tile.hgt", &[0; 8]).unwrap_err();
        assert!(e.to_string().contains("N57E011.hgt"), "{e}");
    }

    #[test]
    fn points_from_csv_and_geojson() {
        let options = ReadOptions::default();
        let csv = read_points(
            "c.csv",
            b"\xEF\xBB\xBFlon,lat,population\n1.5,2.5,3\n",
            &options,
        )
        .unwrap();
        assert_eq!(csv.points.len(), 1);
        assert_eq!(csv.points[0].population, 3.0);
        let gj = read_points(
            "c.json",
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
            &options,
        )
        .unwrap();
        assert_eq!(gj.points.len(), 1);
    }

    /// Wuhan (114.30E 30.59N) and a point 100 m east of it in UTM 50N, from cs2cs (see
    /// `crs/projection/tests.rs`), in a FeatureCollection with the legacy `crs` member.
    fn utm_collection(geometry: &str) -> Vec<u8> {
        format!(
            r#"{{"type":"FeatureCollection",
            "crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::32650"}}}},
            "features":[{{"type":"Feature","properties":{{"highway":"footway"}},
            "geometry":{geometry}}}]}}"#
        )
        .into_bytes()
    }

    #[test]
    fn geojson_legacy_crs_is_reprojected_and_recorded() {
        let options = ReadOptions::default();
        let points = read_points(
            "p.geojson",
            &utm_collection(r#"{"type":"Point","coordinates":[241098.9014,3387270.8627]}"#),
            &options,
        )
        .unwrap();
        let p = &points.points[0];
        assert!(
            (p.lon - 114.30).abs() < 1e-8 && (p.lat - 30.59).abs() < 1e-8,
            "{p:?}"
        );
        assert_eq!(points.crs.as_deref(), Some("EPSG:32650"));

        let roads = read_roads(
            "r.geojson",
            &utm_collection(
                r#"{"type":"LineString","coordinates":[[241098.9014,3387270.8627],[241198.9,3387270.8]]}"#,
            ),
            &options,
        )
        .unwrap();
        let [lon, lat] = roads.lines[0].coords[0];
        assert!((lon - 114.30).abs() < 1e-8 && (lat - 30.59).abs() < 1e-8);
        assert!(roads.lines[0].coords[1][0] > lon);
        assert_eq!(roads.crs.as_deref(), Some("EPSG:32650"));

        let units = read_units(
            "u.geojson",
            &utm_collection(
                r#"{"type":"Polygon","coordinates":[[[241000,3387000],[241200,3387000],[241200,3387200],[241000,3387000]]]}"#,
            ),
            &options,
        )
        .unwrap();
        assert_eq!(units.crs.as_deref(), Some("EPSG:32650"));
    }

    #[test]
    fn input_crs_applies_to_files_that_declare_none() {
        let text = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
            "geometry":{"type":"Point","coordinates":[528773.1917,3385557.6179]}}]}"#;
        let e = read_points("p.geojson", text, &ReadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("--input-crs EPSG:NNNN"), "{e}");
        let options = ReadOptions {
            input_crs: Some(Projection::parse("EPSG:4547").unwrap()),
            ..ReadOptions::default()
        };
        let layer = read_points("p.geojson", text, &options).unwrap();
        assert!((layer.points[0].lon - 114.30).abs() < 1e-8);
        assert_eq!(layer.crs.as_deref(), Some("EPSG:4547"));
        let csv = read_points(
            "p.csv",
            b"x,y
528773.1917,3385557.6179
",
            &options,
        )
        .unwrap();
        assert!((csv.points[0].lat - 30.59).abs() < 1e-8);
        assert_eq!(csv.crs.as_deref(), Some("EPSG:4547"));
        // WGS84 files without a declaration are read as before.
        let plain = read_points(
            "c.csv",
            b"lon,lat
1.5,2.5
",
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!((plain.points[0].lon, plain.crs), (1.5, None));
    }
}
