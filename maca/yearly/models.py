"""The yearly assurance report: what a partnership's audits found over a period, what was done
about it, and what changed (issue 23, decision 72).

One `YearlyReport` per period of a partnership (periods never overlap); its words, section by
section, as the coordinators edited them (`YearlySection`, optimistic locking as for the audit
report's `ReportSection`); its way to publication (sent, approved by another coordinator) and
its published editions (`YearlyEdition`, kept whole and never changed, like `ReportEdition`).
The figures are never stored: `document.yearly_document` computes them from the data.
"""

from django.conf import settings
from django.db import models

from maca.history.tracking import Tracked
from maca.kept import KeptModel
from maca.partnerships.models import Partnership


class YearlySectionKey(models.TextChoices):
    """The yearly report's sections, in the order they are printed."""

    SUMMARY = "summary", "Summary"
    AUDITS = "audits", "The audits held"
    GRADES = "grades", "Cases and grades over time"
    RETURNS = "returns", "Return rates by agency"
    THEMES = "themes", "Themes and whether they recur"
    ACTIONS = "actions", "Recommendations and actions"
    REAUDITS = "reaudits", "Re-audit results"
    DISSEMINATION = "dissemination", "Sharing the learning"
    CHANGES = "changes", "What changed"


class YearlyReport(Tracked):
    """The yearly assurance report of one period (`start` to `end`, both days included) and its
    way to publication, as the audit report's `Report`: sent for approval by one coordinator,
    approved by another for exactly what they read (`approved_digest`)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="yearly_report_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Yearly assurance report, {self.title}"

    @property
    def title(self) -> str:
        """ "1 April 2025 to 31 March 2026" """
        return f"{_long(self.start)} to {_long(self.end)}"


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


class YearlySection(Tracked):
    """The words of one section as a coordinator edited them; without a row (or with `custom`
    off) they are generated. A save names the version it started from."""

    WORDS_MAX = 10_000  # as the audit report's sections

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(YearlyReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=24, choices=YearlySectionKey.choices)
    custom = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    based_on = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report", "key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="yearly_section_unique"),
            models.CheckConstraint(
                condition=models.Q(key__in=YearlySectionKey.values), name="yearly_section_key_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} of {self.report}"


class YearlyEdition(KeptModel, Tracked):
    """A published edition: the document exactly as published (words, protected figures), so
    it reads the same for ever. Never changed or deleted: the model refuses, and on PostgreSQL
    a trigger too (as `ReportEdition`, decision 41)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(YearlyReport, on_delete=models.PROTECT, related_name="editions")
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

    KEPT_AS = "A published edition of a yearly report"

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="yearly_edition_unique"),
        ]

    def __str__(self) -> str:
        return f"Edition {self.number} of the {self.report}"
