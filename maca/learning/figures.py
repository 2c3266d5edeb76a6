"""The dashboard's figures: what a partnership learns across its audits, as tables.

`dashboard_for(viewer)` reads the facts (`facts.py`: six queries, whatever the number of audits,
cases, agencies or themes) and makes each table with one small function of them, so every rule
can be read, and tested, apart from the database. The rules, once:

- A case's grade is its ratified grade; a case not (yet) ratified is in no grade table, and
  "Cases" counts the cases ratified.
- An agency is involved in a case when it has a request for it.
- Requested, submitted, on time and late: see `facts.py` (lateness may be unknown, and then a
  return is neither on time nor late).
- Agencies' grades and ratified grades are compared by rank on the scale (outstanding best);
  "not scored" on either side leaves the return out of the comparison.
- A library theme is **found** in an audit when one of the audit's themes links to it; its cases
  there are the union of those audit themes' cases. It **recurs** when found in two or more of
  the audits; an action counts as done before it recurred when completed on or before the day
  the later audit is placed at (`audits.rules.audit_held_on`: its meeting date). A complete
  action whose completion date is not known (an audit loaded from records that do not say when)
  is counted apart, as "complete, date unknown": neither done before nor not done.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone

from maca.actions.models import ActionStatus
from maca.audits.models import Audit
from maca.audits.rules import audit_held_on
from maca.disclosure import Relation, at_most, holding, same
from maca.grades import Grade, zero_counts
from maca.partnerships.models import LibraryTheme
from maca.profiles import CHOICES
from maca.profiles import label_of as profile_label
from maca.tables import NUMBER, PERCENT, Column, Row, Table

from .facts import ActionFact, Facts, Place, RequestFact, ThemeFact, audit_label, facts_for

GRADES_BY_AUDIT = "grades-by-audit"
GRADES_BY_AREA = "grades-by-area"
GRADES_BY_PROFILE = "grades-by-profile"
AGENCY_SELF_GRADES = "agency-self-grades"
AGENCY_RATIFIED_GRADES = "agency-ratified-grades"
RETURN_RATES = "return-rates"
CALIBRATION = "calibration"
THEME_MATRIX = "theme-matrix"
RECURRING_THEMES = "recurring-themes"

# The tables in page order, with their titles.
TITLES = {
    GRADES_BY_AUDIT: "Ratified grades, audit by audit",
    GRADES_BY_AREA: "Ratified grades by area",
    GRADES_BY_PROFILE: "Ratified grades by case profile",
    AGENCY_SELF_GRADES: "Agencies' grades of their own work",
    AGENCY_RATIFIED_GRADES: "Ratified grades of the cases each agency was involved in",
    RETURN_RATES: "Returns: rates and lateness",
    CALIBRATION: "Calibration: agencies' grades against the ratified grade",
    THEME_MATRIX: "Themes across audits",
    RECURRING_THEMES: "Recurring themes and what was done last time",
}

# Column names, for the charts and the CSV to find their columns by.
CASES = "Cases"
RETURNS = "Returns"
REQUESTED = "Requested"
SUBMITTED = "Submitted"
ON_TIME = "On time"
LATE = "Late"
SUBMITTED_SHARE = "Submitted %"
ON_TIME_SHARE = "On time %"
MEDIAN_DAYS_LATE = "Median days late"
MATCHED = "Matched"
HIGHER = "Graded higher"
LOWER = "Graded lower"
COMPARED = "Compared"
MATCHED_SHARE = "Matched %"
AUDITS_FOUND_IN = "Audits"
EARLIER_ACTIONS = "Earlier actions"
COMPLETED_BEFORE = "Completed before it recurred"
COMPLETE_DATE_UNKNOWN = "Complete, date unknown"
NOT_COMPLETED_BEFORE = "Not completed before"

GRADE_COLUMNS = tuple(Column(grade.label) for grade in Grade)  # the scale, then not scored
GRADES = tuple(column.name for column in GRADE_COLUMNS)
SCORES = tuple(grade.label for grade in Grade if grade.is_score)


# --- The dashboard ------------------------------------------------------------------------------


class Occurrence(NamedTuple):
    """A library theme found in one audit: the audit's own theme titles, and its cases."""

    audit: Audit
    titles: tuple[str, ...]
    cases: int


