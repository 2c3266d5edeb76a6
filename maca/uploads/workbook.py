"""Opening an uploaded Excel workbook within maca's limits (`limits`), before openpyxl reads it.

An .xlsx file is a zip archive of XML parts, so a small file can unpack to gigabytes, or hold
one row of millions of cells, or a million empty rows: openpyxl would build all of it in
memory (a 120 KB workbook once took the server from 0.3 to 1.2 GB and answered 500). So,
before openpyxl parses anything, three checks, each refusing with the limit it met:

1. the archive's directory: how many parts, each part's unpacked size (zipfile then never
   unpacks more than that: a part that claims less than it holds fails its checksum), the
   total, how much each large part is packed, and only Excel's two ways of packing;
2. every XML part streamed once through defusedxml, element by element, keeping nothing: no
   document type declaration (so no entity expansion, "billion laughs", and no external
   entity), how many elements in all and outside the sheets (those openpyxl parses whole),
   how many attributes, how deep, no stretch of the XML without a ">" longer than a tag or a
   text can be (a tag's attributes are built all at once, before they can be counted), and
   for each worksheet the last row, the last column and the cells it holds. A
   part this parser cannot read (a picture; an encoding it lacks) is not counted: openpyxl
   parses with the same parser (defusedxml over expat, not lxml: see maca/__init__.py), so
   it cannot read that part either, and refuses the workbook if it needs it;
3. after openpyxl has opened the workbook read-only (its sheets are read later, row by row),
   each sheet maca reads: its size as the file declares it and as found in step 2.
"""

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.core.exceptions import ImproperlyConfigured
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.xml import DEFUSEDXML, LXML

from maca.errors import DomainError

from .limits import (
    SHEET_MAX_CELLS,
    SHEET_MAX_COLUMNS,
    SHEET_MAX_ROWS,
    XLSX_MAX_ATTRIBUTES,
    XLSX_MAX_BYTES,
    XLSX_MAX_DEPTH,
    XLSX_MAX_ELEMENTS,
    XLSX_MAX_ELEMENTS_OUTSIDE_SHEETS,
    XLSX_MAX_PART_BYTES,
    XLSX_MAX_PARTS,
    XLSX_MAX_RATIO,
    XLSX_MAX_STRETCH_BYTES,
    XLSX_MAX_UNPACKED_BYTES,
    XLSX_RATIO_FROM,
    size_words,
)

if LXML or not DEFUSEDXML:
    # lxml reads encodings expat does not (Shift_JIS, say): a part the checks skip as unreadable
    # would be parsed whole, unchecked. maca/__init__.py turns it off before openpyxl loads.
    raise ImproperlyConfigured(
        "openpyxl must parse with defusedxml, not lxml: set OPENPYXL_LXML=False before it is "
        "imported (maca/__init__.py does)"
    )

NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx): open it in Excel and save it as "
    "'Excel Workbook (.xlsx)'"
)
SAVE_AGAIN = "copy the audit into a new template and upload that"

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
WORKSHEET, ROW, CELL = (f"{MAIN}{tag}" for tag in ("worksheet", "row", "c"))
PACKINGS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # all Excel writes; no bzip2, no lzma


