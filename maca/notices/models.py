from django.conf import settings
from django.db import models

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


# Reminders go once per audit, agency and due date: the unique constraint below says so.
REMINDERS = [NoticeKind.REMINDER_DUE_SOON, NoticeKind.REMINDER_OVERDUE]
# Action reminders go once per action, kind and due date.
ACTION_REMINDERS = [NoticeKind.ACTION_DUE_SOON, NoticeKind.ACTION_OVERDUE]


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
    recipients = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

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
