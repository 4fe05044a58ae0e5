//! `plan.json`, the planned sites and the ranked candidates of a plan on a study, and
//! the scenario with the plan applied.

use serde::Serialize;

use super::layers::Layer;
use super::report::ToolInfo;
use super::Study;
use crate::features::{PointFeature, PointLayer, SkipCounts};
use crate::output::{round_to, PointsLayer};
use crate::planning::{
    BoundKind, Candidate, CandidateGain, Method, PlanModel, PlanOutcome, PlanParams, UnitPlan,
    UnitRule,
};
use crate::Result;

/// The `parameters` section of `plan.json`.
#[derive(Debug, Clone, Serialize)]
pub struct PlanReportParams {
    /// `mclp`, `lscp` or `pmedian`.
    pub model: &'static str,
    /// New sites (MCLP, p-median).
    pub k: Option<usize>,
    /// Coverage ratio to reach (LSCP).
    pub target_ratio: Option<f64>,
    /// Most population one new site may serve.
    pub capacity: Option<f64>,
    /// Whether existing centers may close.
    pub allow_closing: bool,
    /// Most existing centers that may close.
    pub max_closed: Option<usize>,
    /// Fairness over reporting units: `{"rule": "floor", "ratio": R}` or
    /// `{"rule": "maximin"}`.
    pub unit_rule: Option<UnitRule>,
    /// A tier plan: the tier of the new sites (the figures are complete coverage).
    pub site_tier: Option<String>,
    /// Solved exactly: [`PlanParams::method`] is [`Method::Exact`].
    pub exact: bool,
    /// Swaps not turned off: `false` only for [`Method::Greedy`] (`--no-swap`); `true`
    /// for [`Method::Exact`] too, which has no swap step (as when the swap was a flag of
    /// its own, on by default).
    pub swap: bool,
    /// What the threshold measures: `walking time` or `walking distance`.
    pub threshold_rule: &'static str,
    /// Walk-time threshold, minutes (for a distance: the minutes it takes at
    /// `speed_kmh` on flat ground).
    pub threshold_min: f64,
    /// The threshold as a walking distance along the network, metres (distance rule
    /// only).
    pub threshold_m: Option<f64>,
    /// Adult walking speed on flat ground, km/h.
    pub speed_kmh: f64,
    /// Farthest straight-line access to the network, metres.
    pub max_snap_m: f64,
    /// Smallest component points snap to, nodes.
    pub min_component_nodes: usize,
}

/// Where the candidates came from and how many could help.
#[derive(Debug, Clone, Serialize)]
pub struct CandidatesReport {
    /// A file, a tag filter, or the generated grid.
    pub source: String,
    /// Candidates given.
    pub count: usize,
    /// Features of the candidate layer skipped, all reasons.
    pub skipped_total: usize,
    /// Skipped by reason.
    pub skipped: SkipCounts,
    /// Candidates that snapped to the network.
    pub snapped: usize,
    /// Candidates that improve anyone.
    pub useful: usize,
}

/// One chosen site in `plan.json`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteReport {
    /// Order of choice.
    pub rank: usize,
    /// Candidate id.
    pub id: String,
    /// Candidate index.
    pub candidate: u32,
    /// `[lon, lat]`, WGS84, rounded to 1e-7°.
    pub lonlat: [f64; 2],
    /// What it adds to the objective.
    pub gain: f64,
}

/// One existing center the plan closes, in `plan.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ClosedReport {
    /// Center index.
    pub center: u32,
    /// Center id.
    pub id: String,
    /// `[lon, lat]`, WGS84, rounded to 1e-7°.
    pub lonlat: [f64; 2],
    /// Population whose nearest center it is today.
    pub served_population: f64,
    /// MCLP, LSCP: covered today and not after.
    pub covered_population_lost: Option<f64>,
    /// p-median: walk minutes added.
    pub walk_minutes_added: Option<f64>,
}

