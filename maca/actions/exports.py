"""The monitoring list as files: a CSV for spreadsheets and a Word document for the QA sub-group.

Both list exactly the rows the page shows for the same filters, in the same order.

The CSV is safe to open in a spreadsheet: a cell that would start with a formula character
(=, +, -, @, tab, carriage return) starts with a single quote instead, as OWASP advises for CSV
injection, and every cell is quoted. It starts with a byte order mark, so Excel reads UTF-8.

The Word file follows the report's house style (`maca/reports/word.py`): Arial, named styles,
one real table whose header row repeats on each page, the marking in the header of every page.
It is landscape A4 for the width of the table. The same rows, filters and day always give the
same bytes: every date in the file is `today`, the zip entries' included.
"""

import datetime
import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from maca.downloads import csv_text
from maca.partnerships.models import Partnership
from maca.wordfiles import (
    BLACK,
    HEADER_FILL,
    arial,
    document_defaults,
    drop_thumbnail,
    fixed_zip,
    properties,
)

from . import rules
from .selectors import MonitoringRow

TITLE = "Actions being monitored"
MARKING = "OFFICIAL-SENSITIVE"
CSV_COLUMNS = [
    "Audit",
    "Agency",
    "Immediate",
    "Action",
    "Owner",
    "Due",
    "Status",
    "RAG",
    "Last update",
    "Themes",
]

MARGIN = Cm(2)
# Word columns, in cm: landscape A4 (29.7 cm) less two 2 cm margins is 25.7 cm.
WORD_COLUMNS = [
    ("Audit", 3.0),
    ("Agency", 2.5),
    ("Action", 5.6),
    ("Owner", 2.5),
    ("Due", 2.3),
    ("Status", 2.0),
    ("RAG", 2.4),
    ("Last update", 2.3),
    ("Themes", 3.1),
]
_W = nsdecls("w")
# Characters XML 1.0 does not allow: typed or pasted text can hold them, a Word file cannot.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# CSV ------------------------------------------------------------------------------------------


def monitoring_csv(rows: list[MonitoringRow]) -> str:
    """The rows as CSV text, byte order mark first; dates as YYYY-MM-DD."""
    return csv_text(CSV_COLUMNS, (_csv_cells(row) for row in rows))


def _csv_cells(row: MonitoringRow) -> tuple[str, ...]:
    action = row.action
    return (
        row.audit_title,
        row.agency.name,
        "Yes" if row.immediate else "No",
        action.description,
        action.owner,
        action.due.isoformat(),
        action.get_status_display(),
        row.rag_label,
        row.last_update.isoformat() if row.last_update else "",
        "; ".join(row.themes),
    )


# Word -----------------------------------------------------------------------------------------


def monitoring_docx(
    rows: list[MonitoringRow],
    *,
    partnership: Partnership,
    filters_text: str,
    today: datetime.date,
) -> bytes:
    doc = Document()
    _page(doc.sections[0])
    _styles(doc)
    _properties(doc, partnership.name, today)
    drop_thumbnail(doc)
    header = doc.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(MARKING).bold = True
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(_NOT_XML.sub("", partnership.name))
    doc.add_paragraph(_NOT_XML.sub("", f"On {_day(today)}. Filters: {filters_text}."))
    overdue = sum(row.rag == rules.RED for row in rows)
    count = "1 action" if len(rows) == 1 else f"{len(rows)} actions"
    doc.add_paragraph(f"{count}, of which {overdue} overdue.")
    if rows:
        _table(doc, rows)
    out = io.BytesIO()
    doc.save(out)
    return fixed_zip(out.getvalue(), today)


def _cells(row: MonitoringRow) -> list[str]:
    action = row.action
    rag = row.rag_label
    if row.rag == rules.RED:
        rag = f"{rag} by {row.overdue_days} day{'' if row.overdue_days == 1 else 's'}"
    elif row.rag_reason:
        rag = f"{rag}: {row.rag_reason.lower()}"
    return [
        row.audit_title,
        row.agency.name,
        f"{action.description} (immediate)" if row.immediate else action.description,
        action.owner,
        _day(action.due),
        action.get_status_display(),
        rag,
        _day(row.last_update) if row.last_update else "None",
        "; ".join(row.themes),
    ]


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _page(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", MARGIN)
    section.header_distance = section.footer_distance = Cm(1)


def _styles(doc) -> None:
    styles = doc.styles
    document_defaults(doc)
    for name, size, bold in (("Normal", 11, False), ("Heading 1", 20, True), ("Header", 10, True)):
        style = styles[name]
        arial(style.element.get_or_add_rPr())
        style.font.size, style.font.bold = Pt(size), bold
        style.font.color.rgb = BLACK
    styles["Heading 1"].paragraph_format.space_before = Pt(0)


def _properties(doc, partnership: str, today: datetime.date) -> None:
    properties(
        doc,
        title=TITLE,
        subject=f"{TITLE}, {partnership}",
        author=partnership,
        keywords=MARKING,
        day=today,
    )


def _table(doc, rows: list[MonitoringRow]) -> None:
    table = doc.add_table(rows=1, cols=len(WORD_COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    trpr.append(OxmlElement("w:tblHeader"))  # repeats at the top of each page
    for cell, (text, _) in zip(header.cells, WORD_COLUMNS, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
        cell._tc.get_or_add_tcPr().append(
            parse_xml(f'<w:shd {_W} w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>')
        )
    for row in rows:
        added = table.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # kept on one page
        for cell, text in zip(added.cells, _cells(row), strict=True):
            cell.text = _NOT_XML.sub("", text)
    for column, (_, width) in zip(table.columns, WORD_COLUMNS, strict=True):
        # LibreOffice lays the table out from the column widths, Word from the cells'.
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
            fmt = cell.paragraphs[0].paragraph_format
            fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(2), Pt(2), 1.0
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(10)
