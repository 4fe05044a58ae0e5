//! `lifecircle._native`: the Python package's adapter over core's [`lifecircle::Study`].
//!
//! It only translates: Python arguments into typed layers and parameters (`inputs`,
//! `params`), a study's answers into column buffers (`columns`), core's errors into the
//! package's exception classes (`errors`), and long runs into interruptible background
//! work (`background`). The Python side (`python/lifecircle`) turns the buffers into
//! Arrow tables and GeoDataFrames.

#![forbid(unsafe_code)]

mod background;
mod columns;
mod errors;
mod export;
mod inputs;
mod params;
mod plan;
mod report;
mod scenario;
mod study;

use lifecircle::coverage;
use lifecircle::planning::CandidateGrid;
use pyo3::prelude::*;

/// The longest walk within the threshold for these `lifecircle.Study` options, metres
/// ([`lifecircle::StudyParams::max_walk_reach_m`]): a distributed run's halo.
#[pyfunction]
fn max_walk_reach_m(options: params::StudyOptions) -> PyResult<f64> {
    Ok(options
        .study_params()?
        .max_walk_reach_m()
        .map_err(errors::Failure::from)?)
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<study::NativeStudy>()?;
    m.add_class::<plan::NativePlan>()?;
    m.add_function(wrap_pyfunction!(max_walk_reach_m, m)?)?;
    m.add_function(wrap_pyfunction!(export::read_layer_table, m)?)?;
    m.add_function(wrap_pyfunction!(report::write_html_report, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The defaults of `lifecircle.Study`, so Python and the command line cannot differ.
    let defaults = pyo3::types::PyDict::new(m.py());
    defaults.set_item("minutes", coverage::DEFAULT_THRESHOLD_MIN)?;
    defaults.set_item("speed_kmh", coverage::DEFAULT_SPEED_KMH)?;
    defaults.set_item("max_snap_m", coverage::DEFAULT_MAX_SNAP_M)?;
    defaults.set_item("min_component_nodes", coverage::DEFAULT_MIN_COMPONENT_NODES)?;
    defaults.set_item("gap_link_m", coverage::DEFAULT_GAP_LINK_M)?;
    defaults.set_item("candidate_spacing_m", CandidateGrid::default().spacing_m)?;
    m.add("DEFAULTS", defaults)?;
    // The names an output folder may hold (what `to_files` may replace).
    m.add("OUTPUT_NAMES", lifecircle::study::OUTPUT_NAMES.to_vec())?;
    Ok(())
}
