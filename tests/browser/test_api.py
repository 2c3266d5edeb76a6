"""The API as a person meets it: the "API tokens" page, and the docs page, which must work
offline, under the Content Security Policy and for everyone (WCAG 2.2 AA, as axe checks it)."""

import json

import pytest
from django.test import Client
from playwright.sync_api import expect

from maca.api.models import ApiToken
from tests.factories import PASSWORD

from .conftest import _fresh_code, assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_a_police_auditor_makes_a_token_copies_it_once_and_revokes_it(
    page, live_server, police_auditor
):
    sign_in(page, live_server, police_auditor.email, PASSWORD)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name").fill("Monthly figures")
    page.get_by_label("Days until it expires").fill("30")
    page.get_by_role("button", name="Create token").click()

    # Asked to confirm it is them: the password, or (chosen here) a code from the app.
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Use a code from your authenticator app instead").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(_fresh_code(police_auditor.email))
    page.get_by_role("button", name="Continue").click()

    secret = page.get_by_label("Your new token").input_value()
    assert secret.startswith("maca_")
    expect(page.get_by_role("rowheader", name="Monthly figures")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/account/tokens/")  # opened again: the secret is not shown
    assert page.get_by_label("Your new token").count() == 0
    page.get_by_role("button", name="Revoke the token Monthly figures").click()
    expect(page.get_by_text("is revoked: it no longer works")).to_be_visible()
    assert ApiToken.objects.get(user=police_auditor).revoked_at is not None


def test_the_api_docs_page_shows_every_operation_and_passes_axe(page, live_server, db):
    refused, requests = [], []
    page.on("console", lambda note: refused.append(note.text) if note.type == "error" else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.get_by_role("heading", name="maca API", level=1)).to_be_visible()
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    operations = sum(len(methods) for methods in document["paths"].values())
    assert operations >= 26
    assert page.locator(".maca-operation").count() == operations
    expect(page.get_by_role("heading", name="GET /api/v1/audits", exact=True)).to_be_visible()
    # A response's schema is a link to that schema, further down the same page.
    page.locator("#audit_list").get_by_role("link", name="PagedAuditOut").click()
    assert page.url.endswith("#schema-PagedAuditOut")
    expect(page.locator("#schema-PagedAuditOut").get_by_role("table")).to_be_visible()
    assert_accessible(page)
    page.wait_for_load_state("networkidle")
    assert refused == []
    assert all(url.startswith(live_server.url) for url in requests), requests
