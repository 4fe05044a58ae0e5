//! The GeoJSON layers of a coverage run, as typed [`FeatureSource`]s.
//!
//! Numbers are rounded to fixed precision (metres 0.01, minutes 0.001, population 0.001)
//! and properties keep a fixed order, so the same run always gives the same bytes.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::geojson::{output_position, round_to, rounded, FeatureSource, Geometry, OrderedMap};
use crate::coverage::{
    Accessibility, CoverageResult, GapArea, ReachPiece, ServiceArea, TierCoverage, UnitAccess,
    UnitRequirement, UnitSummary, UnitTierCoverage,
};
use crate::crs::Crs;
use crate::features::{PointFeature, ReportingUnit};

/// One value per feature of the band it lies in (the band's threshold in its unit;
/// null beyond every band), written as one column named `name` (`band_min`, `band_m`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BandColumn {
    /// The column's name.
    pub name: &'static str,
    /// Per feature, the band's threshold.
    pub values: Vec<Option<f64>>,
}

/// One feature's band cell (see [`BandColumn`]).
#[derive(Debug, Clone, Copy)]
pub struct BandCell {
    name: &'static str,
    value: Option<f64>,
}

impl BandColumn {
    /// Feature `i`'s cell.
    pub fn cell(&self, i: usize) -> BandCell {
        BandCell {
            name: self.name,
            value: self.values.get(i).copied().flatten(),
        }
    }
}

impl Serialize for BandCell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.name, &self.value)?;
        map.end()
    }
}

/// Per-resident results beyond the walk to the nearest center, added to the
/// properties of [`DemandLayer`] after the standard ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResidentDetails<'a> {
    /// Walk on flat ground, minutes (`walk_min_flat`), when slope is on.
    pub flat_walk_min: Option<&'a [Option<f64>]>,
    /// Per walking profile, per resident: covered (`covered_by_profile`).
    pub covered_by_profile: &'a [(String, Vec<bool>)],
    /// Tiers and services (`complete`, `services_missing`, `walk_min_by_service`,
    /// `covered_by_tier`).
    pub tiers: Option<&'a TierCoverage>,
    /// The band each resident lives in, in a multi-threshold run.
    pub band: Option<&'a BandColumn>,
    /// 2SFCA score and centers within the threshold (`access_score`,
    /// `centers_within`).
    pub access: Option<&'a Accessibility>,
    /// The viewer's flat form of the tiers (instead of `tiers`): `complete` and
    /// `lacks`, every tier and service not within its threshold as `|tier:ID|service:ID|`
    /// (map styles can test a substring, not a nested object).
    pub tiers_flat: Option<&'a TierCoverage>,
}

/// `demand.geojson`: one Point per resident with `id`, `population`, `walk_m` (null when
/// there is no walk), `walk_min`, `nearest_center` (center id), `covered`, `status` and
/// `access_m` (straight-line distance to the network; null when too far), then the
/// [`ResidentDetails`] given.
#[derive(Debug, Clone, Copy)]
pub struct DemandLayer<'a> {
    /// The residents.
    pub demand: &'a [PointFeature],
    /// The centers the result was computed with (for their ids).
    pub centers: &'a [PointFeature],
    /// The result.
    pub result: &'a CoverageResult,
    /// Extra per-resident properties.
    pub details: ResidentDetails<'a>,
}

impl<'a> DemandLayer<'a> {
    /// The standard properties only.
    pub fn new(
        demand: &'a [PointFeature],
        centers: &'a [PointFeature],
        result: &'a CoverageResult,
    ) -> Self {
        Self {
            demand,
            centers,
            result,
            details: ResidentDetails::default(),
        }
    }
}

/// The properties of one resident of a [`DemandLayer`].
pub struct DemandProperties<'a> {
    layer: &'a DemandLayer<'a>,
    index: usize,
}

