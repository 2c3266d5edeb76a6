"""Mail through a real SMTP server (aiosmtpd, on a free local port), as production's default
sends it: each address gets its own message with maca's subject and body; an address the
server refuses leaves the notice unsent with why, the others kept, and the next attempt sends
only the rest."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from maca.notices.models import NoticeKind, NoticeStatus
from maca.notices.services import _compose, notice_deliver, notice_send

pytestmark = pytest.mark.django_db


class Mailbox:
    """What the server received; the addresses in `refused` get a 550, as a real server's
    unknown mailbox does."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.Message]] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    options = {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 5}
    smtp_backend = "django.core.mail.backends.smtp.EmailBackend"
    mailers = {"default": {"BACKEND": smtp_backend, "OPTIONS": options}}
    try:
        with override_settings(MAILERS=mailers):
            yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def chased(audit, csc, agency_lead, csc_auditor):
    return notice_send(kind=NoticeKind.CHASE, audit=audit, agency=csc)


def test_each_address_gets_its_own_message(smtp, chased):
    assert notice_deliver(notice=chased) == 2
    chased.refresh_from_db()
    assert chased.status == NoticeStatus.SENT and chased.receipts == {}
    subject, body = _compose(chased)
    assert sorted(to for to, _ in smtp.received) == [[a] for a in chased.recipients]
    for to, message in smtp.received:
        assert message["To"] == to[0]  # nobody sees the others' addresses
        assert message["Subject"] == subject
        # As sent over SMTP: lines end in CRLF, and the body ends with a line end.
        sent = message.get_payload(decode=True).decode().replace("\r\n", "\n")
        assert sent.rstrip("\n") == body.rstrip("\n")


def test_a_refused_address_leaves_the_notice_unsent_and_is_sent_later(smtp, chased):
    smtp.refused.add("csc.lead@example.org")
    assert notice_deliver(notice=chased) == 1
    chased.refresh_from_db()
    assert chased.sent_at is None and chased.status == NoticeStatus.NOT_DELIVERED
    assert chased.failure.startswith("SMTPRecipientsRefused")
    assert chased.recipients == ["csc.auditor@example.org"]

    smtp.refused.clear()
    assert notice_deliver(notice=chased) == 1
    chased.refresh_from_db()
    assert chased.status == NoticeStatus.SENT
    assert sorted(to[0] for to, _ in smtp.received) == chased.recipients
