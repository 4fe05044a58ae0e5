//! The instance the site optimization works on: residents grouped by the sites that
//! serve them (an exact aggregation), and for each site the groups it serves.

use std::collections::HashMap;

use super::candidates::Candidate;
use super::index::{Planner, SiteSnap};
use super::params::{PlanModel, PlanParams};
use super::rank::{site_lists, SearchSite};
use super::targets::PlanTargets;

/// What the optimization counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Objective {
    /// Population within the walk-time threshold (MCLP, LSCP): groups are residents
    /// within the threshold of some site (without closing: of some candidate, and not
    /// covered today).
    Coverage,
    /// Population-weighted walk minutes saved against today's walks (p-median): groups
    /// are residents with a walk today.
    WalkSavings,
}

impl Objective {
    /// The objective of `model`.
    pub(super) fn of(model: PlanModel) -> Self {
        match model {
            PlanModel::PMedian => Objective::WalkSavings,
            PlanModel::MaxCoverage | PlanModel::SetCover => Objective::Coverage,
        }
    }
}

/// Which sites are columns of the instance.
#[derive(Debug, Clone)]
pub(crate) enum Columns {
    /// Today's centers all stay open and are not columns: every column is a candidate
    /// that serves someone better than today.
    CandidatesOnly,
    /// Today's centers lead the columns and may close ([`PlanParams::allow_closing`]);
    /// then come the candidates that serve anyone.
    ExistingMayClose {
        /// The existing centers of the leading columns, as center indexes.
        existing: Vec<u32>,
        /// Each resident's group (`u32::MAX`: in none).
        resident_group: Vec<u32>,
    },
}

impl Columns {
    /// Whether existing centers are columns that may close.
    pub(super) fn may_close(&self) -> bool {
        matches!(self, Columns::ExistingMayClose { .. })
    }

    /// The existing centers of the leading columns (empty without closing).
    pub(super) fn existing(&self) -> &[u32] {
        match self {
            Columns::CandidatesOnly => &[],
            Columns::ExistingMayClose { existing, .. } => existing,
        }
    }

    /// Each resident's group (`u32::MAX`: in none); empty without closing.
    pub(super) fn resident_group(&self) -> &[u32] {
        match self {
            Columns::CandidatesOnly => &[],
            Columns::ExistingMayClose { resident_group, .. } => resident_group,
        }
    }
}

/// What tells residents apart: their walk today (savings), the sites serving them with
/// the walk from each, and their reporting units.
type GroupKey<'a> = (u64, Vec<(u32, u64)>, &'a [u32]);

/// What the optimization works on: residents grouped by the sites that serve them, so
/// residents no site can tell apart count as one.
///
/// Columns are the sites: first the existing centers (only with
/// [`Columns::ExistingMayClose`]), then the useful candidates.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    /// Coverage (MCLP, LSCP) or walk savings (p-median).
    pub objective: Objective,
    /// Whether existing centers are columns.
    pub columns: Columns,
    /// Population of each group.
    pub weight: Vec<f64>,
    /// Current walk of each group, minutes (walk savings; 0 for coverage).
    pub current_min: Vec<f64>,
    /// Candidates of the columns after the existing centers (those that serve at least
    /// one group), as indexes into the candidate list.
    pub cands: Vec<usize>,
    /// For each column: `(group, walk minutes from it)`, by group.
    pub entries: Vec<Vec<(u32, f64)>>,
    /// Number of columns serving each group.
    pub degree: Vec<u32>,
    /// With reporting units ([`PlanParams::unit_rule`]): the units of each group's
    /// residents (groups never mix units); empty otherwise.
    pub group_units: Vec<Vec<u32>>,
}

