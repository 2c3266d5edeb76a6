"""Mail through GOV.UK Notify (decision 74), against a local server that checks what Notify
checks (tests/notices/notify_server.py): each e-mail goes to its address through the one
template with maca's subject and body, signed with the service's key; an address Notify later
says it could not deliver to shows in the coordinators' outbox as not delivered, with why; a
refused key leaves the notice unsent, as a refusing SMTP server does."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from maca.notices.models import Notice, NoticeKind, NoticeStatus, in_status
from maca.notices.notify import deliveries_check
from maca.notices.services import _compose, notice_deliver, notice_send

from .notify_server import API_KEY, TEMPLATE_ID, FakeNotify

pytestmark = pytest.mark.django_db


def _mailers(url: str, api_key: str = API_KEY) -> dict:
    options = {"api_key": api_key, "template_id": TEMPLATE_ID, "base_url": url, "timeout": 5}
    return {"default": {"BACKEND": "maca.notices.notify.NotifyEmailBackend", "OPTIONS": options}}


@pytest.fixture
def notify():
    with FakeNotify() as server, override_settings(MAILERS=_mailers(server.url)):
        yield server


@pytest.fixture
def chased(audit, csc, agency_lead, csc_auditor):
    return notice_send(kind=NoticeKind.CHASE, audit=audit, agency=csc)


def test_each_address_gets_the_template_with_macas_subject_and_body(notify, chased):
    assert notice_deliver(notice=chased) == 2
    chased.refresh_from_db()
    assert chased.status == NoticeStatus.SENT
    assert sorted(sent["email_address"] for sent in notify.sent) == chased.recipients
    subject, body = _compose(chased)
    for sent in notify.sent:
        assert sent["template_id"] == TEMPLATE_ID
        assert sent["personalisation"] == {"subject": subject, "body": body}
    assert {address: receipt["id"] for address, receipt in chased.receipts.items()} == {
        sent["email_address"]: sent["id"] for sent in notify.sent
    }
    assert notify.refused == []


def test_an_address_notify_could_not_deliver_to_shows_in_the_outbox(
    notify, chased, coordinator, client_for
):
    notice_deliver(notice=chased)
    by_address = {sent["email_address"]: sent["id"] for sent in notify.sent}
    notify.statuses[by_address["csc.lead@example.org"]] = "permanent-failure"
    notify.statuses[by_address["csc.auditor@example.org"]] = "delivered"

    assert deliveries_check() == [chased]
    chased.refresh_from_db()
    assert chased.status == NoticeStatus.NOT_DELIVERED
    assert chased.undelivered == ["csc.lead@example.org"]
    assert chased.failure == (
        "Notify could not deliver it to csc.lead@example.org: the address does not exist or "
        "refuses mail"
    )
    assert chased.receipts["csc.auditor@example.org"]["status"] == "delivered"
    # The outbox's "Not delivered" filter finds it, with why.
    page = client_for(coordinator).get(reverse("notices:outbox"), {"status": "not_delivered"})
    assert "Notify could not deliver it to csc.lead@example.org" in page.content.decode()
    assert Notice.objects.filter(in_status(NoticeStatus.NOT_DELIVERED), pk=chased.pk).exists()
    assert not Notice.objects.filter(in_status(NoticeStatus.SENT), pk=chased.pk).exists()

    # Asked again, nothing new: each address is reported once, never sent again.
    assert deliveries_check() == []
    assert len(notify.sent) == 2


def test_messages_still_on_their_way_are_asked_about_again(notify, chased):
    notice_deliver(notice=chased)
    assert deliveries_check() == []  # "sending": on its way
    chased.refresh_from_db()
    assert {receipt["status"] for receipt in chased.receipts.values()} == {"sending"}
    for sent in notify.sent:
        notify.statuses[sent["id"]] = "temporary-failure"
    assert deliveries_check() == [chased]
    chased.refresh_from_db()
    assert sorted(chased.undelivered) == chased.recipients
    assert "the inbox was full" in chased.failure


def test_a_key_notify_refuses_leaves_the_notice_unsent_with_why(chased):
    wrong = API_KEY[:-36] + "00000000-0000-0000-0000-000000000000"
    with FakeNotify() as server, override_settings(MAILERS=_mailers(server.url, wrong)):
        assert notice_deliver(notice=chased) == 0
        assert server.sent == [] and server.refused
    chased.refresh_from_db()
    assert chased.sent_at is None and chased.status == NoticeStatus.NOT_DELIVERED
    assert chased.failure.startswith("HTTPError: 403")


def test_the_command_says_when_mail_goes_by_smtp(chased):
    out = io.StringIO()
    call_command("check_deliveries", stdout=out)
    assert "Mail goes by SMTP" in out.getvalue()
