"""Who gets which figures, and what they cost in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maca import access
from maca.learning import figures
from tests import factories as f

from . import scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(partnership, areas, agencies, other_partnership):
    scene.build(partnership, areas, agencies)
    scene.other_partnership_audit(other_partnership)


def every_label(dashboard) -> set[str]:
    return {
        text
        for table in dashboard.tables
        for text in [*(row.label for row in table.rows), *(c.name for c in table.columns)]
    }


def test_a_board_member_gets_the_figures_of_the_published_audits(built, coordinator, board_member):
    ours = figures.dashboard_for(access.viewer_as(coordinator))
    theirs = figures.dashboard_for(access.viewer_as(board_member))
    # Domestic abuse is in monitoring, its report not yet published: left out for the board.
    assert [a.title for a in ours.audits] == [scene.CIN, scene.TRANSITIONS, scene.ABUSE]
    assert [a.title for a in theirs.audits] == [scene.CIN, scene.TRANSITIONS]
    assert scene.LABELS[scene.ABUSE] not in every_label(theirs)

    f.published_report(ours.audits[-1])
    theirs = figures.dashboard_for(access.viewer_as(board_member))
    assert theirs.tables == ours.tables
    assert theirs.audits == ours.audits
    assert theirs.recurring == ours.recurring


@pytest.mark.parametrize("user", ["police_auditor", "agency_lead", "outsider"])
def test_others_of_the_partnership_get_no_audits(built, request, user):
    dashboard = figures.dashboard_for(access.viewer_as(request.getfixturevalue(user)))
    assert dashboard.audits == [] and dashboard.recurring == []
    assert all(table.rows == () for table in dashboard.tables)


def test_another_partnerships_audits_never_appear(built, coordinator):
    dashboard = figures.dashboard_for(access.viewer_as(coordinator))
    assert "Elsewhere's closed audit" not in {audit.title for audit in dashboard.audits}
    assert not any("Elsewhere" in label for label in every_label(dashboard))
    # Its cases, returns and actions are in no count either.
    cases = dashboard.table(figures.GRADES_BY_AUDIT).column("Cases")
    assert sum(cases) == len(scene.CASES)


def test_another_partnerships_coordinator_sees_only_their_own(built, other_partnership_coordinator):
    dashboard = figures.dashboard_for(access.viewer_as(other_partnership_coordinator))
    assert [audit.title for audit in dashboard.audits] == ["Elsewhere's closed audit"]
    assert [row.cells for row in dashboard.table(figures.THEME_MATRIX).rows] == [(1, 1)]
    assert dashboard.table(figures.RECURRING_THEMES).rows == ()


def test_audits_before_reporting_are_left_out(built, coordinator):
    dashboard = figures.dashboard_for(access.viewer_as(coordinator))
    assert not any("Left out" in label for label in every_label(dashboard))
    by_area = dashboard.table(figures.GRADES_BY_AREA)
    # The left-out audits' inadequate East cases would show here.
    assert by_area.rows[0].label == "East" and by_area.rows[0].cells[3] == 0
    earlier = {
        action.description
        for theme in dashboard.recurring
        for recurrence in theme.recurrences
        for action in recurrence.earlier_actions
    }
    assert "Left out" not in earlier


def queries_for(user) -> int:
    viewer = access.viewer_as(user)
    viewer.partnership  # noqa: B018 (the membership is loaded once per request)
    with CaptureQueriesContext(connection) as queries:
        dashboard = figures.dashboard_for(viewer)
    assert dashboard.audits and all(table.rows for table in dashboard.tables)
    return len(queries)


def test_the_queries_do_not_grow_with_audits_cases_agencies_or_themes(db):
    small = scene.grow("Small", audits=2, cases=2, agencies=2, themes=2)
    large = scene.grow("Large", audits=12, cases=4, agencies=6, themes=5)
    assert queries_for(small) == queries_for(large) == 6