impl Serialize for DemandProperties<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let layer = self.layer;
        let i = self.index;
        let point = &layer.demand[i];
        let r = &layer.result.demand[i];
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &point.id)?;
        map.serialize_entry("population", &point.population)?;
        map.serialize_entry("walk_m", &rounded(r.walk_m, 2))?;
        map.serialize_entry("walk_min", &rounded(r.walk_min, 3))?;
        map.serialize_entry(
            "nearest_center",
            &r.nearest_center.map(|c| &layer.centers[c.index()].id),
        )?;
        map.serialize_entry("covered", &r.covered)?;
        map.serialize_entry("status", r.status.as_str())?;
        map.serialize_entry("access_m", &rounded(r.snap.map(|s| s.access_m), 2))?;
        let details = &layer.details;
        if let Some(band) = details.band {
            let cell = band.cell(i);
            map.serialize_entry(cell.name, &cell.value)?;
        }
        if let Some(flat) = details.flat_walk_min {
            map.serialize_entry("walk_min_flat", &rounded(flat[i], 3))?;
        }
        if let Some(access) = details.access {
            map.serialize_entry("access_score", &round_to(access.score[i], 9))?;
            map.serialize_entry("centers_within", &access.centers_within[i])?;
        }
        if !details.covered_by_profile.is_empty() {
            let by_profile = OrderedMap(
                details
                    .covered_by_profile
                    .iter()
                    .map(|(name, covered)| (name.as_str(), covered[i]))
                    .collect(),
            );
            map.serialize_entry("covered_by_profile", &by_profile)?;
        }
        if let Some(t) = details.tiers {
            map.serialize_entry("complete", &t.complete[i])?;
            map.serialize_entry("services_missing", &t.missing_services(i))?;
            let walks = OrderedMap(
                t.services
                    .iter()
                    .map(|s| (s.id.as_str(), rounded(s.walk_min[i], 3)))
                    .collect(),
            );
            map.serialize_entry("walk_min_by_service", &walks)?;
            let tiers = OrderedMap(
                t.tiers
                    .iter()
                    .map(|r| (r.id.as_str(), r.covered[i]))
                    .collect(),
            );
            map.serialize_entry("covered_by_tier", &tiers)?;
        }
        if let Some(t) = details.tiers_flat {
            map.serialize_entry("complete", &t.complete[i])?;
            map.serialize_entry("lacks", &lacks(t, i))?;
        }
        map.end()
    }
}

/// Resident `i`'s `lacks` cell: `|tier:ID|service:ID|…|`, empty when nothing is lacking.
fn lacks(t: &TierCoverage, i: usize) -> String {
    let tiers = t.tiers.iter().map(|r| ("tier", r));
    let services = t.services.iter().map(|r| ("service", r));
    let mut cell = String::new();
    for (kind, r) in tiers.chain(services).filter(|(_, r)| !r.covered[i]) {
        if cell.is_empty() {
            cell.push('|');
        }
        cell.push_str(kind);
        cell.push(':');
        cell.push_str(&r.id);
        cell.push('|');
    }
    cell
}

impl<'a> FeatureSource for DemandLayer<'a> {
    type Properties<'p>
        = DemandProperties<'p>
    where
        Self: 'p;

    fn len(&self) -> usize {
        self.demand.len()
    }

    fn feature(&self, i: usize) -> (Geometry<'_>, DemandProperties<'_>) {
        let point = &self.demand[i];
        (
            Geometry::Point([point.lon, point.lat]),
            DemandProperties {
                layer: self,
                index: i,
            },
        )
    }
}

/// `gaps.geojson`: one polygon per gap area, largest population first, with `rank`,
/// `population`, `residents`, `unreachable_population`, `mean_walk_min`, `max_walk_min`
/// and `centroid` (`[lon, lat]` in the layer's coordinate system).
#[derive(Debug, Clone, Copy)]
pub struct GapsLayer<'a> {
    /// The gaps, in rank order.
    pub gaps: &'a [GapArea],
    /// Coordinate system of the `centroid` property (that of the file).
    pub crs: Crs,
}

/// The properties of one gap.
#[derive(Debug, Clone, Serialize)]
pub struct GapProperties {
    rank: usize,
    area: usize,
    population: f64,
    residents: usize,
    unreachable_population: f64,
    mean_walk_min: Option<f64>,
    max_walk_min: Option<f64>,
    centroid: [f64; 2],
    width_m: f64,
    site: Option<[f64; 2]>,
}

