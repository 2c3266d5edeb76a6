"""The cases of an audit being planned: candidates from a CSV file, the sample drawn from
them at random with a recorded seed, cases added by hand, and cases swapped in or out.

Every rule here holds only while the audit is being planned. A case's reference is made by
the system (`<area initials>-<nn>`), never from a record number or anything about the child;
an agency's own record number is copied to that agency's request and shown to it alone.
"""

import csv
import io
import random
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from maca import profiles
from maca.audits.models import (
    Audit,
    Candidate,
    Case,
    Request,
    RequestStatus,
    SamplePlanEntry,
)
from maca.errors import DomainError
from maca.history import tracking
from maca.history.models import ChangeRecord
from maca.partnerships.models import Agency, Area
from maca.partnerships.ordering import in_partnership_order
from maca.profiles import ProfileField
from maca.uploads.limits import CSV_MAX_BYTES, CSV_MAX_COLUMNS, CSV_MAX_ROWS, size_words
from maca.uploads.problems import Problems, shown

MAX_FILE_BYTES = CSV_MAX_BYTES
MAX_ROWS = CSV_MAX_ROWS
LIMITS = f"up to {size_words(CSV_MAX_BYTES)}, {CSV_MAX_ROWS:,} rows and {CSV_MAX_COLUMNS} columns"
MAX_RECORD_NUMBER = 64  # Request.agency_record_number's length
AREA_COLUMN = "area"
PLANNING_ONLY = "Cases can be changed only while the audit is being planned."


# --- The CSV file of candidates -------------------------------------------------------------


@dataclass(frozen=True)
class CsvError:
    """One problem in the file, where it is: "line 4, column 2 (Police): …"."""

    message: str
    line: int | None = None
    column: int | None = None
    header: str = ""

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}" + (f" ({self.header})" if self.header else ""))
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class CandidateRow:
    """A good row of the file: its line, its area and each involved agency's record number."""

    line: int
    area: Any
    record_numbers: dict[Any, str] = field(default_factory=dict)
    profile: dict[str, str] = field(default_factory=dict)  # field name → stored value


class CandidateFileError(DomainError):
    """The file was refused; the message counts its problems, `errors` holds the first
    `PROBLEMS_LISTED` of them and `listed` says them, then how many more. Nothing was imported.
    """

    def __init__(self, errors):
        found = errors if isinstance(errors, Problems) else Problems(errors)
        count = len(found)
        super().__init__(
            f"Nothing was imported: the file has {count:,} problem{'s' if count != 1 else ''}.",
            field="file",
        )
        self.errors = found
        self.listed = found.listed()


def _key(text: str) -> str:
    """How names are compared: trimmed, case-insensitive, a typographic apostrophe as '."""
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def _names(things: Iterable) -> str:
    return ", ".join(thing.name for thing in things)


@dataclass
class _Header:
    area_column: int | None = None
    agency_columns: dict[int, Agency] = field(default_factory=dict)
    # The case profile fields the file gives (maca.profiles).
    profile_columns: dict[int, ProfileField] = field(default_factory=dict)


def _read_header(header: list[str], agencies) -> tuple[_Header, Problems[CsvError]]:
    """Which column holds the area, which each agency's record numbers, which each profile
    field, and what is wrong."""
    by_name = {_key(agency.name): agency for agency in agencies}
    found = _Header()
    area_column: int | None = None
    agency_columns = found.agency_columns
    errors: Problems[CsvError] = Problems()
    seen: dict[str, int] = {}
    for column, heading in enumerate(header, start=1):
        key = _key(heading)
        if not key:
            continue  # an empty heading is allowed while its column stays empty
        if key in seen:
            errors.append(
                CsvError(
                    f"the same heading is on column {seen[key]}", 1, column, shown(heading.strip())
                )
            )
            continue
        seen[key] = column
        if key == AREA_COLUMN:
            area_column = column
        elif key in by_name:
            agency_columns[column] = by_name[key]
        elif (profile_field := profiles.field_for_heading(heading)) is not None:
            if profile_field in found.profile_columns.values():
                errors.append(
                    CsvError(
                        f"{profile_field.label.lower()} is also on another column",
                        1,
                        column,
                        shown(heading.strip()),
                    )
                )
            else:
                found.profile_columns[column] = profile_field
        else:
            errors.append(
                CsvError(
                    "not an agency of this partnership; agencies are " + _names(agencies),
                    1,
                    column,
                    shown(heading.strip()),
                )
            )
    if area_column is None:
        errors.append(CsvError("the first row must have an 'area' column", 1))
    if not agency_columns:
        errors.append(
            CsvError(
                "the first row must have a column for at least one agency, headed with its "
                "name: " + _names(agencies),
                1,
            )
        )
    found.area_column = area_column
    return found, errors


