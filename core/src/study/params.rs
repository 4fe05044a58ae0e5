//! What a study is asked: the coverage and network parameters, who walks (profile,
//! speed, slope), tiers and services, and the coordinate systems of inputs and outputs.

use serde::Serialize;

use crate::coverage::{AccessParams, CoverageParams, ServiceConfig, Threshold, DEFAULT_SPEED_KMH};
use crate::crs::Crs;
use crate::input::Dem;
use crate::network::NetworkParams;
use crate::routing::{Measure, WalkProfile};
use crate::{Error, Result};

/// Fastest flat-ground speed accepted, km/h: a brisk run. Studies are of walking; the
/// bound also keeps the farthest reach of a run (threshold × speed) bounded.
pub const MAX_WALKING_SPEED_KMH: f64 = 20.0;

/// Coordinate system of each input layer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InputCrs {
    /// Of the roads.
    pub roads: Crs,
    /// Of the centers.
    pub centers: Crs,
    /// Of the residents.
    pub demand: Crs,
    /// Of the reporting units.
    pub units: Crs,
}

impl InputCrs {
    /// Every layer in `crs`.
    pub fn all(crs: Crs) -> Self {
        Self {
            roads: crs,
            centers: crs,
            demand: crs,
            units: crs,
        }
    }
}

/// Tiers and services with the name of where they came from (a file, `preset:…`).
#[derive(Debug, Clone)]
pub struct ServicesSource {
    /// The catalogue.
    pub config: ServiceConfig,
    /// Its file name or preset name, as reported.
    pub source: String,
}

/// Elevation tiles sampled onto the road vertices before the network is built.
#[derive(Debug, Clone)]
pub struct Elevation {
    /// The tiles.
    pub dem: Dem,
    /// Their file names, as reported.
    pub tiles: Vec<String>,
}

/// Everything a [`crate::Study`] is asked besides its layers.
#[derive(Debug, Clone)]
pub struct StudyParams {
    /// Threshold, snapping distance and gap linkage.
    pub coverage: CoverageParams,
    /// More thresholds answered beside the study's own, from the same walks (the 5-,
    /// 10- and 15-minute circles side by side): each gets its coverage, per-unit
    /// figures, network reach and service areas ([`crate::Study::bands`]). Of the
    /// study's kind (all times or all distances); empty for one threshold.
    pub bands: Vec<Threshold>,
    /// Smallest component points may snap to.
    pub network: NetworkParams,
    /// Adult walking speed on flat ground, km/h (the older-person profile has its own).
    pub speed_kmh: f64,
    /// Walking profile of the main results: `adult`, `older` or `wheelchair`.
    pub profile: String,
    /// Slope-aware walking times (Tobler) from the roads' heights.
    pub slope: bool,
    /// Heights sampled from elevation tiles (implies slope).
    pub elevation: Option<Elevation>,
    /// Tiers and services, for complete-coverage figures.
    pub services: Option<ServicesSource>,
    /// Coordinate system of each input; everything is converted to WGS84 on the way in.
    pub input_crs: InputCrs,
    /// Coordinate system of the written outputs.
    pub output_crs: Crs,
    /// Accessibility beyond covered / not covered: 2SFCA scores with center capacities
    /// and the number of centers within the threshold ([`crate::Study::accessibility`]);
    /// `None`: not computed.
    pub access: Option<AccessParams>,
}

impl Default for StudyParams {
    fn default() -> Self {
        Self {
            coverage: CoverageParams::default(),
            bands: Vec::new(),
            network: NetworkParams::default(),
            speed_kmh: DEFAULT_SPEED_KMH,
            profile: "adult".into(),
            slope: false,
            elevation: None,
            services: None,
            input_crs: InputCrs::default(),
            output_crs: Crs::Wgs84,
            access: None,
        }
    }
}

impl StudyParams {
    /// Checks every parameter is in range and the profile is known.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the first parameter out of range.
    pub fn validate(&self) -> Result<()> {
        self.coverage.validate()?;
        if !(self.speed_kmh.is_finite() && self.speed_kmh > 0.0) {
            return Err(Error::InvalidParameter {
                name: "speed_kmh".into(),
                reason: format!("must be a positive number, got {}", self.speed_kmh),
            });
        }
        if self.speed_kmh > MAX_WALKING_SPEED_KMH {
            return Err(Error::InvalidParameter {
                name: "speed_kmh".into(),
                reason: format!(
                    "{} km/h is faster than walking (at most {MAX_WALKING_SPEED_KMH} km/h)",
                    self.speed_kmh
                ),
            });
        }
        self.walk_profile()?;
        self.check_measures()?;
        self.check_bands()?;
        Ok(())
    }

