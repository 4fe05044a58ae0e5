//! Several thresholds from one run: the 5-, 10- and 15-minute circles side by side.
//!
//! The walks do not depend on the threshold (the search is not bounded by it), so a
//! band is the study's result with `covered` decided again at the band's threshold
//! ([`crate::coverage::CoverageResult::at_threshold`]): exactly what a run at that
//! threshold gives, without a second search.

use std::sync::OnceLock;

use serde::Serialize;

use super::Study;
use crate::coverage::{network_reach_in_bands, summarize, ReachPiece, ServiceArea, Threshold};
use crate::output::BandColumn;

/// One band's figures, as `summary.json` lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandCoverage {
    /// The band's threshold with its unit (`5 min`, `500 m`).
    pub label: String,
    /// The band's threshold, minutes (time rule only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_min: Option<f64>,
    /// The band's threshold, metres along the network (distance rule only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_m: Option<f64>,
    /// Population within the band's walk.
    pub covered_population: f64,
    /// Covered share of all population (0 with none).
    pub coverage_ratio: f64,
    /// Residents (points) within the band's walk.
    pub residents_covered: usize,
    /// Population with a walk, but a longer one.
    pub uncovered_reachable_population: f64,
    /// Per reporting unit, in the units' order.
    pub per_unit: Vec<UnitBand>,
}

/// One reporting unit's coverage within one band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitBand {
    /// Unit id.
    pub id: String,
    /// Population within the band's walk.
    pub covered_population: f64,
    /// Covered share of the unit's population (0 with none).
    pub coverage_ratio: f64,
}

/// Every band's results for the outputs (see [`Study::band_outputs`]).
#[derive(Debug, Clone)]
pub struct BandOutputs {
    /// The thresholds, ascending, the study's own among them.
    pub thresholds: Vec<Threshold>,
    /// Per band, the figures.
    pub coverage: Vec<BandCoverage>,
    /// Every center's service area in every band: band by band, smallest first, each
    /// in center order (`areas_band` says whose band).
    pub areas: Vec<ServiceArea>,
    /// The band of each of `areas`.
    pub areas_band: BandColumn,
    /// Per resident, the first band within whose walk they live.
    pub resident_band: BandColumn,
    /// Per network piece of the outputs (the study's reach in bands), its band.
    pub reach_band: BandColumn,
    /// Per band, its key (`5min`) and per unit its coverage ratio.
    pub unit_ratios: Vec<(String, Vec<f64>)>,
}

impl Study {
    /// The thresholds of a multi-threshold run, ascending, the study's own among them;
    /// empty when the study has one threshold ([`crate::StudyParams::bands`] empty).
    pub fn bands(&self) -> Vec<Threshold> {
        if self.params().bands.is_empty() {
            return Vec::new();
        }
        let mut bands = self.params().bands.clone();
        bands.push(self.threshold());
        bands.sort_by(|a, b| a.value().total_cmp(&b.value()));
        bands.dedup();
        bands
    }

    /// This study at another threshold: network, costs, layers and walks shared, only
    /// who is covered decided again. Everything it answers (summary, gaps, reach,
    /// service areas, what-ifs) is what a study run at `threshold` answers. It has no
    /// bands of its own.
    pub fn at_threshold(&self, threshold: Threshold) -> Study {
        let mut params = self.params().clone();
        params.coverage = params.coverage.with_threshold(threshold);
        params.bands.clear();
        Study {
            params,
            inputs: self.inputs.clone(),
            network: self.network.clone(),
            profile: self.profile.clone(),
            costs: self.costs.clone(),
            centers: self.centers.clone(),
            demand: self.demand.clone(),
            units: self.units.clone(),
            prepared: self.prepared.clone(),
            result: self.result.at_threshold(threshold),
            plan_index: OnceLock::new(),
        }
    }