class _Unreadable(Exception):
    def __init__(self, error: CsvError):
        self.error = error


def _records(text: str):
    """(line where the record starts, its cells), skipping rows with nothing in them; a record
    wider than maca reads, or one more than the rows it reads, ends the reading."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start, count = 1, 0
    try:
        for cells in reader:
            if len(cells) > CSV_MAX_COLUMNS:
                raise _Unreadable(
                    CsvError(
                        f"the row has {len(cells):,} columns, more than maca reads "
                        f"({CSV_MAX_COLUMNS}): keep the area and a column for each agency",
                        start,
                    )
                )
            if any(cell.strip() for cell in cells):
                count += 1
                if count > MAX_ROWS + 1:  # the first row names the columns
                    raise _Unreadable(CsvError(f"the file has more than {MAX_ROWS:,} rows"))
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise _Unreadable(CsvError(f"the file is not readable as CSV ({error})", start)) from None


def candidates_parse(
    text: str, areas: Sequence, agencies: Sequence
) -> tuple[list[CandidateRow], Problems[CsvError]]:
    """Read the candidates' CSV text: a header row (`area`, then one column per involved agency,
    headed with the agency's name) and a row per candidate (its area's name and each agency's
    own record number, or empty when the agency is not involved).

    Columns for case profile fields may follow, headed with the field's name ("Age band",
    "Level of need"...); each value is one of the field's (its label or stored value, case and
    spacing ignored: `maca.profiles.value_for`) or empty, for not recorded. Every field is
    read, whether or not the partnership records it: the case keeps the values, and shows and
    counts those of the fields the partnership records (decision 69).

    Returns the good rows and the problems found (all counted, the first few kept: `Problems`),
    each by line and column. `areas` and `agencies` are the partnership's (anything with a
    `name`).
    """
    try:
        records = list(_records(text))
    except _Unreadable as unreadable:
        return [], Problems([unreadable.error])
    if not records:
        return [], Problems([CsvError("the file is empty")])
    header_line, header = records[0]
    if header_line != 1:
        return [], Problems([CsvError("the first line must name the columns", 1)])
    if len(records) == 1:
        return [], Problems(
            [CsvError("the file has only the first row: add a row for each candidate case")]
        )
    if len(header) == 1 and ";" in header[0]:
        return [], Problems([CsvError("separate the columns with commas, not semicolons", 1)])
    found, errors = _read_header(header, agencies)
    area_column, agency_columns = found.area_column, found.agency_columns
    areas_by_name = {_key(area.name): area for area in areas}
    first_seen: dict[tuple[Any, str], int] = {}
    rows = []

    def error(message, line, column):
        heading = header[column - 1].strip() if column <= len(header) else ""
        errors.append(CsvError(message, line, column, shown(heading)))

    for line, cells in records[1:]:
        row_errors = len(errors)
        area = None
        if area_column is not None:
            value = cells[area_column - 1].strip() if area_column <= len(cells) else ""
            area = areas_by_name.get(_key(value))
            if not value:
                error("the area is empty; areas are " + _names(areas), line, area_column)
            elif area is None:
                error(
                    f"'{shown(value)}' is not an area of this partnership; areas are "
                    + _names(areas),
                    line,
                    area_column,
                )
        record_numbers = {}
        profile = {}
        for column, cell in enumerate(cells, start=1):
            value = cell.strip()
            if not value or column == area_column:
                continue
            if column in found.profile_columns:
                profile_field = found.profile_columns[column]
                stored = profiles.value_for(profile_field, value)
                if stored is None:
                    error(
                        f"'{shown(value)}' is not a {profile_field.label.lower()}; use one of "
                        + profiles.labels(profile_field)
                        + ", or leave it empty",
                        line,
                        column,
                    )
                elif stored:
                    profile[profile_field.value] = stored
                continue
            if column > len(header) or not header[column - 1].strip():
                error("a value in a column with no heading", line, column)
                continue
            agency = agency_columns.get(column)
            if agency is None:
                continue  # the heading is already reported
            if len(value) > MAX_RECORD_NUMBER:
                error(
                    f"the record number is longer than {MAX_RECORD_NUMBER} characters", line, column
                )
            elif any(ord(char) < 32 for char in value):
                error("the record number contains a line break or control character", line, column)
            elif (agency.name, value) in first_seen:
                error(
                    f"record number '{value}' is also on line {first_seen[agency.name, value]}",
                    line,
                    column,
                )
            else:
                first_seen[agency.name, value] = line
                record_numbers[agency] = value
        if agency_columns and not any(
            column <= len(cells) and cells[column - 1].strip() for column in agency_columns
        ):
            column = min(agency_columns)
            error("no agency is involved: give at least one agency's record number", line, column)
        if len(errors) == row_errors:
            rows.append(
                CandidateRow(line=line, area=area, record_numbers=record_numbers, profile=profile)
            )
    return rows, errors


def candidates_example(
    areas: Sequence, agencies: Sequence, profile_fields: Sequence[str] = ()
) -> str:
    """A short example file for the partnership, with invented record numbers (and a column
    for each case profile field it records, with invented values)."""
    fields = profiles.chosen(profile_fields)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [AREA_COLUMN, *(agency.name for agency in agencies), *(f.label for f in fields)]
    )
    for i, area in enumerate(areas[:3]):
        writer.writerow(
            [
                area.name,
                *(
                    ""
                    if len(agencies) > 1 and (i + j) % 3 == 2
                    else f"{_initials(agency)}-{10041 + 3517 * i + 271 * j}"
                    for j, agency in enumerate(agencies)
                ),
                *(_example_value(f, i) for f in fields),
            ]
        )
    return out.getvalue()


def _example_value(profile_field: ProfileField, i: int) -> str:
    labels = profile_field.choices_class.labels
    return labels[(2 * i + len(profile_field.value)) % len(labels)]


def _decode(file_bytes: bytes) -> str:
    if not file_bytes.strip():
        raise CandidateFileError([CsvError("the file is empty")])
    if len(file_bytes) > MAX_FILE_BYTES:
        raise CandidateFileError(
            [CsvError(f"the file is larger than {size_words(MAX_FILE_BYTES)}")]
        )
    if file_bytes.startswith(b"PK\x03\x04"):
        raise CandidateFileError(
            [CsvError("the file is an Excel workbook: save it as 'CSV UTF-8 (Comma delimited)'")]
        )
    try:
        text = file_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise CandidateFileError(
            [CsvError("the file is not UTF-8 text: save it as 'CSV UTF-8 (Comma delimited)'")]
        )
    return text


# --- Rules shared by the services ------------------------------------------------------------


def may_change_cases(audit: Audit) -> bool:
    return audit.allows.change_sample


def is_drawn(audit: Audit) -> bool:
    """Whether the sample has been drawn (so candidates can no longer be replaced)."""
    return audit.sample_seed is not None or audit.candidates.filter(case__isnull=False).exists()


def _lock(audit: Audit) -> None:
    """Hold the audit's row for this transaction and check it is still being planned."""
    status, seed = (
        Audit.objects.select_for_update().filter(pk=audit.pk).values_list("status", "sample_seed")
    ).get()
    audit.status, audit.sample_seed = status, seed
    if not may_change_cases(audit):
        raise DomainError(f"{PLANNING_ONLY} This audit is {audit.get_status_display().lower()}.")


