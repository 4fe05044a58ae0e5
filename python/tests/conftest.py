"""Shared fixtures: the repository root (tests run from it, as the CLI's golden tests
do) and the tiny three-layer network of the bad-input catalogue."""

import json
import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
MONACO = "data/monaco.osm.pbf"
MONACO_CENTERS = "amenity=library|post_office|townhall|community_centre|social_facility"


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(REPO)


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def point(id_, lon, lat, **properties):
    return {
        "type": "Feature",
        "properties": {"id": id_, **properties},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def line(*coordinates, highway="footway"):
    return {
        "type": "Feature",
        "properties": {"highway": highway},
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coordinates]},
    }


# A T of footways 222 m wide with a 111 m stem; one center at the west end.
ROADS = collection(line((0, 0), (0.001, 0), (0.002, 0)), line((0.001, 0), (0.001, 0.001)))
CENTERS = collection(point("c1", 0, 0))
DEMAND = collection(point("r1", 0.002, 0.0001, population=3))


@pytest.fixture
def tiny(tmp_path):
    """Writes the three layers (or replacements) as files; returns their paths."""

    def write(roads=ROADS, centers=CENTERS, demand=DEMAND, names=("roads.geojson", "centers.geojson", "demand.geojson")):
        paths = []
        for name, content in zip(names, (roads, centers, demand)):
            path = tmp_path / name
            if isinstance(content, (bytes, bytearray)):
                path.write_bytes(content)
            elif isinstance(content, str):
                path.write_text(content)
            else:
                path.write_text(json.dumps(content))
            paths.append(os.fspath(path))
        return paths

    return write


def cli_binary():
    """The command line built by `cargo test` / `cargo build` (the test command builds it
    before these tests run)."""
    for profile in ("debug", "release"):
        path = REPO / "target" / profile / "lifecircle"
        if path.exists():
            return path
    raise RuntimeError("no lifecircle binary in target/: run `cargo build -p lifecircle-cli` first")
