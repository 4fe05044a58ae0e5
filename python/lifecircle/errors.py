"""The exceptions of lifecircle.

Every error the engine reports is a :class:`LifecircleError` carrying what it names:

- ``layer``: the file (or, for in-memory data, e.g. ``"centers (GeoDataFrame)"``),
- ``feature``: the 0-based position of the feature, where one feature is at fault,
- ``reason``: the reason, in words,
- ``parameter``: the keyword argument at fault, for :class:`ParameterError`.

Bad input is a ``ValueError`` (:class:`InputError`, :class:`FeatureError`,
:class:`TooLargeError`, :class:`ParameterError`); a file that cannot be read or written
is an ``OSError`` (:class:`FileError`).
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "LifecircleError",
    "InputError",
    "FeatureError",
    "TooLargeError",
    "ParameterError",
    "FileError",
]


class LifecircleError(Exception):
    """Base class of every lifecircle error."""

    def __init__(
        self,
        message: str,
        *,
        layer: Optional[str] = None,
        feature: Optional[int] = None,
        reason: Optional[str] = None,
        parameter: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.layer = layer
        self.feature = feature
        self.reason = reason
        self.parameter = parameter


class InputError(LifecircleError, ValueError):
    """A layer cannot be used: unreadable, empty, or nothing in it reaches the network."""


class FeatureError(InputError):
    """One feature of a layer is invalid (``feature`` says which)."""


class TooLargeError(InputError):
    """A layer is over a size or feature limit (raise ``max_input_mb`` / ``max_features``)."""


class ParameterError(LifecircleError, ValueError):
    """A keyword argument is out of range or unknown (``parameter`` says which)."""


class FileError(LifecircleError, OSError):
    """A file cannot be read or written."""
