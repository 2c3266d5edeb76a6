"""The yearly report's pages: a period's errors named on its fields, a section's words saved
and a stale save refused (409, the other person's words shown), the author offered no
approval, and the board sent on to the published edition."""

import datetime

import pytest
from django.urls import reverse

from maca import access
from maca.yearly import services
from maca.yearly.document import yearly_document
from maca.yearly.models import YearlyReport
from maca.yearly.selectors import yearly_state

TODAY = datetime.date.today()


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


@pytest.fixture
def report(partnership, coordinator):
    return services.yearly_report_create(
        partnership=partnership,
        start=TODAY - datetime.timedelta(days=364),
        end=TODAY,
        by=coordinator,
    )


def test_a_period_ending_before_it_starts_is_refused_on_its_end(client_for, coordinator):
    answer = client_for(coordinator).post(
        reverse("yearly:new"),
        {**_date("start", TODAY), **_date("end", TODAY - datetime.timedelta(days=1))},
    )
    assert answer.status_code == 400
    assert "The end of the period must be after its start" in answer.content.decode()
    assert not YearlyReport.objects.exists()


def test_a_period_is_started_and_opens_as_a_draft(client_for, coordinator):
    client = client_for(coordinator)
    answer = client.post(
        reverse("yearly:new"),
        {**_date("start", TODAY - datetime.timedelta(days=364)), **_date("end", TODAY)},
    )
    report = YearlyReport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "yearly:report", args=[report.pk]
    )
    page = client.get(answer["Location"]).content.decode()
    assert 'id="report-state">Draft<' in page and "Send for approval" in page


def test_a_stale_save_of_a_section_is_refused_and_shows_the_words_saved(
    client_for, report, coordinator, second_coordinator
):
    url = reverse("yearly:section", args=[report.pk, "changes"])
    first = client_for(coordinator).post(url, {"text": "Our words.", "version": 0})
    assert first.status_code == 302
    stale = client_for(second_coordinator).post(url, {"text": "Their words.", "version": 0})
    assert stale.status_code == 409
    assert "Your words were not saved" in stale.content.decode()
    assert "Our words." in stale.content.decode()
    assert report.sections.get(key="changes").text == "Our words."


def test_the_author_is_not_offered_the_approval_and_is_refused_it(client_for, report, coordinator):
    services.yearly_report_send(report=report, by=coordinator)
    client = client_for(coordinator)
    page = client.get(reverse("yearly:report", args=[report.pk])).content.decode()
    assert "Approve the report" not in page
    digest = yearly_state(
        report, yearly_document(report, access.viewer_as(coordinator, report.partnership))
    ).digest
    refused = client.post(reverse("yearly:approve", args=[report.pk]), {"digest": digest})
    assert refused.status_code == 400
    assert "a second coordinator must approve it" in refused.content.decode()


def test_the_board_reads_nothing_until_published_then_the_edition(
    client_for, report, coordinator, second_coordinator, board_member
):
    board = client_for(board_member)
    assert board.get(reverse("yearly:report", args=[report.pk])).status_code == 404
    viewer = access.viewer_as(second_coordinator, report.partnership)
    services.yearly_report_send(report=report, by=coordinator)
    digest = yearly_state(report, yearly_document(report, viewer)).digest
    services.yearly_report_approve(report=report, digest=digest, by=second_coordinator)
    services.yearly_report_publish(report=report, digest=digest, by=coordinator)
    answer = board.get(reverse("yearly:report", args=[report.pk]))
    assert answer["Location"] == reverse("yearly:edition", args=[report.pk, 1])
    assert board.get(answer["Location"]).status_code == 200
