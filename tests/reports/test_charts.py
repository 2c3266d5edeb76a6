"""The summary report's charts: words, tables and pictures from a summary's figures.

No database: the summaries are built by hand in the shape report_summary returns."""

import copy
import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from maca.grades import Grade
from maca.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def grades(outstanding=0, good=0, ri=0, inadequate=0, not_scored=0) -> dict[str, int]:
    return dict(zip(Grade.values, [outstanding, good, ri, inadequate, not_scored], strict=True))


# In the shape report_summary returns, like the demo audit.
DEMO = {
    "audit": {"id": 1, "title": "Neglect", "theme": "Neglect", "status": "reporting"},
    "cases": 15,
    "ratified": 15,
    "cases_by_area": {"East": 5, "North": 5, "Central": 5},
    "grades": grades(good=4, ri=6, inadequate=1, not_scored=4),
    "grades_by_area": {
        "East": grades(good=1, ri=2, inadequate=1, not_scored=1),
        "North": grades(good=2, ri=2, not_scored=1),
        "Central": grades(good=1, ri=2, not_scored=2),
    },
    "agencies": ["Children's Social Care", "Police", "Health Provider"],
    "returns": {"requested": 42, "submitted": 38},
    "agency_vs_ratified": {
        "Children's Social Care": {"same": 6, "higher": 4, "lower": 1},
        "Police": {"same": 5, "higher": 2, "lower": 0},
        "Health Provider": {"same": 3, "higher": 3, "lower": 1},
    },
    "themes": [],
    "immediate_actions": {"total": 1, "open": 0},
    "actions": {"total": 4, "open": 2, "overdue": 0},
}

# An audit still collecting: cases sampled, no returns in, nothing ratified.
EMPTY = {
    **DEMO,
    "ratified": 0,
    "grades": grades(),
    "grades_by_area": {area: grades() for area in ("East", "North", "Central")},
    "agencies": [],
    "returns": {"requested": 0, "submitted": 0},
    "agency_vs_ratified": {},
}

CHARTS = [
    charts.overall_grades,
    charts.grades_by_area,
    charts.agency_vs_ratified,
    charts.return_rate,
]


def _svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return [el.text for el in root.iter(f"{SVG}text") if el.text]


def test_overall_grades_says_every_figure_in_scale_order():
    chart = charts.overall_grades(DEMO)

    assert chart.key == "overall_grades"
    assert chart.alt == (
        "Bar chart of the 15 cases' ratified grades: outstanding 0, good 4, "
        "requires improvement 6, inadequate 1, not scored 4."
    )
    assert chart.table.headers == ("Grade", "Cases")
    assert chart.table.rows == tuple((grade.label, DEMO["grades"][grade]) for grade in Grade)
    assert chart.table.rows[0] == ("Outstanding", 0)
    assert chart.table.rows[-1] == ("Not scored", 4)


def test_overall_grades_says_when_only_some_cases_are_ratified():
    summary = {**DEMO, "grades": grades(good=2, ri=1), "ratified": 3}

    alt = charts.overall_grades(summary).alt

    assert alt.startswith("Bar chart of the ratified grades of 3 of the 15 cases")
    assert alt.endswith(
        ": outstanding 0, good 2, requires improvement 1, inadequate 0, not scored 0."
    )


def test_grades_by_area_says_every_area_and_grade():
    chart = charts.grades_by_area(DEMO)

    for expected in (
        "East (5 cases): outstanding 0, good 1, requires improvement 2, inadequate 1, "
        "not scored 1.",
        "North (5 cases): outstanding 0, good 2, requires improvement 2, inadequate 0, "
        "not scored 1.",
        "Central (5 cases): outstanding 0, good 1, requires improvement 2, inadequate 0, "
        "not scored 2.",
    ):
        assert expected in chart.alt
    assert chart.table.headers == ("Area", *Grade.labels)
    assert chart.table.rows == tuple(
        (area, *counts.values()) for area, counts in DEMO["grades_by_area"].items()
    )


def test_agency_vs_ratified_says_every_agency_and_what_higher_means():
    chart = charts.agency_vs_ratified(DEMO)

    assert "Children's Social Care: same 6, higher 4, lower 1." in chart.alt
    assert "Police: same 5, higher 2, lower 0." in chart.alt
    assert "Health Provider: same 3, higher 3, lower 1." in chart.alt
    assert '"Higher" means the agency graded its own involvement better than the meeting' in (
        chart.alt
    )
    assert "Higher" in chart.table.caption
    assert chart.table.headers == ("Agency", "Same", "Higher", "Lower")
    assert chart.table.rows == tuple(
        (agency, row["same"], row["higher"], row["lower"])
        for agency, row in DEMO["agency_vs_ratified"].items()
    )


