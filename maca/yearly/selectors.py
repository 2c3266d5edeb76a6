"""Where a yearly report stands on its way to publication, and what its files say they are."""

from dataclasses import dataclass

from django.utils import timezone

from maca.reports.document import Edition, approved_edition, draft_edition, published_edition

from .document import document_digest
from .models import YearlyEdition, YearlyReport


@dataclass(frozen=True)
class YearlyState:
    digest: str  # of the report as it stands
    edition: YearlyEdition | None  # the latest published edition
    approved: bool  # the approval holds for the report as it stands
    published: bool  # the report as it stands is the latest edition
    sent: bool

    @property
    def number(self) -> int | None:
        return self.edition.number if self.edition else None

    @property
    def next_number(self) -> int:
        return self.edition.number + 1 if self.edition else 1

    @property
    def label(self) -> str:
        if self.published:
            return f"Published: edition {self.number}"
        if self.approved:
            return "Approved, not yet published"
        return "Waiting for approval" if self.sent else "Draft"


def yearly_state(report: YearlyReport, document: dict) -> YearlyState:
    digest = document_digest(document)
    edition = report.editions.defer("document").order_by("-number").first()
    return YearlyState(
        digest=digest,
        edition=edition,
        approved=bool(report.approved_digest) and report.approved_digest == digest,
        published=edition is not None and edition.digest == digest,
        sent=bool(report.sent_by_id),
    )


def edition_of(state: YearlyState) -> Edition:
    """What a file of the report as it stands says it is: a draft carries DRAFT and
    OFFICIAL-SENSITIVE; a published edition OFFICIAL."""
    if state.published and state.edition is not None:
        return edition_published(state.edition)
    if state.approved:
        return approved_edition(timezone.localdate())
    return draft_edition(timezone.localdate())


def edition_published(edition: YearlyEdition) -> Edition:
    return published_edition(edition.number, timezone.localdate(edition.published_at))
