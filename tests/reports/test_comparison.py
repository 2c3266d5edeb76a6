"""A re-audit compared with the earlier audit: the figures, on a small pair built for it, the
report's blocks drawn from them, and the comparison page."""

import copy

import pytest
from django.urls import reverse

from maca.audits.models import Audit
from maca.bundles.services import bundle_import
from maca.reports.comparison_blocks import comparison_figures
from maca.reports.document import report_document
from maca.reports.summary import report_summary
from tests.bundles.samples import small_bundle
from tests.pages import text_of

pytestmark = pytest.mark.django_db

EARLIER = "Transitions from children's to adults' services"
REAUDIT = "Transitions: re-audit"
SUCCESS = {
    "success_measure": "A transition plan by 16 in at least 60% of returns",
    "success_question": "q2",
    "success_options": ["yes"],
    "success_target": 60,
}


def _case(reference: str, area: str, grade: str, answers: list[tuple[str, str, str]]) -> dict:
    """A case with one submitted return per (agency, own grade, answer to q2)."""
    return {
        "reference": reference,
        "area": area,
        "involved_agencies": [agency for agency, _, _ in answers],
        "returns": [
            {
                "agency": agency,
                "status": "submitted",
                "grade": own,
                "answers": {"q2": answer},
            }
            for agency, own, answer in answers
        ],
        "ratification": {"grade": grade, "reason": ""},
    }


AGENCIES = ["Children's Social Care", "Police", "Health Provider"]


def _cases(prefix: str, grades: list[str], yes: int) -> list[dict]:
    """One case per grade, half in each area, each with three returns: the first `yes` returns
    answer yes to q2, the others no; each agency grades itself as the meeting did."""
    cases, n = [], 0
    for i, grade in enumerate(grades):
        answers = []
        for agency in AGENCIES:
            answers.append((agency, grade, "yes" if n < yes else "no"))
            n += 1
        area = "East" if i % 2 == 0 else "North"
        cases.append(_case(f"{prefix}-{i + 1:02d}", area, grade, answers))
    return cases


def _pair(*, earlier_themes, reaudit_themes, success=SUCCESS) -> Audit:
    """The earlier audit (8 cases, 24 returns, 6 answering yes) and its re-audit (8 cases,
    24 returns, 18 answering yes); the earlier one's recommendation carries `success`."""
    earlier = small_bundle()
    earlier["themes"] = earlier_themes
    earlier["cases"] = _cases("T", ["good"] * 2 + ["requires_improvement"] * 6, yes=6)
    earlier["audit"]["sample_plan"] = {"East": 4, "North": 4}
    earlier["recommendations"] = [
        {
            "text": "Agencies should include the GP in transition planning.",
            "themes": [],
            "actions": [
                {
                    "agency": "Health Provider",
                    "owner": "Named GP lead",
                    "description": "Add the GP to the planning checklist.",
                    "due": "2018-03-31",
                    "status": "complete",
                    "completed_on": "2018-03-20",
                },
                {
                    "agency": "Police",
                    "owner": "Detective Inspector",
                    "description": "Brief officers on transition plans.",
                    "due": "2018-04-30",
                    "status": "open",
                },
            ],
        }
        | success
    ]
    bundle_import(data=earlier)
    later = copy.deepcopy(earlier)
    later["audit"] |= {"title": REAUDIT, "reaudit_of": EARLIER, "meeting_date": "2018-11-20"}
    later["audit"]["returns_due"] = "2018-10-31"
    later["themes"] = reaudit_themes
    later["cases"] = _cases("R", ["outstanding"] + ["good"] * 5 + ["inadequate"] * 2, yes=18)
    later["recommendations"] = []
    for case in later["cases"]:
        if case["ratification"]["grade"] == "inadequate":
            case["immediate_actions"] = []
    return bundle_import(data=later)


def _theme(title: str, library: str | None = None) -> dict:
    return {"title": title, "description": "", "library_theme": library}


@pytest.fixture
def reaudit(db):
    return _pair(
        earlier_themes=[
            _theme("Information sharing with GPs", "Information sharing"),
            _theme("Engagement"),
            _theme("Drift after 16"),
        ],
        reaudit_themes=[
            _theme("GPs still told late", "Information sharing"),  # the same library theme
            _theme("engagement"),  # the same title, whatever its capitals
            _theme("Housing at 18"),
        ],
    )


def test_the_grades_before_and_after_overall_by_area_and_by_agency(reaudit):
    grades = report_summary(reaudit)["comparison"]["grades"]
    rows = {(row["by"], row["group"]): (row["before"], row["after"]) for row in grades}

    assert rows["all", "All cases"] == (
        {"graded": 8, "good_or_better": 2},
        {"graded": 8, "good_or_better": 6},
    )
    # Cases 1, 3, 5, 7 in East: before good, RI, RI, RI; after outstanding, good, good, inadequate.
    assert rows["area", "East"] == (
        {"graded": 4, "good_or_better": 1},
        {"graded": 4, "good_or_better": 3},
    )
    # Each agency graded itself as the meeting did, so its own grades follow the cases'.
    assert rows["agency", "Police"] == (
        {"graded": 8, "good_or_better": 2},
        {"graded": 8, "good_or_better": 6},
    )


