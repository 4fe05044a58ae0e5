//! Accessibility beyond covered / not covered: the two-step floating catchment area
//! (2SFCA, Luo & Wang 2003; with a Gaussian distance decay, the enhanced form of Dai
//! 2010) over the walking network, with center capacities, and the cumulative count of
//! centers within the threshold, per resident and per reporting unit.

use serde::Serialize;

use crate::features::{PointFeature, ReportingUnit};
use crate::{Error, Result};

/// How a center's pull fades with the walk inside the catchment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessDecay {
    /// Every walk within the threshold counts fully (classic 2SFCA).
    None,
    /// Gaussian decay, 1 at the center and 0 at the threshold:
    /// `(e^(-½(d/d0)²) − e^(-½)) / (1 − e^(-½))` (enhanced 2SFCA).
    Gaussian,
}

impl AccessDecay {
    /// Parses `2sfca` (no decay) or `e2sfca` / `gaussian` (Gaussian decay).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`access`) naming the accepted methods.
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "2sfca" => Ok(AccessDecay::None),
            "e2sfca" | "gaussian" => Ok(AccessDecay::Gaussian),
            _ => Err(Error::InvalidParameter {
                name: "access".into(),
                reason: format!("unknown method `{name}`: expected 2sfca or e2sfca"),
            }),
        }
    }

    /// The method's name as written in outputs (`2sfca`, `e2sfca`).
    pub fn method(self) -> &'static str {
        match self {
            AccessDecay::None => "2sfca",
            AccessDecay::Gaussian => "e2sfca",
        }
    }

    /// The weight of a walk `cost` within `threshold` (both in the same unit).
    pub fn weight(self, cost: f64, threshold: f64) -> f64 {
        match self {
            AccessDecay::None => 1.0,
            AccessDecay::Gaussian => {
                let edge = (-0.5f64).exp();
                let r = if threshold > 0.0 {
                    cost / threshold
                } else {
                    0.0
                };
                (((-0.5 * r * r).exp() - edge) / (1.0 - edge)).max(0.0)
            }
        }
    }
}

/// What to compute: the decay and where each center's capacity is read.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessParams {
    /// The distance decay.
    pub decay: AccessDecay,
    /// The center property holding its capacity (places, staff, floor area); centers
    /// without it count 1 (and are counted).
    pub capacity_field: String,
}

impl Default for AccessParams {
    fn default() -> Self {
        Self {
            decay: AccessDecay::None,
            capacity_field: "capacity".into(),
        }
    }
}

/// Each center's capacity from `field`, and how many lacked it (they count 1).
///
/// # Errors
/// [`Error::Feature`] (layer `centers`) naming the center whose capacity is not a
/// number ≥ 0.
pub fn center_capacities(centers: &[PointFeature], field: &str) -> Result<(Vec<f64>, usize)> {
    let mut missing = 0;
    let capacities = centers
        .iter()
        .map(|c| {
            let value = match c.properties.get(field) {
                None | Some(serde_json::Value::Null) => {
                    missing += 1;
                    return Ok(1.0);
                }
                // An empty CSV cell.
                Some(serde_json::Value::String(s)) if s.trim().is_empty() => {
                    missing += 1;
                    return Ok(1.0);
                }
                Some(serde_json::Value::Number(n)) => n.as_f64(),
                Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
                Some(_) => None,
            };
            match value {
                Some(v) if v.is_finite() && v >= 0.0 => Ok(v),
                _ => Err(Error::Feature {
                    layer: "centers".into(),
                    index: c.source_index,
                    reason: format!(
                        "center `{}`: `{field}` must be a number ≥ 0 (the center's capacity), got {}",
                        c.id,
                        c.properties.get(field).map_or(String::new(), ToString::to_string)
                    ),
                }),
            }
        })
        .collect::<Result<Vec<f64>>>()?;
    Ok((capacities, missing))
}

/// One reporting unit's accessibility.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitAccess {
    /// Unit id.
    pub id: String,
    /// Population-weighted mean score of its residents.
    pub mean_score: f64,
    /// Population-weighted mean number of centers within the threshold.
    pub mean_centers_within: f64,
}

