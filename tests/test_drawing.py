"""Names reach the charts as they were typed: an area, an agency or an audit may be called
anything, and every chart still draws, showing the name as it is.

matplotlib reads text between two dollar signs as mathematics unless told not to: an area
called `$\\nope$` made the dashboard and the audit's report page answer 500 for the whole
partnership. `maca.drawing` turns that reading off for every text it draws or measures."""

import datetime
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from maca.audits.models import Audit, AuditStatus
from maca.grades import Grade
from maca.learning import charts as dashboard_charts
from maca.learning import figures
from maca.learning.facts import CaseFact, Facts, Place, RequestFact
from maca.profiles import ProfileField
from maca.reports import charts as report_charts
from tests import factories as f
from tests.pages import text_of

MATHS = r"$\nope$"

# Names as a person may type them: any printable text, dollar signs and backslashes included,
# as long as the longest column holds (200).
name = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Cn", "Co"]),
    min_size=1,
    max_size=200,
)
names = st.lists(name, min_size=1, max_size=4, unique=True)


def report_summary(areas: list[str], agencies: list[str]) -> dict:
    """A report summary (in report_summary's shape) naming these areas and agencies."""
    counts = dict(zip(Grade.values, [0, 2, 1, 1, 0], strict=True))
    return {
        "cases": 4 * len(areas),
        "ratified": 4 * len(areas),
        "cases_by_area": dict.fromkeys(areas, 4),
        "grades": {grade: n * len(areas) for grade, n in counts.items()},
        "grades_by_area": {area: counts for area in areas},
        "agencies": agencies,
        "returns": {"requested": 5, "submitted": 3},
        "agency_vs_ratified": {agency: {"same": 1, "higher": 2, "lower": 0} for agency in agencies},
    }


def dashboard_tables(titles: list[str], areas: list[str], agencies: list[str]):
    """The dashboard's drawn tables for audits, areas and agencies of these names."""
    audits = [
        Audit(pk=i, title=title, meeting_date=datetime.date(2017, 6, 21))
        for i, title in enumerate(titles, 1)
    ]
    places = [Place(i, area, i) for i, area in enumerate(areas)]
    bodies = [Place(i, agency, i) for i, agency in enumerate(agencies)]
    needs = ["early_help", "child_in_need", "child_protection", ""]
    cases = [
        CaseFact(
            i,
            audits[i % len(audits)].pk,
            places[i % len(places)],
            grade,
            {"level_of_need": needs[i % len(needs)]},
        )
        for i, grade in enumerate(Grade.values)
    ]
    requests = [
        RequestFact(case.id, case.audit_id, bodies[i % len(bodies)], True, True, "good", i - 2)
        for i, case in enumerate(cases)
    ]
    facts = Facts(audits, {}, cases, requests, [], [], (ProfileField.LEVEL_OF_NEED,))
    tables = [
        figures.grades_by_audit(facts),
        figures.grades_by_area(facts),
        figures.grades_by_profile(facts),
        figures.agency_self_grades(facts),
        figures.agency_ratified_grades(facts),
        figures.return_rates(facts),
        figures.calibration(facts),
    ]
    assert {table.key for table in tables} == set(dashboard_charts.DRAWN)
    return tables


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # drawn as a box, as it should
# Ten charts in two formats take about a second: a dozen sets of names, the maths among them.
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(titles=names, areas=names, agencies=names)
@example(titles=[MATHS], areas=[MATHS, "$"], agencies=[r"\$", "$x^2$ and $y$"])
@example(titles=["$$", r"$\frac{1}{0}$"], areas=["a_b^c"], agencies=[MATHS])
def test_every_chart_draws_whatever_the_names(titles, areas, agencies):
    drawn = report_charts.all_charts(report_summary(areas, agencies))
    drawn += [dashboard_charts.bar_chart(t) for t in dashboard_tables(titles, areas, agencies)]
    for chart in drawn:
        assert chart.svg().startswith("<svg")
        # The same text drawing as the Word file's 200 dpi picture, at a tenth of the cost.
        assert chart.png(dpi=20).startswith(b"\x89PNG")


def _svg_text(svg: str) -> str:
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_a_name_between_dollar_signs_is_drawn_as_it_was_typed():
    summary = report_summary([MATHS, "North"], ["Police", r"$\alpha$ Health"])
    by_area, by_agency = report_charts.all_charts(summary)[1:3]

    assert MATHS in _svg_text(by_area.svg())
    assert r"$\alpha$ Health" in _svg_text(by_agency.svg())
    [table] = [
        t for t in dashboard_tables([MATHS], ["East"], ["Police"]) if t.key == "grades-by-audit"
    ]
    assert MATHS in _svg_text(dashboard_charts.bar_chart(table).svg())


@pytest.mark.django_db
def test_the_dashboard_and_the_report_open_with_such_names(
    partnership, areas, agencies, coordinator, board_member, client_for
):
    areas["East"].name = MATHS
    areas["East"].save()
    audit = f.AuditFactory(partnership=partnership, title=MATHS, status=AuditStatus.REPORTING)
    case = f.CaseFactory(audit=audit, reference="T-E-01", area=areas["East"])
    police = f.RequestFactory(case=case, agency=agencies["Police"], status="submitted")
    f.ReturnFactory(request=police, grade="good")
    f.RatificationFactory(case=case, grade="good")

    coordinators = client_for(coordinator)
    # The grades part of the dashboard names the audit and the area in its charts and tables.
    dashboard = coordinators.get(reverse("learning:dashboard_topic", args=["grades"]))
    report = coordinators.get(reverse("audits:report", args=[audit.pk]))

    assert dashboard.status_code == report.status_code == 200
    assert MATHS in text_of(dashboard) and MATHS in text_of(report)
    assert client_for(board_member).get(reverse("learning:dashboard")).status_code == 200
    board_grades = reverse("learning:dashboard_topic", args=["grades"])
    assert client_for(board_member).get(board_grades).status_code == 200
