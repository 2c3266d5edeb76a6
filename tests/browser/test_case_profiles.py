"""Case profiles in real Chromium, with axe-core: the coordinator chooses the fields the
partnership records, then sets a case's profile and sees it on the cases page."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_the_coordinator_chooses_fields_and_sets_a_cases_profile(
    page, live_server, audit, coordinator
):
    base = live_server.url
    sign_in(page, live_server, coordinator.email, PASSWORD)

    page.goto(f"{base}/dashboard/case-profiles/")
    assert_accessible(page)
    page.get_by_label("Level of need").check()
    page.get_by_label("Ethnicity").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The case profile fields are saved.")).to_be_visible()

    case = audit.cases.get(reference="T-E-01")
    page.goto(f"{base}/audits/{audit.pk}/cases/{case.pk}/profile/")
    assert_accessible(page)
    expect(page.get_by_text("Age band")).to_have_count(0)  # not recorded by the partnership
    page.get_by_label("Child protection").check()
    page.get_by_label("Mixed or Multiple ethnic groups").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved the profile of case T-E-01.")).to_be_visible()
    expect(page.get_by_text("Child protection, Mixed or Multiple ethnic groups")).to_be_visible()
    assert_accessible(page)
