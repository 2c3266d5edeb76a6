"""Playwright driving Debian's Chromium (a browser download cannot work on these machines).

Locally a missing Chromium skips these tests; under CI=true it fails them.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

from tests.signing_in import authenticator_app, fresh_code

CHROMIUM = Path(os.environ.get("MACA_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps dialling out of a closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    # Asking for the test database first makes pytest stop the live server (which the tests
    # ask for after this) before it drops the database.
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI needs it", pytrace=False)
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # from it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        with django_db_blocker.unblock():
            _drop_stray_connections()


def _drop_stray_connections():
    """End connections the browser tests left open, so the test database can be dropped.

    ORM calls made while Playwright's event loop runs land in another context and open a
    connection this thread cannot reach to close; on PostgreSQL it would keep the test database
    busy at teardown ("being accessed by other users").
    """
    connections.close_all()
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    # The ORM calls a test makes while Playwright runs can open a connection of their own
    # (another context); close it, or PostgreSQL cannot drop the test database at the end.
    connections.close_all()


@pytest.fixture
def another_page(browser):
    """Pages for more people in the same test (each its own browser context), closed at the
    end so that no keep-alive connection outlives the live server."""
    contexts = []

    def make():
        context = browser.new_context(locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()
    connections.close_all()


def sign_in(page, live_server, email, password):
    """Both steps of signing in: the password, then (for those who need one) the app's code.

    Someone who needs a second factor gets an authenticator app first if they have none; the
    page that sets one up is tested on its own (test_sign_in.py).
    """
    ensure_authenticator_app(email)
    type_address(page, live_server, email)
    page.get_by_label("Password").fill(password)
    # Each step is a form's POST: wait for its answer, or the test would race it.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/accounts/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(_fresh_code(email))
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()


def type_address(page, live_server, email):
    """The sign-in page's first step: the address alone (decision 75). One whose domain has a
    sign-in provider goes on to it; any other is asked for its password next."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def ensure_authenticator_app(email):
    from maca.access import needs_second_factor
    from maca.accounts.models import User

    user = User.objects.get(email=email)
    if needs_second_factor(user):
        authenticator_app(user)


def _fresh_code(email):
    from maca.accounts.models import User

    return fresh_code(authenticator_app(User.objects.get(email=email)))


# WCAG 2.2 A and AA, as axe-core tags them.
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def assert_accessible(page):
    """axe-core, in the browser, finds no WCAG 2.2 A/AA violation on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    # Checked as a person sees it: once its styles have loaded, or sizes and colours are the
    # browser's defaults (a stylesheet revalidated against the server can still be on its way).
    page.wait_for_load_state()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def fill_date(scope, name, date):
    """Type `date` into the GOV.UK date input whose legend is `name` (day, month, year)."""
    group = scope.get_by_role("group", name=name)
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))
