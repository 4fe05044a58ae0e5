//! The results beside the main run: every walking profile side by side, flat ground
//! against slope, tiers and services, and what skipping the coordinate conversion would
//! change.

use serde::Serialize;

use super::Study;
use crate::coverage::{
    accessibility, assign_units, center_capacities, compare_coverage, compute_coverage,
    tier_coverage_per_unit, tier_coverage_with_snaps, Accessibility, CoverageComparison,
    CoverageResult, ProfileCoverage, TierCoverage,
};
use crate::geodesy::haversine_m;
use crate::output::{round_to, ResidentDetails};
use crate::planning::center_catchments;
use crate::routing::{closed_edges, profile_costs_by, WalkProfile};
use crate::{Error, Result};

/// Flat ground against slope-aware walking for the main profile.
#[derive(Debug, Clone, Serialize)]
pub struct SlopeComparison {
    /// The comparison (baseline `flat`, variant `slope`).
    #[serde(flatten)]
    pub comparison: CoverageComparison,
    /// Edges with a height at every vertex.
    pub edges_with_elevation: usize,
}

/// What skipping the conversion of GCJ-02 / BD-09 inputs to WGS84 would change.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum CrsCheck {
    /// The figures of the unconverted run against the converted one.
    Compared {
        /// Covered population with the conversion.
        converted_covered_population: f64,
        /// Covered population without it.
        unconverted_covered_population: f64,
        /// Residents whose covered status differs.
        residents_changing_status: usize,
        /// Residents covered only with the conversion.
        residents_losing_coverage_if_skipped: usize,
        /// Residents covered only without it.
        residents_gaining_coverage_if_skipped: usize,
        /// Population whose covered status differs.
        population_changing_status: f64,
        /// Mean distance the converted points moved, metres.
        mean_shift_m: f64,
    },
    /// No comparison: the roads were converted too, so the unconverted run would walk
    /// on a shifted network.
    Skipped {
        /// Why.
        skipped: String,
    },
}

/// Per walking profile, per resident: covered.
pub type CoveredByProfile = Vec<(String, Vec<bool>)>;

/// The results beside the main run (see [`Study::analysis`]).
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Every built-in profile, adult first.
    pub profiles: Vec<ProfileCoverage>,
    /// Per profile, per resident: covered.
    pub covered_by_profile: CoveredByProfile,
    /// Flat against slope for the main profile, when slope is on.
    pub slope: Option<SlopeComparison>,
    /// Per resident, the walk on flat ground, when slope is on.
    pub flat_walk_min: Option<Vec<Option<f64>>>,
    /// Tiers and services, with a catalogue.
    pub tiers: Option<TierCoverage>,
    /// The skipped-conversion check, with inputs in GCJ-02 / BD-09.
    pub crs_check: Option<CrsCheck>,
    /// 2SFCA scores and centers within the threshold, when asked for
    /// ([`StudyParams::access`](super::StudyParams::access)).
    pub access: Option<Accessibility>,
}

impl Analysis {
    /// The per-resident figures for `demand.geojson`.
    pub fn resident_details(&self) -> ResidentDetails<'_> {
        ResidentDetails {
            flat_walk_min: self.flat_walk_min.as_deref(),
            covered_by_profile: &self.covered_by_profile,
            tiers: self.tiers.as_ref(),
            band: None,
            access: self.access.as_ref(),
            tiers_flat: None,
        }
    }
}

fn population_where(study: &Study, result: &CoverageResult, keep: impl Fn(usize) -> bool) -> f64 {
    // `+ 0.0` turns an empty sum's -0.0 into 0.0, as written.
    study
        .demand()
        .iter()
        .zip(&result.demand)
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, (d, _))| d.population)
        .sum::<f64>()
        + 0.0
}

