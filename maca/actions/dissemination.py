"""The dissemination log (decision 71): where each published report and learning briefing
went (a team meeting, a newsletter, training, an e-mail, the board …), when, and how many people
it reached. Coordinators record, change and remove any row of their partnership's audits; an
agency lead records their own agency's, and changes or removes only those (`access`). Every
change is in the change history. `reached_between` counts the people reached in a period, for
the yearly report.
"""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.errors import DomainError
from maca.history import tracking
from maca.partnerships.models import Agency, Partnership
from maca.reports.models import BriefingEdition, ReportEdition

from .models import Channel, Dissemination

#: The most people one row may say it reached: far beyond any partnership's workforce, so a
#: slip of the keyboard (an extra nought or three) is caught.
MOST_REACHED = 1_000_000


class DisseminationInvalid(DomainError):
    """A row of the log was refused: `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        field = next(iter(errors))
        super().__init__(errors[field], field=field)
        self.errors = errors


def _checked(
    *,
    audit: Audit,
    what: ReportEdition | BriefingEdition | None,
    channel: str,
    recipient: str,
    agency: Agency | None,
    sent_on: datetime.date | None,
    people_reached: int | None,
) -> dict:
    errors = {}
    if what is None or what.audit_id != audit.pk:
        errors["what"] = "Choose the published report or learning briefing that went"
    if channel not in Channel.values:
        errors["channel"] = "Choose where it went: a team meeting, a newsletter, training …"
    recipient = " ".join((recipient or "").split())
    if agency is not None and agency.partnership_id != audit.partnership_id:
        errors["agency"] = "Choose one of the partnership's agencies"
    if channel == Channel.OTHER and not recipient:
        errors["recipient"] = "Say where it went (the board, a conference …)"
    elif len(recipient) > 200:
        errors["recipient"] = "Say where it went in at most 200 characters"
    if sent_on is None:
        errors["sent_on"] = "Enter the date it went"
    elif sent_on > timezone.localdate():
        errors["sent_on"] = "The date it went cannot be in the future"
    elif what is not None and sent_on < timezone.localdate(what.published_at):
        errors["sent_on"] = "The date it went cannot be before it was published"
    if people_reached is None:
        errors["people_reached"] = "Enter how many people it reached, as a whole number"
    elif people_reached < 0:
        errors["people_reached"] = "The number of people reached cannot be negative"
    elif people_reached > MOST_REACHED:
        errors["people_reached"] = f"The number of people reached must be at most {MOST_REACHED:,}"
    if errors:
        raise DisseminationInvalid(errors)
    return {
        "edition": what if isinstance(what, ReportEdition) else None,
        "briefing": what if isinstance(what, BriefingEdition) else None,
        "channel": channel,
        "recipient": recipient,
        "agency": agency,
        "sent_on": sent_on,
        "people_reached": people_reached,
    }


@transaction.atomic
def dissemination_add(
    *,
    audit: Audit,
    what: ReportEdition | BriefingEdition | None,
    channel: str,
    recipient: str,
    agency: Agency | None,
    sent_on: datetime.date | None,
    people_reached: int | None,
    note: str = "",
    by: User,
) -> Dissemination:
    """Record where a published report or briefing went, when, and how many people it reached.
    "Other" needs words saying where; the date is not in the future nor before publication; the
    people reached are a whole number from 0."""
    fields = _checked(
        audit=audit,
        what=what,
        channel=channel,
        recipient=recipient,
        agency=agency,
        sent_on=sent_on,
        people_reached=people_reached,
    )
    with tracking.actor(by, via="web"):
        return Dissemination.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            note=" ".join((note or "").split())[:500],
            by=by,
            **fields,
        )


@transaction.atomic
def dissemination_change(
    *,
    dissemination: Dissemination,
    what: ReportEdition | BriefingEdition | None,
    channel: str,
    recipient: str,
    agency: Agency | None,
    sent_on: datetime.date | None,
    people_reached: int | None,
    note: str = "",
    by: User,
) -> Dissemination:
    """Correct a row of the log, under the same rules as recording it."""
    row = Dissemination.objects.select_for_update().get(pk=dissemination.pk)
    fields = _checked(
        audit=row.audit,
        what=what,
        channel=channel,
        recipient=recipient,
        agency=agency,
        sent_on=sent_on,
        people_reached=people_reached,
    )
    for name, value in fields.items():
        setattr(row, name, value)
    row.note = " ".join((note or "").split())[:500]
    with tracking.actor(by, via="web"):
        row.save()
    return row


@transaction.atomic
def dissemination_remove(*, dissemination: Dissemination, by: User) -> None:
    """Remove a row recorded by mistake (the change history keeps it)."""
    with tracking.actor(by, reason="Removed from the dissemination log", via="web"):
        dissemination.delete()


# Reads ---------------------------------------------------------------------------------------


def log_of(audit: Audit) -> list[Dissemination]:
    """The audit's log, oldest first, with what went (its edition's number)."""
    return list(
        Dissemination.objects.filter(audit=audit)
        .select_related("agency", "by")
        .select_related("edition", "briefing")
        .defer("edition__document", "briefing__document")
        .order_by("sent_on", "pk")
    )


def people_reached(rows: list[Dissemination]) -> int:
    return sum(row.people_reached or 0 for row in rows)


def reached_between(
    partnership: Partnership, start: datetime.date, end: datetime.date, *, what: str = "all"
) -> int:
    """How many people the partnership's published reports and learning briefings reached from
    `start` to `end`, both days included (for the yearly report); `what` "reports" or
    "briefings" counts only those. A row recorded before the log counted people adds none."""
    rows = Dissemination.objects.filter(partnership=partnership, sent_on__range=(start, end))
    if what == "reports":
        rows = rows.filter(edition__isnull=False)
    elif what == "briefings":
        rows = rows.filter(briefing__isnull=False)
    elif what != "all":
        raise ValueError(f"what: 'all', 'reports' or 'briefings', not {what!r}")
    return rows.aggregate(people=Sum("people_reached"))["people"] or 0
