"""The bad-input catalogue (docs/bad-input.md) through Python: each row raises the
exception class it should, naming the layer, the feature and the reason — or runs, with
the skip or default counted in the summary."""

import gzip

import pytest

import lifecircle
from lifecircle import errors
from conftest import CENTERS, DEMAND, REPO, ROADS, collection, point


def study(paths, **options):
    return lifecircle.Study(*paths, min_component_nodes=1, **options)


def raises(cls, paths, needles, **options):
    with pytest.raises(cls) as caught:
        study(paths, **options)
    message = str(caught.value)
    for needle in needles:
        assert needle in message, (needle, message)
    assert isinstance(caught.value, errors.LifecircleError)
    return caught.value


def test_hierarchy_subclasses_value_and_os_errors():
    assert issubclass(errors.InputError, ValueError)
    assert issubclass(errors.FeatureError, errors.InputError)
    assert issubclass(errors.ParameterError, ValueError)
    assert issubclass(errors.FileError, OSError)
    assert issubclass(errors.TooLargeError, errors.InputError)


def test_row_01_malformed_json(tiny):
    error = raises(errors.InputError, tiny(roads='{"type":"FeatureCollection","features":['), ["roads.geojson", "invalid GeoJSON", "line 1"])
    assert error.layer.endswith("roads.geojson")


def test_row_02_json_that_is_not_geojson(tiny):
    raises(errors.InputError, tiny(roads='{"type":"Topology","objects":{}}'), ["roads.geojson", "unknown type `Topology`"])
    bare = '{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[0,0]}]}'
    error = raises(errors.FeatureError, tiny(demand=bare), ["demand.geojson", "feature 0", "expected `Feature`"])
    assert error.feature == 0
    raises(errors.InputError, tiny(demand=b'{"type":\xff\xfe}'), ["demand.geojson", "not UTF-8"])


def test_row_03_lines_as_centers_leave_no_center(tiny):
    raises(errors.InputError, tiny(centers=ROADS), ["centers.geojson", "no service center found (2 features skipped)"])


def test_row_04_coordinates_out_of_range(tiny):
    error = raises(errors.FeatureError, tiny(demand=collection(point("a", 0.002, 0), point("b", 200, 0))), ["demand.geojson", "feature 1", "longitude"])
    assert error.feature == 1


def test_row_05_nan_coordinates(tiny):
    paths = tiny(demand=b"id,lon,lat\na,0.001,0\nb,NaN,0\n", names=("roads.geojson", "centers.geojson", "people.csv"))
    error = raises(errors.FeatureError, paths, ["people.csv", "feature 1", "row 2", "not a finite number pair"])
    assert error.feature == 1
    nan = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,0]}}]}'
    raises(errors.InputError, tiny(demand=nan), ["demand.geojson", "invalid GeoJSON", "line 1"])


def test_row_06_swapped_lat_lon(tiny):
    raises(errors.FeatureError, tiny(demand=collection(point("r", 30.6, 114.3))), ["feature 0", "latitude 114.3", "swapped?"])
    far = collection(point("ok", 0.002, 0.0001), point("swapped", 0.0001, 10.002, population=4))
    coverage = study(tiny(demand=far)).summary["coverage"]
    assert coverage["too_far_from_network_population"] == 4.0
    assert coverage["residents"] == 2


def test_row_07_duplicate_ids_are_renamed_and_counted(tiny):
    twice = collection(point("r", 0.002, 0.0001), point("r", 0.001, 0.0001))
    s = study(tiny(demand=twice))
    assert s.summary["inputs"]["demand"]["skipped"]["renamed: duplicate id (#n suffix added)"] == 1
    assert list(s.residents()["id"]) == ["r", "r#2"]


def test_row_08_empty_layers(tiny):
    empty = collection()
    raises(errors.InputError, tiny(roads=empty), ["roads.geojson", "no walkable road"])
    coverage = study(tiny(demand=empty)).summary["coverage"]
    assert coverage["residents"] == 0
    assert coverage["coverage_ratio"] == 0.0


