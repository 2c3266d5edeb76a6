"""The monitoring list: scoped to the viewer, filtered, overdue first, in a fixed number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maca import access
from maca.actions import rules, selectors
from maca.audits.models import AuditStatus
from tests import factories as f

from . import monitoring_scene as scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(audit, agencies, other_audit):
    return scene.build(audit, agencies, other_audit)


def rows_for(user, **filters):
    filters.setdefault("today", timezone.localdate())
    return selectors.monitoring_rows(access.viewer_as(user), **filters)


def described(rows) -> list[str]:
    return [row.action.description for row in rows]


def by_description(rows) -> dict:
    return {row.action.description: row for row in rows}


# --- Scope ----------------------------------------------------------------------------------


def test_police_auditor_sees_only_police_actions(actions, police_auditor):
    rows = rows_for(police_auditor, show="all")
    assert sorted(described(rows)) == sorted(
        [scene.LATE, scene.LATER, scene.DONE, scene.ELSEWHERE_AUDIT]
    )
    assert {row.agency.name for row in rows} == {"Police"}


def test_police_auditor_never_sees_healths_actions(actions, police_auditor, agencies):
    rows = rows_for(police_auditor, agency=agencies["Health Provider"])
    assert rows == []


def test_health_auditor_sees_only_healths(actions, health_auditor):
    assert described(rows_for(health_auditor)) == [scene.SOON]


def test_coordinator_sees_every_agencys_open_actions(actions, coordinator):
    assert sorted(described(rows_for(coordinator))) == sorted(
        [scene.LATE, scene.SOON, scene.LATER, scene.IMMEDIATE, scene.ELSEWHERE_AUDIT]
    )


def test_another_partnerships_coordinator_sees_none_of_ours(actions, other_partnership_coordinator):
    assert described(rows_for(other_partnership_coordinator)) == [scene.OTHER_PARTNERSHIP]


def test_board_member_sees_none(actions, board_member):
    assert rows_for(board_member, show="all") == []
    assert selectors.monitoring_options(access.viewer_as(board_member)).audits == []


# --- What each row says ---------------------------------------------------------------------


def test_overdue_first_then_by_due_date(actions, coordinator):
    assert described(rows_for(coordinator, show="all")) == [
        scene.LATE,
        scene.DONE,  # due earlier, but complete: not overdue
        scene.SOON,
        scene.ELSEWHERE_AUDIT,
        scene.IMMEDIATE,
        scene.LATER,
    ]


def test_same_due_date_goes_by_audit_then_id(actions, coordinator, agencies):
    due = timezone.localdate() + datetime.timedelta(days=200)
    transitions = actions[scene.LATE].recommendation
    zebra = f.AuditFactory(partnership=transitions.partnership, title="Zebra audit")
    scene.action(f.RecommendationFactory(audit=zebra), agencies["Police"], "Z", due)
    scene.action(transitions, agencies["Police"], "T1", due)
    scene.action(transitions, agencies["Police"], "T2", due)
    assert described(rows_for(coordinator))[-3:] == ["T1", "T2", "Z"]


def test_rows_carry_rag_themes_and_last_update(actions, coordinator):
    rows = by_description(rows_for(coordinator, show="all"))
    assert rows[scene.LATE].rag == rules.RED
    assert rows[scene.LATE].overdue_days == 10
    assert rows[scene.LATE].themes == [scene.GPS]
    assert rows[scene.SOON].rag == rules.AMBER
    assert rows[scene.SOON].rag_reason == rules.DUE_SOON_REASON
    assert rows[scene.SOON].themes == [scene.NEGLECT]
    assert rows[scene.LATER].rag == rules.GREEN
    assert rows[scene.LATER].last_update == timezone.localdate()
    assert rows[scene.SOON].last_update is None
    assert rows[scene.DONE].rag == rules.COMPLETE
    # An immediate action takes the themes its case is tagged with.
    assert rows[scene.IMMEDIATE].immediate
    assert rows[scene.IMMEDIATE].themes == [scene.GPS]
    assert rows[scene.LATE].audit_title == "Transitions to adult services"


def test_an_action_without_progress_for_eight_weeks_turns_amber(actions, coordinator):
    """The day an action was set comes from its change history: with no note since, it is
    stale 57 days later."""
    set_on = timezone.localdate()
    for days, expected in ((56, rules.GREEN), (57, rules.AMBER)):
        today = set_on + datetime.timedelta(days=days)
        row = by_description(rows_for(coordinator, today=today))[scene.LATER]
        # LATER has a note today: stale by the same count from that note.
        assert row.rag == expected
    today = set_on + datetime.timedelta(days=57)
    immediate = by_description(rows_for(coordinator, show="all", today=today))[scene.IMMEDIATE]
    assert immediate.rag == rules.RED  # due in 40 days: by then overdue


def test_the_audit_links_only_where_the_viewer_may_open_it(actions, health_auditor, police_auditor):
    # Health takes no part in the audit's returns: it owns an action, but not the audit's page.
    assert not by_description(rows_for(health_auditor))[scene.SOON].audit_visible
    police = by_description(rows_for(police_auditor))
    assert police[scene.LATE].audit_visible
    assert not police[scene.ELSEWHERE_AUDIT].audit_visible  # no requests to Police there


# --- Filters --------------------------------------------------------------------------------


def test_filter_by_audit(actions, coordinator):
    elsewhere = actions[scene.ELSEWHERE_AUDIT].audit
    assert described(rows_for(coordinator, audit=elsewhere)) == [scene.ELSEWHERE_AUDIT]


def test_filter_by_agency(actions, coordinator, agencies):
    rows = rows_for(coordinator, agency=agencies["Health Provider"])
    assert described(rows) == [scene.SOON]


def test_filter_by_audit_theme_or_library_theme(actions, coordinator):
    by_title = described(rows_for(coordinator, theme=scene.GPS, show="all"))
    assert sorted(by_title) == sorted([scene.LATE, scene.DONE, scene.IMMEDIATE])
    assert sorted(described(rows_for(coordinator, theme=scene.LIBRARY, show="all"))) == sorted(
        by_title
    )
    assert sorted(described(rows_for(coordinator, theme=scene.NEGLECT))) == sorted(
        [scene.SOON, scene.LATER]
    )


def test_filter_immediate_only_or_recommendations_only(actions, coordinator):
    assert described(rows_for(coordinator, immediate=True)) == [scene.IMMEDIATE]
    assert scene.IMMEDIATE not in described(rows_for(coordinator, immediate=False))


def test_open_leaves_out_complete_and_all_keeps_it(actions, coordinator):
    assert scene.DONE not in described(rows_for(coordinator))
    assert scene.DONE in described(rows_for(coordinator, show="all"))


def test_options_come_from_the_viewers_own_actions(actions, police_auditor, health_auditor):
    police = selectors.monitoring_options(access.viewer_as(police_auditor))
    assert [a.title for a in police.audits] == ["Neglect audit", "Transitions to adult services"]
    assert [a.name for a in police.agencies] == ["Police"]
    assert police.themes == [scene.NEGLECT, scene.LIBRARY, scene.GPS]  # audit's and library's
    health = selectors.monitoring_options(access.viewer_as(health_auditor))
    assert [a.title for a in health.audits] == ["Transitions to adult services"]
    assert health.themes == [scene.NEGLECT]


def test_a_coordinator_may_choose_any_agency_of_the_partnership(actions, coordinator):
    options = selectors.monitoring_options(access.viewer_as(coordinator))
    assert [a.name for a in options.agencies] == [
        "Children's Social Care",
        "Police",
        "Health Provider",
    ]


# --- Queries --------------------------------------------------------------------------------


def _queries(user, count: int, audit, agencies) -> int:
    recommendation = f.RecommendationFactory(audit=audit)
    recommendation.themes.set([audit.themes.first()])
    case = audit.cases.first()
    today = timezone.localdate()
    for i in range(count):
        action = scene.action(recommendation, agencies["Police"], f"Action {i}", today)
        f.ActionFactory(
            recommendation=None,
            audit=audit,
            partnership=audit.partnership,
            case=case,
            immediate=True,
            agency=agencies["Police"],
            description=f"Immediate {i}",
            due=today,
        )
        action.updates.create(partnership=audit.partnership, note="Done.", status="in_progress")
    viewer = access.viewer_as(user)
    viewer.partnership  # noqa: B018 (the membership is loaded once per request, not per row)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.monitoring_rows(viewer, audit=audit, today=today)
        [(row.themes, row.agency.name, row.audit_title) for row in rows]
    assert len(rows) == 2 * count
    return len(queries)


@pytest.mark.parametrize("user", ["coordinator", "police_auditor"])
def test_the_list_takes_the_same_queries_for_3_or_30_actions(
    user, request, partnership, areas, agencies
):
    counts = []
    for count in (3, 30):
        audit = f.AuditFactory(partnership=partnership, status=AuditStatus.MONITORING)
        case = f.CaseFactory(audit=audit, area=areas["East"])
        f.RequestFactory(case=case, agency=agencies["Police"])
        f.AuditThemeFactory(audit=audit).cases.add(case)
        counts.append(_queries(request.getfixturevalue(user), count, audit, agencies))
    assert counts[0] == counts[1]