def test_each_key_measure_before_and_after_from_the_answers_counted(reaudit):
    [measure] = report_summary(reaudit)["comparison"]["key_measures"]

    assert measure["key"] == "q2"
    assert measure["before"] == {"answered": 24, "counts": {"Yes": 6, "No": 18, "Partly": 0}}
    assert measure["after"] == {"answered": 24, "counts": {"Yes": 18, "No": 6, "Partly": 0}}


def test_themes_found_again_by_library_theme_or_title_no_longer_found_and_new(reaudit):
    themes = report_summary(reaudit)["comparison"]["themes"]

    assert [(t["earlier_title"], t["title"]) for t in themes["found_again"]] == [
        ("Information sharing with GPs", "GPs still told late"),
        ("Engagement", "engagement"),
    ]
    assert [t["title"] for t in themes["no_longer_found"]] == ["Drift after 16"]
    assert [t["title"] for t in themes["new"]] == ["Housing at 18"]


def test_the_earlier_recommendations_with_their_actions_and_the_success_measure_met(reaudit):
    [recommendation] = report_summary(reaudit)["comparison"]["recommendations"]

    assert [(a["agency"], a["completed_on"]) for a in recommendation["actions"]] == [
        ("Health Provider", "2018-03-20"),
        ("Police", None),
    ]
    success = recommendation["success"]
    assert success["before"] == {"count": 6, "answered": 24, "share": 25}
    assert (success["count"], success["answered"], success["share"]) == (18, 24, 75)
    assert success["met"] is True  # 75% against a target of 60%


def test_a_success_measure_above_the_figure_is_not_met(db):
    reaudit = _pair(
        earlier_themes=[],
        reaudit_themes=[],
        success=SUCCESS | {"success_target": 80},
    )
    [recommendation] = report_summary(reaudit)["comparison"]["recommendations"]
    assert recommendation["success"]["met"] is False


def test_an_audit_that_is_not_a_re_audit_has_no_comparison(reaudit):
    earlier = Audit.objects.get(title=EARLIER)
    assert "comparison" not in report_summary(earlier)
    assert comparison_figures(report_summary(earlier)) == []


def test_the_report_compares_in_its_scoring_section_from_the_summary(reaudit):
    document = report_document(reaudit)
    [scoring] = [s for s in document["sections"] if s["key"] == "scoring"]
    [table] = [b for b in scoring["blocks"] if b["kind"] == "table"]

    assert EARLIER in table["caption"]
    rows = {row[0]: row[1:] for row in table["rows"]}
    assert rows["Good or better: All cases"] == ["2 of 8 (25%)", "6 of 8 (75%)"]
    assert rows["Was there a transition plan by 16?"] == [
        "Yes 25%, No 75%, Partly 0% of 24",
        "Yes 75%, No 25%, Partly 0% of 24",
    ]
    assert rows[f"Recommendation 1: {SUCCESS['success_measure']}"] == [
        "25% (6 of 24)",
        "75% (18 of 24): met (target 60%)",
    ]
    [actions] = [b for b in scoring["blocks"] if b.get("volatile")]
    assert "recommendation 1: 1 of 2 actions complete" in actions["text"]


def test_coordinators_open_the_comparison_page(reaudit, client_for):
    from maca.accounts.models import User
    from maca.partnerships.models import Role
    from maca.partnerships.services import membership_grant

    user = User.objects.create_user("coordinator@testshire.example", "a-long-test-password")
    membership_grant(user=user, partnership=reaudit.partnership, role=Role.COORDINATOR)

    page = text_of(client_for(user).get(reverse("audits:comparison", args=[reaudit.pk])))

    assert "Compared with the earlier audit" in page
    assert "Police (its own grades)" in page
    assert "75% (18 of 24): met (target 60%)" in page
    assert "GPs still told late (before: Information sharing with GPs)" in page
    assert "20 March 2018" in page  # when the GP's action was completed


def test_the_comparison_page_is_for_coordinators(reaudit, client_for):
    from maca.accounts.models import User
    from maca.partnerships.models import Role
    from maca.partnerships.services import membership_grant

    user = User.objects.create_user("board@testshire.example", "a-long-test-password")
    membership_grant(user=user, partnership=reaudit.partnership, role=Role.BOARD_MEMBER)

    response = client_for(user).get(reverse("audits:comparison", args=[reaudit.pk]))
    assert response.status_code == 403
