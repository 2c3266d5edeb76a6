"""The key measures in real Chromium, with axe-core: the coordinator marks a key question while
building the audit tool (and is told why a question in words cannot be one); on the demo's
audit in monitoring, the Answers page counts every return, the report's key measures table
reads the summary's protected figures, and the board member reads the same in the published
edition, never the coordinators' unprotected counts.
"""

import pytest
from playwright.sync_api import expect

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from maca.reports.summary import report_summary
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_the_coordinator_marks_a_key_measure_while_building_the_tool(
    page, live_server, planning_audit, coordinator
):
    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/audits/{planning_audit.pk}/questions/")

    # A question answered in words has nothing to count: refused, naming the field.
    page.get_by_label("Question", exact=True).fill("What did the child say?")
    page.get_by_label("Free text", exact=True).check()
    page.get_by_label("Key measure").check()
    page.get_by_role("button", name="Add question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Only a question with answers to choose from can be a key measure"
    )
    assert_accessible(page)

    page.get_by_label("Question", exact=True).fill("Was the child seen alone?")
    page.get_by_label("Yes, no or partly", exact=True).check()
    page.get_by_label("Key measure").check()
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Yes, no or partly; a key measure")).to_be_visible()
    assert planning_audit.questions.get(text="Was the child seen alone?").key_measure
    assert not planning_audit.questions.filter(text="What did the child say?").exists()


def _table_rows(scope) -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in scope.locator("tbody tr").all()
    ]


def _as_text(rows: list[list]) -> list[list[str]]:
    return [[str(cell) for cell in row] for row in rows]


@pytest.fixture
def monitored(transactional_db):
    return bundle_import(data=demo_bundle("05-domestic-abuse.json"))


def test_the_answers_page_the_report_and_the_board_read_the_key_measures(
    page, another_page, live_server, monitored
):
    audit, base = monitored, live_server.url
    coordinator = f.UserFactory(email="casey@example.org")
    membership_grant(user=coordinator, partnership=audit.partnership, role=Role.COORDINATOR)
    board = f.UserFactory(email="bea@example.org")
    membership_grant(user=board, partnership=audit.partnership, role=Role.BOARD_MEMBER)
    summary = report_summary(audit)
    keys = [question for question in summary["answers"] if question["key_measure"]]
    assert len(keys) == len(summary["key_measures"]) >= 2

    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{base}/audits/{audit.pk}/")
    page.get_by_role("link", name="Answers to the audit tool, counted").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answers")
    expect(page.locator(".govuk-tag", has_text="Key measure")).to_have_count(len(keys))
    for question in keys:
        # Its first table, by agency, ends with all returns: unprotected, a column per option.
        table = page.locator(f"#question-{question['key']} ~ div table").first
        counts = [question["counts"][option["value"]] for option in question["options"]]
        assert _table_rows(table)[-1] == [
            "All returns",
            *map(str, counts),
            str(question["answered"]),
        ]
    assert_accessible(page)

    # The draft report's key measures table: the summary's protected rows, cell for cell.
    page.goto(f"{base}/audits/{audit.pk}/report/")
    chart = page.locator("#chart-key_measures")
    expect(chart.locator("figcaption")).to_be_visible()
    chart.get_by_text("The figures of this chart").click()
    expected = [
        [measure["text"] if i == 0 else "", *row]
        for measure in summary["key_measures"]
        for i, row in enumerate(measure["rows"])
    ]
    assert _table_rows(chart.locator("table")) == _as_text(expected)
    protected = {cell for row in expected for cell in row[2:] if isinstance(cell, str)}
    assert protected, "the demo's key measures hold a small count the board may not read"

    # The board member reads the published edition: the same protected figures, and no
    # Answers page (its counts are not protected).
    edition = f.published_report(audit)
    reading = another_page()
    sign_in(reading, live_server, board.email, PASSWORD)
    reading.goto(f"{base}/audits/{audit.pk}/report/editions/{edition.number}/")
    chart = reading.locator("#chart-key_measures")
    chart.get_by_text("The figures of this chart").click()
    assert _table_rows(chart.locator("table")) == _as_text(expected)
    assert_accessible(reading)
    refused = reading.goto(f"{base}/audits/{audit.pk}/answers/")
    assert refused is not None and refused.status == 403
