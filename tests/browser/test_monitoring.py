"""Monitoring the demo's audit in monitoring, in real Chromium, with axe-core.

The coordinator reads the recommendations and the monitoring page, filters it to one agency
without JavaScript's help and downloads the CSV; the police auditor completes Police's overdue
action (refused first without the evidence of impact); the close page lists what is left.
"""

import csv
import io
import re
from pathlib import Path

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
def monitored(transactional_db):
    return bundle_import(data=demo_bundle("05-domestic-abuse.json"))


def test_the_sub_group_follows_the_actions_until_one_is_complete(
    page, another_page, live_server, monitored
):
    audit, base = monitored, live_server.url
    coordinator = f.UserFactory(email="casey@example.org")
    membership_grant(user=coordinator, partnership=audit.partnership, role=Role.COORDINATOR)
    police = Agency.objects.get(partnership=audit.partnership, name="Police")
    auditor = f.UserFactory(email="pat@example.org")
    membership_grant(
        user=auditor, partnership=audit.partnership, role=Role.AGENCY_AUDITOR, agency=police
    )
    sign_in(page, live_server, coordinator.email, PASSWORD)

    page.goto(f"{base}/audits/{audit.pk}/recommendations/")
    expect(page.get_by_role("heading", name="Recommendation 3")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/actions/")
    expect(page.get_by_text(re.compile(r"\d+ actions?, of which 2 overdue"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Agency").select_option(label="Police")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Overdue")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    assert [r["Agency"] for r in records] == ["Police"]

    # The police auditor completes Police's overdue action.
    police_page = another_page()
    sign_in(police_page, live_server, auditor.email, PASSWORD)
    police_page.goto(f"{base}/actions/")
    police_page.get_by_role("table").locator("tbody tr").first.get_by_role("link").first.click()
    expect(police_page.get_by_role("heading", level=1)).to_have_text("Action of Police")
    assert_accessible(police_page)
    police_page.get_by_label("Progress", exact=True).fill(
        "Every school now hears by nine the next day."
    )
    police_page.get_by_label("Complete", exact=True).check()
    police_page.get_by_role("button", name="Record progress").click()
    expect(police_page.get_by_role("alert")).to_contain_text("Say what changed as a result")
    assert_accessible(police_page)
    police_page.get_by_label("Evidence of impact").fill("Schools report 31 notifications.")
    police_page.get_by_role("button", name="Record progress").click()
    expect(police_page.get_by_text("Progress recorded.")).to_be_visible()
    expect(police_page.locator("#action-status")).to_contain_text("Complete")

    page.goto(f"{base}/audits/{audit.pk}/close/")
    expect(page.locator("#blocking")).not_to_contain_text("Action of Police")
    expect(page.locator("#blocking")).to_contain_text("Action of Children's Social Care")
    assert_accessible(page)
