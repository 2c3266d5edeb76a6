"""Headers: the Content Security Policy on error pages (every other page: the access table's
walk, tests/test_access.py), `Cache-Control: no-store` on everything a signed-in user or the API
is answered, and the production settings: HSTS, `__Host-` cookies, `check --deploy` clean."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from maca.api.services import token_create
from tests.signing_in import sign_in
from tests.support.commands import PRODUCTION, run
from tests.support.headers import assert_csp_holds, no_store


def test_error_pages_carry_the_policy_and_no_store(coordinator):
    client = Client()
    sign_in(client, coordinator)
    for response in (client.get("/audits/999999/"), client.get("/no/such/page/")):
        assert response.status_code == 404
        assert_csp_holds(response)
        assert no_store(response)


def test_everything_a_signed_in_user_is_answered_is_no_store(audit, coordinator):
    client = Client()
    sign_in(client, coordinator)
    download = client.get(reverse("audits:report_json", args=[audit.pk]))
    redirect = client.post(reverse("switch_partnership"), {"partnership": audit.partnership_id})
    for response in (download, redirect):
        assert no_store(response), response


def test_every_api_answer_is_no_store(audit, coordinator, partnership):
    _, secret = token_create(user=coordinator, partnership=partnership, name="Figures")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    anonymous = Client()
    for response in (
        api.get("/api/v1/audits"),
        api.get(f"/api/v1/audits/{audit.pk}"),
        api.get("/api/v1/audits/999999"),
        anonymous.get("/api/v1/audits"),  # 401
        anonymous.get("/api/v1/openapi.json"),
        anonymous.get("/api/v2/nothing"),
    ):
        assert no_store(response), (response.status_code, response.request["PATH_INFO"])


# --- Production -----------------------------------------------------------------------------

SHOW_SETTINGS = """
import json
from django.conf import settings as s
names = [
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_PATH", "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_PATH", "CSRF_COOKIE_DOMAIN", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "CACHES",
]
print(json.dumps({name: getattr(s, name) for name in names}))
"""


@pytest.fixture(scope="module")
def production_settings():
    result = run("shell", "-c", SHOW_SETTINGS, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_host_only_secure_and_lax(production_settings):
    s = production_settings
    for cookie in ("SESSION", "CSRF"):
        assert s[f"{cookie}_COOKIE_NAME"].startswith("__Host-")
        # What a browser needs to keep a __Host- cookie at all.
        assert s[f"{cookie}_COOKIE_SECURE"] is True
        assert s[f"{cookie}_COOKIE_PATH"] == "/"
        assert s[f"{cookie}_COOKIE_DOMAIN"] is None
        assert s[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert s[f"{cookie}_COOKIE_SAMESITE"] == "Lax"


def test_production_sends_hsts_and_redirects_to_https(production_settings):
    assert production_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True


def test_production_counts_sign_ins_in_a_cache_every_worker_shares(production_settings):
    backend = production_settings["CACHES"]["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_production_passes_check_deploy_without_a_warning():
    result = run("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr
