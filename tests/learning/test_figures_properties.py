"""Properties of the figures over any grades: the counts always add up."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from maca.audits.models import Audit
from maca.grades import Grade
from maca.learning import figures
from maca.learning.facts import CaseFact, Facts, Place, RequestFact

AUDITS = [
    Audit(pk=1, title="First", meeting_date=datetime.date(2017, 6, 21)),
    Audit(pk=2, title="Second", meeting_date=datetime.date(2018, 6, 21)),
]
AREAS = [Place(0, "East", 1), Place(1, "North", 2)]
AGENCIES = [Place(0, "Police", 1), Place(1, "Health", 2), Place(2, "Education", 3)]

ratified = st.sampled_from(["", *Grade.values])  # "" not ratified
own = st.sampled_from(["", *Grade.values])  # "" not submitted
case = st.tuples(st.sampled_from(AUDITS), st.sampled_from(AREAS), ratified)
request = st.tuples(st.sampled_from(AGENCIES), own, st.none() | st.integers(-30, 30))


def facts_of(cases, requests) -> Facts:
    case_facts = [
        CaseFact(id, audit.pk, area, grade) for id, (audit, area, grade) in enumerate(cases)
    ]
    request_facts = [
        RequestFact(
            case_id=index % len(case_facts),
            audit_id=case_facts[index % len(case_facts)].audit_id,
            agency=agency,
            requested=True,
            submitted=bool(grade),
            grade=grade,
            days_late=days_late if grade else None,
        )
        for index, (agency, grade, days_late) in enumerate(requests)
    ]
    return Facts(AUDITS, {}, case_facts, request_facts, [], [])


@given(st.lists(case, min_size=1, max_size=40), st.lists(request, max_size=80))
def test_the_counts_add_up_for_any_grades(cases, requests):
    facts = facts_of(cases, requests)
    for table in (
        figures.grades_by_audit(facts),
        figures.grades_by_area(facts),
        figures.agency_self_grades(facts),
        figures.agency_ratified_grades(facts),
    ):
        for row in table.rows:
            assert sum(row.cells[:5]) == row.cells[5]
    assert sum(figures.grades_by_audit(facts).column("Cases")) == sum(1 for c in cases if c[2])

    for row in figures.calibration(facts).rows:
        matched, higher, lower, compared, share = row.cells
        assert matched + higher + lower == compared
        assert share is None if compared == 0 else 0 <= share <= 100

    for row in figures.return_rates(facts).rows:
        requested, submitted, on_time, late, submitted_share, on_time_share, median = row.cells
        assert on_time + late <= submitted <= requested
        assert submitted_share == figures.percent(submitted, requested)
        assert on_time_share == figures.percent(on_time, on_time + late)
        assert (median is None) == (late == 0)
        assert median is None or median > 0


@given(st.sampled_from(Grade.values), st.sampled_from(Grade.values))
def test_comparing_two_grades_is_one_way_or_the_other(first, second):
    there, back = figures.compare(first, second), figures.compare(second, first)
    if Grade.NOT_SCORED in (first, second):
        assert there is None and back is None
    else:
        assert {there, back} in ({"matched"}, {"higher", "lower"})


def test_percentages_are_whole_numbers_rounded_half_up():
    assert figures.percent(1, 8) == 13  # 12.5
    assert figures.percent(5, 6) == 83
    assert figures.percent(0, 0) is None