impl Instance {
    /// Builds the instance: coverage (groups = uncovered residents within the threshold
    /// of some candidate, grouped by the set of candidates covering them — an exact
    /// aggregation) or walk savings (residents with a walk, grouped by identical walks).
    ///
    /// With closing, every site is searched without pruning and the groups are every
    /// resident within the threshold of some site (coverage) or every resident with a
    /// walk today (savings), existing centers included as columns.
    ///
    /// With `unit_of` (each resident's reporting units), residents of different units
    /// never share a group, so per-unit constraints can be written on the groups. With
    /// `targets` (a tier plan), the groups are the residents not served today that a
    /// site reaches within their own limit, searched plainly.
    ///
    /// Complexity: one search per site (see [`site_lists`]), then O(N log N) in the
    /// matrix entries N to group the residents.
    pub(super) fn build(
        planner: &Planner<'_>,
        candidates: &[Candidate],
        params: &PlanParams,
        unit_of: Option<&[Vec<u32>]>,
        targets: Option<&PlanTargets>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Self {
        let objective = Objective::of(params.model);
        let savings = objective == Objective::WalkSavings;
        let closing = params.allow_closing;
        let t = planner.index.threshold_cost_m;
        let limit_m = if savings {
            params
                .improve_limit_min
                .map_or(f64::INFINITY, |m| m * planner.index.metres_per_min)
        } else if let Some(targets) = targets {
            targets.search_limit_m()
        } else {
            t
        };
        let mut sites: Vec<SearchSite> = Vec::new();
        let existing: Vec<u32> = if closing {
            let centers = &planner.result.snapped_centers.results;
            for c in centers {
                sites.push(SearchSite::Plain(c.snap.map(|snap| SiteSnap { snap })));
            }
            (0..centers.len() as u32).collect()
        } else {
            Vec::new()
        };
        for c in candidates {
            let snap = planner.snap_site(c.lonlat);
            // A target's walk is not the study's: every resident in reach is searched.
            sites.push(if closing || targets.is_some() {
                SearchSite::Plain(snap)
            } else {
                SearchSite::Improving(snap)
            });
        }
        let lists = site_lists(planner, &sites, limit_m, progress);
        drop(sites);
        let mpm = planner.index.metres_per_min;
        let mut per_resident: Vec<Vec<(u32, u64)>> =
            vec![Vec::new(); planner.index.residents.len()];
        for (j, list) in lists.iter().enumerate() {
            for &(r, cost) in list.iter().flatten() {
                let res = &planner.index.residents[r as usize];
                let keep = if let Some(targets) = targets {
                    targets.newly_served(r as usize, cost)
                } else if savings {
                    res.cost_m.is_finite()
                } else if closing {
                    cost <= t
                } else {
                    res.cost_m > t && cost <= t
                };
                if keep {
                    let key = if savings { (cost / mpm).to_bits() } else { 0 };
                    per_resident[r as usize].push((j as u32, key));
                }
            }
        }
        drop(lists);
        let mut group_of: HashMap<GroupKey<'_>, u32> = HashMap::new();
        let mut group_units: Vec<Vec<u32>> = Vec::new();
        let mut weight = Vec::new();
        let mut current_min = Vec::new();
        let mut members: Vec<(u32, Vec<(u32, u64)>)> = Vec::new();
        let mut resident_group = if closing {
            vec![u32::MAX; planner.index.residents.len()]
        } else {
            Vec::new()
        };
        for (r, list) in per_resident.into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let res = &planner.index.residents[r];
            let cur = if savings { res.cost_m / mpm } else { 0.0 };
            let units: &[u32] = unit_of.map_or(&[], |u| &u[r]);
            let key = (cur.to_bits(), list, units);
            let g = match group_of.get(&key) {
                Some(&g) => {
                    weight[g as usize] += res.population;
                    g
                }
                None => {
                    let g = weight.len() as u32;
                    weight.push(res.population);
                    current_min.push(cur);
                    members.push((g, key.1.clone()));
                    if unit_of.is_some() {
                        group_units.push(units.to_vec());
                    }
                    group_of.insert(key, g);
                    g
                }
            };
            if closing {
                resident_group[r] = g;
            }
        }
        let mut by_site: Vec<Vec<(u32, f64)>> = vec![Vec::new(); existing.len() + candidates.len()];
        let mut degree = vec![0u32; weight.len()];
        for (g, list) in &members {
            degree[*g as usize] = list.len() as u32;
            for &(j, bits) in list {
                by_site[j as usize].push((*g, f64::from_bits(bits)));
            }
        }
        let mut cands = Vec::new();
        let mut entries = Vec::new();
        let n_existing = existing.len();
        for (j, list) in by_site.into_iter().enumerate() {
            if j < n_existing {
                entries.push(list);
            } else if !list.is_empty() {
                cands.push(j - n_existing);
                entries.push(list);
            }
        }
        let columns = if closing {
            Columns::ExistingMayClose {
                existing,
                resident_group,
            }
        } else {
            Columns::CandidatesOnly
        };
        Instance {
            objective,
            columns,
            weight,
            current_min,
            cands,
            entries,
            degree,
            group_units,
        }
    }

    /// Whether the objective is walk savings (p-median).
    pub(super) fn savings(&self) -> bool {
        self.objective == Objective::WalkSavings
    }

    /// Whether existing centers are columns that may close.
    pub(super) fn may_close(&self) -> bool {
        self.columns.may_close()
    }

    /// The existing centers of the leading columns (empty without closing).
    pub(super) fn existing(&self) -> &[u32] {
        self.columns.existing()
    }

    /// Number of (column, group) pairs.
    pub(super) fn nnz(&self) -> usize {
        self.entries.iter().map(Vec::len).sum()
    }

    /// Number of columns (existing centers, then candidates).
    pub(super) fn column_count(&self) -> usize {
        self.entries.len()
    }

    /// Whether column `j` is an existing center.
    pub(super) fn is_existing(&self, j: usize) -> bool {
        j < self.existing().len()
    }
}
