from django.conf import settings
from django.db import models

from maca.audits.models import Audit
from maca.partnerships.models import Partnership


class RenditionKind(models.TextChoices):
    MEETING_PACK = "meeting_pack", "Meeting pack (PDF)"
    REPORT_PDF = "report_pdf", "Report (PDF)"
    REPORT_DOCX = "report_docx", "Report (Word)"


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