impl Study {
    /// Coverage of every built-in profile on the same network and centers, adult
    /// first, with who loses access against the adult; and per profile, per resident,
    /// whether they are covered.
    ///
    /// Complexity: one coverage run per profile.
    ///
    /// # Errors
    /// As [`compute_coverage`].
    pub fn profiles(&self) -> Result<(Vec<ProfileCoverage>, CoveredByProfile)> {
        let network = self.network();
        let (centers, demand) = (self.centers(), self.demand());
        let total: f64 = demand.iter().map(|d| d.population).sum();
        let slope = self.params().uses_slope();
        let mut rows = Vec::new();
        let mut covered_by_profile = Vec::new();
        let mut first: Option<CoverageResult> = None;
        for profile in WalkProfile::builtin(self.params().speed_kmh) {
            let costs = profile_costs_by(network, &profile, slope, self.params().measure());
            // The study's own snapping serves every profile: only the costs differ.
            let r = self.result().with_costs(network, &costs)?;
            let (steps, steep) = closed_edges(network, &profile, &costs);
            let covered = population_where(self, &r, |i| r.demand[i].covered);
            let no_walk = population_where(self, &r, |i| r.demand[i].walk_min.is_none());
            let lost = first
                .as_ref()
                .map(|f| compare_coverage("", f, "", &r, centers, demand));
            rows.push(ProfileCoverage {
                profile: profile.name.clone(),
                speed_kmh: profile.speed_kmh,
                slope,
                covered_population: covered,
                coverage_ratio: if total > 0.0 { covered / total } else { 0.0 },
                residents_covered: r.demand.iter().filter(|x| x.covered).count(),
                no_walk_population: no_walk,
                closed_steps_edges: steps,
                closed_steep_edges: steep,
                lost_vs_first_population: lost.as_ref().map_or(0.0, |c| c.lost_population),
                lost_vs_first_residents: lost.as_ref().map_or(0, |c| c.lost_residents),
            });
            covered_by_profile.push((
                profile.name.clone(),
                r.demand.iter().map(|x| x.covered).collect(),
            ));
            if first.is_none() {
                first = Some(r);
            }
        }
        Ok((rows, covered_by_profile))
    }

    /// The main profile on flat ground against slope, and each resident's flat walk;
    /// `None` without slope.
    ///
    /// # Errors
    /// As [`compute_coverage`].
    pub fn slope_comparison(&self) -> Result<Option<(SlopeComparison, Vec<Option<f64>>)>> {
        if !self.params().uses_slope() {
            return Ok(None);
        }
        let network = self.network();
        let flat_costs = profile_costs_by(network, self.profile(), false, self.params().measure());
        let flat = self.result().with_costs(network, &flat_costs)?;
        let comparison = compare_coverage(
            "flat",
            &flat,
            "slope",
            self.result(),
            self.centers(),
            self.demand(),
        );
        let flat_walk_min = flat.demand.iter().map(|d| d.walk_min).collect();
        Ok(Some((
            SlopeComparison {
                comparison,
                edges_with_elevation: network.stats().edges_with_elevation,
            },
            flat_walk_min,
        )))
    }

    /// Coverage per tier and service, and complete coverage (with reporting units,
    /// also per unit); `None` without a catalogue.
    ///
    /// # Errors
    /// [`crate::Error::Feature`] naming the centers' source and the center whose tier or
    /// services the catalogue does not know.
    pub fn tiers(&self) -> Result<Option<TierCoverage>> {
        let Some(services) = &self.params().services else {
            return Ok(None);
        };
        // The residents walk to each tier and service from where this run snapped them.
        let snaps: Vec<_> = self.result().demand.iter().map(|d| d.snap).collect();
        tier_coverage_with_snaps(
            self.network(),
            self.costs(),
            self.centers(),
            (self.demand(), &snaps),
            &self.params().coverage,
            &services.config,
        )
        .map(|mut t| {
            if !self.units().is_empty() {
                t.per_unit = tier_coverage_per_unit(&t, self.demand(), self.units());
            }
            t
        })
        .and_then(|mut t| {
            let (upgrades, options) = self.upgrades(&services.config, &t)?;
            t.upgrades = upgrades;
            t.upgrade_options = options;
            Ok(Some(t))
        })
        .map_err(|e| match e {
            // The catalogue names the layer `centers`: say which file it is.
            Error::Feature {
                layer,
                index,
                reason,
            } if layer == "centers" => Error::Feature {
                layer: self.inputs().centers.source.clone(),
                index,
                reason: format!("{reason} (catalogue {})", services.source),
            },
            Error::Empty { layer, reason } if layer == "centers" => Error::Empty {
                layer: self.inputs().centers.source.clone(),
                reason: format!("{reason} (catalogue {})", services.source),
            },
            e => e,
        })
    }

