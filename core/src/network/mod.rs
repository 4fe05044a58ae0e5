//! Network stage: the walk graph, its components, spatial index and snapping.

mod build;
mod components;
mod graph;
mod partial;
mod segment_index;
mod snap;

pub use build::NetworkParams;
pub use graph::{EdgeId, NetworkStats, NodeId, WalkNetwork};
pub use partial::doubtful_snaps;
pub use snap::Snap;
