"""Output layers from the native column buffers: Arrow tables, GeoDataFrames, GeoJSON.

The native module hands over one ``bytes`` object per column (and one for all the WKB
geometries); they become Arrow arrays without a Python object per feature. The
GeoDataFrame is made from the Arrow table; the WKB column carries the GeoArrow
extension name and the coordinate system in its field metadata.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

import numpy as np
import pyarrow as pa

from .errors import ParameterError

FORMATS = ("geopandas", "arrow", "geojson")


def _validity(valid: bytes) -> Optional[pa.Buffer]:
    mask = np.frombuffer(valid, dtype=np.uint8).astype(bool)
    if mask.all():
        return None
    return pa.py_buffer(np.packbits(mask, bitorder="little").tobytes())


def _column(column: Dict[str, Any], length: int) -> pa.Array:
    kind = column["kind"]
    validity = _validity(column["valid"])
    values = pa.py_buffer(column["values"])
    if kind == "float":
        return pa.Array.from_buffers(pa.float64(), length, [validity, values])
    if kind == "int":
        return pa.Array.from_buffers(pa.int64(), length, [validity, values])
    if kind == "bool":
        bits = np.packbits(np.frombuffer(column["values"], dtype=np.uint8).astype(bool), bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), length, [validity, pa.py_buffer(bits.tobytes())])
    if kind == "text":
        offsets = pa.py_buffer(column["offsets"])
        return pa.Array.from_buffers(pa.large_string(), length, [validity, offsets, values])
    raise AssertionError(f"unknown column kind {kind}")


def _crs_metadata(crs: str) -> Dict[bytes, bytes]:
    extension = {"crs": "EPSG:4326"} if crs == "wgs84" else {}
    return {
        b"ARROW:extension:name": b"geoarrow.wkb",
        b"ARROW:extension:metadata": json.dumps(extension).encode(),
    }


def arrow_table(native: Dict[str, Any], crs: str) -> pa.Table:
    """The layer as an Arrow table: its properties, then ``geometry`` (WKB)."""
    length = native["length"]
    arrays = [_column(c, length) for c in native["columns"]]
    fields = [pa.field(c["name"], a.type) for c, a in zip(native["columns"], arrays)]
    geometry = pa.Array.from_buffers(
        pa.large_binary(),
        length,
        [None, pa.py_buffer(native["geometry_offsets"]), pa.py_buffer(native["geometry"])],
    )
    arrays.append(geometry)
    fields.append(pa.field("geometry", pa.large_binary(), metadata=_crs_metadata(crs)))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata={b"lifecircle:crs": crs.encode()}))


def geodataframe(table: pa.Table, crs: str) -> Any:
    """The Arrow table as a GeoDataFrame (EPSG:4326 for WGS84 outputs; GCJ-02 and BD-09
    have no EPSG code, so their frames carry no CRS)."""
    import geopandas
    import shapely

    frame = table.drop_columns(["geometry"]).to_pandas(types_mapper={pa.large_string(): pd_string()}.get)
    wkb = table.column("geometry").to_numpy(zero_copy_only=False)
    geometry = geopandas.GeoSeries(shapely.from_wkb(wkb), crs="EPSG:4326" if crs == "wgs84" else None)
    return geopandas.GeoDataFrame(frame, geometry=geometry.values, crs=geometry.crs)


def pd_string() -> Any:
    import pandas as pd

    return pd.StringDtype()


def geopandas_available() -> bool:
    try:
        import geopandas  # noqa: F401
        import shapely  # noqa: F401
    except ImportError:
        return False
    return True


def check_format(format: Optional[str]) -> str:
    """The output format asked for: GeoDataFrames when geopandas is installed, else Arrow."""
    if format is None:
        return "geopandas" if geopandas_available() else "arrow"
    if format not in FORMATS:
        raise ParameterError(
            f"invalid parameter `format`: `{format}`: expected one of {', '.join(FORMATS)}",
            parameter="format",
            reason=f"unknown format {format}",
        )
    return format