impl FeatureSource for GapsLayer<'_> {
    type Properties<'p>
        = GapProperties
    where
        Self: 'p;

    fn len(&self) -> usize {
        self.gaps.len()
    }

    fn feature(&self, i: usize) -> (Geometry<'_>, GapProperties) {
        let g = &self.gaps[i];
        (
            Geometry::Polygon(&g.polygon),
            GapProperties {
                rank: g.rank,
                area: g.area,
                population: round_to(g.population, 3),
                residents: g.residents,
                unreachable_population: round_to(g.unreachable_population, 3),
                mean_walk_min: rounded(g.mean_walk_min, 3),
                max_walk_min: rounded(g.max_walk_min, 3),
                centroid: output_position(self.crs, g.centroid_lonlat),
                width_m: round_to(g.width_m, 1),
                site: g.site_lonlat.map(|s| output_position(self.crs, s)),
            },
        )
    }
}

/// `network.geojson`: every eligible edge split where the walk time crosses the
/// threshold, as LineStrings with `edge`, `covered`, `walk_min_start`, `walk_min_end`
/// (minutes to the nearest center at the piece's two ends; null where unreachable).
#[derive(Debug, Clone, Copy)]
pub struct NetworkLayer<'a> {
    /// The pieces.
    pub pieces: &'a [ReachPiece],
    /// Each piece's band, in a multi-threshold run.
    pub band: Option<&'a BandColumn>,
}

/// The properties of one network piece.
#[derive(Debug, Clone, Serialize)]
pub struct ReachProperties {
    edge: u32,
    covered: bool,
    #[serde(flatten)]
    band: Option<BandCell>,
    walk_min_start: Option<f64>,
    walk_min_end: Option<f64>,
}

impl FeatureSource for NetworkLayer<'_> {
    type Properties<'p>
        = ReachProperties
    where
        Self: 'p;

    fn len(&self) -> usize {
        self.pieces.len()
    }

    fn feature(&self, i: usize) -> (Geometry<'_>, ReachProperties) {
        let piece = &self.pieces[i];
        (
            Geometry::LineString(&piece.coords),
            ReachProperties {
                edge: piece.edge.0,
                covered: piece.covered,
                band: self.band.map(|b| b.cell(i)),
                walk_min_start: rounded(piece.walk_min_start, 3),
                walk_min_end: rounded(piece.walk_min_end, 3),
            },
        )
    }
}

/// `service_areas.geojson`: per snapped center, the area reachable within the
/// threshold, with `center`, `reached_length_m`, `reachable_population` (everyone who
/// can walk to this center in time), `reachable_residents`, `served_population` (those
/// for whom it is also the nearest) and `area_m2`.
#[derive(Debug, Clone, Copy)]
pub struct ServiceAreasLayer<'a> {
    /// The areas.
    pub areas: &'a [ServiceArea],
    /// Each area's band, in a multi-threshold run (one area per center and band).
    pub band: Option<&'a BandColumn>,
}

/// The properties of one service area.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceAreaProperties<'a> {
    center: &'a str,
    #[serde(flatten)]
    band: Option<BandCell>,
    reached_length_m: f64,
    reachable_population: f64,
    reachable_residents: usize,
    served_population: f64,
    area_m2: f64,
}

impl FeatureSource for ServiceAreasLayer<'_> {
    type Properties<'p>
        = ServiceAreaProperties<'p>
    where
        Self: 'p;

    fn len(&self) -> usize {
        self.areas.len()
    }

    fn feature(&self, i: usize) -> (Geometry<'_>, ServiceAreaProperties<'_>) {
        let a = &self.areas[i];
        (
            Geometry::MultiPolygon(&a.polygon),
            ServiceAreaProperties {
                center: &a.center_id,
                band: self.band.map(|b| b.cell(i)),
                reached_length_m: round_to(a.reached_length_m, 2),
                reachable_population: round_to(a.reachable_population, 3),
                reachable_residents: a.reachable_residents,
                served_population: round_to(a.served_population, 3),
                area_m2: round_to(a.area_m2, 1),
            },
        )
    }
}

