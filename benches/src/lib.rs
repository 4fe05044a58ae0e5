//! Shared helpers for the lifecircle benchmarks.
