"""The whole path of running an audit, in real Chromium, with axe-core on every page.

A coordinator plans an audit with three questions, uploads candidate cases, draws 5 per area
and sends the requests; the police auditor sees only Police's requests, saves a draft as they
type, reloads and finds it, and submits; the health auditor flags an immediate action and the
coordinator is mailed; the tracking grid counts it all.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from maca.audits.models import Audit, Request, RequestStatus
from tests.factories import PASSWORD

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser

CANDIDATES = Path(__file__).resolve().parent.parent / "data" / "candidates.csv"
QUESTIONS = [
    ("Was the young person's voice heard?", "Free text"),
    ("Was there a transition plan by 16?", "Yes, no or partly"),
    ("How well was information shared?", "Grade"),
]


def test_running_an_audit_from_plan_to_returns(
    page, another_page, live_server, areas, coordinator, police_auditor, health_auditor
):
    base = live_server.url

    # The coordinator plans the audit.
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.get_by_role("button", name="Plan a new audit").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Transitions to adult services")
    page.get_by_label("Theme").fill("Transitions")
    page.get_by_label("Why it was chosen").fill("Recommended by a serious case review")
    for area in ["East", "North", "Central"]:
        page.get_by_label(f"Cases from {area}").fill("5")
    today = timezone.localdate()
    fill_date(page, "Returns due", today + datetime.timedelta(days=28))
    fill_date(page, "Meeting date", today + datetime.timedelta(days=45))
    page.get_by_role("button", name="Create audit").click()
    audit = Audit.objects.get(title="Transitions to adult services")

    page.goto(f"{base}/audits/{audit.pk}/questions/")
    for text, kind in QUESTIONS:
        page.get_by_label("Question", exact=True).fill(text)
        page.get_by_label(kind, exact=True).check()
        page.get_by_role("button", name="Add question").click()
        expect(page.get_by_text(text).first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/audits/{audit.pk}/cases/")
    page.get_by_label("CSV file of candidate cases").set_input_files(CANDIDATES)
    page.get_by_role("button", name="Upload candidates").click()
    assert_accessible(page)
    page.get_by_label("Seed (optional)").fill("2027")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_text(re.compile(r"Drew 15 cases"))).to_be_visible()
    assert audit.cases.count() == 15
    for area in ["East", "North", "Central"]:
        assert audit.cases.filter(area__name=area).count() == 5
    assert_accessible(page)

    # Nobody at Children's Social Care would hear of its requests: the page says so, and why.
    page.goto(f"{base}/audits/{audit.pk}/send/")
    expect(page.get_by_role("heading", name="Agencies nobody will hear from")).to_be_visible()
    expect(
        page.get_by_text("It has no auditor or lead in maca, and no contact address.")
    ).to_be_visible()
    assert_accessible(page)
    # Sending without saying so is refused, naming the agency.
    page.get_by_role("button", name="Send the requests").click()
    expect(page.get_by_role("alert")).to_contain_text("Nobody at Children's Social Care")
    assert_accessible(page)
    # The coordinator gives it a contact address there and then, and comes back.
    page.get_by_role("link", name="Add a contact address for Children's Social Care").click()
    assert_accessible(page)
    page.get_by_label("Contact address").fill("safeguarding@csc.example.org")
    page.get_by_role("button", name="Save the contact address").click()
    expect(page.get_by_text("safeguarding@csc.example.org too")).to_be_visible()
    expect(page.get_by_role("heading", name="Agencies nobody will hear from")).to_have_count(0)
    page.get_by_role("button", name="Send the requests").click()
    expect(
        page.get_by_text(re.compile(r"Requests sent: \d+ people e-mailed at 3 agencies"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"0 of \d+ returns submitted"))).to_be_visible()
    requested = Request.objects.filter(audit=audit).count()
    police_cases = Request.objects.filter(audit=audit, agency__name="Police").count()
    assert {m.to[0] for m in mail.outbox} >= {
        police_auditor.email,
        health_auditor.email,
        "safeguarding@csc.example.org",
    }

    # The police auditor sees only Police's requests, and works on one.
    police = another_page()
    sign_in(police, live_server, police_auditor.email, PASSWORD)
    police.get_by_role("link", name="My requests").click()
    assert_accessible(police)
    to_do = police.get_by_role("table").first.locator("tbody tr")
    expect(to_do).to_have_count(police_cases)
    to_do.first.get_by_role("link").click()
    assert_accessible(police)
    first_answer = police.get_by_label(QUESTIONS[0][0])
    first_answer.fill("Yes: her wishes are in every review.")
    expect(police.get_by_role("status")).to_contain_text("Draft saved", timeout=15_000)
    police.reload()
    expect(police.get_by_label(QUESTIONS[0][0])).to_have_value(
        "Yes: her wishes are in every review."
    )
    police.get_by_role("group", name=QUESTIONS[1][0]).get_by_label("Partly").check()
    police.get_by_role("group", name=QUESTIONS[2][0]).get_by_label("Good").check()
    police.get_by_role("group", name="Your agency's grade of its own involvement").get_by_label(
        "Requires improvement"
    ).check()
    police.get_by_label("Good practice").fill("The missing episode was shared the same day.")
    police.get_by_label("Areas for development").fill("Record the voice of the child.")
    police.get_by_label("Single-agency learning").fill("Briefing for the response team.")
    police.get_by_role("button", name="Continue to submit").click()
    expect(
        police.get_by_role("heading", name="Check your answers before submitting your return")
    ).to_be_visible()
    assert_accessible(police)
    police.get_by_role("button", name="Submit and lock").click()
    expect(police.get_by_text(re.compile("Return submitted"))).to_be_visible()
    assert Request.objects.filter(audit=audit, status=RequestStatus.SUBMITTED).count() == 1

    # The health auditor flags an immediate action; the coordinator is mailed at once.
    mail.outbox.clear()
    health = another_page()
    sign_in(health, live_server, health_auditor.email, PASSWORD)
    health.goto(f"{base}/requests/")
    health.get_by_role("table").first.locator("tbody tr").first.get_by_role("link").click()
    health.get_by_label("Immediate action required").check()
    health.get_by_label("What immediate action is required?").fill(
        "Discharge planned to an address with a known risk."
    )
    with health.expect_navigation():
        health.get_by_role("button", name="Save draft").click()
    expect(health.get_by_text("What immediate action is required?")).to_be_visible()
    flagged = [m for m in mail.outbox if m.subject.startswith("Immediate action required")]
    # Health has no lead in this cast, so the coordinator alone.
    assert [m.to for m in flagged] == [[coordinator.email]]

    # The tracking grid shows the counts and the flag at the top.
    page.goto(f"{base}/audits/{audit.pk}/tracking/")
    expect(page.get_by_text(f"1 of {requested} returns submitted")).to_be_visible()
    expect(page.get_by_text(re.compile("Immediate action")).first).to_be_visible()
    assert_accessible(page)

    # The flag leads to the return, where the coordinator records how it was handled.
    page.get_by_role("region", name="Immediate action required").get_by_role("link").first.click()
    assert_accessible(page)
    page.get_by_label("What was done about the immediate action?").fill(
        "Discharge address checked with the ward; plan changed the same day."
    )
    page.get_by_role("button", name="Record how it was handled").click()
    expect(page.get_by_text("Recorded how the immediate action was handled.")).to_be_visible()
