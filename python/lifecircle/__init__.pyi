# Public types of the lifecircle package.
import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from . import errors as errors
from .errors import (
    FeatureError as FeatureError,
    FileError as FileError,
    InputError as InputError,
    LifecircleError as LifecircleError,
    ParameterError as ParameterError,
    TooLargeError as TooLargeError,
)

__version__: str

PathLike = Union[str, "os.PathLike[str]"]
Progress = Union[None, bool, Callable[[str], Any]]
# A path, a GeoDataFrame, GeoJSON-like dicts, bytes, or from_osm(...).
LayerInput = Any

class OsmPoints:
    path: str
    filter: str
    population: str

def from_osm(path: PathLike, filter: str, population: str = "one") -> OsmPoints: ...

def osm_layers_to_parquet(pbf: PathLike, folder: PathLike, *, centers: str, demand: str, population: str = "one") -> Dict[str, str]: ...

class Study:
    def __init__(
        self,
        roads: LayerInput,
        centers: LayerInput,
        demand: LayerInput,
        units: LayerInput = None,
        *,
        minutes: Union[None, float, Sequence[float]] = None,
        metres: Union[None, float, Sequence[float]] = None,
        speed_kmh: float = ...,
        profile: str = "adult",
        config: Optional[str] = None,
        max_snap_m: float = ...,
        min_component_nodes: int = ...,
        gap_link_m: float = ...,
        gaps: str = "pieces",
        slope: bool = False,
        dem: Sequence[PathLike] = (),
        crs: str = "wgs84",
        output_crs: str = "wgs84",
        population_field: Optional[str] = None,
        demand_spread_m: Optional[float] = None,
        max_input_mb: Optional[int] = None,
        max_features: Optional[int] = None,
        access: Optional[str] = None,
        capacity_field: str = "capacity",
        progress: Progress = None,
    ) -> None: ...
    @property
    def summary(self) -> Dict[str, Any]: ...
    @property
    def center_ids(self) -> List[str]: ...
    def residents(self, format: Optional[str] = None, *, progress: Progress = None) -> Any: ...
    def centers(self, format: Optional[str] = None) -> Any: ...
    def gaps(self, format: Optional[str] = None, *, progress: Progress = None) -> Any: ...
    def network(self, format: Optional[str] = None, *, progress: Progress = None) -> Any: ...
    def service_areas(self, format: Optional[str] = None, *, progress: Progress = None) -> Any: ...
    def units(self, format: Optional[str] = None, *, progress: Progress = None) -> Any: ...
    def what_if(self, lon: float, lat: float) -> Dict[str, Any]: ...
    def remove_center(self, center: Union[int, str]) -> Dict[str, Any]: ...
    def move_center(self, center: Union[int, str], lon: float, lat: float) -> Dict[str, Any]: ...
    def plan(
        self,
        model: str = "mclp",
        k: Optional[int] = None,
        *,
        target: Optional[float] = None,
        candidates: LayerInput = None,
        boundary: LayerInput = None,
        candidate_spacing_m: Optional[float] = None,
        capacity: Optional[float] = None,
        exact: bool = False,
        swap: bool = True,
        allow_closing: bool = False,
        max_closed: Optional[int] = None,
        unit_floor: Optional[float] = None,
        maximin: bool = False,
        site_tier: Optional[str] = None,
        time_limit_s: float = 60.0,
        progress: Progress = None,
    ) -> Plan: ...
    def to_files(self, folder: PathLike, *, title: str = "Walking coverage", html: bool = False, lang: str = "en") -> str: ...
    def report_html(self, lang: str = "en", *, title: str = "Walking coverage") -> str: ...

class Plan:
    before: Study
    after: Study
    report: Dict[str, Any]
    def sites(self, format: Optional[str] = None) -> Any: ...
    def candidates(self, format: Optional[str] = None) -> Any: ...
    def to_files(self, folder: PathLike, *, html: bool = False, lang: str = "en") -> str: ...
