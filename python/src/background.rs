//! Long computations off the interpreter: the work runs on its own thread while the
//! calling thread, without the GIL, waits for it in short slices, checking for Ctrl-C
//! and passing progress to the Python callback between slices.
//!
//! An interrupted run returns `KeyboardInterrupt` at once; its thread finishes on its
//! own and its result is dropped (core's stages have no cancellation points, and a
//! study holds nothing the next call could see half-made).

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::errors::Outcome;

/// How often the waiting thread looks for Ctrl-C.
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(50);

enum Message<T> {
    Stage(String),
    Done(Outcome<T>),
}

/// Runs `job` on a background thread; `job` reports each stage it starts through the
/// function it is given, which reaches `progress` (called with the stage's name).
pub(crate) fn run<T, F>(py: Python<'_>, progress: Option<Py<PyAny>>, job: F) -> PyResult<T>
where
    T: Send + 'static,
    F: FnOnce(&dyn Fn(&str)) -> Outcome<T> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel::<Message<T>>();
    let stages = sender.clone();
    std::thread::Builder::new()
        .name("lifecircle".into())
        .spawn(move || {
            let report = |stage: &str| {
                let _ = stages.send(Message::Stage(stage.to_string()));
            };
            let outcome = job(&report);
            let _ = sender.send(Message::Done(outcome));
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
    py.detach(move || loop {
        match receiver.recv_timeout(SIGNAL_CHECK_INTERVAL) {
            Ok(Message::Done(outcome)) => return outcome.map_err(PyErr::from),
            Ok(Message::Stage(stage)) => {
                if let Some(callback) = &progress {
                    Python::attach(|py| callback.call1(py, (stage,)))?;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "lifecircle: the computation stopped on an internal error (a bug: \
                     please report it with the inputs)",
                ))
            }
        }
        // A method path does not fit `attach`'s higher-ranked closure bound.
        #[allow(clippy::redundant_closure_for_method_calls)]
        Python::attach(|py| py.check_signals())?;
    })
}
