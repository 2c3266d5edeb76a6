"""The Excel template of a past audit, made for one partnership: its layout is the contract
that `maca.bundles.spreadsheet` reads (sheets, labels, headings), so both take it from here.

Sheets: Instructions (plain words), Audit (labels in column A, answers in column B), Cases (a
header row, then one row per case), and a hidden Lists sheet holding the choices offered by the
drop-down lists (an inline list cannot hold a name with a comma).
"""

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from maca.downloads import workbook_bytes
from maca.grades import Grade
from maca.partnerships.models import Partnership
from maca.partnerships.ordering import partnership_order
from maca.uploads.limits import HISTORY_MAX_CASES as MAX_CASES
from maca.uploads.limits import XLSX_MAX_BYTES, size_words

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS, AUDIT, CASES, LISTS = "Instructions", "Audit", "Cases", "Lists"
AREA, RATIFIED, REASON, THEMES = "Area", "Ratified grade", "Not scored reason", "Themes"
GRADE_SUFFIX = " grade"


@dataclass(frozen=True)
class AuditCell:
    label: str
    required: str = ""  # the message when the cell is empty; empty when optional
    note: str = ""


AUDIT_CELLS = [
    AuditCell(
        "Title",
        "enter the audit's title",
        "Required. Different from the title of every other audit of the partnership.",
    ),
    AuditCell("Theme", "enter the audit's theme", "Required. For example: Neglect."),
    AuditCell(
        "Why it was chosen", note="Optional. For example: a priority in an Ofsted improvement plan."
    ),
    AuditCell("Link", note="Optional. A web address, like https://example.org/review."),
    AuditCell(
        "Meeting date",
        "enter the date of the audit meeting, like 20/11/2017",
        "Required. The date of the multi-agency audit meeting, like 20/11/2017.",
    ),
]


def history_template(partnership: Partnership) -> bytes:
    """The Excel template of a past audit for this partnership: its areas and agencies."""
    areas = [area.name for area in partnership.areas.order_by(*partnership_order())]
    agencies = [agency.name for agency in partnership.agencies.order_by(*partnership_order())]
    workbook = Workbook()
    _instructions_sheet(workbook.active, areas, agencies)
    _audit_sheet(workbook.create_sheet(AUDIT))
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    _cases_sheet(workbook.create_sheet(CASES), lists, areas, agencies)
    workbook.properties.creator = "maca"
    return workbook_bytes(workbook)


BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3F2F1")
WRAP = Alignment(wrap_text=True, vertical="top")


def _instructions_sheet(sheet, areas: list[str], agencies: list[str]) -> None:
    sheet.title = INSTRUCTIONS
    grades = ", ".join(g.label for g in Grade)
    lines = [
        ("Loading a past audit into maca", Font(bold=True, size=14)),
        (
            "Fill in one workbook for each audit held before maca, from the partnership's own "
            "records, then upload it on the page you downloaded it from.",
            None,
        ),
        ("", None),
        ("1. The Audit sheet", BOLD),
        (
            "Give the audit's title, its theme, why it was chosen, a link if there is one, and the "
            "date of its multi-agency audit meeting.",
            None,
        ),
        ("", None),
        ("2. The Cases sheet: one row for each case audited", BOLD),
        (f"Area: the case's area, one of: {', '.join(areas) or 'none set up yet'}.", None),
        (
            "One column for each agency (“… grade”): the grade the agency gave its own "
            "involvement. Leave it empty when the agency was not involved. You may delete the "
            "columns of agencies that took no part.",
            None,
        ),
        ("Ratified grade: the grade the meeting agreed for the case.", None),
        (
            "Not scored reason: only when the ratified grade is Not scored, say why (for example, "
            "insufficient information to grade).",
            None,
        ),
        (
            "Themes: the audit's themes that the case shows, separated by semicolons, for example: "
            "Information sharing; Engagement. A theme with the same title as one in the "
            "partnership's theme library is linked to it, so that it can be followed across "
            "audits.",
            None,
        ),
        (f"Grades are: {grades}.", None),
        (
            f"Up to {MAX_CASES} cases. Empty rows are skipped. Do not change the first row of the "
            "Cases sheet or the labels of the Audit sheet.",
            None,
        ),
        ("", None),
        ("No names", BOLD),
        (
            "Do not enter names, dates of birth, addresses or record numbers. maca gives each case "
            "its own reference (H-01, H-02 …).",
            None,
        ),
        ("", None),
        ("3. Upload", BOLD),
        (
            f"Save the workbook as an Excel Workbook (.xlsx), up to {size_words(XLSX_MAX_BYTES)}. "
            "If any cell has a "
            "problem, nothing is loaded and every problem is listed by its row and column. The "
            "audit is loaded as closed, with its cases, their grades and their themes.",
            None,
        ),
        ("", None),
        (f"The partnership's agencies: {', '.join(agencies) or 'none set up yet'}.", None),
    ]
    sheet.column_dimensions["A"].width = 100
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.alignment = WRAP
        if font is not None:
            cell.font = font


def _header(cell, text: str) -> None:
    cell.value = text
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.alignment = WRAP


def _audit_sheet(sheet) -> None:
    for column, text in enumerate(["About the audit", "Answer", "Notes"], start=1):
        _header(sheet.cell(row=1, column=column), text)
    for row, spec in enumerate(AUDIT_CELLS, start=2):
        sheet.cell(row=row, column=1, value=spec.label).font = BOLD
        sheet.cell(row=row, column=2).alignment = WRAP
        sheet.cell(row=row, column=3, value=spec.note).alignment = WRAP
    date_row = 2 + [c.label for c in AUDIT_CELLS].index("Meeting date")
    sheet.cell(row=date_row, column=2).number_format = "DD/MM/YYYY"
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(1990,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a date",
        error="Enter the date of the audit meeting, like 20/11/2017.",
    )
    dates.add(f"B{date_row}")
    sheet.add_data_validation(dates)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 60
    sheet.freeze_panes = "A2"


def _cases_sheet(sheet, lists, areas: list[str], agencies: list[str]) -> None:
    headings = [AREA, *(f"{name}{GRADE_SUFFIX}" for name in agencies), RATIFIED, REASON, THEMES]
    widths = {AREA: 16, RATIFIED: 22, REASON: 40, THEMES: 60}
    for column, heading in enumerate(headings, start=1):
        _header(sheet.cell(row=1, column=column), heading)
        width = widths.get(heading, min(max(len(heading) + 2, 16), 40))
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    last = MAX_CASES + 1
    # The choices live on a hidden sheet: an inline list cannot hold a name with a comma.
    _header(lists.cell(row=1, column=1), "Areas")
    _header(lists.cell(row=1, column=2), "Grades")
    for row, name in enumerate(areas, start=2):
        lists.cell(row=row, column=1, value=name)
    for row, grade in enumerate(Grade, start=2):
        lists.cell(row=row, column=2, value=grade.label)
    if areas:
        area_list = _choices(
            f"{quote_sheetname(LISTS)}!$A$2:$A${len(areas) + 1}",
            "Not an area",
            "Choose the case's area from the list.",
        )
        area_list.add(f"A2:A{last}")
        sheet.add_data_validation(area_list)
    grade_list = _choices(
        f"{quote_sheetname(LISTS)}!$B$2:$B${len(Grade) + 1}",
        "Not a grade",
        "Choose a grade from the list: " + ", ".join(g.label for g in Grade) + ".",
    )
    for column in range(2, len(agencies) + 3):  # each agency's grade, then the ratified grade
        letter = get_column_letter(column)
        grade_list.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(grade_list)


def _choices(formula: str, title: str, message: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=message,
    )
