//! Fair to every community: the reporting units of a plan ([`PlanUnits`]), today's and
//! the plan's coverage in each ([`UnitFigures`], [`UnitPlan`]), the units a floor
//! cannot reach from the candidates, and the per-unit constraints the integer program
//! takes ([`UnitConstraint`]).

use serde::Serialize;

use super::evaluator::Evaluator;
use super::index::Planner;
use super::instance::Instance;
use super::params::UnitRule;
use super::targets::PlanTargets;
use crate::coverage::assign_units;
use crate::features::{PointFeature, ReportingUnit};

/// The reporting units a plan is fair to: each unit's id and name, and the units each
/// resident lies in.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanUnits {
    ids: Vec<String>,
    names: Vec<Option<String>>,
    unit_of: Vec<Vec<u32>>,
}

impl PlanUnits {
    /// The units of `units` holding each resident of `demand` (the coverage run's
    /// residents, in order). A resident in overlapping units counts in each; one in
    /// none counts for no unit.
    ///
    /// Complexity: O(D log U) for D residents and U units.
    pub fn new(demand: &[PointFeature], units: &[ReportingUnit]) -> Self {
        let unit_of = assign_units(demand, units)
            .into_iter()
            .map(|inside| inside.into_iter().map(|u| u as u32).collect())
            .collect();
        Self {
            ids: units.iter().map(|u| u.id.clone()).collect(),
            names: units.iter().map(|u| u.name.clone()).collect(),
            unit_of,
        }
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there is no unit.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The units of each resident.
    pub(crate) fn unit_of(&self) -> &[Vec<u32>] {
        &self.unit_of
    }
}

/// Coverage per unit as the plan's instance sees it.
pub(crate) struct UnitFigures {
    /// Each unit's id and name.
    units: PlanUnits,
    /// Population of each unit.
    pub population: Vec<f64>,
    /// Population covered today in each unit.
    pub covered_before: Vec<f64>,
    /// Most population of each unit the candidates together bring within the
    /// threshold (today's coverage included).
    pub reachable: Vec<f64>,
    /// The instance's groups in each unit.
    pub groups: Vec<Vec<u32>>,
    /// Tolerance on populations.
    eps: f64,
}

impl UnitFigures {
    /// Today's and the most reachable coverage of every unit of `units`; `inst` must
    /// have been built with the units' membership (and `targets`, when given: then
    /// "covered" is theirs).
    pub(crate) fn new(
        units: &PlanUnits,
        planner: &Planner<'_>,
        inst: &Instance,
        targets: Option<&PlanTargets>,
    ) -> Self {
        let n = units.len();
        let mut population = vec![0.0; n];
        let mut covered_before = vec![0.0; n];
        let t = planner.index.threshold_cost_m;
        for (r, res) in planner.index.residents.iter().enumerate() {
            for &u in &units.unit_of[r] {
                population[u as usize] += res.population;
                let covered = targets.map_or(res.cost_m <= t, |targets| targets.served(r));
                if covered {
                    covered_before[u as usize] += res.population;
                }
            }
        }
        let mut groups = vec![Vec::new(); n];
        let mut reachable = covered_before.clone();
        for (g, inside) in inst.group_units.iter().enumerate() {
            for &u in inside {
                groups[u as usize].push(g as u32);
                reachable[u as usize] += inst.weight[g];
            }
        }
        Self {
            units: units.clone(),
            eps: 1e-9 * population.iter().sum::<f64>().max(1.0),
            population,
            covered_before,
            reachable,
            groups,
        }
    }

    /// Number of units.
    pub(crate) fn len(&self) -> usize {
        self.population.len()
    }

    /// `x` as a share of unit `u`'s population (`None` without population).
    fn ratio(&self, u: usize, x: f64) -> Option<f64> {
        (self.population[u] > 0.0).then(|| x / self.population[u])
    }

    /// Whether unit `u` has people and is below `ratio` today.
    pub(crate) fn below(&self, u: usize, ratio: f64) -> bool {
        self.population[u] > 0.0 && self.covered_before[u] < ratio * self.population[u] - self.eps
    }

    /// Whether the candidates together bring unit `u` to `ratio`.
    pub(crate) fn can_reach(&self, u: usize, ratio: f64) -> bool {
        self.reachable[u] >= ratio * self.population[u] - self.eps
    }

    /// Whether new sites can change unit `u`'s coverage at all.
    pub(crate) fn improvable(&self, u: usize) -> bool {
        self.population[u] > 0.0 && self.reachable[u] > self.covered_before[u] + self.eps
    }

