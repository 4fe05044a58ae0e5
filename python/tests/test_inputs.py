"""Every input form gives the same study: files, GeoDataFrames in any CRS, GeoJSON dicts."""

import json

import geopandas
import pytest

import lifecircle
from conftest import CENTERS, DEMAND, MONACO, MONACO_CENTERS, ROADS, REPO


def frame(collection, crs="EPSG:4326"):
    return geopandas.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326").to_crs(crs)


@pytest.fixture(scope="module")
def monaco_layers(tmp_path_factory):
    """Monaco's layers as GeoJSON files, written by the command line's own reader through a
    first study (residents and centers as points, roads as lines)."""
    import os

    os.chdir(REPO)
    study = lifecircle.Study(MONACO, lifecircle.from_osm(MONACO, MONACO_CENTERS), lifecircle.from_osm(MONACO, "building"))
    residents = study.residents(format="geojson")
    demand = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"id": f["properties"]["id"], "population": f["properties"]["population"]}, "geometry": f["geometry"]}
            for f in residents["features"]
        ],
    }
    network = study.network(format="geojson")
    roads = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"highway": "footway"}, "geometry": f["geometry"]}
            for f in network["features"]
        ],
    }
    centers = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"id": f["properties"]["id"]}, "geometry": f["geometry"]}
            for f in study.centers(format="geojson")["features"]
        ],
    }
    folder = tmp_path_factory.mktemp("monaco")
    paths = {}
    for name, layer in (("roads", roads), ("centers", centers), ("demand", demand)):
        paths[name] = folder / f"{name}.geojson"
        paths[name].write_text(json.dumps(layer))
    return paths, {"roads": roads, "centers": centers, "demand": demand}


def coverage(study):
    c = study.summary["coverage"]
    return (c["total_population"], c["covered_population"], c["residents_covered"], c["histogram"])


def test_geodataframes_dicts_and_files_agree(monaco_layers):
    paths, layers = monaco_layers
    from_files = lifecircle.Study(str(paths["roads"]), str(paths["centers"]), str(paths["demand"]))
    from_dicts = lifecircle.Study(layers["roads"], layers["centers"], layers["demand"])
    from_frames = lifecircle.Study(frame(layers["roads"]), frame(layers["centers"]), frame(layers["demand"]))
    assert coverage(from_files) == coverage(from_dicts) == coverage(from_frames)
    want = from_files.residents(format="arrow").to_pylist()
    assert from_frames.residents(format="arrow").to_pylist() == want
    assert from_dicts.residents(format="arrow").to_pylist() == want


def test_a_projected_geodataframe_is_reprojected(monaco_layers):
    _, layers = monaco_layers
    wgs84 = lifecircle.Study(frame(layers["roads"]), frame(layers["centers"]), frame(layers["demand"]))
    # UTM zone 32N, where Monaco lies: metres, far beyond ±180.
    utm = lifecircle.Study(
        frame(layers["roads"], "EPSG:32632"),
        frame(layers["centers"], "EPSG:32632"),
        frame(layers["demand"], "EPSG:32632"),
    )
    a, b = wgs84.residents(), utm.residents()
    assert list(a["covered"]) == list(b["covered"])
    assert (a["walk_m"] - b["walk_m"]).abs().max() < 0.01


def test_point_properties_cross_with_their_types(tmp_path):
    centers = frame(CENTERS)
    centers["name"] = ["中心"]
    demand = frame(DEMAND)
    study = lifecircle.Study(frame(ROADS), centers, demand, min_component_nodes=1)
    residents = study.residents()
    assert list(residents["id"]) == ["r1"]
    assert list(residents["population"]) == [3.0]
    assert list(residents["nearest_center"]) == ["c1"]


def test_a_frame_without_id_column_uses_its_index():
    demand = frame(DEMAND).drop(columns=["id"])
    demand.index = ["home"]
    study = lifecircle.Study(ROADS, CENTERS, demand, min_component_nodes=1)
    assert list(study.residents()["id"]) == ["home"]


