"""Retention: a closed audit's case-level text is removed when its partnership's period ends.

The period (`Partnership.retention_years`, 6 by default) runs from the day the audit closed;
the text goes the day after the period ends, unless the audit is on legal hold. What goes is
the case-level text (`maca.history.redaction.CASE_TEXT`): in the live rows, where the removal
notice takes its place, and in the change history, whose records are redacted the same way.
Grades, yes/no answers, statuses, dates, cases and their areas, themes, recommendations and
the published editions of the report with their files stay, so every figure stays as it was.
Unpublished files (the meeting pack, a draft report's files) and each agency's feedback pack
(case-level text, though made on a published edition) are deleted: they are made again
from the data on request. The purge is one transaction per audit, recorded as a change of the
audit by nobody, via "retention" (decision 32).
"""

import datetime
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.answers import COUNTABLE
from maca.audits.lifecycle import stages_allowing
from maca.audits.models import Audit
from maca.errors import DomainError
from maca.history import tracking
from maca.history.models import ChangeRecord
from maca.history.redaction import (
    CASE_TEXT,
    REPR_IS_TEXT,
    change_record_redact,
    has_text,
    redacted_json,
    removed,
)
from maca.reports.models import Rendition

VIA = "retention"


# --- The period and the hold ------------------------------------------------------------------


def retention_ends(audit: Audit) -> datetime.date | None:
    """The last day the audit's case-level text is kept; None while it is not closed."""
    if not audit.allows.run_retention or audit.closed_at is None:
        return None
    closed = timezone.localdate(audit.closed_at)
    year = closed.year + audit.partnership.retention_years
    try:
        return closed.replace(year=year)
    except ValueError:  # closed on 29 February: the period ends on 28 February
        return closed.replace(year=year, day=28)


def purge_due(audit: Audit, today: datetime.date) -> bool:
    ends = retention_ends(audit)
    return ends is not None and ends < today and not audit.legal_hold and audit.purged_at is None


@transaction.atomic
def legal_hold_set(*, audit: Audit, by: User, on: bool, reason: str) -> Audit:
    """Put the audit on legal hold, or lift the hold. Either needs a reason, which the change
    history keeps; while on hold, `maca apply-retention` leaves the audit's text alone."""
    reason = (reason or "").strip()
    current = Audit.objects.select_for_update().get(pk=audit.pk)
    if not reason:
        say = "why the audit is put on legal hold" if on else "why the legal hold is lifted"
        raise DomainError(f"Say {say}", field="reason")
    if on and current.purged_at is not None:
        raise DomainError(
            "The case-level text of this audit was removed under the retention policy on "
            f"{timezone.localdate(current.purged_at):%-d %B %Y}: there is nothing left to hold",
            field="reason",
        )
    if not on and not current.legal_hold:
        raise DomainError("The audit is not on legal hold", field="reason")
    with tracking.actor(by, reason=reason):
        current.legal_hold = on
        current.legal_hold_reason = reason if on else ""
        current.save(update_fields=["legal_hold", "legal_hold_reason"])
    return current


# --- The purge --------------------------------------------------------------------------------

# What each kind of row is called in the command's output.
WORDS = {
    "returns.return": "returns",
    "audits.request": "record numbers",
    "audits.candidate": "candidates",
    "meetings.ratification": "ratification reasons",
    "meetings.casepoint": "meeting points",
    "actions.action": "immediate actions",
    "actions.actionupdate": "immediate action updates",
    "reports.report": "reasons a report was sent back",
}


@dataclass
class Purge:
    audit: Audit
    ends: datetime.date
    rows: Counter = field(default_factory=Counter)  # live rows whose text goes, by label
    files: int = 0
    history: int = 0  # change records redacted

    def line(self, *, dry_run: bool) -> str:
        """One line for the command: ids, dates and counts, never the text."""
        audit = self.audit
        rows = ", ".join(f"{n} {WORDS[label]}" for label, n in sorted(self.rows.items())) or (
            "no rows"
        )
        verb = "would remove" if dry_run else "removed"
        return (
            f"Audit {audit.pk} (partnership {audit.partnership_id}), closed "
            f"{timezone.localdate(audit.closed_at):%Y-%m-%d}, kept until {self.ends:%Y-%m-%d}: "
            f"{verb} the text of {rows}; {self.history} history records; {self.files} files"
        )


