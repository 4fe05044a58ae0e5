"""Country-scale coverage on Apache Spark, exact by construction.

The area is cut into a grid of tiles. Each tile's task gets the residents inside it and,
from a halo around it, every road and center that can change a resident's answer; it
runs the same single-machine study (`lifecircle.Study`) on them. The halo is what makes
the answer exact:

- **reach** is the longest walk within the threshold (`StudyParams::max_walk_reach_m`:
  the threshold at the profile's speed, a fifth more with slope, Tobler's downhill
  optimum). A center counts for a resident only if a walk of at most *reach* joins their
  snap points, and a point snaps at most `max_snap_m` from itself, so the tile gets the
  centers within *reach* + 2 · `max_snap_m` and the roads within *reach* + 3 ·
  `max_snap_m` (those centers' own snaps included);
- **ring** lines: every road sharing a vertex with one of those ("core") roads is added,
  so each core road is split into edges exactly as in the whole network and every walk
  along it is the same sum of the same lengths;
- **components**: a component too small to snap to (`min_component_nodes`) inside the
  tile may be larger in the whole network. When such a component holds a ring line and
  lies within snapping reach of a tile resident or center, the tile is *doubtful*
  (`lifecircle.network::doubtful_snaps` in core) and is run again with a margin of
  more roads around it, doubling, until no doubt remains.

Then every covered flag, and every walk, walk time and nearest center within the
threshold, equals the single-machine run's. Walks beyond the threshold may leave the
halo: they are reported as null, with status ``beyond_threshold`` (the single-machine
run says ``ok`` with a longer walk, or ``no_path``). Ties between equally near centers
go to the smaller center id, so give the single-machine run its centers in id order to
compare.

Tasks share nothing and sort their inputs: a retried task gives the same rows.

Inputs are Spark DataFrames with a ``geometry`` column of WKB in WGS84 (GeoParquet read
with ``spark.read.parquet`` has one):

- roads: LineString / MultiLineString; an ``id`` column orders them (ties between
  equally near edges go to the first road, as in a file); every other column is a tag
  (``highway``, ``foot``, ``access``, … as strings);
- centers: Points with a unique ``id``; other columns are kept as properties (``tier``,
  ``services``);
- demand: Points with a unique ``id`` and an optional ``population`` (default 1) and
  ``unit`` (a reporting unit, for the per-unit table).
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional

from . import _native
from ._study import study_options
from ._tables import arrow_table
from .errors import InputError

_DEFAULTS = _native.DEFAULTS
RING_PROPERTY = "lifecircle:ring"
# Metres per degree of latitude, rounded down (the smallest on the ellipsoid is
# 110,574): halos in degrees come out at least as wide as asked.
_M_PER_DEG_LAT = 110_500.0
_M_PER_DEG_LON_EQUATOR = 111_000.0

RESIDENT_COLUMNS = [
    ("id", "string"),
    ("tile", "string"),
    ("covered", "boolean"),
    ("walk_m", "double"),
    ("walk_min", "double"),
    ("nearest_center", "string"),
    ("status", "string"),
    ("access_m", "double"),
    ("population", "double"),
    ("unit", "string"),
]
TILE_COLUMNS = [
    ("tile", "string"),
    ("residents", "long"),
    ("roads", "long"),
    ("ring_roads", "long"),
    ("centers", "long"),
    ("margin_m", "double"),
    ("doubtful", "long"),
    ("seconds", "double"),
]


@dataclass
class SparkCoverage:
    """The results of :func:`coverage`."""

    residents: Any
    """One row per resident: ``id``, ``tile``, ``covered``, ``walk_m`` / ``walk_min`` /
    ``nearest_center`` (null beyond the threshold), ``status`` (``ok``,
    ``too_far_from_network``, ``beyond_threshold``), ``access_m``, ``population``, ``unit``."""
    centers: Any
    """One row per center: ``id``, ``served_population``, ``served_residents`` (covered
    residents whose nearest center it is)."""
    units: Any
    """Per ``unit`` of the demand: ``total_population``, ``covered_population``,
    ``coverage_ratio``, ``residents``; ``None`` when the demand has no ``unit`` column."""
    tiles: Any
    """One row per tile run: its residents, roads (core + ring), ring roads, centers,
    the margin it needed, and its seconds — the halo's duplicated work in numbers."""
    reach_m: float
    """The halo's reach: the longest walk within the threshold."""


