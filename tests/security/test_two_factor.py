"""Two-factor sign-in: required of every role that sees case-level data, never skipped.

The roles that need it (coordinator, agency auditor, agency lead, the installation's staff)
cannot use maca until they have set up an authenticator app; with one, signing in asks for
its code (or a recovery code); a session that skipped the code is ended; a password reset
and the admin's sign-in go through the same two steps. A board member may, and need not.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from maca.accounts.two_factor import (
    SET_UP_NOW,
    code_for,
    current_code,
    has_authenticator_app,
    set_up_authenticator_app,
)
from tests.factories import PASSWORD
from tests.signing_in import sign_in, sign_in_with_code

LOGIN = reverse("account_login")
CODE_PAGE = reverse("mfa_authenticate")
SET_UP = reverse("mfa_activate_totp")
HOME = reverse("home")
NEEDS_IT = ["coordinator", "police_auditor", "agency_lead", "admin_user"]


def with_password_only(user) -> Client:
    client = Client()
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def audit_page(audit):
    return reverse("audits:detail", args=[audit.pk])


@pytest.mark.parametrize("role", NEEDS_IT)
def test_without_an_app_every_page_leads_to_setting_one_up(role, request, audit):
    user = request.getfixturevalue(role)
    client = with_password_only(user)  # no app yet: the password alone signs in…

    for page in (HOME, audit_page(audit), reverse("actions:monitoring"), "/admin/"):
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, SET_UP), page
    followed = client.get(HOME, follow=True)
    assert SET_UP_NOW in followed.content.decode()
    assert client.get(SET_UP).status_code == 200  # …to the setting-up page, and no further


def test_setting_up_the_app_opens_maca_and_shows_ten_recovery_codes(coordinator, audit):
    client = with_password_only(coordinator)
    page = client.get(SET_UP)
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # typed by hand when the QR code cannot be read

    refused = client.post(SET_UP, {"code": "000000"})
    assert refused.status_code == 200
    assert "Incorrect code" in refused.content.decode()
    assert not has_authenticator_app(coordinator)

    answer = client.post(SET_UP, {"code": code_for(secret)})
    assert answer.status_code == 302
    codes_page = client.get(answer["Location"])
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page.content.decode())
    assert len(codes) == 10

    assert has_authenticator_app(coordinator)
    assert client.get(audit_page(audit)).status_code == 200  # typing the code proved it


def test_a_board_member_needs_no_second_factor(board_member, audit):
    client = with_password_only(board_member)
    assert client.get(HOME).status_code == 200
    assert client.get(audit_page(audit)).status_code == 200


def test_with_an_app_the_password_alone_does_not_sign_in(police_auditor, audit):
    set_up_authenticator_app(police_auditor)
    client = Client()
    response = client.post(LOGIN, {"login": police_auditor.email, "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, CODE_PAGE)
    assert client.get(HOME)["Location"].startswith(LOGIN)  # not signed in yet

    wrong = client.post(CODE_PAGE, {"code": "123456"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_the_code_signs_in(police_auditor, audit):
    client = Client()
    answer = sign_in_with_code(client, police_auditor, PASSWORD)
    assert answer.status_code == 302
    assert client.get(audit_page(audit)).status_code == 200


def test_a_recovery_code_signs_in_once(police_auditor, audit):
    client = Client()
    sign_in_with_code(client, police_auditor, PASSWORD)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    code = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"][0]

    for attempt in range(2):
        other = Client()
        other.post(LOGIN, {"login": police_auditor.email, "password": PASSWORD})
        answer = other.post(CODE_PAGE, {"code": code})
        signed_in = other.get(audit_page(audit)).status_code == 200
        assert signed_in == (attempt == 0), attempt
        assert answer.status_code == (302 if attempt == 0 else 200)


def test_five_wrong_codes_start_a_cool_off(police_auditor):
    app = set_up_authenticator_app(police_auditor)
    client = Client()
    client.post(LOGIN, {"login": police_auditor.email, "password": PASSWORD})
    for _ in range(5):
        client.post(CODE_PAGE, {"code": "000001"})
    cooled = client.post(CODE_PAGE, {"code": current_code(app)})
    assert cooled.status_code == 200
    assert "Too many failed" in cooled.content.decode()


@pytest.mark.parametrize("role", NEEDS_IT)
def test_a_session_that_skipped_the_code_is_ended(role, request, audit):
    user = request.getfixturevalue(role)
    set_up_authenticator_app(user)
    client = Client()
    client.force_login(user)  # a session made without the sign-in page's second step

    response = client.get(audit_page(audit))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get(HOME)["Location"].startswith(LOGIN)  # signed out, not just turned away


def test_a_session_that_passed_the_code_costs_no_query_to_check(coordinator, audit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    sign_in(client, coordinator)
    client.get(HOME)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("healthz"))
    assert not [q for q in queries if "mfa_authenticator" in q["sql"]]


def test_htmx_is_told_to_navigate_to_setting_up(coordinator, audit):
    client = with_password_only(coordinator)
    response = client.get(audit_page(audit), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == SET_UP


def test_a_password_reset_does_not_sign_in_and_the_code_is_still_asked(police_auditor, audit):
    app = set_up_authenticator_app(police_auditor)
    client = Client()
    client.post(reverse("account_reset_password"), {"email": police_auditor.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new long passphrase 93"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    assert client.get(audit_page(audit))["Location"].startswith(LOGIN)  # not signed in

    step = client.post(LOGIN, {"login": police_auditor.email, "password": new_password})
    assert step["Location"] == CODE_PAGE
    assert client.post(CODE_PAGE, {"code": current_code(app)}).status_code == 302
    assert client.get(audit_page(audit)).status_code == 200


def test_the_admin_signs_in_through_the_two_steps(admin_user):
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)

    sign_in_with_code(client, admin_user, PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_the_app_cannot_be_removed_by_those_who_need_it(police_auditor, board_member):
    client = Client()
    sign_in_with_code(client, police_auditor, PASSWORD)
    page = client.get(reverse("mfa_index"))
    assert "Required for your role" in page.content.decode()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    refused = client.post(reverse("mfa_deactivate_totp"), {})
    assert refused.status_code == 200
    assert has_authenticator_app(police_auditor)

    board = Client()
    sign_in_with_code(board, board_member, PASSWORD)
    board.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    board.post(reverse("mfa_deactivate_totp"), {})
    assert not has_authenticator_app(board_member)


def test_secrets_are_encrypted_at_rest_and_survive_a_key_rotation(police_auditor, settings):
    app = set_up_authenticator_app(police_auditor, "JBSWY3DPEHPK3PXP")
    stored = Authenticator.objects.get(pk=app.pk).data["secret"]
    assert "JBSWY3DPEHPK3PXP" not in stored
    code = current_code(app)

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 30
    assert current_code(Authenticator.objects.get(pk=app.pk)) == code


def test_only_the_demo_shows_the_code(police_auditor):
    app = set_up_authenticator_app(police_auditor)
    client = Client()
    client.post(LOGIN, {"login": police_auditor.email, "password": PASSWORD})
    assert 'id="demo-code"' not in client.get(CODE_PAGE).content.decode()
    with override_settings(MACA_DEMO=True):
        assert current_code(app) in client.get(CODE_PAGE).content.decode()


@pytest.mark.parametrize(("seconds_ago", "accepted"), [(0, True), (30, True), (60, False)])
def test_the_code_of_the_moment_and_the_one_before_work_an_older_one_does_not(
    police_auditor, seconds_ago, accepted
):
    import time

    app = set_up_authenticator_app(police_auditor)
    client = Client()
    client.post(LOGIN, {"login": police_auditor.email, "password": PASSWORD})
    answer = client.post(CODE_PAGE, {"code": current_code(app, time.time() - seconds_ago)})
    assert (answer.status_code == 302) == accepted