def test_return_rate_says_submitted_of_requested():
    chart = charts.return_rate(DEMO)

    assert chart.alt == (
        "Bar chart of single-agency returns: 38 of the 42 requested returns submitted (90%); "
        "4 not yet submitted."
    )
    assert chart.table.rows == (("Requested", 42), ("Submitted", 38))


def test_all_charts_in_report_order():
    assert [chart.key for chart in charts.all_charts(DEMO)] == [
        "overall_grades",
        "grades_by_area",
        "agency_vs_ratified",
        "return_rate",
    ]


@pytest.mark.parametrize("make", CHARTS)
def test_svg_is_inline_ready_xml_with_title_and_text(make):
    chart = make(DEMO)

    svg = chart.svg()

    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    assert "@font-face" not in svg
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.find(f"{SVG}title").text == chart.title
    assert root.find(f"{SVG}desc").text == chart.alt
    assert "Arial" in svg  # text kept as text, in the report's font
    assert "<dc:date>" not in svg


def test_svg_labels_the_bars_with_their_counts():
    overall = charts.overall_grades(DEMO).svg()
    root = ET.fromstring(overall)  # noqa: S314 - our own output
    bar_labels = [el.text for el in root.iter(f"{SVG}text") if el.get("font-weight") == "700"]
    assert bar_labels == ["0", "4", "6", "1", "4"]
    texts = _svg_texts(overall)
    assert {"Outstanding", "Good", "Inadequate", "Not scored", "Cases"} <= set(texts)

    by_area = _svg_texts(charts.grades_by_area(DEMO).svg())
    assert {"East", "North", "Central", "Requires improvement"} <= set(by_area)
    assert by_area.count("2") == 6  # five bars of 2 and the axis tick

    agency = _svg_texts(charts.agency_vs_ratified(DEMO).svg())
    assert {"Police", "Same", "Higher", "Lower", "6", "5", "4", "3"} <= set(agency)

    assert "38 of 42 submitted (90%)" in _svg_texts(charts.return_rate(DEMO).svg())


@pytest.mark.parametrize("make", CHARTS)
def test_png_decodes_at_a4_width(make):
    png = make(DEMO).png()

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    width, height = image.size
    assert width == 1260  # 6.3 inches at 200 dpi
    assert 300 < height < 1200
    assert Image.open(io.BytesIO(make(DEMO).png(dpi=100))).size[0] == 630


@pytest.mark.parametrize("make", CHARTS)
def test_the_same_figures_give_the_same_svg(make):
    assert make(DEMO).svg() == make(copy.deepcopy(DEMO)).svg()


def test_a_summary_s_charts_are_drawn_once_and_kept(monkeypatch):
    """Pages showing the same report (an edition, the draft between edits) draw nothing
    again; changed figures draw anew, so nothing stale is shown."""
    drawn = []
    draw = charts.Chart._draw_and_save
    monkeypatch.setattr(
        charts.Chart,
        "_draw_and_save",
        lambda self, *a, **k: drawn.append(self.key) or draw(self, *a, **k),
    )
    summary = {**DEMO, "cases": 11}  # not asked for by any other test of this process
    first = [chart.svg() for chart in charts.all_charts(summary)]
    again = [chart.svg() for chart in charts.all_charts(copy.deepcopy(summary))]
    assert again == first
    assert len(drawn) == 4
    changed = {**summary, "grades": grades(good=5, ri=5, inadequate=1, not_scored=4)}
    assert charts.all_charts(changed)[0].svg() != first[0]
    assert len(drawn) == 5


def test_different_figures_give_a_different_svg():
    other = {**DEMO, "grades": grades(good=5, ri=5, inadequate=1, not_scored=4)}
    assert charts.overall_grades(DEMO).svg() != charts.overall_grades(other).svg()


@pytest.mark.parametrize("make", CHARTS)
def test_nothing_ratified_yet_still_renders(make):
    chart = make(EMPTY)

    ET.fromstring(chart.svg())  # noqa: S314 - our own output
    assert chart.png().startswith(b"\x89PNG")


def test_nothing_ratified_yet_is_said_in_words():
    overall = charts.overall_grades(EMPTY)
    assert "no cases have been ratified yet (0 of 15)" in overall.alt
    assert "outstanding 0, good 0, requires improvement 0, inadequate 0, not scored 0." in (
        overall.alt
    )
    assert "No cases ratified yet" in _svg_texts(overall.svg())
    assert "No cases have been ratified yet" in charts.grades_by_area(EMPTY).alt
    assert "East (5 cases): outstanding 0," in charts.grades_by_area(EMPTY).alt
    assert "No agency's grade can be compared" in charts.agency_vs_ratified(EMPTY).alt
    assert charts.agency_vs_ratified(EMPTY).table.rows == ()
    assert "no returns have been requested yet" in charts.return_rate(EMPTY).alt