    /// Each band's coverage figures, ascending (empty without bands).
    pub fn band_coverage(&self) -> Vec<BandCoverage> {
        self.bands()
            .into_iter()
            .map(|t| {
                let result = self.result.at_threshold(t);
                let s = summarize(&result, self.centers(), self.demand(), self.units());
                BandCoverage {
                    label: t.label(),
                    threshold_min: (!t.is_distance()).then(|| t.value()),
                    threshold_m: t.is_distance().then(|| t.value()),
                    covered_population: s.covered_population,
                    coverage_ratio: s.coverage_ratio,
                    residents_covered: s.residents_covered,
                    uncovered_reachable_population: s.uncovered_reachable_population,
                    per_unit: s
                        .per_unit
                        .iter()
                        .map(|u| UnitBand {
                            id: u.id.clone(),
                            covered_population: u.covered_population,
                            coverage_ratio: u.coverage_ratio,
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Per resident, the first band (index into [`Self::bands`]) within whose walk
    /// they live; `None` beyond every band or without bands.
    pub fn resident_bands(&self) -> Vec<Option<usize>> {
        let limits = self.band_limits_m();
        (0..self.demand().len())
            .map(|i| {
                let cost = self.result.walk_cost_m(i)?;
                limits.iter().position(|&l| cost <= l)
            })
            .collect()
    }

    /// A column of band indices (into [`Self::bands`]), one per feature, as the layers
    /// write it: the band's threshold under `band_min` or `band_m`.
    pub fn band_column(&self, indices: impl IntoIterator<Item = Option<usize>>) -> BandColumn {
        let bands = self.bands();
        BandColumn {
            name: if self.threshold().is_distance() {
                "band_m"
            } else {
                "band_min"
            },
            values: indices
                .into_iter()
                .map(|b| b.map(|b| bands[b].value()))
                .collect(),
        }
    }

    /// The bands as walking costs, flat-equivalent metres, ascending.
    fn band_limits_m(&self) -> Vec<f64> {
        let metres_per_min = self.costs.metres_per_min();
        self.bands()
            .into_iter()
            .map(|t| t.cost_m(metres_per_min))
            .collect()
    }

    /// The network split at every band's threshold, each piece with its band
    /// ([`network_reach_in_bands`]); `covered` is the study's own threshold. Without
    /// bands, [`Self::reach`].
    pub fn reach_in_bands(&self) -> Vec<ReachPiece> {
        let limits = self.band_limits_m();
        if limits.is_empty() {
            return self.reach();
        }
        network_reach_in_bands(&self.network, &self.costs, &self.result, &limits)
    }

    /// Per band of `coverage` (as [`Self::band_coverage`] gives it), its key (`5min`)
    /// and each unit's coverage ratio: the units layer's `coverage_by_band` columns.
    pub(crate) fn unit_band_ratios(&self, coverage: &[BandCoverage]) -> Vec<(String, Vec<f64>)> {
        self.bands()
            .iter()
            .zip(coverage)
            .map(|(t, c)| {
                (
                    t.key(),
                    c.per_unit.iter().map(|u| u.coverage_ratio).collect(),
                )
            })
            .collect()
    }

    /// Every band's figures, service areas and residents' bands, with the band of each
    /// of `reach` (the pieces [`Self::reach_in_bands`] gave); `None` without bands.
    pub fn band_outputs(&self, reach: &[ReachPiece]) -> Option<BandOutputs> {
        let thresholds = self.bands();
        if thresholds.is_empty() {
            return None;
        }
        let per_band: Vec<Vec<ServiceArea>> = thresholds
            .iter()
            .map(|&t| self.at_threshold(t).service_areas())
            .collect();
        let coverage = self.band_coverage();
        let areas_band = self.band_column(
            per_band
                .iter()
                .enumerate()
                .flat_map(|(band, areas)| std::iter::repeat_n(Some(band), areas.len())),
        );
        let resident_band = self.band_column(self.resident_bands());
        let reach_band = self.band_column(reach.iter().map(|p| p.band));
        let unit_ratios = self.unit_band_ratios(&coverage);
        Some(BandOutputs {
            areas: per_band.into_iter().flatten().collect(),
            areas_band,
            resident_band,
            reach_band,
            unit_ratios,
            coverage,
            thresholds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{PointFeature, RoadLine};
    use crate::{Layer, Layers, StudyParams};

    /// One street east from a center at (0, 0), residents 111, 334 and 556 m along it.
    fn study(threshold: Threshold, bands: &[Threshold]) -> Study {
        let street = RoadLine::new((0..=10).map(|i| [f64::from(i) * 0.001, 0.0]).collect());
        let residents: Vec<PointFeature> = [0.001, 0.003, 0.005]
            .iter()
            .enumerate()
            .map(|(i, &lon)| PointFeature::new(format!("r{i}"), lon, 0.0).with_population(2.0))
            .collect();
        let layers = Layers {
            roads: Layer::new(vec![street].into(), "roads"),
            centers: Layer::new(vec![PointFeature::new("c", 0.0, 0.0)].into(), "centers"),
            demand: Layer::new(residents.into(), "residents"),
            units: None,
        };
        let mut params = StudyParams::default();
        params.network.min_component_nodes = 1;
        params.coverage = params.coverage.with_threshold(threshold);
        params.bands = bands.to_vec();
        Study::new(layers, params).unwrap()
    }

    #[test]
    fn each_band_is_the_run_at_its_threshold() {
        let banded = study(
            Threshold::Minutes(5.0),
            &[Threshold::Minutes(2.0), Threshold::Minutes(8.0)],
        );
        let minutes = [2.0, 5.0, 8.0];
        assert_eq!(
            banded.bands(),
            minutes.map(Threshold::Minutes).to_vec(),
            "ascending, the study's own among them"
        );
        // 111 m is 1.4 min, 334 m 4.2 min, 556 m 6.9 min at 80 m/min.
        assert_eq!(banded.resident_bands(), [Some(0), Some(1), Some(2)]);
        let coverage = banded.band_coverage();
        for (i, min) in minutes.into_iter().enumerate() {
            let alone = study(Threshold::Minutes(min), &[]);
            let band = banded.at_threshold(Threshold::Minutes(min));
            assert_eq!(band.result().demand, alone.result().demand);
            assert_eq!(band.summary(), alone.summary());
            assert_eq!(band.service_areas(), alone.service_areas());
            assert_eq!(band.reach(), alone.reach());
            assert_eq!(coverage[i].covered_population, 2.0 * (i + 1) as f64);
            assert_eq!(coverage[i].threshold_min, Some(min));
        }
        // The headline stays the study's own threshold.
        assert_eq!(banded.summary().covered_population, 4.0);
        assert!(study(Threshold::Minutes(5.0), &[]).bands().is_empty());
    }

    #[test]
    fn bands_in_another_unit_are_refused() {
        let mut params = StudyParams {
            bands: vec![Threshold::Metres(500.0)],
            ..Default::default()
        };
        let err = params.validate().unwrap_err().to_string();
        assert!(err.contains("bands") && err.contains("same unit"), "{err}");
        params.bands = vec![Threshold::Minutes(-1.0)];
        assert!(params.validate().is_err());
    }
}
