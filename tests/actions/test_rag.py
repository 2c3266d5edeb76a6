"""The RAG status of an action, at each boundary of the rule (`maca/actions/rules.py`)."""

import datetime

from django.utils import timezone

from maca.actions import rules
from maca.actions.models import Action, ActionStatus

TODAY = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)
FAR = TODAY + 200 * DAY  # due long after the "due soon" window


def action(due=FAR, status=ActionStatus.IN_PROGRESS) -> Action:
    return Action(due=due, status=status)


def rag(act, **dates) -> str:
    return rules.rag(act, TODAY, **dates)


def test_a_complete_action_is_complete_however_late():
    late = action(due=TODAY - 100 * DAY, status=ActionStatus.COMPLETE)
    assert rag(late, last_update=TODAY - 300 * DAY) == rules.COMPLETE
    assert rules.LABELS[rules.COMPLETE] == "Complete"


def test_an_action_due_yesterday_is_overdue():
    assert rag(action(due=TODAY - DAY)) == rules.RED
    assert rag(action(due=TODAY - DAY, status=ActionStatus.OPEN)) == rules.RED


def test_an_action_due_today_is_not_overdue():
    assert rag(action(due=TODAY), last_update=TODAY) == rules.GREEN


def test_overdue_wins_over_a_recent_update():
    assert rag(action(due=TODAY - DAY), last_update=TODAY) == rules.RED


def test_an_open_action_due_within_28_days_is_amber():
    for due in (TODAY, TODAY + 28 * DAY):
        open_ = action(due=due, status=ActionStatus.OPEN)
        assert rag(open_, opened=TODAY - DAY) == rules.AMBER
        assert rules.rag_reason(open_, TODAY) == rules.DUE_SOON_REASON


def test_an_open_action_due_in_29_days_is_green():
    assert rag(action(due=TODAY + 29 * DAY, status=ActionStatus.OPEN), opened=TODAY) == rules.GREEN


def test_an_action_in_progress_due_soon_is_green():
    assert rag(action(due=TODAY + DAY), last_update=TODAY - DAY) == rules.GREEN


def test_a_note_56_days_ago_is_recent_enough():
    assert rag(action(), last_update=TODAY - 56 * DAY, opened=TODAY - 400 * DAY) == rules.GREEN


def test_no_note_for_57_days_is_amber():
    stale = action()
    assert rag(stale, last_update=TODAY - 57 * DAY, opened=TODAY - 400 * DAY) == rules.AMBER
    assert rules.rag_reason(stale, TODAY, last_update=TODAY - 57 * DAY) == rules.STALE_REASON


def test_an_action_set_56_days_ago_without_notes_is_not_stale_yet():
    assert rag(action(), opened=TODAY - 56 * DAY) == rules.GREEN


def test_an_action_set_57_days_ago_without_notes_is_amber():
    assert rag(action(), opened=TODAY - 57 * DAY) == rules.AMBER


def test_an_action_of_unknown_age_without_notes_is_green():
    assert rag(action()) == rules.GREEN
    assert rules.rag_reason(action(), TODAY) == ""


def test_overdue_days_count_from_the_due_date():
    assert rules.overdue_days(action(due=TODAY - 3 * DAY), TODAY) == 3
    assert rules.overdue_days(action(due=TODAY), TODAY) == 0
    done = action(due=TODAY - 3 * DAY, status=ActionStatus.COMPLETE)
    assert rules.overdue_days(done, TODAY) == 0


def test_today_is_the_default_day():
    yesterday = timezone.localdate() - DAY
    assert rules.rag(action(due=yesterday)) == rules.RED
