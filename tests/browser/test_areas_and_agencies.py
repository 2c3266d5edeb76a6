"""Mending an area's name that broke the charts, in real Chromium, with axe-core.

The demo's closed transitions audit has an area called `$\\nope$` (as someone might type it):
the coordinator opens the dashboard's grades (its charts draw the name as typed), then renames
the area from the home page's link, first with a name another area has (refused, naming the
field), then as meant; the dashboard shows the new name.
"""

import re

import pytest
from playwright.sync_api import expect

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

MATHS = r"$\nope$"


@pytest.fixture
def transitions(transactional_db):
    audit = bundle_import(data=demo_bundle("02-transitions.json"))
    east = audit.partnership.areas.get(name="East")
    east.name = MATHS
    east.save()
    return audit


def test_a_coordinator_mends_an_area_name(page, live_server, transitions):
    coordinator = f.UserFactory(email="casey@example.org")
    membership_grant(user=coordinator, partnership=transitions.partnership, role=Role.COORDINATOR)
    sign_in(page, live_server, coordinator.email, PASSWORD)

    page.goto(f"{live_server.url}/dashboard/grades/")
    expect(page.locator("svg[role=img] text", has_text=MATHS).first).to_be_attached()

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Areas and agencies").click()
    expect(page.get_by_role("heading", name="Areas and agencies", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Change the name {MATHS}").click()
    page.get_by_label("Name").fill("north")
    page.get_by_role("button", name="Save the name").click()
    expect(page.get_by_role("link", name=re.compile("already has an area called"))).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name").fill("East")
    page.get_by_role("button", name="Save the name").click()
    expect(page.get_by_text("Saved: the area is now called East.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/dashboard/grades/")
    expect(page.locator("svg[role=img] text", has_text=MATHS)).to_have_count(0)
    expect(page.get_by_role("rowheader", name="East", exact=True).first).to_be_visible()
