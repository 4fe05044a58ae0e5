//! Population-weighted summaries: totals, walk-time histogram, per center, per unit.

use geo::{BoundingRect, Contains, Point};
use rstar::{RTree, RTreeObject, AABB};
use serde::Serialize;

use super::compute::{CoverageResult, DemandStatus};
use crate::features::{PointFeature, ReportingUnit};

/// Upper bounds (minutes, inclusive) of the walk-time histogram bins; the last bin is open.
pub(super) const HISTOGRAM_BOUNDS_MIN: [f64; 5] = [5.0, 10.0, 15.0, 20.0, 30.0];

/// One bar of the walk-time histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistogramBin {
    /// Label such as `"5-10"` or `">30"`.
    pub label: String,
    /// Lower bound, minutes (exclusive except for the first bin).
    pub from_min: f64,
    /// Upper bound, minutes (inclusive); `None` for the open last bin.
    pub to_min: Option<f64>,
    /// Residents in the bin.
    pub residents: usize,
    /// Population in the bin.
    pub population: f64,
}

/// What one center serves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CenterSummary {
    /// Center id.
    pub id: String,
    /// The center's `name` property, when it has one.
    pub name: Option<String>,
    /// Where the center stands, `[lon, lat]` (WGS84 here; `summary.json` gives it in
    /// the output coordinate system).
    pub location: [f64; 2],
    /// `ok` or `too_far_from_network`.
    pub status: &'static str,
    /// Population for which this is the nearest center and within the threshold.
    pub served_population: f64,
    /// Residents (points) served.
    pub served_residents: usize,
    /// Population for which this is the nearest center at any walk time.
    pub nearest_population: f64,
}

/// Coverage within one reporting unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSummary {
    /// Unit id.
    pub id: String,
    /// Unit name, when given.
    pub name: Option<String>,
    /// Residents inside the unit.
    pub residents: usize,
    /// Population inside the unit.
    pub population: f64,
    /// Covered population inside the unit.
    pub covered_population: f64,
    /// Population with no walk (too far from the network or no path).
    pub unreachable_population: f64,
    /// covered / population (0 for an empty unit).
    pub coverage_ratio: f64,
    /// Population-weighted mean walk time of residents with a walk, minutes.
    pub mean_walk_min: Option<f64>,
}

/// All headline figures of a coverage run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageSummary {
    /// Demand points given.
    pub residents: usize,
    /// Population over all demand points (unreachable included).
    pub total_population: f64,
    /// Population within the threshold.
    pub covered_population: f64,
    /// Population with a walk longer than the threshold.
    pub uncovered_reachable_population: f64,
    /// Population farther than `max_snap_m` from the network.
    pub too_far_from_network_population: f64,
    /// Population snapped to a component without a center.
    pub no_path_population: f64,
    /// covered / total.
    pub coverage_ratio: f64,
    /// Residents by status.
    pub residents_covered: usize,
    /// Residents with a walk beyond the threshold.
    pub residents_uncovered_reachable: usize,
    /// Residents too far from the network.
    pub residents_too_far_from_network: usize,
    /// Residents with no path to a center.
    pub residents_no_path: usize,
    /// Population-weighted mean walk of residents with a walk, minutes.
    pub mean_walk_min: Option<f64>,
    /// Population-weighted median walk of residents with a walk, minutes.
    pub median_walk_min: Option<f64>,
    /// Walk-time histogram (residents with a walk).
    pub histogram: Vec<HistogramBin>,
    /// Centers given / snapped.
    pub centers: usize,
    /// Centers farther than `max_snap_m` from the network (not used).
    pub centers_too_far_from_network: usize,
    /// Per center, in input order.
    pub per_center: Vec<CenterSummary>,
    /// Per reporting unit, in input order (empty without units).
    pub per_unit: Vec<UnitSummary>,
    /// Residents inside no reporting unit (0 without units).
    pub residents_outside_units: usize,
}

struct UnitBox {
    index: usize,
    envelope: AABB<[f64; 2]>,
}

