import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from maca.audits.models import Audit, Request
from maca.partnerships.models import Agency, Partnership


class NoticeKind(models.TextChoices):
    REQUESTS_SENT = "requests_sent", "Requests sent"
    REMINDER_DUE_SOON = "reminder_due_soon", "Reminder: returns due soon"
    REMINDER_OVERDUE = "reminder_overdue", "Reminder: returns overdue"
    CHASE = "chase", "Chased by the coordinator"
    IMMEDIATE_ACTION = "immediate_action", "Immediate action required"
    SIGN_OFF_REQUESTED = "sign_off_requested", "Sign-off requested"
    RETURNED = "returned", "Returned for clarification"
    REPORT_FOR_APPROVAL = "report_for_approval", "Report sent for approval"
    ACTION_DUE_SOON = "action_due_soon", "Reminder: action due soon"
    ACTION_OVERDUE = "action_overdue", "Reminder: action overdue"
    IMMEDIATE_ACTION_OVERDUE = "immediate_action_overdue", "Immediate action not yet handled"
    ACTION_ASSIGNED = "action_assigned", "Action for the agency"
    REPORT_APPROVED = "report_approved", "Report approved"
    REPORT_SENT_BACK = "report_sent_back", "Report sent back"
    REPORT_PUBLISHED = "report_published", "Report published"
    FEEDBACK_READY = "feedback_ready", "Agency feedback ready"


# Reminders go once per audit, agency and due date: the unique constraint below says so.
REMINDERS = [NoticeKind.REMINDER_DUE_SOON, NoticeKind.REMINDER_OVERDUE]
# Action reminders go once per action, kind and due date.
ACTION_REMINDERS = [NoticeKind.ACTION_DUE_SOON, NoticeKind.ACTION_OVERDUE]


# A notice still unsent this long after it was written is not merely queued: its delivery failed
# or never ran. `notices_deliver_pending` (run by `maca send-reminders`) tries it again.
PENDING_AFTER = datetime.timedelta(minutes=10)


class NoticeStatus(models.TextChoices):
    SENT = "sent", "Sent"
    NOBODY = "nobody", "Reached nobody"
    NOT_DELIVERED = "not_delivered", "Not delivered"
    WAITING = "waiting", "Waiting to be sent"


# How each status shows as a GOV.UK tag: red where someone was not told.
STATUS_COLOURS = {
    NoticeStatus.SENT: "green",
    NoticeStatus.NOBODY: "red",
    NoticeStatus.NOT_DELIVERED: "red",
    NoticeStatus.WAITING: "grey",
}


def in_status(status: str) -> models.Q:
    """The condition a notice meets in one of `NoticeStatus` (not delivered: waiting included,
    as a list of what did not arrive should not hide what is about to)."""
    sent = models.Q(sent_at__isnull=False)
    refused = ~models.Q(undelivered=[])  # the mail service said an address never got it
    conditions: dict[str, models.Q] = {
        NoticeStatus.SENT: sent & ~models.Q(recipients=[]) & ~refused,
        NoticeStatus.NOBODY: sent & models.Q(recipients=[]) & ~refused,
    }
    return conditions.get(status, models.Q(sent_at__isnull=True) | (sent & refused))


class Notice(models.Model):
    """One e-mail the system decided to send: the outbox and its record.

    Created in the same transaction as the change that caused it; a background task then
    delivers it to the people it is for at that moment and stamps `sent_at`. The message names
    the audit, the agency and at most a case's pseudonymous reference, never case text.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="notices")
    # None for a notice to the coordinators alone (a report waiting for approval).
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    # The due date a reminder is about: a moved due date earns a new reminder.
    due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The one person a notice is for, when it is for a person rather than a role (the author
    # of a report that was approved or sent back).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who it went to. Stamped with `sent_at`; empty then means it reached nobody, which the
    # coordinators' outbox shows rather than drops.
    recipients = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The last failed attempt to deliver it (the mail server refused, say): it stays unsent, and
    # the next attempt sends it to whoever has not had it yet.
    failed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True)
    # GOV.UK Notify (decision 74) takes a message and says later whether it arrived: each
    # address's Notify id and last status, and the addresses it could not deliver to, which
    # make a sent notice "not delivered" in the outbox. Empty with any other mail service.
    receipts = models.JSONField(default=dict, blank=True)
    undelivered = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NoticeKind.values), name="notice_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["audit", "agency", "kind", "due"],
                condition=models.Q(kind__in=REMINDERS),
                name="notice_reminder_once",
            ),
            models.UniqueConstraint(
                fields=["action", "kind", "due"],
                condition=models.Q(kind__in=ACTION_REMINDERS),
                name="notice_action_reminder_once",
            ),
            # A flag not handled in time is escalated again once (maca.returns.rules).
            models.UniqueConstraint(
                fields=["request", "kind"],
                condition=models.Q(kind=NoticeKind.IMMEDIATE_ACTION_OVERDUE),
                name="notice_flag_overdue_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.audit}" + (
            f" — {self.agency}" if self.agency_id else ""
        )

    @property
    def status(self) -> NoticeStatus:
        if self.sent_at is not None and self.undelivered:
            return NoticeStatus.NOT_DELIVERED
        if self.sent_at is not None:
            return NoticeStatus.SENT if self.recipients else NoticeStatus.NOBODY
        if self.failed_at is not None or self.created_at < timezone.now() - PENDING_AFTER:
            return NoticeStatus.NOT_DELIVERED
        return NoticeStatus.WAITING

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def delivered(self) -> bool:
        """Sent to at least one person."""
        return self.status == NoticeStatus.SENT