/// `units.geojson`: the reporting units with their coverage figures.
#[derive(Debug, Clone, Copy)]
pub struct UnitsLayer<'a> {
    /// The units.
    pub units: &'a [ReportingUnit],
    /// Their figures, in the same order.
    pub summaries: &'a [UnitSummary],
    /// In a multi-threshold run, per band its key (`5min`, `500m`) and per unit its
    /// coverage ratio: the column `coverage_by_band.KEY`.
    pub band_ratios: &'a [(String, Vec<f64>)],
    /// With a service catalogue: each unit's coverage by tier and service, in the units'
    /// order: the columns `complete_ratio`, `tier_coverage.ID` and `service_coverage.ID`.
    pub tiers: &'a [UnitTierCoverage],
    /// With accessibility: each unit's mean 2SFCA score and centers within the
    /// threshold (`access_score_mean`, `centers_within_mean`).
    pub access: &'a [UnitAccess],
}

/// The properties of one unit.
#[derive(Debug, Clone, Serialize)]
pub struct UnitProperties<'a> {
    id: &'a str,
    name: Option<&'a str>,
    residents: usize,
    population: f64,
    covered_population: f64,
    unreachable_population: f64,
    coverage_ratio: f64,
    mean_walk_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage_by_band: Option<OrderedMap<'a, f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    complete_ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier_coverage: Option<OrderedMap<'a, f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_coverage: Option<OrderedMap<'a, f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_score_mean: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    centers_within_mean: Option<f64>,
}

impl FeatureSource for UnitsLayer<'_> {
    type Properties<'p>
        = UnitProperties<'p>
    where
        Self: 'p;

    fn len(&self) -> usize {
        self.units.len().min(self.summaries.len())
    }

    fn feature(&self, i: usize) -> (Geometry<'_>, UnitProperties<'_>) {
        let (unit, s) = (&self.units[i], &self.summaries[i]);
        let tiers = self.tiers.get(i);
        fn ratios(list: &[UnitRequirement]) -> OrderedMap<'_, f64> {
            OrderedMap(
                list.iter()
                    .map(|r| (r.id.as_str(), round_to(r.coverage_ratio, 6)))
                    .collect(),
            )
        }
        (
            Geometry::MultiPolygon(&unit.geometry),
            UnitProperties {
                id: &unit.id,
                name: unit.name.as_deref(),
                residents: s.residents,
                population: round_to(s.population, 3),
                covered_population: round_to(s.covered_population, 3),
                unreachable_population: round_to(s.unreachable_population, 3),
                coverage_ratio: round_to(s.coverage_ratio, 6),
                mean_walk_min: rounded(s.mean_walk_min, 3),
                coverage_by_band: (!self.band_ratios.is_empty()).then(|| {
                    OrderedMap(
                        self.band_ratios
                            .iter()
                            .map(|(key, ratios)| (key.as_str(), round_to(ratios[i], 6)))
                            .collect(),
                    )
                }),
                complete_ratio: tiers.map(|t| round_to(t.complete_ratio, 6)),
                tier_coverage: tiers.map(|t| ratios(&t.tiers)),
                service_coverage: tiers
                    .filter(|t| !t.services.is_empty())
                    .map(|t| ratios(&t.services)),
                access_score_mean: self.access.get(i).map(|a| round_to(a.mean_score, 9)),
                centers_within_mean: self
                    .access
                    .get(i)
                    .map(|a| round_to(a.mean_centers_within, 3)),
            },
        )
    }
}

/// Points with typed properties: `points[i]` at `[lon, lat]` (planned sites, ranked
/// candidates, the viewer's centers).
#[derive(Debug, Clone)]
pub struct PointsLayer<P> {
    /// Position and properties of each point.
    pub points: Vec<([f64; 2], P)>,
}

impl<P: Serialize + Clone + Sync> FeatureSource for PointsLayer<P> {
    type Properties<'p>
        = &'p P
    where
        Self: 'p;

    fn len(&self) -> usize {
        self.points.len()
    }

    fn feature(&self, i: usize) -> (Geometry<'_>, &P) {
        let (lonlat, p) = &self.points[i];
        (Geometry::Point(*lonlat), p)
    }
}
