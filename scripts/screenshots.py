#!/usr/bin/env python
"""Screenshots of the main pages of a running demo (make demo), into docs/screens/.

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
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

# (file name, user or None, path)
SHOTS = [
    ("sign-in", None, "/accounts/login/"),
    ("home-coordinator", "coordinator@example.org", "/"),
    ("audit-coordinator", "coordinator@example.org", "/audits/2/"),
    ("history-coordinator", "coordinator@example.org", "/audits/3/history/"),
    ("home-police-auditor", "police.auditor@example.org", "/"),
    ("audit-police-auditor", "police.auditor@example.org", "/audits/3/"),
    ("home-board-member", "board@example.org", "/"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, email, path in SHOTS:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            if email:
                page.goto(f"{BASE}/accounts/login/")
                page.get_by_label("E-mail address").fill(email)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
            page.goto(BASE + path)
            page.screenshot(path=OUT / f"{name}.png", full_page=True)
            print(f"{name}.png  {page.title()}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
