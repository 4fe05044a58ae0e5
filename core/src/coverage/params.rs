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

/// Longest snapping distance accepted, metres (beyond it a "walk" is mostly a straight
/// line through whatever lies between a point and the network).
pub const MAX_SNAP_LIMIT_M: f64 = 10_000.0;

/// Parameters of a coverage computation. The walking speed is not among them: it comes
/// with the costs ([`crate::routing::WalkCosts::speed_kmh`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageParams {
    /// A resident is covered when the walk takes at most this many minutes.
    pub threshold_min: f64,
    /// Points farther than this from the network (straight line) are unreachable.
    pub max_snap_m: f64,
    /// Uncovered residents closer than this (straight line) share a gap area.
    pub gap_link_m: f64,
}

impl Default for CoverageParams {
    fn default() -> Self {
        Self {
            threshold_min: DEFAULT_THRESHOLD_MIN,
            max_snap_m: DEFAULT_MAX_SNAP_M,
            gap_link_m: DEFAULT_GAP_LINK_M,
        }
    }
}

impl CoverageParams {
    /// The threshold as a flat-equivalent walking cost in metres, for a walker of
    /// `metres_per_min` on flat ground ([`crate::routing::WalkCosts::metres_per_min`]).
    pub fn threshold_cost_m(&self, metres_per_min: f64) -> f64 {
        self.threshold_min * metres_per_min
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
        positive("threshold_min", self.threshold_min)?;
        if self.threshold_min > MAX_THRESHOLD_MIN {
            return Err(Error::InvalidParameter {
                name: "threshold_min".into(),
                reason: format!(
                    "{} minutes is more than the longest walk accepted ({MAX_THRESHOLD_MIN} \
                     minutes)",
                    self.threshold_min
                ),
            });
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
