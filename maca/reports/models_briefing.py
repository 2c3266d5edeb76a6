"""The learning briefing: one page for front-line staff, drafted from a published report
(the "7-minute briefing" partnerships use), edited by a coordinator, published as editions
that are never changed (as the report's, decision 71)."""

from django.conf import settings
from django.db import models

from maca.audits.models import Audit
from maca.history.tracking import Tracked
from maca.kept import KeptModel
from maca.partnerships.models import Partnership


class BriefingPart(models.TextChoices):
    """The seven parts of a 7-minute briefing, in the order they are printed."""

    BACKGROUND = "background", "Background"
    WHY_IT_MATTERS = "why_it_matters", "Why it matters"
    WHAT_WE_FOUND = "what_we_found", "What we found"
    WHAT_GOOD_LOOKS_LIKE = "what_good_looks_like", "What good looks like"
    WHAT_TO_DO = "what_to_do", "What to do"
    QUESTIONS = "questions", "Questions for your team"
    FURTHER_READING = "further_reading", "Further reading"


class Briefing(Tracked):
    """The briefing's words as they stand (the draft of its next edition): one per audit,
    drafted from a published edition of the report, then edited. A save names the version it
    started from (optimistic locking, as the report's sections)."""

    #: The most characters one part may hold: a part is a few lines of a one-page briefing.
    PART_MAX = 2_000

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="briefing")
    drafted_from = models.ForeignKey(
        "reports.ReportEdition", on_delete=models.PROTECT, related_name="+"
    )
    background = models.TextField(blank=True)
    why_it_matters = models.TextField(blank=True)
    what_we_found = models.TextField(blank=True)
    what_good_looks_like = models.TextField(blank=True)
    what_to_do = models.TextField(blank=True)
    questions = models.TextField(blank=True)
    further_reading = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Learning briefing of {self.audit}"

    def parts(self) -> dict[str, str]:
        return {part.value: getattr(self, part.value) for part in BriefingPart}


class BriefingEdition(KeptModel, Tracked):
    """A published briefing, kept whole (`document`), so every format reads the same for ever;
    never changed, never deleted (as `ReportEdition`). A change is a new edition."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="briefing_editions")
    number = models.PositiveIntegerField()
    report_edition = models.ForeignKey(
        "reports.ReportEdition", on_delete=models.PROTECT, related_name="briefing_editions"
    )
    document = models.JSONField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()

    KEPT_AS = "A published edition of a learning briefing"

    class Meta:
        ordering = ["audit", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="briefing_edition_unique"),
        ]

    def __str__(self) -> str:
        return f"Edition {self.number} of the learning briefing of {self.audit}"
