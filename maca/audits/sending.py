"""Sending the requests (planning → collecting) and chasing the agencies that owe returns."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format

from maca import access
from maca.errors import DomainError
from maca.history import tracking
from maca.notices.models import NoticeKind
from maca.notices.services import notice_send
from maca.partnerships.models import Agency

from .models import Audit, AuditStatus, Candidate, Case, Request, RequestStatus


class RequestsNotReady(DomainError):
    """The requests cannot be sent yet. `missing` lists every condition that does not hold."""

    def __init__(self, missing: list[str]):
        super().__init__("The requests cannot be sent yet: " + "; ".join(missing) + ".")
        self.missing = missing


def send_checklist(audit: Audit) -> list[str]:
    """What is missing before the audit's requests can be sent; empty when they can be."""
    missing = []
    if audit.status != AuditStatus.PLANNING:
        missing.append(
            "The requests can only be sent while the audit is being planned "
            f"(it is now: {audit.get_status_display()})"
        )
    if not audit.questions.exists():
        missing.append("The audit tool has no questions")
    cases = Case.objects.filter(audit=audit)
    if not cases.exists():
        missing.append("The audit has no cases: draw the sample first")
    for reference in (
        cases.filter(requests__isnull=True)
        .order_by("reference")
        .values_list("reference", flat=True)
    ):
        missing.append(f"Case {reference} has no involved agency")
    today = timezone.localdate()
    if audit.returns_due is None:
        missing.append("The date returns are due is not set")
    elif audit.returns_due < today:
        missing.append(
            f"The date returns are due ({date_format(audit.returns_due, 'j F Y')}) is in the past"
        )
    drawn = dict(cases.order_by().values("area").annotate(n=Count("pk")).values_list("area", "n"))
    for entry in audit.sample_plan.select_related("area"):
        if drawn.get(entry.area_id, 0) < entry.cases:
            missing.append(
                f"The sample plan is not met in {entry.area.name}: "
                f"{drawn.get(entry.area_id, 0)} of {entry.cases} cases"
            )
    return missing


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
        Agency.objects.filter(requests__audit=audit).distinct().order_by("position", "name")
    )


@transaction.atomic
def requests_send(*, audit: Audit, by) -> int:
    """Send the audit's requests: it moves to collecting, every request is stamped as sent and
    due on the audit's returns date, and every involved agency is told.

    Refused, naming everything missing at once, unless the audit is being planned, has
    questions and cases, every case has an involved agency, the due date is set and not past,
    and the sample plan is met. Candidates left undrawn are deleted: their agencies' record
    numbers are no longer needed. Returns the number of requests sent.
    """
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    missing = send_checklist(audit)
    if missing:
        raise RequestsNotReady(missing)
    now = timezone.now()
    with tracking.actor(by, via="web"):
        audit.status = AuditStatus.COLLECTING
        audit.save()
        requests = list(Request.objects.filter(audit=audit))
        for request in requests:
            request.sent_at = now
            request.due = audit.returns_due
            request.save()
        for candidate in Candidate.objects.filter(audit=audit, case__isnull=True):
            candidate.delete()
    for agency in _involved_agencies(audit):
        notice_send(
            kind=NoticeKind.REQUESTS_SENT, audit=audit, agency=agency, due=audit.returns_due, by=by
        )
    return len(requests)


@transaction.atomic
def agency_chase(*, audit: Audit, agency: Agency, by) -> int:
    """Remind an agency of its returns still to submit. Only while the audit is collecting,
    and only when the agency owes something. Returns how many returns it owes."""
    if audit.status != AuditStatus.COLLECTING:
        raise DomainError("Returns can only be chased while the audit is collecting returns")
    unsubmitted = (
        Request.objects.filter(audit=audit, agency=agency)
        .exclude(status=RequestStatus.SUBMITTED)
        .count()
    )
    if not unsubmitted:
        raise DomainError(f"Nothing to chase: {agency.name} has submitted every return")
    notice_send(kind=NoticeKind.CHASE, audit=audit, agency=agency, due=audit.returns_due, by=by)
    return unsubmitted
