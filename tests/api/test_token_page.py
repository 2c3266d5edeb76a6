"""The "API tokens" page: your own tokens, making one (the secret shown once, after confirming
it is you with the password or a code), revoking one."""

import datetime
import hashlib

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from maca.api import services
from maca.api.models import ApiToken
from tests.factories import PASSWORD
from tests.signing_in import authenticator_app, fresh_code, sign_in_with_code

PAGE = "/account/tokens/"
CONFIRM = reverse("account_reauthenticate")
CONFIRM_WITH_CODE = reverse("mfa_reauthenticate")
ASKED = f"{CONFIRM}?{urlencode({'next': PAGE})}"


def _make(client, **data):
    """Make a token as someone who has just confirmed it is them."""
    client.post(CONFIRM, {"password": PASSWORD})
    return client.post(PAGE, {"name": "Figures script", "days": "30"} | data)


def _secret(page: str) -> str:
    return page.split('id="token-secret" type="text" value="')[1].split('"')[0]


def test_it_is_reached_from_the_navigation(coordinator, client_for):
    page = client_for(coordinator).get(reverse("home")).content.decode()
    assert f'href="{PAGE}"' in page and "API tokens" in page


def test_it_lists_my_tokens_and_nobody_elses(coordinator, police_auditor, partnership, client_for):
    services.token_create(user=coordinator, partnership=partnership, name="Mine")
    services.token_create(user=police_auditor, partnership=partnership, name="Theirs")
    page = client_for(coordinator).get(PAGE).content.decode()
    assert "Mine" in page and "Theirs" not in page


def test_it_makes_a_token_and_shows_its_secret_once(coordinator, partnership, client_for):
    client = client_for(coordinator)
    response = _make(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=coordinator)
    assert (token.name, token.partnership) == ("Figures script", partnership)
    page = response.content.decode()
    secret = _secret(page)
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    assert secret not in str(dict(client.session))
    assert secret not in client.get(PAGE).content.decode()
    assert token.key_prefix in client.get(PAGE).content.decode()


def test_the_secret_works_at_once(coordinator, client_for):
    secret = _secret(_make(client_for(coordinator)).content.decode())
    response = client_for(None).get(
        "/api/v1/partnership", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200


def test_it_names_what_is_wrong_with_the_form(coordinator, client_for):
    response = _make(client_for(coordinator), name="", days="400")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a name for the token" in page
    assert "A token lasts between 1 and 365 days" in page
    assert not ApiToken.objects.exists()


def test_it_revokes_my_token(coordinator, partnership, client_for):
    token, _ = services.token_create(user=coordinator, partnership=partnership, name="Old")
    client = client_for(coordinator)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get(PAGE).content.decode()


def test_it_does_not_revoke_someone_elses_token(
    coordinator, police_auditor, partnership, client_for
):
    token, _ = services.token_create(user=coordinator, partnership=partnership, name="Old")
    response = client_for(police_auditor).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_is_for_members_only(outsider, client_for):
    assert client_for(None).get(PAGE).status_code == 302
    assert client_for(outsider).get(PAGE).status_code == 403


# --- Confirming it is you ----------------------------------------------------------------------


def test_making_a_token_asks_for_the_password_first(coordinator, client_for):
    """A signed-in session alone (left open, or taken over) cannot make a token."""
    client = client_for(coordinator)
    asked = client.post(PAGE, {"name": "Figures script", "days": "365"})
    assert asked.status_code == 302 and asked["Location"] == ASKED
    assert not ApiToken.objects.exists()
    page = client.get(asked["Location"]).content.decode()
    assert "Confirm it is you" in page and "making an API token" in page

    answer = client.post(ASKED, {"password": PASSWORD})

    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    token = ApiToken.objects.get(user=coordinator)
    lasts = token.expires_at - token.created_at
    assert token.name == "Figures script"
    assert abs(lasts - datetime.timedelta(days=365)) < datetime.timedelta(seconds=5)
    secret = _secret(answer.content.decode())
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    # The page answering the confirmation makes its next token through the tokens page.
    assert f'<form method="post" action="{PAGE}"' in answer.content.decode()


def test_a_wrong_password_makes_no_token(coordinator, client_for):
    client = client_for(coordinator)
    client.post(PAGE, {"name": "Figures script", "days": "30"})
    answer = client.post(ASKED, {"password": "not-the-password-at-all"})
    assert answer.status_code == 200
    assert "Confirm it is you" in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_a_code_from_the_authenticator_app_will_do_instead(police_auditor):
    client = Client()
    sign_in_with_code(client, police_auditor, PASSWORD)
    asked = client.post(PAGE, {"name": "Returns script", "days": "90"})
    page = client.get(asked["Location"]).content.decode()
    with_code = f"{CONFIRM_WITH_CODE}?{urlencode({'next': PAGE})}"
    assert f'href="{with_code}"' in page and "Use a code from your authenticator app" in page
    assert "Type the code from your authenticator app" in client.get(with_code).content.decode()

    answer = client.post(with_code, {"code": fresh_code(authenticator_app(police_auditor))})

    assert answer.status_code == 200
    token = ApiToken.objects.get(user=police_auditor)
    assert hashlib.sha256(_secret(answer.content.decode()).encode()).hexdigest() == token.key_hash


def test_a_wrong_code_makes_no_token(police_auditor):
    client = Client()
    sign_in_with_code(client, police_auditor, PASSWORD)
    client.post(PAGE, {"name": "Returns script", "days": "90"})
    answer = client.post(f"{CONFIRM_WITH_CODE}?{urlencode({'next': PAGE})}", {"code": "000000"})
    assert answer.status_code == 200 and "Confirm it is you" in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_a_confirmation_holds_for_five_minutes(coordinator, client_for):
    client = client_for(coordinator)
    client.post(CONFIRM, {"password": PASSWORD})
    assert client.post(PAGE, {"name": "First", "days": "30"}).status_code == 200

    with time_machine.travel(datetime.timedelta(minutes=4), tick=False):
        assert client.post(PAGE, {"name": "Second", "days": "30"}).status_code == 200
    with time_machine.travel(datetime.timedelta(minutes=6), tick=False):
        assert client.post(PAGE, {"name": "Third", "days": "30"})["Location"] == ASKED

    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["First", "Second"]


def test_revoking_a_token_needs_no_confirmation(coordinator, partnership, client_for):
    """Ending access is never made harder."""
    token, _ = services.token_create(user=coordinator, partnership=partnership, name="Old")
    client_for(coordinator).post(reverse("api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
