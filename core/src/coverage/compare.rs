//! Comparing two coverage runs over the same centers and residents: flat ground against
//! slope, or one walking profile against another.

use serde::Serialize;

use super::compute::CoverageResult;
use crate::features::PointFeature;

/// How one center's service changes between two runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CenterChange {
    /// Center id.
    pub id: String,
    /// Population it serves (nearest and within the threshold) in the baseline.
    pub baseline_served_population: f64,
    /// Population it serves in the variant.
    pub variant_served_population: f64,
    /// variant − baseline.
    pub change_population: f64,
    /// Population within the threshold of this center in the baseline (as nearest)
    /// that is not covered at all in the variant.
    pub lost_population: f64,
}

/// Coverage of two runs side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageComparison {
    /// Label of the baseline run (e.g. `flat`, `adult`).
    pub baseline: String,
    /// Label of the variant run (e.g. `slope`, `wheelchair`).
    pub variant: String,
    /// Total population.
    pub total_population: f64,
    /// Covered population in the baseline.
    pub baseline_covered_population: f64,
    /// Covered population in the variant.
    pub variant_covered_population: f64,
    /// Baseline coverage ratio.
    pub baseline_coverage_ratio: f64,
    /// Variant coverage ratio.
    pub variant_coverage_ratio: f64,
    /// Population covered in the baseline but not in the variant.
    pub lost_population: f64,
    /// Residents covered in the baseline but not in the variant.
    pub lost_residents: usize,
    /// Population covered in the variant but not in the baseline.
    pub gained_population: f64,
    /// Residents covered in the variant but not in the baseline.
    pub gained_residents: usize,
    /// Residents with a walk in the baseline and none in the variant (cut off).
    pub residents_cut_off: usize,
    /// Population-weighted mean of (variant − baseline) walk time over residents with a
    /// walk in both, minutes.
    pub mean_walk_change_min: Option<f64>,
    /// Per center, in input order.
    pub per_center: Vec<CenterChange>,
}

/// Compares two runs over the same `centers` and `demand` (`baseline` and `variant`
/// must have been computed with them).
///
/// Complexity: O(D + C).
pub fn compare_coverage(
    baseline_label: &str,
    baseline: &CoverageResult,
    variant_label: &str,
    variant: &CoverageResult,
    centers: &[PointFeature],
    demand: &[PointFeature],
) -> CoverageComparison {
    let mut c = CoverageComparison {
        baseline: baseline_label.into(),
        variant: variant_label.into(),
        total_population: 0.0,
        baseline_covered_population: 0.0,
        variant_covered_population: 0.0,
        baseline_coverage_ratio: 0.0,
        variant_coverage_ratio: 0.0,
        lost_population: 0.0,
        lost_residents: 0,
        gained_population: 0.0,
        gained_residents: 0,
        residents_cut_off: 0,
        mean_walk_change_min: None,
        per_center: centers
            .iter()
            .map(|p| CenterChange {
                id: p.id.clone(),
                baseline_served_population: 0.0,
                variant_served_population: 0.0,
                change_population: 0.0,
                lost_population: 0.0,
            })
            .collect(),
    };
    let (mut change_sum, mut change_weight) = (0.0, 0.0);
    for ((d, a), b) in demand.iter().zip(&baseline.demand).zip(&variant.demand) {
        let pop = d.population;
        c.total_population += pop;
        if a.covered {
            c.baseline_covered_population += pop;
            if let Some(k) = a.nearest_center {
                c.per_center[k.index()].baseline_served_population += pop;
                if !b.covered {
                    c.per_center[k.index()].lost_population += pop;
                }
            }
        }
        if b.covered {
            c.variant_covered_population += pop;
            if let Some(k) = b.nearest_center {
                c.per_center[k.index()].variant_served_population += pop;
            }
        }
        if a.covered && !b.covered {
            c.lost_population += pop;
            c.lost_residents += 1;
        }
        if b.covered && !a.covered {
            c.gained_population += pop;
            c.gained_residents += 1;
        }
        match (a.walk_min, b.walk_min) {
            (Some(x), Some(y)) => {
                change_sum += (y - x) * pop;
                change_weight += pop;
            }
            (Some(_), None) => c.residents_cut_off += 1,
            _ => {}
        }
    }
    for center in &mut c.per_center {
        center.change_population =
            center.variant_served_population - center.baseline_served_population;
    }
    if c.total_population > 0.0 {
        c.baseline_coverage_ratio = c.baseline_covered_population / c.total_population;
        c.variant_coverage_ratio = c.variant_covered_population / c.total_population;
    }
    if change_weight > 0.0 {
        c.mean_walk_change_min = Some(change_sum / change_weight);
    }
    c
}

/// Coverage under one walking profile, for the side-by-side table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileCoverage {
    /// Profile name.
    pub profile: String,
    /// Flat-ground speed, km/h.
    pub speed_kmh: f64,
    /// Whether slope was used.
    pub slope: bool,
    /// Covered population.
    pub covered_population: f64,
    /// covered / total.
    pub coverage_ratio: f64,
    /// Residents covered.
    pub residents_covered: usize,
    /// Population with no walk at all (cut off by closed edges, or no center in reach).
    pub no_walk_population: f64,
    /// Edges closed because they are steps.
    pub closed_steps_edges: usize,
    /// Edges closed because a segment is too steep.
    pub closed_steep_edges: usize,
    /// Population covered for the first profile of the table (adult) but not this one.
    pub lost_vs_first_population: f64,
    /// Residents covered for the first profile but not this one.
    pub lost_vs_first_residents: usize,
}