/// The 2SFCA scores and cumulative counts of a coverage run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accessibility {
    /// `2sfca` or `e2sfca`.
    pub method: &'static str,
    /// What a score means: capacity per resident within the catchments.
    pub score_unit: String,
    /// The center property the capacities came from.
    pub capacity_field: String,
    /// Centers with a capacity of their own.
    pub centers_with_capacity: usize,
    /// Centers without one, counted as 1.
    pub centers_capacity_defaulted: usize,
    /// Sum of the capacities.
    pub total_capacity: f64,
    /// Population-weighted mean score over all residents.
    pub mean_score: f64,
    /// Population-weighted mean number of centers within the threshold.
    pub mean_centers_within: f64,
    /// Population with no center within the threshold (score 0).
    pub population_without_center: f64,
    /// Per reporting unit, in the units' order (empty without units).
    pub per_unit: Vec<UnitAccess>,
    /// Per resident: the score.
    #[serde(skip)]
    pub score: Vec<f64>,
    /// Per resident: centers within the threshold.
    #[serde(skip)]
    pub centers_within: Vec<u32>,
    /// Per center: capacity over the weighted population of its catchment (0 for an
    /// empty catchment).
    #[serde(skip)]
    pub center_ratio: Vec<f64>,
}

/// 2SFCA over the catchments `reach` (per center, the residents within the threshold
/// with their walk `cost`, in the unit of `threshold`; `None` for a center off the
/// network): step 1 gives each center its capacity over the (decay-weighted)
/// population it reaches, step 2 sums those ratios (decay-weighted) over the centers
/// each resident reaches.
///
/// Complexity: O(N) in the catchment entries, plus O(D log U) for the units.
pub fn two_step_fca(
    reach: &[Option<Vec<(u32, f64)>>],
    capacities: &[f64],
    demand: &[PointFeature],
    threshold: f64,
    decay: AccessDecay,
) -> (Vec<f64>, Vec<u32>, Vec<f64>) {
    let center_ratio: Vec<f64> = reach
        .iter()
        .zip(capacities)
        .map(|(list, &capacity)| {
            let weighted: f64 = list
                .iter()
                .flatten()
                .map(|&(r, cost)| demand[r as usize].population * decay.weight(cost, threshold))
                .sum();
            if weighted > 0.0 {
                capacity / weighted
            } else {
                0.0
            }
        })
        .collect();
    let mut score = vec![0.0; demand.len()];
    let mut count = vec![0u32; demand.len()];
    for (list, ratio) in reach.iter().zip(&center_ratio) {
        for &(r, cost) in list.iter().flatten() {
            score[r as usize] += ratio * decay.weight(cost, threshold);
            count[r as usize] += 1;
        }
    }
    (score, count, center_ratio)
}