def _initials(area_or_agency) -> str:
    """The first letter of each word of the name, upper case: "North East" is "NE"."""
    name = re.sub(r"['\u2019]", "", area_or_agency.name)  # "King's Lynn" is "KL"
    words = re.findall(r"[^\W_]+", name)
    return "".join(word[0] for word in words).upper() or "A"


def _next_number(audit: Audit) -> int:
    """One more than any number a case of this audit has had, so none is ever reused: the
    references of removed cases are in the change history."""
    references = list(Case.objects.filter(audit=audit).values_list("reference", flat=True))
    removed = ChangeRecord.objects.filter(
        audit_id=audit.pk, object_type=Case._meta.label_lower, action="delete"
    ).values_list("before", flat=True)
    references += [before.get("reference", "") for before in removed if before]
    numbers = [int(m.group(1)) for r in references if (m := re.search(r"(\d+)$", r))]
    return max(numbers, default=0) + 1


def _case_create(
    *,
    audit: Audit,
    area: Area,
    record_numbers: dict[Agency, str],
    profile: dict[str, str] | None = None,
) -> Case:
    # Values of the fields' own (the file was checked), whether the partnership shows them or not.
    given = profile or {}
    case = Case.objects.create(
        partnership=audit.partnership,
        audit=audit,
        area=area,
        reference=f"{_initials(area)}-{_next_number(audit):02d}",
        **{
            name: stored
            for name in ProfileField
            if (stored := profiles.value_for(name, given.get(name, "")))
        },
    )
    for agency in sorted(record_numbers, key=in_partnership_order):
        Request.objects.create(
            partnership=audit.partnership,
            audit=audit,
            case=case,
            agency=agency,
            agency_record_number=record_numbers[agency],
            status=RequestStatus.OUTSTANDING,
            due=audit.returns_due,
            sent_at=None,
        )
    return case


