"""The package against the command line's golden files: same pipeline, same bytes."""

import json

import pyarrow as pa
import pytest

import lifecircle
from conftest import MONACO, MONACO_CENTERS, REPO

GOLDEN = REPO / "tests/golden/monaco"
FILES = ["summary.json", "report.md", "demand.geojson", "gaps.geojson", "network.geojson", "service_areas.geojson"]


@pytest.fixture(scope="module")
def monaco():
    import os

    os.chdir(REPO)
    return lifecircle.Study(
        MONACO,
        lifecircle.from_osm(MONACO, MONACO_CENTERS),
        lifecircle.from_osm(MONACO, "building"),
    )


def test_to_files_writes_the_golden_bytes(monaco, tmp_path):
    out = monaco.to_files(tmp_path / "out")
    for name in FILES:
        got = (tmp_path / "out" / name).read_bytes()
        assert got == (GOLDEN / name).read_bytes(), f"{name} differs from the golden file"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(FILES)
    assert out == str(tmp_path / "out")


def test_summary_is_summary_json(monaco):
    assert monaco.summary == json.loads((GOLDEN / "summary.json").read_text())


@pytest.mark.parametrize(
    "layer, file",
    [("residents", "demand"), ("gaps", "gaps"), ("network", "network"), ("service_areas", "service_areas")],
)
def test_geojson_format_is_the_file(monaco, layer, file):
    got = getattr(monaco, layer)(format="geojson")
    assert got == json.loads((GOLDEN / f"{file}.geojson").read_text())


def flatten(properties):
    row = {}
    for key, value in properties.items():
        if isinstance(value, dict):
            for inner, v in value.items():
                row[f"{key}.{inner}"] = v
        elif isinstance(value, list):
            row[key] = json.dumps(value, separators=(",", ":"))
        else:
            row[key] = value
    return row


@pytest.mark.parametrize("layer, file", [("residents", "demand"), ("gaps", "gaps"), ("network", "network")])
def test_arrow_tables_hold_the_files_values(monaco, layer, file):
    table = getattr(monaco, layer)(format="arrow")
    assert isinstance(table, pa.Table)
    features = json.loads((GOLDEN / f"{file}.geojson").read_text())["features"]
    assert table.num_rows == len(features)
    rows = table.drop_columns(["geometry"]).to_pylist()
    for row, feature in zip(rows, features):
        want = flatten(feature["properties"])
        assert set(row) == set(want)
        for key, value in want.items():
            assert row[key] == value, (key, row[key], value)
    field = table.schema.field("geometry")
    assert field.metadata[b"ARROW:extension:name"] == b"geoarrow.wkb"


def test_geodataframe_geometry_and_crs(monaco):
    import shapely

    residents = monaco.residents()
    assert residents.crs.to_epsg() == 4326
    features = json.loads((GOLDEN / "demand.geojson").read_text())["features"]
    assert len(residents) == len(features)
    for geometry, feature in zip(residents.geometry[:200], features[:200]):
        assert shapely.equals_exact(geometry, shapely.geometry.shape(feature["geometry"]), tolerance=0)
    assert residents["covered"].dtype == bool
    assert residents.loc[residents["covered"], "walk_min"].max() <= 10.0
    areas = monaco.service_areas()
    assert set(areas.geom_type) <= {"Polygon", "MultiPolygon"}


def test_plan_matches_the_command_line(monaco, tmp_path):
    import subprocess

    from conftest import cli_binary

    out = tmp_path / "cli"
    subprocess.run(
        [
            str(cli_binary()),
            "plan",
            "--roads",
            MONACO,
            "--centers-osm",
            MONACO_CENTERS,
            "--demand-osm",
            "building",
            "--model",
            "mclp",
            "--k",
            "3",
            "--quiet",
            "--out",
            str(out),
        ],
        check=True,
        cwd=REPO,
    )
    plan = monaco.plan("mclp", k=3)
    plan.to_files(tmp_path / "py")
    names = ["plan.json", "plan.geojson", "candidates.geojson"]
    names += [f"{d}/{f}" for d in ("before", "after") for f in FILES]
    for name in names:
        assert (tmp_path / "py" / name).read_bytes() == (out / name).read_bytes(), name
    assert plan.report == json.loads((out / "plan.json").read_text())
    sites = plan.sites()
    assert list(sites["rank"]) == [1, 2, 3]
    assert plan.after.summary["coverage"]["covered_population"] == plan.report["covered_population_after"]
