"""``lifecircle.Study`` and ``lifecircle.Plan``: the engine's one pipeline, for Python."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from . import _native
from ._files import replace_folder
from ._layers import input_paths, layer_spec
from ._tables import arrow_table, check_format, geodataframe
from .errors import ParameterError

_DEFAULTS = _native.DEFAULTS

Progress = Union[None, bool, Callable[[str], Any]]


def _progress(progress: Progress) -> Optional[Callable[[str], Any]]:
    """The stage callback: a callable as given; ``True`` shows stages with tqdm when it is
    installed, else on standard error."""
    if progress is None or progress is False:
        return None
    if callable(progress):
        return progress
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return lambda stage: print(f"lifecircle: {stage}", file=sys.stderr, flush=True)
    bar = tqdm(total=None, bar_format="lifecircle: {desc}", leave=False)
    return bar.set_description_str


def _thresholds(value: Union[float, Sequence[float]]) -> List[float]:
    """One threshold or several (the first is the headline, all are bands)."""
    if isinstance(value, (int, float)):
        return [float(value)]
    return [float(v) for v in value]


def study_options(
    *,
    minutes: Union[None, float, Sequence[float]] = None,
    metres: Union[None, float, Sequence[float]] = None,
    speed_kmh: float = _DEFAULTS["speed_kmh"],
    profile: str = "adult",
    max_snap_m: float = _DEFAULTS["max_snap_m"],
    min_component_nodes: int = _DEFAULTS["min_component_nodes"],
    gap_link_m: float = _DEFAULTS["gap_link_m"],
    gaps: str = "pieces",
    slope: bool = False,
    config: Optional[str] = None,
    dem: Sequence[Union[str, "os.PathLike[str]"]] = (),
    crs: str = "wgs84",
    output_crs: str = "wgs84",
    population_field: Optional[str] = None,
    demand_spread_m: Optional[float] = None,
    max_input_mb: Optional[int] = None,
    max_features: Optional[int] = None,
    access: Optional[str] = None,
    capacity_field: str = "capacity",
) -> Dict[str, Any]:
    """The native module's study options, every one given (see :class:`Study`)."""
    if minutes is not None and metres is not None:
        raise ParameterError(
            "invalid parameter `metres`: give `minutes` (a walking time) or `metres` (a walking distance), not both",
            parameter="metres",
            reason="give `minutes` or `metres`, not both",
        )
    return {
        "minutes": _thresholds([_DEFAULTS["minutes"]] if minutes is None else minutes),
        "metres": [] if metres is None else _thresholds(metres),
        "speed_kmh": float(speed_kmh),
        "profile": profile,
        "max_snap_m": float(max_snap_m),
        "min_component_nodes": int(min_component_nodes),
        "gap_link_m": float(gap_link_m),
        "gaps": gaps,
        "slope": bool(slope),
        "config": None if config is None else os.fspath(config),
        "dem": [os.fspath(p) for p in dem],
        "crs": crs,
        "output_crs": output_crs,
        "access": access,
        "capacity_field": capacity_field,
        "population_field": population_field,
        "demand_spread_m": None if demand_spread_m is None else float(demand_spread_m),
        "max_input_mb": max_input_mb,
        "max_features": max_features,
    }


