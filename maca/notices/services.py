"""Deciding who is told what, by e-mail, and handing the sending to the task queue.

A notice is written in the same transaction as the change that caused it; its delivery is
queued once that transaction commits, so a rolled-back change mails nobody. Anything still
unsent (a worker that died, a queue that lost it) is picked up by `notices_deliver_pending`,
which `maca send-reminders` runs too.
"""

import datetime

from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maca.actions.models import Action
from maca.audits.models import Audit, Request
from maca.links import site_url
from maca.partnerships.models import Agency, Membership, Role

from .models import Notice, NoticeKind

# Who each kind of notice is for: the agency's people, its leads, the partnership's coordinators.
AGENCY_PEOPLE = {Role.AGENCY_AUDITOR, Role.AGENCY_LEAD}
FOR = {
    NoticeKind.REQUESTS_SENT: (AGENCY_PEOPLE, False),
    NoticeKind.REMINDER_DUE_SOON: (AGENCY_PEOPLE, False),
    NoticeKind.REMINDER_OVERDUE: (AGENCY_PEOPLE, False),
    NoticeKind.CHASE: (AGENCY_PEOPLE, False),
    NoticeKind.RETURNED: (AGENCY_PEOPLE, False),
    NoticeKind.SIGN_OFF_REQUESTED: ({Role.AGENCY_LEAD}, False),
    NoticeKind.IMMEDIATE_ACTION: ({Role.AGENCY_LEAD}, True),
    # A flag still not handled after a working day: the same people, again.
    NoticeKind.IMMEDIATE_ACTION_OVERDUE: ({Role.AGENCY_LEAD}, True),
    NoticeKind.REPORT_FOR_APPROVAL: (set(), True),
    # An action's reminders go to the agency that owns it; once overdue, the coordinators too.
    NoticeKind.ACTION_DUE_SOON: (AGENCY_PEOPLE, False),
    NoticeKind.ACTION_OVERDUE: (AGENCY_PEOPLE, True),
}


def notice_send(
    *,
    kind: str,
    audit: Audit,
    agency: Agency | None,
    request: Request | None = None,
    due: datetime.date | None = None,
    action: Action | None = None,
    by=None,
) -> Notice:
    """Record a notice and queue its delivery for when the current transaction commits."""
    notice = Notice.objects.create(
        partnership_id=audit.partnership_id,
        audit=audit,
        agency=agency,
        request=request,
        action=action,
        kind=kind,
        due=due,
        created_by=by,
    )
    transaction.on_commit(lambda: _queue(notice.pk, notice.partnership_id))
    return notice


def _queue(notice_id: int, partnership_id: int) -> None:
    from .tasks import notice_deliver_task

    notice_deliver_task.enqueue(notice_id, partnership_id)


def recipients_for(notice: Notice) -> list[str]:
    """The e-mail addresses of the active people the notice is for, at the moment of sending."""
    roles, with_coordinators = FOR[notice.kind]
    members = Membership.objects.filter(partnership_id=notice.partnership_id, user__is_active=True)
    agency_people = members.filter(agency_id=notice.agency_id, role__in=roles)
    emails = set(agency_people.values_list("user__email", flat=True))
    if with_coordinators:
        emails |= set(members.filter(role=Role.COORDINATOR).values_list("user__email", flat=True))
    if notice.created_by_id:
        # Nobody is told of what they did themselves.
        emails -= set(
            members.filter(user_id=notice.created_by_id).values_list("user__email", flat=True)
        )
    return sorted(emails)


def notice_deliver(*, notice: Notice) -> int:
    """Send the notice to each recipient separately (nobody sees the others' addresses).

    Returns how many messages were sent. The notice is claimed under a row lock, so a worker
    and `send-reminders` racing for it cannot both send it, and a sent notice is never sent again.
    """
    with transaction.atomic():
        claimed = (
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("audit", "agency", "request__case", "action")
            .filter(pk=notice.pk, sent_at__isnull=True)
            .first()
        )
        if claimed is None:
            return 0
        recipients = recipients_for(claimed)
        subject, body = _compose(claimed)
        messages = [EmailMessage(subject, body, to=[email]) for email in recipients]
        if messages:
            mailers.default.send_messages(messages)
        claimed.recipients = recipients
        claimed.sent_at = timezone.now()
        claimed.save(update_fields=["recipients", "sent_at"])
    notice.sent_at, notice.recipients = claimed.sent_at, claimed.recipients
    return len(messages)


def notices_deliver_pending(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)):
    """Deliver the notices whose queued delivery never happened. Returns how many."""
    cutoff = timezone.now() - older_than
    pending = Notice.objects.filter(sent_at__isnull=True, created_at__lt=cutoff).order_by("id")
    delivered = 0
    for notice in pending:
        notice_deliver(notice=notice)
        delivered += notice.sent_at is not None
    return delivered


def _compose(notice: Notice) -> tuple[str, str]:
    """Subject and body. They name the audit, the agency and at most a case's pseudonymous
    reference: never case text, never a record number, never an action's description. Every
    address is MACA_BASE_URL's, never the Host of the request that caused the notice."""
    audit = notice.audit
    requests = Request.objects.filter(audit=audit, agency_id=notice.agency_id)
    context = {
        "notice": notice,
        "audit": audit,
        "agency": notice.agency,
        "request": notice.request,
        "action": notice.action,
        "due": notice.due or audit.returns_due,
        "requested": requests.count(),
        "unsubmitted": requests.exclude(status="submitted").count(),
        "audit_link": site_url(reverse("audits:detail", args=[audit.pk])),
        "requests_link": site_url(reverse("requests:mine")),
        "request_link": site_url(notice.request.get_absolute_url()) if notice.request else "",
        "report_link": site_url(reverse("audits:report", args=[audit.pk])),
        "action_link": (
            site_url(reverse("actions:detail", args=[notice.action_id])) if notice.action_id else ""
        ),
    }
    text = render_to_string(f"notices/{notice.kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n\n" + render_to_string("notices/footer.txt").strip()
