//! Walking profiles (adult, older person, wheelchair/stroller) and the directional
//! walking costs they give on a network, with or without slope.

use serde::Serialize;

use super::costs::{SegmentRates, WalkCosts};
use super::slope::tobler_factor;
use crate::network::{EdgeId, WalkNetwork};
use crate::{Error, Result};

/// Flat-ground walking speed of the older-person profile, km/h: 3.0 ft/s (0.91 m/s).
///
/// Source: Fitzpatrick, K. et al. (2006), *Improving Pedestrian Safety at Unsignalized
/// Crossings*, TCRP Report 112 / NCHRP Report 562, Transportation Research Board, which
/// recommends 3.0 ft/s as the design walking speed where older pedestrians are common
/// (15th-percentile speed of pedestrians over 65 measured at 3.08 ft/s); the US MUTCD
/// (2009, §4E.06) likewise asks for a speed below 3.5 ft/s where slower pedestrians
/// routinely cross.
pub const OLDER_SPEED_KMH: f64 = 3.3;

/// Steepest slope (rise over run) the wheelchair/stroller profile accepts: 1:12
/// (8.33 %), the maximum running slope of a ramp in the 2010 ADA Standards for
/// Accessible Design, §405.2.
pub const WHEELCHAIR_MAX_SLOPE: f64 = 1.0 / 12.0;

/// Names of the built-in profiles, in the order summaries list them.
pub const PROFILE_NAMES: [&str; 3] = ["adult", "older", "wheelchair"];

/// Who is walking: speed on flat ground and the barriers that stop them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkProfile {
    /// Profile name (`adult`, `older`, `wheelchair` or a custom one).
    pub name: String,
    /// Walking speed on flat ground, km/h.
    pub speed_kmh: f64,
    /// Edges tagged `highway=steps` are closed in both directions.
    pub avoid_steps: bool,
    /// Segments steeper than this (rise over run, either direction) are closed, when
    /// elevation is used.
    pub max_slope: Option<f64>,
}

impl WalkProfile {
    /// Adult: `speed_kmh` (default 4.8 km/h), no barriers.
    pub fn adult(speed_kmh: f64) -> Self {
        Self {
            name: "adult".into(),
            speed_kmh,
            avoid_steps: false,
            max_slope: None,
        }
    }

    /// Older person: [`OLDER_SPEED_KMH`], no barriers.
    pub fn older() -> Self {
        Self {
            name: "older".into(),
            speed_kmh: OLDER_SPEED_KMH,
            avoid_steps: false,
            max_slope: None,
        }
    }

    /// Wheelchair or stroller: the adult speed (so differences from the adult profile
    /// come from barriers alone), no steps, no slope steeper than
    /// [`WHEELCHAIR_MAX_SLOPE`].
    pub fn wheelchair(speed_kmh: f64) -> Self {
        Self {
            name: "wheelchair".into(),
            speed_kmh,
            avoid_steps: true,
            max_slope: Some(WHEELCHAIR_MAX_SLOPE),
        }
    }

    /// A built-in profile by name (`adult`, `older`, `wheelchair`; `elderly` and
    /// `stroller` are accepted as aliases), with `adult_speed_kmh` as the adult speed.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown name.
    ///
    /// ```
    /// let p = lifecircle::routing::WalkProfile::by_name("older", 4.8).unwrap();
    /// assert_eq!(p.speed_kmh, 3.3);
    /// assert!(lifecircle::routing::WalkProfile::by_name("runner", 4.8).is_err());
    /// ```
    pub fn by_name(name: &str, adult_speed_kmh: f64) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "adult" => Ok(Self::adult(adult_speed_kmh)),
            "older" | "elderly" | "older_person" => Ok(Self::older()),
            "wheelchair" | "stroller" | "wheelchair_stroller" => {
                Ok(Self::wheelchair(adult_speed_kmh))
            }
            _ => Err(Error::InvalidParameter {
                name: "profile".into(),
                reason: format!(
                    "unknown walking profile `{name}`; expected one of {}",
                    PROFILE_NAMES.join(", ")
                ),
            }),
        }
    }

    /// The built-in profiles in [`PROFILE_NAMES`] order.
    pub fn builtin(adult_speed_kmh: f64) -> Vec<Self> {
        vec![
            Self::adult(adult_speed_kmh),
            Self::older(),
            Self::wheelchair(adult_speed_kmh),
        ]
    }
}

/// Directional walking costs of `network` for `profile`, in flat-equivalent metres at
/// the profile speed.
///
/// The road tags these costs depend on were read when the network was built from its
/// lines, so the lines need not be kept. Steps (`highway=steps`) are closed when the
/// profile avoids them. With `use_slope` and elevation on the network, each geometry
/// segment of length `L` and height change `Δz` in the walking direction costs
/// `L · tobler_factor(Δz / L)` ([`crate::routing::tobler_factor`]); a segment with an unknown
/// height at either end counts as flat; lines tagged `bridge` or `tunnel` take one even
/// grade between their edge's end heights (a DEM gives the ground, not the deck); and
/// segments steeper than the profile's `max_slope` are closed both ways. Without
/// `use_slope` every edge costs its length (or is closed).
///
/// Complexity: O(V) for V geometry vertices.
///
/// ```
/// use lifecircle::features::RoadLine;
/// use lifecircle::network::{NetworkParams, WalkNetwork, EdgeId};
/// use lifecircle::routing::{profile_costs, WalkProfile};
/// // 100 m climbing 10 m (10 %) from west to east.
/// let line = RoadLine { coords: vec![[0.0, 0.0], [0.000899322, 0.0]],
///     elevations_m: Some(vec![0.0, 10.0]), osm_node_ids: None, tags: Default::default(),
///     source_index: 0 };
/// let roads = [line];
/// let network = WalkNetwork::from_roads(&roads, &NetworkParams { min_component_nodes: 1 }).unwrap();
/// let costs = profile_costs(&network, &WalkProfile::adult(4.8), true);
/// let up = costs.forward_m(EdgeId(0)) / network.edge_length_m(EdgeId(0));
/// assert!((up - 0.35f64.exp()).abs() < 1e-3);       // 1.419: uphill is slower
/// assert!((costs.backward_m(EdgeId(0)) / network.edge_length_m(EdgeId(0)) - 1.0).abs() < 1e-3);
/// ```
pub fn profile_costs(network: &WalkNetwork, profile: &WalkProfile, use_slope: bool) -> WalkCosts {
    profile_costs_by(network, profile, use_slope, Measure::Time)
}

