"""lifecircle: walking-distance coverage of service centers over real footpath networks
(the "10-minute service circle"), on the same engine as the lifecircle command line.

>>> import lifecircle
>>> study = lifecircle.Study("roads.geojson", "centers.csv", "residents.geojson")  # doctest: +SKIP
>>> study.summary["coverage"]["coverage_ratio"]  # doctest: +SKIP
0.83
"""

from . import errors
from ._export import osm_layers_to_parquet
from ._layers import OsmPoints, from_osm
from ._native import __version__
from ._study import Plan, Study
from .errors import (
    FeatureError,
    FileError,
    InputError,
    LifecircleError,
    ParameterError,
    TooLargeError,
)

__all__ = [
    "Study",
    "Plan",
    "from_osm",
    "osm_layers_to_parquet",
    "OsmPoints",
    "errors",
    "LifecircleError",
    "InputError",
    "FeatureError",
    "TooLargeError",
    "ParameterError",
    "FileError",
    "__version__",
]
