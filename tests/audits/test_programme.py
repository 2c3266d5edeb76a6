"""The audit programme: a year's audits (1 April to 31 March, by meeting date) and those being
planned without a date, each with why it is held; for coordinators and the board; the reason
is set when planning, carried by bundles, refused when it is not one of the list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.access import viewer_as
from maca.audits import planning
from maca.audits.models import AuditReason, AuditStatus
from maca.audits.programme import Year, programme_for
from maca.bundles.services import bundle_export, bundle_import
from maca.errors import DomainError
from tests import factories as f
from tests.bundles.test_absent_fields import minimal_bundle
from tests.pages import text_of

pytestmark = pytest.mark.django_db

URL = "/audits/programme/"


def test_a_year_runs_from_april_to_march():
    assert Year.of(datetime.date(2027, 3, 31)) == Year(2026)
    assert Year.of(datetime.date(2027, 4, 1)) == Year(2027)
    assert (Year(2026).start, Year(2026).end) == (
        datetime.date(2026, 4, 1),
        datetime.date(2027, 3, 31),
    )
    assert Year(2026).label == "2026 to 2027"


@pytest.fixture
def programme_audits(partnership):
    year = Year.of(timezone.localdate())

    def audit(title, status, meeting, reason=""):
        return f.AuditFactory(
            partnership=partnership,
            title=title,
            status=status,
            meeting_date=meeting,
            reason=reason,
        )

    return {
        "first": audit("First", AuditStatus.CLOSED, year.start, AuditReason.INSPECTION),
        "last": audit("Last", AuditStatus.PLANNING, year.end, AuditReason.BOARD_PRIORITY),
        "before": audit("Year before", AuditStatus.CLOSED, year.start - datetime.timedelta(1)),
        "after": audit("Year after", AuditStatus.PLANNING, year.end + datetime.timedelta(1)),
        "undated": audit("No date yet", AuditStatus.PLANNING, None, AuditReason.REAUDIT),
        "undated_running": audit("Running, no date", AuditStatus.COLLECTING, None),
    }


def _titles(entries):
    return [entry.audit.title for entry in entries]


def test_the_year_holds_the_audits_meeting_in_it_and_those_not_yet_scheduled(
    programme_audits, coordinator, other_audit
):
    programme = programme_for(viewer_as(coordinator), Year.of(timezone.localdate()))
    assert _titles(programme.scheduled) == ["First", "Last"]
    assert _titles(programme.unscheduled) == ["No date yet"]
    assert all(entry.may_open for entry in programme.scheduled)


def test_the_board_sees_the_planned_audits_it_may_not_open(
    programme_audits, board_member, client_for
):
    programme = programme_for(viewer_as(board_member), Year.of(timezone.localdate()))
    assert [(e.audit.title, e.may_open) for e in programme.scheduled] == [
        ("First", True),
        ("Last", False),  # being planned: not yet shown to members
    ]
    page = text_of(client_for(board_member).get(URL))
    assert "A re-audit due" in page and "An inspection's finding" in page
    assert "Year before" not in page


def test_another_year_and_a_year_that_is_not_one(programme_audits, coordinator, client_for):
    year = Year.of(timezone.localdate())
    client = client_for(coordinator)
    page = text_of(client.get(f"{URL}?year={year.first - 1}"))
    assert "Year before" in page and "First" not in page

    refused = client.get(f"{URL}?year=twenty")
    assert refused.status_code == 400
    assert f"Year must be a year from 2000 to 2100, like {year.first}" in text_of(refused)


def test_agency_users_may_not_open_it(police_auditor, client_for):
    assert client_for(police_auditor).get(URL).status_code == 403


def test_the_reason_is_set_when_planning_and_shown_on_the_audit(
    partnership, areas, coordinator, client_for
):
    client = client_for(coordinator)
    response = client.post(
        reverse("audits:create"),
        {
            "title": "Exploitation",
            "theme": "Child exploitation",
            "reason": "review",
            **{f"area_{area.pk}": 0 for area in areas.values()},
        },
    )
    assert response.status_code == 302, text_of(response)
    audit = partnership.audits.get(title="Exploitation")
    assert audit.reason == AuditReason.REVIEW
    assert "A review's recommendation" in text_of(
        client.get(reverse("audits:detail", args=[audit.pk]))
    )


def test_a_reason_not_in_the_list_is_refused_naming_the_field(partnership, coordinator):
    with pytest.raises(DomainError) as refused:
        planning.audit_create(
            partnership=partnership, by=coordinator, title="A", theme="B", reason="whim"
        )
    assert (refused.value.field, refused.value.message) == (
        "reason",
        "Choose why the audit is held from the list",
    )
    assert not partnership.audits.filter(title="A").exists()


def test_a_bundle_carries_the_reason_and_an_older_one_imports_without():
    bundle = minimal_bundle()
    assert "reason" not in bundle["audit"]
    audit = bundle_import(data=bundle)
    assert audit.reason == "" and bundle_export(audit)["audit"]["reason"] is None

    bundle = minimal_bundle()
    bundle["audit"] |= {"title": "With a reason", "reason": "reaudit"}
    assert bundle_export(bundle_import(data=bundle))["audit"]["reason"] == "reaudit"