def _case_from(candidate: Candidate) -> Case:
    ids = [int(pk) for pk in candidate.record_numbers]
    agencies = Agency.objects.filter(partnership_id=candidate.partnership_id, pk__in=ids)
    numbers = {agency: candidate.record_numbers[str(agency.pk)] for agency in agencies}
    case = _case_create(
        audit=candidate.audit,
        area=candidate.area,
        record_numbers=numbers,
        profile=candidate.profile,
    )
    candidate.case = case
    candidate.save()
    return case


def undrawn_candidates(audit: Audit):
    """Candidates that may still become cases: not drawn, not swapped out."""
    return audit.candidates.filter(case__isnull=True, swapped_out_reason="")


# --- Services -------------------------------------------------------------------------------


@transaction.atomic
def candidates_upload(*, audit: Audit, by, file_bytes: bytes) -> list[Candidate]:
    """Replace the audit's candidates with the rows of a CSV file, all or nothing.

    Only while the audit is being planned and before the sample is drawn. Every problem in
    the file is reported by line and column (`CandidateFileError`), and then nothing changes.
    """
    _lock(audit)
    if is_drawn(audit):
        raise DomainError("The sample has been drawn: candidates can no longer be uploaded.")
    text = _decode(file_bytes)
    areas = list(Area.objects.filter(partnership=audit.partnership))
    agencies = list(Agency.objects.filter(partnership=audit.partnership))
    rows, errors = candidates_parse(text, areas, agencies)
    if errors:
        raise CandidateFileError(errors)
    with tracking.actor(by, via="web", reason="Candidates uploaded"):
        for candidate in audit.candidates.filter(case__isnull=True):
            candidate.delete()
        return [
            Candidate.objects.create(
                partnership=audit.partnership,
                audit=audit,
                line=row.line,
                area=row.area,
                record_numbers={str(a.pk): number for a, number in row.record_numbers.items()},
                profile=row.profile,
            )
            for row in rows
        ]


