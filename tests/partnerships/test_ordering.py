"""One order of areas and agencies everywhere: the partnership's own (position, then name),
never alphabetical (maca/partnerships/ordering.py)."""

import re
from pathlib import Path

from maca.audits.models import RequestStatus
from maca.partnerships.models import Agency
from maca.partnerships.ordering import in_partnership_order, partnership_order
from maca.reports.charts import all_charts
from maca.reports.summary import report_summary
from tests import factories as f

MACA = Path(__file__).resolve().parents[2] / "maca"


def test_the_order_is_position_then_name(partnership):
    late = f.AgencyFactory(partnership=partnership, name="Avon Police", position=2)
    first = f.AgencyFactory(partnership=partnership, name="Youth Justice", position=0)
    tied = f.AgencyFactory(partnership=partnership, name="Education", position=0)
    assert sorted([late, first, tied], key=in_partnership_order) == [tied, first, late]
    ordered = Agency.objects.filter(partnership=partnership).order_by(*partnership_order())
    assert list(ordered) == [tied, first, late]


def test_the_reports_charts_list_areas_and_agencies_in_the_partnerships_order(
    audit, areas, agencies
):
    # Police first by position, although "Children's Social Care" comes first alphabetically;
    # Central last, although first alphabetically.
    police, csc = agencies["Police"], agencies["Children's Social Care"]
    police.position, csc.position = 0, 1
    police.save()
    csc.save()
    f.CaseFactory(audit=audit, reference="T-C-01", area=areas["Central"])
    audit.requests.filter(agency=csc).update(status=RequestStatus.SUBMITTED)
    for request in audit.requests.filter(agency=csc):
        f.ReturnFactory(request=request, grade="good")

    charts = {chart.key: chart for chart in all_charts(report_summary(audit))}

    by_area = [row[0] for row in charts["grades_by_area"].table.rows]
    assert by_area[:3] == ["East", "North", "Central"]
    by_agency = [row[0] for row in charts["agency_vs_ratified"].table.rows]
    assert by_agency[:2] == ["Police", "Children's Social Care"]


def test_every_place_spells_the_order_only_through_the_helper():
    spelled = re.compile(r'"(\w+__)?position",\s*"(\w+__)?name"|\.position,\s*[\w\[\]]+\.name\)')
    # The scoping module reads only models and base modules (tests/test_layers.py), so it
    # spells the order itself, once.
    allowed = {"partnerships/ordering.py", "access.py"}
    offenders = [
        name
        for path in MACA.rglob("*.py")
        if "migrations" not in path.parts
        and (name := str(path.relative_to(MACA))) not in allowed
        and spelled.search(path.read_text())
    ]
    assert offenders == []


def test_the_reports_charts_keep_the_summarys_order():
    # Serialising the summary with sorted keys listed areas and agencies alphabetically.
    for part in ("reports/charts.py", "learning/charts.py"):
        assert "sort_keys=True" not in (MACA / part).read_text(), part
