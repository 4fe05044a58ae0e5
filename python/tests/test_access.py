"""2SFCA accessibility from Python: the scores of `Study(access=…)` on the street of the
plan tests, by hand."""

import pytest

import lifecircle
from conftest import collection, point
from test_plan_units import DEMAND, ROADS, UNITS

# Today's center has 10 places; it reaches only the 80 people next to it.
CENTERS = collection(point("center", 0.0, 0.0001, capacity=10))


def test_scores_share_the_capacity_over_the_catchment():
    study = lifecircle.Study(ROADS, CENTERS, DEMAND, units=UNITS, min_component_nodes=1, access="2sfca")
    a = study.summary["accessibility"]
    assert (a["method"], a["centers_with_capacity"], a["centers_capacity_defaulted"]) == ("2sfca", 1, 0)
    # 10 places over 80 people: 0.125 each for them, 0 for the 110 others.
    assert a["mean_score"] == pytest.approx(10 / 190)
    assert a["population_without_center"] == 110
    residents = study.residents("geojson")["features"]
    scores = {f["properties"]["id"]: f["properties"]["access_score"] for f in residents}
    assert scores == {"near": 0.125, "west": 0.0, "east": 0.0, "north": 0.0}
    assert [f["properties"]["centers_within"] for f in residents] == [1, 0, 0, 0]
    means = [u["mean_score"] for u in a["per_unit"]]
    assert means == [pytest.approx(10 / 140), 0.0, 0.0]


def test_an_unknown_method_is_named():
    with pytest.raises(lifecircle.errors.ParameterError, match="access"):
        lifecircle.Study(ROADS, CENTERS, DEMAND, min_component_nodes=1, access="3sfca")
