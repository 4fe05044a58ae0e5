"""What-ifs are exact: they equal a whole new study with the change made."""

import pytest

import lifecircle
from conftest import MONACO, MONACO_CENTERS


@pytest.fixture(scope="module")
def monaco():
    import os

    from conftest import REPO

    os.chdir(REPO)
    return lifecircle.Study(MONACO, lifecircle.from_osm(MONACO, MONACO_CENTERS), lifecircle.from_osm(MONACO, "building"))


def rerun(study, centers):
    return lifecircle.Study(MONACO, centers, lifecircle.from_osm(MONACO, "building")).summary["coverage"]


def centers_plus(study, extra=(), without=None):
    frame = study.centers()
    rows = [
        {"type": "Feature", "properties": {"id": i}, "geometry": {"type": "Point", "coordinates": [g.x, g.y]}}
        for n, (i, g) in enumerate(zip(frame["id"], frame.geometry))
        if n != without
    ]
    rows += [{"type": "Feature", "properties": {"id": f"new{n}"}, "geometry": {"type": "Point", "coordinates": list(p)}} for n, p in enumerate(extra)]
    return {"type": "FeatureCollection", "features": rows}


def test_adding_a_center_equals_a_rerun(monaco):
    site = (7.4106, 43.7262)
    change = monaco.what_if(*site)
    after = rerun(monaco, centers_plus(monaco, [site]))
    assert change["covered_population_after"] == after["covered_population"]
    assert change["coverage_ratio_before"] == monaco.summary["coverage"]["coverage_ratio"]


def test_removing_a_center_by_id_or_position_equals_a_rerun(monaco):
    by_position = monaco.remove_center(2)
    by_id = monaco.remove_center(monaco.center_ids[2])
    assert by_position == by_id
    after = rerun(monaco, centers_plus(monaco, without=2))
    assert by_position["covered_population_after"] == after["covered_population"]
    with pytest.raises(lifecircle.ParameterError):
        monaco.remove_center("no such center")
    with pytest.raises(lifecircle.ParameterError):
        monaco.remove_center(10_000)


def test_a_site_far_from_the_network_is_an_error(monaco):
    with pytest.raises(lifecircle.ParameterError):
        monaco.what_if(0.0, 0.0)