    /// The units' figures after the plan `set`: `plain` is an evaluator without
    /// capacities over the same instance.
    pub(crate) fn plan(
        &self,
        rule: UnitRule,
        solve: UnitSolve,
        plain: &mut Evaluator<'_>,
        set: &[usize],
    ) -> UnitPlan {
        plain.value_of(set);
        let inst = plain.instance();
        let floor = match rule {
            UnitRule::Floor { ratio } => Some(ratio),
            UnitRule::Maximin => None,
        };
        let units: Vec<UnitPlanFigures> = (0..self.len())
            .map(|u| {
                let gained: f64 = self.groups[u]
                    .iter()
                    .map(|&g| inst.weight[g as usize] - plain.group_state(g as usize))
                    .sum();
                let after = self.covered_before[u] + gained;
                let out_of_reach = match floor {
                    Some(ratio) => self.below(u, ratio) && !self.can_reach(u, ratio),
                    None => self.population[u] > 0.0 && !self.improvable(u),
                };
                UnitPlanFigures {
                    id: self.units.ids[u].clone(),
                    name: self.units.names[u].clone(),
                    population: self.population[u],
                    covered_before: self.covered_before[u],
                    covered_after: after,
                    ratio_before: self.ratio(u, self.covered_before[u]),
                    ratio_after: self.ratio(u, after),
                    max_reachable_ratio: self.ratio(u, self.reachable[u]),
                    out_of_reach,
                }
            })
            .collect();
        let worst = |pick: fn(&UnitPlanFigures) -> Option<f64>| {
            units.iter().filter_map(pick).min_by(f64::total_cmp)
        };
        let below_floor = |pick: fn(&UnitPlanFigures) -> Option<f64>| {
            floor.map(|ratio| {
                units
                    .iter()
                    .filter(|f| pick(f).is_some_and(|r| r < ratio - 1e-12))
                    .count()
            })
        };
        UnitPlan {
            rule,
            floor_met: floor.map(|_| solve.floor_met),
            sites_needed_for_floor: solve.sites_needed,
            sites_needed_at_least: solve.sites_needed_at_least,
            worst_ratio_before: worst(|f| f.ratio_before),
            worst_ratio_after: worst(|f| f.ratio_after),
            units_below_floor_before: below_floor(|f| f.ratio_before),
            units_below_floor_after: below_floor(|f| f.ratio_after),
            units_out_of_reach: units.iter().filter(|f| f.out_of_reach).count(),
            units,
        }
    }
}

/// What the per-unit solve found, for [`UnitFigures::plan`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct UnitSolve {
    /// Floor: whether the `k` sites meet it in every unit that can reach it.
    pub floor_met: bool,
    /// Floor not met: new sites that meet it, as few as a greedy choice finds (`None`:
    /// not solved).
    pub sites_needed: Option<usize>,
    /// Floor not met: the fewest that could (the LP relaxation's bound); equal to
    /// `sites_needed` when that is proven the fewest.
    pub sites_needed_at_least: Option<usize>,
}

/// The per-unit constraints of one integer program.
pub(crate) enum UnitConstraint<'a> {
    /// Each unit with `Some(ratio)` covered at least that share of its population.
    Floors(&'a UnitFigures, Vec<Option<f64>>),
    /// The objective becomes the worst coverage ratio over the units marked `true`.
    MaximiseWorst(&'a UnitFigures, Vec<bool>),
}

/// A plan's fairness over reporting units: the rule, whether it was met, and every
/// unit's coverage before and after (`plan.json` → `units`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitPlan {
    /// The rule asked for.
    pub rule: UnitRule,
    /// Floor: whether the new sites bring every unit that can reach the floor to it.
    pub floor_met: Option<bool>,
    /// Floor not met with `k` sites: new sites that meet it, as few as a greedy choice
    /// finds (then the plan is the best `k` sites without the floor).
    pub sites_needed_for_floor: Option<usize>,
    /// Floor not met: at least this many new sites are needed (the LP bound); equal to
    /// `sites_needed_for_floor` when that is proven the fewest.
    pub sites_needed_at_least: Option<usize>,
    /// Lowest unit coverage ratio today (units with population).
    pub worst_ratio_before: Option<f64>,
    /// Lowest unit coverage ratio after the plan.
    pub worst_ratio_after: Option<f64>,
    /// Floor: units below it today.
    pub units_below_floor_before: Option<usize>,
    /// Floor: units below it after the plan.
    pub units_below_floor_after: Option<usize>,
    /// Units the rule cannot help: below the floor even with every candidate open
    /// (floor), or no candidate reaches anyone uncovered in them (maximin).
    pub units_out_of_reach: usize,
    /// Every unit, in input order.
    pub units: Vec<UnitPlanFigures>,
}

