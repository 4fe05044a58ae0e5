//! The best site to close each of the largest gaps: what a planner acts on first.
//!
//! A gap's candidate sites are its own residents' places (a building, an address):
//! land that is already part of the neighbourhood and reachable from it. Each is
//! ranked by the pruned what-if search of [`Study::rank`], so the figure is exact —
//! the population a new center there would newly bring within the threshold, in this
//! gap and beyond it.

use serde::Serialize;

use super::Study;
use crate::coverage::GapArea;
use crate::crs::Crs;
use crate::planning::Candidate;

/// Gaps that get a best site: those listed in `summary.json` and the reports.
pub const GAP_SITE_GAPS: usize = 10;

/// Candidate places tried per gap. Residents of a gap live within a short walk of each
/// other, so evenly spread places cover its shape; the figure of the chosen one is exact.
pub const GAP_SITE_CANDIDATES: usize = 48;

/// The best place found for a new center in one gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapSite {
    /// The gap's rank (1 = the most population).
    pub gap_rank: usize,
    /// Id of the resident whose place it is.
    pub resident: String,
    /// Where, `[lon, lat]` (WGS84 here; `summary.json` gives it in the output system).
    pub location: [f64; 2],
    /// Population a center there would newly cover.
    pub covered_population_gain: f64,
    /// Residents (points) it would newly cover.
    pub newly_covered_residents: usize,
}

impl GapSite {
    /// The same site with its location in `crs`.
    pub fn in_crs(&self, crs: Crs) -> Self {
        Self {
            location: crs.from_wgs84(self.location),
            ..self.clone()
        }
    }
}

/// Up to `n` indexes spread evenly over `indexes` (all of them when there are fewer).
fn spread(indexes: &[usize], n: usize) -> impl Iterator<Item = usize> + '_ {
    let step = indexes.len().div_ceil(n.max(1)).max(1);
    indexes.iter().copied().step_by(step)
}

impl Study {
    /// The best site of each of the first [`GAP_SITE_GAPS`] gaps (in `gaps`' order), or
    /// `None` for a gap none of whose places reaches the network or gains anyone.
    pub fn gap_sites(&self, gaps: &[GapArea]) -> Vec<Option<GapSite>> {
        let demand = self.demand();
        let mut candidates = Vec::new();
        let mut owner = Vec::new();
        for (g, gap) in gaps.iter().take(GAP_SITE_GAPS).enumerate() {
            for r in spread(&gap.resident_indexes, GAP_SITE_CANDIDATES) {
                let p = &demand[r];
                candidates.push(Candidate {
                    id: p.id.clone(),
                    lonlat: [p.lon, p.lat],
                });
                owner.push(g);
            }
        }
        let threshold = self.threshold_min();
        let gains = self.rank(&candidates, Some(threshold));
        let mut best: Vec<Option<GapSite>> = vec![None; gaps.len().min(GAP_SITE_GAPS)];
        // Candidates come in gap order then resident order, so the first best one wins
        // a tie and the answer does not depend on the search order.
        for (i, gain) in gains.iter().enumerate() {
            if !gain.snapped || gain.covered_population_gain <= 0.0 {
                continue;
            }
            let slot = &mut best[owner[i]];
            if slot
                .as_ref()
                .is_none_or(|b| gain.covered_population_gain > b.covered_population_gain)
            {
                *slot = Some(GapSite {
                    gap_rank: gaps[owner[i]].rank,
                    resident: candidates[i].id.clone(),
                    location: candidates[i].lonlat,
                    covered_population_gain: gain.covered_population_gain,
                    newly_covered_residents: gain.newly_covered_residents,
                });
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{PointFeature, RoadLine};
    use crate::study::{Layer, Layers, StudyParams};

    #[test]
    fn spread_takes_evenly_and_at_most_n() {
        let v: Vec<usize> = (0..10).collect();
        assert_eq!(spread(&v, 4).collect::<Vec<_>>(), [0, 3, 6, 9]);
        assert_eq!(spread(&v, 20).count(), 10);
        assert_eq!(spread(&[], 4).count(), 0);
    }

    /// A 3.5 km street, a center at its west end, residents every 100 m from 1,550 m
    /// to 3,450 m east (one gap), and a 9.5-minute (760 m) threshold: a site at a
    /// resident reaches the 15 residents within 700 m, the first such being 2,250 m.
    #[test]
    fn the_first_site_reaching_most_is_chosen_and_its_gain_is_exact() {
        let east = |m: f64| m / 111_320.0;
        let roads = vec![RoadLine::new(vec![[0.0, 0.0], [east(3500.0), 0.0]])];
        let residents = (0..20)
            .map(|i| 1550.0 + 100.0 * f64::from(i))
            .map(|m| PointFeature::new(format!("r{m}"), east(m), 0.0))
            .collect::<Vec<_>>();
        let layers = Layers {
            roads: Layer::new(roads.into(), "roads"),
            centers: Layer::new(vec![PointFeature::new("c", 0.0, 0.0)].into(), "centers"),
            demand: Layer::new(residents.into(), "residents"),
            units: None,
        };
        let mut params = StudyParams::default();
        params.network.min_component_nodes = 1;
        params.coverage.threshold_min = 9.5;
        // One linked gap (pieces would split it where one site cannot reach).
        params.coverage.gap_mode = crate::coverage::GapMode::Linked;
        let study = Study::new(layers, params).unwrap();
        let gaps = study.gaps();
        assert_eq!(gaps.len(), 1);
        let sites = study.gap_sites(&gaps);
        let site = sites[0].as_ref().unwrap();
        assert_eq!(site.resident, "r2250");
        assert_eq!(site.covered_population_gain, 15.0);
        assert_eq!(site.newly_covered_residents, 15);
        assert_eq!(site.gap_rank, 1);
    }
}
