//! # lifecircle
//!
//! Walking-distance coverage of service centers over real footpath networks: who lives
//! within a walk (10 minutes by default) of a center, where the gaps are, what a new site
//! would add, and where new centers should go.
//!
//! One [`Study`] is the front door: give it the layers (roads, centers, residents,
//! optionally reporting units) and the [`StudyParams`], and ask it for the summary,
//! gaps, network reach, service areas, tiers, profiles, what-ifs and plans. The stages
//! it runs are public modules, in data-flow order:
//!
//! | module | what happens there |
//! |---|---|
//! | [`input`] | bytes of GeoJSON, CSV, OSM PBF (gzip or not) → [`features`] |
//! | [`network`] | road lines → the walk graph, components, spatial index, snapping |
//! | [`routing`] | walking costs per profile (and slope); multi-source searches |
//! | [`coverage`] | per-resident walks, summaries, gaps, reach, service areas, tiers |
//! | [`planning`] | what-ifs, candidate ranking, site optimization |
//! | [`output`] | GeoJSON layers and the Markdown report |
//! | [`study`] | the front door over all of them, and the reports of a run |
//!
//! The crate is pure: no files, no network, no clock. Callers hand it bytes and get
//! values (or bytes written into a writer they chose) back.
//!
//! ```
//! use lifecircle::features::{PointFeature, RoadLine};
//! use lifecircle::{Layer, Layers, Study, StudyParams};
//!
//! // A 3 × 3 street grid, 111 m between streets, near (0°, 0°).
//! let step = 0.001;
//! let mut roads = Vec::new();
//! for i in 0..3 {
//!     let at = i as f64 * step;
//!     roads.push(RoadLine::new(vec![[0.0, at], [step, at], [2.0 * step, at]]));
//!     roads.push(RoadLine::new(vec![[at, 0.0], [at, step], [at, 2.0 * step]]));
//! }
//! let centers = vec![PointFeature::new("center", 0.0, 0.0)];
//! let demand = vec![
//!     PointFeature::new("near", step, step).with_population(10.0),   // 222 m: 2.8 min
//!     PointFeature::new("far", 2.0 * step, 2.0 * step).with_population(5.0), // 445 m
//! ];
//! let layers = Layers {
//!     roads: Layer::new(roads.into(), "streets"),
//!     centers: Layer::new(centers.into(), "centers"),
//!     demand: Layer::new(demand.into(), "residents"),
//!     units: None,
//! };
//! let mut params = StudyParams::default();
//! params.coverage.threshold_min = 5.0; // 400 m at 4.8 km/h
//! params.network.min_component_nodes = 1;
//! let study = Study::new(layers, params).unwrap();
//!
//! let summary = study.summary();
//! assert_eq!(summary.covered_population, 10.0);
//! assert_eq!(summary.total_population, 15.0);
//! // The uncovered resident forms one gap…
//! assert_eq!(study.gaps().len(), 1);
//! // …that a center at the far corner closes.
//! let mut scratch = study.scratch();
//! let change = study.what_if_add(&mut scratch, [2.0 * step, 2.0 * step]).unwrap();
//! assert_eq!(change.covered_population_after, 15.0);
//! ```
//!
//! ## `unsafe`
//!
//! The crate has one `unsafe` block: on x86_64 the walking searches issue prefetch
//! hints (`_mm_prefetch`) for the nodes they settle next, which read no memory and
//! cannot fault. It took 20–30 % off whole-network searches on large networks
//! (`benches/README.md`); everything else is safe Rust.
#![deny(missing_docs)]
// `unsafe` is denied everywhere but in the one module a benchmark proved it in
// (prefetch hints of the walking searches, `routing/prefetch.rs`).
#![deny(unsafe_code)]

pub mod coverage;
pub mod crs;
mod error;
pub mod features;
pub mod geodesy;
pub mod input;
pub mod network;
pub mod output;
mod parallel;
pub mod planning;
pub mod routing;
pub mod study;
#[cfg(test)]
mod test_support;

pub use coverage::CoverageParams;
pub use error::{Error, Result};
pub use features::{CenterId, PointFeature, RoadLine};
pub use input::{read_points, read_roads, read_units, ReadOptions};
pub use planning::PlanParams;
pub use study::{Layer, Layers, Study, StudyParams};