@dataclass(frozen=True)
class _Grid:
    """Tiles of ``dlat`` × ``dlon`` degrees, numbered by floor division."""

    dlat: float
    dlon: float

    def ranges(self, west, south, east, north, margin_m):
        """Tile index ranges whose box, grown by ``margin_m``, meets each bounding box
        (numpy arrays in, arrays out)."""
        import numpy as np

        pad_lat = margin_m / _M_PER_DEG_LAT
        # The narrowest degree of longitude over the grown box decides its width.
        lat_far = np.minimum(np.maximum(np.abs(south), np.abs(north)) + pad_lat, 89.0)
        pad_lon = margin_m / (_M_PER_DEG_LON_EQUATOR * np.cos(np.radians(lat_far)))
        return (
            np.floor((west - pad_lon) / self.dlon).astype("int64"),
            np.floor((east + pad_lon) / self.dlon).astype("int64"),
            np.floor((south - pad_lat) / self.dlat).astype("int64"),
            np.floor((north + pad_lat) / self.dlat).astype("int64"),
        )


def _tile_key(tx, ty) -> str:
    return f"{tx}:{ty}"


def _round_half_away(values):
    """Rust's ``f64::round`` (halves away from zero), exactly: core keys shared
    vertices by coordinates rounded to 1e-7 degrees."""
    import numpy as np

    whole = np.trunc(values)
    return (whole + np.where(np.abs(values - whole) >= 0.5, np.sign(values), 0.0)).astype("int64")