/// What a walk's cost measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Walking time (as flat-equivalent metres): slope makes a metre cost more or less.
    Time,
    /// Length along the network: every open metre costs one, heights only close what
    /// the profile cannot walk (steeper than its `max_slope`). The measure of a
    /// distance threshold ([`crate::coverage::Threshold::Metres`]).
    Distance,
}

/// [`profile_costs`] measuring `measure`: with [`Measure::Distance`] a walk's cost is
/// its length, and slope only closes segments too steep for the profile.
///
/// ```
/// use lifecircle::features::RoadLine;
/// use lifecircle::network::{NetworkParams, WalkNetwork, EdgeId};
/// use lifecircle::routing::{profile_costs_by, Measure, WalkProfile};
/// // 100 m climbing 10 m: slower to walk, but still 100 m long; too steep for a wheelchair.
/// let line = RoadLine { coords: vec![[0.0, 0.0], [0.000899322, 0.0]],
///     elevations_m: Some(vec![0.0, 10.0]), osm_node_ids: None, tags: Default::default(),
///     source_index: 0 };
/// let roads = [line];
/// let network = WalkNetwork::from_roads(&roads, &NetworkParams { min_component_nodes: 1 }).unwrap();
/// let adult = profile_costs_by(&network, &WalkProfile::adult(4.8), true, Measure::Distance);
/// assert_eq!(adult.forward_m(EdgeId(0)), network.edge_length_m(EdgeId(0)));
/// let chair = profile_costs_by(&network, &WalkProfile::wheelchair(4.8), true, Measure::Distance);
/// assert!(chair.forward_m(EdgeId(0)).is_infinite());
/// ```
pub fn profile_costs_by(
    network: &WalkNetwork,
    profile: &WalkProfile,
    use_slope: bool,
    measure: Measure,
) -> WalkCosts {
    let rate = |s: f64| match measure {
        Measure::Time => tobler_factor(s),
        Measure::Distance => 1.0,
    };
    let elevation = network.vertex_elevations_m().filter(|_| use_slope);
    let vertex_count = network.vertex_slots();
    let mut seg_forward = vec![1.0; vertex_count];
    let mut seg_backward = vec![1.0; vertex_count];
    let mut forward_m = Vec::with_capacity(network.edge_count());
    let mut backward_m = Vec::with_capacity(network.edge_count());
    for e in 0..network.edge_count() {
        let edge = EdgeId(e as u32);
        let traits = network.edge_traits(edge);
        let length = network.edge_length_m(edge);
        let range = network.edge_vertex_range(edge);
        let shape = network.edge_shape(edge);
        let closed = profile.avoid_steps && traits.is_steps();
        let even_grade = traits.takes_even_grade();
        let (mut fwd, mut bwd) = (0.0, 0.0);
        for i in 0..shape.vertex_count() - 1 {
            let v = range.start + i;
            let seg_len = shape.offset_m(i + 1) - shape.offset_m(i);
            let (rate_f, rate_b) = if closed {
                (f64::INFINITY, f64::INFINITY)
            } else if let Some(z) = elevation {
                let (dz, run) = if even_grade {
                    (z[range.end - 1] - z[range.start], length)
                } else {
                    (z[v + 1] - z[v], seg_len)
                };
                if dz.is_finite() && run > 0.0 {
                    let s = dz / run;
                    if profile.max_slope.is_some_and(|m| s.abs() > m) {
                        (f64::INFINITY, f64::INFINITY)
                    } else {
                        (rate(s), rate(-s))
                    }
                } else {
                    (1.0, 1.0)
                }
            } else {
                (1.0, 1.0)
            };
            seg_forward[v] = rate_f;
            seg_backward[v] = rate_b;
            if seg_len > 0.0 {
                fwd += seg_len * rate_f;
                bwd += seg_len * rate_b;
            }
        }
        if closed {
            (fwd, bwd) = (f64::INFINITY, f64::INFINITY);
        }
        forward_m.push(fwd);
        backward_m.push(bwd);
    }
    let mut costs = WalkCosts::from_edge_costs(network, forward_m, backward_m)
        .with_speed_kmh(profile.speed_kmh);
    if elevation.is_some() {
        costs.segment_rates = Some(SegmentRates {
            forward: seg_forward,
            backward: seg_backward,
        });
    }
    costs
}

/// How many edges `profile` closes on `network`: `(steps, too_steep)`.
pub fn closed_edges(
    network: &WalkNetwork,
    profile: &WalkProfile,
    costs: &WalkCosts,
) -> (usize, usize) {
    let (mut steps, mut steep) = (0, 0);
    for e in 0..network.edge_count() {
        let edge = EdgeId(e as u32);
        let is_steps = network.edge_traits(edge).is_steps();
        if profile.avoid_steps && is_steps {
            steps += 1;
        } else if costs.forward_m(edge).is_infinite() {
            steep += 1;
        }
    }
    (steps, steep)
}
