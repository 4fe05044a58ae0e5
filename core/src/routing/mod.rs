//! Routing stage: walking costs per edge and bounded multi-source shortest paths.

mod costs;
mod multi_source;
mod radix_heap;

pub use costs::WalkCosts;
pub use multi_source::{MultiSourceSearch, Seed};
