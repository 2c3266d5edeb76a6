"""The dashboard's figures, counted against the scene's literal data (tests/learning/scene.py)."""

import pytest

from maca import access
from maca.learning import figures
from maca.tables import NUMBER, PERCENT

from . import scene
from .scene import ABUSE, CIN, CSC, EDUCATION, ENGAGEMENT, HEALTH, POLICE, SHARING, TRANSITIONS

pytestmark = pytest.mark.django_db

GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate", "Not scored"]
AGENCIES = [CSC, POLICE, HEALTH, EDUCATION]  # the partnership's order


@pytest.fixture
def dashboard(partnership, areas, agencies, coordinator):
    scene.build(partnership, areas, agencies)
    return figures.dashboard_for(access.viewer_as(coordinator))


def cells(table, label=None):
    """The rows as {label: cells}, or one row's cells."""
    rows = {row.label: list(row.cells) for row in table.rows}
    return rows if label is None else rows[label]


def test_the_tables_come_in_page_order_with_their_titles(dashboard):
    assert [table.key for table in dashboard.tables] == list(figures.TITLES)
    assert [table.title for table in dashboard.tables] == list(figures.TITLES.values())
    assert dashboard.table(figures.CALIBRATION).title == (
        "Calibration: agencies' grades against the ratified grade"
    )


def test_the_audits_are_those_in_reporting_or_later_in_held_order(dashboard):
    assert [audit.title for audit in dashboard.audits] == [CIN, TRANSITIONS, ABUSE]


def test_grades_are_counted_audit_by_audit(dashboard):
    table = dashboard.table(figures.GRADES_BY_AUDIT)
    assert table.row_header == "Audit"
    assert [column.name for column in table.columns] == [*GRADES, "Cases"]
    assert cells(table) == {
        scene.LABELS[CIN]: [0, 1, 1, 1, 1, 4],
        scene.LABELS[TRANSITIONS]: [0, 1, 2, 0, 0, 3],
        scene.LABELS[ABUSE]: [1, 1, 0, 1, 0, 3],
    }
    assert [row.label for row in table.rows] == [scene.LABELS[t] for t in (CIN, TRANSITIONS, ABUSE)]


def test_grades_are_counted_by_area_across_the_audits(dashboard):
    table = dashboard.table(figures.GRADES_BY_AREA)
    assert [row.label for row in table.rows] == ["East", "North", "Central"]
    assert cells(table) == {
        "East": [1, 2, 0, 0, 1, 4],
        "North": [0, 1, 3, 0, 0, 4],
        "Central": [0, 0, 0, 2, 0, 2],
    }


def test_agencies_own_grades_count_submitted_returns_only(dashboard):
    # Health's draft of B3 (graded good) is not counted.
    table = dashboard.table(figures.AGENCY_SELF_GRADES)
    assert [column.name for column in table.columns] == [*GRADES, "Returns"]
    assert [row.label for row in table.rows] == AGENCIES
    assert cells(table) == {
        CSC: [1, 3, 3, 1, 0, 8],
        POLICE: [1, 2, 1, 0, 1, 5],
        HEALTH: [0, 1, 1, 2, 0, 4],
        EDUCATION: [1, 1, 0, 0, 0, 2],
    }


def test_each_agency_sees_the_ratified_grades_of_the_cases_it_was_involved_in(dashboard):
    table = dashboard.table(figures.AGENCY_RATIFIED_GRADES)
    assert cells(table) == {
        CSC: [1, 1, 3, 2, 1, 8],
        POLICE: [0, 3, 1, 2, 0, 6],
        HEALTH: [0, 1, 2, 2, 0, 5],
        EDUCATION: [0, 2, 0, 1, 0, 3],
    }


def test_return_rates_count_on_time_late_and_the_median_days_late(dashboard):
    table = dashboard.table(figures.RETURN_RATES)
    assert [(column.name, column.kind) for column in table.columns][-3:] == [
        ("Submitted %", PERCENT),
        ("On time %", PERCENT),
        ("Median days late", NUMBER),
    ]
    assert cells(table) == {
        # Late 3, 10, 5 and 1 days; on time on the very due date too (B2).
        CSC: [8, 8, 4, 4, 100, 50, 4],
        # A3 never submitted: 5 of 6 is 83%.
        POLICE: [6, 5, 4, 1, 83, 80, 10],
        # B3 stayed a draft.
        HEALTH: [5, 4, 3, 1, 80, 75, 2],
        # Both returns' lateness unknown (no due date; loaded); C1 was never sent.
        EDUCATION: [2, 2, 0, 0, 100, None, None],
    }


RANK = {"outstanding": 0, "good": 1, "requires_improvement": 2, "inadequate": 3}


