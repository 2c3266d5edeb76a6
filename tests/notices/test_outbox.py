"""The coordinators' outbox: every notice of the partnership, whom it reached, and those that
reached nobody or were not delivered, never dropped."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maca.notices.models import Notice, NoticeKind
from maca.notices.services import notice_deliver, notice_send


def _outbox(client, **query) -> str:
    response = client.get(reverse("notices:outbox"), query)
    assert response.status_code == 200
    return response.content.decode()


def _delivered(**kwargs) -> Notice:
    notice = notice_send(**kwargs)
    notice_deliver(notice=notice)
    return notice


def test_the_outbox_shows_whom_each_email_reached_and_what_reached_nobody(
    audit, agencies, coordinator, agency_lead, client_for
):
    _delivered(kind=NoticeKind.CHASE, audit=audit, agency=agencies["Children's Social Care"])
    _delivered(kind=NoticeKind.CHASE, audit=audit, agency=agencies["Police"])
    page = _outbox(client_for(coordinator))
    assert "csc.lead@example.org" in page
    assert page.count("Reached nobody</strong>") == 1
    assert "Reached nobody (1)" in page and "Sent (1)" in page


def test_the_outbox_can_show_only_what_reached_nobody(
    audit, agencies, coordinator, agency_lead, client_for
):
    _delivered(kind=NoticeKind.CHASE, audit=audit, agency=agencies["Children's Social Care"])
    _delivered(kind=NoticeKind.ACTION_ASSIGNED, audit=audit, agency=agencies["Police"])
    page = _outbox(client_for(coordinator), status="nobody")
    assert "Action for the agency" in page and "Chased by the coordinator" not in page


def test_an_email_never_delivered_shows_as_not_delivered(
    audit, agencies, coordinator, agency_lead, client_for
):
    notice = notice_send(
        kind=NoticeKind.CHASE, audit=audit, agency=agencies["Children's Social Care"]
    )
    page = _outbox(client_for(coordinator), status="not_delivered")
    assert "Waiting to be sent" in page
    Notice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = _outbox(client_for(coordinator), status="not_delivered")
    assert "Not delivered</strong>" in page


def test_the_outbox_holds_only_the_partnerships_own_notices(
    audit, other_audit, coordinator, other_partnership_coordinator, client_for
):
    _delivered(kind=NoticeKind.CHASE, audit=other_audit, agency=other_audit.requests.get().agency)
    assert other_audit.title not in _outbox(client_for(coordinator))
    assert other_audit.title in _outbox(client_for(other_partnership_coordinator))


def test_the_outbox_costs_the_same_queries_for_5_notices_as_for_120(
    audit, agencies, coordinator, client_for
):
    client = client_for(coordinator)

    def write(count):
        for _ in range(count):
            _delivered(kind=NoticeKind.CHASE, audit=audit, agency=agencies["Police"])

    write(5)
    _outbox(client)
    with CaptureQueriesContext(connection) as few:
        _outbox(client)
    write(115)
    with CaptureQueriesContext(connection) as many:
        _outbox(client, page=2)
    assert len(many) == len(few)
