"""The change history in words: one sentence a coordinator or an inspector can read for each
recorded change ("Theme ‘Information sharing’ linked to library theme ‘Information sharing
(multi-agency)’", "Case T-E-04 ratified as Good (proposed Requires improvement)"), with the
field diff kept beside it for whoever needs the detail.

A describer per kind of tracked row (`DESCRIBERS`, keyed by the record's `object_type`) reads
only the record (its before and after) and the names of the rows it points at, gathered for a
whole page of records at once (`Names`: one query per kind of row named). A kind without its
own describer, or a change its describer does not recognise, gets a generic sentence naming
the fields that changed. Words that only some people may read are never put in a sentence: an
agency's own record numbers, and the names to catch.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from .models import HIDDEN, ChangeAction, ChangeRecord

#: A title or text quoted in a sentence is cut to this many characters.
QUOTED_LONGEST = 80

# The rows a record points at, by the attribute it names them with: (model, the field read).
REFERENCES: dict[str, tuple[str, str]] = {
    "case_id": ("audits.case", "reference"),
    "agency_id": ("partnerships.agency", "name"),
    "area_id": ("partnerships.area", "name"),
    "library_theme_id": ("partnerships.librarytheme", "title"),
    "action_id": ("actions.action", "description"),
    "meeting_id": ("meetings.meeting", "held_on"),
    "edition_id": ("reports.reportedition", "number"),
}
# Many-to-many fields, recorded as lists of ids, by (object type, attribute).
MANY: dict[tuple[str, str], tuple[str, str]] = {
    ("meetings.audittheme", "cases"): ("audits.case", "reference"),
    ("actions.recommendation", "themes"): ("meetings.audittheme", "title"),
}


def quoted(text: object) -> str:
    text = " ".join(str(text or "").split())
    if len(text) > QUOTED_LONGEST:
        text = text[: QUOTED_LONGEST - 1].rstrip() + "…"
    return f"‘{text}’"


@dataclass
class Names:
    """The names of the rows a page of records points at, read in one query per kind."""

    found: dict[tuple[str, int], str] = field(default_factory=dict)
    requests: dict[int, tuple[str, str]] = field(default_factory=dict)  # case, agency

    @classmethod
    def of(cls, records: Iterable[ChangeRecord]) -> "Names":
        wanted: dict[str, set[int]] = {}
        request_ids: set[int] = set()
        partnerships: set[int] = set()
        for record in records:
            partnerships.add(record.partnership_id)
            for values in (record.before or {}, record.after or {}):
                for name, value in values.items():
                    points_at = REFERENCES.get(name) or MANY.get((record.object_type, name))
                    ids = [v for v in (value if isinstance(value, list) else [value])]
                    ids = [v for v in ids if isinstance(v, int)]
                    if points_at:
                        wanted.setdefault(points_at[0], set()).update(ids)
                    elif name == "request_id":
                        request_ids.update(ids)
        names = cls()
        fields = {model: read for model, read in (*REFERENCES.values(), *MANY.values())}
        for label, pks in wanted.items():
            if not pks:
                continue
            model = apps.get_model(label)
            rows = model._default_manager.filter(pk__in=pks, partnership_id__in=partnerships)
            for pk, value in rows.values_list("pk", fields[label]):
                names.found[label, pk] = str(value)
        if request_ids:
            rows = apps.get_model("audits.request")._default_manager.filter(
                pk__in=request_ids, partnership_id__in=partnerships
            )
            for pk, case, agency in rows.values_list("pk", "case__reference", "agency__name"):
                names.requests[pk] = (case, agency)
        return names

    def of_id(self, label: str, pk) -> str | None:
        return self.found.get((label, pk)) if isinstance(pk, int) else None

    def case(self, pk) -> str:
        reference = self.of_id("audits.case", pk)
        return f"Case {reference}" if reference else "A case no longer in the audit"

    def agency(self, pk) -> str:
        return self.of_id("partnerships.agency", pk) or "an agency"


@dataclass(frozen=True)
class Change:
    """A record as a describer reads it."""

    record: ChangeRecord
    names: Names

    @property
    def created(self) -> bool:
        return self.record.action == ChangeAction.CREATE

    @property
    def deleted(self) -> bool:
        return self.record.action == ChangeAction.DELETE

    @property
    def before(self) -> dict:
        return self.record.before or {}

    @property
    def after(self) -> dict:
        return self.record.after or {}

    def now(self, name: str):
        """The field's value after the change (before it, for a deletion)."""
        return (self.before if self.deleted else self.after).get(name)

    def named(self, name: str) -> str:
        """The row's own name (a title, a text), quoted: the field's value, or what the row was
        called when recorded (a change to its links records only the links)."""
        return quoted(self.now(name) or self.record.object_repr)

    def changed(self, *names: str) -> bool:
        return any(self.before.get(n) != self.after.get(n) for n in names) and not (
            self.created or self.deleted
        )

    def was_now(self, name: str) -> tuple[str, str]:
        """A choice before and after the change, each as the pages show it, in lower case."""
        return (
            self.label(name, self.before.get(name)).lower(),
            self.label(name, self.after.get(name)).lower(),
        )

    def label(self, name: str, value) -> str:
        """A stored choice as the pages show it ("Requires improvement", "Submitted")."""
        try:
            model = apps.get_model(self.record.object_type)
            choices = dict(model._meta.get_field(name).flatchoices)
        except (LookupError, FieldDoesNotExist):
            return str(value)
        return str(choices.get(value, value))


