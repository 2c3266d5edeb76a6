"""Writing, approving and publishing the summary report.

Rules enforced here:
- the words can be edited once the audit reaches reporting (and after, for a new edition);
  a save from an older version is refused (`SectionConflict`), never silently overwritten;
  a section's words hold at most `ReportSection.WORDS_MAX` characters;
- a report is sent for approval by one coordinator and approved by another, who neither sent
  it nor wrote any of its words; the approval holds for exactly what the approver read (its
  digest), so any later change to the words or the figures makes it a draft again; the
  approver may instead send it back, saying why; either way its authors are e-mailed;
- approving and publishing refuse (`IdentifiersFound`, with every passage) while the text
  holds anything that could identify a child, people's names detected included; publishing
  needs the approval to still hold;
- a detected name is waved through only by a coordinator marking that passage as not a
  person's name (`not_a_name_mark`), which the history records;
- a report that makes no recommendations is published only with the reason why
  (`NoRecommendations`), kept in the change history (decision 44);
- a published edition is kept whole and never changed; the next one gets the next number;
  the partnership's board members are e-mailed that it is published, and each involved
  agency's feedback pack is made (`rendering.feedback_packs_request`).
"""

import datetime
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.actions.services import audit_monitor
from maca.audits.models import Audit
from maca.errors import DomainError
from maca.history import tracking
from maca.notices.models import Notice, NoticeKind
from maca.notices.services import notice_send
from maca.partnerships.models import Partnership

from .checking import identifiers_in
from .document import default_words, facts_for, recommendations_in, report_document
from .models import (
    NameToCatch,
    NotAName,
    RenditionKind,
    Report,
    ReportChart,
    ReportEdition,
    ReportSection,
    SectionKey,
)
from .rendering import feedback_packs_request, rendition_request
from .selectors import report_state
from .summary import public_summary

# A reason for sending the report back: what to change, not a second report.
REASON_LONGEST = 2000
# The words can be written once every case has its grade.


class Saved(Protocol):
    """Words saved by someone: a report's or a yearly report's section, a briefing."""

    updated_by: Any
    updated_at: datetime.datetime


def changed_by(current: Saved) -> tuple[str, str]:
    """Who last saved words that someone else's save now conflicts with, and when: ("Sam
    Coordinator", "14:05 on 6 December"). `current` has `updated_by` and `updated_at`."""
    who = current.updated_by.name or current.updated_by.email if current.updated_by else None
    return who or "Someone", timezone.localtime(current.updated_at).strftime("%H:%M on %-d %B")


class SectionConflict(DomainError):
    """The section (of a report or of a yearly report) was saved by someone else since this
    person opened it."""

    def __init__(self, current: Any) -> None:  # the section as saved: its words, its version
        who, when = changed_by(current)
        super().__init__(
            f"{who} changed these words at {when}, after you opened them. "
            "Your words were not saved.",
            field="text",
        )
        self.current = current


class IdentifiersFound(DomainError):
    """The report's text holds what could identify a child: each passage, where it is."""

    def __init__(self, findings: list, *, doing: str = "published"):
        count = len(findings)
        again = "publish" if doing == "published" else "approve"
        super().__init__(
            f"The report cannot be {doing}: {count} "
            f"{'passage holds' if count == 1 else 'passages hold'} what could identify a child. "
            "Change the words (or the theme, recommendation or action they come from), or mark "
            f"a passage as not a person's name where the check is wrong, and {again} again."
        )
        self.findings = findings


class NoRecommendations(DomainError):
    """The report makes no recommendations, and no reason was given for publishing it so."""

    def __init__(self) -> None:
        super().__init__(
            "This report makes no recommendations. Say why it is published without any, or "
            "add recommendations and have the report approved again.",
            field="no_recommendations_reason",
        )


def _writable(audit: Audit) -> None:
    if not audit.allows.write_report:
        raise DomainError(
            "The report is written once the audit reaches reporting: every case needs its "
            f"ratified grade first (the audit is now: {audit.get_status_display().lower()})."
        )


def _section(audit: Audit, key: str) -> ReportSection:
    section, _ = ReportSection.objects.select_for_update().get_or_create(
        audit=audit, key=key, defaults={"partnership_id": audit.partnership_id}
    )
    return section


@transaction.atomic
def section_save(*, audit: Audit, key: str, text: str, version: int, by: User) -> ReportSection:
    """Keep a coordinator's words for a section. `version` is the version they opened (0 for
    generated words); a save from an older one is refused with `SectionConflict`."""
    _writable(audit)
    if key not in SectionKey.values:
        raise DomainError("There is no such section.")
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(
            "Enter the words of this section, or go back to the generated words.", field="text"
        )
    if len(text) > ReportSection.WORDS_MAX:
        raise DomainError(words_too_long(len(text)), field="text")
    section = _section(audit, key)
    if section.version != version:
        raise SectionConflict(section)
    if section.custom and section.text == text:
        return section
    section.based_on = default_words(audit, facts_for(audit))[key]
    section.custom, section.text = True, text
    section.version += 1
    section.updated_by = by
    with tracking.actor(by, via="web"):
        section.save()
    return section