def _run_tile(options: Dict[str, Any], margin_m: float):
    """The task of one tile: its rows (roads, centers, residents) in, its residents'
    results and one diagnostics row out."""

    def run(table):
        import numpy as np
        import pyarrow as pa
        import shapely

        start = time.perf_counter()
        tile = table.column("tile")[0].as_py()
        fail_once = os.environ.get("LIFECIRCLE_SPARK_FAIL_ONCE")
        if fail_once:  # test hook: the first attempt of every task fails
            from pyspark import TaskContext

            task = TaskContext.get()
            if task is not None and task.attemptNumber() == 0:
                marker = f"stage{task.stageId()}-partition{task.partitionId()}"
                open(os.path.join(fail_once, marker), "w").close()
                raise RuntimeError(f"lifecircle: injected failure of {marker} (tile {tile})")
        rows = table.to_pandas()
        roads = rows[rows["layer"] == "road"].sort_values("order")
        centers = rows[rows["layer"] == "center"].sort_values("order")
        residents = rows[rows["layer"] == "resident"].sort_values("order")

        def features(frame, ring):
            geometries = shapely.from_wkb(frame["wkb"].to_numpy())
            out = []
            for geometry, props, is_ring in zip(geometries, frame["props"], ring):
                if is_ring:
                    props = props[:-1] + ("," if props != "{}" else "") + f'"{RING_PROPERTY}":"1"}}'
                shape = json.dumps(shapely.geometry.mapping(geometry))
                out.append(f'{{"type":"Feature","properties":{props},"geometry":{shape}}}')
            return ('{"type":"FeatureCollection","features":[' + ",".join(out) + "]}").encode()

        def spec(label, data, format):
            return {"label": label, "path": None, "data": data, "format": format, "osm_filter": None, "population": None}

        import pandas as pd

        points = shapely.from_wkb(residents["wkb"].to_numpy())
        demand_csv = pd.DataFrame(
            {
                "id": residents["key"].to_numpy(),
                "lon": shapely.get_x(points),
                "lat": shapely.get_y(points),
                "population": residents["population"].to_numpy(),
            }
        ).to_csv(index=False)
        diagnostics = {
            "tile": tile,
            "residents": len(residents),
            "roads": len(roads),
            "ring_roads": int(roads["ring"].sum()),
            "centers": len(centers),
            "margin_m": margin_m,
        }
        if len(centers):
            centers_json = features(centers, [False] * len(centers))
        else:
            # No center within the halo: a study needs one, so give it a stand-in five
            # degrees away, which no road of the tile reaches (it covers nobody).
            lat = float(np.mean(shapely.get_y(points)))
            away = lat - 5.0 if lat > -80.0 else lat + 5.0
            stand_in = {"type": "Feature", "properties": {"id": "lifecircle:none"},
                        "geometry": {"type": "Point", "coordinates": [float(shapely.get_x(points)[0]), away]}}
            centers_json = json.dumps({"type": "FeatureCollection", "features": [stand_in]}).encode()
        try:
            native = _native.NativeStudy(
                spec(f"roads of tile {tile}", features(roads, roads["ring"]), "geojson"),
                spec(f"centers of tile {tile}", centers_json, "geojson"),
                spec(f"residents of tile {tile}", demand_csv.encode(), "csv"),
                None,
                options,
                None,
                RING_PROPERTY,
            )
        except InputError as error:
            # No walkable road within the halo: none within snapping reach either, so
            # every resident of the tile is too far from the network, as in the whole run.
            if not (error.layer == f"roads of tile {tile}" and "cannot build a walking network" in str(error)):
                raise
            native = None
        if native is None:
            doubtful = 0
            result = pa.table(
                {
                    "id": pa.array(residents["key"].to_numpy(), pa.string()),
                    "population": pa.array(residents["population"].to_numpy(), pa.float64()),
                    "covered": pa.array([False] * len(residents)),
                    "status": pa.array(["too_far_from_network"] * len(residents)),
                    "walk_m": pa.nulls(len(residents), pa.float64()),
                    "walk_min": pa.nulls(len(residents), pa.float64()),
                    "nearest_center": pa.nulls(len(residents), pa.string()),
                    "access_m": pa.nulls(len(residents), pa.float64()),
                }
            )
        else:
            doubtful = native.doubtful_snaps()
            result = arrow_table(native.main_residents(), "wgs84").drop_columns(["geometry"])
        diagnostics["doubtful"] = doubtful
        if doubtful:
            result = result.slice(0, 0)
        diagnostics["seconds"] = time.perf_counter() - start
        covered = result.column("covered").to_numpy(zero_copy_only=False)
        status = np.asarray(result.column("status").to_pylist(), dtype=object)
        status = np.where(covered, "ok", np.where(status == "too_far_from_network", status, "beyond_threshold"))

        def within(name):
            values = result.column(name).to_pylist()
            return [v if c else None for v, c in zip(values, covered)]

        # pandas holds a missing text as NaN: a unit is a string or nothing.
        units = {k: u if isinstance(u, str) else None for k, u in zip(residents["key"], residents["unit"])}
        ids = result.column("id").to_pylist()
        out = {
            "kind": ["resident"] * len(ids) + ["tile"],
            "id": ids + [None],
            "tile": [tile] * (len(ids) + 1),
            "covered": list(covered) + [None],
            "walk_m": within("walk_m") + [None],
            "walk_min": within("walk_min") + [None],
            "nearest_center": within("nearest_center") + [None],
            "status": list(status) + [None],
            "access_m": result.column("access_m").to_pylist() + [None],
            "population": result.column("population").to_pylist() + [None],
            "unit": [units.get(i) for i in ids] + [None],
        }
        for name, _ in TILE_COLUMNS[1:]:
            out[name] = [None] * len(ids) + [diagnostics[name]]
        return pa.table(out, schema=_result_schema())

    return run


def _result_schema():
    import pyarrow as pa

    types = {"string": pa.string(), "boolean": pa.bool_(), "double": pa.float64(), "long": pa.int64()}
    fields = [pa.field("kind", pa.string())]
    fields += [pa.field(n, types[t]) for n, t in RESIDENT_COLUMNS]
    fields += [pa.field(n, types[t]) for n, t in TILE_COLUMNS[1:]]
    return pa.schema(fields)


def _spark_schema() -> str:
    columns = [("kind", "string")] + RESIDENT_COLUMNS + TILE_COLUMNS[1:]
    return ", ".join(f"{n} {t}" for n, t in columns)


