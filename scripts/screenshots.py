#!/usr/bin/env python
"""Screenshots of the main pages of a running demo (make demo), into docs/screens/.

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL [NAME ...]]  (names: only those shots)

The dashboard's shots expect demo/past-audit-neglect-2015.xlsx uploaded on /audits/history/.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
ONLY = set(sys.argv[2:])
OUT = Path(__file__).resolve().parent.parent / "docs" / "screens"
PASSWORD = "maca-demo-password"  # noqa: S105 — the demo's, printed by make demo
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

COORDINATOR = "coordinator@example.org"
POLICE = "police.auditor@example.org"
BOARD = "board@example.org"
CANDIDATES = Path(__file__).resolve().parent.parent / "demo" / "candidates.csv"


def second_factor(page):
    """Under `make demo` the code page shows the code of the moment: type it."""
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/2fa/" not in page.url:
        return
    code = page.locator(".govuk-inset-text strong").inner_text()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def upload_and_draw(page):
    page.get_by_label("CSV file of candidate cases").set_input_files(CANDIDATES)
    page.get_by_role("button", name="Upload candidates").click()
    page.get_by_label("Seed (optional)").fill("2027")
    page.get_by_role("button", name="Draw the sample").click()


def open_first_action(page):
    page.get_by_role("table").locator("tbody tr").first.get_by_role("link").first.click()


def open_first_request(page):
    page.get_by_role("table").first.locator("tbody tr").first.get_by_role("link").click()


def open_flagged_return(page):
    page.get_by_role("region", name="Immediate action required").get_by_role("link").first.click()


def open_first_row_link(page):
    page.locator("main table tbody tr").first.get_by_role("link").first.click()


def open_first_row_presenting(page):
    open_first_row_link(page)
    page.get_by_role("link", name="Presenter mode").click()


def to_the_editor(page):
    # The one-page editor: the report's sections, each with its words and figures.
    page.evaluate("document.querySelector('#editor').scrollIntoView()")


def prepare_pack(page):
    page.get_by_role("button", name="Prepare the meeting pack").click()


# (file name, user or None, path, what to do there first). Run against a fresh `make demo`:
# the cases shot uploads demo/candidates.csv and draws the sample of the planning audit.
SHOTS = [
    ("sign-in", None, "/accounts/login/", None),
    ("home-coordinator", COORDINATOR, "/", None),
    ("audit-coordinator", COORDINATOR, "/audits/3/", None),  # collecting: the task list mid-way
    ("history-coordinator", COORDINATOR, "/audits/3/history/", None),
    ("plan-an-audit", COORDINATOR, "/audits/new/", None),
    ("audit-tool", COORDINATOR, "/audits/4/questions/", None),
    ("cases-and-sample", COORDINATOR, "/audits/4/cases/", upload_and_draw),
    ("send-the-requests", COORDINATOR, "/audits/4/send/", None),
    ("tracking", COORDINATOR, "/audits/3/tracking/", None),
    ("return-coordinator", COORDINATOR, "/audits/3/tracking/", open_flagged_return),
    ("case-summaries", COORDINATOR, "/audits/2/summaries/", None),
    ("case-summary", COORDINATOR, "/audits/2/summaries/", open_first_row_link),
    ("meeting", COORDINATOR, "/audits/2/meeting/", None),
    ("meeting-case", COORDINATOR, "/audits/2/meeting/", open_first_row_link),
    ("meeting-presenter", COORDINATOR, "/audits/2/meeting/", open_first_row_presenting),
    ("themes", COORDINATOR, "/audits/2/themes/", None),
    ("meeting-pack", COORDINATOR, "/audits/3/meeting-pack/", prepare_pack),
    ("report-coordinator", COORDINATOR, "/audits/2/report/", to_the_editor),
    ("report-section", COORDINATOR, "/audits/2/report/sections/introduction/", None),
    ("names-to-catch", COORDINATOR, "/names-to-catch/", None),
    ("recommendations", COORDINATOR, "/audits/5/recommendations/", None),
    ("monitoring-coordinator", COORDINATOR, "/actions/", None),
    ("close-the-audit", COORDINATOR, "/audits/5/close/", None),
    ("home-police-auditor", POLICE, "/", None),
    ("audit-police-auditor", POLICE, "/audits/3/", None),
    ("my-requests", POLICE, "/requests/", None),
    ("return-form", POLICE, "/requests/", open_first_request),
    ("monitoring-police-auditor", POLICE, "/actions/", None),
    ("action-police-auditor", POLICE, "/actions/", open_first_action),
    ("dashboard-coordinator", COORDINATOR, "/dashboard/", None),
    ("theme-library", COORDINATOR, "/themes/", None),
    ("home-board-member", BOARD, "/", None),
    ("dashboard-board-member", BOARD, "/dashboard/", None),
    ("report-board-member", BOARD, "/audits/2/report/", None),  # redirects to the edition
]
# Pages too long to show whole: only the top of these (the viewport).
TOP_ONLY = {"report-coordinator", "report-board-member", "meeting-presenter"}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        signed_in: dict = {}
        for name, email, path, action in SHOTS:
            if ONLY and name not in ONLY:
                continue
            # Each person signs in once: a second factor's code is accepted only once.
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, storage_state=signed_in.get(email)
            )
            page = context.new_page()
            if email and email not in signed_in:
                page.goto(f"{BASE}/accounts/login/")
                page.get_by_label("E-mail address").fill(email)
                page.get_by_role("button", name="Continue").click()  # the address first
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                second_factor(page)
                signed_in[email] = context.storage_state()
            page.goto(BASE + path)
            if action:
                action(page)
            page.screenshot(path=OUT / f"{name}.png", full_page=name not in TOP_ONLY)
            print(f"{name}.png  {page.title()}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
