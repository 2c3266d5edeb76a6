"""Sessions end after 30 minutes without activity, 10 hours after signing in, and at once when
the user is disabled; what was typed in a return survives the end. Time travels by patching
`django.utils.timezone.now`, never by sleeping."""

import contextlib
import datetime
from unittest import mock

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maca.api.services import token_create
from maca.returns.models import Return
from tests.factories import PASSWORD
from tests.signing_in import sign_in, sign_in_with_code

HTMX = {"HTTP_HX_REQUEST": "true"}
START = timezone.now()
LOGIN = reverse("account_login")


@contextlib.contextmanager
def at(minutes: float):
    """Run as if `minutes` had passed since START."""
    with mock.patch(
        "django.utils.timezone.now", return_value=START + datetime.timedelta(minutes=minutes)
    ):
        yield


def signed_in(user) -> Client:
    """A client that signed in at START, through the sign-in page."""
    client = Client()
    with at(0):
        response = sign_in_with_code(client, user, PASSWORD)
    assert response.status_code == 302, response.content.decode()
    return client


def audit_url(audit):
    return reverse("audits:detail", args=[audit.pk])


def return_url(request_, name="audits:return"):
    return reverse(name, args=[request_.audit_id, request_.case_id, request_.agency_id])


def sent_to_sign_in(response, next_path: str) -> bool:
    return response.status_code == 302 and response["Location"] == f"{LOGIN}?next={next_path}"


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


# --- Idle: 30 minutes ----------------------------------------------------------------------


def test_activity_within_30_minutes_keeps_the_person_signed_in(audit, coordinator):
    client = signed_in(coordinator)
    for minutes in (29, 58, 87):  # each request more than 30 minutes after signing in
        with at(minutes):
            assert client.get(audit_url(audit)).status_code == 200


def test_after_30_minutes_without_activity_the_page_sends_to_sign_in(audit, coordinator):
    client = signed_in(coordinator)
    with at(29):
        client.get(audit_url(audit))

    with at(29 + 31):
        response = client.get(audit_url(audit))

    assert sent_to_sign_in(response, audit_url(audit))


def test_the_sign_in_page_says_why_and_signing_in_returns_to_the_page(audit, coordinator):
    client = signed_in(coordinator)
    with at(31):
        response = client.get(audit_url(audit), follow=True)
        page = response.content.decode()
        assert "You were signed out after 30 minutes without activity" in page
        assert response.redirect_chain[-1][0] == f"{LOGIN}?next={audit_url(audit)}"

        back = sign_in_with_code(client, coordinator, PASSWORD, response.redirect_chain[-1][0])
        assert back.status_code == 302 and back["Location"] == audit_url(audit)
        assert client.get(audit_url(audit)).status_code == 200


def test_the_last_seen_time_is_written_at_most_once_a_minute(audit, coordinator):
    client = signed_in(coordinator)
    with at(2):
        client.get(audit_url(audit))  # more than a minute since signing in: written
    written = session_row(client).expire_date

    for seconds in (10, 30, 59):
        with at(2 + seconds / 60):
            client.get(audit_url(audit))
        assert session_row(client).expire_date == written  # no write for these pages

    with at(3.5):
        client.get(audit_url(audit))
    assert session_row(client).expire_date > written


def test_a_session_ended_for_idleness_is_deleted(audit, coordinator):
    client = signed_in(coordinator)
    key = client.cookies["sessionid"].value
    with at(31):
        client.get(audit_url(audit))
    assert not Session.objects.filter(session_key=key).exists()


# --- Absolute: 10 hours --------------------------------------------------------------------


def test_ten_hours_after_signing_in_the_person_is_signed_out_whatever_the_activity(
    audit, coordinator
):
    client = signed_in(coordinator)
    for minutes in range(20, 10 * 60, 20):  # a request every 20 minutes for 10 hours
        with at(minutes):
            assert client.get(audit_url(audit)).status_code == 200, minutes

    with at(10 * 60 + 1):
        response = client.get(audit_url(audit), follow=True)

    assert response.redirect_chain[0][0] == f"{LOGIN}?next={audit_url(audit)}"
    assert "You were signed out 10 hours after signing in" in response.content.decode()


# --- A return typed across the end of a session --------------------------------------------


