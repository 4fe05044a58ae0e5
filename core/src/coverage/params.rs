//! Coverage parameters with their named defaults (`docs/coverage-contract.md`).

use serde::Serialize;

use crate::{Error, Result};

/// Default walking threshold: the 10-minute service circle.
pub const DEFAULT_THRESHOLD_MIN: f64 = 10.0;
/// Default adult walking speed, km/h (80 m/min).
pub const DEFAULT_SPEED_KMH: f64 = 4.8;
/// Default farthest straight-line access to the network, metres.
pub const DEFAULT_MAX_SNAP_M: f64 = 300.0;
/// Default smallest component points may snap to, in nodes.
pub const DEFAULT_MIN_COMPONENT_NODES: usize = 20;
/// Default distance under which uncovered residents join the same gap area, metres.
pub const DEFAULT_GAP_LINK_M: f64 = 150.0;

/// Longest walking threshold accepted, minutes: three hours (14.4 km at the adult
/// speed), well past any walking life circle. Above it a run's service areas and
/// network reach would grow toward every center reaching the whole network, minutes of
/// work that answer nothing a walking study asks.
pub const MAX_THRESHOLD_MIN: f64 = 180.0;

/// Longest walking distance accepted as a threshold, metres: the longest walk in time
/// ([`MAX_THRESHOLD_MIN`]) at the default adult speed.
pub const MAX_THRESHOLD_M: f64 = MAX_THRESHOLD_MIN * DEFAULT_SPEED_KMH * 1000.0 / 60.0;

/// What "within reach" means: a walking time, or a walking distance along the network
/// (GB 50180-2018 defines its life circles by distances: 300, 500, 800–1,000 m).
///
/// A time threshold becomes a cost at the walker's speed (slope slows or speeds the
/// walk); a distance threshold is the cost itself, since on flat ground a walk's cost is
/// its length. Slope changes times, not distances: a study with slope measures
/// distance rules with lengths, heights then only closing what its profile cannot
/// walk ([`crate::routing::Measure`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// A walk of at most this many minutes.
    Minutes(f64),
    /// A walk of at most this many metres along the network.
    Metres(f64),
}

impl Threshold {
    /// The threshold as a flat-equivalent walking cost, metres, for a walker of
    /// `metres_per_min` on flat ground.
    pub fn cost_m(self, metres_per_min: f64) -> f64 {
        match self {
            Threshold::Minutes(min) => min * metres_per_min,
            Threshold::Metres(m) => m,
        }
    }

    /// The threshold in minutes of walking at `metres_per_min` on flat ground (a
    /// distance as the time it takes): what walk-time figures are compared with.
    pub fn minutes_at(self, metres_per_min: f64) -> f64 {
        match self {
            Threshold::Minutes(min) => min,
            Threshold::Metres(m) => m / metres_per_min,
        }
    }

    /// The number without its unit (minutes or metres).
    pub fn value(self) -> f64 {
        match self {
            Threshold::Minutes(v) | Threshold::Metres(v) => v,
        }
    }

    /// Whether the threshold is a walking distance.
    pub fn is_distance(self) -> bool {
        matches!(self, Threshold::Metres(_))
    }

    /// The rule in words, as reports name it: `walking time` or `walking distance`.
    pub fn rule(self) -> &'static str {
        match self {
            Threshold::Minutes(_) => "walking time",
            Threshold::Metres(_) => "walking distance",
        }
    }

    /// The threshold with its unit: `10 min`, `500 m`.
    ///
    /// ```
    /// use lifecircle::coverage::Threshold;
    /// assert_eq!(Threshold::Minutes(10.0).label(), "10 min");
    /// assert_eq!(Threshold::Metres(500.0).label(), "500 m");
    /// assert_eq!(Threshold::Minutes(7.5).label(), "7.5 min");
    /// ```
    pub fn label(self) -> String {
        match self {
            Threshold::Minutes(min) => format!("{min} min"),
            Threshold::Metres(m) => format!("{m} m"),
        }
    }

    /// The threshold as a column key, without spaces: `10min`, `500m`.
    pub fn key(self) -> String {
        match self {
            Threshold::Minutes(min) => format!("{min}min"),
            Threshold::Metres(m) => format!("{m}m"),
        }
    }

    /// Checks the value is positive and within the longest walk accepted; `what` names
    /// it in the error (`threshold_min`, `threshold_m of tier `t``).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `what`.
    pub fn validate(self, what: &str) -> Result<()> {
        let (v, unit, max) = match self {
            Threshold::Minutes(v) => (v, "minutes", MAX_THRESHOLD_MIN),
            Threshold::Metres(v) => (v, "metres", MAX_THRESHOLD_M),
        };
        if !(v.is_finite() && v > 0.0) {
            return Err(Error::InvalidParameter {
                name: what.into(),
                reason: format!("must be a positive number of {unit}, got {v}"),
            });
        }
        if v > max {
            return Err(Error::InvalidParameter {
                name: what.into(),
                reason: format!("{v} {unit} is more than the longest walk accepted ({max} {unit})"),
            });
        }
        Ok(())
    }
}

