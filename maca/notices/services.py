"""Deciding who is told what, by e-mail, and handing the sending to the task queue.

A notice is written in the same transaction as the change that caused it; its delivery is
queued once that transaction commits, so a rolled-back change mails nobody. Anything still
unsent (a worker that died, a queue that lost it, a mail server that refused it) is picked up
by `notices_deliver_pending`, which `maca send-reminders` runs too. A notice that reaches
nobody is still stamped sent, with no recipients: the coordinators' outbox shows it.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maca import access_rls
from maca.accounts.models import User
from maca.actions.models import Action
from maca.audits.models import Audit, Request, RequestStatus
from maca.links import site_url
from maca.partnerships.models import Agency, Membership, Role

from .models import PENDING_AFTER, Notice, NoticeKind
from .notify import receipts_kept

logger = logging.getLogger(__name__)

# Who each kind of notice is for: the agency's people in these roles (and the agency's contact
# address), and whether the partnership's coordinators too.
AGENCY_PEOPLE = {Role.AGENCY_AUDITOR, Role.AGENCY_LEAD}
FOR: dict[str, tuple[set[Role], bool]] = {
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
    NoticeKind.ACTION_ASSIGNED: (AGENCY_PEOPLE, False),
    NoticeKind.REPORT_APPROVED: (set(), False),
    NoticeKind.REPORT_SENT_BACK: (set(), False),
    NoticeKind.REPORT_PUBLISHED: (set(), False),
    # An agency's own feedback pack on the published report: its people, nobody else.
    NoticeKind.FEEDBACK_READY: (AGENCY_PEOPLE, False),
}
# Kinds for the partnership's board members, and kinds for the one person the notice names.
TO_THE_BOARD = {NoticeKind.REPORT_PUBLISHED}
TO_THE_PERSON = {NoticeKind.REPORT_APPROVED, NoticeKind.REPORT_SENT_BACK}


def notice_send(
    *,
    kind: str,
    audit: Audit,
    agency: Agency | None,
    agency_request: Request | None = None,
    due: datetime.date | None = None,
    action: Action | None = None,
    person: User | None = None,
    by: User | None = None,
) -> Notice:
    """Record a notice and queue its delivery for when the current transaction commits."""
    notice = Notice.objects.create(
        partnership_id=audit.partnership_id,
        audit=audit,
        agency=agency,
        request=agency_request,
        action=action,
        person=person,
        kind=kind,
        due=due,
        created_by=by,
    )
    transaction.on_commit(lambda: _queue(notice.pk, notice.partnership_id))
    return notice


def _queue(notice_id: int, partnership_id: int) -> None:
    notice_deliver_task.enqueue(notice_id, partnership_id)


def recipients_for(notice: Notice) -> list[str]:
    """The e-mail addresses the notice is for at the moment of sending: the active people of
    the partnership it is for, and the agency's contact address; never whoever caused it."""
    roles, with_coordinators = FOR[notice.kind]
    wanted = Q(pk__in=[])
    if roles and notice.agency_id:
        wanted |= Q(agency_id=notice.agency_id, role__in=roles)
    if with_coordinators:
        wanted |= Q(role=Role.COORDINATOR)
    if notice.kind in TO_THE_BOARD:
        wanted |= Q(role=Role.BOARD_MEMBER)
    if notice.kind in TO_THE_PERSON and notice.person_id:
        wanted |= Q(user_id=notice.person_id)
    people = Membership.objects.filter(wanted, partnership_id=notice.partnership_id)
    emails = {
        email
        for email, user_id in people.filter(user__is_active=True).values_list(
            "user__email", "user_id"
        )
        # Nobody is told of what they did themselves.
        if user_id != notice.created_by_id
    }
    if roles and notice.agency and notice.agency.contact_email:
        emails.add(notice.agency.contact_email)
    return sorted(emails)


