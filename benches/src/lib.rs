//! Shared helpers for the lifecircle benchmarks: seeded synthetic cities and points, and
//! the hand-written segment index core replaced (for the segment index A/B).
//!
//! Everything here is deterministic: the same parameters and seed give byte-identical
//! output, so benchmark inputs can be regenerated instead of stored.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod hand_written_index;
pub mod peer_case;
mod synthetic;

pub use synthetic::{
    build_city, generate_city, generate_points, graph_size, GraphSize, LocalProjection, LonLatBox,
    PointKind, River, RiverAxis, SyntheticCity, SyntheticCityParams,
};