/// Longest snapping distance accepted, metres (beyond it a "walk" is mostly a straight
/// line through whatever lies between a point and the network).
pub const MAX_SNAP_LIMIT_M: f64 = 10_000.0;

/// How uncovered residents are grouped into gaps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapMode {
    /// Pieces one new center could close ([`crate::coverage::find_gap_pieces`]): every
    /// resident of a piece is within the threshold of its site.
    #[default]
    Pieces,
    /// Linked areas: residents within `gap_link_m` of one another, chained (single
    /// linkage; [`crate::coverage::find_gaps`]).
    Linked,
}

impl GapMode {
    /// The mode by name: `pieces` or `linked`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for another name.
    pub fn by_name(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "pieces" => Ok(GapMode::Pieces),
            "linked" => Ok(GapMode::Linked),
            _ => Err(Error::InvalidParameter {
                name: "gaps".into(),
                reason: format!("unknown gap mode `{name}`; expected pieces or linked"),
            }),
        }
    }
}

/// Parameters of a coverage computation. The walking speed is not among them: it comes
/// with the costs ([`crate::routing::WalkCosts::speed_kmh`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageParams {
    /// A resident is covered when the walk takes at most this many minutes (unless
    /// `threshold_m` is given).
    pub threshold_min: f64,
    /// When given, a resident is covered when the walk is at most this many metres along
    /// the network, and `threshold_min` is not used ([`Threshold::Metres`]).
    pub threshold_m: Option<f64>,
    /// Points farther than this from the network (straight line) are unreachable.
    pub max_snap_m: f64,
    /// Uncovered residents closer than this (straight line) share a gap area.
    pub gap_link_m: f64,
    /// Gaps as pieces one new center could close, or as whole linked areas.
    pub gap_mode: GapMode,
}

impl Default for CoverageParams {
    fn default() -> Self {
        Self {
            threshold_min: DEFAULT_THRESHOLD_MIN,
            threshold_m: None,
            max_snap_m: DEFAULT_MAX_SNAP_M,
            gap_link_m: DEFAULT_GAP_LINK_M,
            gap_mode: GapMode::Pieces,
        }
    }
}

impl CoverageParams {
    /// The threshold these parameters ask for: `threshold_m` when given, else
    /// `threshold_min`.
    pub fn threshold(&self) -> Threshold {
        match self.threshold_m {
            Some(m) => Threshold::Metres(m),
            None => Threshold::Minutes(self.threshold_min),
        }
    }

    /// These parameters with `threshold` as their threshold.
    pub fn with_threshold(&self, threshold: Threshold) -> Self {
        let mut p = self.clone();
        match threshold {
            Threshold::Minutes(min) => {
                p.threshold_min = min;
                p.threshold_m = None;
            }
            Threshold::Metres(m) => p.threshold_m = Some(m),
        }
        p
    }

    /// The threshold as a flat-equivalent walking cost in metres, for a walker of
    /// `metres_per_min` on flat ground ([`crate::routing::WalkCosts::metres_per_min`]).
    pub fn threshold_cost_m(&self, metres_per_min: f64) -> f64 {
        self.threshold().cost_m(metres_per_min)
    }

    /// The threshold in minutes at `metres_per_min` ([`Threshold::minutes_at`]).
    pub fn threshold_min_at(&self, metres_per_min: f64) -> f64 {
        self.threshold().minutes_at(metres_per_min)
    }

    /// Checks every parameter is in range.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the first parameter out of range.
    pub fn validate(&self) -> Result<()> {
        let positive = |name: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(Error::InvalidParameter {
                    name: name.into(),
                    reason: format!("must be a positive number, got {v}"),
                })
            }
        };
        match self.threshold_m {
            Some(m) => Threshold::Metres(m).validate("threshold_m")?,
            None => Threshold::Minutes(self.threshold_min).validate("threshold_min")?,
        }
        if !(self.max_snap_m.is_finite() && self.max_snap_m >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "max_snap_m".into(),
                reason: format!("must be zero or a positive number, got {}", self.max_snap_m),
            });
        }
        if self.max_snap_m > MAX_SNAP_LIMIT_M {
            return Err(Error::InvalidParameter {
                name: "max_snap_m".into(),
                reason: format!(
                    "{} m is more than the farthest snap accepted ({MAX_SNAP_LIMIT_M} m)",
                    self.max_snap_m
                ),
            });
        }
        positive("gap_link_m", self.gap_link_m)?;
        Ok(())
    }
}