/// `plan.json`: what was asked, the candidates, the sites, before and after, the bound.
#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    /// Who wrote it.
    pub tool: ToolInfo,
    /// What was asked.
    pub parameters: PlanReportParams,
    /// The candidates.
    pub candidates: CandidatesReport,
    /// Resident groups the model solved over.
    pub demand_groups: usize,
    /// What ran: `greedy`, `greedy+swap` or `exact` ([`PlanOutcome::method`]).
    pub method: Method,
    /// Chosen sites in order.
    pub sites: Vec<SiteReport>,
    /// Existing centers closed.
    pub closed: Vec<ClosedReport>,
    /// Total population.
    pub total_population: f64,
    /// Covered population before.
    pub covered_population_before: f64,
    /// Covered population after.
    pub covered_population_after: f64,
    /// Coverage ratio before.
    pub coverage_ratio_before: f64,
    /// Coverage ratio after.
    pub coverage_ratio_after: f64,
    /// p-median: mean walk before, minutes.
    pub mean_walk_before_min: Option<f64>,
    /// p-median: mean walk after, minutes.
    pub mean_walk_after_min: Option<f64>,
    /// The objective reached.
    pub objective: f64,
    /// The best objective proven possible.
    pub bound: f64,
    /// How the bound was found.
    pub bound_kind: BoundKind,
    /// `|bound − objective|`.
    pub gap: f64,
    /// The gap relative to the bound (MCLP) or objective.
    pub relative_gap: f64,
    /// LSCP: whether the target was reached.
    pub target_reached: Option<bool>,
    /// LSCP: the highest ratio reachable.
    pub max_reachable_ratio: Option<f64>,
    /// Notes for the planner.
    pub notes: Vec<String>,
    /// With a unit rule: whether it was met, the worst unit before and after, and
    /// every reporting unit's coverage before and after.
    pub units: Option<UnitPlan>,
}

/// A planned site in `plan.geojson`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteProperties {
    rank: usize,
    id: String,
    gain: f64,
}

/// A ranked candidate in `candidates.geojson`.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateProperties {
    id: String,
    rank: usize,
    snapped: bool,
    gain: f64,
    newly_covered_residents: usize,
    shorter_walk_population: f64,
    walk_minutes_saved: f64,
}

fn rounded_lonlat(p: [f64; 2]) -> [f64; 2] {
    [round_to(p[0], 7), round_to(p[1], 7)]
}

impl Study {
    /// `plan.json` of `outcome`, solved for `params` among `candidates` (from
    /// `candidate_source`, skipping `candidates_skipped`) ranked as `gains`.
    pub fn plan_report(
        &self,
        params: &PlanParams,
        outcome: &PlanOutcome,
        candidates: (&str, usize, &SkipCounts),
        gains: &[CandidateGain],
    ) -> PlanReport {
        let p = self.params();
        let (source, count, skipped) = candidates;
        PlanReport {
            tool: ToolInfo::default(),
            parameters: PlanReportParams {
                model: params.model.as_str(),
                k: (params.model != PlanModel::SetCover).then_some(params.k),
                target_ratio: (params.model == PlanModel::SetCover).then_some(params.target_ratio),
                capacity: params.capacity,
                allow_closing: params.allow_closing,
                max_closed: params.max_closed,
                unit_rule: params.unit_rule,
                site_tier: params.site_tier.clone(),
                exact: params.method == Method::Exact,
                swap: params.method != Method::Greedy,
                threshold_rule: self.threshold().rule(),
                threshold_min: self.threshold_min(),
                threshold_m: p.coverage.threshold_m,
                speed_kmh: p.speed_kmh,
                max_snap_m: p.coverage.max_snap_m,
                min_component_nodes: p.network.min_component_nodes,
            },
            candidates: CandidatesReport {
                source: source.to_string(),
                count,
                skipped_total: skipped.dropped(),
                skipped: skipped.clone(),
                snapped: gains.iter().filter(|g| g.snapped).count(),
                useful: outcome.useful_candidates,
            },
            demand_groups: outcome.demand_groups,
            method: outcome.method,
            sites: outcome
                .sites
                .iter()
                .map(|s| SiteReport {
                    rank: s.rank,
                    id: s.id.clone(),
                    candidate: s.candidate.0,
                    lonlat: rounded_lonlat(s.lonlat),
                    gain: s.gain,
                })
                .collect(),
            closed: outcome
                .closed
                .iter()
                .map(|c| {
                    let center = &self.centers()[c.center.index()];
                    ClosedReport {
                        center: c.center.0,
                        id: center.id.clone(),
                        lonlat: rounded_lonlat(center.lonlat()),
                        served_population: c.served_population,
                        covered_population_lost: c.covered_population_lost,
                        walk_minutes_added: c.walk_minutes_added.map(|m| round_to(m, 3)),
                    }
                })
                .collect(),
            total_population: outcome.total_population,
            covered_population_before: outcome.covered_population_before,
            covered_population_after: outcome.covered_population_after,
            coverage_ratio_before: outcome.coverage_ratio_before,
            coverage_ratio_after: outcome.coverage_ratio_after,
            mean_walk_before_min: outcome.mean_walk_before_min,
            mean_walk_after_min: outcome.mean_walk_after_min,
            objective: outcome.objective,
            bound: outcome.bound,
            bound_kind: outcome.bound_kind,
            gap: outcome.gap,
            relative_gap: outcome.relative_gap,
            target_reached: outcome.target_reached,
            max_reachable_ratio: outcome.max_reachable_ratio,
            notes: outcome.notes.clone(),
            units: outcome.units.clone(),
        }
    }

