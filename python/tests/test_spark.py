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


def test_the_spark_submit_job_writes_the_tables(spark, city, tmp_path, capsys):
    from lifecircle import spark as distributed
    from lifecircle import spark_job

    roads, centers, demand = frames(spark, city)
    paths = {}
    for name, frame in (("roads", roads), ("centers", centers), ("demand", demand)):
        paths[name] = str(tmp_path / f"{name}.parquet")
        frame.write.parquet(paths[name])
    out = tmp_path / "out"
    argv = ["--roads", paths["roads"], "--centers", paths["centers"], "--demand", paths["demand"]]
    assert spark_job.main(argv + ["--minutes", str(MINUTES), "--tile-m", str(TILE_M), "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    want = distributed.coverage(spark, roads, centers, demand, minutes=MINUTES, tile_m=TILE_M)
    written = {r["id"]: r.asDict() for r in spark.read.parquet(str(out / "residents")).collect()}
    assert written == {r["id"]: r.asDict() for r in want.residents.collect()}
    assert summary["residents"] == len(city[1])
    assert summary["covered_population"] == pytest.approx(sum(r["population"] for r in written.values() if r["covered"]))
    assert sorted(p.name for p in out.iterdir()) == ["centers", "residents", "tiles", "units"]


def test_an_osm_extract_as_geoparquet_runs_on_spark(spark, tmp_path):
    """Monaco's PBF through osm_layers_to_parquet, then tiles: the single-machine study
    of the same tables gives the same answers."""
    import pyarrow.parquet as pq

    from lifecircle import spark as distributed
    from conftest import MONACO, MONACO_CENTERS

    paths = lifecircle.osm_layers_to_parquet(REPO / MONACO, tmp_path, centers=MONACO_CENTERS, demand="building")
    tables = {name: pq.read_table(path) for name, path in paths.items()}
    assert json.loads(tables["roads"].schema.metadata[b"geo"])["primary_column"] == "geometry"
    # As many as the single-machine study reads from the PBF.
    inputs = lifecircle.Study(REPO / MONACO, lifecircle.from_osm(REPO / MONACO, MONACO_CENTERS), lifecircle.from_osm(REPO / MONACO, "building")).summary["inputs"]
    assert tables["roads"].num_rows == inputs["roads"]["features_used"]
    assert tables["centers"].num_rows == inputs["centers"]["features_used"]
    assert tables["demand"].num_rows == inputs["demand"]["features_used"]

    def features(table, properties):
        geometries = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
        rows = table.drop_columns(["geometry"]).to_pylist()
        return {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": properties(r), "geometry": shapely.geometry.mapping(g)} for r, g in zip(rows, geometries)
            ],
        }

    roads = features(tables["roads"].sort_by("id"), lambda r: json.loads(r["tags"]))
    centers = features(tables["centers"].sort_by("id"), lambda r: {"id": r["id"]})
    demand = features(tables["demand"], lambda r: {"id": r["id"], "population": r["population"]})
    want = {r["id"]: r for r in lifecircle.Study(roads, centers, demand).residents(format="arrow").to_pylist()}
    read = spark.read.parquet
    result = distributed.coverage(spark, read(paths["roads"]), read(paths["centers"]), read(paths["demand"]), tile_m=400)
    assert result.tiles.count() >= 16
    got = {r["id"]: r.asDict() for r in result.residents.collect()}
    assert set(got) == set(want)
    for id_, w in want.items():
        assert got[id_]["covered"] == w["covered"], id_
        if w["covered"]:
            assert (got[id_]["walk_m"], got[id_]["nearest_center"]) == (w["walk_m"], w["nearest_center"]), id_


def test_a_small_component_running_beyond_the_halo_is_rerun_with_a_margin(spark):
    """A chain of 30 road lines (31 nodes, enough to snap to) reaching 6 km east of a
    resident: inside the first halo it looks like a small island, so the tile is
    doubtful and runs again with wider margins until it sees the whole chain."""
    from lifecircle import spark as distributed

    step = 0.0018  # about 200 m at the equator
    chain = [((i * step, 0.0), ((i + 1) * step, 0.0)) for i in range(30)]
    roads = [(f"r{i:03d}", shapely.to_wkb(shapely.LineString(c)), "footway") for i, c in enumerate(chain)]
    home = (0.0009, 0.0009)  # 100 m north of the chain's first line
    center = (0.0, 0.0005)
    frame = spark.createDataFrame
    result = distributed.coverage(
        spark,
        frame(roads, "id string, geometry binary, highway string"),
        frame([("c", shapely.to_wkb(shapely.Point(center)))], "id string, geometry binary"),
        frame([("home", shapely.to_wkb(shapely.Point(home)), 1.0)], "id string, geometry binary, population double"),
        minutes=5,
        tile_m=500,
    )
    tiles = result.tiles.collect()
    assert [t["margin_m"] > 0 for t in tiles] == [True]
    (got,) = result.residents.collect()
    lines = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"highway": "footway"}, "geometry": {"type": "LineString", "coordinates": [list(a), list(b)]}}
        for a, b in chain
    ]}
    point = lambda id_, at: {"type": "Feature", "properties": {"id": id_}, "geometry": {"type": "Point", "coordinates": list(at)}}  # noqa: E731
    want = lifecircle.Study(
        lines,
        {"type": "FeatureCollection", "features": [point("c", center)]},
        {"type": "FeatureCollection", "features": [point("home", home)]},
        minutes=5,
    ).residents(format="arrow").to_pylist()[0]
    assert want["status"] == "ok" and want["covered"]
    assert (got["covered"], got["walk_m"], got["nearest_center"]) == (True, want["walk_m"], "c")
