"""The home page's "Needs your attention", in real Chromium, with axe-core, on the demo's
audits: the coordinator signs in and lands on the police flag raised yesterday, one click from
the return where its handling is recorded; the police auditor sees the flag and Police's
overdue action."""

import re

import pytest
from playwright.sync_api import expect

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.partnerships.models import Agency, Role
from maca.partnerships.services import membership_grant
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    """The demo's audit collecting returns (its police flag raised yesterday) and its audit in
    monitoring (two actions overdue, Police's among them)."""
    neglect = bundle_import(data=demo_bundle("03-neglect.json"))
    bundle_import(data=demo_bundle("05-domestic-abuse.json"))
    return neglect


def test_signing_in_lands_on_what_needs_attention_one_click_from_the_flag(
    page, another_page, live_server, demo
):
    partnership = demo.partnership
    coordinator = f.UserFactory(email="casey@example.org", name="Casey Coordinator")
    membership_grant(user=coordinator, partnership=partnership, role=Role.COORDINATOR)
    police = Agency.objects.get(partnership=partnership, name="Police")
    auditor = f.UserFactory(email="pat@example.org", name="Pat Police-Auditor")
    membership_grant(user=auditor, partnership=partnership, role=Role.AGENCY_AUDITOR, agency=police)

    sign_in(page, live_server, coordinator.email, PASSWORD)

    assert page.url == f"{live_server.url}/"
    banner = page.get_by_role("region", name="Immediate action required")
    expect(banner).to_contain_text("flagged yesterday")
    expect(page.get_by_role("heading", name="Actions overdue")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Action of Police"))).to_be_visible()
    assert_accessible(page)

    banner.get_by_role("link", name="Case NEG-N-02, Police").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("NEG-N-02")
    expect(page.get_by_label("What was done about the immediate action?")).to_be_visible()

    police_page = another_page()
    sign_in(police_page, live_server, auditor.email, PASSWORD)
    expect(police_page.get_by_role("region", name="Immediate action required")).to_contain_text(
        "Case NEG-N-02, Police"
    )
    expect(police_page.get_by_role("heading", name="Police's actions overdue")).to_be_visible()
    assert_accessible(police_page)