    /// What skipping the conversion of GCJ-02 / BD-09 centers and residents would
    /// change; `None` when no point layer was converted.
    ///
    /// # Errors
    /// As [`compute_coverage`].
    pub fn crs_check(&self) -> Result<Option<CrsCheck>> {
        let prepared = self.prepared();
        if prepared.raw_centers.is_none() && prepared.raw_demand.is_none() {
            return Ok(None);
        }
        if prepared.roads_converted {
            return Ok(Some(CrsCheck::Skipped {
                skipped: "roads were converted too; the unconverted run is not comparable".into(),
            }));
        }
        let (centers, demand) = (self.centers(), self.demand());
        let raw_centers = prepared.raw_centers.as_deref().unwrap_or(centers);
        let raw_demand = prepared.raw_demand.as_deref().unwrap_or(demand);
        let raw = compute_coverage(
            self.network(),
            self.costs(),
            raw_centers,
            raw_demand,
            &self.params().coverage,
        )?;
        let c = compare_coverage(
            "converted",
            self.result(),
            "unconverted",
            &raw,
            centers,
            demand,
        );
        // Mean shift over the points that were converted.
        let shifts: Vec<f64> = [
            (centers, prepared.raw_centers.as_deref()),
            (demand, prepared.raw_demand.as_deref()),
        ]
        .iter()
        .filter_map(|(now, raw)| raw.map(|raw| now.iter().zip(raw)))
        .flatten()
        .map(|(a, b)| haversine_m([a.lon, a.lat], [b.lon, b.lat]))
        .collect();
        let mean_shift = shifts.iter().sum::<f64>() / shifts.len().max(1) as f64;
        Ok(Some(CrsCheck::Compared {
            converted_covered_population: c.baseline_covered_population,
            unconverted_covered_population: c.variant_covered_population,
            residents_changing_status: c.lost_residents + c.gained_residents,
            residents_losing_coverage_if_skipped: c.lost_residents,
            residents_gaining_coverage_if_skipped: c.gained_residents,
            population_changing_status: c.lost_population + c.gained_population,
            mean_shift_m: round_to(mean_shift, 2),
        }))
    }

    /// Every result beside the main run: profiles side by side, flat against slope,
    /// tiers and services, and the coordinate check.
    ///
    /// # Errors
    /// As the parts: [`Self::profiles`], [`Self::slope_comparison`], [`Self::tiers`],
    /// [`Self::crs_check`].
    pub fn analysis(&self) -> Result<Analysis> {
        let (profiles, covered_by_profile) = self.profiles()?;
        let (slope, flat_walk_min) = match self.slope_comparison()? {
            Some((s, flat)) => (Some(s), Some(flat)),
            None => (None, None),
        };
        Ok(Analysis {
            profiles,
            covered_by_profile,
            slope,
            flat_walk_min,
            tiers: self.tiers()?,
            crs_check: self.crs_check()?,
            access: self.accessibility()?,
        })
    }

    /// 2SFCA scores (capacity per resident within the catchments) and the number of
    /// centers within the threshold, per resident and per unit; `None` unless
    /// [`StudyParams::access`](super::StudyParams::access) asks for them.
    ///
    /// # Errors
    /// [`crate::Error::Feature`] naming the centers' source and the center whose
    /// capacity is not a number ≥ 0.
    pub fn accessibility(&self) -> Result<Option<Accessibility>> {
        let Some(params) = &self.params().access else {
            return Ok(None);
        };
        let (capacities, defaulted) = center_capacities(self.centers(), &params.capacity_field)
            .map_err(|e| match e {
                Error::Feature { index, reason, .. } => Error::Feature {
                    layer: self.inputs().centers.source.clone(),
                    index,
                    reason,
                },
                e => e,
            })?;
        let planner = self.planner();
        let reach = center_catchments(&planner, planner.index.threshold_cost_m);
        let membership = assign_units(self.demand(), self.units());
        Ok(Some(accessibility(
            &reach,
            (&capacities, defaulted),
            self.demand(),
            (self.units(), &membership),
            planner.index.threshold_cost_m,
            params,
        )))
    }
}
