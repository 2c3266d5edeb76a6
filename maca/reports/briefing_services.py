"""The learning briefing's writes (decision 71).

Rules enforced here:
- a briefing is drafted only from a published edition of the report (a draft report may still
  hold what the identifier check would stop);
- a save names the version it started from; an older one is refused (`BriefingConflict`), with
  what the other person saved; each part holds at most `Briefing.PART_MAX` characters;
- publishing needs words in every part and nothing the identifier check finds
  (`BriefingIdentifiersFound`, every passage named); it adds the next edition, which is never
  changed: changing a published briefing is editing the words and publishing again.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.errors import DomainError
from maca.history import tracking

from .briefing import (
    briefing_document,
    briefing_identifiers,
    draft_of,
    draft_parts,
    empty_parts,
    latest_report_edition,
)
from .models import BriefingEdition, BriefingPart
from .models_briefing import Briefing
from .services import changed_by


class BriefingConflict(DomainError):
    """The briefing was saved by someone else since this person opened it."""

    def __init__(self, current: Briefing):
        who, when = changed_by(current)
        super().__init__(
            f"{who} changed the briefing at {when}, after you opened it. Your "
            "words were not saved: they are still in the boxes below, and the briefing as it "
            "is now is shown above them.",
        )
        self.current = current


class BriefingIdentifiersFound(DomainError):
    """The briefing's words hold what could identify a child: each passage, where it is."""

    def __init__(self, findings: list):
        count = len(findings)
        super().__init__(
            f"The briefing cannot be published: {count} "
            f"{'passage holds' if count == 1 else 'passages hold'} what could identify a child. "
            "Change the words of the parts named below, and publish again."
        )
        self.findings = findings


def _no_report(audit: Audit) -> DomainError:
    return DomainError(
        "A learning briefing is drafted from the published report: publish the audit's report "
        "first."
    )


@transaction.atomic
def briefing_draft(*, audit: Audit, by: User, version: int | None = None) -> Briefing:
    """Draft the briefing's words from the latest published edition of the report. Drafting
    again (naming the version read) replaces the words with a fresh draft."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    edition = latest_report_edition(audit)
    if edition is None:
        raise _no_report(audit)
    briefing = draft_of(audit)
    if briefing is not None:
        if version is None:
            raise DomainError("The briefing is already drafted: edit its words.")
        if briefing.version != version:
            raise BriefingConflict(briefing)
    else:
        briefing = Briefing(partnership_id=audit.partnership_id, audit=audit)
    for key, text in draft_parts(edition).items():
        setattr(briefing, key, text)
    briefing.drafted_from = edition
    briefing.version += 1
    briefing.updated_by = by
    with tracking.actor(by, reason=f"Drafted from edition {edition.number} of the report"):
        briefing.save()
    return briefing


@transaction.atomic
def briefing_save(*, audit: Audit, parts: dict[str, str], version: int, by: User) -> Briefing:
    """Save the seven parts' words, if nobody saved since `version`."""
    briefing = Briefing.objects.select_for_update().filter(audit=audit).first()
    if briefing is None:
        raise DomainError("Draft the briefing from the published report first.")
    if briefing.version != version:
        raise BriefingConflict(briefing)
    for part in BriefingPart:
        text = parts.get(part.value, "").replace("\r\n", "\n").strip()
        if len(text) > Briefing.PART_MAX:
            raise DomainError(
                f"{part.label} holds {len(text):,} characters: a part of a one-page briefing "
                f"can hold at most {Briefing.PART_MAX:,}.",
                field=part.value,
            )
        setattr(briefing, part.value, text)
    briefing.version += 1
    briefing.updated_by = by
    with tracking.actor(by, via="web"):
        briefing.save()
    return briefing


@transaction.atomic
def briefing_publish(*, audit: Audit, version: int, by: User) -> BriefingEdition:
    """Publish the briefing's words as they were read (`version`) as its next edition, once
    every part has words and the identifier check finds nothing."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    briefing = draft_of(audit)
    if briefing is None:
        raise DomainError("Draft the briefing from the published report first.")
    if briefing.version != version:
        raise DomainError(
            "The briefing changed while you were reading it. Read it again before you publish."
        )
    document = briefing_document(briefing)
    if empty := empty_parts(document):
        raise DomainError(
            f"Every part of the briefing needs words: {', '.join(empty)} "
            f"{'is' if len(empty) == 1 else 'are'} empty."
        )
    if findings := briefing_identifiers(audit, document):
        raise BriefingIdentifiersFound(findings)
    number = (
        BriefingEdition.objects.filter(audit=audit).aggregate(last=Max("number"))["last"] or 0
    ) + 1
    now = timezone.now()
    document = briefing_document(briefing, number=number, day=timezone.localdate(now))
    with tracking.actor(by, via="web"):
        return BriefingEdition.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            number=number,
            report_edition_id=briefing.drafted_from_id,
            document=document,
            published_by=by,
            published_at=now,
        )
