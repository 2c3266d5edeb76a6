"""A whole meeting of 15 cases by keyboard, in real Chromium, counting the page loads.

The coordinator opens the meeting's page, marks the 3 cases with no returns not scored (one
check, one POST), then ratifies the other 12 as proposed with the shortcut "r" and Enter
("Ratify and go to the next case"); the last asks for the date the meeting was held, typed in
the day, month and year boxes. No mouse click at all. From the meeting's page to all 15
ratified it takes 16 page loads (it took about 33 with a page per case and a summary beside
it); the test holds it to 20 at most.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maca.audits.models import AuditStatus, RequestStatus
from maca.meetings.models import Ratification
from maca.meetings.services import NO_RETURNS_REASON
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

AGENCIES = ["Children's Social Care", "Police", "Health", "Education"]
GRADES = ["good", "requires_improvement", "good", "requires_improvement", "good"]
NO_RETURNS = {4, 9, 13}  # the cases, counted from 0, that no agency returned


@pytest.fixture
def meeting_scene(transactional_db):
    """An audit in moderation: 15 cases, 5 per area, 4 agencies each; 12 with returns graded
    good or requires improvement, 3 with none; no meeting date recorded yet."""
    partnership = f.PartnershipFactory(name="Ourshire Safeguarding Children Partnership")
    areas = [f.AreaFactory(partnership=partnership, name=n) for n in ("East", "North", "Central")]
    agencies = [
        f.AgencyFactory(partnership=partnership, name=name, position=i)
        for i, name in enumerate(AGENCIES)
    ]
    today = timezone.localdate()
    audit = f.AuditFactory(
        partnership=partnership,
        title="Neglect: older children",
        status=AuditStatus.MODERATION,
        returns_due=today - datetime.timedelta(days=21),
        meeting_date=None,
    )
    f.QuestionFactory(audit=audit, key="voice", text="Was the child's voice heard?")
    for n in range(15):
        area = areas[n % 3]
        case = f.CaseFactory(audit=audit, reference=f"NEG-{area.name[0]}-{n + 1:02d}", area=area)
        for i, agency in enumerate(agencies):
            if n in NO_RETURNS:
                f.RequestFactory(case=case, agency=agency, status=RequestStatus.OUTSTANDING)
                continue
            f.ReturnFactory(
                request=f.RequestFactory(case=case, agency=agency, status=RequestStatus.SUBMITTED),
                grade=GRADES[(n + i) % len(GRADES)] if i < 3 else GRADES[n % 2],
                good_practice=f"{agency.name} saw the young person alone.",
                areas_for_development="The chronology was not kept up to date.",
                answers={"voice": "Yes, at every visit."},
            )
    f.LibraryThemeFactory(partnership=partnership, title="Information sharing with GPs")
    coordinator = f.UserFactory(email="casey@example.org", name="Casey Coordinator")
    membership_grant(user=coordinator, partnership=partnership, role=Role.COORDINATOR)
    return audit, coordinator


def tab_to(page, pattern: str, most: int = 80):
    """Press Tab until the focused element's text matches `pattern`: the keyboard's way there."""
    wanted, seen = re.compile(pattern), []
    for _ in range(most):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("(document.activeElement.textContent || '').trim()")[:60])
        if wanted.search(seen[-1]):
            return
    raise AssertionError(f"Tab never reached {pattern!r}: {seen}")


def test_a_meeting_of_15_cases_by_keyboard_in_at_most_20_page_loads(
    page, live_server, meeting_scene
):
    audit, coordinator = meeting_scene
    base = live_server.url
    sign_in(page, live_server, coordinator.email, PASSWORD)

    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))

    page.goto(f"{base}/audits/{audit.pk}/meeting/")
    assert_accessible(page)

    # The cases with no returns, all at once: the check page, then one POST.
    tab_to(page, r"^Mark the 3 cases with no returns")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("3 cases with no returns")
    assert_accessible(page)
    tab_to(page, r"^Mark the 3 cases as not scored")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("3 cases not scored: no returns received")).to_be_visible()
    assert Ratification.objects.filter(reason=NO_RETURNS_REASON).count() == 3

    # The first case to ratify, by its shortcut; then "r" and Enter, case after case.
    with page.expect_navigation():
        page.keyboard.press("n")
    assert_accessible(page)
    for _ in range(11):
        expect(page.get_by_role("button", name="Ratify and go to the next case")).to_be_visible()
        page.keyboard.press("r")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(
            page.get_by_text(re.compile(r"ratified \((good|requires improvement)\)"))
        ).to_be_visible()

    # The last: the date the meeting was held, typed into its boxes, then Enter.
    expect(page.get_by_role("group", name="Date the meeting was held")).to_be_visible()
    held = timezone.localdate() - datetime.timedelta(days=1)
    page.keyboard.press("r")
    expect(page.get_by_role("button", name="Ratify and go back to the meeting")).to_be_focused()
    for part, box in ((held.year, "Year"), (held.month, "Month"), (held.day, "Day")):
        page.keyboard.press("Shift+Tab")
        expect(page.get_by_role("textbox", name=box, exact=True)).to_be_focused()
        page.keyboard.type(str(part))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="The meeting", level=1)).to_be_visible()
    expect(page.locator("#progress")).to_have_text("15 of 15 cases ratified")
    assert Ratification.objects.filter(case__audit=audit).count() == 15
    audit.refresh_from_db()
    assert audit.meeting_date == held
    assert len(loads) <= 20, loads
    assert len(loads) == 16, loads


def test_presenter_mode_and_the_shortcuts_are_accessible(page, live_server, meeting_scene):
    audit, coordinator = meeting_scene
    case = audit.cases.order_by("reference").first()
    sign_in(page, live_server, coordinator.email, PASSWORD)
    url = f"{live_server.url}/audits/{audit.pk}/meeting/cases/{case.pk}/"
    page.goto(url)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Presenter mode")).press("Enter")
    expect(page.get_by_role("link", name="Leave presenter mode")).to_be_visible()
    expect(page.locator("header")).to_have_count(0)
    assert_accessible(page)
    # Typing in a field is never taken for a shortcut.
    page.get_by_label("Reason").press_sequentially("n p r")
    expect(page.get_by_label("Reason")).to_have_value("n p r")
    assert page.url == url
    # And the shortcuts can be turned off.
    page.get_by_label("Use the keyboard shortcuts").uncheck()
    page.locator("body").press("n")
    assert page.url == url


def test_a_theme_close_to_the_librarys_is_warned_about_then_the_librarys_used(
    page, live_server, meeting_scene
):
    audit, coordinator = meeting_scene
    case = audit.cases.order_by("reference").first()
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/audits/{audit.pk}/meeting/cases/{case.pk}/")
    # With JavaScript the library's select gives way to suggestions on the one text box.
    expect(page.get_by_label("A theme from the library", exact=True)).to_be_hidden()
    box = page.get_by_label("A theme from the library, or a new theme")
    expect(box).to_have_attribute("list", re.compile("library-titles"))
    box.fill("information-sharing with GP")
    box.press("Enter")
    expect(
        page.get_by_text("A library theme ‘Information sharing with GPs’ is close")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Use “Information sharing with GPs”").press("Enter")
    expect(page.get_by_text("tagged with the theme: Information sharing with GPs")).to_be_visible()
    theme = audit.themes.get()
    assert theme.library_theme.title == "Information sharing with GPs"
    assert list(theme.cases.all()) == [case]