def draw(candidates: Sequence, plan: Sequence[tuple[Any, int]], seed: int) -> dict[Any, list]:
    """The pure draw: for each (area, n) of the plan in order, n of that area's candidates
    (taken in the order given) chosen with one `random.Random(seed)`. Same inputs, same draw."""
    rng = random.Random(seed)
    chosen = {}
    for area, n in plan:
        pool = [c for c in candidates if c.area == area]
        chosen[area] = rng.sample(pool, n)
    return chosen


@transaction.atomic
def sample_draw(*, audit: Audit, by, seed: int | None = None) -> list[Case]:
    """Draw the sample: for each area of the sample plan, that many of its candidates at random.

    The seed is recorded on the audit; the same seed over the same candidates gives the same
    draw. Refused when an area has fewer candidates than its plan needs, or the sample has
    already been drawn.
    """
    _lock(audit)
    if is_drawn(audit):
        raise DomainError(f"The sample has already been drawn (seed {audit.sample_seed}).")
    if seed is None:
        seed = secrets.randbelow(2**63)
    plan = [
        (entry.area, entry.cases)
        for entry in SamplePlanEntry.objects.filter(audit=audit).select_related("area")
        if entry.cases
    ]
    if not plan:
        raise DomainError("The audit has no sample plan: say how many cases to draw per area.")
    candidates = list(undrawn_candidates(audit).select_related("area", "audit__partnership"))
    available = Counter(candidate.area for candidate in candidates)
    short = [
        f"{area.name} has {available[area]} candidate{'s' if available[area] != 1 else ''} "
        f"and the plan needs {n}"
        for area, n in plan
        if available[area] < n
    ]
    if short:
        raise DomainError("Not enough candidates: " + "; ".join(short) + ".")
    with tracking.actor(by, via="web", reason=f"Sample drawn with seed {seed}"):
        audit.sample_seed = seed
        audit.save(update_fields=["sample_seed"])
        chosen = draw(candidates, plan, seed)
        return [_case_from(candidate) for area, _ in plan for candidate in chosen[area]]


@transaction.atomic
def case_add(*, audit: Audit, by, area: Area, agencies: list[Agency]) -> Case:
    """Add a case by hand, in one of the partnership's areas, with at least one agency."""
    _lock(audit)
    if area.partnership_id != audit.partnership_id:
        raise DomainError("Choose an area of this partnership.", field="area")
    if not agencies:
        raise DomainError("Select at least one agency involved in the case.", field="agencies")
    if any(agency.partnership_id != audit.partnership_id for agency in agencies):
        raise DomainError("Choose agencies of this partnership.", field="agencies")
    with tracking.actor(by, via="web", reason="Case added by hand"):
        return _case_create(audit=audit, area=area, record_numbers=dict.fromkeys(agencies, ""))


@transaction.atomic
def case_swap(*, case: Case, by, reason: str, replacement: Candidate | None) -> Case | None:
    """Swap a case out of the sample (with a reason), and optionally a candidate in.

    The case and its requests are removed; the candidate it came from, if any, keeps the
    reason and is not drawn again. The replacement must be a candidate of the same audit that
    has not been drawn or swapped out. Returns the new case, if any. The change history
    records the reason against every change.
    """
    audit = case.audit
    _lock(audit)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for the swap.", field="reason")
    if replacement is not None and not undrawn_candidates(audit).filter(pk=replacement.pk).exists():
        raise DomainError(
            "Choose a candidate of this audit that has not been drawn or swapped out.",
            field="replacement",
        )
    with tracking.actor(by, via="web", reason=reason):
        new_case = _case_from(replacement) if replacement is not None else None
        candidate = Candidate.objects.filter(case=case).first()
        if candidate is not None:
            # Unlinked first, by a save, so history records it (SET_NULL would bypass signals).
            candidate.case = None
            candidate.swapped_out_reason = reason
            candidate.save()
        case.delete()
    return new_case
