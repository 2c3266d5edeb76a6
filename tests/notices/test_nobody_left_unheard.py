"""Nothing a child's safety depends on may be silent (issue 19): an e-mail that reaches nobody,
or that the mail server does not take, is kept and shown, never dropped; whom each agency's
e-mail would reach is known before anything is sent."""

import socket

import pytest
from django.core import mail

from maca.notices.models import Notice, NoticeKind, NoticeStatus
from maca.notices.services import (
    agencies_reach,
    notice_deliver,
    notice_send,
    notices_deliver_pending,
)
from maca.partnerships.models import Role
from tests import factories as f

from . import refusing_mail


def _member(partnership, agency, role, email, **user):
    return f.MembershipFactory(
        user=f.UserFactory(email=email, **user), partnership=partnership, role=role, agency=agency
    ).user


def test_a_notice_that_reaches_nobody_is_kept_as_reaching_nobody(audit, agencies):
    # Children's Social Care has nobody in maca here and no contact address.
    notice = notice_send(
        kind=NoticeKind.CHASE, audit=audit, agency=agencies["Children's Social Care"]
    )
    assert notice_deliver(notice=notice) == 0
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.recipients == []
    assert notice.status == NoticeStatus.NOBODY
    assert mail.outbox == []


def test_the_agencys_contact_address_gets_what_the_agency_gets(audit, csc, agency_lead):
    csc.contact_email = "safeguarding@csc.example.org"
    csc.save()
    for kind in (NoticeKind.REQUESTS_SENT, NoticeKind.CHASE, NoticeKind.ACTION_ASSIGNED):
        notice_send(kind=kind, audit=audit, agency=csc)
    for notice in Notice.objects.all():
        notice_deliver(notice=notice)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["safeguarding@csc.example.org", "csc.lead@example.org"] * 3
    )


def test_a_contact_address_alone_is_enough_to_reach_an_agency(audit, csc):
    csc.contact_email = "safeguarding@csc.example.org"
    csc.save()
    [reach] = agencies_reach(agencies=[csc], kind=NoticeKind.REQUESTS_SENT)
    assert reach.emails == ["safeguarding@csc.example.org"] and reach.why_nobody == ""


def test_why_nobody_at_an_agency_would_hear(partnership, agencies, coordinator):
    police, health, csc = (
        agencies["Police"],
        agencies["Health Provider"],
        agencies["Children's Social Care"],
    )
    _member(partnership, health, Role.AGENCY_AUDITOR, "h1@example.org", is_active=False)
    _member(partnership, police, Role.AGENCY_AUDITOR, "p1@example.org", is_active=False)
    _member(partnership, police, Role.AGENCY_LEAD, "p2@example.org", is_active=False)
    reaches = agencies_reach(agencies=[csc, health, police], kind=NoticeKind.CHASE, by=coordinator)
    assert [(r.agency.name, r.emails, r.why_nobody) for r in reaches] == [
        ("Children's Social Care", [], "it has no auditor or lead in maca, and no contact address"),
        (
            "Health Provider",
            [],
            "its one auditor or lead has been disabled, and it has no contact address",
        ),
        (
            "Police",
            [],
            "all 2 of its auditors and leads have been disabled, and it has no contact address",
        ),
    ]


def test_a_notice_for_the_lead_needs_a_lead(partnership, agencies, police_auditor):
    [reach] = agencies_reach(agencies=[agencies["Police"]], kind=NoticeKind.SIGN_OFF_REQUESTED)
    assert reach.why_nobody == "it has no lead in maca, and no contact address"


def test_nobody_is_counted_as_told_of_what_they_did_themselves(audit, agencies, police_auditor):
    [reach] = agencies_reach(
        agencies=[agencies["Police"]], kind=NoticeKind.RETURNED, by=police_auditor
    )
    assert reach.emails == [] and reach.why_nobody.startswith("nobody but you")


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_mail_server_that_cannot_be_reached_leaves_the_notice_unsent_with_why(
    audit, csc, agency_lead, settings
):
    notice = notice_send(kind=NoticeKind.CHASE, audit=audit, agency=csc)
    locmem = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _unused_port(), "timeout": 2},
        }
    }
    assert notice_deliver(notice=notice) == 0
    notice.refresh_from_db()
    assert notice.sent_at is None and notice.failed_at is not None
    assert notice.failure.startswith("ConnectionRefusedError")
    assert notice.status == NoticeStatus.NOT_DELIVERED
    # Once the server is back, the next sweep delivers it.
    settings.MAILERS = locmem
    Notice.objects.filter(pk=notice.pk).update(created_at=notice.created_at.replace(year=2000))
    assert notices_deliver_pending() == 1
    assert [m.to for m in mail.outbox] == [["csc.lead@example.org"]]


def test_a_recipient_refused_part_way_is_sent_the_rest_later_without_repeats(
    audit, csc, agency_lead, csc_auditor, settings
):
    settings.MAILERS = {"default": {"BACKEND": "tests.notices.refusing_mail.EmailBackend"}}
    refusing_mail.REFUSED.add("csc.lead@example.org")
    try:
        notice = notice_send(kind=NoticeKind.CHASE, audit=audit, agency=csc)
        notice_deliver(notice=notice)
        notice.refresh_from_db()
        assert notice.sent_at is None and "SMTPRecipientsRefused" in notice.failure
        assert notice.recipients == ["csc.auditor@example.org"]
    finally:
        refusing_mail.REFUSED.clear()
    assert notice_deliver(notice=notice) == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert notice.recipients == ["csc.auditor@example.org", "csc.lead@example.org"]
    assert sorted(m.to[0] for m in mail.outbox) == notice.recipients


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_kind_of_notice_reaching_nobody_is_kept(kind, audit, agencies):
    notice = notice_send(kind=kind, audit=audit, agency=agencies["Health Provider"])
    notice_deliver(notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.NOBODY
