"""The inputs of a distributed run from an OSM extract: roads, centers and residents as
GeoParquet, read by the command line's own PBF reader (tags as JSON)."""

from __future__ import annotations

import json
import os
from typing import Dict, Union

from . import _native
from ._layers import from_osm, layer_spec
from ._tables import arrow_table


def _geoparquet(table, path: str, geometry_types) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    geometry = table.column("geometry").cast(pa.binary())
    table = table.set_column(table.schema.get_field_index("geometry"), pa.field("geometry", pa.binary()), geometry)
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": geometry_types, "crs": None}},
    }
    # GeoParquet's `crs: null` is "unknown"; the coordinates are WGS84 longitude/latitude.
    geo["columns"]["geometry"].pop("crs")
    table = table.replace_schema_metadata({b"geo": json.dumps(geo).encode()})
    pq.write_table(table, path)


def osm_layers_to_parquet(
    pbf: Union[str, "os.PathLike[str]"],
    folder: Union[str, "os.PathLike[str]"],
    *,
    centers: str,
    demand: str,
    population: str = "one",
) -> Dict[str, str]:
    """Writes ``roads.parquet``, ``centers.parquet`` and ``demand.parquet`` into
    ``folder`` from the OSM PBF ``pbf``: its walkable roads (an ``id`` in file order,
    ``tags`` as a JSON object), the points matching the tag filter ``centers`` and those
    matching ``demand`` (``population``: ``one``, ``tag:KEY`` or ``area:M2``; with ``id``,
    ``population`` and their other tags as JSON ``properties``), each with a WKB
    ``geometry`` in WGS84 — the inputs of :func:`lifecircle.spark.coverage`.
    Returns the three paths."""
    pbf = os.fspath(pbf)
    os.makedirs(folder, exist_ok=True)
    paths = {}
    layers = (
        ("roads", layer_spec("roads", pbf), "roads", ["LineString"]),
        ("centers", layer_spec("centers", from_osm(pbf, centers)), "places", ["Point"]),
        ("demand", layer_spec("demand", from_osm(pbf, demand, population)), "residents", ["Point"]),
    )
    for name, spec, kind, types in layers:
        table = arrow_table(_native.read_layer_table(spec, kind), "wgs84")
        paths[name] = os.path.join(os.fspath(folder), f"{name}.parquet")
        _geoparquet(table, paths[name], types)
    return paths
