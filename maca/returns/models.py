from django.db import models

from maca.audits.models import Request
from maca.grades import Grade, grade_check
from maca.history.tracking import Tracked
from maca.partnerships.models import Partnership


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
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

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
