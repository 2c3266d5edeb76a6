"""Passwords that have appeared in a data breach are refused wherever a password is chosen:
a reset, a change, the admin's new user and set-password forms, and `createsuperuser`."""

import io
import re
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from maca.accounts import passwords
from maca.accounts.models import User
from tests.factories import PASSWORD

BREACHED = (
    "whosyourdaddy"  # 13 characters, not on Django's common list: only the breach list has it
)
ALSO_BREACHED = "q1w2e3r4t5y6u7"
STRONG = "lantern-oyster-quietly-47-marble"
MESSAGE = (
    "This password has appeared in a data breach, so it could be guessed. "
    "Choose a different password."
)


def refusals(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_a_breached_password_is_refused_by_the_breach_check_alone():
    assert refusals(BREACHED) == [MESSAGE]
    assert refusals(ALSO_BREACHED) == [MESSAGE]


def test_a_strong_unlisted_password_is_accepted():
    assert refusals(STRONG) == []


def test_a_common_password_is_refused():
    assert "This password is too common." in refusals("password1234")


def test_the_offline_list_is_large_sorted_and_holds_no_password_in_clear():
    entries = passwords.LIST.read_bytes()
    count = len(entries) // passwords.PREFIX_BYTES
    assert len(entries) % passwords.PREFIX_BYTES == 0 and count > 400_000
    first, last = entries[:6], entries[-6:]
    assert first < entries[6:12] and entries[-12:-6] < last
    assert BREACHED.encode() not in entries


@pytest.fixture
def signed_in(board_member):
    """A board member needs no second factor, so the password pages open straight away."""
    client = Client()
    client.force_login(board_member)
    return client


def test_a_breached_password_is_refused_on_change(signed_in, board_member):
    response = signed_in.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": BREACHED, "password2": BREACHED},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [MESSAGE]
    assert MESSAGE in response.content.decode()
    board_member.refresh_from_db()
    assert board_member.check_password(PASSWORD)


def test_a_strong_password_is_accepted_on_change(signed_in, board_member):
    response = signed_in.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": STRONG, "password2": STRONG},
    )

    assert response.status_code == 302
    board_member.refresh_from_db()
    assert board_member.check_password(STRONG)


def reset_form(client, user) -> str:
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    return client.get(link.group(1))["Location"]  # the key moves into the session


def test_a_breached_password_is_refused_on_reset(coordinator):
    client = Client()
    response = client.post(
        reset_form(client, coordinator), {"password1": BREACHED, "password2": BREACHED}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [MESSAGE]
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_a_strong_password_is_accepted_on_reset(coordinator):
    client = Client()
    response = client.post(
        reset_form(client, coordinator), {"password1": STRONG, "password2": STRONG}
    )

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(STRONG)


def test_the_admins_new_user_form_refuses_a_breached_password(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = admin.site._registry[User].get_form(request, obj=None)
    form = form_class(
        {
            "email": "new@example.org",
            "password1": BREACHED,
            "password2": BREACHED,
            "usable_password": "true",
        }
    )

    assert not form.is_valid()
    assert MESSAGE in form.errors["password2"]


def test_the_admins_set_password_form_refuses_a_breached_password(police_auditor):
    form = AdminPasswordChangeForm(police_auditor, {"password1": BREACHED, "password2": BREACHED})

    assert not form.is_valid()
    assert MESSAGE in form.errors["password2"]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_createsuperuser_refuses_a_breached_password(db):
    # The prompts are the command's own: the e-mail address, then the password twice, then
    # "bypass validation?" answered no, then a strong password twice.
    typed = mock.patch("builtins.input", side_effect=["root@example.org", "n"])
    hidden = mock.patch("getpass.getpass", side_effect=[BREACHED, BREACHED, STRONG, STRONG])
    errors = io.StringIO()
    with typed, hidden:
        call_command(
            "createsuperuser",
            interactive=True,
            stdin=Terminal(),
            stderr=errors,
            stdout=io.StringIO(),
        )

    assert MESSAGE in errors.getvalue()
    assert User.objects.get(email="root@example.org").check_password(STRONG)


class RangeAPI:
    """A stand-in for the Pwned Passwords range API on the loopback address."""

    def __init__(self, body: str):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            asked = []

            def do_GET(handler):
                Handler.asked.append(handler.path)
                handler.send_response(200)
                handler.end_headers()
                handler.wfile.write(body.encode())

            def log_message(handler, *args):
                pass

        self.handler = Handler
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/range/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_with_the_api_on_a_password_it_knows_is_refused_and_only_a_prefix_is_sent():
    digest = "A94A8FE5CCB19BA61C4C0873D391E987982FBBD3"  # SHA-1 of "test"
    api = RangeAPI(f"0000000000000000000000000000000000A:0\r\n{digest[5:]}:42\r\n")
    try:
        with override_settings(MACA_PWNED_API=True, MACA_PWNED_API_URL=api.url):
            assert passwords.on_pwned_passwords("test")
            assert not passwords.on_pwned_passwords(STRONG)
    finally:
        api.close()
    assert api.handler.asked[0] == "/range/A94A8"


def test_with_the_api_down_the_offline_list_still_decides(caplog):
    with override_settings(MACA_PWNED_API=True, MACA_PWNED_API_URL="http://127.0.0.1:9/range/"):
        assert refusals(STRONG) == []
        assert refusals(BREACHED) == [MESSAGE]
    assert "Pwned Passwords API not answering" in caplog.text
    assert STRONG not in caplog.text
