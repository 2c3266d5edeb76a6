"""When an immediate-action flag is overdue: small pure functions, no database.

An agency flags in its return that immediate action is required (the child may not be safe).
It is escalated at once to the agency's leads and the coordinators; a coordinator then records
how it was handled. A flag not handled within one working day is overdue: it is escalated again
(`maca send-reminders`) and the pages say so.

Working days are Monday to Friday; a weekend does not count (bank holidays do). The rule works
in whole days, as the daily reminders run does: a flag raised on day D is overdue once more
than one working day has begun since D, so a flag raised on a Monday is overdue on the
Wednesday, and one raised on a Friday (or over the weekend) on the Tuesday. Counting whole days
means a flag has always had at least one full working day before it is escalated again, however
late in the day it was raised.
"""

import datetime

# A flag waits on someone while its audit collects returns or holds its meeting (when flags can
# be raised: `follow_flags` in maca.audits.lifecycle); the audit moves to reporting only once
# each flag is handled.
# How long a flag may wait for a coordinator to record its handling before it is overdue.
WORKING_DAYS_TO_HANDLE = 1

SATURDAY = 5


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY


def working_days_after(start: datetime.date, end: datetime.date) -> int:
    """How many working days there are after `start`, up to and including `end` (0 when `end`
    is not after `start`)."""
    days = (end - start).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    last_week = (start + datetime.timedelta(days=weeks * 7 + n) for n in range(1, rest + 1))
    return weeks * 5 + sum(map(is_working_day, last_week))


def flag_overdue(flagged_on: datetime.date, today: datetime.date) -> bool:
    """Whether a flag raised on `flagged_on`, still not handled, is overdue on `today`."""
    return working_days_after(flagged_on, today) > WORKING_DAYS_TO_HANDLE


def days_ago(day: datetime.date, today: datetime.date) -> str:
    """How long ago `day` was, in words: "today", "yesterday", "3 days ago"."""
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"