class EarlierAction(NamedTuple):
    """An action raised on a theme in an earlier audit, seen from the audit it recurred in."""

    audit: Audit  # where it was raised
    description: str
    agency: str
    due: datetime.date
    status: str  # its label: "Open", "In progress", "Complete"
    completed_at: datetime.datetime | None
    completed_before: bool  # completed on or before the day the later audit is placed at
    completed_unknown: bool  # complete, but on a date not known: neither before nor after


class Recurrence(NamedTuple):
    """A later occurrence of a recurring theme, with what was done about it before."""

    occurrence: Occurrence
    earlier_actions: tuple[EarlierAction, ...]


@dataclass(frozen=True)
class RecurringTheme:
    theme: LibraryTheme
    occurrences: list[Occurrence]  # in held order; two or more
    recurrences: list[Recurrence]  # every occurrence after the first


@dataclass(frozen=True)
class Dashboard:
    audits: list[Audit]  # in held order, oldest first
    tables: list[Table]  # in page order (`TITLES`)
    recurring: list[RecurringTheme]
    relations: tuple[Relation, ...] = ()  # how counts of different tables relate (`relations`)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def dashboard_for(viewer) -> Dashboard:
    """The partnership dashboard's figures, as the viewer may see them (before the board's
    disclosure protection, which the page applies: `disclosure.protect`)."""
    facts = facts_for(viewer)
    occurrences = theme_occurrences(facts)
    recurring = recurring_themes(facts, occurrences)
    tables = [
        grades_by_audit(facts),
        grades_by_area(facts),
        grades_by_profile(facts),
        agency_self_grades(facts),
        agency_ratified_grades(facts),
        return_rates(facts),
        calibration(facts),
        theme_matrix(facts, occurrences),
        recurring_table(recurring),
    ]
    return Dashboard(
        audits=facts.audits,
        tables=tables,
        recurring=recurring,
        relations=relations({table.key: table for table in tables}, facts),
    )


def _table(key: str, row_header: str, columns, rows, note: str = "") -> Table:
    return Table(key, TITLES[key], row_header, tuple(columns), tuple(rows), note)


def grade_cells(grades: Iterable[str]) -> tuple[int, ...]:
    """Counts of each grade in scale order, not scored last, then their total."""
    counts = zero_counts()
    for grade in grades:
        counts[grade] += 1
    return (*counts.values(), sum(counts.values()))


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage, halves rounded up; None when there is nothing to divide."""
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


# --- The grade tables ---------------------------------------------------------------------------


def grades_by_audit(facts: Facts) -> Table:
    """Each audit's cases by their ratified grade. Cases: the cases ratified."""
    grades = defaultdict(list)
    for case in facts.cases:
        if case.grade:
            grades[case.audit_id].append(case.grade)
    rows = [Row(audit_label(audit), grade_cells(grades[audit.pk])) for audit in facts.audits]
    # How many cases an audit has is on its page (and in its published report).
    cases = Column(CASES, sum_of=GRADES, known=True)
    return _table(GRADES_BY_AUDIT, "Audit", (*GRADE_COLUMNS, cases), rows)


def grades_by_area(facts: Facts) -> Table:
    """Every audit's ratified cases by area. Areas in the partnership's order."""
    grades = defaultdict(list)
    for case in facts.cases:
        grades[case.area].append(case.grade)
    rows = [
        Row(area.name, grade_cells(grade for grade in grades[area] if grade))
        for area in sorted(grades)
    ]
    # The audits' sample plans (on their pages) give how many cases each area had.
    cases = Column(CASES, sum_of=GRADES, known=True)
    return _table(GRADES_BY_AREA, "Area", (*GRADE_COLUMNS, cases), rows)


