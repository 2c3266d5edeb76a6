import pytest

from tests.factories import PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_coordinator_signs_in_and_sees_the_audits(page, live_server, audit, coordinator):
    sign_in(page, live_server, coordinator.email, PASSWORD)

    assert page.get_by_role("heading", name="Audits", level=1).is_visible()
    page.get_by_role("link", name=audit.title).click()
    assert page.get_by_role("heading", name=audit.title).is_visible()
    assert page.get_by_role("rowheader", name="T-E-01").is_visible()


def test_a_wrong_password_is_refused_with_a_message(page, live_server, coordinator):
    sign_in(page, live_server, coordinator.email, "not-the-password")

    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert "/accounts/login/" in page.url


def test_the_police_auditor_sees_only_audits_police_takes_part_in(
    page, live_server, audit, police_auditor, health_auditor
):
    sign_in(page, live_server, health_auditor.email, PASSWORD)
    assert page.get_by_text("There are no audits to show yet.").is_visible()