    /// The chosen sites as points (`plan.geojson`).
    pub fn sites_layer(outcome: &PlanOutcome) -> PointsLayer<SiteProperties> {
        PointsLayer {
            points: outcome
                .sites
                .iter()
                .map(|s| {
                    (
                        s.lonlat,
                        SiteProperties {
                            rank: s.rank,
                            id: s.id.clone(),
                            gain: s.gain,
                        },
                    )
                })
                .collect(),
        }
    }

    /// Every candidate with its gain on its own (`candidates.geojson`).
    pub fn candidates_layer(
        candidates: &[Candidate],
        gains: &[CandidateGain],
    ) -> PointsLayer<CandidateProperties> {
        PointsLayer {
            points: candidates
                .iter()
                .zip(gains)
                .map(|(c, g)| {
                    (
                        c.lonlat,
                        CandidateProperties {
                            id: c.id.clone(),
                            rank: g.rank,
                            snapped: g.snapped,
                            gain: g.covered_population_gain,
                            newly_covered_residents: g.newly_covered_residents,
                            shorter_walk_population: g.shorter_walk_population,
                            walk_minutes_saved: round_to(g.walk_minutes_saved, 3),
                        },
                    )
                })
                .collect(),
        }
    }

    /// The study with the plan applied: the closed centers left out, the new sites
    /// added (ids `new-RANK-ID`, property `planned_rank`).
    ///
    /// # Errors
    /// As [`Self::with_centers`].
    pub fn with_plan(&self, outcome: &PlanOutcome) -> Result<Study> {
        let closed: std::collections::BTreeSet<usize> =
            outcome.closed.iter().map(|c| c.center.index()).collect();
        let centers = self.centers();
        let mut after: Vec<PointFeature> = centers
            .iter()
            .enumerate()
            .filter(|(i, _)| !closed.contains(i))
            .map(|(_, c)| c.clone())
            .collect();
        // A tier plan's sites are centers of its tier offering its services; with a
        // catalogue and no site tier they would be centers of no tier, which the tier
        // analysis refuses unless tag rules (which they match none of) are given.
        let offered = if outcome.sites.is_empty() {
            None
        } else {
            let config = self.params().services.as_ref().map(|s| &s.config);
            super::site_offer(config, outcome.site_tier.as_deref())?
        };
        for s in &outcome.sites {
            let mut site =
                PointFeature::new(format!("new-{}-{}", s.rank, s.id), s.lonlat[0], s.lonlat[1])
                    .with_property("planned_rank", s.rank)
                    .with_source_index(centers.len() + s.rank - 1);
            if let Some((tier, services)) = &offered {
                site = site
                    .with_property("tier", tier.as_str())
                    .with_property("services", services.clone());
            }
            after.push(site);
        }
        let layer = Layer::new(
            PointLayer {
                points: after,
                skipped: self.inputs().centers.skipped.clone(),
                crs: self.inputs().centers.crs.clone(),
            },
            self.inputs().centers.source.clone(),
        );
        self.with_centers(layer)
    }
}
