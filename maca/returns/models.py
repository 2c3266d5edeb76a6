from django.conf import settings
from django.db import models

from maca.audits.models import Request
from maca.grades import Grade, grade_check
from maca.history.tracking import Tracked
from maca.partnerships.models import Partnership


def _person(related_name: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


class Return(Tracked):
    """One agency's single-agency audit of one case: its answers and its own grade."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="agency_return")
    answers = models.JSONField(default=dict, blank=True)
    # Empty until the agency grades its involvement.
    grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    grade_reason = models.TextField("reason for not scoring", blank=True)
    good_practice = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)
    learning = models.TextField("single-agency learning", blank=True)
    immediate_action = models.BooleanField("immediate action required", default=False)
    immediate_action_description = models.TextField(blank=True)
    # Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    updated_by = _person("+")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = _person("+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Sign-off, where the agency wants its lead to approve returns before submission.
    sign_off_requested_by = _person("+")
    sign_off_requested_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = _person("+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # Returned for clarification: the coordinator's comment, shown to the agency.
    clarification = models.TextField("why it was returned", blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    # Immediate action: escalated once, then flagged to the coordinator until handled.
    immediate_action_escalated_at = models.DateTimeField(null=True, blank=True)
    immediate_action_handled_by = _person("+")
    immediate_action_handled_at = models.DateTimeField(null=True, blank=True)
    immediate_action_handling = models.TextField("what was done", blank=True)

    class Meta:
        constraints = [
            *grade_check("grade", "grade_reason", "return", allow_blank=True),
            models.CheckConstraint(
                condition=models.Q(immediate_action=False)
                | ~models.Q(immediate_action_description=""),
                name="return_immediate_action_described",
            ),
        ]

    def __str__(self) -> str:
        return f"Return: {self.request}"

    @property
    def history_audit_id(self) -> int:
        return self.request.audit_id

    @property
    def flagged_at(self):
        """When immediate action was flagged: when it was escalated; for a flag that came in a
        bundle (never escalated here), when the return was submitted, else last saved."""
        return self.immediate_action_escalated_at or self.submitted_at or self.updated_at
