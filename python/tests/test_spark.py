"""Coverage on Spark equals the single-machine study: a real city (central Gothenburg's
walking network) cut into 20 tiles on `local[2]`, every task failing once and retried."""

import gzip
import json
import os
import random
import sys

import pytest
import shapely

import lifecircle
from conftest import REPO

import pyspark  # noqa: F401,E402  (installed by scripts/setup-python.sh)

TAGS = ("highway", "foot", "access", "footway", "bridge", "tunnel", "area", "service")
MINUTES = 10
TILE_M = 3_000


@pytest.fixture(scope="module")
def city():
    """Roads (LineStrings of the Gothenburg extract, a few tags), 12,000 residents and
    30 centers at seeded random places in its bounding box."""
    features = json.load(gzip.open(REPO / "data/gothenburg_walk.geojson.gz"))["features"]
    roads = []
    for i, f in enumerate(features):
        if f["geometry"]["type"] != "LineString":
            continue
        tags = {k: f["properties"][k] for k in TAGS if k in f["properties"]}
        roads.append({"id": f"r{i:05d}", "tags": tags, "coordinates": f["geometry"]["coordinates"]})
    rng = random.Random(7)
    box = (11.8596, 57.6482, 12.0935, 57.7620)

    def place():
        return [round(rng.uniform(box[0], box[2]), 7), round(rng.uniform(box[1], box[3]), 7)]

    residents = [{"id": f"p{i:05d}", "at": place(), "population": float(rng.randint(1, 5))} for i in range(12_000)]
    centers = [{"id": f"c{i:02d}", "at": place()} for i in range(30)]
    return roads, residents, centers


def single_machine(city):
    roads, residents, centers = city
    collection = lambda fs: {"type": "FeatureCollection", "features": fs}  # noqa: E731
    road_layer = collection(
        [{"type": "Feature", "properties": r["tags"], "geometry": {"type": "LineString", "coordinates": r["coordinates"]}} for r in roads]
    )
    center_layer = collection(
        [{"type": "Feature", "properties": {"id": c["id"]}, "geometry": {"type": "Point", "coordinates": c["at"]}} for c in centers]
    )
    demand = "id,lon,lat,population\n" + "".join(f"{p['id']},{p['at'][0]!r},{p['at'][1]!r},{p['population']!r}\n" for p in residents)
    study = lifecircle.Study(road_layer, center_layer, demand.encode(), minutes=MINUTES)
    return {row["id"]: row for row in study.residents(format="arrow").drop_columns(["geometry"]).to_pylist()}


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    failures = tmp_path_factory.mktemp("failures")
    os.environ["LIFECIRCLE_SPARK_FAIL_ONCE"] = str(failures)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2,3]")  # two cores, three attempts per task
        .appName("lifecircle-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.failures = failures
    yield session
    session.stop()
    os.environ.pop("LIFECIRCLE_SPARK_FAIL_ONCE", None)


def frames(spark, city):
    roads, residents, centers = city
    road_rows = [
        (r["id"], shapely.to_wkb(shapely.LineString(r["coordinates"])), *[r["tags"].get(t) for t in TAGS]) for r in roads
    ]
    road_schema = "id string, geometry binary, " + ", ".join(f"{t} string" for t in TAGS)
    point = lambda at: shapely.to_wkb(shapely.Point(at))  # noqa: E731
    return (
        spark.createDataFrame(road_rows, road_schema),
        spark.createDataFrame([(c["id"], point(c["at"])) for c in centers], "id string, geometry binary"),
        spark.createDataFrame(
            [(p["id"], point(p["at"]), p["population"], p["id"][:3]) for p in residents],
            "id string, geometry binary, population double, unit string",
        ),
    )


def test_tiles_give_the_single_machine_answer_and_retries_change_nothing(spark, city):
    from lifecircle import spark as distributed

    want = single_machine(city)
    roads, centers, demand = frames(spark, city)
    result = distributed.coverage(spark, roads, centers, demand, minutes=MINUTES, tile_m=TILE_M)
    tiles = result.tiles.collect()
    assert len(tiles) >= 16
    # Every task failed once (the hook) and was retried.
    assert len(os.listdir(spark.failures)) >= 2
    got = {row["id"]: row.asDict() for row in result.residents.collect()}
    assert set(got) == set(want)
    covered = 0
    for id_, w in want.items():
        g = got[id_]
        assert g["covered"] == w["covered"], (id_, g, w)
        if w["covered"]:
            covered += 1
            assert (g["walk_m"], g["walk_min"], g["nearest_center"]) == (w["walk_m"], w["walk_min"], w["nearest_center"]), id_
            assert g["status"] == "ok"
        elif w["status"] == "too_far_from_network":
            assert g["status"] == "too_far_from_network"
        else:
            assert (g["status"], g["walk_m"], g["nearest_center"]) == ("beyond_threshold", None, None)
        assert g["access_m"] == w["access_m"]
    assert 0 < covered < len(want)
    # The per-center and per-unit tables add up to the residents'.
    served = sum(r["served_population"] for r in result.centers.collect())
    assert served == pytest.approx(sum(w["population"] for w in want.values() if w["covered"]))
    units = {r["unit"]: r for r in result.units.collect()}
    assert sum(u["residents"] for u in units.values()) == len(want)
    # A second run (its tasks failing and retried again) gives the same rows.
    again = distributed.coverage(spark, roads, centers, demand, minutes=MINUTES, tile_m=TILE_M)
    assert {row["id"]: row.asDict() for row in again.residents.collect()} == got
    # The halo duplicates work: more roads were read than the city has.
    assert sum(t["roads"] for t in tiles) > len(city[0])


def test_duplicate_ids_are_refused(spark, city):
    from lifecircle import spark as distributed

    roads, centers, demand = frames(spark, city)
    with pytest.raises(ValueError, match="ids must be unique"):
        distributed.coverage(spark, roads, centers.unionByName(centers), demand)
