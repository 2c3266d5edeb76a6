"""Redaction: the one change a change record may undergo, under the retention policy.

The purge of an audit (`maca/retention/services.py`) replaces the case-level text in the audit's
change records by the removal notice. Only the content fields (`ChangeRecord.CONTENT_FIELDS`)
change, each value either kept or replaced whole by the notice, and `redacted_at` is set once;
the chain covers the content through `content_digest`, which stays, so the chain still
verifies (decision 32). On PostgreSQL the append-only trigger allows exactly this UPDATE
(migration history/0005); `change_record_redact` is the matching path in Python.
"""

import datetime
import re

from django.db import models

from .models import AppendOnly, ChangeRecord

# What stands where case-level text was, in the live rows and in the history alike.
REMOVED = "Removed under the retention policy on {date}"
# The same words as a pattern; the trigger of migration history/0005 holds a copy.
REMOVED_PATTERN = re.compile(
    r"^Removed under the retention policy on [0-9]{1,2} [A-Za-z]+ [0-9]{4}$"
)

# The case-level text of each tracked model, by the attribute names its records use:
# what a child's case says, as agencies and the meeting wrote it. Grades, statuses, dates,
# counts, themes and the published editions are not in it and stay.
CASE_TEXT: dict[str, tuple[str, ...]] = {
    "returns.return": (
        "answers",
        "grade_reason",
        "good_practice",
        "areas_for_development",
        "learning",
        "immediate_action_description",
        "clarification",
        "immediate_action_handling",
    ),
    "audits.request": ("agency_record_number",),
    "audits.candidate": ("record_numbers", "swapped_out_reason"),
    "audits.case": (),  # only the reasons given for its changes (unlocking)
    "meetings.ratification": ("reason",),
    "meetings.casepoint": ("text",),
    # Immediate actions only: an action from a recommendation is the report's, not a case's.
    "actions.action": ("description",),
    "actions.actionupdate": ("note", "impact"),
    # Drafts of the report's words: what was published is kept whole in its editions.
    "reports.reportsection": ("text", "based_on"),
    # Passages of those drafts marked as holding no person's name.
    "reports.notaname": ("words", "passage"),
    # Why an approver sent a draft back: it may quote the draft, and so a case.
    "reports.report": ("sent_back_reason",),
}
# Models whose records' label (`object_repr`) quotes their text.
REPR_IS_TEXT = {"actions.action"}


def removed(date: datetime.date) -> str:
    return REMOVED.format(date=f"{date.day} {date:%B %Y}")


def is_removed(value) -> bool:
    return isinstance(value, str) and bool(REMOVED_PATTERN.match(value))


def has_text(value) -> bool:
    """Worth removing: not empty, not already removed."""
    return value not in (None, "", {}, []) and not is_removed(value)


def redacted_json(value: dict | None, keys, notice: str) -> dict | None:
    """The recorded row with the values under `keys` replaced whole by the notice."""
    if not isinstance(value, dict):
        return value
    return {k: notice if k in keys and has_text(v) else v for k, v in value.items()}


def is_redaction(old: dict, new: dict) -> bool:
    """Does `new` only replace content values of `old` by the notice? (The trigger's rule.)"""
    for name in ChangeRecord.CONTENT_FIELDS:
        before, after = old[name], new.get(name, old[name])
        if isinstance(before, dict) and isinstance(after, dict):
            if set(before) != set(after) or any(
                after[k] != v and not is_removed(after[k]) for k, v in before.items()
            ):
                return False
        elif after != before and not (isinstance(before, str) and is_removed(after)):
            return False
    return True


def change_record_redact(record: ChangeRecord, *, values: dict, at: datetime.datetime) -> None:
    """Replace case-level text in one change record and mark it redacted. Refuses anything
    else: another field, a value that is not the notice, a record already redacted."""
    old = {name: getattr(record, name) for name in ChangeRecord.CONTENT_FIELDS}
    if set(values) - set(ChangeRecord.CONTENT_FIELDS) or not is_redaction(old, values):
        raise AppendOnly("only case-level text can be removed from the history")
    # The queryset's own update is refused (`AppendOnlyQuerySet`); this is the one way round.
    done = models.QuerySet.update(
        ChangeRecord.objects.filter(pk=record.pk, redacted_at__isnull=True),
        **values,
        redacted_at=at,
    )
    if not done:
        raise AppendOnly("this history record has been redacted already")
