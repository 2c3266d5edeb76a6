"""Writing, approving and publishing the yearly assurance report (decision 72).

Rules enforced here:
- a period ends after it starts, and overlaps no other yearly report of the partnership
  (`PeriodRefused`, naming the field): one report per period, each day in at most one;
- the words of a section are saved from the version their writer opened, or refused
  (`SectionConflict`); at most `YearlySection.WORDS_MAX` characters;
- sent for approval by one coordinator, approved by another who neither sent it nor wrote any
  of its words, for exactly the document they read (its digest); any later change to the words
  or the figures makes it a draft again;
- approving and publishing refuse while its text holds anything that could identify a child
  (`IdentifiersFound`); a published edition keeps the document whole, never changed.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from maca import access
from maca.accounts.models import User
from maca.errors import DomainError
from maca.history import tracking
from maca.partnerships.models import Partnership
from maca.reports.services import SectionConflict  # the same refusal as a report section's

from .checking import identifiers_in
from .document import default_words, yearly_document
from .models import YearlyEdition, YearlyReport, YearlySection, YearlySectionKey
from .selectors import yearly_state


class IdentifiersFound(DomainError):
    def __init__(self, findings: list, *, doing: str = "published"):
        count = len(findings)
        super().__init__(
            f"The yearly report cannot be {doing}: {count} "
            f"{'passage holds' if count == 1 else 'passages hold'} what could identify a child "
            "or a person. Change the words and try again."
        )
        self.findings = findings


def _viewer(by: User, partnership: Partnership) -> access.Viewer:
    viewer = access.viewer_as(by, partnership)
    if not access.may_coordinate(viewer):
        raise DomainError("Only the partnership's coordinators write its yearly reports.")
    return viewer


@transaction.atomic
def yearly_report_create(
    *, partnership: Partnership, start: datetime.date, end: datetime.date, by: User
) -> YearlyReport:
    """A yearly report of the period from `start` to `end` (both included). Refused when it ends
    on or before it starts, or overlaps another yearly report of the partnership."""
    _viewer(by, partnership)
    if end <= start:
        raise DomainError("The end of the period must be after its start", field="end")
    # Partnership's reports locked while the overlap is checked: two at once cannot both pass.
    list(Partnership.objects.select_for_update().filter(pk=partnership.pk))
    other = (
        YearlyReport.objects.filter(partnership=partnership, start__lte=end, end__gte=start)
        .order_by("start")
        .first()
    )
    if other is not None:
        raise DomainError(
            f"This period overlaps the yearly report of {other.title}: choose a period that "
            "starts after it ends, or open that report",
            field="start",
        )
    with tracking.actor(by, via="web"):
        return YearlyReport.objects.create(
            partnership=partnership, start=start, end=end, created_by=by
        )


def _section(report: YearlyReport, key: str) -> YearlySection:
    section, _ = YearlySection.objects.select_for_update().get_or_create(
        report=report, key=key, defaults={"partnership_id": report.partnership_id}
    )
    return section


@transaction.atomic
def yearly_section_save(
    *, report: YearlyReport, key: str, text: str, version: int, by: User
) -> YearlySection:
    """Keep a coordinator's words for a section; `version` is the one they opened (0 for
    generated words): a save from an older one is refused with `SectionConflict`."""
    _viewer(by, report.partnership)
    if key not in YearlySectionKey.values:
        raise DomainError("There is no such section.")
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(
            "Enter the words of this section, or go back to the generated words.", field="text"
        )
    if len(text) > YearlySection.WORDS_MAX:
        raise DomainError(
            f"The words of a section can be at most {YearlySection.WORDS_MAX:,} characters; "
            f"these are {len(text):,}.",
            field="text",
        )
    section = _section(report, key)
    if section.version != version:
        raise SectionConflict(section)
    if section.custom and section.text == text:
        return section
    section.based_on = default_words(report)[key]
    section.custom, section.text = True, text
    section.version += 1
    section.updated_by = by
    with tracking.actor(by, via="web"):
        section.save()
    return section


@transaction.atomic
def yearly_section_reset(
    *, report: YearlyReport, key: str, version: int, by: User
) -> YearlySection:
    """Go back to the generated words (the edited ones stay in the history)."""
    _viewer(by, report.partnership)
    section = _section(report, key)
    if section.version != version:
        raise SectionConflict(section)
    if section.custom:
        section.custom, section.text, section.based_on = False, "", ""
        section.version += 1
        section.updated_by = by
        with tracking.actor(by, reason="Back to the generated words", via="web"):
            section.save()
    return section


def _locked(report: YearlyReport) -> YearlyReport:
    return YearlyReport.objects.select_for_update().select_related("partnership").get(pk=report.pk)


def authors_of(report: YearlyReport) -> set[int]:
    """Whoever sent it for approval and whoever wrote its words."""
    authors = set(
        YearlySection.objects.filter(report=report, custom=True)
        .exclude(updated_by=None)
        .values_list("updated_by_id", flat=True)
    )
    return authors | ({report.sent_by_id} if report.sent_by_id else set())


@transaction.atomic
def yearly_report_send(*, report: YearlyReport, by: User) -> YearlyReport:
    """Send the report to the other coordinators for approval."""
    report = _locked(report)
    _viewer(by, report.partnership)
    report.sent_by, report.sent_at = by, timezone.now()
    with tracking.actor(by, via="web"):
        report.save()
    return report


def _unchanged(report: YearlyReport, viewer: access.Viewer, digest: str) -> dict:
    document = yearly_document(report, viewer)
    if yearly_state(report, document).digest != digest:
        raise DomainError(
            "The yearly report changed while you were reading it (its words or its figures). "
            "Read it again before you go on."
        )
    return document


@transaction.atomic
def yearly_report_approve(*, report: YearlyReport, digest: str, by: User) -> YearlyReport:
    """Approve the report as the approver read it (`digest`): refused to its authors, before it
    was sent, when it changed meanwhile, and while it holds an identifier."""
    report = _locked(report)
    viewer = _viewer(by, report.partnership)
    if not report.sent_by_id:
        raise DomainError("The yearly report has not been sent for approval yet.")
    if by.pk in authors_of(report):
        raise DomainError(
            "You wrote or sent this yearly report, so you cannot approve it: a second "
            "coordinator must approve it."
        )
    document = _unchanged(report, viewer, digest)
    if report.approved_digest == digest:
        return report
    if findings := identifiers_in(report, document, viewer):
        raise IdentifiersFound(findings, doing="approved")
    report.approved_by, report.approved_at, report.approved_digest = by, timezone.now(), digest
    with tracking.actor(by, via="web"):
        report.save()
    return report


@transaction.atomic
def yearly_report_publish(*, report: YearlyReport, digest: str, by: User) -> YearlyEdition:
    """Publish the approved report as its next edition, kept whole."""
    report = _locked(report)
    viewer = _viewer(by, report.partnership)
    document = _unchanged(report, viewer, digest)
    state = yearly_state(report, document)
    if state.published:
        raise DomainError(f"This yearly report is already published, as edition {state.number}.")
    if not state.approved:
        raise DomainError(
            "The yearly report needs approving by a second coordinator before it is published"
            + (" (it changed after it was approved)." if report.approved_digest else ".")
        )
    if findings := identifiers_in(report, document, viewer):
        raise IdentifiersFound(findings)
    with tracking.actor(by, via="web"):
        edition = YearlyEdition.objects.create(
            partnership_id=report.partnership_id,
            report=report,
            number=state.next_number,
            document=document,
            digest=digest,
            approved_by=report.approved_by,
            approved_at=report.approved_at,
            published_by=by,
            published_at=timezone.now(),
        )
        report.sent_by = report.sent_at = None
        report.save()
    return edition
