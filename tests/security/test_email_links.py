"""Every address an e-mail carries is MACA_BASE_URL's, whatever Host the request that caused it
came through: a password reset asked for through another allowed name (an internal one, a
load balancer's, one an attacker can point somewhere) must not mail the reset key there."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from maca.notices.models import NoticeKind
from maca.notices.services import TO_THE_PERSON, notice_send
from maca.partnerships.models import Role
from tests import factories as f

BASE = "https://maca.example.gov.uk"
OTHER_HOST = "maca-internal.example.net"
HOSTS = override_settings(ALLOWED_HOSTS=["maca.example.gov.uk", OTHER_HOST], MACA_BASE_URL=BASE)
ADDRESS = re.compile(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:net|org|uk)\b")


def _addresses(message) -> list[str]:
    """Every web address, and every bare domain, a message names (e-mail addresses aside)."""
    text = re.sub(r"\S+@\S+", "", f"{message.subject}\n{message.body}")
    return ADDRESS.findall(text)


def _only_ours(message) -> None:
    assert OTHER_HOST not in f"{message.subject}\n{message.body}"
    for address in _addresses(message):
        assert address.startswith(f"{BASE}/") or address == "maca.example.gov.uk", address


@HOSTS
def test_a_reset_link_is_on_the_configured_address_whatever_the_host(coordinator):
    client = Client(HTTP_HOST=OTHER_HOST)
    client.post(reverse("account_reset_password"), {"email": coordinator.email})

    (message,) = mail.outbox
    _only_ours(message)
    link = re.search(rf"{re.escape(BASE)}(/accounts/password/reset/key/\S+)", message.body)
    assert link, message.body
    # The link works: its key opens the form to choose a new password.
    form = Client(HTTP_HOST="maca.example.gov.uk").get(link.group(1))
    assert form.status_code == 302 and "set-password" in form["Location"]


@HOSTS
def test_the_no_account_here_mail_names_only_the_configured_address(db):
    Client(HTTP_HOST=OTHER_HOST).post(
        reverse("account_reset_password"), {"email": "nobody-here@example.org"}
    )
    (message,) = mail.outbox
    assert "There is no account with that address." in message.body
    _only_ours(message)


@pytest.fixture
def action(audit, agencies):
    return f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=audit), agency=agencies["Police"]
    )


@HOSTS
def test_every_kind_of_notice_links_to_the_configured_address(
    audit, agencies, action, police_auditor, agency_lead, coordinator, board_member, csc_request,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # Sent by a second coordinator, as the services send them: nobody is told of their own act.
    sender = f.MembershipFactory(partnership=audit.partnership, role=Role.COORDINATOR).user
    about_action = (
        NoticeKind.ACTION_DUE_SOON,
        NoticeKind.ACTION_OVERDUE,
        NoticeKind.ACTION_ASSIGNED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        notices = []
        for kind in NoticeKind:
            for_action = kind in about_action
            notices.append(
                notice_send(
                    kind=kind,
                    audit=audit,
                    agency=action.agency if for_action else csc_request.agency,
                    agency_request=None if for_action else csc_request,
                    action=action if for_action else None,
                    due=audit.returns_due,
                    # A report's author, for the kinds that go to one person.
                    person=coordinator if kind in TO_THE_PERSON else None,
                    by=sender,
                )
            )

    for notice in notices:
        notice.refresh_from_db()
        assert notice.recipients, f"{notice.kind} went to nobody"
    assert len(mail.outbox) == sum(len(notice.recipients) for notice in notices)
    for message in mail.outbox:
        assert [a for a in _addresses(message) if a.startswith(BASE)], message.subject
        _only_ours(message)


@HOSTS
def test_a_notice_caused_through_another_host_links_to_the_configured_address(
    audit, agencies, agency_lead, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    client.defaults["HTTP_HOST"] = OTHER_HOST
    csc = agencies["Children's Social Care"]
    url = reverse("audits:agency_chase", kwargs={"audit_id": audit.pk, "agency_id": csc.pk})

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302

    (message,) = mail.outbox
    _only_ours(message)
    assert f"{BASE}{reverse('requests:mine')}" in message.body