def coverage(
    spark: Any,
    roads: Any,
    centers: Any,
    demand: Any,
    *,
    minutes: Optional[float] = None,
    metres: Optional[float] = None,
    speed_kmh: float = _DEFAULTS["speed_kmh"],
    profile: str = "adult",
    max_snap_m: float = _DEFAULTS["max_snap_m"],
    min_component_nodes: int = _DEFAULTS["min_component_nodes"],
    tile_m: float = 5_000.0,
    max_rounds: int = 5,
) -> SparkCoverage:
    """Walking coverage of ``demand`` by ``centers`` over ``roads`` (Spark DataFrames,
    WKB ``geometry``), computed tile by tile; see the module's documentation."""
    from pyspark.sql import functions as F

    options = study_options(
        minutes=minutes, metres=metres, speed_kmh=speed_kmh, profile=profile, max_snap_m=max_snap_m, min_component_nodes=min_component_nodes
    )
    reach_m = _native.max_walk_reach_m(options)
    if not (math.isfinite(tile_m) and tile_m >= 100.0):
        raise ValueError(f"tile_m {tile_m}: expected at least 100 metres")
    for name, frame in (("roads", roads), ("centers", centers), ("demand", demand)):
        if "geometry" not in frame.columns:
            raise ValueError(f"{name}: needs a `geometry` column of WKB")
    for name, frame in (("centers", centers), ("demand", demand)):
        if "id" not in frame.columns:
            raise ValueError(f"{name}: needs a unique `id` column")
        duplicates = frame.groupBy("id").count().filter("count > 1").limit(3).collect()
        if duplicates:
            raise ValueError(f"{name}: ids must be unique; repeated: {', '.join(str(r['id']) for r in duplicates)}")

    # The grid: square tiles of tile_m at the demand's mean latitude.
    points = _points(demand)
    mean_lat = points.agg(F.avg("lat")).first()[0]
    if mean_lat is None:
        raise ValueError("demand: no resident")
    dlat = tile_m / _M_PER_DEG_LAT
    grid = _Grid(dlat=dlat, dlon=tile_m / (_M_PER_DEG_LON_EQUATOR * math.cos(math.radians(min(abs(mean_lat), 85.0)))))
    residents = points.withColumn("tx", F.floor(F.col("lon") / grid.dlon).cast("long")).withColumn(
        "ty", F.floor(F.col("lat") / grid.dlat).cast("long")
    )
    residents = residents.withColumn("tile", F.concat_ws(":", "tx", "ty")).cache()
    tiles = residents.select("tile", "tx", "ty").distinct().cache()

    road_rows = _roads(roads).cache()
    center_rows = _centers(centers).cache()
    vertices = _shared_vertices(road_rows).cache()

    results = None
    pending = None  # None: every tile
    margin_m = 0.0
    for round_ in range(max_rounds):
        these = tiles if pending is None else tiles.join(pending, "tile", "left_semi")
        batch = _run_round(spark, these, residents, road_rows, center_rows, vertices, grid, options, reach_m, max_snap_m, margin_m).cache()
        doubtful = [r["tile"] for r in batch.filter("kind = 'tile' AND doubtful > 0").select("tile").collect()]
        kept = batch.filter(~F.col("tile").isin(doubtful)) if doubtful else batch
        results = kept if results is None else results.unionByName(kept)
        if not doubtful:
            break
        pending = spark.createDataFrame([(t,) for t in sorted(doubtful)], "tile string")
        margin_m = max(2 * margin_m, reach_m + 3 * max_snap_m)
    else:
        raise RuntimeError(
            f"lifecircle.spark: tiles {', '.join(sorted(doubtful)[:5])} still doubtful after {max_rounds} "
            "rounds (a small road component spreads far beyond them); raise max_rounds or tile_m"
        )

    resident_table = results.filter("kind = 'resident'").select([n for n, _ in RESIDENT_COLUMNS])
    tile_table = results.filter("kind = 'tile'").select([n for n, _ in TILE_COLUMNS])
    served = (
        resident_table.filter("covered")
        .groupBy(F.col("nearest_center").alias("id"))
        .agg(F.sum("population").alias("served_population"), F.count("*").alias("served_residents"))
    )
    center_table = (
        centers.select("id")
        .join(served, "id", "left")
        .fillna({"served_population": 0.0, "served_residents": 0})
    )
    unit_table = None
    if "unit" in demand.columns:
        unit_table = (
            resident_table.groupBy("unit")
            .agg(
                F.sum("population").alias("total_population"),
                F.sum(F.when(F.col("covered"), F.col("population")).otherwise(0.0)).alias("covered_population"),
                F.count("*").alias("residents"),
            )
            .withColumn("coverage_ratio", F.col("covered_population") / F.col("total_population"))
        )
    return SparkCoverage(resident_table, center_table, unit_table, tile_table, reach_m)


