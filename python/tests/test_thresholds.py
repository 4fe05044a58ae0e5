"""Thresholds as walking distances (``metres=``) beside walking times, on the tiny T of
footways: the one resident walks 222.4 m along the street plus 11.1 m to reach it."""

import pytest

import lifecircle
from lifecircle import errors


def test_metres_cover_the_walks_up_to_them(tiny):
    paths = tiny()
    near = lifecircle.Study(*paths, metres=240, min_component_nodes=1)
    assert near.summary["coverage"]["covered_population"] == 3.0
    assert near.summary["parameters"]["threshold_rule"] == "walking distance"
    assert near.summary["parameters"]["threshold_m"] == 240.0
    assert near.summary["parameters"]["threshold_min"] == pytest.approx(3.0)
    short = lifecircle.Study(*paths, metres=230, min_component_nodes=1)
    assert short.summary["coverage"]["covered_population"] == 0.0
    walk = float(near.residents()["walk_m"][0])
    assert 230 < walk < 240
    # The same walk in minutes at 80 m/min gives the same answer.
    timed = lifecircle.Study(*paths, minutes=3.0, min_component_nodes=1)
    assert timed.summary["coverage"] == near.summary["coverage"]
    assert timed.summary["parameters"]["threshold_rule"] == "walking time"


def test_minutes_and_metres_together_are_refused(tiny):
    with pytest.raises(errors.ParameterError, match="not both"):
        lifecircle.Study(*tiny(), minutes=10, metres=500, min_component_nodes=1)
    with pytest.raises(errors.ParameterError, match="positive number of metres"):
        lifecircle.Study(*tiny(), metres=0, min_component_nodes=1)


def test_the_standard_true_preset_counts_distances(tiny):
    roads, centers, demand = tiny(
        centers={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"id": "c1", "tier": "block", "services": "convenience_store"},
                    "geometry": {"type": "Point", "coordinates": [0, 0]},
                }
            ],
        }
    )
    study = lifecircle.Study(roads, centers, demand, config="preset:gb50180", min_component_nodes=1)
    tiers = {t["id"]: t for t in study.summary["tiers"]["tiers"]}
    # 233.5 m is beyond the block's 200 m; the minutes variant's 2.5 minutes is 200 m too.
    assert tiers["block"]["threshold_m"] == 200.0
    assert tiers["block"]["covered_population"] == 0.0
    assert [t["threshold_m"] for t in study.summary["tiers"]["tiers"]] == [1000.0, 500.0, 300.0, 200.0]
    minutes = lifecircle.Study(roads, centers, demand, config="preset:gb50180-minutes", min_component_nodes=1)
    assert [t["threshold_min"] for t in minutes.summary["tiers"]["tiers"]] == [15.0, 10.0, 5.0, 2.5]


def test_several_thresholds_give_every_band_as_its_own_run(tiny):
    paths = tiny()
    # The one resident walks 233.5 m: 2.92 minutes at 80 m/min.
    banded = lifecircle.Study(*paths, minutes=[2, 1, 3], min_component_nodes=1)
    bands = banded.summary["bands"]
    assert [b["label"] for b in bands] == ["1 min", "2 min", "3 min"]
    for band in bands:
        alone = lifecircle.Study(*paths, minutes=band["threshold_min"], min_component_nodes=1)
        assert band["covered_population"] == alone.summary["coverage"]["covered_population"]
    assert [b["covered_population"] for b in bands] == [0.0, 0.0, 3.0]
    assert banded.summary["parameters"]["threshold_min"] == 2.0
    assert list(banded.residents()["band_min"]) == [3.0]
    areas = banded.service_areas()
    assert sorted(set(areas["band_min"])) == [1.0, 2.0, 3.0]
    by_metres = lifecircle.Study(*paths, metres=(230, 240), min_component_nodes=1)
    assert [b["covered_population"] for b in by_metres.summary["bands"]] == [0.0, 3.0]
    assert "bands" not in lifecircle.Study(*paths, minutes=2, min_component_nodes=1).summary
    with pytest.raises(errors.ParameterError, match="bands"):
        lifecircle.Study(*paths, minutes=[2, -1], min_component_nodes=1)