# The describers ----------------------------------------------------------------------------


def audit(change: Change) -> str | None:
    title = quoted(change.now("title"))
    if change.created:
        return f"Audit {title} created"
    if change.changed("status"):
        was, now = (
            change.label("status", v) for v in (change.before["status"], change.after["status"])
        )
        return f"Audit {title} moved from {was.lower()} to {now.lower()}"
    if change.changed("legal_hold"):
        return f"Audit {title} {'put on' if change.after['legal_hold'] else 'taken off'} legal hold"
    return None


def case(change: Change) -> str | None:
    reference = change.now("reference")
    area = change.names.of_id("partnerships.area", change.now("area_id"))
    if change.created:
        return f"Case {reference} added" + (f" (area {area})" if area else "")
    if change.deleted:
        return f"Case {reference} taken out of the audit"
    if change.changed("locked_at"):
        return f"Case {reference} {'locked' if change.after['locked_at'] else 'unlocked'}"
    return None


def request(change: Change) -> str | None:
    agency, of_case = change.names.agency(change.now("agency_id")), change.now("case_id")
    who = f"{agency} for {change.names.case(of_case)}"
    if change.created:
        return f"Return requested from {who}"
    if change.deleted:
        return f"Request to {who} withdrawn"
    if change.changed("status"):
        now = change.label("status", change.after["status"])
        return f"Request to {who}: {now.lower()}"
    if change.changed("sent_at") and change.after.get("sent_at"):
        return f"Request sent to {who}"
    if change.changed("due"):
        return f"Request to {who}: due date changed to {change.after.get('due') or 'none'}"
    return None


def agency_return(change: Change) -> str | None:
    known = change.names.requests.get(change.now("request_id"))
    whose = f"{known[1]}’s return for case {known[0]}" if known else "A return"
    if change.created:
        return f"{whose} started"
    if change.changed("status"):
        return f"{whose}: {change.label('status', change.after['status']).lower()}"
    if change.changed("grade") and change.after.get("grade"):
        return f"{whose} graded {change.label('grade', change.after['grade'])}"
    return None


def ratification(change: Change) -> str | None:
    of_case = change.names.case(change.now("case_id"))
    grade = change.label("grade", change.now("grade"))
    proposed = change.now("proposed_grade")
    if change.deleted:
        return f"{of_case}: ratification withdrawn"
    if change.now("grade") == "not_scored":
        said = f"{of_case} not scored"
    elif change.created:
        said = f"{of_case} ratified as {grade}"
    elif change.changed("grade"):
        was = change.label("grade", change.before.get("grade"))
        said = f"{of_case} ratified as {grade} (was {was})"
    else:
        return None
    if proposed and proposed != change.now("grade"):
        said += f" (proposed {change.label('proposed_grade', proposed)})"
    return said


