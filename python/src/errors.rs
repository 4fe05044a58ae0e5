//! Core's errors as the package's exceptions (`lifecircle.errors`), each carrying the
//! layer (file), the feature and the reason as attributes.

use lifecircle::Error;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// An error of the package (boxed: results stay one pointer wide on the happy path).
pub(crate) struct Failure(Box<Details>);

/// The exception class's name in `lifecircle.errors`, the message, and what it names.
struct Details {
    class: &'static str,
    message: String,
    layer: Option<String>,
    feature: Option<usize>,
    reason: Option<String>,
    parameter: Option<String>,
}

impl Failure {
    /// A bad argument of the Python call itself (no layer).
    pub(crate) fn parameter(name: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self(Box::new(Details {
            class: "ParameterError",
            message: format!("invalid parameter `{name}`: {reason}"),
            layer: None,
            feature: None,
            reason: Some(reason),
            parameter: Some(name.to_string()),
        }))
    }

    /// A file that cannot be read (missing, a folder, too large).
    pub(crate) fn file(path: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self(Box::new(Details {
            class: "FileError",
            message: format!("{path}: {reason}"),
            layer: Some(path.to_string()),
            feature: None,
            reason: Some(reason),
            parameter: None,
        }))
    }

    /// A run that stopped for a reason of its own (no center can be reached, say).
    pub(crate) fn input(layer: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self(Box::new(Details {
            class: "InputError",
            message: format!("{layer}: {reason}"),
            layer: Some(layer.to_string()),
            feature: None,
            reason: Some(reason),
            parameter: None,
        }))
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let message = error.to_string();
        let (class, layer, feature, reason, parameter) = match error {
            Error::Parse { layer, reason } => ("InputError", Some(layer), None, reason, None),
            Error::Feature {
                layer,
                index,
                reason,
            } => ("FeatureError", Some(layer), Some(index), reason, None),
            Error::Empty { layer, reason } => ("InputError", Some(layer), None, reason, None),
            Error::TooLarge { layer, reason } => ("TooLargeError", Some(layer), None, reason, None),
            Error::InvalidParameter { name, reason } => {
                ("ParameterError", None, None, reason, Some(name))
            }
            other => ("LifecircleError", None, None, other.to_string(), None),
        };
        Self(Box::new(Details {
            class,
            message,
            layer,
            feature,
            reason: Some(reason),
            parameter,
        }))
    }
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> Self {
        Python::attach(|py| match raise(py, &failure.0) {
            Ok(err) | Err(err) => err,
        })
    }
}

/// The exception instance for `failure`: its class from `lifecircle.errors`, built with
/// the message and keyword attributes.
fn raise(py: Python<'_>, failure: &Details) -> PyResult<PyErr> {
    let class = py.import("lifecircle.errors")?.getattr(failure.class)?;
    let attributes = PyDict::new(py);
    attributes.set_item("layer", &failure.layer)?;
    attributes.set_item("feature", failure.feature)?;
    attributes.set_item("reason", &failure.reason)?;
    attributes.set_item("parameter", &failure.parameter)?;
    let instance = class.call((failure.message.as_str(),), Some(&attributes))?;
    Ok(PyErr::from_value(instance))
}

/// Results of the adapter.
pub(crate) type Outcome<T> = Result<T, Failure>;