class WorkbookRefused(DomainError):
    """The workbook was not read; `problems` says why, naming the limit it met."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems), field="file")
        self.problems = problems


def _refuse(problem: str):
    raise WorkbookRefused([problem])


@dataclass
class SheetSize:
    """A worksheet part as found: its last row and column, and how many cells it holds."""

    rows: int = 0
    columns: int = 0
    cells: int = 0


def workbook_open(data: bytes, *, sheets: Iterable[str]):
    """The workbook in `data`, opened read-only by openpyxl, or `WorkbookRefused`.

    `sheets` are the sheets the caller will read: each, when present, is checked against the
    sheet limits, and will be read row by row as found, whatever size it declares.
    """
    if len(data) > XLSX_MAX_BYTES:
        _refuse(f"The file is larger than {size_words(XLSX_MAX_BYTES)}")
    if not data.startswith(b"PK\x03\x04"):  # every .xlsx is a zip archive
        _refuse(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        _refuse(NOT_XLSX)
    with archive:
        _check_directory(archive)
        sizes = _scan(archive)
    workbook, parts = _load(data)
    problems = []
    for name in sheets:
        if name in parts:
            sheet = workbook[name]
            if not hasattr(sheet, "iter_rows"):
                problems.append(f"The {name} sheet is a chart, not cells: {SAVE_AGAIN}")
                continue
            problems += _sheet_problems(name, sheet, sizes.get(parts[name], SheetSize()))
            sheet.reset_dimensions()  # read as found: the file's declared size may be too small
    if problems:
        workbook.close()
        raise WorkbookRefused(problems)
    return workbook


def _check_directory(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > XLSX_MAX_PARTS:
        _refuse(
            f"The workbook is made of {len(parts):,} parts, more than maca reads "
            f"({XLSX_MAX_PARTS}; Excel writes about 15): {SAVE_AGAIN}"
        )
    total = 0
    for part in parts:
        if part.compress_type not in PACKINGS or part.flag_bits & 0x1:  # 0x1: encrypted
            _refuse(NOT_XLSX)
        if part.file_size > XLSX_MAX_PART_BYTES:
            _refuse(
                f"The workbook has a part ({part.filename}) that unpacks to "
                f"{size_words(part.file_size)}, more than maca reads in one part "
                f"({size_words(XLSX_MAX_PART_BYTES)}): {SAVE_AGAIN}"
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > XLSX_RATIO_FROM and ratio > XLSX_MAX_RATIO:
            _refuse(
                f"The workbook has a part ({part.filename}) packed {ratio:,.0f} to 1, more than "
                f"maca reads ({XLSX_MAX_RATIO} to 1; Excel's are far less): {SAVE_AGAIN}"
            )
        total += part.file_size
    if total > XLSX_MAX_UNPACKED_BYTES:
        _refuse(
            f"The workbook unpacks to {size_words(total)}, more than maca reads "
            f"({size_words(XLSX_MAX_UNPACKED_BYTES)}; a filled template is about 1 MB): "
            f"{SAVE_AGAIN}"
        )


def _scan(archive: zipfile.ZipFile) -> dict[str, SheetSize]:
    """Every XML part streamed once, within the limits; the size of each worksheet part."""
    sizes: dict[str, SheetSize] = {}
    counts = {"all": 0, "outside": 0, "attributes": 0}
    for part in archive.infolist():
        try:
            with archive.open(part) as stream:
                _scan_part(part.filename, _Stretches(stream, part.filename), counts, sizes)
        except WorkbookRefused:
            raise
        except DefusedXmlException:
            _refuse(
                f"The workbook has XML with a document type declaration ({part.filename}), "
                f"which Excel never writes and maca does not read: {SAVE_AGAIN}"
            )
        except (ParseError, ValueError, LookupError):
            # Not XML (a picture), not well formed, or in an encoding expat lacks: openpyxl,
            # reading with the same parser, could read no further, and refuses the workbook if
            # it is a part it needs.
            continue
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            _refuse(NOT_XLSX)  # a part that holds more than its size claims fails its checksum
    return sizes


class _Stretches:
    """A part's bytes, as the parser reads them, refused at the first stretch longer than
    `XLSX_MAX_STRETCH_BYTES` without a ">": no tag of Excel's, nor any text of a cell (32,767
    characters at most), is as long, and expat hands all of a tag's attributes over at once."""

    def __init__(self, stream, name: str):
        self.stream, self.name, self.stretch = stream, name, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        pieces = data.split(b">")
        # The first piece goes on from where the last read ended; the last goes on to the next.
        first = self.stretch + len(pieces[0])
        longest = max([first, *map(len, pieces[1:])])
        self.stretch = first if len(pieces) == 1 else len(pieces[-1])
        if longest > XLSX_MAX_STRETCH_BYTES:
            _refuse(
                f"The workbook has XML with more than {size_words(XLSX_MAX_STRETCH_BYTES)} "
                f"between one '>' and the next ({self.name}): a tag or a text longer than maca "
                f"reads: {SAVE_AGAIN}"
            )
        return data


