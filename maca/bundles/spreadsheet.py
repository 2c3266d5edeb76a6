"""Past audits from a spreadsheet: the Excel template that a partnership fills from its old
records (one row per case: area, each agency's grade, the ratified grade, themes; made by
`spreadsheet_template`), read and loaded as a closed audit, all or nothing.

Every problem in the workbook is reported by row and column ("Row 4, column C (Police grade):
…") and then nothing is written, as for the candidates' CSV file. No names: the cases get
references made here ("H-01", "H-02" …), and the template has no column for anything else.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError
from django.utils import timezone
from openpyxl.utils import get_column_letter

from maca.audits.models import Audit, AuditStatus, RequestStatus
from maca.errors import DomainError
from maca.grades import Grade
from maca.links import link_problem
from maca.partnerships.models import Agency, Area, Partnership
from maca.partnerships.ordering import in_partnership_order, partnership_order
from maca.uploads.limits import SHEET_MAX_CELL_CHARS
from maca.uploads.problems import Problems, shown
from maca.uploads.workbook import NOT_XLSX, WorkbookRefused, workbook_open

from .services import DuplicateAudit, bundle_import
from .spreadsheet_template import (
    AREA,
    AUDIT,
    AUDIT_CELLS,
    CASES,
    CONTENT_TYPE,
    GRADE_SUFFIX,
    MAX_CASES,
    RATIFIED,
    REASON,
    THEMES,
    history_template,
)
from .validation import InvalidBundle

# What the pages use, the template's own names included.
__all__ = [
    "CONTENT_TYPE",
    "MAX_CASES",
    "NOT_XLSX",
    "HistoryFileError",
    "history_import",
    "history_read",
    "history_template",
]

MAX_TITLE = 200  # Audit.title, Audit.theme and AuditTheme.title
REFERENCE_PREFIX = "H"
AGENCY_NOT_SCORED_REASON = "Not scored (from the partnership's records)"


# --- Reading a filled template --------------------------------------------------------------


class HistoryFileError(DomainError):
    """The workbook was refused; `summary` counts its problems and `problems` lists them (the
    first `PROBLEMS_LISTED`, then how many more). Nothing was loaded."""

    def __init__(self, problems):
        found = problems if isinstance(problems, Problems) else Problems(problems)
        count = len(found)
        self.summary = (
            f"Nothing was loaded: the file has {count:,} problem{'s' if count != 1 else ''}."
        )
        self.problems = found.listed()
        super().__init__("\n".join([self.summary, *self.problems]), field="file")


@dataclass
class PastCase:
    row: int
    area: Area
    grades: dict[Agency, str] = field(default_factory=dict)
    ratified: str = ""
    reason: str = ""
    themes: list[str] = field(default_factory=list)


@dataclass
class PastAudit:
    title: str
    theme: str
    rationale: str
    rationale_link: str
    meeting_date: datetime.date
    cases: list[PastCase]


def _key(text: str) -> str:
    """How names are compared: trimmed, case-insensitive, a typographic apostrophe as '."""
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def _text(value) -> str:
    """A cell's value as text. One longer than maca reads is cut a character past the limit,
    and not trimmed, so that it costs no more than that and is then refused by its length."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if len(text) > SHEET_MAX_CELL_CHARS:
        return text[: SHEET_MAX_CELL_CHARS + 1]
    return text.strip()


TOO_LONG = f"keep the cell to {SHEET_MAX_CELL_CHARS:,} characters"


GRADES = {_key(grade.label): grade.value for grade in Grade} | {
    _key(grade.value.replace("_", " ")): grade.value for grade in Grade
}
GRADE_WORDS = ", ".join(g.label for g in Grade.scale()) + f" or {Grade.NOT_SCORED.label}"


def _grade(value: str) -> str | None:
    if len(value) > 40:  # no grade is as long
        return None
    return GRADES.get(_key(value.replace("_", " ")))


def history_read(*, partnership: Partnership, data: bytes) -> PastAudit:
    """The past audit in a filled template, or `HistoryFileError` listing its problems.

    The workbook is opened within maca's limits (`maca.uploads.workbook`): one over them is
    refused, naming the limit, before its sheets are read."""
    try:
        workbook = workbook_open(data, sheets=(AUDIT, CASES))
    except WorkbookRefused as refused:
        raise HistoryFileError(refused.problems) from None
    try:
        missing = [name for name in (AUDIT, CASES) if name not in workbook.sheetnames]
        if missing:
            raise HistoryFileError(
                [
                    f"The workbook has no sheet called {name}: fill in the template from this page"
                    for name in missing
                ]
            )
        audit_rows = _rows(workbook[AUDIT], max_col=2, max_row=100)
        case_rows = _rows(workbook[CASES])
    finally:
        workbook.close()
    problems: Problems[str] = Problems()
    details = _read_audit(audit_rows, partnership, problems)
    cases = _read_cases(case_rows, partnership, problems)
    if problems:
        raise HistoryFileError(problems)
    return PastAudit(**details, cases=cases)


def _rows(sheet, **bounds) -> list[tuple]:
    """The sheet's rows of values; its size is within maca's limits, so all of them at once."""
    try:
        return list(sheet.iter_rows(values_only=True, **bounds))
    except Exception:  # a part that is not a worksheet fails in many ways, all meaning this
        raise HistoryFileError([NOT_XLSX]) from None


def _read_audit(rows: list[tuple], partnership: Partnership, problems: Problems) -> dict:
    """The Audit sheet's values, found by their labels in column A."""
    found: dict[str, tuple[int, object]] = {}
    for row, cells in enumerate(rows, 1):
        label = _key(_text(cells[0] if cells else None))
        if label and label not in found:
            found[label] = (row, cells[1] if len(cells) > 1 else None)
    values: dict[str, tuple[int | None, object]] = {}
    for spec in AUDIT_CELLS:
        if _key(spec.label) not in found:
            problems.append(f"Audit sheet, column A: no row is labelled {spec.label}")
            values[spec.label] = (None, None)
            continue
        row, value = found[_key(spec.label)]
        values[spec.label] = (row, value)

    def problem(label: str, message: str) -> None:
        problems.append(f"Audit sheet, cell B{values[label][0]} ({label}): {message}")

    def text(label: str) -> str:
        row, value = values[label]
        value = _text(value)
        spec = next(s for s in AUDIT_CELLS if s.label == label)
        if row is not None and not value and spec.required:
            problem(label, spec.required)
        if len(value) > SHEET_MAX_CELL_CHARS:
            problem(label, TOO_LONG)
        return value

    title, theme = text("Title"), text("Theme")
    for label, value in (("Title", title), ("Theme", theme)):
        if len(value) > MAX_TITLE:
            problem(label, f"keep it to {MAX_TITLE} characters")
    if title and Audit.objects.filter(partnership=partnership, title=title).exists():
        problem("Title", _title_taken(title))
    link = text("Link")
    if wrong := link_problem(link):
        # Only a web address: it becomes a link on the audit's page and in its report.
        problem("Link", wrong[0].lower() + wrong[1:])
    return {
        "title": title,
        "theme": theme,
        "rationale": text("Why it was chosen"),
        "rationale_link": link,
        "meeting_date": _meeting_date(values["Meeting date"], problem),
    }