    /// Bands are thresholds in range and of the study's kind: one run measures times or
    /// distances, and its outputs name the bands in one unit.
    fn check_bands(&self) -> Result<()> {
        let main = self.coverage.threshold();
        for band in &self.bands {
            band.validate("bands")?;
            if band.is_distance() != main.is_distance() {
                return Err(Error::InvalidParameter {
                    name: "bands".into(),
                    reason: format!(
                        "band {} is {} but the study's threshold ({}) is {}: give every \
                         band in the same unit",
                        band.label(),
                        band.rule(),
                        main.label(),
                        main.rule()
                    ),
                });
            }
        }
        Ok(())
    }

    /// What the study's walk costs measure: length along the network when its threshold
    /// is a walking distance, time otherwise ([`Measure`]).
    pub fn measure(&self) -> Measure {
        if self.coverage.threshold().is_distance() {
            Measure::Distance
        } else {
            Measure::Time
        }
    }

    /// With slope, times and distances need different costs, and a study has one: every
    /// threshold of the catalogue must then be of the study's kind. (On flat ground a
    /// walk's cost is its length, so minutes and metres mix exactly.)
    fn check_measures(&self) -> Result<()> {
        if !self.uses_slope() {
            return Ok(());
        }
        let main = self.coverage.threshold();
        let Some(services) = &self.services else {
            return Ok(());
        };
        let other = services
            .config
            .thresholds()
            .into_iter()
            .find(|(_, t)| t.is_distance() != main.is_distance());
        if let Some((what, t)) = other {
            let (asked, wanted) = if main.is_distance() {
                ("a walking distance", "threshold_m")
            } else {
                ("a walking time", "threshold_min")
            };
            return Err(Error::InvalidParameter {
                name: "threshold".into(),
                reason: format!(
                    "with slope the study's threshold ({}) is {asked}, but {what} of {} has \
                     {}; slope changes walking times, not distances, so one study \
                     cannot measure both: give the catalogue's thresholds as {wanted}, or \
                     the study's threshold as {}",
                    main.label(),
                    services.source,
                    t.label(),
                    if main.is_distance() {
                        "minutes"
                    } else {
                        "metres"
                    }
                ),
            });
        }
        Ok(())
    }

    /// The main walking profile at the study's adult speed.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown profile name.
    pub fn walk_profile(&self) -> Result<WalkProfile> {
        WalkProfile::by_name(&self.profile, self.speed_kmh)
    }

    /// The longest walk, in metres along the network, that stays within the threshold:
    /// a distance threshold itself, or a time threshold times the main profile's flat
    /// speed divided by the cheapest rate a metre can cost (Tobler's downhill optimum,
    /// at a 5 % descent, when slope is used; 1 otherwise). Nothing farther from a resident can change its covered flag or its
    /// walk within the threshold: the halo of a distributed run.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an unknown profile name.
    pub fn max_walk_reach_m(&self) -> Result<f64> {
        let speed_m_per_min = self.walk_profile()?.speed_kmh * 1000.0 / 60.0;
        let cheapest_rate = if self.uses_slope() && self.measure() == Measure::Time {
            crate::routing::tobler_factor(-0.05)
        } else {
            1.0
        };
        Ok(self.coverage.threshold_cost_m(speed_m_per_min) / cheapest_rate)
    }

    /// Whether walking times follow the slope (asked for, or heights from tiles).
    pub fn uses_slope(&self) -> bool {
        self.slope || self.elevation.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reach_is_the_fastest_walk_within_the_threshold() {
        let mut params = StudyParams::default();
        assert!((params.max_walk_reach_m().unwrap() - 800.0).abs() < 1e-9);
        params.slope = true;
        // Tobler's optimum, 6 km/h against 5.04 on the flat: a fifth farther.
        let reach = params.max_walk_reach_m().unwrap();
        assert!((reach - 800.0 / (-0.175f64).exp()).abs() < 1e-9);
        assert!(reach > 950.0 && reach < 955.0);
        params.profile = "older".into();
        params.slope = false;
        assert!((params.max_walk_reach_m().unwrap() - 10.0 * 3300.0 / 60.0).abs() < 1e-9);
    }
}
