"""The board member's dashboard on the demo, in real Chromium, with axe-core: small counts read
"fewer than 3", the counts that would give them away "not shown", every chart draws what is
hidden as its labelled band, a table's CSV says the same as the page, and the theme library
reads the same counts and the audits' themes as their reports printed them.
"""

import csv
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "maca-demo-password"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def test_a_board_member_walks_the_protected_dashboard(page, live_server, demo):
    sign_in(page, live_server, "board@example.org", PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Learning across audits")).to_be_visible()
    expect(page.get_by_text("counts from 1 to 2 are shown as “fewer than 3”")).to_be_visible()
    assert_accessible(page)

    section = page.locator("#grades-by-audit")
    grades = [row[1:6] for row in section_rows(section)]
    shown = {cell for row in grades for cell in row}
    assert {"fewer than 3", "not shown"} <= shown
    assert not {"1", "2"} & shown  # no small count shown among the grades
    # The chart: its legend names the band, its description says what it is.
    chart = page.locator("#chart-grades-by-audit svg")
    expect(chart).to_have_attribute("role", "img")
    assert "Fewer than 3 or not shown" in chart.inner_html()
    description = page.locator("#chart-grades-by-audit-desc").text_content()
    assert "one dotted white band at the end of its bar" in description

    # Every section's link in the contents reaches it, and each page state passes axe.
    for link in page.locator("nav[aria-labelledby=contents-heading] a").all():
        target = link.get_attribute("href")
        link.click()
        expect(page.locator(target)).to_be_in_viewport()
    assert_accessible(page)

    with page.expect_download() as download:
        section.get_by_role("link", name=re.compile("^Download this table as CSV")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    shown = [[cell.strip() for cell in row] for row in section_rows(section)]
    assert [row[1:] for row in rows[1:]] == [row[1:] for row in shown]


def section_rows(section) -> list[list[str]]:
    return [
        [row.locator("th").inner_text(), *row.locator("td").all_inner_texts()]
        for row in section.locator("tbody tr").all()
    ]


def test_a_board_member_reads_the_theme_library_with_the_same_counts(page, live_server, demo):
    sign_in(page, live_server, "board@example.org", PASSWORD)
    page.goto(f"{live_server.url}/themes/")
    assert_accessible(page)
    page.get_by_role("link", name="Early help", exact=True).click()
    expect(page.get_by_role("heading", name="Early help")).to_be_visible()
    evidence = page.locator("tbody td:last-child").all_inner_texts()
    assert any(text.startswith("fewer than 3 of the") for text in evidence)
    assert_accessible(page)
