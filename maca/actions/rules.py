"""The RAG status of an action: worked out for a day, never stored.

- complete: the action's status is complete, whatever its dates;
- red (overdue): its due date is before today and it is not complete;
- amber (at risk), either of:
  - due today or within the next DUE_SOON_DAYS days and still "open": nobody has recorded
    progress that moved it on;
  - no progress note for more than STALE_DAYS days, counting from the last note or, when it has
    none, from the day the action was set. An action set STALE_DAYS days ago or fewer is not
    stale yet; a note exactly STALE_DAYS days ago still counts as recent;
- green (on track): anything else.

Red wins over amber: an overdue action is overdue, however recently it was updated.
"""

import datetime

from django.utils import timezone

from .models import Action, ActionStatus

COMPLETE, RED, AMBER, GREEN = "complete", "red", "amber", "green"
LABELS = {COMPLETE: "Complete", RED: "Overdue", AMBER: "At risk", GREEN: "On track"}

DUE_SOON_DAYS = 28  # four weeks before its due date, an action not started needs attention
STALE_DAYS = 56  # eight weeks without a progress note, an open action needs attention

DUE_SOON_REASON = "Due within 4 weeks and not started"
STALE_REASON = "No progress recorded for over 8 weeks"


def rag(
    action: Action,
    today: datetime.date | None = None,
    *,
    last_update: datetime.date | None = None,
    opened: datetime.date | None = None,
) -> str:
    """The action's RAG status on `today` (by default, today): "complete", "red", "amber" or
    "green".

    `last_update` is the date of its latest progress note (None: none yet); `opened` the day
    the action was set (None: not known, and then only its notes can make it stale). Both are
    given by the caller, so a list of actions needs no query per action.
    """
    return _assess(action, today, last_update, opened)[0]


def rag_reason(
    action: Action,
    today: datetime.date | None = None,
    *,
    last_update: datetime.date | None = None,
    opened: datetime.date | None = None,
) -> str:
    """Why an action is amber, in words ("" for any other status)."""
    return _assess(action, today, last_update, opened)[1]


def overdue_days(action: Action, today: datetime.date) -> int:
    """How many days past its due date an action not complete is (0 when it is not overdue)."""
    if action.status == ActionStatus.COMPLETE:
        return 0
    return max(0, (today - action.due).days)


def _assess(action, today, last_update, opened) -> tuple[str, str]:
    today = today or timezone.localdate()
    if action.status == ActionStatus.COMPLETE:
        return COMPLETE, ""
    if action.due < today:
        return RED, ""
    if action.status == ActionStatus.OPEN and (action.due - today).days <= DUE_SOON_DAYS:
        return AMBER, DUE_SOON_REASON
    last_sign = last_update or opened
    if last_sign is not None and (today - last_sign).days > STALE_DAYS:
        return AMBER, STALE_REASON
    return GREEN, ""
