//! # lifecircle-wasm
//!
//! The `lifecircle` engine as a browser package: a [`CoverageModel`] class that loads
//! roads, centers and residents from file bytes, computes coverage with its GeoJSON
//! layers, answers what-if questions incrementally and plans new sites. A thin adapter:
//! every figure comes from the core, every error is a JS `Error` with the core's message.
//! The API contract is in `wasm/API.md`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod bindings;
pub mod session;
mod view;

pub use bindings::{version, CoverageModel};
