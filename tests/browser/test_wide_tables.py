"""Wide tables at a laptop's width: the tracking grid of a 10-agency audit, in real Chromium.

The page itself never scrolls sideways at 1280 × 800: the grid takes the full width and, if
it is wider still, scrolls inside its own labelled region, which the keyboard can reach.
"""

import pytest
from playwright.sync_api import expect

from maca.audits.models import RequestStatus
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

NAMES = [
    "Children's Social Care",
    "Police",
    "Health Provider",
    "Integrated Care Board",
    "Ambulance Service NHS Trust",
    "Education and Early Years",
    "Probation Service",
    "Youth Justice Service",
    "Adult Mental Health Services",
    "Housing and Homelessness",
]


@pytest.fixture
def ten_agency_audit(transactional_db):
    partnership = f.PartnershipFactory(name="Ourshire Safeguarding Children Partnership")
    area = f.AreaFactory(partnership=partnership, name="East")
    agencies = [
        f.AgencyFactory(partnership=partnership, name=name, position=i)
        for i, name in enumerate(NAMES)
    ]
    audit = f.AuditFactory(partnership=partnership, title="Ten agencies")
    statuses = [RequestStatus.SUBMITTED, RequestStatus.DRAFT, RequestStatus.RETURNED]
    for n in range(6):
        case = f.CaseFactory(audit=audit, area=area, reference=f"T-E-{n:02}")
        for i, agency in enumerate(agencies):
            f.RequestFactory(case=case, agency=agency, status=statuses[(n + i) % 3])
    coordinator = f.MembershipFactory(partnership=partnership, role="coordinator").user
    return audit, coordinator


def test_the_tracking_grid_of_ten_agencies_fits_a_laptop(page, live_server, ten_agency_audit):
    audit, coordinator = ten_agency_audit
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/audits/{audit.pk}/tracking/")
    expect(page.get_by_role("table", name="Returns by case and agency")).to_be_visible()
    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert overflow[0] <= overflow[1], overflow
    region = page.get_by_role("region", name="Returns by case and agency")
    region.focus()
    expect(region).to_be_focused()
    assert_accessible(page)


def test_the_audit_page_is_a_task_list_whose_button_is_the_next_step(
    page, live_server, ten_agency_audit
):
    audit, coordinator = ten_agency_audit
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    # Collecting, returns not all in and not yet due: chasing them is the next step.
    expect(page.locator("a.govuk-button")).to_have_text(["Track returns"])
    expect(page.get_by_role("heading", name="Collect the returns")).to_be_visible()
    expect(page.locator(".govuk-task-list__status--cannot-start-yet").first).to_be_visible()
    assert_accessible(page)
    page.locator("a.govuk-button").click()
    expect(page.get_by_role("heading", name="Track returns")).to_be_visible()
