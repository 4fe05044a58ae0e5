//! One plan function per model. Each takes the [`Problem`](super::problem::Problem) and
//! a fresh evaluator and returns the final sites with their value and bound
//! ([`Solved`](super::problem::Solved)); [`plan_sites`](crate::planning::plan_sites)
//! turns that into the outcome.

pub(crate) mod fair;
pub(crate) mod k_sites;
pub(crate) mod lscp;
pub(crate) mod mclp;
pub(crate) mod pmedian;
