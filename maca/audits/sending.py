"""Sending the requests (planning → collecting) and chasing the agencies that owe returns.

Nobody is left silently unheard: before the requests go, the agencies whose e-mail would reach
nobody are named (`send_silences`), and the requests go only once the coordinator has chosen
to send them anyway; an agency that nobody can hear is not chased at all (a chase is only an
e-mail).
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from maca import access
from maca.errors import DomainError
from maca.history import tracking
from maca.notices.models import Notice, NoticeKind
from maca.notices.services import Reach, agencies_reach, notice_send, owed_requests
from maca.partnerships.models import Agency
from maca.partnerships.ordering import partnership_order

from . import lifecycle
from .lifecycle import RequestsNotReady as RequestsNotReady  # refused: what is missing
from .models import Audit, Candidate, Request


def send_checklist(audit: Audit) -> list[str]:
    """What is missing before the audit's requests can be sent; empty when they can be."""
    return lifecycle.checklist(audit, to=lifecycle.COLLECTING)


@dataclass(frozen=True)
class SendPreview:
    requests: int
    agencies: int
    due: object  # the audit's returns_due


def send_preview(viewer: access.Viewer, audit: Audit) -> SendPreview:
    """What sending will do: how many requests, to how many agencies, due when."""
    requests = access.requests_for(viewer, audit)
    return SendPreview(
        requests=requests.count(),
        agencies=requests.order_by().values("agency").distinct().count(),
        due=audit.returns_due,
    )


def _involved_agencies(audit: Audit) -> list[Agency]:
    return list(
        Agency.objects.filter(requests__audit=audit).distinct().order_by(*partnership_order())
    )


def send_silences(audit: Audit, *, by=None) -> list[Reach]:
    """The involved agencies whose "requests sent" e-mail would reach nobody, each with why."""
    reaches = agencies_reach(
        agencies=_involved_agencies(audit), kind=NoticeKind.REQUESTS_SENT, by=by
    )
    return [reach for reach in reaches if not reach.emails]


class NobodyToTell(DomainError):
    """Some involved agencies would hear nothing of their requests: `silences` says which and
    why. Sending anyway needs the coordinator to say so, naming them (`send_anyway_to`)."""

    def __init__(self, silences: list[Reach]):
        names = ", ".join(reach.agency.name for reach in silences)
        super().__init__(
            f"Nobody at {names} would be e-mailed. Add a contact address, or confirm that you "
            "will tell them another way and send anyway.",
            field="send_anyway",
        )
        self.silences = silences


@dataclass(frozen=True)
class Sent:
    requests: int
    notices: list[Notice]  # one per involved agency


@transaction.atomic
def requests_send(*, audit: Audit, by, send_anyway_to: Collection[int] = ()) -> Sent:
    """Send the audit's requests: it moves to collecting, every request is stamped as sent and
    due on the audit's returns date, and every involved agency is told.

    Refused, naming everything missing at once, unless the audit is being planned, has
    questions and cases, every case has an involved agency, the due date is set and not past,
    and the sample plan is met. Refused too (`NobodyToTell`) while an involved agency would
    hear nothing and is not among `send_anyway_to` (agency ids the coordinator chose to send
    to anyway). Candidates left undrawn are deleted: their agencies' record numbers are no
    longer needed.
    """

    def heard(audit: Audit) -> None:
        silences = send_silences(audit, by=by)
        if any(reach.agency.pk not in send_anyway_to for reach in silences):
            raise NobodyToTell(silences)

    audit = lifecycle.transition(audit=audit, to=lifecycle.COLLECTING, by=by, also_check=heard)
    now = timezone.now()
    with tracking.actor(by, via="web"):
        requests = list(Request.objects.filter(audit=audit))
        for request in requests:
            request.sent_at = now
            request.due = audit.returns_due
            request.save()
        for candidate in Candidate.objects.filter(audit=audit, case__isnull=True):
            candidate.delete()
    notices = [
        notice_send(
            kind=NoticeKind.REQUESTS_SENT, audit=audit, agency=agency, due=audit.returns_due, by=by
        )
        for agency in _involved_agencies(audit)
    ]
    return Sent(requests=len(requests), notices=notices)


@dataclass(frozen=True)
class Chased:
    owed: int  # returns the agency still owes
    notice: Notice


@transaction.atomic
def agency_chase(*, audit: Audit, agency: Agency, by) -> Chased:
    """Remind an agency of the returns it still owes: while the audit is collecting returns,
    and in moderation those of cases not yet ratified (they may still arrive). Refused when it
    owes nothing, and when nobody at the agency can be e-mailed (saying why)."""
    if not audit.allows.collect_returns:
        raise DomainError(
            "Returns can only be chased while they can still arrive: while the audit is "
            "collecting returns, or in moderation until their case is ratified"
        )
    owed = owed_requests(audit, agency.pk).count()
    if not owed:
        raise DomainError(
            f"Nothing to chase: {agency.name} owes no return on a case still to be ratified"
            if audit.allows.ratify
            else f"Nothing to chase: {agency.name} has submitted every return"
        )
    [reach] = agencies_reach(agencies=[agency], kind=NoticeKind.CHASE, by=by)
    if not reach.emails:
        raise DomainError(
            f"{agency.name} was not chased: nobody there can be e-mailed ({reach.why_nobody}). "
            "Add a contact address for it, or ask the installation's admin to add its people."
        )
    notice = notice_send(
        kind=NoticeKind.CHASE, audit=audit, agency=agency, due=audit.returns_due, by=by
    )
    return Chased(owed=owed, notice=notice)