def grades_by_profile(facts: Facts) -> Table:
    """Every audit's ratified cases by each case profile field the partnership records
    (decision 69): a row per value some case has, "Field: value", then "Not recorded"; so a
    partnership can see whether some children are served worse. No rows when it records
    none."""
    rows = []
    for field in facts.profile_fields:
        grades = defaultdict(list)
        for case in facts.cases:
            if case.grade:
                grades[case.profile.get(field.value, "")].append(case.grade)
        for value in [*CHOICES[field].values, ""]:
            if value in grades:
                label = f"{field.label}: {profile_label(field, value)}"
                rows.append(Row(label, grade_cells(grades[value])))
    cases = Column(CASES, sum_of=GRADES)
    note = (
        ""
        if facts.profile_fields
        else "The partnership records no case profile yet: a coordinator chooses its fields "
        "under Case profiles."
    )
    return _table(GRADES_BY_PROFILE, "Case profile", (*GRADE_COLUMNS, cases), rows, note)


def _profile_rows(table: Table, field) -> list[int]:
    """The rows of one field in the grades by profile table."""
    prefix = f"{field.label}: "
    return [r for r, row in enumerate(table.rows) if row.label.startswith(prefix)]


def agency_self_grades(facts: Facts) -> Table:
    """Each agency's submitted returns by the grade it gave its own work. Rows: the agencies
    that submitted a return."""
    grades = defaultdict(list)
    for request in facts.requests:
        if request.submitted and request.grade:
            grades[request.agency].append(request.grade)
    rows = [Row(agency.name, grade_cells(grades[agency])) for agency in sorted(grades)]
    columns = (*GRADE_COLUMNS, Column(RETURNS, sum_of=GRADES))
    return _table(AGENCY_SELF_GRADES, "Agency", columns, rows)


def agency_ratified_grades(facts: Facts) -> Table:
    """For each agency, the ratified grades of the cases it was involved in (had a request
    for), each case once. Rows: every agency involved in a case of the audits."""
    grade_of = {case.id: case.grade for case in facts.cases}
    cases = defaultdict(set)
    for request in facts.requests:
        cases[request.agency].add(request.case_id)
    rows = [
        Row(agency.name, grade_cells(grade_of[c] for c in cases[agency] if grade_of.get(c)))
        for agency in sorted(cases)
    ]
    columns = (*GRADE_COLUMNS, Column(CASES, sum_of=GRADES))
    return _table(AGENCY_RATIFIED_GRADES, "Agency", columns, rows)


# --- Returns ------------------------------------------------------------------------------------


def return_rates(facts: Facts) -> Table:
    """For each agency asked for a return: how many it was asked for (sent, or answered when the
    send date is not known), submitted, on time (submitted on or before the due date) and late.
    Submitted % is of requested; on time % of the submitted returns whose lateness is known;
    the median days late is of the late returns (None when none was late)."""
    by_agency: dict[Place, list[RequestFact]] = defaultdict(list)
    for request in facts.requests:
        if request.requested:
            by_agency[request.agency].append(request)
    rows = []
    for agency in sorted(by_agency):
        requests = by_agency[agency]
        submitted = [r for r in requests if r.submitted]
        known = [r.days_late for r in submitted if r.days_late is not None]
        late = [days for days in known if days > 0]
        on_time = len(known) - len(late)
        median = statistics.median(late) if late else None
        rows.append(
            Row(
                agency.name,
                (
                    len(requests),
                    len(submitted),
                    on_time,
                    len(late),
                    percent(len(submitted), len(requests)),
                    percent(on_time, len(known)),
                    median,
                ),
            )
        )
    columns = [
        Column(REQUESTED, at_least=(SUBMITTED,)),
        # Submitted on time, late, or on a date not known.
        Column(SUBMITTED, at_least=(ON_TIME, LATE)),
        Column(ON_TIME),
        Column(LATE),
        Column(SUBMITTED_SHARE, PERCENT, of=(SUBMITTED, REQUESTED)),
        Column(ON_TIME_SHARE, PERCENT, of=(ON_TIME, LATE)),
        # A median of 1.5 days says an even number of returns were late.
        Column(MEDIAN_DAYS_LATE, NUMBER, of=(LATE,)),
    ]
    note = (
        "On time: submitted on or before the due date. Returns loaded from past records "
        "that do not say when they were submitted are neither on time nor late."
    )
    return _table(RETURN_RATES, "Agency", columns, rows, note)


