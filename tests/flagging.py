"""Raising an immediate-action flag as an agency does (through the return's service, which
escalates it at once), at a moment of the test's choosing, and the days of a working week to
raise it on: derived from today, so the tests hold on any day they run."""

import datetime

import time_machine
from django.utils import timezone

from maca.returns.services import ReturnContent, return_save

DESCRIPTION = "The child is at home with the person who harmed them."


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def next_weekday(weekday: int, after: datetime.date | None = None) -> datetime.date:
    """The first day after `after` (by default today) that falls on `weekday` (Monday is 0)."""
    after = after or timezone.localdate()
    return after + datetime.timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def raise_flag(request, by, on: datetime.date, hour: int = 10):
    """The agency flags immediate action on `request`'s return at `hour` on `on`."""
    with time_machine.travel(at(on, hour), tick=False):
        return return_save(
            agency_request=request,
            by=by,
            content=ReturnContent(immediate_action=True, immediate_action_description=DESCRIPTION),
            version=None,
        ).return_
