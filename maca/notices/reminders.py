"""Reminders to agencies that owe returns: a few days before the due date, and once overdue.

A system job for every partnership, run by `maca send-reminders` (from cron) or as the task
`reminders_send_task`. Each reminder goes once per audit, agency, kind and due date: running
it twice sends nothing new, and a moved due date earns new reminders.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from maca.audits.models import Audit, AuditStatus, Request, RequestStatus
from maca.partnerships.models import Agency

from .models import Notice, NoticeKind
from .services import notice_send, notices_deliver_pending

REMINDER_DAYS_BEFORE = 3


def reminder_kind(due: datetime.date, today: datetime.date) -> str | None:
    """Which reminder, if any, is due on `today` for returns due on `due`."""
    if today > due:
        return NoticeKind.REMINDER_OVERDUE
    if today >= due - datetime.timedelta(days=REMINDER_DAYS_BEFORE):
        return NoticeKind.REMINDER_DUE_SOON
    return None


def _owing(audit: Audit):
    """The involved agencies with returns still to submit, in agency order."""
    unsubmitted = Request.objects.filter(audit=audit, agency=OuterRef("pk")).exclude(
        status=RequestStatus.SUBMITTED
    )
    return Agency.objects.filter(Exists(unsubmitted)).order_by("position", "name")


def _remind(*, audit: Audit, agency: Agency, kind: str) -> Notice | None:
    already = Notice.objects.filter(audit=audit, agency=agency, kind=kind, due=audit.returns_due)
    if already.exists():
        return None
    try:
        # A savepoint: a run racing this one may have just written the same reminder.
        with transaction.atomic():
            return notice_send(kind=kind, audit=audit, agency=agency, due=audit.returns_due)
    except IntegrityError:
        return None


def reminders_send(*, today: datetime.date | None = None) -> list[Notice]:
    """Remind every agency that owes returns to a collecting audit, in every partnership:
    once in the last REMINDER_DAYS_BEFORE days before the due date, once after it. Then
    deliver any notice still waiting. Returns the reminders written by this run."""
    today = today or timezone.localdate()
    sent = []
    audits = Audit.objects.filter(status=AuditStatus.COLLECTING, returns_due__isnull=False)
    for audit in audits.order_by("pk"):
        kind = reminder_kind(audit.returns_due, today)
        if kind is None:
            continue
        for agency in _owing(audit):
            notice = _remind(audit=audit, agency=agency, kind=kind)
            if notice is not None:
                sent.append(notice)
    notices_deliver_pending()
    return sent