def compare(own: str, ratified: str) -> str | None:
    """ "matched", "higher" (the agency graded its work better than the meeting did) or
    "lower"; None when either is not a score."""
    if not own or not ratified or not Grade(own).is_score or not Grade(ratified).is_score:
        return None
    difference = Grade(own).rank - Grade(ratified).rank
    return "matched" if difference == 0 else "higher" if difference < 0 else "lower"


def calibration(facts: Facts) -> Table:
    """Each submitted return's grade against its case's ratified grade, by agency. Compared:
    the returns where both are scores. Rows: the agencies that submitted a graded return."""
    grade_of = {case.id: case.grade for case in facts.cases}
    counts: dict[Place, Counter] = {}
    for request in facts.requests:
        if request.submitted and request.grade:
            tally = counts.setdefault(request.agency, Counter())
            tally[compare(request.grade, grade_of.get(request.case_id, ""))] += 1
    rows = []
    for agency in sorted(counts):
        tally = counts[agency]
        compared = tally["matched"] + tally["higher"] + tally["lower"]
        cells = (tally["matched"], tally["higher"], tally["lower"], compared)
        rows.append(Row(agency.name, (*cells, percent(tally["matched"], compared))))
    columns = [
        Column(MATCHED),
        Column(HIGHER),
        Column(LOWER),
        Column(COMPARED, sum_of=(MATCHED, HIGHER, LOWER)),
        Column(MATCHED_SHARE, PERCENT, of=(MATCHED, COMPARED)),
    ]
    note = (
        "Graded higher: the agency's grade of its own work was better than the meeting's "
        "ratified grade of the case. Returns or cases not scored are not compared."
    )
    return _table(CALIBRATION, "Agency", columns, rows, note)


# --- Themes -------------------------------------------------------------------------------------


def theme_occurrences(facts: Facts) -> dict[int, list[Occurrence]]:
    """For each live library theme found in the audits, where: in held order. Themes ordered
    by the number of audits they were found in (most first), then title."""
    found: dict[tuple[int, int], list[ThemeFact]] = defaultdict(list)
    for theme in facts.themes:
        found[theme.library_theme_id, theme.audit_id].append(theme)
    occurrences: dict[int, list[Occurrence]] = defaultdict(list)
    for audit in facts.audits:
        for library_id in facts.library_themes:
            themes = found.get((library_id, audit.pk))
            if themes:
                cases = frozenset().union(*(theme.case_ids for theme in themes))
                titles = tuple(sorted(theme.title for theme in themes))
                occurrences[library_id].append(Occurrence(audit, titles, len(cases)))
    order = sorted(
        occurrences,
        key=lambda id: (-len(occurrences[id]), facts.library_themes[id].title.casefold(), id),
    )
    return {id: occurrences[id] for id in order}


def theme_matrix(facts: Facts, occurrences: dict[int, list[Occurrence]]) -> Table:
    """Each library theme's cases audit by audit: the distinct cases evidencing it (0 when
    found with no case tagged), or None when not found in that audit."""
    rows = []
    for library_id, found in occurrences.items():
        cases = {occurrence.audit.pk: occurrence.cases for occurrence in found}
        cells = [cases.get(audit.pk) for audit in facts.audits]
        rows.append(Row(facts.library_themes[library_id].title, (*cells, len(found))))
    columns = [
        *(Column(audit_label(audit)) for audit in facts.audits),
        Column(AUDITS_FOUND_IN, NUMBER),
    ]
    note = "The number of cases evidencing each theme in each audit; blank where not found."
    return _table(THEME_MATRIX, "Theme", columns, rows, note)


