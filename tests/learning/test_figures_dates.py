"""A complete action whose completion date is not known (past records loaded without it) is
neither "completed before" a theme recurred nor "not completed before": it is counted apart."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from maca import access
from maca.actions.models import ActionStatus, Recommendation
from maca.audits.models import Audit
from maca.learning import figures
from maca.learning.facts import ActionFact, Facts, ThemeFact
from maca.partnerships.models import LibraryTheme
from tests import factories as f

from . import scene
from .scene import ABUSE, CIN, CSC, HEALTH, POLICE, SHARING, TRANSITIONS


@pytest.fixture
def undated(partnership, areas, agencies):
    """The scene, with one more action on information sharing in the first audit: complete, on a
    date not known."""
    audits = scene.build(partnership, areas, agencies)
    recommendation = Recommendation.objects.get(
        audit=audits[CIN], themes__title="Information sharing and communication"
    )
    return f.ActionFactory(
        recommendation=recommendation,
        agency=agencies[CSC],
        description="Share the findings with GP practices",
        status=ActionStatus.COMPLETE,
        completed_at=None,
    )


@pytest.mark.django_db
def test_a_complete_action_without_its_date_is_counted_apart(undated, coordinator):
    dashboard = figures.dashboard_for(access.viewer_as(coordinator))

    table = dashboard.table(figures.RECURRING_THEMES)
    rows = {row.label: list(row.cells) for row in table.rows}
    # Earlier actions, completed before, complete with the date unknown, not completed before.
    assert rows[f"{SHARING} — found again in {scene.LABELS[TRANSITIONS]}"] == [4, 1, 1, 2]
    assert rows[f"{SHARING} — found again in {scene.LABELS[ABUSE]}"] == [5, 2, 1, 2]
    again_in_transitions = dashboard.recurring[0].recurrences[0]
    assert [
        (a.agency, a.status, a.completed_before, a.completed_unknown)
        for a in again_in_transitions.earlier_actions
    ] == [
        (CSC, "Complete", True, False),
        (HEALTH, "Complete", False, False),  # completed the day after: later, and known
        (POLICE, "In progress", False, False),
        (CSC, "Complete", False, True),
    ]


@pytest.mark.django_db
def test_the_page_says_the_date_is_not_known_rather_than_not_complete(
    undated, coordinator, client_for
):
    page = client_for(coordinator).get(reverse("learning:dashboard_topic", args=["themes"]))
    page = page.content.decode()
    row = page[page.index(undated.description) :].split("</tr>")[0]
    assert "Not known" in row and "complete, date not recorded" in row
    assert ">No<" not in row
    assert "1 of the 4 actions raised on it earlier was complete. 1 more is complete" in page


# --- Without the database: any mix of statuses and dates adds up -------------------------------

FIRST = Audit(pk=1, title="First", meeting_date=datetime.date(2017, 6, 21))
SECOND = Audit(pk=2, title="Second", meeting_date=datetime.date(2017, 11, 22))
THEME = LibraryTheme(pk=7, title="Information sharing")
HELD = datetime.datetime(2017, 11, 22, 12, 0, tzinfo=datetime.UTC)

completed_at = st.none() | st.sampled_from(
    [HELD - datetime.timedelta(days=30), HELD, HELD + datetime.timedelta(days=30)]
)
action = st.tuples(st.sampled_from(ActionStatus.values), completed_at)


def facts_with(actions) -> Facts:
    themes = [ThemeFact(audit.pk, "Sharing", THEME.pk, frozenset()) for audit in (FIRST, SECOND)]
    action_facts = [
        ActionFact(
            FIRST.pk, THEME.pk, datetime.date(2017, 9, 30), i, i, f"Action {i}", "Police", *state
        )
        for i, state in enumerate(actions)
    ]
    return Facts([FIRST, SECOND], {THEME.pk: THEME}, [], [], themes, action_facts)


@given(st.lists(action, max_size=12))
def test_before_unknown_and_not_before_add_up_to_the_earlier_actions(actions):
    facts = facts_with(actions)
    recurring = figures.recurring_themes(facts, figures.theme_occurrences(facts))
    (row,) = figures.recurring_table(recurring).rows

    earlier, before, unknown, not_before = row.cells
    assert earlier == len(actions) == before + unknown + not_before
    assert unknown == sum(
        status == ActionStatus.COMPLETE and done is None for status, done in actions
    )
    (earlier_actions,) = (again.earlier_actions for again in recurring[0].recurrences)
    for shown in earlier_actions:
        assert not (shown.completed_before and shown.completed_unknown)
        assert shown.completed_unknown == (shown.status == "Complete" and not shown.completed_at)
