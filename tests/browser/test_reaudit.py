"""Re-audits in real Chromium, with axe-core: the coordinator plans a re-audit from the demo's
audit in monitoring (its tool comes copied, keys and all), then opens the demo's re-audit and
reads it compared with the earlier audit."""

import pytest
from playwright.sync_api import expect

from maca.audits.models import Audit
from maca.demo.story import demo_import
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from maca.reports.summary import report_summary
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def reaudit(transactional_db):
    """The demo's re-audit, loaded after the audit in monitoring it looks at again."""
    return demo_import("06-domestic-abuse-reaudit.json")


def test_the_coordinator_plans_a_re_audit_then_reads_one_compared(page, live_server, reaudit):
    earlier, base = reaudit.reaudit_of, live_server.url
    coordinator = f.UserFactory(email="casey@example.org")
    membership_grant(user=coordinator, partnership=earlier.partnership, role=Role.COORDINATOR)
    sign_in(page, live_server, coordinator.email, PASSWORD)

    # From the earlier audit's page: the form, its title prefilled, the theme the same.
    page.goto(f"{base}/audits/{earlier.pk}/")
    page.get_by_role("link", name="Plan a re-audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a re-audit")
    expect(page.get_by_label("Title")).to_have_value(f"{earlier.title}: re-audit")
    assert_accessible(page)

    # A title already used is refused on its field.
    page.get_by_label("Title").fill(reaudit.title)
    page.get_by_role("button", name="Create the re-audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The partnership already has an audit with this title"
    )
    assert_accessible(page)

    page.get_by_label("Title").fill("Children living with domestic abuse: second re-audit")
    page.get_by_role("button", name="Create the re-audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Re-audit created")
    planned = Audit.objects.get(title="Children living with domestic abuse: second re-audit")
    assert planned.reaudit_of == earlier and planned.theme == earlier.theme
    assert set(planned.questions.values_list("key", flat=True)) == set(
        earlier.questions.values_list("key", flat=True)
    )
    expect(page.get_by_text("Was the child seen and spoken to on their own?")).to_be_visible()
    assert_accessible(page)

    # The demo's re-audit, compared with the earlier audit.
    page.goto(f"{base}/audits/{reaudit.pk}/")
    page.get_by_role("link", name="Compared with the earlier audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compared with the earlier audit")
    recommendations = report_summary(reaudit)["comparison"]["recommendations"]
    for measure in [r["success"] for r in recommendations if r["success"]]:
        words = "met" if measure["met"] else "not met"
        expect(page.get_by_text(
            f"{measure['share']}% ({measure['count']} of {measure['answered']}): {words}"
        )).to_be_visible()  # fmt: skip
    expect(page.get_by_text("Help for children after the incident")).to_be_visible()
    assert_accessible(page)
