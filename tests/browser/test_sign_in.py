import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import sign_in, type_address

pytestmark = pytest.mark.browser


def test_a_coordinator_signs_in_and_sees_the_audits(page, live_server, audit, coordinator):
    sign_in(page, live_server, coordinator.email, PASSWORD)

    expect(page.get_by_role("heading", name="Audits", level=1)).to_be_visible()
    page.get_by_role("link", name=audit.title).click()
    expect(page.get_by_role("heading", name=audit.title)).to_be_visible()
    expect(page.get_by_role("rowheader", name="T-E-01")).to_be_visible()


def test_a_wrong_password_is_refused_with_a_message(page, live_server, coordinator):
    sign_in(page, live_server, coordinator.email, "not-the-password")

    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert "/accounts/login/" in page.url


def test_the_police_auditor_sees_only_audits_police_takes_part_in(
    page, live_server, audit, police_auditor, health_auditor
):
    sign_in(page, live_server, health_auditor.email, PASSWORD)
    expect(page.get_by_text("There are no audits to show yet.")).to_be_visible()


def test_a_coordinator_without_an_app_sets_one_up_and_keeps_the_recovery_codes(
    page, live_server, audit, coordinator
):
    from maca.accounts.two_factor import code_for

    from .conftest import assert_accessible

    type_address(page, live_server, coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()  # no code typed

    secret = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("2. Enter the code the app shows").fill(code_for(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator("#recovery_codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continue to maca").click()
    page.get_by_role("link", name=audit.title).click()
    expect(page.get_by_role("heading", name=audit.title)).to_be_visible()


def test_the_code_page_is_accessible_and_refuses_a_wrong_code(page, live_server, police_auditor):
    from .conftest import assert_accessible, ensure_authenticator_app

    ensure_authenticator_app(police_auditor.email)
    type_address(page, live_server, police_auditor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
