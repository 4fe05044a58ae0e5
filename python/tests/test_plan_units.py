"""A plan fair to every reporting unit: the floor and maximin of `Study.plan` on a
hand-checkable street (the town of the core's fairness tests)."""

import pytest

import lifecircle
from conftest import collection, line, point


def rectangle(id_, west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Feature", "properties": {"id": id_}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


# A 4.4 km street; today's center at the west end. West unit: 80 covered + 60 uncovered
# (57 %); East: 20 uncovered (0 %); North: 30 too far from any street (0 %, for good).
ROADS = collection(line(*[(i * 0.001, 0.0) for i in range(41)]))
CENTERS = collection(point("center", 0.0, 0.0001))
DEMAND = collection(
    point("near", 0.001, 0.0001, population=80),
    point("west", 0.014, 0.0001, population=60),
    point("east", 0.03, 0.0001, population=20),
    point("north", 0.02, 0.02, population=30),
)
UNITS = collection(
    rectangle("W", -0.001, -0.01, 0.02, 0.01),
    rectangle("E", 0.02, -0.01, 0.041, 0.01),
    rectangle("N", -0.01, 0.015, 0.05, 0.03),
)
CANDIDATES = collection(point("west", 0.014, 0.0), point("east", 0.03, 0.0))


@pytest.fixture
def town():
    return lifecircle.Study(ROADS, CENTERS, DEMAND, units=UNITS, min_component_nodes=1)


def site_ids(plan):
    return [s["id"] for s in plan.report["sites"]]


def test_a_unit_floor_sends_the_site_to_the_unit_below_it(town):
    assert site_ids(town.plan("mclp", k=1, candidates=CANDIDATES)) == ["west"]
    plan = town.plan("mclp", k=1, candidates=CANDIDATES, unit_floor=0.5)
    assert site_ids(plan) == ["east"]
    assert plan.report["parameters"]["unit_rule"] == {"rule": "floor", "ratio": 0.5}
    units = plan.report["units"]
    assert units["floor_met"] is True
    assert [u["id"] for u in units["units"]] == ["W", "E", "N"]
    assert [u["ratio_after"] for u in units["units"]] == [pytest.approx(80 / 140), 1.0, 0.0]
    assert [u["out_of_reach"] for u in units["units"]] == [False, False, True]


def test_a_floor_k_sites_cannot_meet_says_how_many_would(town):
    plan = town.plan("mclp", k=1, candidates=CANDIDATES, unit_floor=0.9)
    assert plan.report["units"]["floor_met"] is False
    assert plan.report["units"]["sites_needed_for_floor"] == 2


def test_maximin_lifts_the_worst_unit(town):
    plan = town.plan("mclp", k=1, candidates=CANDIDATES, maximin=True)
    assert site_ids(plan) == ["east"]
    assert plan.report["parameters"]["unit_rule"] == {"rule": "maximin"}


def test_unit_rules_are_named_when_wrong(town):
    with pytest.raises(lifecircle.errors.ParameterError, match="maximin"):
        town.plan("mclp", k=1, candidates=CANDIDATES, unit_floor=0.5, maximin=True)
    with pytest.raises(lifecircle.errors.ParameterError, match="unit_floor"):
        town.plan("mclp", k=1, candidates=CANDIDATES, unit_floor=1.5)
    no_units = lifecircle.Study(ROADS, CENTERS, DEMAND, min_component_nodes=1)
    with pytest.raises(lifecircle.errors.ParameterError, match="reporting units"):
        no_units.plan("mclp", k=1, candidates=CANDIDATES, unit_floor=0.5)


TIERS = """
[[tiers]]
id = "neighbourhood"
threshold_min = 10
[[services]]
id = "clinic"
tier = "neighbourhood"
"""


def test_a_tier_plan_counts_complete_coverage(tmp_path):
    config = tmp_path / "tiers.toml"
    config.write_text(TIERS)
    centers = collection(point("center", 0.0, 0.0001, tier="neighbourhood", services="clinic"))
    study = lifecircle.Study(ROADS, centers, DEMAND, config=str(config), min_component_nodes=1)
    with pytest.raises(lifecircle.errors.ParameterError, match="site_tier"):
        study.plan("mclp", k=1, candidates=CANDIDATES)
    plan = study.plan("mclp", k=1, candidates=CANDIDATES, site_tier="neighbourhood")
    assert site_ids(plan) == ["west"]
    assert plan.report["parameters"]["site_tier"] == "neighbourhood"
    # 80 complete today, the west site completes 60 more.
    assert (plan.report["covered_population_before"], plan.report["covered_population_after"]) == (80, 140)
    assert plan.after.summary["tiers"]["complete_population"] == 140
