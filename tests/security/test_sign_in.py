"""Signing in: no answer tells whether an account exists, 5 failed attempts per account start a
cool-off, and common passwords are refused when a password is reset or changed."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from maca.accounts.models import User
from tests.factories import PASSWORD

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
    client.force_login(coordinator)
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
