"""What every file the pages offer shares: CSV and workbooks a spreadsheet reads safely, and
the response that hands a file over without leaving it in a cache."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV = "text/csv; charset=utf-8"


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV with a byte order mark (Excel then reads it as UTF-8), every cell quoted and made
    safe; None is an empty cell."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([spreadsheet_safe(str(cell)) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else spreadsheet_safe(str(cell)) for cell in row])
    return out.getvalue()


def workbook_bytes(workbook) -> bytes:
    """The openpyxl workbook as an .xlsx file, every cell's text kept as text: openpyxl takes a
    text starting with "=" for a formula, so an area or agency called "=HYPERLINK(…)" would be
    live in Excel. This is `spreadsheet_safe` for a workbook, where a cell can say that it is
    text, so the name is shown exactly as it is. maca writes no formula into a cell (the
    template's drop-down lists are data validations)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store, private"
    return response
