//! # lifecircle
//!
//! Walking-distance coverage of service centers over real footpath networks.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
pub mod input;

pub use error::{Error, Result};
