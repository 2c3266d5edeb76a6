"""Reminders to agencies that owe returns, and to agencies that own actions not yet complete:
a few days before the due date, and once overdue; and the second escalation of an
immediate-action flag nobody has handled within a working day (`flag_reminders_send`).

A system job for every partnership, run by `maca send-reminders` (from cron) or as the task
`reminders_send_task`. A returns reminder goes once per audit, agency, kind and due date; an
action's reminder once per action, kind and due date: running it twice sends nothing new, and
a moved due date earns new reminders.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from maca.actions.models import Action, ActionStatus
from maca.audits.lifecycle import stages_allowing
from maca.audits.models import Audit, Request, RequestStatus
from maca.partnerships.models import Agency
from maca.partnerships.ordering import partnership_order
from maca.returns.models import Return
from maca.returns.rules import flag_overdue

from .models import Notice, NoticeKind
from .services import notice_send, notices_deliver_pending

REMINDER_DAYS_BEFORE = 3
# An action is weeks or months of work by an agency, not a form to fill in: three days' notice
# is too late to finish it or to agree a new date with the coordinator. A week gives its owner
# one round of the weekly team meeting or supervision to act, and to ask for more time.
ACTION_REMINDER_DAYS_BEFORE = 7
FLAG_OVERDUE = NoticeKind.IMMEDIATE_ACTION_OVERDUE


def reminder_kind(due: datetime.date, today: datetime.date) -> str | None:
    """Which reminder, if any, is due on `today` for returns due on `due`."""
    if today > due:
        return NoticeKind.REMINDER_OVERDUE
    if today >= due - datetime.timedelta(days=REMINDER_DAYS_BEFORE):
        return NoticeKind.REMINDER_DUE_SOON
    return None


def _owing(audit: Audit):
    """The involved agencies with returns still to submit on cases not yet ratified, in agency
    order."""
    unsubmitted = Request.objects.filter(
        audit=audit, agency=OuterRef("pk"), case__locked_at__isnull=True
    ).exclude(status=RequestStatus.SUBMITTED)
    return Agency.objects.filter(Exists(unsubmitted)).order_by(*partnership_order())


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
    """Remind every agency that owes returns to an audit collecting them (or in moderation,
    for cases not yet ratified), in every partnership: once in the last REMINDER_DAYS_BEFORE
    days before the due date, once after it; every agency with an action not yet complete
    (`action_reminders_send`); and escalate again each overdue immediate-action flag
    (`flag_reminders_send`). Then deliver any notice still waiting. Returns the reminders
    written by this run: returns', actions', then flags'."""
    today = today or timezone.localdate()
    sent = (
        _returns_reminders_send(today=today)
        + action_reminders_send(today=today)
        + flag_reminders_send(today=today)
    )
    notices_deliver_pending()
    return sent


def _returns_reminders_send(*, today: datetime.date) -> list[Notice]:
    sent = []
    audits = Audit.objects.filter(
        status__in=stages_allowing("collect_returns"), returns_due__isnull=False
    )
    for audit in audits.order_by("pk"):
        assert audit.returns_due is not None  # the query keeps only audits with a due date
        kind = reminder_kind(audit.returns_due, today)
        if kind is None:
            continue
        for agency in _owing(audit):
            notice = _remind(audit=audit, agency=agency, kind=kind)
            if notice is not None:
                sent.append(notice)
    return sent


def action_reminder_kind(due: datetime.date, today: datetime.date) -> str | None:
    """Which reminder, if any, is due on `today` for an action due on `due`."""
    if today > due:
        return NoticeKind.ACTION_OVERDUE
    if today >= due - datetime.timedelta(days=ACTION_REMINDER_DAYS_BEFORE):
        return NoticeKind.ACTION_DUE_SOON
    return None


def _remind_action(*, action: Action, kind: str) -> Notice | None:
    if Notice.objects.filter(action=action, kind=kind, due=action.due).exists():
        return None
    try:
        # A savepoint: a run racing this one may have just written the same reminder.
        with transaction.atomic():
            return notice_send(
                kind=kind, audit=action.audit, agency=action.agency, action=action, due=action.due
            )
    except IntegrityError:
        return None


def action_reminders_send(*, today: datetime.date) -> list[Notice]:
    """Remind the agency owning each action not yet complete, of an audit in reporting or
    monitoring, in every partnership: once in the last ACTION_REMINDER_DAYS_BEFORE days before
    its due date, once after it (and the coordinators then too). Returns the reminders written;
    their delivery is queued as each commits."""
    sent = []
    actions = (
        Action.objects.exclude(status=ActionStatus.COMPLETE)
        .filter(
            audit__status__in=stages_allowing("remind_action_owners"),
            due__lte=today + datetime.timedelta(days=ACTION_REMINDER_DAYS_BEFORE),
        )
        .select_related("audit", "agency")
        .order_by("audit_id", "due", *partnership_order("agency__"), "pk")
    )
    for action in actions:
        kind = action_reminder_kind(action.due, today)
        if kind is None:
            continue
        notice = _remind_action(action=action, kind=kind)
        if notice is not None:
            sent.append(notice)
    return sent


def flag_reminders_send(*, today: datetime.date) -> list[Notice]:
    """Escalate again, once, each immediate-action flag nobody has handled within a working
    day (`maca.returns.rules.flag_overdue`), in every partnership: to the flagging agency's
    leads and the coordinators, as the first escalation went. Oldest flag first. Returns the
    notices written; their delivery is queued as each commits."""
    already = Notice.objects.filter(request=OuterRef("request"), kind=FLAG_OVERDUE)
    flagged = (
        Return.objects.filter(
            immediate_action=True,
            immediate_action_handled_at__isnull=True,
            request__audit__status__in=stages_allowing("follow_flags"),
        )
        .exclude(Exists(already))
        .select_related("request__audit", "request__agency", "request__case")
    )
    overdue = [r for r in flagged if flag_overdue(timezone.localdate(r.flagged_at), today)]
    sent = []
    for return_ in sorted(overdue, key=lambda r: (r.flagged_at, r.pk)):
        request = return_.request
        try:
            # A savepoint: a run racing this one may have just written the same notice.
            with transaction.atomic():
                notice = notice_send(
                    kind=FLAG_OVERDUE,
                    audit=request.audit,
                    agency=request.agency,
                    agency_request=request,
                )
        except IntegrityError:
            continue
        sent.append(notice)
    return sent
