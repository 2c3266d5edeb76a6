"""Every page, for every role, through axe-core in Chromium: 0 WCAG 2.2 A/AA violations.

The pages are those the access table says each role may open (a GET that answers 200), on the
scale scenes' partnership built from the demo's bundles (tests/scale_scenes.py), as each of the
four people of its cast sees them. A page that names an audit is checked once per person, on
the first of the scene's audits where it is a page: collecting returns, then monitoring, then
closed (a page of one stage redirects on an audit in another; the access table checks those
answers). Files (CSV, PDF, Word) are not pages: the tests of their formats read them.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import scale_scenes
from tests.factories import PASSWORD

from .conftest import WCAG, sign_in

pytestmark = pytest.mark.browser

KINDS = ["-", "collecting", "monitoring", "closed"]  # "-": a page that names no audit


def test_every_page_passes_axe_for_every_role(transactional_db, live_server, another_page):
    scene = scale_scenes.scene("Every page")
    axe = Axe()
    checked, failures = set(), {}
    for role in scale_scenes.CAST:
        page = another_page()
        sign_in(page, live_server, scene.people[role].email, PASSWORD)
        pages = [page_of for page_of in scale_scenes.PAGES if page_of[1] == role]
        urls = scale_scenes.urls(scene, pages)
        for (name, _, kind), url in sorted(urls.items(), key=lambda i: KINDS.index(i[0][2])):
            if (name, role) in checked:
                continue
            answer = page.request.get(f"{live_server.url}{url}", max_redirects=0)
            if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
                continue
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state()
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
            checked.add((name, role))
            if results.violations_count:
                failures[name, role, kind] = results.generate_report()
    assert failures == {}, "\n\n".join(f"{key}:\n{report}" for key, report in failures.items())
    # Not a vacuous pass: every person opened pages (the coordinator most).
    assert {role for _, role in checked} == set(scale_scenes.CAST)
    assert len(checked) > 50, len(checked)