def test_a_return_posted_after_the_timeout_keeps_what_was_typed(csc_request, csc_auditor):
    client = signed_in(csc_auditor)
    with at(1):
        owner = client.get(return_url(csc_request)).context["form"]["owner"].value()

    with at(40):
        response = client.post(
            return_url(csc_request), {"answer_q1": "Typed over a long phone call", "owner": owner}
        )
        assert sent_to_sign_in(response, return_url(csc_request))
        assert not Return.objects.filter(request=csc_request).exists()

        back = sign_in_with_code(client, csc_auditor, PASSWORD, response["Location"])
        assert back["Location"] == return_url(csc_request)
        page = client.get(return_url(csc_request)).content.decode()

    assert "Typed over a long phone call" in page
    assert "before your session ended" in page


def test_autosave_after_the_timeout_answers_a_line_htmx_shows(csc_request, csc_auditor):
    client = signed_in(csc_auditor)
    with at(1):
        owner = client.get(return_url(csc_request)).context["form"]["owner"].value()

    with at(40):
        response = client.post(
            return_url(csc_request, "audits:return_autosave"),
            {"answer_q1": "Typed while away", "owner": owner},
            **HTMX,
        )
        assert response.status_code == 401  # swapped in by htmx (base.html's htmx-config)
        assert "Your session has ended" in response.content.decode()

        sign_in_with_code(client, csc_auditor, PASSWORD, f"{LOGIN}?next={return_url(csc_request)}")
        assert "Typed while away" in client.get(return_url(csc_request)).content.decode()


def test_other_htmx_requests_after_the_timeout_say_so_rather_than_swap_in_the_sign_in_page(
    audit, coordinator
):
    client = signed_in(coordinator)
    section = reverse("audits:report_section", args=[audit.pk, "introduction"])
    with at(40):
        response = client.post(
            reverse("audits:report_autosave", args=[audit.pk, "introduction"]),
            {"text": "Words", "version": "0"},
            HTTP_HX_CURRENT_URL=f"http://testserver{section}",
            **HTMX,
        )

    page = response.content.decode()
    assert response.status_code == 401
    assert "You were signed out after 30 minutes without activity" in page
    assert f'href="{LOGIN}?next={section}"' in page
    assert "Sign in to maca" not in page


# --- Disabling a user ----------------------------------------------------------------------


def test_disabling_a_user_in_the_admin_ends_their_sessions_at_once(
    audit, coordinator, admin_user, client_for
):
    office, laptop = Client(), Client()
    sign_in(office, coordinator)
    sign_in(laptop, coordinator)
    keys = [office.session.session_key, laptop.session.session_key]

    admin = client_for(admin_user)
    form = (
        admin.get(reverse("admin:accounts_user_change", args=[coordinator.pk]))
        .context["adminform"]
        .form
    )
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(is_active="", is_staff="", is_superuser="", date_joined_0="2026-01-01")
    data.update(date_joined_1="09:00:00", last_login_0="", last_login_1="")
    response = admin.post(reverse("admin:accounts_user_change", args=[coordinator.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    coordinator.refresh_from_db()
    assert coordinator.is_active is False
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert sent_to_sign_in(office.get(audit_url(audit)), audit_url(audit))


def test_a_user_disabled_without_signals_is_signed_out_at_their_next_request(
    audit, coordinator, django_user_model
):
    client = Client()
    sign_in(client, coordinator)
    key = client.session.session_key
    # QuerySet.update sends no signal: the next request must still end the session.
    django_user_model.objects.filter(pk=coordinator.pk).update(is_active=False)

    assert sent_to_sign_in(client.get(audit_url(audit)), audit_url(audit))
    assert not Session.objects.filter(session_key=key).exists()


def test_other_peoples_sessions_survive_a_user_being_disabled(coordinator, police_auditor):
    other = Client()
    sign_in(other, police_auditor)
    coordinator.is_active = False
    coordinator.save()
    assert Session.objects.filter(session_key=other.session.session_key).exists()


def test_a_disabled_users_api_token_stops_working(audit, coordinator, partnership):
    _, secret = token_create(user=coordinator, partnership=partnership, name="Figures")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/audits").status_code == 200

    coordinator.is_active = False
    coordinator.save()

    response = api.get("/api/v1/audits")
    assert response.status_code == 401
    assert "can no longer use it" in response.content.decode()


def test_a_session_without_a_sign_in_time_is_not_trusted(audit, coordinator):
    """A session not made by signing in (made before these limits) ends at once."""
    client = Client()
    sign_in(client, coordinator)
    session = client.session
    session.pop("maca_signed_in_at")
    session.save()
    assert sent_to_sign_in(client.get(audit_url(audit)), audit_url(audit))