def test_row_09_truncated_gzip_and_pbf(tiny):
    import json

    packed = gzip.compress(json.dumps(ROADS).encode())
    raises(errors.InputError, tiny(roads=packed[: len(packed) // 2], names=("roads.geojson.gz", "c.geojson", "d.geojson")), ["roads.geojson.gz", "invalid gzip data"])
    assert study(tiny(roads=packed, names=("roads.geojson.gz", "c.geojson", "d.geojson"))).summary["coverage"]["residents"] == 1
    pbf = (REPO / "data/monaco.osm.pbf").read_bytes()
    raises(errors.InputError, tiny(roads=pbf[:5000], names=("cut.osm.pbf", "c.geojson", "d.geojson")), ["cut.osm.pbf", "invalid OSM PBF"])


def test_row_10_csv_row_with_too_few_fields(tiny):
    paths = tiny(demand=b"id,lon,lat\na,0.001,0\nb,0.001\n", names=("roads.geojson", "centers.geojson", "people.csv"))
    raises(errors.FeatureError, paths, ["people.csv", "feature 1", "row 2 (line 3)", "has 2 fields"])


def test_row_11_huge_property_values(tiny):
    huge = collection(point("r1", 0.002, 0.0001, population=1e300))
    raises(errors.FeatureError, tiny(demand=huge), ["demand.geojson", "feature 0", "`population`", "largest accepted"])
    long = collection(point("r1", 0.002, 0.0001, note="y" * 200_000))
    assert study(tiny(demand=long)).summary["coverage"]["residents"] == 1


def test_row_12_empty_and_self_intersecting_polygons(tiny):
    polygons = collection(
        {"type": "Feature", "properties": {"id": "empty"}, "geometry": {"type": "Polygon", "coordinates": []}},
        {
            "type": "Feature",
            "properties": {"id": "bowtie"},
            "geometry": {"type": "Polygon", "coordinates": [[[0.0015, 0], [0.0017, 0.0002], [0.0017, 0], [0.0015, 0.0002], [0.0015, 0]]]},
        },
    )
    summary = study(tiny(demand=polygons)).summary
    assert summary["inputs"]["demand"]["skipped"]["empty polygon"] == 1
    assert summary["coverage"]["residents_covered"] == 1


def test_row_13_network_with_no_walkable_edge(tiny):
    motorway = collection({"type": "Feature", "properties": {"highway": "motorway"}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [0.001, 0]]}})
    raises(errors.InputError, tiny(roads=motorway), ["roads.geojson", "not walkable (highway=motorway)"])


def test_row_14_centers_all_off_network(tiny):
    coverage = study(tiny(centers=collection(point("c1", 0.5, 0.5)))).summary["coverage"]
    assert coverage["centers_too_far_from_network"] == 1
    assert coverage["coverage_ratio"] == 0.0
    assert coverage["no_path_population"] == 3.0


def test_row_15_files_too_large_for_the_limits(tiny):
    import json

    padded = json.dumps(ROADS) + " " * (3 << 19)
    raises(errors.FileError, tiny(roads=padded), ["roads.geojson", "more than the limit of 1048576 bytes"], max_input_mb=1)
    raises(errors.TooLargeError, tiny(), ["roads.geojson", "more than the limit of 1 features"], max_features=1)
    bomb = gzip.compress(json.dumps(ROADS).encode() + b" " * (2 << 20))
    raises(errors.TooLargeError, tiny(roads=bomb, names=("roads.geojson.gz", "c.geojson", "d.geojson")), ["decompress to more than the limit of 1048576 bytes"], max_input_mb=1)
    raises(errors.ParameterError, tiny(), ["max_input_mb", "at least 1"], max_input_mb=0)


def test_row_16_capacity_after_figures_are_capacitated(tiny):
    demand = collection(*[point(f"r{i}", 0.002, 0.0009 + i * 1e-6, population=10) for i in range(3)])
    s = study(tiny(centers=collection(point("c1", 0.5, 0.5)), demand=demand))
    plan = s.plan("mclp", k=1, capacity=15, candidates=collection(point("site", 0.001, 0.001)))
    assert plan.report["covered_population_after"] <= 15
    assert plan.report["coverage_ratio_after"] == pytest.approx(plan.report["covered_population_after"] / 30)


def test_missing_files_and_parameters():
    with pytest.raises(errors.FileError) as caught:
        lifecircle.Study("no/such/roads.geojson", CENTERS, DEMAND)
    assert "no/such/roads.geojson" in str(caught.value)
    assert isinstance(caught.value, OSError)
    with pytest.raises(errors.ParameterError) as caught:
        lifecircle.Study(ROADS, CENTERS, DEMAND, minutes=-1)
    assert caught.value.parameter == "threshold_min"
    with pytest.raises(errors.ParameterError):
        lifecircle.Study(ROADS, CENTERS, DEMAND, profile="runner")
    with pytest.raises(errors.ParameterError):
        lifecircle.Study(ROADS, CENTERS, 42)
    with pytest.raises(errors.FileError):
        lifecircle.Study(ROADS, CENTERS, REPO / "data")


def test_a_named_population_field_that_no_feature_has(tiny):
    raises(errors.InputError, tiny(), ["people"], population_field="people")