def audit_theme(change: Change) -> str | None:
    title = change.named("title")
    if change.created:
        return f"Theme {title} added"
    if change.deleted:
        return f"Theme {title} removed"
    if change.changed("library_theme_id"):
        now = change.names.of_id("partnerships.librarytheme", change.after.get("library_theme_id"))
        was = change.names.of_id("partnerships.librarytheme", change.before.get("library_theme_id"))
        if now:
            return f"Theme {title} linked to library theme {quoted(now)}"
        return f"Theme {title} unlinked from library theme" + (f" {quoted(was)}" if was else "")
    if change.changed("title"):
        return f"Theme {quoted(change.before.get('title'))} renamed {title}"
    if "cases" in change.after:
        return f"Theme {title}: " + _linked(change, "cases", "audits.case", "case")
    return None


def _linked(change: Change, name: str, label: str, noun: str) -> str:
    before, after = set(change.before.get(name) or []), set(change.after.get(name) or [])

    def named(ids: set) -> str:
        found = sorted(change.names.of_id(label, pk) or "one no longer there" for pk in ids)
        return ", ".join(found)

    parts = []
    if after - before:
        parts.append(
            f"{noun}{'s' if len(after - before) > 1 else ''} {named(after - before)} added"
        )
    if before - after:
        parts.append(
            f"{noun}{'s' if len(before - after) > 1 else ''} {named(before - after)} removed"
        )
    return "; ".join(parts) or "no change"


def case_point(change: Change) -> str | None:
    kind = change.label("kind", change.now("kind"))
    of_case = change.names.case(change.now("case_id"))
    if change.created:
        return f"{kind} noted for {of_case.lower() if of_case.startswith('A ') else of_case}"
    if change.deleted:
        return f"{kind} removed from {of_case}"
    return f"{kind} for {of_case} reworded" if change.changed("text") else None


def meeting(change: Change) -> str | None:
    held = change.now("held_on")
    if change.created:
        return f"Meeting on {held} set up"
    if change.changed("held_on"):
        return f"Meeting moved from {change.before.get('held_on')} to {held}"
    return None


def attendee(change: Change) -> str | None:
    agency = change.names.of_id("partnerships.agency", change.now("agency_id"))
    who = quoted(change.now("name")) + (f" ({agency})" if agency else "")
    if change.created:
        return f"Attendee {who} added to the meeting"
    if change.deleted:
        return f"Attendee {who} removed from the meeting"
    return None


def recommendation(change: Change) -> str | None:
    text = change.named("text")
    if change.created:
        return f"Recommendation {text} added"
    if change.deleted:
        return f"Recommendation {text} removed"
    if "themes" in change.after:
        return f"Recommendation {text}: " + _linked(
            change, "themes", "meetings.audittheme", "theme"
        )
    return f"Recommendation reworded as {text}" if change.changed("text") else None


def action(change: Change) -> str | None:
    kind = "Immediate action" if change.now("immediate") else "Action"
    agency = change.names.agency(change.now("agency_id"))
    text = quoted(change.now("description"))
    if change.created:
        return f"{kind} {text} for {agency} added, due {change.now('due')}"
    if change.deleted:
        return f"{kind} {text} for {agency} removed"
    if change.changed("status"):
        was, now = (
            change.label("status", change.before.get("status")),
            change.label("status", change.after.get("status")),
        )
        return f"{kind} {text} for {agency}: {was.lower()} → {now.lower()}"
    if change.changed("due"):
        return f"{kind} {text} for {agency}: due date moved to {change.after.get('due')}"
    return None


