//! The one error type of the engine.

use thiserror::Error;

/// Everything that can go wrong while reading input or computing coverage.
///
/// Each variant names *where* the problem is: the layer (a file name or a label the caller
/// chose, such as `"roads"`), the feature index inside it when there is one, and the reason.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be parsed at all (malformed JSON, corrupt PBF, bad CSV header).
    #[error("{layer}: cannot read input: {reason}")]
    Parse {
        /// File name or layer label.
        layer: String,
        /// What the parser said.
        reason: String,
    },
    /// One feature (or CSV row, or OSM element) is invalid and cannot be skipped.
    #[error("{layer}: feature {index}: {reason}")]
    Feature {
        /// File name or layer label.
        layer: String,
        /// Zero-based index of the feature (CSV: data row, OSM: element order).
        index: usize,
        /// Why the feature is rejected.
        reason: String,
    },
    /// The input parsed but holds nothing usable (no walkable road, no center, ...).
    #[error("{layer}: {reason}")]
    Empty {
        /// File name or layer label.
        layer: String,
        /// What is missing.
        reason: String,
    },
    /// A parameter is outside its valid range.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// Parameter name as the user knows it.
        name: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The input is larger than a configured limit.
    #[error("{layer}: {reason}")]
    TooLarge {
        /// File name or layer label.
        layer: String,
        /// Which limit was hit.
        reason: String,
    },
    /// An output file could not be made (a layer a format cannot hold, an encoder's
    /// failure).
    #[error("{file}: cannot write output: {reason}")]
    Output {
        /// The output file's name.
        file: String,
        /// Why.
        reason: String,
    },
}

/// Result type used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
