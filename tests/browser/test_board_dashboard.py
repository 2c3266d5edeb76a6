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
    call_command("load_demo", "--without-feedback-packs", stdout=io.StringIO())


#: The overview fits in two screens at 1280 px wide.
SCREEN = {"width": 1280, "height": 800}
OVERVIEW_TALLEST = 2 * SCREEN["height"]


def document_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def overview_fits_in_two_screens(page) -> None:
    """The overview at 1280 px wide: its five parts linked, no chart drawn, in two screens."""
    expect(page.get_by_role("heading", name="Learning across audits")).to_be_visible()
    for part in ("Grades", "Agencies", "Returns", "Calibration", "Themes"):
        expect(page.get_by_role("link", name=part, exact=True)).to_be_visible()
    assert document_height(page) <= OVERVIEW_TALLEST
    assert page.locator("svg").count() == 0  # no chart drawn for the overview
    assert_accessible(page)


# One demo loaded for the board member's walk and the coordinator's overview: each load is
# seconds, and a browser test's data cannot be shared between tests (it is committed).
def test_a_board_member_walks_the_protected_dashboard(page, another_page, live_server, demo):
    page.set_viewport_size(SCREEN)
    sign_in(page, live_server, "board@example.org", PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    overview_fits_in_two_screens(page)
    expect(page.get_by_text("counts from 1 to 2 are shown as “fewer than 3”")).to_be_visible()
    page.get_by_role("link", name="Grades", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grades")
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

    with page.expect_download() as download:
        section.get_by_role("link", name=re.compile("^Download this table as CSV")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    shown = [[cell.strip() for cell in row] for row in section_rows(section)]
    assert [row[1:] for row in rows[1:]] == [row[1:] for row in shown]

    # Every part of the dashboard, reached from the others, passes axe.
    parts = page.locator("nav[aria-labelledby=parts-heading] a")
    for name in parts.all_inner_texts()[1:]:  # the overview first, measured on its own
        page.locator("nav[aria-labelledby=parts-heading]").get_by_role("link", name=name).click()
        current = page.locator("nav[aria-labelledby=parts-heading] [aria-current=page]")
        expect(current).to_have_text(name)
        assert_accessible(page)

    # The coordinator's overview, with the settings the board's has not, fits in two screens too.
    coordinator = another_page()
    coordinator.set_viewport_size(SCREEN)
    sign_in(coordinator, live_server, "coordinator@example.org", PASSWORD)
    coordinator.goto(f"{live_server.url}/dashboard/")
    overview_fits_in_two_screens(coordinator)


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
