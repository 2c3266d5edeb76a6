import datetime

import pytest

from maca.bundles.services import bundle_import
from maca.reports.summary import report_summary
from tests.bundles.samples import small_bundle

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 6, 1)


def test_it_counts_cases_grades_and_returns():
    summary = report_summary(bundle_import(data=small_bundle()), today=TODAY)

    assert summary["cases"] == 2
    assert summary["cases_by_area"] == {"East": 1, "North": 1}
    assert summary["grades"] == {
        "outstanding": 0,
        "good": 0,
        "requires_improvement": 1,
        "inadequate": 1,
        "not_scored": 0,
    }
    assert summary["grades_by_area"]["North"]["inadequate"] == 1
    assert summary["returns"] == {"requested": 4, "submitted": 3}
    assert summary["agencies"] == ["Children's Social Care", "Police", "Health Provider"]


def test_agency_grades_are_compared_with_the_ratified_grade():
    summary = report_summary(bundle_import(data=small_bundle()), today=TODAY)
    # Police said good, the meeting requires improvement: Police graded itself higher.
    assert summary["agency_vs_ratified"] == {
        "Children's Social Care": {"same": 1, "higher": 0, "lower": 0},
        "Police": {"same": 0, "higher": 1, "lower": 0},
        "Health Provider": {"same": 1, "higher": 0, "lower": 0},
    }


def test_not_scored_is_left_out_of_the_comparison():
    bundle = small_bundle()
    bundle["cases"][0]["ratification"] = {"grade": "not_scored", "reason": "Too little recorded"}
    summary = report_summary(bundle_import(data=bundle), today=TODAY)
    assert summary["agency_vs_ratified"]["Police"] == {"same": 0, "higher": 0, "lower": 0}
    assert summary["grades"]["not_scored"] == 1


def test_themes_count_their_cases_and_name_earlier_audits_with_the_same_library_theme():
    earlier = small_bundle(title="Children in Need", meeting_date="2017-06-21")
    bundle_import(data=earlier)
    later = small_bundle()  # meeting 2017-11-20
    summary = report_summary(bundle_import(data=later), today=TODAY)

    sharing, engagement = summary["themes"]
    assert sharing == {
        "title": "Information sharing",
        "kind": "concern",
        "cases": 2,
        "concerns": 1,  # the one concern, on T-E-01
        "recurring_in": ["Children in Need"],
    }
    assert engagement == {
        "title": "Engagement",
        "kind": "concern",
        "cases": 1,
        "concerns": 0,
        "recurring_in": [],
    }


def test_themes_say_whether_they_are_a_strength_or_a_concern():
    bundle = small_bundle()
    bundle["themes"][1]["kind"] = "strength"
    summary = report_summary(bundle_import(data=bundle), today=TODAY)

    assert [theme["kind"] for theme in summary["themes"]] == ["concern", "strength"]


def test_a_later_audit_is_not_counted_as_a_recurrence():
    bundle_import(data=small_bundle(title="Next year", meeting_date="2018-11-20"))
    summary = report_summary(bundle_import(data=small_bundle()), today=TODAY)
    assert summary["themes"][0]["recurring_in"] == []


def test_actions_are_counted_open_and_overdue():
    summary = report_summary(bundle_import(data=small_bundle()), today=TODAY)
    assert summary["immediate_actions"] == {"total": 1, "open": 0}
    # Due 2018-03-31 and still open on 2018-06-01.
    assert summary["actions"] == {"total": 1, "open": 1, "overdue": 1}


def test_the_number_of_queries_does_not_grow_with_the_cases(django_assert_num_queries):
    small = bundle_import(data=small_bundle())
    bigger_bundle = small_bundle(title="Bigger")
    template = bigger_bundle["cases"][0]
    bigger_bundle["cases"] = [template | {"reference": f"T-E-{n:02d}"} for n in range(1, 21)]
    bigger = bundle_import(data=bigger_bundle)

    # The ninth: which charts the report prints; the tenth and eleventh: the audit tool's
    # questions and the submitted returns' answers, counted.
    with django_assert_num_queries(11):
        report_summary(small, today=TODAY)
    with django_assert_num_queries(11):
        report_summary(bigger, today=TODAY)