def test_calibration_matches_the_agencies_grades_against_the_ratified_ones(dashboard):
    compared = [
        (agency, state[0], ratified)
        for _, _, _, ratified, requests in scene.CASES
        for agency, state in requests.items()
        if isinstance(state, tuple)
    ]
    expected = {}
    for agency, own, ratified in compared:
        counts = expected.setdefault(agency, [0, 0, 0, 0])
        if own in RANK and ratified in RANK:
            column = 0 if own == ratified else 1 if RANK[own] < RANK[ratified] else 2
            counts[column] += 1
            counts[3] += 1
    for counts in expected.values():
        counts.append(round(100 * counts[0] / counts[3]))

    table = dashboard.table(figures.CALIBRATION)
    assert [column.name for column in table.columns] == [
        "Matched",
        "Graded higher",
        "Graded lower",
        "Compared",
        "Matched %",
    ]
    assert [row.label for row in table.rows] == AGENCIES
    assert cells(table) == expected
    # And by hand, so the counting above is checked too: Police said outstanding of A1 (good),
    # good of C1 (inadequate), requires improvement of C3 (good); not scored of B2 is left out.
    assert cells(table, POLICE) == [1, 2, 1, 4, 25]


def test_the_matrix_counts_distinct_cases_and_tells_none_found_from_none_tagged(dashboard):
    table = dashboard.table(figures.THEME_MATRIX)
    assert [column.name for column in table.columns] == [
        scene.LABELS[CIN],
        scene.LABELS[TRANSITIONS],
        scene.LABELS[ABUSE],
        "Audits",
    ]
    # Merged and unlinked themes are not rows; most audits first.
    assert cells(table) == {
        SHARING: [2, 2, 3, 3],  # Transitions: B1 and B2, B1 tagged twice
        ENGAGEMENT: [1, None, 1, 2],
        scene.VOICE: [None, 0, None, 1],
    }
    assert [row.label for row in table.rows] == [SHARING, ENGAGEMENT, scene.VOICE]


def test_recurring_rows_count_the_actions_done_before_the_theme_came_back(dashboard):
    table = dashboard.table(figures.RECURRING_THEMES)
    assert [column.name for column in table.columns] == [
        "Earlier actions",
        "Completed before it recurred",
        "Complete, date unknown",
        "Not completed before",
    ]
    assert cells(table) == {
        # Completed on the very day of the Transitions meeting (late evening): before.
        f"{SHARING} — found again in {scene.LABELS[TRANSITIONS]}": [3, 1, 0, 2],
        # The Transitions action was completed the day after the meeting: not before.
        f"{SHARING} — found again in {scene.LABELS[ABUSE]}": [4, 2, 0, 2],
        f"{ENGAGEMENT} — found again in {scene.LABELS[ABUSE]}": [1, 1, 0, 0],
    }


def test_a_recurring_theme_lists_its_occurrences_and_what_was_done(dashboard):
    sharing, engagement = dashboard.recurring
    assert sharing.theme.title == SHARING and engagement.theme.title == ENGAGEMENT
    assert [(o.audit.title, o.titles, o.cases) for o in sharing.occurrences] == [
        (CIN, ("Information sharing and communication",), 2),
        (TRANSITIONS, ("GP information", "Information sharing with GPs"), 2),
        (ABUSE, ("Information sharing after call-outs",), 3),
    ]
    again_in_transitions, again_in_abuse = sharing.recurrences
    assert again_in_transitions.occurrence.audit.title == TRANSITIONS
    assert [
        (a.description, a.agency, a.status, a.completed_before)
        for a in again_in_transitions.earlier_actions
    ] == [
        ("Invite the GP to every review", CSC, "Complete", True),
        ("Alert GPs to children in need", HEALTH, "Complete", False),
        ("Brief officers on sharing with GPs", POLICE, "In progress", False),
    ]
    # Answering two themes of the Transitions audit, the checklist action is counted once.
    earlier = again_in_abuse.earlier_actions
    assert [(a.audit.title, a.description, a.completed_before) for a in earlier] == [
        (CIN, "Invite the GP to every review", True),
        (CIN, "Alert GPs to children in need", True),
        (CIN, "Brief officers on sharing with GPs", False),
        (TRANSITIONS, "Add the GP to the transition checklist", False),
    ]
    assert earlier[0].completed_at == scene.at(2017, 11, 22, 23, 30)


def test_a_partnership_with_nothing_to_learn_from_yet_gets_empty_tables(partnership, coordinator):
    dashboard = figures.dashboard_for(access.viewer_as(coordinator))
    assert dashboard.audits == [] and dashboard.recurring == []
    assert all(table.rows == () for table in dashboard.tables)
    assert [c.name for c in dashboard.table(figures.THEME_MATRIX).columns] == ["Audits"]