class Study:
    """One walking-coverage study: who is within a walk of a service center.

    Each layer may be a path (every format the command line reads: GeoJSON, CSV with
    lon/lat columns, OSM PBF; gzip or not), a GeoDataFrame in any CRS (reprojected to
    WGS84), GeoJSON-like dicts, or :func:`lifecircle.from_osm` for points chosen by tag
    from a PBF. The study runs when it is made (the GIL is released; Ctrl-C interrupts).

    Parameters mirror the command line's ``coverage``: ``minutes`` the threshold (10
    when neither is given), or ``metres`` a threshold as a walking distance along the
    network (GB 50180-2018's rule; ``config="preset:gb50180"`` has its distances);
    either may be several (``minutes=[10, 5, 15]``): the first is the headline, and
    ``summary["bands"]``, the layers' ``band_min`` / ``band_m`` columns and the units'
    ``coverage_by_band`` give every circle, each exactly the study at it alone;
    ``speed_kmh`` the adult walking speed on the flat, ``profile`` one of ``adult``,
    ``older``, ``wheelchair``, ``config`` the tier and service catalogue (``preset:NAME``
    or a TOML / JSON file), ``max_snap_m`` the farthest a point may be from the network,
    ``slope`` / ``dem`` slope-aware walking, ``crs`` the coordinate system of file inputs
    (``wgs84``, ``gcj02``, ``bd09``), or — for files that declare none — any system such as
    ``EPSG:4547``, WKT or a PROJ string (a file's own ``.prj``, GeoPackage SRS or GeoParquet
    metadata wins); ``output_crs`` that of the outputs. Paths may be Shapefiles (their
    ``.dbf``, ``.shx``, ``.prj``, ``.cpg`` are read beside them), zipped Shapefiles,
    GeoPackages (``city.gpkg:roads`` chooses a layer), FlatGeobuf or GeoParquet files.
    ``access="2sfca"`` (or ``"e2sfca"``, with Gaussian decay) adds two-step floating
    catchment scores from each center's ``capacity_field`` and the number of centers
    within the threshold (``summary["accessibility"]``, ``access_score`` and
    ``centers_within`` per resident, their means per unit).
    """

    def __init__(
        self,
        roads: Any,
        centers: Any,
        demand: Any,
        units: Any = None,
        *,
        minutes: Union[None, float, Sequence[float]] = None,
        metres: Union[None, float, Sequence[float]] = None,
        speed_kmh: float = _DEFAULTS["speed_kmh"],
        profile: str = "adult",
        config: Optional[str] = None,
        max_snap_m: float = _DEFAULTS["max_snap_m"],
        min_component_nodes: int = _DEFAULTS["min_component_nodes"],
        gap_link_m: float = _DEFAULTS["gap_link_m"],
        gaps: str = "pieces",
        slope: bool = False,
        dem: Sequence[Union[str, "os.PathLike[str]"]] = (),
        crs: str = "wgs84",
        output_crs: str = "wgs84",
        population_field: Optional[str] = None,
        demand_spread_m: Optional[float] = None,
        max_input_mb: Optional[int] = None,
        max_features: Optional[int] = None,
        access: Optional[str] = None,
        capacity_field: str = "capacity",
        progress: Progress = None,
    ) -> None:
        specs = {
            "roads": layer_spec("roads", roads),
            "centers": layer_spec("centers", centers),
            "demand": layer_spec("demand", demand),
            "units": layer_spec("units", units),
        }
        for role in ("roads", "centers", "demand"):
            if specs[role] is None:
                raise ParameterError(f"invalid parameter `{role}`: required", parameter=role, reason="required")
        options = study_options(
            minutes=minutes,
            metres=metres,
            speed_kmh=speed_kmh,
            profile=profile,
            max_snap_m=max_snap_m,
            min_component_nodes=min_component_nodes,
            gap_link_m=gap_link_m,
            gaps=gaps,
            slope=slope,
            config=config,
            dem=dem,
            crs=crs,
            output_crs=output_crs,
            population_field=population_field,
            demand_spread_m=demand_spread_m,
            max_input_mb=max_input_mb,
            max_features=max_features,
            access=access,
            capacity_field=capacity_field,
        )
        self._inputs = input_paths(*specs.values()) + list(options["dem"])
        if options["config"] is not None and not options["config"].startswith("preset:"):
            self._inputs.append(options["config"])
        self._native = _native.NativeStudy(
            specs["roads"], specs["centers"], specs["demand"], specs["units"], options, _progress(progress)
        )
        self._summary: Optional[Dict[str, Any]] = None

    @classmethod
    def _wrap(cls, native: Any, inputs: List[str]) -> "Study":
        study = cls.__new__(cls)
        study._native = native
        study._inputs = inputs
        study._summary = None
        return study

    # -- results ------------------------------------------------------------------

    @property
    def summary(self) -> Dict[str, Any]:
        """``summary.json`` of the command line: parameters, inputs (with skip and
        default counts), network, coverage (per unit, histogram), gaps, service areas,
        profiles, slope, tiers."""
        if self._summary is None:
            self._summary = json.loads(self._native.summary_json())
        return self._summary

    @property
    def center_ids(self) -> List[str]:
        """The centers' ids, in the order given (their positions name them too)."""
        return self._native.center_ids()

    def _layer(self, name: str, format: Optional[str], progress: Progress) -> Any:
        chosen = check_format(format)
        callback = _progress(progress)
        if chosen == "geojson":
            return json.loads(self._native.geojson(name, callback))
        crs = self._native.output_crs()
        table = arrow_table(self._native.table(name, callback), crs)
        return table if chosen == "arrow" else geodataframe(table, crs)

    def residents(self, format: Optional[str] = None, *, progress: Progress = None) -> Any:
        """One row per resident point (``demand.geojson``): ``id``, ``population``,
        ``walk_m``, ``walk_min``, ``nearest_center``, ``covered``, ``status``,
        ``access_m``, and per-profile / tier columns when asked for.

        ``format``: ``"geopandas"`` (default when installed), ``"arrow"`` (a pyarrow
        Table with WKB geometry) or ``"geojson"`` (a FeatureCollection dict)."""
        return self._layer("residents", format, progress)

    def centers(self, format: Optional[str] = None) -> Any:
        """The centers as given, in order: ``id``, ``status`` (``ok`` or
        ``too_far_from_network``), ``access_m`` and their own properties."""
        return self._layer("centers", format, None)

    def gaps(self, format: Optional[str] = None, *, progress: Progress = None) -> Any:
        """Uncovered areas, largest population first (``gaps.geojson``)."""
        return self._layer("gaps", format, progress)

    def network(self, format: Optional[str] = None, *, progress: Progress = None) -> Any:
        """The walking network split at the threshold, with walk times (``network.geojson``)."""
        return self._layer("network", format, progress)

    def service_areas(self, format: Optional[str] = None, *, progress: Progress = None) -> Any:
        """Each center's service area as a polygon (``service_areas.geojson``)."""
        return self._layer("service_areas", format, progress)

    def units(self, format: Optional[str] = None, *, progress: Progress = None) -> Any:
        """Per reporting unit coverage (``units.geojson``); needs ``units=``."""
        return self._layer("units", format, progress)

    # -- what-ifs -----------------------------------------------------------------

    def _center_index(self, center: Union[int, str]) -> int:
        if isinstance(center, bool) or not isinstance(center, (int, str)):
            raise ParameterError(
                "invalid parameter `center`: expected a center id (str) or position (int)",
                parameter="center",
                reason="not an id or position",
            )
        if isinstance(center, int):
            return center
        ids = self.center_ids
        matches = [i for i, c in enumerate(ids) if c == center]
        if not matches:
            raise ParameterError(
                f"invalid parameter `center`: no center has id `{center}`",
                parameter="center",
                reason=f"unknown id {center}",
            )
        return matches[0]

    def what_if(self, lon: float, lat: float) -> Dict[str, Any]:
        """What a new center at (``lon``, ``lat``, WGS84) would change: population newly
        covered, walks shortened, coverage ratio before and after."""
        return json.loads(self._native.what_if_add(float(lon), float(lat)))

    def remove_center(self, center: Union[int, str]) -> Dict[str, Any]:
        """What closing a center (its id, or its position) would change."""
        return json.loads(self._native.what_if_remove(self._center_index(center)))

    def move_center(self, center: Union[int, str], lon: float, lat: float) -> Dict[str, Any]:
        """What moving a center to (``lon``, ``lat``) would change."""
        return json.loads(self._native.what_if_move(self._center_index(center), float(lon), float(lat)))

    # -- planning -----------------------------------------------------------------

    def plan(
        self,
        model: str = "mclp",
        k: Optional[int] = None,
        *,
        target: Optional[float] = None,
        candidates: Any = None,
        boundary: Any = None,
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
    ) -> "Plan":
        """Chooses new sites: ``mclp`` (k sites covering the most people), ``lscp``
        (fewest sites reaching ``target`` coverage) or ``pmedian`` (k sites saving the
        most walking). Candidates are a points layer (any input form), or network nodes
        ``candidate_spacing_m`` apart (inside ``boundary`` when given).

        Fair to the study's ``units`` (mclp, solved exactly): ``unit_floor=0.8`` keeps
        every unit at least 80 % covered where the candidates can, ``maximin=True``
        lifts the worst-served unit first; ``report["units"]`` has every unit before
        and after. With a ``config``, ``site_tier="neighbourhood"`` plans new centers of
        that tier (offering its services) for complete coverage."""
        options = {
            "model": model,
            "k": k,
            "target": target,
            "capacity": capacity,
            "exact": bool(exact),
            "swap": bool(swap),
            "allow_closing": bool(allow_closing),
            "max_closed": max_closed,
            "unit_floor": None if unit_floor is None else float(unit_floor),
            "maximin": bool(maximin),
            "site_tier": site_tier,
            "time_limit_s": float(time_limit_s),
            "candidate_spacing_m": candidate_spacing_m,
        }
        candidate_spec = layer_spec("candidates", candidates)
        boundary_spec = layer_spec("boundary", boundary)
        native = self._native.plan(options, candidate_spec, boundary_spec, _progress(progress))
        return Plan(self, native, self._inputs + input_paths(candidate_spec, boundary_spec))

    # -- files --------------------------------------------------------------------

    def to_files(
        self,
        folder: Union[str, "os.PathLike[str]"],
        *,
        title: str = "Walking coverage",
        html: bool = False,
        lang: str = "en",
    ) -> str:
        """Writes what ``lifecircle coverage --out folder`` writes (but ``timings.json``),
        byte for byte, all or nothing; returns the folder's path. With ``html=True`` also
        ``report.html`` in ``lang`` (``"en"`` or ``"zh"``), as ``--report html``."""

        def write(staging: str) -> None:
            self._native.write_files(staging, title)
            if html:
                _native.write_html_report(staging, lang)

        return replace_folder(folder, self._inputs, write)

    def report_html(self, lang: str = "en", *, title: str = "Walking coverage") -> str:
        """``report.html`` of this study in ``lang`` (``"en"`` or ``"zh"``) as text: one
        self-contained page with the map, figures and tables (in a notebook:
        ``IPython.display.HTML(study.report_html())``)."""
        return self._native.report_html(lang, title)


