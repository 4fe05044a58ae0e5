"""A synthetic country on Spark `local[2]`: throughput, the halo's overhead, and what a
country-size job would cost on a cluster.

    bash scripts/test-python.sh -k nothing        # builds the package and its test env
    target/python-venv/bin/python benches/spark/scale.py [CITIES] [BLOCKS] [RESIDENTS_PER_CITY] [TILE_M]

The country is CITIES grid cities 0.5° apart, each BLOCKS × BLOCKS blocks of 100 m (one
road line per block side, as real data has it), RESIDENTS_PER_CITY residents at seeded
random places and 16 centers per city. Inputs are written as GeoParquet and read back
by Spark, as a real job would. One city is also run by the single-machine study, for
its throughput and as a check that the tiles give its answers.
"""

import json
import math
import os
import pathlib
import random
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

import lifecircle
from lifecircle import spark as distributed

BLOCK_M = 100.0
CITY_SPACING_DEG = 0.5


def city_layers(index, blocks, residents, seed):
    """Roads, centers and residents of one grid city as Arrow tables (WKB geometry)."""
    rng = random.Random(seed)
    lat0 = 30.0 + (index // 8) * CITY_SPACING_DEG
    lon0 = 110.0 + (index % 8) * CITY_SPACING_DEG
    dlat = BLOCK_M / 111_195.0
    dlon = BLOCK_M / (111_195.0 * math.cos(math.radians(lat0)))
    xs = np.round(lon0 + np.arange(blocks + 1) * dlon, 7)
    ys = np.round(lat0 + np.arange(blocks + 1) * dlat, 7)
    segments = []
    for j in range(blocks + 1):
        for i in range(blocks):
            segments.append(((xs[i], ys[j]), (xs[i + 1], ys[j])))  # east-west block side
            segments.append(((xs[j], ys[i]), (xs[j], ys[i + 1])))  # north-south
    lines = shapely.linestrings(np.array(segments))
    roads = pa.table(
        {
            "id": [f"{index:03d}-{k:07d}" for k in range(len(segments))],
            "tags": ['{"highway":"residential"}'] * len(segments),
            "geometry": shapely.to_wkb(lines).tolist(),
        }
    )
    east, north = xs[-1], ys[-1]
    place = lambda: (round(rng.uniform(lon0, east), 7), round(rng.uniform(lat0, north), 7))  # noqa: E731
    homes = [place() for _ in range(residents)]
    demand = pa.table(
        {
            "id": [f"{index:03d}-p{k:07d}" for k in range(residents)],
            "population": [float(rng.randint(1, 4)) for _ in range(residents)],
            "unit": [f"city{index:03d}"] * residents,
            "geometry": shapely.to_wkb(shapely.points(np.array(homes))).tolist(),
        }
    )
    sites = [place() for _ in range(16)]
    centers = pa.table(
        {"id": [f"{index:03d}-c{k:02d}" for k in range(16)], "geometry": shapely.to_wkb(shapely.points(np.array(sites))).tolist()}
    )
    return roads, centers, demand


def single_machine(roads, centers, demand):
    """The same city through `lifecircle.Study` (GeoJSON and CSV in memory)."""

    def collection(table, properties):
        geometries = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
        rows = table.drop_columns(["geometry"]).to_pylist()
        return {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": properties(r), "geometry": shapely.geometry.mapping(g)} for r, g in zip(rows, geometries)],
        }

    road_layer = collection(roads, lambda r: json.loads(r["tags"]))
    center_layer = collection(centers, lambda r: {"id": r["id"]})
    demand_layer = collection(demand, lambda r: {"id": r["id"], "population": r["population"]})
    start = time.perf_counter()
    study = lifecircle.Study(road_layer, center_layer, demand_layer)
    table = study.residents(format="arrow")
    return time.perf_counter() - start, {r["id"]: r for r in table.drop_columns(["geometry"]).to_pylist()}


def main():
    cities = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    blocks = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    per_city = int(sys.argv[3]) if len(sys.argv) > 3 else 25_000
    tile_m = float(sys.argv[4]) if len(sys.argv) > 4 else 5_000.0
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        folder = pathlib.Path(folder)
        start = time.perf_counter()
        writers = {}
        first = None
        for c in range(cities):
            layers = city_layers(c, blocks, per_city, seed=c)
            if first is None:
                first = layers
            for name, table in zip(("roads", "centers", "demand"), layers):
                if name not in writers:
                    writers[name] = pq.ParquetWriter(folder / f"{name}.parquet", table.schema)
                writers[name].write_table(table)
        for w in writers.values():
            w.close()
        generated = time.perf_counter() - start
        nodes = cities * (blocks + 1) ** 2
        lines = cities * 2 * blocks * (blocks + 1)
        residents = cities * per_city
        print(f"country: {cities} cities, {nodes:,} nodes, {lines:,} road lines, {residents:,} residents "
              f"(generated in {generated:.1f} s)")

        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.memory", "8g")
            .config("spark.sql.shuffle.partitions", "64")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
        read = spark.read.parquet
        start = time.perf_counter()
        result = distributed.coverage(
            spark, read(str(folder / "roads.parquet")), read(str(folder / "centers.parquet")), read(str(folder / "demand.parquet")), tile_m=tile_m
        )
        rows = result.residents.cache()
        covered = rows.filter("covered").count()
        total = rows.count()
        wall = time.perf_counter() - start
        tiles = result.tiles.collect()
        task_seconds = sum(t["seconds"] for t in tiles)
        roads_read = sum(t["roads"] for t in tiles)
        ring_read = sum(t["ring_roads"] for t in tiles)
        reruns = sum(1 for t in tiles if t["margin_m"] > 0)
        print(f"spark local[2], tiles of {tile_m:,.0f} m: {total:,} residents in {wall:.1f} s ({covered / total:.1%} covered), {len(tiles)} tiles "
              f"({reruns} rerun with a margin)")
        print(f"  throughput {total / wall / 2:,.0f} residents per second per core (wall, 2 cores)")
        print(f"  tile tasks {task_seconds:.1f} s in all ({total / task_seconds:,.0f} residents per task-second)")
        print(f"  halo: {roads_read:,} road lines read for {lines:,} ({roads_read / lines - 1:.0%} duplicated), "
              f"{ring_read:,} of them ring lines")

        # One city on one machine: throughput, and the same answers.
        seconds, want = single_machine(*first)
        got = {r["id"]: r.asDict() for r in rows.filter(rows.id.startswith("000-")).collect()}
        same = all(got[i]["covered"] == w["covered"] and (not w["covered"] or got[i]["walk_m"] == w["walk_m"]) for i, w in want.items())
        print(f"single machine, one city: {len(want):,} residents in {seconds:.2f} s "
              f"({len(want) / seconds:,.0f} per second, one study); tiles agree: {same}")
        spark.stop()


if __name__ == "__main__":
    main()
