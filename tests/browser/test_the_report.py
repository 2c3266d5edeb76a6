"""The summary report of the demo's closed transitions audit, in real Chromium, with axe-core.

One coordinator edits words (they save as she types); a town she names is taken for a person's
name as she types, and she marks it as not one; she plants an NHS number, which the page warns
of beside the words, and sends the report for approval; the second coordinator's approval is
refused, naming the passage; the number is taken out, the report approved and published; its
PDF and Word files are downloaded and read; a board member reads the published edition.
"""

import io
import re
import subprocess
from pathlib import Path

import docx
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

NHS_NUMBER = "943 476 5919"


@pytest.fixture
def transitions(transactional_db):
    return bundle_import(data=demo_bundle("02-transitions.json"))


def member(audit, email, role):
    user = f.UserFactory(email=email, name=email.split("@")[0].title())
    membership_grant(user=user, partnership=audit.partnership, role=role)
    return user


def send_and_approve(author, approver, report_url):
    author.goto(report_url)
    author.get_by_role("button", name=re.compile("^Send for approval")).click()
    expect(author.locator("#report-state")).to_have_text("Waiting for approval")
    approver.goto(report_url)
    approver.get_by_role("button", name="Approve the report as it reads now").click()
    expect(approver.locator("#report-state")).to_have_text("Approved, not yet published")


def test_a_report_is_written_approved_refused_then_published(
    page, another_page, live_server, transitions, tmp_path
):
    audit, base = transitions, live_server.url
    author = member(audit, "casey@example.org", Role.COORDINATOR)
    approver = member(audit, "corin@example.org", Role.COORDINATOR)
    board = member(audit, "bo@example.org", Role.BOARD_MEMBER)
    report_url = f"{base}/audits/{audit.pk}/report/"
    sign_in(page, live_server, author.email, PASSWORD)

    page.goto(report_url)
    expect(page.locator("#report-state")).to_have_text("Draft")
    expect(page.get_by_text("Of the 15 cases audited, 0 were graded outstanding")).to_be_visible()
    assert page.locator("svg[role=img]").count() == 4
    assert_accessible(page)

    # Every section is edited on the report's one page. Words save as they are typed: nothing
    # pressed, the page reloaded, the words still there.
    page.wait_for_load_state()  # typing before htmx has loaded would save nothing
    words = page.get_by_label("Words of Next steps")
    words.fill("The board discussed the findings on 4 December.")
    expect(page.locator("#next_steps-autosave-status")).to_contain_text("Saved at")
    assert_accessible(page)
    page.reload()
    expect(words).to_have_value("The board discussed the findings on 4 December.")

    # A town taken for a person's name, as she types; she marks it as not one (no script needed).
    words.fill("The board discussed the findings in Wigan on 4 December.")
    warning = page.locator("#next_steps-identifiers")
    status = page.locator("#next_steps-autosave-status")
    expect(status).to_contain_text("1 passage could identify a child")
    expect(warning).to_contain_text("Found: Wigan")
    assert_accessible(page)
    warning.get_by_role("button", name="Not a person’s name (Wigan)").click()
    expect(page.get_by_text("Marked as not a person’s name in that passage.")).to_be_visible()
    expect(page.locator("#next_steps-identifiers")).to_be_empty()

    # Without script, a section's own button saves its words and comes back to the report.
    page.goto(report_url)
    summary = page.get_by_label("Words of Executive summary")
    summary.fill("The board is asked to agree the three recommendations.")
    page.get_by_role("button", name="Save the words of Executive summary").click()
    expect(page).to_have_url(f"{report_url}#summary")  # back at the section, no banner
    expect(summary).to_have_value("The board is asked to agree the three recommendations.")

    # The charts for the board: one left out, the page draws three.
    page.get_by_role("checkbox", name="Grades by area").uncheck()
    page.get_by_role("button", name="Save the charts for the board").click()
    expect(page.get_by_text("The charts for the board are saved.")).to_be_visible()
    assert page.locator("svg[role=img]").count() == 3
    assert_accessible(page)

    page.goto(f"{report_url}sections/good_practice/")
    page.get_by_label("Words").fill(f"The GP shared the record of NHS number {NHS_NUMBER} at once.")
    expect(page.locator("#good_practice-identifiers")).to_contain_text(NHS_NUMBER)
    page.get_by_role("button", name="Save the words").click()
    expect(page.locator("#good_practice")).to_contain_text("1 passage in this section could")
    expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)  # routine

    reader = another_page()
    sign_in(reader, live_server, approver.email, PASSWORD)
    page.goto(report_url)
    page.get_by_role("button", name=re.compile("^Send for approval")).click()
    expect(page.locator("#report-state")).to_have_text("Waiting for approval")

    # Approval is refused, naming the section and showing the passage.
    reader.goto(report_url)
    reader.get_by_role("button", name="Approve the report as it reads now").click()
    expect(reader.get_by_text("The report cannot be approved:")).to_be_visible()
    expect(reader.locator("#finding-1")).to_contain_text("Good practice")
    expect(reader.locator("#finding-1")).to_contain_text(NHS_NUMBER)
    assert_accessible(reader)
    expect(reader.locator("#report-state")).to_have_text("Waiting for approval")

    # Put right, approved, and published.
    page.goto(f"{report_url}sections/good_practice/")
    page.get_by_label("Words").fill("The GP shared the record at once.")
    page.get_by_role("button", name="Save the words").click()
    expect(page.locator("#report-state")).to_have_text("Waiting for approval")
    send_and_approve(page, reader, report_url)

    # Tasks run inline in the tests: publishing makes the PDF and the Word file (seconds).
    page.set_default_timeout(90_000)
    page.goto(report_url)
    page.get_by_role("button", name="Publish edition 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(audit.title)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the PDF file")).click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert all("OFFICIAL" in p and "DRAFT" not in p for p in pages)
    assert "The board discussed the findings in Wigan on 4 December." in re.sub(r"\s+", " ", text)
    assert "Figure 2: Grades by area" not in text  # left out of what goes to the board
    assert "Figure 2: Agencies' own grades" in text

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the Word file")).click()
    word = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert any(p.text == "Next steps" and p.style.name == "Heading 1" for p in word.paragraphs)
    page.set_default_timeout(10_000)

    # The audit's change history says what happened in words, the fields a click away.
    page.goto(f"{base}/audits/{audit.pk}/history/")
    expect(page.get_by_role("heading", name="Report published as edition 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Report approved")).to_be_visible()
    assert_accessible(page)

    # The board member reads the published edition, and nothing of the draft's tools.
    board_page = another_page()
    sign_in(board_page, live_server, board.email, PASSWORD)
    board_page.goto(report_url)
    expect(board_page).to_have_url(f"{report_url}editions/1/")
    expect(board_page.get_by_text("The GP shared the record at once.")).to_be_visible()
    expect(board_page.get_by_role("link", name=re.compile("Edit the words"))).to_have_count(0)
    assert_accessible(board_page)