@transaction.atomic
def section_reset(*, audit: Audit, key: str, version: int, by: User) -> ReportSection:
    """Go back to the generated words (the edited ones stay in the history)."""
    _writable(audit)
    section = _section(audit, key)
    if section.version != version:
        raise SectionConflict(section)
    if not section.custom:
        return section
    section.custom, section.text, section.based_on = False, "", ""
    section.version += 1
    section.updated_by = by
    with tracking.actor(by, reason="Back to the generated words", via="web"):
        section.save()
    return section


def words_too_long(length: int) -> str:
    return (
        f"The words of a section can be at most {ReportSection.WORDS_MAX:,} characters; these "
        f"are {length:,}. Shorten them, or move some to another section."
    )


def _report(audit: Audit) -> Report:
    report, _ = Report.objects.select_for_update().get_or_create(
        audit=audit, defaults={"partnership_id": audit.partnership_id}
    )
    return report


@transaction.atomic
def report_send(*, audit: Audit, by: User) -> Report:
    """Send the report to the other coordinators for approval (they are e-mailed)."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _writable(audit)
    report = _report(audit)
    report.sent_by, report.sent_at = by, timezone.now()
    report.sent_back_by, report.sent_back_at, report.sent_back_reason = None, None, ""
    with tracking.actor(by, via="web"):
        report.save()
        notice_send(kind=NoticeKind.REPORT_FOR_APPROVAL, audit=audit, agency=None, by=by)
    return report


@transaction.atomic
def report_charts_choose(*, audit: Audit, charts: list[str], was: list[str], by: User) -> Report:
    """Choose which charts (each with its table) go to the board: every format of the report
    prints those and leaves the others out. `was` is the choice the coordinator saw; when
    someone changed it since, the save is refused rather than undo theirs."""
    _writable(audit)
    unknown = [key for key in charts if key not in ReportChart.values]
    if unknown:
        raise DomainError("Choose from the report's charts.", field="charts")
    report = _report(audit)
    shown = [key for key in ReportChart.values if key not in report.charts_left_out]
    if sorted(shown) != sorted(was):
        raise DomainError(
            "Someone changed which charts go to the board after you opened the report. "
            "Your choice was not saved: look again at the choice as it is now.",
            field="charts",
        )
    left_out = [key for key in ReportChart.values if key not in charts]
    if left_out != report.charts_left_out:
        report.charts_left_out, report.charts_chosen_by = left_out, by
        with tracking.actor(by, via="web"):
            report.save()
    return report


def authors_of(audit: Audit) -> set[int]:
    """Who wrote the report: whoever sent it for approval, whoever wrote its words and whoever
    last chose which charts go to the board."""
    authors = set(
        ReportSection.objects.filter(audit=audit, custom=True)
        .exclude(updated_by=None)
        .values_list("updated_by_id", flat=True)
    )
    report = Report.objects.filter(audit=audit).first()
    if report:
        authors |= {pk for pk in (report.sent_by_id, report.charts_chosen_by_id) if pk}
    return authors


@transaction.atomic
def report_approve(*, audit: Audit, digest: str, by: User) -> Report:
    """Approve the report as the approver read it (`digest`). Refused to its authors, before
    it was sent for approval, and when it changed while they read it."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _writable(audit)
    report = _report(audit)
    if not report.sent_by_id:
        raise DomainError("The report has not been sent for approval yet.")
    if by.pk in authors_of(audit):
        raise DomainError(
            "You wrote or sent this report, so you cannot approve it: a second coordinator "
            "must approve it."
        )
    document = _unchanged(audit, digest)
    if report.approved_digest == digest:
        return report  # approved as it reads already: nothing changes, nobody is told twice
    if findings := identifiers_in(audit, document):
        raise IdentifiersFound(findings, doing="approved")
    report.approved_by, report.approved_at, report.approved_digest = by, timezone.now(), digest
    with tracking.actor(by, via="web"):
        report.save()
    audit_monitor(audit=audit, by=by)
    _tell_authors(audit, NoticeKind.REPORT_APPROVED, by)
    return report


def _tell_authors(audit: Audit, kind: str, by: User) -> list[Notice]:
    """One notice to each of the report's authors (whoever sent it, whoever wrote its words)
    but the coordinator who decided."""
    authors = User.objects.filter(pk__in=authors_of(audit) - {by.pk}).order_by("pk")
    return [
        notice_send(kind=kind, audit=audit, agency=None, person=author, by=by) for author in authors
    ]