def _blanked_text(row: Model, names: Iterable[str], notice: str) -> dict[str, object]:
    return {name: notice for name in names if has_text(getattr(row, name))}


def _live_rows(audit: Audit, notice: str) -> Iterator[tuple[str, Model, dict[str, object]]]:
    """(label, row, {attribute: value without the text}) for each live row with case text."""
    from maca.actions.models import Action, ActionUpdate
    from maca.meetings.models import CasePoint, Ratification
    from maca.reports.models import Report
    from maca.returns.models import Return

    # Answers chosen from a question's options (yes/no, grade, choice, scale) are figures; text
    # and date answers (and any of unknown kind) are case-level detail.
    kept = set(audit.questions.filter(kind__in=COUNTABLE).values_list("key", flat=True))
    fields = CASE_TEXT["returns.return"]
    for a_return in Return.objects.filter(request__audit=audit).order_by("pk"):
        changes = _blanked_text(a_return, [name for name in fields if name != "answers"], notice)
        answers = {
            k: v if k in kept or not has_text(v) else notice for k, v in a_return.answers.items()
        }
        if answers != a_return.answers:
            changes["answers"] = answers
        yield "returns.return", a_return, changes
    for request in audit.requests.order_by("pk"):
        yield "audits.request", request, _blanked_text(request, ["agency_record_number"], notice)
    for candidate in audit.candidates.order_by("pk"):
        changes = _blanked_text(candidate, ["swapped_out_reason"], notice)
        if has_text(candidate.record_numbers):
            changes["record_numbers"] = redacted_json(
                candidate.record_numbers, candidate.record_numbers, notice
            )
        yield "audits.candidate", candidate, changes
    for label, rows in (
        ("meetings.ratification", Ratification.objects.filter(case__audit=audit)),
        ("meetings.casepoint", CasePoint.objects.filter(case__audit=audit)),
        ("actions.action", Action.objects.filter(audit=audit, immediate=True)),
        (
            "actions.actionupdate",
            ActionUpdate.objects.filter(action__audit=audit).filter(action__immediate=True),
        ),
        ("reports.report", Report.objects.filter(audit=audit)),
    ):
        for row in rows.order_by("pk"):
            yield label, row, _blanked_text(row, CASE_TEXT[label], notice)


def _immediate_actions(audit: Audit) -> set[str]:
    """Ids (as the history keeps them) of the audit's immediate actions, deleted ones too."""
    ids = {str(pk) for pk in audit.actions.filter(immediate=True).values_list("pk", flat=True)}
    for record in ChangeRecord.objects.filter(audit_id=audit.pk, object_type="actions.action"):
        if any((values or {}).get("immediate") for values in (record.before, record.after)):
            ids.add(record.object_id)
    return ids


def _history_changes(record: ChangeRecord, immediate: set[str], notice: str) -> dict:
    """The record's content without case-level text (empty: nothing to remove). Reasons go
    whatever the record is about: free text given for a change inside an audit may quote a
    case. The audit's own records (closing, legal holds, the purge) are not redacted."""
    label = record.object_type
    keys = CASE_TEXT.get(label, ())
    if label == "actions.action" and record.object_id not in immediate:
        keys = ()
    if label == "actions.actionupdate":
        action = (record.after or record.before or {}).get("action_id")
        keys = keys if str(action) in immediate else ()
    changes: dict[str, object] = {}
    for name in ("before", "after"):
        value = getattr(record, name)
        if (redacted := redacted_json(value, keys, notice)) != value:
            changes[name] = redacted
    if has_text(record.reason):
        changes["reason"] = notice
    if keys and label in REPR_IS_TEXT and has_text(record.object_repr):
        changes["object_repr"] = notice
    return changes


