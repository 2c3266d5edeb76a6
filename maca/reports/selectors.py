"""Reading the report's state: where it is on its way to publication."""

from dataclasses import dataclass

from django.utils import timezone

from maca.audits.models import Audit

from .document import (
    Edition,
    approved_edition,
    document_digest,
    draft_edition,
    published_edition,
)
from .models import Report, ReportEdition


@dataclass(frozen=True)
class ReportState:
    digest: str  # of the report as it stands
    report: Report | None  # who sent it, who approved what
    edition: ReportEdition | None  # the latest published edition
    approved: bool  # the approval holds for the report as it stands
    published: bool  # the report as it stands is the latest edition

    @property
    def published_edition(self) -> ReportEdition:
        """The edition the report as it stands is: only when `published`."""
        assert self.published and self.edition is not None
        return self.edition

    @property
    def label(self) -> str:
        if self.published:
            return f"Published: edition {self.published_edition.number}"
        if self.approved:
            return "Approved, not yet published"
        if self.report and self.report.sent_by_id:
            return "Waiting for approval"
        return "Draft"

    @property
    def next_number(self) -> int:
        return self.edition.number + 1 if self.edition else 1

    @property
    def changed_since_approval(self) -> bool:
        return bool(self.report and self.report.approved_digest and not self.approved)


def report_state(audit: Audit, document: dict) -> ReportState:
    digest = document_digest(document)
    report = (
        Report.objects.filter(audit=audit)
        .select_related("sent_by", "approved_by", "sent_back_by")
        .first()
    )
    edition = (
        ReportEdition.objects.filter(audit=audit)
        .defer("document")
        .select_related("published_by", "approved_by")
        .order_by("-number")
        .first()
    )
    published = edition is not None and edition.digest == digest
    approved = bool(report and report.approved_digest == digest)
    return ReportState(digest, report, edition, approved, published)


def edition_of(state: ReportState) -> Edition:
    """What a file of the report as it stands says it is."""
    if state.published:
        return edition_published(state.published_edition)
    if state.approved:
        return approved_edition(timezone.localdate())
    return draft_edition(timezone.localdate())


def edition_published(edition: ReportEdition) -> Edition:
    return published_edition(edition.number, timezone.localdate(edition.published_at))
