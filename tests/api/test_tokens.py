"""A token's life: made (kept only as a digest), used, and refused once revoked, expired, or
when its user can no longer act in its partnership."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.utils import timezone

from maca.api import services
from maca.api.models import ApiToken
from maca.errors import DomainError
from maca.partnerships.models import Membership, Role
from tests import factories as f


def _only(user) -> ApiToken:
    return ApiToken.objects.get(user=user)


def test_a_token_is_kept_as_a_digest_only(coordinator, partnership):
    token, secret = services.token_create(
        user=coordinator, partnership=partnership, name="Figures script", days=30
    )
    assert secret.startswith("maca_") and len(secret) > 40
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.key_prefix == secret[:8]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        rows = cursor.fetchall()
    assert not any(secret in str(value) for row in rows for value in row)
    lasts = token.expires_at - token.created_at
    assert datetime.timedelta(days=30) - lasts < datetime.timedelta(seconds=5)


def test_each_token_has_its_own_secret(coordinator, partnership):
    _, first = services.token_create(user=coordinator, partnership=partnership, name="a")
    _, second = services.token_create(user=coordinator, partnership=partnership, name="b")
    assert first != second


def test_a_token_lasts_90_days_unless_asked(coordinator, partnership):
    token, _ = services.token_create(user=coordinator, partnership=partnership, name="a")
    assert (token.expires_at - timezone.now()).days == 89


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"days": 0}, "days"),
        ({"days": 366}, "days"),
    ],
)
def test_a_token_needs_a_name_and_1_to_365_days(coordinator, partnership, changes, field):
    arguments = {"user": coordinator, "partnership": partnership, "name": "ok", "days": 90}
    with pytest.raises(DomainError) as refused:
        services.token_create(**(arguments | changes))
    assert refused.value.field == field
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_partnership_coordinator"])
def test_a_token_is_made_only_where_its_user_is_a_member(who, request, partnership):
    with pytest.raises(DomainError) as refused:
        services.token_create(user=request.getfixturevalue(who), partnership=partnership, name="a")
    assert refused.value.field == "partnership"


def test_a_token_works_and_says_when_it_was_last_used(coordinator, partnership, api_as):
    response = api_as(coordinator).get("/partnership")
    assert response.status_code == 200
    assert response.json() == {"id": partnership.pk, "name": partnership.name}
    assert _only(coordinator).last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(coordinator, api_as):
    api = api_as(coordinator)
    api.get("/partnership")
    first = _only(coordinator).last_used_at
    api.get("/partnership")
    assert _only(coordinator).last_used_at == first
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    api.get("/partnership")
    assert _only(coordinator).last_used_at > first


def _refused(response, message: str):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"detail": message}


def test_a_call_without_a_token_is_refused(api_as):
    _refused(
        api_as(None).get("/audits"),
        "Send your personal API token in the header Authorization: Bearer <token>",
    )


def test_a_made_up_token_is_refused(coordinator, api_as):
    api = api_as(coordinator)
    api.headers = {"Authorization": "Bearer maca_not-a-token"}
    _refused(api.get("/audits"), "This token is not valid")


def test_signing_in_does_not_open_the_api(coordinator, client_for):
    response = client_for(coordinator).get("/api/v1/audits")
    assert response.status_code == 401


def test_a_revoked_token_is_refused(coordinator, api_as):
    api = api_as(coordinator)
    services.token_revoke(token=_only(coordinator), by=coordinator)
    _refused(api.get("/audits"), "This token has been revoked")


def test_an_expired_token_is_refused(coordinator, api_as):
    api = api_as(coordinator)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _refused(api.get("/audits"), "This token has expired")


def test_a_token_stops_when_its_user_leaves_the_partnership(police_auditor, api_as):
    api = api_as(police_auditor)
    Membership.objects.filter(user=police_auditor).delete()
    _refused(api.get("/audits"), "This token's user can no longer use it")


def test_a_token_stops_when_its_user_is_deactivated(police_auditor, api_as):
    api = api_as(police_auditor)
    police_auditor.is_active = False
    police_auditor.save()
    _refused(api.get("/audits"), "This token's user can no longer use it")


def test_a_token_acts_only_in_its_own_partnership(
    coordinator, partnership, other_partnership, audit, other_audit, token_for, api_as
):
    f.MembershipFactory(user=coordinator, partnership=other_partnership, role=Role.COORDINATOR)
    api = api_as(coordinator, partnership)
    assert [a["id"] for a in api.get("/audits").json()["items"]] == [audit.pk]
    assert api.get(f"/audits/{other_audit.pk}").status_code == 404
    elsewhere = api_as(coordinator, other_partnership)
    assert [a["id"] for a in elsewhere.get("/audits").json()["items"]] == [other_audit.pk]


def test_a_token_takes_its_users_role_as_it_is_now(police_auditor, audit, actions, api_as):
    api = api_as(police_auditor)
    assert api.get(f"/actions/{actions['csc'].pk}").status_code == 404
    Membership.objects.filter(user=police_auditor).update(role=Role.COORDINATOR, agency=None)
    assert api.get(f"/actions/{actions['csc'].pk}").status_code == 200


def test_only_its_user_revokes_a_token(coordinator, police_auditor, partnership):
    token, _ = services.token_create(user=coordinator, partnership=partnership, name="a")
    with pytest.raises(DomainError):
        services.token_revoke(token=token, by=police_auditor)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_keeps_the_first_time(coordinator, partnership):
    token, _ = services.token_create(user=coordinator, partnership=partnership, name="a")
    first = services.token_revoke(token=token, by=coordinator).revoked_at
    assert services.token_revoke(token=token, by=coordinator).revoked_at == first
