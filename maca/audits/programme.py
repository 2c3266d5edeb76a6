"""The audit programme: the partnership's audits for a year, planned and under way, with why
each is held (`Audit.reason`), for coordinators and the board (`access.may_see_programme`).

A year runs from 1 April to 31 March, as partnerships' yearly reports do. An audit falls in the
year of its meeting date; an audit being planned without one is "not yet scheduled". Only what
describes the audit is read (its title, theme, reason, status and dates), never its cases.
"""

import datetime
from dataclasses import dataclass

from maca import access

from .models import Audit, AuditStatus

YEAR_STARTS = (4, 1)  # 1 April


@dataclass(frozen=True)
class Year:
    first: int  # the calendar year it starts in: 2026 is 1 April 2026 to 31 March 2027

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.first, *YEAR_STARTS)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.first + 1, *YEAR_STARTS) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.first} to {self.first + 1}"

    @classmethod
    def of(cls, day: datetime.date) -> "Year":
        return cls(day.year if (day.month, day.day) >= YEAR_STARTS else day.year - 1)


@dataclass(frozen=True)
class Entry:
    audit: Audit
    may_open: bool  # whether the viewer may open the audit's own page


@dataclass(frozen=True)
class Programme:
    year: Year
    scheduled: list[Entry]  # by meeting date
    unscheduled: list[Entry]  # being planned, no meeting date yet


def programme_for(viewer: access.Viewer, year: Year) -> Programme:
    audits = access.programme_audits_for(viewer)
    openable = set(access.audits_for(viewer).values_list("pk", flat=True))
    scheduled = audits.filter(meeting_date__range=(year.start, year.end)).order_by(
        "meeting_date", "title"
    )
    unscheduled = audits.filter(meeting_date__isnull=True, status=AuditStatus.PLANNING).order_by(
        "title"
    )
    return Programme(
        year=year,
        scheduled=[Entry(audit, audit.pk in openable) for audit in scheduled],
        unscheduled=[Entry(audit, audit.pk in openable) for audit in unscheduled],
    )