/// The whole figure set: scores and counts per resident, their population-weighted
/// means overall and per unit (`membership`: each resident's units).
pub(crate) fn accessibility(
    reach: &[Option<Vec<(u32, f64)>>],
    capacities: (&[f64], usize),
    demand: &[PointFeature],
    units: (&[ReportingUnit], &[Vec<usize>]),
    threshold: f64,
    params: &AccessParams,
) -> Accessibility {
    let (capacity, defaulted) = capacities;
    let (score, centers_within, center_ratio) =
        two_step_fca(reach, capacity, demand, threshold, params.decay);
    let total_population: f64 = demand.iter().map(|d| d.population).sum();
    let mean = |values: &mut dyn Iterator<Item = (f64, f64)>| {
        let (sum, weight) = values.fold((0.0, 0.0), |(s, w), (v, p)| (s + v * p, w + p));
        if weight > 0.0 {
            sum / weight
        } else {
            0.0
        }
    };
    let all_score = mean(&mut score.iter().zip(demand).map(|(&s, d)| (s, d.population)));
    let all_count = mean(
        &mut centers_within
            .iter()
            .zip(demand)
            .map(|(&c, d)| (f64::from(c), d.population)),
    );
    let (unit_list, membership) = units;
    let mut sums = vec![(0.0, 0.0, 0.0); unit_list.len()];
    for (r, inside) in membership.iter().enumerate() {
        for &u in inside {
            let p = demand[r].population;
            sums[u].0 += score[r] * p;
            sums[u].1 += f64::from(centers_within[r]) * p;
            sums[u].2 += p;
        }
    }
    let per_unit = unit_list
        .iter()
        .zip(&sums)
        .map(|(u, &(s, c, p))| UnitAccess {
            id: u.id.clone(),
            mean_score: if p > 0.0 { s / p } else { 0.0 },
            mean_centers_within: if p > 0.0 { c / p } else { 0.0 },
        })
        .collect();
    let without: f64 = centers_within
        .iter()
        .zip(demand)
        .filter(|(&c, _)| c == 0)
        .map(|(_, d)| d.population)
        .sum::<f64>()
        + 0.0;
    Accessibility {
        method: params.decay.method(),
        score_unit: format!("`{}` per resident", params.capacity_field),
        capacity_field: params.capacity_field.clone(),
        centers_with_capacity: capacity.len() - defaulted,
        centers_capacity_defaulted: defaulted,
        total_capacity: capacity.iter().sum(),
        mean_score: all_score,
        mean_centers_within: all_count,
        population_without_center: without.min(total_population),
        per_unit,
        score,
        centers_within,
        center_ratio,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::point;

    #[test]
    fn two_steps_share_each_capacity_over_its_catchment() {
        // A (capacity 10) reaches r0 and r1 (10 people each); B (5) reaches r1 and r2
        // (40): A offers 10 / 20 = 0.5 per person, B 5 / 50 = 0.1.
        let demand = vec![
            point("r0", 0.0, 0.0, 10.0),
            point("r1", 0.0, 0.0, 10.0),
            point("r2", 0.0, 0.0, 40.0),
        ];
        let reach = vec![
            Some(vec![(0, 0.0), (1, 100.0)]),
            Some(vec![(1, 50.0), (2, 0.0)]),
            None,
        ];
        let (score, count, ratio) =
            two_step_fca(&reach, &[10.0, 5.0, 7.0], &demand, 800.0, AccessDecay::None);
        assert_eq!(ratio, [0.5, 0.1, 0.0]);
        assert_eq!(score, [0.5, 0.6, 0.1]);
        assert_eq!(count, [1, 2, 1]);
        // Without decay the population-weighted scores add up to the capacity reached.
        let shared: f64 = score
            .iter()
            .zip(&demand)
            .map(|(s, d)| s * d.population)
            .sum();
        assert!((shared - 15.0).abs() < 1e-12);
    }

    #[test]
    fn the_gaussian_decay_is_one_at_the_center_and_zero_at_the_threshold() {
        let w = |d| AccessDecay::Gaussian.weight(d, 800.0);
        assert_eq!(w(0.0), 1.0);
        assert!(w(800.0).abs() < 1e-12);
        let half = ((-0.125f64).exp() - (-0.5f64).exp()) / (1.0 - (-0.5f64).exp());
        assert!((w(400.0) - half).abs() < 1e-12 && (half - 0.70137).abs() < 1e-5);
        assert_eq!(AccessDecay::None.weight(799.0, 800.0), 1.0);
        // One center of capacity 1 and two residents of 1 at 0 and 400: weights 1 and
        // 0.70, ratio 1 / 1.70, scores weighted again.
        let demand = vec![point("a", 0.0, 0.0, 1.0), point("b", 0.0, 0.0, 1.0)];
        let reach = vec![Some(vec![(0, 0.0), (1, 400.0)])];
        let (score, _, ratio) = two_step_fca(&reach, &[1.0], &demand, 800.0, AccessDecay::Gaussian);
        assert!((ratio[0] - 1.0 / (1.0 + half)).abs() < 1e-12);
        assert!((score[1] - ratio[0] * half).abs() < 1e-12);
    }

    #[test]
    fn capacities_are_read_counted_when_missing_and_refused_when_bad() {
        let mut with = point("big", 0.0, 0.0, 1.0);
        with.properties
            .insert("capacity".into(), serde_json::json!(40));
        let mut text = point("text", 0.0, 0.0, 1.0);
        text.properties
            .insert("capacity".into(), serde_json::json!(" 12.5 "));
        let without = point("none", 0.0, 0.0, 1.0);
        let (capacities, missing) = center_capacities(&[with, text, without], "capacity").unwrap();
        assert_eq!((capacities, missing), (vec![40.0, 12.5, 1.0], 1));
        let mut bad = point("bad", 0.0, 0.0, 1.0);
        bad.properties
            .insert("capacity".into(), serde_json::json!("many"));
        match center_capacities(&[bad], "capacity") {
            Err(Error::Feature { reason, .. }) => {
                assert!(
                    reason.contains("center `bad`: `capacity` must be a number"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(AccessDecay::parse("3sfca").is_err());
        assert_eq!(AccessDecay::parse("E2SFCA").unwrap(), AccessDecay::Gaussian);
    }
}
