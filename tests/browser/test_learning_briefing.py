"""A coordinator publishes a learning briefing and records where it went, in real Chromium, with
axe-core on every page (decision 71).

The demo's audit in monitoring has its report published; the coordinator opens the audit,
drafts the briefing from the report, edits a part, publishes it, downloads its one-page PDF, and
records in the dissemination log that it went to a team meeting, reaching 14 people.
"""

import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maca.actions.models import Dissemination
from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from maca.reports.models import BriefingEdition
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def monitored(transactional_db):
    audit = bundle_import(data=demo_bundle("05-domestic-abuse.json"))
    f.published_report(audit, with_pdf=False)
    return audit


def test_a_coordinator_publishes_a_briefing_and_records_where_it_went(
    page, live_server, monitored, tmp_path
):
    audit, base = monitored, live_server.url
    coordinator = f.UserFactory(email="casey@example.org")
    membership_grant(user=coordinator, partnership=audit.partnership, role=Role.COORDINATOR)

    # The identifier check loads its language model on first use, and the PDF is made when
    # downloaded: more than the usual 10 s on a busy machine.
    page.set_default_timeout(30_000)
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{base}/audits/{audit.pk}/")
    page.get_by_role("link", name="Learning briefing for front-line staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning briefing")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Draft the briefing").click()
    expect(page.get_by_role("heading", name="3. What we found")).to_be_visible()
    expect(page.get_by_text("Information sharing after police call-outs").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Edit the words").click()
    assert_accessible(page)
    page.get_by_label("Why it matters").fill("Every child living with abuse is harmed by it.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the words").click()
    expect(page.get_by_text("Every child living with abuse is harmed by it.")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Publish the briefing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(audit.title)
    expect(page.locator(".govuk-tag", has_text="Edition 1")).to_be_visible()
    assert_accessible(page)
    assert BriefingEdition.objects.get(audit=audit).number == 1

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Download the briefing \(PDF")).click()
    pdf = tmp_path / "briefing.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert len(text.split("\f")[:-1]) == 1
    assert "Every child living with abuse is harmed by it." in re.sub(r"\s+", " ", text)

    page.goto(f"{base}/audits/{audit.pk}/")
    page.get_by_role("link", name="Where the report and briefing went").click()
    assert_accessible(page)
    page.get_by_label("What went").select_option(label="Learning briefing, edition 1")
    page.get_by_label("Team meeting").check()
    page.get_by_label("Where, in words").fill("Assessment team, North")
    fill_date(page, "Date", timezone.localdate())
    page.get_by_label("People reached").fill("-2")
    with page.expect_navigation():
        page.get_by_role("button", name="Record it").click()
    expect(
        page.get_by_role("link", name="The number of people reached cannot be negative")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("People reached").fill("14")
    with page.expect_navigation():
        page.get_by_role("button", name="Record it").click()
    expect(page.get_by_text("Recorded: 1, reaching 14 people")).to_be_visible()
    assert_accessible(page)
    assert Dissemination.objects.get(audit=audit).people_reached == 14
