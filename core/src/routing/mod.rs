//! Routing stage: walking costs per edge and bounded multi-source shortest paths.

mod costs;
mod multi_source;

pub use costs::WalkCosts;
pub use multi_source::{MultiSourceSearch, Seed};
