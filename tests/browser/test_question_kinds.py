"""The richer questions in real Chromium, with axe-core: the coordinator adds a choice question
and writes what "good" means; the agency auditor answers a choice, a scale and a date, the draft
saves as they type, and it is there again after a reload."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maca.returns.models import Return
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser


def test_the_coordinator_builds_a_choice_question_and_writes_the_grade_descriptors(
    page, live_server, planning_audit, coordinator
):
    base = live_server.url
    sign_in(page, live_server, coordinator.email, PASSWORD)

    page.goto(f"{base}/audits/{planning_audit.pk}/questions/")
    page.get_by_label("Question", exact=True).fill("Who led the plan?")
    page.get_by_label("One choice from a list", exact=True).check()
    page.get_by_label("Options (for one choice from a list)").fill("Health\nEducation")
    page.get_by_label("Agencies may answer “not applicable”").check()
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Health; Education; may be not applicable")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/dashboard/grade-descriptors/")
    assert_accessible(page)
    page.get_by_label("What good means").fill("Our words for good.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("What the grades mean is saved.")).to_be_visible()


def test_the_auditor_answers_a_choice_a_scale_and_a_date_as_they_type(
    page, live_server, audit, csc_request, csc_auditor
):
    f.QuestionFactory(
        audit=audit,
        key="q2",
        text="Who led the plan?",
        kind="choice",
        options=["Health", "Education"],
        position=1,
    )
    f.QuestionFactory(
        audit=audit,
        key="q3",
        text="How well was the plan followed?",
        kind="scale",
        scale_labels={"5": "Fully"},
        allows_not_applicable=True,
        guidance="Look at the last six months",
        position=2,
    )
    f.QuestionFactory(
        audit=audit, key="q4", text="When was the plan made?", kind="date", position=3
    )
    made = timezone.localdate() - datetime.timedelta(days=20)
    url = live_server.url + csc_request.get_absolute_url()
    sign_in(page, live_server, csc_auditor.email, PASSWORD)

    page.goto(url)
    expect(page.get_by_text("Look at the last six months")).to_be_visible()
    fill_date(page, "When was the plan made?", made)
    page.get_by_label("Education").check()
    page.get_by_label("5 (Fully)").check()
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at", timeout=10_000)
    assert_accessible(page)
    # The autosave answers while people type; "Save draft" then saves whatever came last.
    page.get_by_role("button", name="Save draft").click()

    page.reload()
    expect(page.get_by_label("Education")).to_be_checked()
    expect(page.get_by_label("5 (Fully)")).to_be_checked()
    expect(
        page.get_by_role("group", name="When was the plan made?").get_by_label("Year")
    ).to_have_value(str(made.year))
    answers = Return.objects.get(request=csc_request).answers
    assert answers == {"q2": "Education", "q3": "5", "q4": made.isoformat()}