def _scan_part(name: str, stream, counts: dict[str, int], sizes: dict[str, SheetSize]) -> None:
    open_elements: list[Element] = []
    size = None
    row = column = 0  # as openpyxl counts a row or cell without its reference
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        if event == "end":
            # Keep nothing: each element leaves its parent as it ends.
            open_elements.pop()
            element.clear()
            if open_elements:
                open_elements[-1].remove(element)
            continue
        counts["all"] += 1
        if counts["all"] > XLSX_MAX_ELEMENTS:
            _refuse(
                f"The workbook has more than {XLSX_MAX_ELEMENTS:,} XML elements, more than "
                f"maca reads: {SAVE_AGAIN}"
            )
        counts["attributes"] += len(element.attrib)
        if counts["attributes"] > XLSX_MAX_ATTRIBUTES:
            _refuse(
                f"The workbook has more than {XLSX_MAX_ATTRIBUTES:,} XML attributes, more than "
                f"maca reads: {SAVE_AGAIN}"
            )
        if not open_elements and element.tag == WORKSHEET:
            size = sizes[name] = SheetSize()
        open_elements.append(element)
        if len(open_elements) > XLSX_MAX_DEPTH:
            _refuse(
                f"The workbook has XML nested more than {XLSX_MAX_DEPTH} deep ({name}), more "
                f"than maca reads: {SAVE_AGAIN}"
            )
        if size is None:
            counts["outside"] += 1
            if counts["outside"] > XLSX_MAX_ELEMENTS_OUTSIDE_SHEETS:
                _refuse(
                    f"The workbook has more than {XLSX_MAX_ELEMENTS_OUTSIDE_SHEETS:,} XML "
                    f"elements outside its sheets (styles, text, properties), more than maca "
                    f"reads: {SAVE_AGAIN}"
                )
        elif element.tag == ROW:
            row, column = _row_number(element.get("r"), row + 1), 0
            size.rows = max(size.rows, row)
        elif element.tag == CELL:
            column = _column_number(element.get("r"), column + 1)
            size.columns = max(size.columns, column)
            size.cells += 1


def _row_number(reference: str | None, otherwise: int) -> int:
    try:
        return int(reference) if reference is not None else otherwise
    except ValueError:
        return otherwise  # openpyxl refuses it when it reads the sheet


def _column_number(reference: str | None, otherwise: int) -> int:
    if reference is None:
        return otherwise
    try:
        return column_index_from_string(coordinate_from_string(reference)[0])
    except ValueError:
        return otherwise  # openpyxl refuses it when it reads the sheet


def _load(data: bytes):
    """openpyxl's read-only workbook and the part of each sheet; the sheets' rows are read
    only when asked for."""
    try:
        with warnings.catch_warnings():  # openpyxl warns of Excel features it does not read
            warnings.simplefilter("ignore")
            reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            reader.read()
            parts = {sheet.name: rel.target for sheet, rel in reader.parser.find_sheets()}
    except Exception:  # a zip that is not a workbook fails in many ways, all meaning this
        _refuse(NOT_XLSX)
    return reader.wb, parts


def _sheet_problems(name: str, sheet, found: SheetSize) -> list[str]:
    problems = []
    declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
    if declared_rows > SHEET_MAX_ROWS or declared_columns > SHEET_MAX_COLUMNS:
        problems.append(
            f"The {name} sheet says it uses {declared_rows:,} rows and {declared_columns:,} "
            f"columns (to cell {get_column_letter(min(declared_columns, 18278) or 1)}"
            f"{declared_rows}), more than maca reads in a sheet ({SHEET_MAX_ROWS:,} rows and "
            f"{SHEET_MAX_COLUMNS} columns): {SAVE_AGAIN}"
        )
    if found.rows > SHEET_MAX_ROWS:
        problems.append(
            f"The {name} sheet has rows down to row {found.rows:,}, more than maca reads in a "
            f"sheet ({SHEET_MAX_ROWS:,} rows): delete the rows below the last case"
        )
    if found.columns > SHEET_MAX_COLUMNS:
        problems.append(
            f"The {name} sheet has cells as far as column {found.columns:,}, more than maca "
            f"reads in a sheet ({SHEET_MAX_COLUMNS} columns, to column "
            f"{get_column_letter(SHEET_MAX_COLUMNS)}): delete the columns after the last"
        )
    if found.cells > SHEET_MAX_CELLS:
        problems.append(
            f"The {name} sheet has {found.cells:,} cells, more than maca reads in a sheet "
            f"({SHEET_MAX_CELLS:,}): {SAVE_AGAIN}"
        )
    return problems