def addressed_to(notice: Notice) -> str:
    """Whom a notice is for, in words: the outbox's "For" column."""
    roles, with_coordinators = FOR[notice.kind]
    if notice.kind in TO_THE_PERSON:
        person = notice.person
        return (person.name or person.email) if person else "Someone no longer in maca"
    if notice.kind in TO_THE_BOARD:
        return "The board"
    if roles and notice.agency:
        return notice.agency.name + (" and the coordinators" if with_coordinators else "")
    return "The coordinators"


@dataclass(frozen=True)
class Reach:
    """Whom an agency's notices of one kind would reach now, and if nobody, why not."""

    agency: Agency
    emails: list[str]
    why_nobody: str = ""


def agencies_reach(*, agencies: Iterable[Agency], kind: str, by: User | None = None) -> list[Reach]:
    """For each agency (in the order given), whom a notice of `kind` addressed to it would
    reach if sent now, by `by`: the check made before anything is sent, so that the sender
    can see which agencies will hear nothing, and why. One query whatever the number."""
    agencies = list(agencies)
    roles, _ = FOR[kind]
    members: dict[int, list[tuple[str, bool, int]]] = {agency.pk: [] for agency in agencies}
    for agency_id, email, active, user_id in Membership.objects.filter(
        agency__in=agencies, role__in=roles
    ).values_list("agency_id", "user__email", "user__is_active", "user_id"):
        members[agency_id].append((email, active, user_id))
    by_id = getattr(by, "pk", None)
    reaches = []
    for agency in agencies:
        people = members[agency.pk]
        emails = {email for email, active, user_id in people if active and user_id != by_id}
        if agency.contact_email:
            emails.add(agency.contact_email)
        why = "" if emails else _why_nobody(people, roles, by_id)
        reaches.append(Reach(agency=agency, emails=sorted(emails), why_nobody=why))
    return reaches


def _why_nobody(people: list[tuple[str, bool, int]], roles: set[Role], by_id: int | None) -> str:
    who = "lead" if roles == {Role.AGENCY_LEAD} else "auditor or lead"
    whom = "leads" if roles == {Role.AGENCY_LEAD} else "auditors and leads"
    active = [person for person in people if person[1]]
    if active and all(user_id == by_id for _, _, user_id in active):
        return "nobody but you is there to tell, and it has no contact address"
    if not people:
        return f"it has no {who} in maca, and no contact address"
    if len(people) == 1:
        return f"its one {who} has been disabled, and it has no contact address"
    return f"all {len(people)} of its {whom} have been disabled, and it has no contact address"


def notice_deliver(*, notice: Notice) -> int:
    """Send the notice to each recipient separately (nobody sees the others' addresses).

    Returns how many messages were sent. The notice is claimed under a row lock, so a worker
    and `send-reminders` racing for it cannot both send it, and a sent notice is never sent
    again. If the mail server fails part way, the notice stays unsent with the failure
    recorded and the addresses already sent to kept, so the next attempt sends only the rest.
    """
    with transaction.atomic():
        claimed = (
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("audit", "agency", "request__case", "action__case", "created_by")
            .filter(pk=notice.pk, sent_at__isnull=True)
            .first()
        )
        if claimed is None:
            return 0
        delivered = list(claimed.recipients)
        sent = 0
        try:
            subject, body = _compose(claimed)
            with mailers.default as connection:
                for email in recipients_for(claimed):
                    if email not in delivered:
                        message = EmailMessage(subject, body, to=[email])
                        connection.send_messages([message])
                        receipts_kept(claimed, message)
                        delivered.append(email)
                        sent += 1
        except Exception as error:  # whatever went wrong is recorded and shown, not lost
            claimed.failed_at = timezone.now()
            claimed.failure = f"{type(error).__name__}: {error}"[:200]
            logger.warning("Notice %s not delivered: %s", claimed.pk, type(error).__name__)
        else:
            claimed.sent_at = timezone.now()
        claimed.recipients = sorted(delivered)
        claimed.save(update_fields=["recipients", "sent_at", "failed_at", "failure", "receipts"])
    notice.sent_at, notice.recipients = claimed.sent_at, claimed.recipients
    notice.failed_at, notice.failure = claimed.failed_at, claimed.failure
    notice.receipts = claimed.receipts
    return sent


