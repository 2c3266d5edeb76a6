"""A coordinator writes the yearly assurance report, in real Chromium, with axe-core: starts one
for a period (refused first with its end before its start), reads it with its figures (the
audit held in the period, its grades' chart), edits the words of a section, and downloads the
draft's PDF."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def published_audit(transactional_db):
    audit = bundle_import(data=demo_bundle("05-domestic-abuse.json"))
    f.published_report(audit, with_pdf=False)
    return audit


def test_a_coordinator_starts_a_yearly_report_edits_a_section_and_reads_it(
    page, another_page, live_server, published_audit
):
    base = live_server.url
    coordinator = f.UserFactory(email="casey@example.org")
    membership_grant(
        user=coordinator, partnership=published_audit.partnership, role=Role.COORDINATOR
    )
    today = datetime.date.today()
    sign_in(page, live_server, coordinator.email, PASSWORD)

    page.goto(f"{base}/")
    page.get_by_role("link", name="Yearly reports").click()
    expect(page.get_by_role("heading", name="Yearly assurance reports")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start a yearly report").click()

    fill_date(page, "First day of the period", today)
    fill_date(page, "Last day of the period", today - datetime.timedelta(days=30))
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("alert")).to_contain_text("must be after its start")
    assert_accessible(page)

    fill_date(page, "First day of the period", today - datetime.timedelta(days=364))
    fill_date(page, "Last day of the period", today)
    page.get_by_role("button", name="Start the report").click()
    expect(page.locator("#report-state")).to_have_text("Draft")
    audits = page.locator("#audits")
    expect(audits.get_by_role("table")).to_contain_text("Children living with domestic abuse")
    expect(page.locator("#grades figure svg")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Edit the words of What changed").click()
    assert_accessible(page)
    words = "Children's voices are now recorded in most agencies' assessments."
    page.get_by_label("Words").fill(words)
    page.get_by_role("button", name="Save the words").click()
    changes = page.locator("#changes")
    expect(changes).to_contain_text(words)
    expect(changes.get_by_text("Words edited")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="The report as it stands (PDF)").click()
    assert download.value.suggested_filename.endswith("-draft.pdf")

    # A second coordinator approves it, the first publishes it, and the board reads it.
    second = f.UserFactory(email="corin@example.org")
    partnership = published_audit.partnership
    membership_grant(user=second, partnership=partnership, role=Role.COORDINATOR)
    board = f.UserFactory(email="bo@example.org")
    membership_grant(user=board, partnership=partnership, role=Role.BOARD_MEMBER)
    report_url = page.url.split("#")[0]
    page.get_by_role("button", name="Send for approval").click()
    expect(page.locator("#report-state")).to_have_text("Waiting for approval")
    approver = another_page()
    sign_in(approver, live_server, second.email, PASSWORD)
    approver.goto(report_url)
    approver.get_by_role("button", name="Approve the report").click()
    expect(approver.locator("#report-state")).to_have_text("Approved, not yet published")
    page.goto(report_url)
    page.get_by_role("button", name="Publish the report").click()
    expect(page.locator("#report-state")).to_have_text("Published: edition 1")

    reader = another_page()
    sign_in(reader, live_server, board.email, PASSWORD)
    reader.goto(f"{base}/yearly-reports/")
    reader.get_by_role("link", name=re.compile(r"\d{4} to \d")).click()
    expect(reader.get_by_text("Edition 1", exact=True)).to_be_visible()
    expect(reader.locator("#changes")).to_contain_text(words)
    assert_accessible(reader)
