"""Moving a bundle through the calendar: every date it carries, by the same number of days.

A bundle written as of one day tells the same story on another once its dates move with the
calendar (returns still due in three weeks, a flag still raised yesterday). The demo relies on
it (`maca.demo.story`); an installation's real audits never move.
"""

import copy
import datetime

# Every key of the bundle format whose value is a date (docs/bundle-format.md): the audit's
# requests_sent_on, returns_due and meeting_date; a return's submitted_on; an action's due and
# completed_on. tests/bundles/test_shifting.py fails when a bundle carries a date under any
# other key, so a new date field cannot be left behind.
DATE_KEYS = frozenset(
    {"requests_sent_on", "returns_due", "meeting_date", "submitted_on", "due", "completed_on"}
)


def bundle_shift_dates(data: dict, *, days: int) -> dict:
    """A copy of the bundle with every date moved `days` days (earlier when negative).

    Absent and null dates stay absent and null; everything that is not a date is untouched, so
    the copy is as valid as the original and the order of its events is the same.
    """
    shifted = copy.deepcopy(data)
    delta = datetime.timedelta(days=days)
    _shift(shifted, delta)
    return shifted


def _shift(node, delta: datetime.timedelta) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in DATE_KEYS and isinstance(value, str):
                node[key] = (datetime.date.fromisoformat(value) + delta).isoformat()
            else:
                _shift(value, delta)
    elif isinstance(node, list):
        for item in node:
            _shift(item, delta)
