"""A new password ends its user's API tokens, as it ends their other sessions: whoever made a
token with the old password (a stolen one, say) loses the API with it. Every path that sets a
password does it; a rehash on signing in does not; the person is told on the password pages."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from maca.api.models import ApiToken, Revoked
from maca.partnerships.models import Role
from tests import factories as f
from tests.factories import PASSWORD
from tests.signing_in import sign_in
from tests.support.api import Api

NEW = "a-long-and-unlisted-passphrase-41"
ENDED = "This token ended when its user's password changed"


@pytest.fixture
def tokens(coordinator, partnership, other_partnership, token_for):
    """Two of the coordinator's tokens here and one in a second partnership they serve."""
    f.MembershipFactory(user=coordinator, partnership=other_partnership, role=Role.COORDINATOR)
    return [
        Api(token_for(coordinator, partnership, name="Figures")),
        Api(token_for(coordinator, partnership, name="Dashboard")),
        Api(token_for(coordinator, other_partnership, name="Elsewhere")),
    ]


def _refused_as_ended(api: Api) -> bool:
    response = api.get("/partnership")
    return response.status_code == 401 and ENDED in response.content.decode()


def _reset_link(client, email) -> str:
    client.post(reverse("account_reset_password"), {"email": email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    return client.get(link.group(1))["Location"]  # the key moves into the session


def test_changing_the_password_ends_every_token_and_says_so(tokens, coordinator):
    assert all(api.get("/partnership").status_code == 200 for api in tokens)
    client = Client()
    sign_in(client, coordinator)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
        follow=True,
    )

    assert all(_refused_as_ended(api) for api in tokens)
    assert set(ApiToken.objects.values_list("revoked_because", flat=True)) == {
        Revoked.PASSWORD_CHANGED
    }
    assert "Your 3 API tokens stopped working when your password changed." in (
        response.content.decode()
    )


def test_resetting_the_password_ends_every_token_and_says_so(tokens, coordinator):
    client = Client()
    form_url = _reset_link(client, coordinator.email)

    response = client.post(form_url, {"password1": NEW, "password2": NEW}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_reset_password_from_key_done")
    assert all(_refused_as_ended(api) for api in tokens)
    assert "Your 3 API tokens stopped working when your password changed." in (
        response.content.decode()
    )


def test_the_admin_setting_a_password_ends_the_persons_tokens(tokens, coordinator, client_for):
    admin = client_for(f.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:auth_user_password_change", args=[coordinator.pk])

    response = admin.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})

    assert response.status_code == 302, response.context["form"].errors
    assert all(_refused_as_ended(api) for api in tokens)


def test_the_change_and_reset_pages_say_the_tokens_will_end(coordinator):
    client = Client()
    sign_in(client, coordinator)
    warning = "ends every API token you have made"
    assert warning in client.get(reverse("account_change_password")).content.decode()
    client = Client()
    assert warning in client.get(_reset_link(client, coordinator.email)).content.decode()


def test_a_single_token_is_told_of_as_one(coordinator, partnership, token_for):
    api = Api(token_for(coordinator, partnership))
    client = Client()
    sign_in(client, coordinator)
    page = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
        follow=True,
    ).content.decode()
    assert _refused_as_ended(api)
    assert "Your API token stopped working when your password changed." in page
    coordinator.refresh_from_db()
    sign_in(client, coordinator)
    listed = client.get(reverse("api_tokens")).content.decode()
    assert re.search(r'govuk-tag--grey">Password changed \d+ \w+ \d{4}<', listed)


def test_nothing_is_said_to_someone_without_tokens(coordinator):
    client = Client()
    sign_in(client, coordinator)
    page = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
        follow=True,
    ).content.decode()
    assert "Password successfully changed." in page and "API token" not in page


def test_other_peoples_tokens_and_ended_ones_are_left_alone(
    coordinator, police_auditor, partnership, token_for
):
    theirs = Api(token_for(police_auditor, partnership))
    revoked = Api(token_for(coordinator, partnership, name="Old"))
    ApiToken.objects.filter(name="Old").update(
        revoked_at="2026-01-01T09:00:00Z", revoked_because=Revoked.BY_USER
    )

    coordinator.set_password(NEW)
    coordinator.save()

    assert theirs.get("/partnership").status_code == 200
    assert "has been revoked" in revoked.get("/partnership").content.decode()


class NewerHasher(MD5PasswordHasher):
    """A hasher preferred to the one the password was saved with: signing in rehashes it."""

    algorithm = "md5_newer"


@override_settings(
    PASSWORD_HASHERS=[
        f"{__name__}.NewerHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
)
def test_signing_in_with_the_same_password_ends_nothing(coordinator, partnership, token_for):
    """The password is not new when signing in only rehashes it with a stronger hasher."""
    api = Api(token_for(coordinator, partnership))
    response = Client().post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.password.startswith("md5_newer$")  # rehashed on signing in
    assert api.get("/partnership").status_code == 200
