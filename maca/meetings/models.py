from django.conf import settings
from django.db import models

from maca.audits.models import Audit, Case
from maca.grades import Grade, grade_check
from maca.history.tracking import Tracked
from maca.partnerships.models import Agency, LibraryTheme, Partnership


class Meeting(Tracked):
    """A multi-agency audit meeting, where auditors consider cases whole."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["audit", "held_on", "id"]

    def __str__(self) -> str:
        return f"Meeting on {self.held_on:%d %B %Y}"


class Attendee(Tracked):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=150)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["meeting", "name"]

    @property
    def history_audit_id(self) -> int:
        return self.meeting.audit_id


class Ratification(Tracked):
    """The meeting's overall judgement of a case: a grade, or not scored with a reason."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="ratification")
    grade = models.CharField(max_length=24, choices=Grade.choices)
    # What the system proposed from the agency grades; a different grade needs a reason.
    proposed_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    reason = models.TextField(blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True)
    ratified_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [*grade_check("grade", "reason", "ratification")]

    @property
    def history_audit_id(self) -> int:
        return self.case.audit_id


class ThemeKind(models.TextChoices):
    """What a theme says of practice: done well across the cases, or to improve (decision 68).
    The report says which."""

    CONCERN = "concern", "An area for improvement"
    STRENGTH = "strength", "A strength"


class AuditTheme(Tracked):
    """A finding that emerges across the cases of one audit: a strength or a concern."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=ThemeKind.choices, default=ThemeKind.CONCERN)
    library_theme = models.ForeignKey(
        LibraryTheme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_themes",
    )
    cases = models.ManyToManyField(Case, related_name="themes", blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["audit", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "title"], name="audit_theme_title_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ThemeKind.values), name="audit_theme_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_strength(self) -> bool:
        return self.kind == ThemeKind.STRENGTH


class PointKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", "Good practice"
    CONCERN = "concern", "Concern"
    NOTE = "note", "Note"


class CasePoint(Tracked):
    """A notable point recorded for a case at the meeting: good practice, a concern or a note."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(max_length=20, choices=PointKind.choices)
    text = models.TextField()
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PointKind.values), name="case_point_kind_valid"
            ),
        ]

    @property
    def history_audit_id(self) -> int:
        return self.case.audit_id