impl RTreeObject for UnitBox {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// For each resident, the indexes of the reporting units containing it (a resident in
/// overlapping units counts in each).
pub(crate) fn assign_units(demand: &[PointFeature], units: &[ReportingUnit]) -> Vec<Vec<usize>> {
    let boxes: Vec<UnitBox> = units
        .iter()
        .enumerate()
        .filter_map(|(index, u)| {
            u.geometry.bounding_rect().map(|r| UnitBox {
                index,
                envelope: AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
            })
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    demand
        .iter()
        .map(|p| {
            let point = Point::new(p.lon, p.lat);
            let mut inside: Vec<usize> = tree
                .locate_in_envelope_intersecting(AABB::from_point([p.lon, p.lat]))
                .filter(|b| units[b.index].geometry.contains(&point))
                .map(|b| b.index)
                .collect();
            inside.sort_unstable();
            inside
        })
        .collect()
}

/// Population-weighted median of `(value, weight)` pairs (lower median).
fn weighted_median(mut values: Vec<(f64, f64)>) -> Option<f64> {
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = values.iter().map(|v| v.1).sum();
    if values.is_empty() || total <= 0.0 {
        return None;
    }
    let mut acc = 0.0;
    for (v, w) in &values {
        acc += w;
        if acc >= total / 2.0 {
            return Some(*v);
        }
    }
    values.last().map(|v| v.0)
}

/// Summarises a coverage result.
///
/// `centers` and `demand` must be the inputs of the run; `units` may be empty.
/// Complexity: O(D log D + D log U) for D residents and U units.
pub fn summarize(
    result: &CoverageResult,
    centers: &[PointFeature],
    demand: &[PointFeature],
    units: &[ReportingUnit],
) -> CoverageSummary {
    let mut s = CoverageSummary {
        residents: demand.len(),
        total_population: 0.0,
        covered_population: 0.0,
        uncovered_reachable_population: 0.0,
        too_far_from_network_population: 0.0,
        no_path_population: 0.0,
        coverage_ratio: 0.0,
        residents_covered: 0,
        residents_uncovered_reachable: 0,
        residents_too_far_from_network: 0,
        residents_no_path: 0,
        mean_walk_min: None,
        median_walk_min: None,
        histogram: Vec::new(),
        centers: centers.len(),
        centers_too_far_from_network: 0,
        per_center: Vec::new(),
        per_unit: Vec::new(),
        residents_outside_units: 0,
    };
    let mut bins: Vec<HistogramBin> = Vec::new();
    let mut lower = 0.0;
    for &upper in &HISTOGRAM_BOUNDS_MIN {
        bins.push(HistogramBin {
            label: format!("{lower}-{upper}"),
            from_min: lower,
            to_min: Some(upper),
            residents: 0,
            population: 0.0,
        });
        lower = upper;
    }
    bins.push(HistogramBin {
        label: format!(">{lower}"),
        from_min: lower,
        to_min: None,
        residents: 0,
        population: 0.0,
    });
    let mut per_center: Vec<CenterSummary> = centers
        .iter()
        .zip(&result.centers)
        .map(|(c, r)| CenterSummary {
            id: c.id.clone(),
            name: c.name().map(str::to_string),
            location: [c.lon, c.lat],
            status: r.status.as_str(),
            served_population: 0.0,
            served_residents: 0,
            nearest_population: 0.0,
        })
        .collect();
    s.centers_too_far_from_network = result
        .centers
        .iter()
        .filter(|c| c.status != DemandStatus::Ok)
        .count();

    let mut walks: Vec<(f64, f64)> = Vec::new();
    for (point, r) in demand.iter().zip(&result.demand) {
        let pop = point.population;
        s.total_population += pop;
        match r.status {
            DemandStatus::TooFarFromNetwork => {
                s.too_far_from_network_population += pop;
                s.residents_too_far_from_network += 1;
            }
            DemandStatus::NoPath => {
                s.no_path_population += pop;
                s.residents_no_path += 1;
            }
            DemandStatus::Ok => {
                let minutes = r.walk_min.unwrap_or(f64::INFINITY);
                walks.push((minutes, pop));
                let bin = HISTOGRAM_BOUNDS_MIN
                    .iter()
                    .position(|&upper| minutes <= upper)
                    .unwrap_or(HISTOGRAM_BOUNDS_MIN.len());
                bins[bin].residents += 1;
                bins[bin].population += pop;
                if r.covered {
                    s.covered_population += pop;
                    s.residents_covered += 1;
                } else {
                    s.uncovered_reachable_population += pop;
                    s.residents_uncovered_reachable += 1;
                }
                if let Some(c) = r.nearest_center {
                    per_center[c.index()].nearest_population += pop;
                    if r.covered {
                        per_center[c.index()].served_population += pop;
                        per_center[c.index()].served_residents += 1;
                    }
                }
            }
        }
    }
    if s.total_population > 0.0 {
        s.coverage_ratio = s.covered_population / s.total_population;
    }
    let walk_weight: f64 = walks.iter().map(|w| w.1).sum();
    if walk_weight > 0.0 {
        s.mean_walk_min = Some(walks.iter().map(|w| w.0 * w.1).sum::<f64>() / walk_weight);
    }
    s.median_walk_min = weighted_median(walks);
    s.histogram = bins;
    s.per_center = per_center;

    if !units.is_empty() {
        let membership = assign_units(demand, units);
        let mut per_unit: Vec<(UnitSummary, f64, f64)> = units
            .iter()
            .map(|u| {
                (
                    UnitSummary {
                        id: u.id.clone(),
                        name: u.name.clone(),
                        residents: 0,
                        population: 0.0,
                        covered_population: 0.0,
                        unreachable_population: 0.0,
                        coverage_ratio: 0.0,
                        mean_walk_min: None,
                    },
                    0.0,
                    0.0,
                )
            })
            .collect();
        for ((point, r), inside) in demand.iter().zip(&result.demand).zip(&membership) {
            if inside.is_empty() {
                s.residents_outside_units += 1;
            }
            for &u in inside {
                let (unit, walk_sum, walk_weight) = &mut per_unit[u];
                unit.residents += 1;
                unit.population += point.population;
                if r.covered {
                    unit.covered_population += point.population;
                }
                match r.walk_min {
                    Some(m) => {
                        *walk_sum += m * point.population;
                        *walk_weight += point.population;
                    }
                    None => unit.unreachable_population += point.population,
                }
            }
        }
        s.per_unit = per_unit
            .into_iter()
            .map(|(mut unit, walk_sum, walk_weight)| {
                if unit.population > 0.0 {
                    unit.coverage_ratio = unit.covered_population / unit.population;
                }
                if walk_weight > 0.0 {
                    unit.mean_walk_min = Some(walk_sum / walk_weight);
                }
                unit
            })
            .collect();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_median_takes_population_into_account() {
        assert_eq!(weighted_median(vec![(1.0, 1.0), (9.0, 3.0)]), Some(9.0));
        assert_eq!(weighted_median(vec![(1.0, 3.0), (9.0, 1.0)]), Some(1.0));
        assert_eq!(weighted_median(vec![]), None);
    }
}