def notices_deliver_pending(*, older_than: datetime.timedelta = PENDING_AFTER) -> int:
    """Deliver the notices whose queued delivery never happened or failed. Returns how many
    were delivered."""
    cutoff = timezone.now() - older_than
    pending = Notice.objects.filter(sent_at__isnull=True, created_at__lt=cutoff).order_by("id")
    delivered = 0
    for notice in pending:
        notice_deliver(notice=notice)
        delivered += notice.sent_at is not None
    return delivered


def audience(notices: Iterable[Notice]) -> list[str]:
    """Everyone these notices reach (or, not yet sent, would reach now), once each: what a
    page says after sending, counted in people rather than in agencies."""
    emails: set[str] = set()
    for notice in notices:
        emails.update(notice.recipients if notice.sent_at else recipients_for(notice))
    return sorted(emails)


def people_emailed(count: int) -> str:
    """How a page says how many people an e-mail reached."""
    if count == 0:
        return "nobody e-mailed"
    return f"{count} {'person' if count == 1 else 'people'} e-mailed"


def owed_requests(audit: Audit, agency_id: int) -> QuerySet[Request]:
    """An agency's requests of the audit whose returns can still come: not submitted, on a
    case the meeting has not ratified (ratifying locks a case's returns)."""
    return Request.objects.filter(
        audit=audit, agency_id=agency_id, case__locked_at__isnull=True
    ).exclude(status=RequestStatus.SUBMITTED)


def _compose(notice: Notice) -> tuple[str, str]:
    """Subject and body. They name the audit, the agency and at most a case's pseudonymous
    reference: never case text, never a record number, never an action's description. Every
    address is MACA_BASE_URL's, never the Host of the request that caused the notice."""
    audit = notice.audit
    requests, owed = Request.objects.none(), Request.objects.none()  # a notice to no agency
    if notice.agency_id is not None:
        requests = Request.objects.filter(audit=audit, agency_id=notice.agency_id)
        owed = owed_requests(audit, notice.agency_id)
    context = {
        "notice": notice,
        "audit": audit,
        "agency": notice.agency,
        "request": notice.request,
        "action": notice.action,
        "by": notice.created_by,
        "due": notice.due or audit.returns_due,
        "requested": requests.count(),
        "unsubmitted": owed.count(),
        "audit_link": site_url(reverse("audits:detail", args=[audit.pk])),
        "requests_link": site_url(reverse("requests:mine")),
        "request_link": site_url(notice.request.get_absolute_url()) if notice.request else "",
        "report_link": site_url(reverse("audits:report", args=[audit.pk])),
        "feedback_link": site_url(reverse("audits:feedback", args=[audit.pk])),
        "action_link": (
            site_url(reverse("actions:detail", args=[notice.action_id])) if notice.action_id else ""
        ),
        "edition": (
            audit.report_editions.defer("document").order_by("-number").first()
            if notice.kind in (NoticeKind.REPORT_PUBLISHED, NoticeKind.FEEDBACK_READY)
            else None
        ),
    }
    text = render_to_string(f"notices/{notice.kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n\n" + render_to_string("notices/footer.txt").strip()


# Here rather than in tasks.py: `notice_send` queues it and it runs `notice_deliver`.
@task
def notice_deliver_task(notice_id: int, partnership_id: int) -> int:
    """Send one notice, in the rows of its partnership. Safe to run twice: a sent notice is
    not sent again."""
    with access_rls.working_in(partnership_id):
        found = Notice.objects.select_related("audit", "agency", "request").filter(pk=notice_id)
        notice = found.first()
        return notice_deliver(notice=notice) if notice else 0
