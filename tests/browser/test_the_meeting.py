"""A meeting over the demo's audit that is collecting returns, in real Chromium, with axe-core.

The coordinator moves it to moderation, schedules the meeting, ratifies a case as proposed,
changes one with a reason, marks one not scored, is refused an inadequate case without an
immediate action (then agrees one), tags a theme, is refused the move to reporting, and is
allowed it once every case is ratified and the police flag is handled.
"""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.grades import Grade
from maca.meetings import services as meeting
from maca.meetings.models import Ratification
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def neglect_audit(transactional_db):
    return bundle_import(data=demo_bundle("03-neglect.json"))


@pytest.fixture
def demo_coordinator(neglect_audit):
    user = f.UserFactory(email="casey@example.org", name="Casey Coordinator")
    membership_grant(user=user, partnership=neglect_audit.partnership, role=Role.COORDINATOR)
    return user


def ratify(page, grade_label: str, reason: str = ""):
    page.get_by_role("group", name="The meeting's grade").get_by_label(
        grade_label, exact=True
    ).check()
    if reason:
        page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name=re.compile(r"^Ratify( again)?$")).click()


def test_a_meeting_ratifies_every_case_and_moves_to_reporting(
    page, live_server, neglect_audit, demo_coordinator, tmp_path
):
    audit, base = neglect_audit, live_server.url
    cases = list(audit.cases.order_by("reference"))
    sign_in(page, live_server, demo_coordinator.email, PASSWORD)

    page.goto(f"{base}/audits/{audit.pk}/moderation/start/")
    assert_accessible(page)
    page.get_by_role("button", name="Start moderation").click()
    audit.refresh_from_db()
    assert audit.status == "moderation"

    page.goto(f"{base}/audits/{audit.pk}/meeting/")
    fill_date(page, "Date of the meeting", audit.returns_due)
    page.get_by_label("Where").fill("Room 4, Civic Centre")
    page.get_by_role("button", name="Schedule the meeting").click()
    page.get_by_label("Name").fill("Dr A. Chair")
    page.get_by_role("button", name="Add attendee").click()
    expect(page.get_by_role("cell", name="Dr A. Chair", exact=True)).to_be_visible()
    assert_accessible(page)

    # The first case: the proposed grade kept.
    first = cases[0]
    page.goto(f"{base}/audits/{audit.pk}/meeting/cases/{first.pk}/")
    assert_accessible(page)
    proposed = meeting.case_proposed_grade(first)
    ratify(page, Grade(proposed).label)
    expect(page.get_by_text(re.compile("ratified", re.I)).first).to_be_visible()
    assert Ratification.objects.get(case=first).grade == proposed

    # The second: a different grade needs a reason; with one it is ratified.
    second = cases[1]
    page.goto(f"{base}/audits/{audit.pk}/meeting/cases/{second.pk}/")
    other = "Good" if meeting.case_proposed_grade(second) != Grade.GOOD else "Requires improvement"
    ratify(page, other)
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    ratify(page, other, reason="The health visitor's account, heard at the meeting, shows more.")
    assert Ratification.objects.get(case=second).grade != meeting.case_proposed_grade(second)

    # The third: not scored, with its reason.
    third = cases[2]
    page.goto(f"{base}/audits/{audit.pk}/meeting/cases/{third.pk}/")
    ratify(page, "Not scored", reason="Insufficient information to grade.")
    assert Ratification.objects.get(case=third).grade == Grade.NOT_SCORED

    # The fourth: inadequate is refused until an immediate action is agreed.
    fourth = cases[3]
    page.goto(f"{base}/audits/{audit.pk}/meeting/cases/{fourth.pk}/")
    ratify(page, "Inadequate", reason="Children left without food over a weekend.")
    refusal = page.get_by_text(re.compile("needs at least one immediate action")).first
    expect(refusal).to_be_visible()
    assert not Ratification.objects.filter(case=fourth).exists()
    agency = meeting.involved_agencies(fourth)[0]
    page.get_by_role("combobox", name="Agency").select_option(label=agency.name)
    page.get_by_label("Named owner").fill("Team manager, Central")
    page.get_by_label("What will be done").fill("Visit today and see both children.")
    fill_date(page, "Due date", audit.returns_due)
    page.get_by_role("button", name="Agree the immediate action").click()
    ratify(page, "Inadequate", reason="Children left without food over a weekend.")
    assert Ratification.objects.get(case=fourth).grade == Grade.INADEQUATE

    # A theme tagged from the case.
    page.get_by_label("New theme").fill("Chronologies not kept")
    page.get_by_role("button", name=re.compile("^Add theme")).click()
    assert audit.themes.get(title="Chronologies not kept").cases.filter(pk=fourth.pk).exists()
    assert_accessible(page)

    # The pages auditors read before and during the meeting.
    for path in [
        f"/audits/{audit.pk}/summaries/",
        f"/audits/{audit.pk}/cases/{fourth.pk}/summary/",
        f"/audits/{audit.pk}/themes/",
    ]:
        page.goto(base + path)
        assert_accessible(page)

    # The meeting pack: prepared in the background, downloaded, OFFICIAL-SENSITIVE throughout.
    page.goto(f"{base}/audits/{audit.pk}/meeting-pack/")
    # Tasks run inline in the tests, so this request renders the PDF itself (seconds, more on
    # a loaded machine): allow it the time.
    page.set_default_timeout(90_000)
    page.get_by_role("button", name="Prepare the meeting pack").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download")).click()
    pdf = tmp_path / "pack.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > len(cases) and all("OFFICIAL-SENSITIVE" in p for p in pages)
    assert all(case.reference in text for case in cases)

    page.set_default_timeout(10_000)

    # Reporting is refused while cases remain, naming them; allowed once all are ratified.
    page.goto(f"{base}/audits/{audit.pk}/meeting/")
    expect(page.get_by_text(re.compile(f"{cases[4].reference}.*not ratified"))).to_be_visible()
    for case in cases[4:]:
        meeting.case_ratify(
            case=case,
            by=demo_coordinator,
            grade=Grade.NOT_SCORED,
            reason="Insufficient information to grade.",
        )
    # Police's flag of yesterday is still not handled: the case page shows it and leads to the
    # return, where the coordinator records how it was handled; then reporting is allowed.
    page.reload()
    expect(
        page.get_by_text(re.compile("NEG-N-02: the immediate action Police flagged"))
    ).to_be_visible()
    flagged = audit.cases.get(reference="NEG-N-02")
    page.goto(f"{base}/audits/{audit.pk}/meeting/cases/{flagged.pk}/")
    expect(page.get_by_role("heading", name="Flagged by Police")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Record how it was handled")).click()
    page.get_by_label("What was done about the immediate action?").fill(
        "The public protection unit referred the family; both children seen the same day."
    )
    page.get_by_role("button", name="Record how it was handled").click()
    expect(page.get_by_text("Recorded how the immediate action was handled.")).to_be_visible()
    page.goto(f"{base}/audits/{audit.pk}/meeting/")
    page.get_by_role("button", name="Move to reporting").click()
    audit.refresh_from_db()
    assert audit.status == "reporting"