def test_population_field_and_csv_files(tiny):
    roads, centers, demand = tiny(demand=b"id,lon,lat,people\na,0.002,0.0001,7\n", names=("r.geojson", "c.geojson", "d.csv"))
    study = lifecircle.Study(roads, centers, demand, population_field="people", min_component_nodes=1)
    assert study.summary["coverage"]["total_population"] == 7.0


def test_progress_reports_each_stage(tiny):
    stages = []
    study = lifecircle.Study(*tiny(), min_component_nodes=1, progress=stages.append)
    assert stages == ["reading inputs", "building walk network", "computing walks"]
    later = []
    study.residents(progress=later.append)
    assert later[0] == "profiles, slope and services"


FORMATS = "core/tests/fixtures/formats/"


def test_gis_files_in_their_own_systems_give_the_same_coverage(tmp_path):
    """The Wuhan fixtures made by GDAL: GeoPackage in UTM 50N (layers chosen after a
    colon), Shapefile in CGCS2000 Gauss-Kruger with its companions, FlatGeobuf in Web
    Mercator, GeoParquet — the same residents and walks as the GeoJSON."""
    def study(roads, centers, units):
        return lifecircle.Study(
            FORMATS + roads, FORMATS + centers, FORMATS + units,
            FORMATS + units, demand_spread_m=40, minutes=5, min_component_nodes=1,
        )

    want = study("roads.geojson", "centers.geojson", "units.geojson")
    key = lambda frame: sorted(  # noqa: E731 - FlatGeobuf keeps index order
        (round(g.x, 7), round(g.y, 7), w) for g, w in zip(frame.geometry, frame["walk_m"].fillna(-1))
    )
    expected = key(want.residents())
    assert len(expected) > 100
    for roads, centers, units in [
        ("wuhan_32650.gpkg:roads", "wuhan_32650.gpkg:centers", "wuhan_32650.gpkg:units"),
        ("roads_4547.shp", "centers_4547.shp", "units_4547.shp"),
        ("roads_4547.zip", "centers_3857.fgb", "units_3857.fgb"),
        ("roads.parquet", "centers_32650.parquet", "units.parquet"),
    ]:
        got = study(roads, centers, units)
        assert key(got.residents()) == expected, roads
        assert got.summary["coverage"]["residents_covered"] == want.summary["coverage"]["residents_covered"]
        if roads != "roads.parquet":  # the GeoParquet roads are WGS84 already
            assert got.summary["inputs"]["roads"]["crs"]


def test_crs_names_the_system_of_files_that_declare_none(tmp_path):
    for ext in ("shp", "shx", "dbf"):  # no .prj
        (tmp_path / f"c.{ext}").write_bytes((REPO / FORMATS / f"centers_4547.{ext}").read_bytes())
        (tmp_path / f"r.{ext}").write_bytes((REPO / FORMATS / f"roads_4547.{ext}").read_bytes())
    roads, centers = FORMATS + "roads.geojson", str(tmp_path / "c.shp")
    with pytest.raises(lifecircle.errors.FeatureError, match="--input-crs|cannot be longitude/latitude"):
        lifecircle.Study(roads, centers, FORMATS + "centers.geojson", min_component_nodes=1)
    # Given, it is used for the file without a .prj; the GeoJSON's degrees stay degrees.
    with pytest.raises(ValueError, match="looks like longitude/latitude"):
        lifecircle.Study(roads, centers, FORMATS + "centers.geojson", crs="EPSG:4547", min_component_nodes=1)
    projected = lifecircle.Study(
        str(tmp_path / "r.shp"), centers, centers, crs="EPSG:4547", min_component_nodes=1
    )
    reference = lifecircle.Study(
        FORMATS + "roads.geojson", FORMATS + "centers.geojson", FORMATS + "centers.geojson", min_component_nodes=1
    )
    assert projected.summary["coverage"]["residents_covered"] == reference.summary["coverage"]["residents_covered"]
    assert projected.summary["inputs"]["centers"]["crs"] == "EPSG:4547"
    with pytest.raises(lifecircle.errors.ParameterError, match="crs"):
        lifecircle.Study(roads, centers, FORMATS + "centers.geojson", crs="EPSG:999999")
