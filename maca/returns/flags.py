"""Immediate-action flags not yet handled, as the pages show them: the home page, the audit's
page and its tracking page. Reads only, always from the viewer's scope (maca.access).

A coordinator sees every flag of the partnership; an agency user their own agency's; a board
member none (a flag is about one child's case).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from maca import access
from maca.audits.lifecycle import stages_allowing
from maca.audits.models import Audit, Case, Request
from maca.partnerships.models import Agency

from . import rules
from .models import Return


@dataclass(frozen=True)
class Flag:
    """A return that asks for immediate action, not yet handled, seen on `today`."""

    request: Request
    flagged_at: datetime.datetime
    today: datetime.date

    @property
    def case(self) -> Case:
        return self.request.case

    @property
    def agency(self) -> Agency:
        return self.request.agency

    @property
    def audit(self) -> Audit:
        return self.request.audit

    @property
    def flagged_on(self) -> datetime.date:
        return timezone.localdate(self.flagged_at)

    @property
    def age(self) -> str:
        """ "today", "yesterday", "3 days ago"."""
        return rules.days_ago(self.flagged_on, self.today)

    @property
    def overdue(self) -> bool:
        return rules.flag_overdue(self.flagged_on, self.today)


def flag_of(request: Request, return_: Return | None, today: datetime.date) -> Flag | None:
    """The request's flag, if its return asks for immediate action that nobody has handled and
    its audit still follows flags (`follow_flags` in maca.audits.lifecycle)."""
    if (
        return_ is None
        or not return_.immediate_action
        or return_.immediate_action_handled_at is not None
        or not request.audit.allows.follow_flags
    ):
        return None
    return Flag(request=request, flagged_at=return_.flagged_at, today=today)


def flags_sorted(flags: list[Flag]) -> list[Flag]:
    """Oldest first: the longest wait is the most urgent."""
    return sorted(flags, key=lambda flag: (flag.flagged_at, flag.audit.title, flag.case.reference))


def flags_for(
    viewer: access.Viewer, audit: Audit | None = None, *, today: datetime.date | None = None
) -> list[Flag]:
    """The flags not yet handled that the viewer may see, in one audit or in all: one query."""
    today = today or timezone.localdate()
    returns = (
        access.returns_for(viewer, audit)
        .filter(
            immediate_action=True,
            immediate_action_handled_at__isnull=True,
            request__audit__status__in=stages_allowing("follow_flags"),
        )
        .select_related("request__audit", "request__case", "request__agency")
    )
    return flags_sorted([flag_of(r.request, r, today) for r in returns])