def _title_taken(title: str) -> str:
    return f"the partnership already has an audit called {title}: give this one another title"


def _meeting_date(cell, problem) -> datetime.date | None:
    row, value = cell
    if row is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    elif isinstance(value, str) and value.strip():
        value = _parse_date(value.strip())
        if value is None:
            problem("Meeting date", "enter the date as a date, like 20/11/2017")
            return None
    elif value not in (None, ""):
        problem("Meeting date", "enter the date as a date, like 20/11/2017")
        return None
    if not value:
        problem("Meeting date", "enter the date of the audit meeting, like 20/11/2017")
        return None
    if value > timezone.localdate():
        problem("Meeting date", "the date is in the future: load only audits already held")
    return value


def _parse_date(text: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Column:
    kind: str  # "area", "agency", "ratified", "reason" or "themes"
    heading: str
    agency: Agency | None = None


def _read_header(cells, agencies: list[Agency]) -> tuple[dict[int, Column], list[str]]:
    """Which column holds what, by its heading, and what is wrong with the first row."""
    by_name = {_key(agency.name): agency for agency in agencies}
    fixed = {_key(AREA): "area", _key(RATIFIED): "ratified", _key(REASON): "reason"}
    fixed[_key(THEMES)] = "themes"
    columns: dict[int, Column] = {}
    problems: list[str] = []
    seen: dict[str, str] = {}
    for number, value in enumerate(cells, start=1):
        heading, key = _text(value), _key(_text(value))
        if not key:
            continue  # allowed while its column stays empty
        where = f"Row 1, column {get_column_letter(number)} ({shown(heading)})"
        if key in seen:
            problems.append(f"{where}: the same heading is in column {seen[key]}")
            continue
        seen[key] = get_column_letter(number)
        if key in fixed:
            columns[number] = Column(fixed[key], heading)
        elif key.endswith(GRADE_SUFFIX):
            name = heading[: -len(GRADE_SUFFIX)].strip()
            agency = by_name.get(_key(name))
            if agency is None:
                names = ", ".join(a.name for a in agencies)
                problems.append(
                    f"{where}: no agency of the partnership is called {shown(name)}; "
                    f"its agencies are {names}"
                )
            else:
                columns[number] = Column("agency", heading, agency)
        else:
            problems.append(
                f"{where}: not a column of the template; the columns are {AREA}, an agency's "
                f"name followed by 'grade', {RATIFIED}, {REASON} and {THEMES}"
            )
    kinds = {column.kind for column in columns.values()}
    for kind, heading in (("area", AREA), ("ratified", RATIFIED)):
        if kind not in kinds:
            problems.append(f"Row 1: the first row must have a column headed {heading}")
    return columns, problems


def _read_cases(rows: list[tuple], partnership: Partnership, problems: Problems) -> list[PastCase]:
    agencies = list(Agency.objects.filter(partnership=partnership))
    areas = list(Area.objects.filter(partnership=partnership).order_by(*partnership_order()))
    area_names = ", ".join(area.name for area in areas)
    areas_by_name = {_key(area.name): area for area in areas}
    header = rows[0] if rows else ()
    columns, header_problems = _read_header(header, agencies)
    kinds = {column.kind: number for number, column in columns.items()}
    filled: list[tuple[int, list[str]]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(value is not None and value != "" for value in row):
            continue  # the common empty row, told cheaply
        cells = [_text(value) for value in row]
        if not any(cells):
            continue  # an empty row, at the end or in the middle
        filled.append((number, cells))
        if len(filled) > MAX_CASES:
            problems.extend(header_problems)
            problems.append(
                f"The Cases sheet has more than {MAX_CASES} cases: load at most "
                f"{MAX_CASES} in one audit"
            )
            return []
    problems.extend(header_problems)
    if not filled:
        problems.append("The Cases sheet has no cases: add a row for each case under the first")
        return []
    cases = []
    for number, cells in filled:
        before = len(problems)

        def problem(column: int, message: str, number=number) -> None:
            heading = _text(header[column - 1]) if column <= len(header) else ""
            where = f"Row {number}, column {get_column_letter(column)}"
            problems.append(f"{where}{f' ({shown(heading)})' if heading else ''}: {message}")

        def value(kind: str, cells=cells) -> str:
            column = kinds.get(kind)
            return cells[column - 1] if column and column <= len(cells) else ""

        for column, cell in enumerate(cells, start=1):
            if len(cell) > SHEET_MAX_CELL_CHARS:
                problem(column, TOO_LONG)
            elif (
                cell
                and column not in columns
                and not _text(header[column - 1] if column <= len(header) else None)
            ):
                problem(column, "a value in a column with no heading")
        area = areas_by_name.get(_key(value("area")))
        if "area" in kinds and not value("area"):
            problem(kinds["area"], f"enter the case's area; areas are {area_names}")
        elif "area" in kinds and area is None:
            problem(
                kinds["area"],
                f"{shown(value('area'))} is not an area of the partnership; areas are {area_names}",
            )
        grades: dict[Agency, str] = {}
        for column, spec in columns.items():
            cell = cells[column - 1] if column <= len(cells) else ""
            if spec.agency is not None and cell:  # an agency's grade column
                grade = _grade(cell)
                if grade is None:
                    problem(column, f"{shown(cell)} is not a grade; grades are {GRADE_WORDS}")
                else:
                    grades[spec.agency] = grade
        ratified = value("ratified")
        grade_ratified = ""
        if "ratified" in kinds:
            grade_ratified = _grade(ratified) or ""
            if not ratified:
                problem(kinds["ratified"], f"enter the grade the meeting agreed: {GRADE_WORDS}")
            elif not grade_ratified:
                problem(
                    kinds["ratified"], f"{shown(ratified)} is not a grade; grades are {GRADE_WORDS}"
                )
        reason = value("reason")
        if grade_ratified == Grade.NOT_SCORED and not reason:
            if "reason" in kinds:
                problem(kinds["reason"], "give the reason the case was not scored")
            else:
                problem(
                    kinds["ratified"],
                    f"add a {REASON} column and give the reason the case was not scored",
                )
        elif grade_ratified and grade_ratified != Grade.NOT_SCORED and reason:
            problem(kinds["reason"], "give a reason only for a case that is not scored")
        themes = _themes(value("themes"), kinds.get("themes"), problem)
        # Without an area column (told once, from the header) no row has an area.
        if len(problems) == before and area is not None:
            cases.append(
                PastCase(
                    row=number,
                    area=area,
                    grades=grades,
                    ratified=grade_ratified,
                    reason=reason,
                    themes=themes,
                )
            )
    return cases


def _themes(cell: str, column: int | None, problem) -> list[str]:
    themes: dict[str, str] = {}
    for part in cell.split(";"):
        title = " ".join(part.split())
        if len(title) > MAX_TITLE:
            problem(
                column,
                f"a theme is longer than {MAX_TITLE} characters: separate the "
                "themes with semicolons (;)",
            )
        elif title:
            themes.setdefault(_key(title), title)
    return list(themes.values())


# --- Loading it ------------------------------------------------------------------------------


def history_import(*, partnership: Partnership, data: bytes, by) -> Audit:
    """Load a past audit from a filled template, as a closed audit, or nothing at all.

    The workbook is checked whole first (`HistoryFileError` lists every problem, by row and
    column), then loaded as the audit bundle it amounts to (`history_bundle`) through
    `bundle_import`, the one way a past audit is written: the proposed grade of each case is
    the one the agencies' grades propose (`meetings.rules.propose_grade`), as for any bundle,
    not the ratified grade. The title must be new in the partnership.
    """
    past = history_read(partnership=partnership, data=data)
    try:
        return bundle_import(
            data=history_bundle(partnership, past),
            by=by,
            via="web",
            reason="loaded from a spreadsheet of past audits",
        )
    except (DuplicateAudit, IntegrityError):  # the same file loaded twice at once
        raise HistoryFileError([f"Audit sheet, Title: {_title_taken(past.title)}"]) from None
    except InvalidBundle as error:
        raise HistoryFileError([f"{e.path}: {e.message}" for e in error.errors]) from None


def history_bundle(partnership: Partnership, past: PastAudit) -> dict:
    """The past audit as an audit bundle, holding what the workbook says and nothing more.

    Each case gets a reference "H-nn" and a submitted return for each agency graded, carrying
    only the grade; its ratification is the grade the meeting agreed. Themes, one per title
    (the first spelling, in order of first mention), link to the partnership's library theme of
    the same title (any capitals), created when missing. No dates but the meeting's: the
    requests and returns are stamped with the import, as in any bundle without them.
    """
    areas = Area.objects.filter(partnership=partnership).order_by(*partnership_order())
    agencies = Agency.objects.filter(partnership=partnership).order_by(*partnership_order())
    titles: dict[str, str] = {}
    for case in past.cases:
        for title in case.themes:
            titles.setdefault(_key(title), title)
    by_area = Counter(case.area for case in past.cases)
    return {
        "format": "maca-audit-bundle/1",
        "partnership": partnership.name,
        "areas": [area.name for area in areas],
        "agencies": [agency.name for agency in agencies],
        "audit": {
            "title": past.title,
            "theme": past.theme,
            "rationale": past.rationale,
            "rationale_link": past.rationale_link or None,
            "status": AuditStatus.CLOSED,
            "sample_plan": {
                area.name: by_area[area] for area in sorted(by_area, key=in_partnership_order)
            },
            "meeting_date": past.meeting_date.isoformat(),
        },
        "questions": [],
        "themes": [
            {"title": title, "description": "", "library_theme": title} for title in titles.values()
        ],
        "cases": [
            _case_bundle(case, f"{REFERENCE_PREFIX}-{number:02d}", titles)
            for number, case in enumerate(past.cases, start=1)
        ],
        "recommendations": [],
    }


def _case_bundle(past: PastCase, reference: str, titles: dict[str, str]) -> dict:
    agencies = sorted(past.grades, key=in_partnership_order)
    return {
        "reference": reference,
        "area": past.area.name,
        "involved_agencies": [agency.name for agency in agencies],
        "returns": [
            {
                "agency": agency.name,
                "status": RequestStatus.SUBMITTED,
                "grade": past.grades[agency],
                "reason": (
                    AGENCY_NOT_SCORED_REASON if past.grades[agency] == Grade.NOT_SCORED else ""
                ),
                "answers": {},
                "good_practice": "",
                "areas_for_development": "",
                "learning": "",
                "immediate_action": None,
            }
            for agency in agencies
        ],
        "ratification": {
            "grade": past.ratified,
            "reason": past.reason if past.ratified == Grade.NOT_SCORED else "",
        },
        "themes": [titles[_key(title)] for title in past.themes],
        "good_practice": [],
        "concerns": [],
        "immediate_actions": [],
    }