def _history_records(audit: Audit) -> QuerySet[ChangeRecord]:
    return (
        ChangeRecord.objects.filter(
            partnership_id=audit.partnership_id, audit_id=audit.pk, redacted_at__isnull=True
        )
        .exclude(object_type="audits.audit")
        .order_by("pk")
    )


def _case_level_files(audit: Audit) -> QuerySet[Rendition]:
    """The audit's files that hold case-level text: all but a published edition's report."""
    return audit.renditions.filter(Q(edition__isnull=True) | Q(agency__isnull=False))


def audit_purge_plan(audit: Audit, today: datetime.date) -> Purge | None:
    """What a purge would remove (the dry run), or None when the audit is not due."""
    if not purge_due(audit, today):
        return None
    ends = retention_ends(audit)
    assert ends is not None  # due for a purge: closed, so its period has an end
    notice = removed(timezone.localdate())
    plan = Purge(audit, ends)
    for label, _, changes in _live_rows(audit, notice):
        plan.rows[label] += bool(changes)
    plan.rows = +plan.rows  # drop kinds with nothing to remove
    plan.files = _case_level_files(audit).count()
    immediate = _immediate_actions(audit)
    # The purge's own change of each live row is recorded, and redacted in its turn.
    plan.history = sum(plan.rows.values()) + sum(
        bool(_history_changes(record, immediate, notice))
        for record in _history_records(audit).iterator()
    )
    return plan


@transaction.atomic
def audit_purge(*, audit_id: int, today: datetime.date, run: str) -> Purge | None:
    """Remove a closed audit's case-level text, once its retention period has ended and unless
    it is on legal hold; records the purge. None when the audit is not (or no longer) due.

    Live rows first (each change recorded, as every change is), then the change history of the
    audit, those new records included, then the audit marked purged: that record, after every
    redacted one, is what `maca verify-history` asks of a redacted record.
    """
    audit = Audit.objects.select_for_update().select_related("partnership").get(pk=audit_id)
    if not purge_due(audit, today):
        return None
    ends = retention_ends(audit)
    assert ends is not None  # due for a purge: closed, so its period has an end
    now = timezone.now()
    notice = removed(timezone.localdate(now))
    purge = Purge(audit, ends)
    with tracking.actor(None, reason=f"Retention run {run}", via=VIA):
        for label, row, changes in _live_rows(audit, notice):
            if changes:
                for name, value in changes.items():
                    setattr(row, name, value)
                row.save(update_fields=list(changes))
                purge.rows[label] += 1
    purge.files, _ = _case_level_files(audit).delete()
    immediate = _immediate_actions(audit)
    for record in _history_records(audit).iterator():
        if changes := _history_changes(record, immediate, notice):
            change_record_redact(record, values=changes, at=now)
            purge.history += 1
    years = audit.partnership.retention_years
    reason = (
        f"Case-level text removed under the retention policy ({years} years after closing on "
        f"{timezone.localdate(audit.closed_at):%-d %B %Y}); run {run}"
    )
    with tracking.actor(None, reason=reason, via=VIA):
        audit.purged_at, audit.purge_run = now, run
        audit.save(update_fields=["purged_at", "purge_run"])
    return purge


def retention_ended(today: datetime.date) -> Iterator[Audit]:
    """Closed audits not yet purged whose retention period ended before `today`, on legal
    hold or not, oldest closing first (`audit_purge` checks each again, locked)."""
    closed = (
        Audit.objects.filter(
            status__in=stages_allowing("run_retention"),
            closed_at__isnull=False,
            purged_at__isnull=True,
        )
        .select_related("partnership")
        .order_by("closed_at", "pk")
    )
    for audit in closed:
        ends = retention_ends(audit)
        if ends is not None and ends < today:
            yield audit


def new_run() -> str:
    """A name for one run of `maca apply-retention`, kept on each audit it purged."""
    return f"{timezone.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
