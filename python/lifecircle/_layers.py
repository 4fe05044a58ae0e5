"""Inputs as the native module takes them: a file, bytes in a format core reads, or the
points of an OSM PBF chosen by tag.

GeoDataFrames are reprojected to WGS84 by geopandas and serialised by pandas' and
shapely's vectorised writers (CSV for points, GeoJSON otherwise), then read by the same
core readers as files, so in-memory data meets exactly the checks and error messages a
file does.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, Optional

from .errors import ParameterError


@dataclass(frozen=True)
class OsmPoints:
    """Points of an OSM PBF chosen by a tag filter (see :func:`lifecircle.from_osm`)."""

    path: str
    filter: str
    population: str = "one"


def from_osm(path: "os.PathLike[str] | str", filter: str, population: str = "one") -> OsmPoints:
    """Points (centers, residents, candidate sites) of the OSM PBF at ``path`` whose tags
    match ``filter`` (e.g. ``"amenity=community_centre|library"`` or ``"building"``).

    ``population`` says whom each stands for: ``"one"``, ``"tag:KEY"`` (a tag's number)
    or ``"area:M2"`` (building floor area per person).
    """
    return OsmPoints(os.fspath(path), filter, population)


def _spec(label: str, **fields: Any) -> Dict[str, Any]:
    spec = {"label": label, "path": None, "data": None, "format": None, "osm_filter": None, "population": None}
    spec.update(fields)
    return spec


def _is_geodataframe(value: Any) -> bool:
    return type(value).__name__ == "GeoDataFrame" and hasattr(value, "geometry")


def _geodataframe_spec(role: str, frame: Any) -> Dict[str, Any]:
    label = f"{role} (GeoDataFrame)"
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    geometry = frame.geometry
    if len(frame) > 0 and bool((geometry.geom_type == "Point").all()):
        # Points go through CSV: one vectorised write, exact (shortest round-trip floats).
        table = frame.drop(columns=[geometry.name]).copy()
        if "id" not in table.columns:
            table.insert(0, "id", [str(i) for i in frame.index])
        table["lon"] = geometry.x.to_numpy()
        table["lat"] = geometry.y.to_numpy()
        for column in table.columns:
            if table[column].dtype == object:
                table[column] = table[column].map(
                    lambda v: json.dumps(v) if isinstance(v, (list, dict)) else v
                )
        return _spec(label, data=table.to_csv(index=False).encode(), format="csv")
    text = frame.to_json(drop_id=True, na="null")
    return _spec(label, data=text.encode(), format="geojson")


def layer_spec(role: str, value: Any) -> Optional[Dict[str, Any]]:
    """The native description of one input layer (``None`` stays ``None``)."""
    if value is None:
        return None
    if isinstance(value, OsmPoints):
        return _spec(value.path, path=value.path, osm_filter=value.filter, population=value.population)
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        return _spec(path, path=path)
    if _is_geodataframe(value):
        return _geodataframe_spec(role, value)
    if isinstance(value, dict) and value.get("type") in ("FeatureCollection", "Feature"):
        return _spec(f"{role} (GeoJSON dict)", data=json.dumps(value).encode(), format="geojson")
    if isinstance(value, (list, tuple)) and all(isinstance(f, dict) for f in value):
        collection = {"type": "FeatureCollection", "features": list(value)}
        return _spec(f"{role} (GeoJSON features)", data=json.dumps(collection).encode(), format="geojson")
    if isinstance(value, (bytes, bytearray)):
        return _spec(f"{role} (bytes)", data=bytes(value))
    raise ParameterError(
        f"invalid parameter `{role}`: expected a path, a GeoDataFrame, GeoJSON-like dicts, "
        f"bytes or lifecircle.from_osm(...), got {type(value).__name__}",
        parameter=role,
        reason=f"unsupported type {type(value).__name__}",
    )


_SHAPEFILE_COMPANIONS = (".dbf", ".shx", ".prj", ".cpg")


def _files_of(path: str) -> list:
    """The files one path argument reads: ``city.gpkg:roads`` is ``city.gpkg``; a ``.shp``
    brings its ``.dbf``, ``.shx``, ``.prj`` and ``.cpg`` (any letter case)."""
    if not os.path.exists(path) and ":" in path:
        file = path.rsplit(":", 1)[0]
        if os.path.isfile(file):
            path = file
    files = [path]
    stem, ext = os.path.splitext(path)
    if ext.lower() == ".shp":
        for companion in _SHAPEFILE_COMPANIONS:
            for candidate in (stem + companion, stem + companion.upper()):
                if os.path.isfile(candidate):
                    files.append(candidate)
    return files


def input_paths(*specs: Optional[Dict[str, Any]]) -> list:
    """The files the layers read (which outputs must never replace)."""
    return [f for s in specs if s is not None and s["path"] is not None for f in _files_of(s["path"])]
