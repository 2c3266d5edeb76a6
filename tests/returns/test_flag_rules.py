"""When an immediate-action flag is overdue: more than one working day after the day it was
raised, Monday to Friday, a weekend not counting (maca.returns.rules)."""

import datetime

import pytest

from maca.returns.rules import days_ago, flag_overdue, working_days_after

# A week written down once: 1 March 2027 is a Monday.
MON, TUE, WED, THU, FRI, SAT, SUN = (datetime.date(2027, 3, d) for d in range(1, 8))
NEXT_MON, NEXT_TUE = datetime.date(2027, 3, 8), datetime.date(2027, 3, 9)


def test_a_monday_flag_is_overdue_on_wednesday_not_tuesday():
    assert not flag_overdue(MON, MON)
    assert not flag_overdue(MON, TUE)
    assert flag_overdue(MON, WED)


def test_a_friday_flag_seen_on_monday_is_not_yet_overdue():
    # Three days old on Monday, but only one of them a working day.
    assert not flag_overdue(FRI, SAT)
    assert not flag_overdue(FRI, SUN)
    assert not flag_overdue(FRI, NEXT_MON)
    assert flag_overdue(FRI, NEXT_TUE)


def test_a_thursday_flag_is_overdue_on_monday():
    assert not flag_overdue(THU, FRI)
    assert flag_overdue(THU, NEXT_MON)


def test_a_weekend_flag_counts_from_monday():
    assert not flag_overdue(SAT, NEXT_MON)
    assert flag_overdue(SAT, NEXT_TUE)
    assert not flag_overdue(SUN, NEXT_MON)
    assert flag_overdue(SUN, NEXT_TUE)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (MON, MON, 0),
        (MON, SUN, 4),
        (FRI, NEXT_MON, 1),
        (SAT, SUN, 0),
        (MON, MON + datetime.timedelta(days=28), 20),
        (WED, WED + datetime.timedelta(days=365), 261),
        (TUE, MON, 0),  # the end before the start
    ],
)
def test_working_days_are_counted_after_the_start_up_to_the_end(start, end, days):
    assert working_days_after(start, end) == days
    # Day by day, the same count.
    every_day = (start + datetime.timedelta(days=n) for n in range(1, (end - start).days + 1))
    assert days == sum(day.weekday() < 5 for day in every_day)


def test_a_flags_age_is_said_in_calendar_days():
    assert days_ago(FRI, FRI) == "today"
    assert days_ago(FRI, SAT) == "yesterday"
    assert days_ago(FRI, NEXT_MON) == "3 days ago"