/// One reporting unit in a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitPlanFigures {
    /// Unit id.
    pub id: String,
    /// Unit name.
    pub name: Option<String>,
    /// Population in the unit.
    pub population: f64,
    /// Population covered today.
    pub covered_before: f64,
    /// Population covered after the plan.
    pub covered_after: f64,
    /// Coverage ratio today (`None` without population).
    pub ratio_before: Option<f64>,
    /// Coverage ratio after the plan.
    pub ratio_after: Option<f64>,
    /// Highest ratio every candidate together would bring.
    pub max_reachable_ratio: Option<f64>,
    /// Whether the rule cannot help this unit (see [`UnitPlan::units_out_of_reach`]).
    pub out_of_reach: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::{compute_coverage, CoverageResult};
    use crate::network::WalkNetwork;
    use crate::planning::{
        candidates_from_points, plan_sites, plan_sites_in_units, Candidate, Method, PlanModel,
        PlanOutcome, PlanParams, Planner,
    };
    use crate::routing::WalkCosts;
    use crate::test_support::{equator_street, point};
    use crate::{CoverageParams, Error};

    /// A 4.4 km street along the equator with today's center at its west end, in three
    /// units. West (x < 0.02°): 80 people next to the center (covered) and 60 at
    /// 0.014° (1.55 km, uncovered): 57.1 %. East: 20 people at 0.03°, uncovered: 0 %.
    /// North: 30 people 2.2 km off the street (too far from the network): 0 %, and no
    /// site can change that. Candidates: `west` at 0.014° (covers the 60), `east` at
    /// 0.03° (covers the 20).
    struct Town {
        network: WalkNetwork,
        costs: WalkCosts,
        centers: Vec<PointFeature>,
        demand: Vec<PointFeature>,
        units: Vec<ReportingUnit>,
        candidates: Vec<Candidate>,
    }

    fn rectangle(id: &str, min: [f64; 2], max: [f64; 2]) -> ReportingUnit {
        let ring = geo::LineString::from(vec![
            (min[0], min[1]),
            (max[0], min[1]),
            (max[0], max[1]),
            (min[0], max[1]),
            (min[0], min[1]),
        ]);
        ReportingUnit {
            id: id.into(),
            name: Some(format!("{id} side")),
            geometry: geo::MultiPolygon::new(vec![geo::Polygon::new(ring, vec![])]),
        }
    }

    fn town() -> Town {
        let (network, costs) = equator_street(41);
        Town {
            network,
            costs,
            centers: vec![point("center", 0.0, 0.0001, 1.0)],
            demand: vec![
                point("near", 0.001, 0.0001, 80.0),
                point("west", 0.014, 0.0001, 60.0),
                point("east", 0.03, 0.0001, 20.0),
                point("north", 0.02, 0.02, 30.0),
            ],
            units: vec![
                rectangle("W", [-0.001, -0.01], [0.02, 0.01]),
                rectangle("E", [0.02, -0.01], [0.041, 0.01]),
                rectangle("N", [-0.01, 0.015], [0.05, 0.03]),
            ],
            candidates: candidates_from_points(&[
                point("west", 0.014, 0.0, 1.0),
                point("east", 0.03, 0.0, 1.0),
            ]),
        }
    }

    /// Today's coverage of the town.
    fn coverage(t: &Town) -> CoverageResult {
        compute_coverage(
            &t.network,
            &t.costs,
            &t.centers,
            &t.demand,
            &CoverageParams::default(),
        )
        .unwrap()
    }

    fn plan(t: &Town, params: &PlanParams) -> crate::Result<PlanOutcome> {
        let base = coverage(t);
        let planner = Planner::new(&t.network, &t.costs, &base, &t.demand).unwrap();
        let units = PlanUnits::new(&t.demand, &t.units);
        plan_sites_in_units(&planner, &t.candidates, params, &units, &mut |_| {})
    }

    fn site_ids(o: &PlanOutcome) -> Vec<&str> {
        o.sites.iter().map(|s| s.id.as_str()).collect()
    }

    fn ratios_after(o: &PlanOutcome) -> Vec<Option<f64>> {
        o.units
            .as_ref()
            .unwrap()
            .units
            .iter()
            .map(|u| u.ratio_after)
            .collect()
    }

    #[test]
    fn a_floor_sends_the_site_to_the_unit_below_it() {
        let t = town();
        // Without a rule the one site goes west (60 > 20).
        let plain = plan(&t, &PlanParams::default()).unwrap();
        assert_eq!(site_ids(&plain), ["west"]);
        assert!(plain.units.is_none());
        for method in [Method::GreedySwap, Method::Exact] {
            let params = PlanParams {
                unit_rule: Some(UnitRule::Floor { ratio: 0.5 }),
                method,
                ..Default::default()
            };
            let o = plan(&t, &params).unwrap();
            // West is above 50 % already; East can only get there with the east site.
            assert_eq!(site_ids(&o), ["east"], "{method}");
            assert_eq!(o.method, Method::Exact);
            assert_eq!(o.covered_population_after, 100.0);
            let u = o.units.as_ref().unwrap();
            assert_eq!(u.floor_met, Some(true));
            assert_eq!(u.sites_needed_for_floor, None);
            assert_eq!(u.units_below_floor_before, Some(2));
            assert_eq!(u.units_below_floor_after, Some(1));
            assert_eq!(u.units_out_of_reach, 1);
            assert_eq!(ratios_after(&o), [Some(80.0 / 140.0), Some(1.0), Some(0.0)]);
            let north = &u.units[2];
            assert_eq!(
                (north.id.as_str(), north.population, north.out_of_reach),
                ("N", 30.0, true)
            );
            assert_eq!(north.max_reachable_ratio, Some(0.0));
            assert!(
                o.notes
                    .iter()
                    .any(|n| n.contains("1 unit(s) cannot reach 50 %")),
                "{:?}",
                o.notes
            );
            let solved_exactly = o.notes.iter().any(|n| n.contains("(method exact)"));
            assert_eq!(solved_exactly, method != Method::Exact, "{:?}", o.notes);
        }
    }

    #[test]
    fn a_floor_no_k_sites_can_meet_says_how_many_would() {
        let t = town();
        // 90 %: West needs the west site (126 of 140), East the east one.
        let params = PlanParams {
            unit_rule: Some(UnitRule::Floor { ratio: 0.9 }),
            ..Default::default()
        };
        let one = plan(&t, &params).unwrap();
        assert_eq!(site_ids(&one), ["west"]);
        let u = one.units.as_ref().unwrap();
        // The greedy cover's 2 sites meet the LP's bound: proven the fewest.
        assert_eq!(
            (
                u.floor_met,
                u.sites_needed_for_floor,
                u.sites_needed_at_least
            ),
            (Some(false), Some(2), Some(2))
        );
        assert!(
            one.notes
                .iter()
                .any(|n| n.contains("the fewest that do are 2")),
            "{:?}",
            one.notes
        );
        let two = plan(&t, &PlanParams { k: 2, ..params }).unwrap();
        let mut ids = site_ids(&two);
        ids.sort_unstable();
        assert_eq!(ids, ["east", "west"]);
        assert_eq!(two.units.as_ref().unwrap().floor_met, Some(true));
        assert_eq!(ratios_after(&two), [Some(1.0), Some(1.0), Some(0.0)]);
    }

    #[test]
    fn maximin_lifts_the_worst_unit_new_sites_can_improve() {
        let t = town();
        let o = plan(
            &t,
            &PlanParams {
                unit_rule: Some(UnitRule::Maximin),
                ..Default::default()
            },
        )
        .unwrap();
        // West alone: East stays at 0 %; East alone: the worst improvable unit is West
        // at 57 %. North cannot be improved and does not hold the others back.
        assert_eq!(site_ids(&o), ["east"]);
        let u = o.units.as_ref().unwrap();
        assert_eq!(u.floor_met, None);
        assert_eq!(
            (u.worst_ratio_before, u.worst_ratio_after),
            (Some(0.0), Some(0.0))
        );
        assert_eq!(u.units_out_of_reach, 1);
        assert_eq!(ratios_after(&o), [Some(80.0 / 140.0), Some(1.0), Some(0.0)]);
    }

    #[test]
    fn unit_rules_are_checked() {
        let t = town();
        let name = |params: PlanParams| match plan(&t, &params) {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        let floor = Some(UnitRule::Floor { ratio: 0.5 });
        assert_eq!(
            name(PlanParams {
                unit_rule: Some(UnitRule::Floor { ratio: 0.0 }),
                ..Default::default()
            }),
            "unit_floor"
        );
        assert_eq!(
            name(PlanParams {
                unit_rule: floor,
                capacity: Some(10.0),
                ..Default::default()
            }),
            "unit_floor"
        );
        assert_eq!(
            name(PlanParams {
                unit_rule: Some(UnitRule::Maximin),
                model: PlanModel::SetCover,
                target_ratio: 0.5,
                ..Default::default()
            }),
            "maximin"
        );
        // Without units.
        let base = coverage(&t);
        let planner = Planner::new(&t.network, &t.costs, &base, &t.demand).unwrap();
        let params = PlanParams {
            unit_rule: floor,
            ..Default::default()
        };
        match plan_sites(&planner, &t.candidates, &params) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "unit_floor"),
            other => panic!("{other:?}"),
        }
        let none = PlanUnits::new(&t.demand, &[]);
        match plan_sites_in_units(&planner, &t.candidates, &params, &none, &mut |_| {}) {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, "units"),
            other => panic!("{other:?}"),
        }
    }
}