def recurring_themes(
    facts: Facts, occurrences: dict[int, list[Occurrence]]
) -> list[RecurringTheme]:
    """The themes found in two or more audits, and for each later occurrence the actions raised
    on the theme in the audits before it, each completed before it recurred or not: completed
    on or before the day the later audit is placed at (`audit_held_on`). A complete action with
    no completion date is neither: `completed_unknown`."""
    actions = defaultdict(list)
    for action in facts.actions:
        actions[action.library_theme_id].append(action)
    audits = {audit.pk: audit for audit in facts.audits}
    order = {audit.pk: index for index, audit in enumerate(facts.audits)}
    recurring = []
    for library_id, found in occurrences.items():
        if len(found) < 2:
            continue
        recurrences = []
        for index, occurrence in enumerate(found[1:], start=1):
            earlier = {o.audit.pk for o in found[:index]}
            held = audit_held_on(occurrence.audit)
            raised = [
                _earlier(action, audits[action.audit_id], held)
                for action in sorted(actions[library_id], key=lambda a: order[a.audit_id])
                if action.audit_id in earlier
            ]
            recurrences.append(Recurrence(occurrence, tuple(raised)))
        recurring.append(RecurringTheme(facts.library_themes[library_id], found, recurrences))
    return recurring


def _earlier(action: ActionFact, audit: Audit, held: datetime.date) -> EarlierAction:
    completed = action.completed_at
    complete = action.status == ActionStatus.COMPLETE
    return EarlierAction(
        audit=audit,
        description=action.description,
        agency=action.agency,
        due=action.due,
        status=ActionStatus(action.status).label,
        completed_at=completed,
        completed_before=completed is not None and timezone.localdate(completed) <= held,
        completed_unknown=complete and completed is None,
    )


def recurring_table(recurring: list[RecurringTheme]) -> Table:
    """One row for each time a theme was found again: the actions raised on it in the audits
    before, how many of them were completed on or before the day it recurred, how many are
    complete on a date not known, and the rest (not completed before: still open, or completed
    later)."""
    rows = []
    for theme in recurring:
        for occurrence, actions in theme.recurrences:
            before = sum(action.completed_before for action in actions)
            unknown = sum(action.completed_unknown for action in actions)
            label = f"{theme.theme.title} — found again in {audit_label(occurrence.audit)}"
            not_before = len(actions) - before - unknown
            rows.append(Row(label, (len(actions), before, unknown, not_before)))
    # Actions from recommendations describe the partnership's work, not a child, and the page
    # lists each of them: their numbers are shown whole, to everyone.
    columns = [
        Column(EARLIER_ACTIONS, NUMBER),
        Column(COMPLETED_BEFORE, NUMBER),
        Column(COMPLETE_DATE_UNKNOWN, NUMBER),
        Column(NOT_COMPLETED_BEFORE, NUMBER),
    ]
    note = (
        "Actions raised from recommendations on the theme in earlier audits; completed before "
        "it recurred: completed on or before the day of the later audit's meeting. Complete, "
        "date unknown: recorded as complete in past records that do not say when."
    )
    return _table(RECURRING_THEMES, "Theme and audit", columns, rows, note)


# --- What a reader can know of how the tables relate ----------------------------------------------


