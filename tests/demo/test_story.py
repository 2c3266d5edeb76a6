"""The demo tells the same story whatever the day it is loaded (maca.demo.story).

Each status is checked on the day the bundles were written, today, a year either side and a
leap day: the collecting audit's returns are due in three weeks and its flag was raised
yesterday (and leads the coordinator's home page), the audit being planned has its dates
ahead, the audit in monitoring has exactly two actions overdue (and an immediate action due in
three days), the closed audits keep their historic dates, and the change history records how
far the dates moved.
"""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maca import access
from maca.audits.models import Audit, AuditStatus, RequestStatus
from maca.audits.tracking import tracking_grid
from maca.demo.story import BUNDLES, STORY_DAY, days_moved, demo_bundle, demo_bundle_names
from maca.history.models import ChangeRecord
from maca.reports.summary import report_summary
from maca.returns.models import Return
from tests.signing_in import sign_in
from tests.support import once

TODAY = datetime.date.today()
DAYS = {
    "story-day": STORY_DAY,
    "today": TODAY,
    "a-year-ahead": TODAY + datetime.timedelta(days=365),
    "a-year-back": TODAY - datetime.timedelta(days=365),
    "leap-day": datetime.date(2028, 2, 29),
}


# Named, not dated: xdist's workers must collect the same ids even across midnight. One day
# at a time for the whole module: the demo is loaded once per day, not once per test.
@pytest.fixture(scope="module", params=DAYS.values(), ids=DAYS.keys())
def day(request):
    # Noon in the installation's time zone, so "today" is the same day wherever it is read.
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(request.param, datetime.time(12))),
        tick=False,
    ):
        yield request.param


@pytest.fixture(scope="module")
def loaded(day, django_db_setup, django_db_blocker):
    """The demo loaded on `day`, once for the module's tests of that day (`demo`)."""
    with once.rolled_back(django_db_blocker):
        out = io.StringIO()
        call_command("load_demo", "--without-feedback-packs", stdout=out)
        yield out.getvalue()


@pytest.fixture
def demo(loaded, db):
    return loaded


def audit(title_start: str) -> Audit:
    """The first audit loaded whose title starts so (a re-audit's starts as its earlier's)."""
    found = Audit.objects.filter(title__startswith=title_start).order_by("pk").first()
    assert found is not None, title_start
    return found


def test_the_collecting_audit_is_due_in_three_weeks_with_a_flag_raised_yesterday(demo, day):
    neglect = audit("Neglect")
    assert neglect.status == AuditStatus.COLLECTING
    assert neglect.returns_due == day + datetime.timedelta(days=21)
    assert neglect.meeting_date > neglect.returns_due

    coordinator = neglect.partnership.memberships.get(user__email="coordinator@example.org").user
    flags = tracking_grid(access.viewer_as(coordinator), neglect, today=day).flags
    assert len(flags) == 1
    assert timezone.localdate(flags[0].flagged_at) == day - datetime.timedelta(days=1)
    submitted = Return.objects.filter(request__audit=neglect, submitted_at__isnull=False)
    assert submitted.count() == 31
    assert all(timezone.localdate(r.submitted_at) < day for r in submitted)
    assert not neglect.requests.filter(status=RequestStatus.OUTSTANDING, due__lt=day).exists()


def test_the_coordinators_home_page_leads_with_the_police_flag_of_yesterday(demo, day):
    neglect = audit("Neglect")
    coordinator = neglect.partnership.memberships.get(user__email="coordinator@example.org").user
    client = Client()
    sign_in(client, coordinator)

    page = client.get(reverse("home")).content.decode()

    banner = page[: page.index("<h1")]
    assert "Case NEG-N-02, Police</a> (Neglect: recognising cumulative harm)" in banner
    assert "flagged yesterday" in banner
    # Only the audit that is collecting returns: the flags older audits' bundles carry are
    # their history, not something to do.
    assert banner.count("govuk-notification-banner__link") == 1


def test_the_audit_being_planned_has_its_dates_ahead(demo, day):
    planning = audit("Children missing from education")
    assert planning.status == AuditStatus.PLANNING
    assert day < planning.returns_due < planning.meeting_date


def test_the_audit_in_monitoring_has_exactly_two_actions_overdue(demo, day):
    monitoring = audit("Children living with domestic abuse")
    summary = report_summary(monitoring)
    assert summary["actions"] == {"total": 7, "open": 6, "overdue": 2}
    assert summary["immediate_actions"] == {"total": 2, "open": 1}
    immediate = monitoring.actions.get(case__isnull=False, status="in_progress")
    assert immediate.due == day + datetime.timedelta(days=3)


def test_the_re_audit_finds_one_success_measure_met_and_one_not_on_any_day(demo, day):
    reaudit = audit("Children living with domestic abuse: re-audit")
    assert reaudit.reaudit_of == audit("Children living with domestic abuse")
    assert reaudit.status == AuditStatus.REPORTING
    assert reaudit.meeting_date < day  # the meeting was held; the report is being written
    comparison = report_summary(reaudit)["comparison"]
    met = [r["success"]["met"] for r in comparison["recommendations"] if r["success"]]
    assert met == [True, False]


def test_the_closed_audits_keep_their_historic_dates(demo):
    for name in demo_bundle_names():
        written = json.loads((BUNDLES / name).read_text(encoding="utf-8"))["audit"]
        if written["status"] != AuditStatus.CLOSED:
            continue
        loaded = Audit.objects.get(title=written["title"])
        assert loaded.returns_due.isoformat() == written["returns_due"]
        assert loaded.meeting_date.isoformat() == written["meeting_date"]


def test_the_history_records_how_far_each_audit_moved(demo, day):
    moved = (day - STORY_DAY).days
    for status, title in [
        (AuditStatus.COLLECTING, "Neglect"),
        (AuditStatus.MONITORING, "Children living with domestic abuse"),
        (AuditStatus.CLOSED, "Transitions"),
    ]:
        record = ChangeRecord.objects.filter(audit_id=audit(title).pk).order_by("pk").first()
        expected = days_moved(status, today=day)
        if expected:
            assert f"every date moved {expected:+d} days" in record.reason
            assert f"loaded on {day.isoformat()}" in record.reason
        else:
            assert "moved" not in record.reason
    if moved:
        assert f"dates moved {moved:+d} days" in demo


def test_the_demo_bundle_for_a_day_moves_only_audits_that_are_not_closed():
    later = STORY_DAY + datetime.timedelta(days=100)
    assert demo_bundle("03-neglect.json", today=later)["audit"]["returns_due"] == "2027-04-01"
    assert demo_bundle("02-transitions.json", today=later)["audit"]["returns_due"] == "2017-10-31"
    assert demo_bundle("03-neglect.json", today=STORY_DAY) == json.loads(
        (BUNDLES / "03-neglect.json").read_text(encoding="utf-8")
    )
