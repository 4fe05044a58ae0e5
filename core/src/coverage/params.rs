//! Coverage parameters with their named defaults (design §3).

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

/// Parameters of a coverage computation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageParams {
    /// A resident is covered when the walk takes at most this many minutes.
    pub threshold_min: f64,
    /// Walking speed on flat ground, km/h.
    pub speed_kmh: f64,
    /// Points farther than this from the network (straight line) are unreachable.
    pub max_snap_m: f64,
    /// Uncovered residents closer than this (straight line) share a gap area.
    pub gap_link_m: f64,
}

impl Default for CoverageParams {
    fn default() -> Self {
        Self {
            threshold_min: DEFAULT_THRESHOLD_MIN,
            speed_kmh: DEFAULT_SPEED_KMH,
            max_snap_m: DEFAULT_MAX_SNAP_M,
            gap_link_m: DEFAULT_GAP_LINK_M,
        }
    }
}

impl CoverageParams {
    /// Walking speed in metres per minute.
    pub fn metres_per_min(&self) -> f64 {
        self.speed_kmh * 1000.0 / 60.0
    }

    /// The threshold as a flat-equivalent walking cost in metres.
    pub fn threshold_cost_m(&self) -> f64 {
        self.threshold_min * self.metres_per_min()
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
        positive("speed_kmh", self.speed_kmh)?;
        if !(self.max_snap_m.is_finite() && self.max_snap_m >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "max_snap_m".into(),
                reason: format!("must be zero or a positive number, got {}", self.max_snap_m),
            });
        }
        positive("gap_link_m", self.gap_link_m)?;
        Ok(())
    }
}
