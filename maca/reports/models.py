from django.conf import settings
from django.db import models

from maca.audits.models import Audit
from maca.history.tracking import Tracked
from maca.kept import KeptModel
from maca.partnerships.models import Agency, Partnership


class RenditionKind(models.TextChoices):
    MEETING_PACK = "meeting_pack", "Meeting pack (PDF)"
    REPORT_PDF = "report_pdf", "Report (PDF)"
    REPORT_DOCX = "report_docx", "Report (Word)"
    # One agency's feedback pack on a published edition (`Rendition.agency`).
    FEEDBACK_PDF = "feedback_pdf", "Agency feedback pack (PDF)"
    FEEDBACK_DOCX = "feedback_docx", "Agency feedback pack (Word)"


class RenditionStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Rendition(models.Model):
    """A document rendered in the background (a PDF takes seconds): the meeting pack, the
    report. The file is kept in the database, beside the data it was made from, so it falls
    under the same scoping and backups; a newer request replaces an older one."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(max_length=20, choices=RenditionKind.choices)
    status = models.CharField(
        max_length=10, choices=RenditionStatus.choices, default=RenditionStatus.QUEUED
    )
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A published edition's file; none for the current draft.
    edition = models.ForeignKey(
        "ReportEdition", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The agency an agency's feedback pack is for; none for every other document.
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The report's digest when it was made: a draft's file is out of date once it differs.
    digest = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RenditionKind.values), name="rendition_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RenditionStatus.values),
                name="rendition_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.audit} ({self.get_status_display()})"


class SectionKey(models.TextChoices):
    """The report's sections, in the order they are printed."""

    SUMMARY = "summary", "Executive summary"
    INTRODUCTION = "introduction", "Introduction and background"
    METHOD = "method", "How the audit was carried out"
    SCORING = "scoring", "Scoring"
    THEMES = "themes", "Themes"
    GOOD_PRACTICE = "good_practice", "Good practice"
    AREAS_FOR_IMPROVEMENT = "areas_for_improvement", "Areas for improvement"
    IMMEDIATE_ACTIONS = "immediate_actions", "Immediate actions"
    RECOMMENDATIONS = "recommendations", "Recommendations and actions"
    NEXT_STEPS = "next_steps", "Next steps"


class ReportSection(Tracked):
    """The words of one report section as a coordinator edited them. Without a row (or with
    `custom` off) the section's words are generated from the data; its figures always are."""

    #: The most characters a section's words may hold: twice a whole seed report, and a bound
    #: on the work the identifier check does each time they are saved (issue 18).
    WORDS_MAX = 10_000

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="report_sections")
    key = models.CharField(max_length=24, choices=SectionKey.choices)
    custom = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    # The generated words when this edit began: when the data moves on, the page says so.
    based_on = models.TextField(blank=True)
    # Optimistic locking, as for returns: a save names the version it started from.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["audit", "key"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "key"], name="report_section_unique"),
            models.CheckConstraint(
                condition=models.Q(key__in=SectionKey.values), name="report_section_key_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} of {self.audit}"


class ReportChart(models.TextChoices):
    """The report's charts (each with its table), in the order they are printed."""

    OVERALL_GRADES = "overall_grades", "Overall grades"
    GRADES_BY_AREA = "grades_by_area", "Grades by area"
    AGENCY_VS_RATIFIED = "agency_vs_ratified", "Agencies' own grades compared with the meeting's"
    RETURN_RATE = "return_rate", "Single-agency returns submitted"


class Report(Tracked):
    """The report's way to publication: sent for approval by one coordinator, approved by
    another. An approval holds for the words and figures it saw (`approved_digest`): any
    change after it makes the report a draft again."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="report")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_digest = models.CharField(max_length=64, blank=True)
    # The last time a second coordinator sent it back instead of approving it, and why: shown
    # to its authors until they send it for approval again (the history keeps every one).
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_back_at = models.DateTimeField(null=True, blank=True)
    sent_back_reason = models.TextField(blank=True)
    # The charts (with their tables) the coordinators chose to leave out of what goes to the
    # board: every format prints the others. Kept as what is left out, so a chart added later
    # is printed until someone leaves it out.
    charts_left_out = models.JSONField(default=list, blank=True)
    # Who last changed that choice: an author of what the board gets, so not its approver.
    charts_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Report of {self.audit}"


class ReportEdition(KeptModel, Tracked):
    """A published edition: the report exactly as it was published, kept whole so that it
    reads the same for ever, whatever happens to the data afterwards. Never changed, never
    deleted: the model refuses (and so does its audit's deletion, `PROTECT`), and on
    PostgreSQL a trigger too (migration reports/0006, decision 41)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="report_editions")
    number = models.PositiveIntegerField()
    document = models.JSONField()
    digest = models.CharField(max_length=64)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()

    KEPT_AS = "A published edition of a report"

    class Meta:
        ordering = ["audit", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="report_edition_unique"),
        ]

    def __str__(self) -> str:
        return f"Edition {self.number} of the report of {self.audit}"


class NameToCatch(Tracked):
    """A name that must never appear in a published report (a child's, a relative's, a
    street's). Coordinators keep the list; the identifier check reads it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="names_to_catch"
    )
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="name_to_catch_unique"),
        ]

    def __str__(self) -> str:
        return "a name to catch"  # never the name itself: this can reach logs


class NotAName(Tracked):
    """A passage in which the check took words for a person's name, marked by a coordinator as
    not one ("Working Together", a town): in that passage, those words no longer stop the
    report being approved or published. Words and passage are kept exactly as the check found
    them, so a reworded passage is checked afresh."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="not_names")
    words = models.TextField()
    passage = models.TextField()
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audit", "marked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "words", "passage"], name="not_a_name_unique"),
        ]

    def __str__(self) -> str:
        return "a passage marked not a person's name"  # never the words: they can reach logs


# The learning briefing's models live beside the report's (decision 71).
from .models_briefing import Briefing, BriefingEdition, BriefingPart  # noqa: E402, F401