@transaction.atomic
def report_send_back(*, audit: Audit, reason: str, by: User) -> list[Notice]:
    """Send the report back to its authors instead of approving it, saying why (the reason is
    kept in the change history; the e-mail only asks them to read it). The report is a draft
    again, to be changed and sent for approval anew. Refused to its authors, and unless it is
    waiting for approval. Returns the notices written, one per author."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _writable(audit)
    report = _report(audit)
    if not report.sent_by_id:
        raise DomainError(
            "The report is not waiting for approval, so there is nothing to send back."
        )
    if by.pk in authors_of(audit):
        raise DomainError(
            "You wrote or sent this report: a second coordinator decides whether to approve it "
            "or send it back."
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say what needs changing before it can be approved", field="reason")
    if len(reason) > REASON_LONGEST:
        raise DomainError(
            f"Keep the reason to {REASON_LONGEST} characters or fewer", field="reason"
        )
    notices = _tell_authors(audit, NoticeKind.REPORT_SENT_BACK, by)
    report.sent_by = report.sent_at = None
    report.approved_by, report.approved_at, report.approved_digest = None, None, ""
    report.sent_back_by, report.sent_back_at, report.sent_back_reason = by, timezone.now(), reason
    with tracking.actor(by, reason=reason, via="web"):
        report.save()
    return notices


def _unchanged(audit: Audit, digest: str) -> dict:
    document = report_document(audit)
    if report_state(audit, document).digest != digest:
        raise DomainError(
            "The report changed while you were reading it (its words or its figures). Read it "
            "again before you go on."
        )
    return document


@transaction.atomic
def report_publish(
    *,
    audit: Audit,
    digest: str,
    by: User,
    no_recommendations_reason: str = "",
    feedback_packs: bool = True,
) -> ReportEdition:
    """Publish the approved report as its next edition. A report that makes no recommendations
    needs `no_recommendations_reason`: nothing would be followed from it, so publishing it so is
    a decision someone takes and explains, recorded as the publication's reason in the change
    history. With `feedback_packs=False` the agencies' packs are left to be made when a
    coordinator asks ("Make the packs again"): `maca load_demo --without-feedback-packs`."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _writable(audit)
    report = _report(audit)
    document = _unchanged(audit, digest)
    state = report_state(audit, document)
    if state.published:
        raise DomainError(
            f"This report is already published, as edition {state.published_edition.number}."
        )
    if not state.approved:
        raise DomainError(
            "The report needs approving by a second coordinator before it is published"
            + (" (it changed after it was approved)." if report.approved_digest else ".")
        )
    if findings := identifiers_in(audit, document):
        raise IdentifiersFound(findings)
    reason = ""
    if not recommendations_in(document):
        if not (reason := no_recommendations_reason.strip()):
            raise NoRecommendations
        reason = f"Published without recommendations: {reason}"
    number = state.next_number
    with tracking.actor(by, reason=reason, via="web"):
        edition = ReportEdition.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            number=number,
            # Published to the board and beyond: without the answers' raw counts.
            document={**document, "summary": public_summary(document["summary"])},
            digest=digest,
            approved_by=report.approved_by,
            approved_at=report.approved_at,
            published_by=by,
            published_at=timezone.now(),
        )
        # The next edition goes through sending and approval again.
        report.sent_by = report.sent_at = None
        report.save()
    # Its files are made at once, so the board can download them.
    for kind in (RenditionKind.REPORT_PDF, RenditionKind.REPORT_DOCX):
        rendition_request(audit=audit, kind=kind, by=by, edition=edition)
    # And each involved agency's own feedback pack, its people e-mailed once it is made.
    if feedback_packs:
        feedback_packs_request(audit=audit, edition=edition, by=by)
    notice_send(kind=NoticeKind.REPORT_PUBLISHED, audit=audit, agency=None, by=by)
    return edition


@transaction.atomic
def not_a_name_mark(*, audit: Audit, words: str, passage: str, by: User) -> NotAName:
    """Mark words the check took for a person's name, in one passage of the report as it
    stands, as not a person's name. Refused unless the check finds exactly those words there
    now as a detected name: a name to catch or any other identifier cannot be marked."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _writable(audit)
    found = {
        (placed.finding.text, placed.finding.passage)
        for placed in identifiers_in(audit, report_document(audit))
        if placed.markable
    }
    if (words, passage) not in found:
        raise DomainError(
            "That passage no longer holds those words as a possible name: the report may have "
            "changed. Read it again.",
            field="words",
        )
    with tracking.actor(by, reason="Marked not a person's name", via="web"):
        return NotAName.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            words=words,
            passage=passage,
            marked_by=by,
        )


@transaction.atomic
def names_to_catch_set(*, partnership: Partnership, names: list[str], by: User) -> list[str]:
    """Replace the partnership's list of names to catch. Blank lines and repeats are dropped;
    a name longer than 150 characters is refused."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if len(name) > 150:
            raise DomainError(
                "A name can be at most 150 characters long; put one name on each line.",
                field="names",
            )
        if name:
            wanted.setdefault(name.casefold(), name)
    current = {n.name.casefold(): n for n in NameToCatch.objects.filter(partnership=partnership)}
    with tracking.actor(by, via="web"):
        for key, row in current.items():
            if key not in wanted:
                row.delete()
        for key, name in wanted.items():
            if key not in current:
                NameToCatch.objects.create(partnership=partnership, name=name)
    return sorted(wanted.values(), key=str.casefold)