def _with_columns(frame, schema: str, add):
    """``frame`` with the columns ``add(geometries)`` computes from its WKB ``geometry``
    (a dict of name → array), in one Arrow pass."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        import shapely

        for batch in batches:
            geometry = shapely.from_wkb(batch.column("geometry").to_numpy(zero_copy_only=False))
            extra = add(geometry)
            yield pa.RecordBatch.from_arrays(
                list(batch.columns) + [pa.array(v) for v in extra.values()],
                names=list(batch.schema.names) + list(extra),
            )

    base = ", ".join(f"{f.name} {f.dataType.simpleString()}" for f in frame.schema.fields)
    return frame.mapInArrow(run, f"{base}, {schema}")


def _position(geometry):
    import shapely

    return {"lon": shapely.get_x(geometry), "lat": shapely.get_y(geometry)}


def _bounds(geometry):
    import shapely

    box = shapely.bounds(geometry)
    return {"west": box[:, 0], "south": box[:, 1], "east": box[:, 2], "north": box[:, 3]}


def _points(demand):
    """The residents with ``lon``, ``lat`` read from their WKB."""
    from pyspark.sql import functions as F

    population = F.col("population").cast("double") if "population" in demand.columns else F.lit(1.0)
    unit = F.col("unit").cast("string") if "unit" in demand.columns else F.lit(None).cast("string")
    base = demand.select(
        F.col("id").cast("string").alias("key"),
        F.col("geometry"),
        F.coalesce(population, F.lit(1.0)).alias("population"),
        unit.alias("unit"),
    )
    return _with_columns(base, "lon double, lat double", _position)


def _roads(roads):
    """Roads with their order key, tags as JSON, and bounding box."""
    from pyspark.sql import functions as F

    tag_columns = [c for c in roads.columns if c not in ("geometry", "id")]
    order = F.col("id").cast("string") if "id" in roads.columns else F.format_string("%020d", F.monotonically_increasing_id())
    if "tags" in roads.columns:  # one JSON object of tags (osm_layers_to_parquet writes it so)
        tags = F.coalesce(F.col("tags").cast("string"), F.lit("{}"))
    elif tag_columns:
        tags = F.to_json(F.struct(*[F.col(c).cast("string").alias(c) for c in tag_columns]))
    else:
        tags = F.lit("{}")
    base = roads.select(order.alias("key"), "geometry", tags.alias("props"))
    return _with_columns(base, "west double, south double, east double, north double", _bounds)


def _centers(centers):
    """Centers with their order key (the id), properties as JSON, and position."""
    from pyspark.sql import functions as F

    prop_columns = [c for c in centers.columns if c not in ("geometry", "properties")]
    props = F.to_json(F.struct(*[F.col(c).alias(c) for c in prop_columns]))
    base = centers.select(F.col("id").cast("string").alias("key"), "geometry", props.alias("props"))
    return _with_columns(base, "lon double, lat double", _position)


def _shared_vertices(road_rows):
    """(road key, vertex key) for every vertex two or more roads share, keyed as core
    keys them (coordinates rounded to 1e-7 degrees)."""
    from pyspark.sql import functions as F

    def explode(batches: Iterator[Any]) -> Iterator[Any]:
        import numpy as np
        import pyarrow as pa
        import shapely

        for batch in batches:
            geometry = shapely.from_wkb(batch.column("geometry").to_numpy(zero_copy_only=False))
            coords, index = shapely.get_coordinates(geometry, return_index=True)
            keys = np.asarray(batch.column("key").to_pylist(), dtype=object)[index]
            yield pa.RecordBatch.from_arrays(
                [pa.array(keys, pa.string()), pa.array(_round_half_away(coords[:, 0] * 1e7)), pa.array(_round_half_away(coords[:, 1] * 1e7))],
                names=["key", "vx", "vy"],
            )

    uses = road_rows.select("key", "geometry").mapInArrow(explode, "key string, vx long, vy long").distinct()
    shared = uses.groupBy("vx", "vy").agg(F.count("*").alias("roads")).filter("roads > 1").select("vx", "vy")
    return uses.join(shared, ["vx", "vy"])


def _explode_tiles(frame, grid: _Grid, margin_m: float, columns: List[str]):
    """``frame``'s rows once per tile whose box grown by ``margin_m`` meets the row's
    bounding box (``west``, ``south``, ``east``, ``north``)."""
    from pyspark.sql import functions as F

    def ranges(batches: Iterator[Any]) -> Iterator[Any]:
        import numpy as np
        import pyarrow as pa

        for batch in batches:
            get = lambda n: batch.column(n).to_numpy(zero_copy_only=False)  # noqa: E731
            x0, x1, y0, y1 = grid.ranges(get("west"), get("south"), get("east"), get("north"), margin_m)
            yield pa.RecordBatch.from_arrays(
                [batch.column("key")] + [pa.array(np.asarray(v)) for v in (x0, x1, y0, y1)], names=["key", "x0", "x1", "y0", "y1"]
            )

    spans = frame.select("key", "west", "south", "east", "north").mapInArrow(
        ranges, "key string, x0 long, x1 long, y0 long, y1 long"
    )
    exploded = spans.select(
        "key",
        F.explode(F.sequence("x0", "x1")).alias("tx"),
        "y0",
        "y1",
    ).select("key", "tx", F.explode(F.sequence("y0", "y1")).alias("ty"))
    return exploded if columns == ["key"] else exploded.join(frame.select(*columns), "key")


def _run_round(spark, tiles, residents, road_rows, center_rows, vertices, grid, options, reach_m, max_snap_m, margin_m):
    """One round of tile tasks over ``tiles`` (tile, tx, ty)."""
    from pyspark.sql import functions as F

    road_halo = reach_m + 3 * max_snap_m + margin_m
    center_halo = reach_m + 2 * max_snap_m
    keyed = lambda f: f.join(tiles, ["tx", "ty"], "inner")  # noqa: E731
    core = keyed(_explode_tiles(road_rows, grid, road_halo, ["key"])).select("tile", "key")
    # Ring roads: those sharing a vertex with a core road of the tile.
    ring = (
        core.join(vertices, "key")
        .select("tile", "vx", "vy")
        .distinct()
        .join(vertices.withColumnRenamed("key", "other"), ["vx", "vy"])
        .select("tile", F.col("other").alias("key"))
        .distinct()
        .join(core, ["tile", "key"], "left_anti")
    )
    road_members = core.withColumn("ring", F.lit(False)).unionByName(ring.withColumn("ring", F.lit(True)))
    roads_in = road_members.join(road_rows.select("key", "geometry", "props"), "key").select(
        "tile",
        F.lit("road").alias("layer"),
        F.col("key").alias("order"),
        "key",
        F.col("geometry").alias("wkb"),
        "ring",
        F.lit(None).cast("double").alias("population"),
        "props",
        F.lit(None).cast("string").alias("unit"),
    )
    center_boxes = center_rows.withColumn("west", F.col("lon")).withColumn("east", F.col("lon")).withColumn(
        "south", F.col("lat")
    ).withColumn("north", F.col("lat"))
    centers_in = keyed(_explode_tiles(center_boxes, grid, center_halo, ["key", "geometry", "props"])).select(
        "tile",
        F.lit("center").alias("layer"),
        F.col("key").alias("order"),
        "key",
        F.col("geometry").alias("wkb"),
        F.lit(False).alias("ring"),
        F.lit(None).cast("double").alias("population"),
        "props",
        F.lit(None).cast("string").alias("unit"),
    )
    residents_in = residents.join(tiles.select("tile"), "tile", "left_semi").select(
        "tile",
        F.lit("resident").alias("layer"),
        F.col("key").alias("order"),
        "key",
        F.col("geometry").alias("wkb"),
        F.lit(False).alias("ring"),
        "population",
        F.lit("{}").alias("props"),
        "unit",
    )
    rows = roads_in.unionByName(centers_in).unionByName(residents_in)
    return rows.groupBy("tile").applyInArrow(_run_tile(options, margin_m), _spark_schema())
