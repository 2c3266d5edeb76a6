from django.conf import settings
from django.db import models

from maca.audits.models import Audit, Case
from maca.history.tracking import Tracked
from maca.meetings.models import AuditTheme
from maca.partnerships.models import Agency, Partnership


class Recommendation(Tracked):
    """What the QA sub-group recommends in answer to one or more themes."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    themes = models.ManyToManyField(AuditTheme, related_name="recommendations", blank=True)
    position = models.PositiveIntegerField(default=0)
    # A success measure: how a re-audit will know the recommendation worked. In words
    # ("children seen alone in at least 80 % of cases"), and as a figure a re-audit can check:
    # the returns answering the key question `success_question` (a key of the audit's tool)
    # with one of `success_options`, as a share of those answering it, reach `success_target` %.
    success_measure = models.TextField("success measure", blank=True)
    success_question = models.CharField("key question", max_length=32, blank=True)
    success_options = models.JSONField("answers that count", default=list, blank=True)
    success_target = models.PositiveSmallIntegerField("target (%)", null=True, blank=True)

    class Meta:
        ordering = ["audit", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class Action(Tracked):
    """Work owned by one agency: from a recommendation, or immediate for an inadequate case."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="immediate_actions"
    )
    immediate = models.BooleanField(default=False)
    # An immediate action recorded from a return's immediate-action flag, already handled,
    # when the meeting confirmed it as the case's (maca.meetings.services.case_ratify).
    flag = models.OneToOneField(
        "returns.Return",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_action",
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.CharField("named owner", max_length=150)
    description = models.TextField()
    due = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    position = models.PositiveIntegerField(default=0)
    # Optimistic locking: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "due", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            # An immediate action belongs to a case; any other to a recommendation.
            models.CheckConstraint(
                condition=(
                    models.Q(immediate=True, case__isnull=False, recommendation__isnull=True)
                    | models.Q(immediate=False, case__isnull=True, recommendation__isnull=False)
                ),
                name="action_has_one_origin",
            ),
            models.CheckConstraint(
                condition=models.Q(flag__isnull=True) | models.Q(immediate=True),
                name="action_flag_is_immediate",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "due"])]

    def __str__(self) -> str:
        return self.description[:80]


class ActionUpdate(Tracked):
    """A dated progress note on an action, with the status it left the action in."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField()
    # What changed as a result: needed to complete an action.
    impact = models.TextField("evidence of impact", blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "at", "id"]

    @property
    def history_audit_id(self) -> int:
        return self.action.audit_id


class Channel(models.TextChoices):
    """Where a report or a briefing went (the dissemination log)."""

    TEAM_MEETING = "team_meeting", "Team meeting"
    NEWSLETTER = "newsletter", "Newsletter"
    TRAINING = "training", "Training"
    EMAIL = "email", "E-mail"
    OTHER = "other", "Other"


class Dissemination(Tracked):
    """Where a published report or learning briefing went, when, and how many people it
    reached (the dissemination log; decision 71): the board, a team meeting, a newsletter,
    training. Exactly one of `edition` and `briefing` names what went."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="disseminations")
    edition = models.ForeignKey(
        "reports.ReportEdition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disseminations",
    )
    briefing = models.ForeignKey(
        "reports.BriefingEdition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disseminations",
    )
    channel = models.CharField(
        "where", max_length=20, choices=Channel.choices, default=Channel.OTHER
    )
    # The words of where it went: "Police response team, North", "the board".
    recipient = models.CharField("where, in words", max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_on = models.DateField()
    # None for rows recorded before the log counted people (decision 71).
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["audit", "sent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(edition__isnull=False, briefing__isnull=True)
                | models.Q(edition__isnull=True, briefing__isnull=False),
                name="dissemination_one_thing",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="dissemination_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ({self.sent_on})"

    @property
    def what(self) -> str:
        if self.briefing is not None:
            return f"Learning briefing, edition {self.briefing.number}"
        return f"Report, edition {self.edition.number}" if self.edition else "Report"

    @property
    def where(self) -> str:
        label = str(self.get_channel_display())
        return f"{label}: {self.recipient}" if self.recipient else label