class Plan:
    """New sites chosen by :meth:`Study.plan`."""

    def __init__(self, before: Study, native: Any, inputs: List[str]) -> None:
        self.before = before
        self._native = native
        self._inputs = inputs
        self.report: Dict[str, Any] = json.loads(native.report_json())
        """``plan.json``: parameters, candidates, sites, before / after figures."""
        self.after = Study._wrap(_native.NativeStudy.after_plan(native), inputs)
        """The study with the sites opened (and closed centers closed)."""

    def _layer(self, name: str, format: Optional[str]) -> Any:
        chosen = check_format(format)
        crs = self.before._native.output_crs()
        table = arrow_table(self._native.table(name), crs)
        if chosen == "geojson":
            raise ParameterError(
                "invalid parameter `format`: plan tables are geopandas or arrow; "
                "to_files() writes plan.geojson",
                parameter="format",
                reason="geojson",
            )
        return table if chosen == "arrow" else geodataframe(table, crs)

    def sites(self, format: Optional[str] = None) -> Any:
        """The chosen sites in order of choice, with their gains (``plan.geojson``)."""
        return self._layer("sites", format)

    def candidates(self, format: Optional[str] = None) -> Any:
        """Every candidate with its gain on its own (``candidates.geojson``)."""
        return self._layer("candidates", format)

    def to_files(self, folder: Union[str, "os.PathLike[str]"], *, html: bool = False, lang: str = "en") -> str:
        """Writes what ``lifecircle plan --out folder`` writes (but ``timings.json``),
        all or nothing; returns the folder's path. With ``html=True`` also
        ``report.html`` (the plan's report) in ``lang``."""

        def write(staging: str) -> None:
            self._native.write_files(staging)
            if html:
                _native.write_html_report(staging, lang)

        return replace_folder(folder, self._inputs, write)
