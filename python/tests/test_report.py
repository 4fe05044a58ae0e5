"""report.html from the package: the command line's page, from files or from memory."""

from pathlib import Path

import pytest

import lifecircle
from lifecircle.errors import ParameterError

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests/golden/monaco"
MONACO = "data/monaco.osm.pbf"
MONACO_CENTERS = "amenity=library|post_office|townhall|community_centre|social_facility"


@pytest.fixture(scope="module")
def monaco():
    return lifecircle.Study(
        MONACO,
        lifecircle.from_osm(MONACO, MONACO_CENTERS),
        lifecircle.from_osm(MONACO, "building"),
    )


def test_to_files_with_html_writes_the_golden_page(monaco, tmp_path):
    monaco.to_files(tmp_path / "out", html=True)
    assert (tmp_path / "out/report.html").read_bytes() == (GOLDEN / "report.html").read_bytes()


def test_report_html_in_memory_is_the_same_page(monaco):
    assert monaco.report_html() == (GOLDEN / "report.html").read_text(encoding="utf-8")


def test_chinese_and_unknown_languages(monaco):
    page = monaco.report_html("zh", title="摩纳哥")
    assert '<html lang="zh-Hans">' in page and "步行覆盖评估报告" in page and "摩纳哥" in page
    with pytest.raises(ParameterError, match="lang"):
        monaco.report_html("fr")


def test_a_plan_writes_its_report(monaco, tmp_path):
    plan = monaco.plan(k=2)
    plan.to_files(tmp_path / "plan", html=True, lang="en")
    page = (tmp_path / "plan/report.html").read_text(encoding="utf-8")
    assert 'id="map-before"' in page and 'id="map-after"' in page
    assert page.count('class="new-site"') == 2
