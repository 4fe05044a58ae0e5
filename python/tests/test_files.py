"""to_files: all or nothing, never over an input or a folder that is not ours."""

import os

import pytest

import lifecircle
from lifecircle import errors


@pytest.fixture
def small(tiny):
    paths = tiny()
    return paths, lifecircle.Study(*paths, min_component_nodes=1)


def test_a_rerun_replaces_exactly_the_outputs(small, tmp_path):
    _, study = small
    out = tmp_path / "out"
    study.to_files(out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "units.geojson").write_text("left over from a run with units")
    study.to_files(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.lifecircle-")]


def test_refuses_a_folder_holding_an_input(small, tmp_path):
    paths, study = small
    with pytest.raises(errors.FileError, match="is inside this folder"):
        study.to_files(os.path.dirname(paths[0]))
    assert os.path.exists(paths[0])


def test_refuses_foreign_files_and_symlinks(small, tmp_path):
    _, study = small
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(errors.FileError, match="notes.txt"):
        study.to_files(foreign)
    assert (foreign / "notes.txt").read_text() == "mine"
    link = tmp_path / "link"
    link.symlink_to(foreign)
    with pytest.raises(errors.FileError, match="symbolic link"):
        study.to_files(link)
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(errors.FileError, match="is a file"):
        study.to_files(file)


def test_a_failed_write_leaves_the_previous_outputs(small, tmp_path, monkeypatch):
    _, study = small
    out = tmp_path / "out"
    study.to_files(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def fail(folder, title):
        (tmp_path / "partial").write_text("x")
        raise OSError("disk full")

    native = study._native

    class Failing:
        def __getattr__(self, name):
            return getattr(native, name)

        write_files = staticmethod(fail)

    monkeypatch.setattr(study, "_native", Failing())
    with pytest.raises(errors.FileError, match="disk full"):
        study.to_files(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.lifecircle-")]


def test_refuses_a_folder_holding_a_geopackage_layer_or_a_shapefile_companion(tmp_path):
    """`city.gpkg:roads` is the file city.gpkg; a .shp's .dbf is an input too."""
    formats = "core/tests/fixtures/formats/"
    gpkg = tmp_path / "gpkg"
    gpkg.mkdir()
    (gpkg / "w.gpkg").write_bytes(open(formats + "wuhan_32650.gpkg", "rb").read())
    study = lifecircle.Study(
        f"{gpkg}/w.gpkg:roads", f"{gpkg}/w.gpkg:centers", f"{gpkg}/w.gpkg:units", min_component_nodes=1
    )
    with pytest.raises(errors.FileError, match="is inside this folder"):
        study.to_files(gpkg)
    shp = tmp_path / "shp"
    shp.mkdir()
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        (shp / f"c.{ext}").write_bytes(open(formats + f"centers_4547.{ext}", "rb").read())
    study = lifecircle.Study(formats + "roads.geojson", str(shp / "c.shp"), formats + "centers.geojson", min_component_nodes=1)
    (shp / "c.shp").rename(tmp_path / "c.shp")  # only the companions are left in the folder
    with pytest.raises(errors.FileError, match="is inside this folder"):
        study.to_files(shp)
    assert (shp / "c.dbf").exists()