def relations(tables: dict[str, Table], facts: Facts) -> tuple[Relation, ...]:
    """How the counts of different tables relate, as a reader who studies them can work out:
    the facts the board's disclosure check protects against (decision 38), besides each
    table's own totals (`Column.sum_of`, `at_least`). Only those true of these figures are
    kept (`holding`): a reader's knowledge is of facts.

    - The two grade tables count the same ratified cases: each grade adds up to the same.
    - The ratified cases an agency took part in are some of the cases of the audits (and of the
      areas) it took part in: grade by grade no more than theirs, and exactly theirs where it
      took part in every case of them.
    - An agency's requests are its cases, and its returns submitted its graded returns, where
      the figures are equal (then a reader may well take them to be); its graded returns are
      no more than its cases, and those compared with the meeting's grade no more than those
      it graded with a score.
    - A theme's cases in an audit are no more than the audit's cases (on the audit's page).
    """
    by_audit, by_area = tables[GRADES_BY_AUDIT], tables[GRADES_BY_AREA]
    own, ratified = tables[AGENCY_SELF_GRADES], tables[AGENCY_RATIFIED_GRADES]
    rates, compared, matrix = tables[RETURN_RATES], tables[CALIBRATION], tables[THEME_MATRIX]
    found = [same(_refs(by_audit, name), _refs(by_area, name)) for name in (*GRADES, CASES)]
    # Each profile field's rows count every ratified case once, as the audits' rows do.
    by_profile = tables[GRADES_BY_PROFILE]
    for field in facts.profile_fields:
        field_rows = _profile_rows(by_profile, field)
        if field_rows:
            for name in (*GRADES, CASES):
                column = by_profile.index(name)
                field_cells = [(by_profile.key, r, column) for r in field_rows]
                found.append(same(field_cells, _refs(by_audit, name)))

    graded = {case.id: case for case in facts.cases if case.grade}
    label_of = {audit.pk: audit_label(audit) for audit in facts.audits}
    in_audit, in_area, mine = defaultdict(set), defaultdict(set), defaultdict(set)
    for case in graded.values():
        in_audit[label_of[case.audit_id]].add(case.id)
        in_area[case.area.name].add(case.id)
    for request in facts.requests:
        if request.case_id in graded:
            mine[request.agency.name].add(request.case_id)
    for agency, cases in mine.items():
        for groups, table in ((in_audit, by_audit), (in_area, by_area)):
            labels = sorted(label for label, ids in groups.items() if ids & cases)
            every = set().union(*(groups[label] for label in labels)) == cases
            for name in (*GRADES, CASES):
                theirs = [_ref(table, label, name) for label in labels]
                agency_cell = [_ref(ratified, agency, name)]
                found.append(same(agency_cell, theirs) if every else at_most(agency_cell, theirs))

    rows = {table.key: {row.label for row in table.rows} for table in tables.values()}
    for agency in rows[rates.key]:
        # Where equal, a reader may well know they are the same returns (kept only then).
        for name, table, other in ((REQUESTED, ratified, CASES), (SUBMITTED, own, RETURNS)):
            if agency in rows[table.key]:
                found.append(same([_ref(rates, agency, name)], [_ref(table, agency, other)]))
    for agency in rows[own.key]:
        if agency in rows[ratified.key]:
            found.append(at_most([_ref(own, agency, RETURNS)], [_ref(ratified, agency, CASES)]))
        if agency in rows[compared.key]:
            scored = [_ref(own, agency, name) for name in SCORES]
            found.append(at_most([_ref(compared, agency, COMPARED)], scored))

    audit_cases = Counter(case.audit_id for case in facts.cases)
    for r, row in enumerate(matrix.rows):
        for c, audit in enumerate(facts.audits):
            if row.cells[c] is not None:
                found.append(at_most([(matrix.key, r, c)], plus=audit_cases[audit.pk]))
    return holding(found, tables.values())


def _ref(table: Table, label: str, name: str) -> tuple[str, int, int]:
    return (table.key, table.row_index(label), table.index(name))


def _refs(table: Table, name: str) -> list[tuple[str, int, int]]:
    index = table.index(name)
    return [(table.key, r, index) for r in range(len(table.rows))]
