"""The "API tokens" page: your own tokens, making one (the secret shown once), revoking one."""

import hashlib

from django.urls import reverse

from maca.api import services
from maca.api.models import ApiToken

PAGE = "/account/tokens/"


def _make(client, **data):
    return client.post(PAGE, {"name": "Figures script", "days": "30"} | data)


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
    secret = page.split('id="token-secret" type="text" value="')[1].split('"')[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    assert secret not in str(dict(client.session))
    assert secret not in client.get(PAGE).content.decode()
    assert token.key_prefix in client.get(PAGE).content.decode()


def test_the_secret_works_at_once(coordinator, client_for):
    page = _make(client_for(coordinator)).content.decode()
    secret = page.split('id="token-secret" type="text" value="')[1].split('"')[0]
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