def action_update(change: Change) -> str | None:
    if not change.created:
        return None
    about = change.names.of_id("actions.action", change.now("action_id"))
    status = change.label("status", change.now("status")).lower()
    return f"Progress recorded on action {quoted(about or 'no longer there')}: {status}"


def report_section(change: Change) -> str | None:
    title = change.label("key", change.now("key"))
    if change.changed("custom") and not change.after.get("custom"):
        return f"Report section {quoted(title)} back to its generated words"
    if change.now("custom") and (change.created or change.changed("text")):
        return f"Report section {quoted(title)}: words edited"
    return None


def report(change: Change) -> str | None:
    if change.changed("sent_back_at") and change.after.get("sent_back_at"):
        return "Report sent back to its authors"
    if change.changed("approved_at") and change.after.get("approved_at"):
        return "Report approved"
    if change.changed("sent_at") and change.after.get("sent_at"):
        return "Report sent for approval"
    if change.changed("charts_left_out"):
        left_out = [
            key.replace("_", " ").capitalize() for key in change.after.get("charts_left_out") or []
        ]
        if not left_out:
            return "Every chart of the report now goes to the board"
        return "Charts left out of what goes to the board: " + ", ".join(left_out)
    return None


def report_edition(change: Change) -> str | None:
    return f"Report published as edition {change.now('number')}" if change.created else None


def not_a_name(change: Change) -> str | None:
    # The words themselves may be a child's name wrongly waved through: never repeated here.
    return "Words in the report marked as not a person’s name" if change.created else None


def name_to_catch(change: Change) -> str | None:
    # Never the name itself: it is a child's, a relative's or a street's.
    if change.created:
        return "A name to catch added"
    return "A name to catch removed" if change.deleted else None


DESCRIBERS: dict[str, Callable[[Change], str | None]] = {
    "audits.audit": audit,
    "audits.case": case,
    "audits.request": request,
    "returns.return": agency_return,
    "meetings.ratification": ratification,
    "meetings.audittheme": audit_theme,
    "meetings.casepoint": case_point,
    "meetings.meeting": meeting,
    "meetings.attendee": attendee,
    "actions.recommendation": recommendation,
    "actions.action": action,
    "actions.actionupdate": action_update,
    "reports.reportsection": report_section,
    "reports.report": report,
    "reports.reportedition": report_edition,
    "reports.notaname": not_a_name,
    "reports.nametocatch": name_to_catch,
}

#: Kinds whose generic sentence may not repeat the row's own words.
UNSAID = {"reports.nametocatch", "reports.notaname"}


def generic(change: Change) -> str:
    """ "Question ‘Was the plan…’ changed: text, position", for any kind of row."""
    record = change.record
    label = record.object_label
    label = label[:1].upper() + label[1:]
    what = "" if record.object_type in UNSAID else f" {quoted(record.object_repr)}"
    if change.created:
        return f"{label}{what} added"
    if change.deleted:
        return f"{label}{what} removed"
    fields = [_field_name(record.object_type, name) for name, *_ in record.changed_fields]
    fields = [name for name in fields if name]
    return f"{label}{what} changed" + (f": {', '.join(fields)}" if fields else "")


def _field_name(object_type: str, name: str) -> str:
    if name in HIDDEN:
        return "an agency's own record"
    try:
        model = apps.get_model(object_type)
        found = next(f for f in model._meta.get_fields() if getattr(f, "attname", f.name) == name)
        return str(getattr(found, "verbose_name", name))
    except (LookupError, StopIteration):
        return name.replace("_", " ")


def describe(record: ChangeRecord, names: Names) -> str:
    """The record in one sentence: its kind's describer's, or the generic one."""
    change = Change(record, names)
    describer = DESCRIBERS.get(record.object_type)
    return (describer(change) if describer else None) or generic(change)


def described(records: Iterable[ChangeRecord]) -> list[tuple[ChangeRecord, str]]:
    """A page of records, each with its sentence."""
    records = list(records)
    names = Names.of(records)
    return [(record, describe(record, names)) for record in records]
