"""Signing in: no answer tells whether an account exists (the same message, status, page and
work, so the same time), 5 failed attempts per account start a cool-off, and common passwords
are refused when a password is reset or changed."""

import re
import time
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from maca.accounts.mail import account_mail_send_task
from maca.accounts.models import User
from tests.factories import PASSWORD
from tests.signing_in import sign_in as signed_in

LOGIN = reverse("account_login")
NOT_CORRECT = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."
COMMON = "password1234"  # 12 characters: only the common-password check refuses it


def sign_in(client, email, password):
    response = client.post(LOGIN, {"login": email, "password": password})
    errors = response.context["form"].errors if response.status_code == 200 else None
    return response.status_code, errors


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(coordinator):
    wrong_password = sign_in(Client(), coordinator.email, "not-the-password-at-all")
    unknown = sign_in(Client(), "nobody-here@example.org", "not-the-password-at-all")

    assert wrong_password == unknown == (200, {"__all__": [NOT_CORRECT]})


@pytest.mark.parametrize("email", ["coordinator@example.org", "nobody-here@example.org"])
def test_five_failed_attempts_cool_the_account_off(coordinator, email):
    client = Client()
    for _ in range(5):
        assert sign_in(client, email, "not-the-password-at-all") == (
            200,
            {"__all__": [NOT_CORRECT]},
        )

    # The sixth try is refused whatever the password, and the same for a real account as for
    # an unknown address: the cool-off tells nothing either.
    assert sign_in(client, email, PASSWORD) == (200, {"__all__": [TOO_MANY]})
    assert "_auth_user_id" not in client.session


def test_the_cool_off_is_per_account(coordinator, police_auditor):
    client = Client()
    for _ in range(6):
        sign_in(client, coordinator.email, "not-the-password-at-all")

    assert sign_in(client, police_auditor.email, PASSWORD)[0] == 302


def test_the_right_password_works_again_after_the_cool_off(coordinator):
    client = Client()
    for _ in range(6):
        sign_in(client, coordinator.email, "not-the-password-at-all")

    with mock.patch("time.time", return_value=time.time() + 16 * 60):
        assert sign_in(client, coordinator.email, PASSWORD)[0] == 302


def test_a_common_password_is_refused_on_change(coordinator):
    client = Client()
    signed_in(client, coordinator)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": COMMON, "password2": COMMON},
    )

    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["password1"]
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_a_common_password_is_refused_on_reset(coordinator):
    client = Client()
    client.post(reverse("account_reset_password"), {"email": coordinator.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form_url = client.get(link.group(1))["Location"]  # the key moves into the session

    response = client.post(form_url, {"password1": COMMON, "password2": COMMON})

    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["password1"]
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_nobody_can_sign_themselves_up(client, db):
    """Accounts are made by an admin or a coordinator: the sign-up page is closed and a
    sign-up posted anyway makes no account."""
    page = client.get(reverse("account_signup"))
    assert "closed" in page.content.decode().lower()
    client.post(
        reverse("account_signup"),
        {"email": "stranger@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="stranger@example.org").exists()


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often it hashes: checking a password and the stand-in
    hashing done for an unknown address both go through `encode`. Same count, same work."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


COUNTING = override_settings(PASSWORD_HASHERS=["tests.security.test_sign_in.CountingHasher"])
QUEUED_ONLY = override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
)


def same_page(response, typed: str) -> str:
    """The page with what differs from one request to the next taken out: the CSRF token, the
    CSP nonce and the address the person typed."""
    page = response.content.decode().replace(typed, "ADDRESS")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)
    return re.sub(r'nonce="[^"]+"', "NONCE", page)


def answer_to(url, data, typed):
    CountingHasher.calls = 0
    response = Client().post(url, data)
    return (
        response.status_code,
        response.get("Location"),
        CountingHasher.calls,
        same_page(response, typed),
    )


@COUNTING
def test_a_wrong_password_and_an_unknown_address_do_the_same_work(coordinator):
    wrong_password = answer_to(
        LOGIN, {"login": coordinator.email, "password": "not-the-password"}, coordinator.email
    )
    unknown = answer_to(
        LOGIN,
        {"login": "nobody-here@example.org", "password": "not-the-password"},
        "nobody-here@example.org",
    )

    assert wrong_password == unknown
    assert wrong_password[0] == 200 and NOT_CORRECT in wrong_password[3]
    assert wrong_password[2] >= 1  # the password was hashed, for the unknown address too


@QUEUED_ONLY
def test_a_password_reset_for_a_known_and_an_unknown_address_gets_the_same_answer(coordinator):
    from django.tasks import default_task_backend

    url = reverse("account_reset_password")
    known = answer_to(url, {"email": coordinator.email}, coordinator.email)
    known_queued = [r.task.func for r in default_task_backend.results]
    default_task_backend.clear()
    unknown = answer_to(url, {"email": "nobody-here@example.org"}, "nobody-here@example.org")
    unknown_queued = [r.task.func for r in default_task_backend.results]

    assert known == unknown
    assert known[:2] == (302, reverse("account_reset_password_done"))
    # One e-mail each, queued for the worker; nothing sent while the person waited.
    assert known_queued == unknown_queued == [account_mail_send_task.func]
    assert mail.outbox == []


@QUEUED_ONLY
def test_the_queued_reset_mails_say_the_right_thing_and_hide_the_link_in_the_queue(coordinator):
    from django.tasks import default_task_backend

    url = reverse("account_reset_password")
    Client().post(url, {"email": coordinator.email})
    Client().post(url, {"email": "nobody-here@example.org"})
    queued = [result.args[0] for result in default_task_backend.results]
    for sealed in queued:
        account_mail_send_task.call(sealed)

    reset, unknown = mail.outbox
    assert reset.to == [coordinator.email] and "/accounts/password/reset/key/" in reset.body
    assert unknown.to == ["nobody-here@example.org"]
    assert "There is no account with that address." in unknown.body
    assert "signup" not in unknown.body  # nobody can sign themselves up
    # What sits in the task queue's table (and its backups) shows neither link nor address.
    assert not any("reset/key" in sealed or "example.org" in sealed for sealed in queued)


def test_signing_up_with_a_known_and_an_unknown_address_gets_the_same_answer(coordinator):
    url = reverse("account_signup")
    password = "a-long-and-unlisted-passphrase-41"
    known = answer_to(
        url,
        {"email": coordinator.email, "password1": password, "password2": password},
        coordinator.email,
    )
    unknown = answer_to(
        url,
        {"email": "nobody-here@example.org", "password1": password, "password2": password},
        "nobody-here@example.org",
    )

    assert known == unknown


@override_settings(ALLOWED_HOSTS=["maca.example.gov.uk", "maca-internal.example.net"])
def test_the_cool_off_holds_whatever_host_the_attempts_name(coordinator):
    """The count is per account: not per account and Host header. Otherwise each allowed
    name, in any mix of capitals or with any port, would bring five more guesses."""
    hosts = ["maca.example.gov.uk", "MACA.example.gov.uk", "maca.example.gov.uk:8443",
             "maca-internal.example.net", "Maca-Internal.example.net:1"]  # fmt: skip
    for host in hosts:
        answer = sign_in(Client(HTTP_HOST=host), coordinator.email, "not-the-password-at-all")
        assert answer == (200, {"__all__": [NOT_CORRECT]})

    answer = sign_in(Client(HTTP_HOST="mAcA.example.gov.uk:9"), coordinator.email, PASSWORD)
    assert answer == (200, {"__all__": [TOO_MANY]})
