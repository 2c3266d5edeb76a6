"""Hostile workbooks given to "Load past audits from a spreadsheet": each is refused with a
message naming the limit it met, within 100 MB, and nothing is written. How long each takes
(under 2 seconds) is bench/limits.py's to measure, not a test's.

The files are the attacks of a review (docs/security.md, "Hostile uploads"), built by
tests/uploads/hostile.py. Run with `-s` to see what each cost.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.reader.excel import ExcelReader

from maca.audits.models import Audit
from maca.bundles.spreadsheet import (
    HistoryFileError,
    history_import,
    history_read,
    history_template,
)
from maca.history.models import ChangeRecord
from maca.uploads import limits
from tests import factories as f
from tests.uploads import hostile
from tests.uploads.cost import cost_of

pytestmark = pytest.mark.django_db

MEGABYTES = 100


@pytest.fixture
def template(partnership, areas, agencies, coordinator) -> bytes:
    return history_template(partnership)


def refusal(partnership, coordinator, data: bytes) -> list[str]:
    """What the import says of `data`, having checked that it refused it cheaply and wrote
    nothing."""
    written = (Audit.objects.count(), ChangeRecord.objects.count())
    raised, cost = cost_of(
        lambda: history_import(partnership=partnership, data=data, by=coordinator)
    )
    print(f"\n{len(data):,} bytes: {cost}")
    assert isinstance(raised, HistoryFileError), raised
    assert cost.traced_mb < MEGABYTES and cost.resident_mb < MEGABYTES, cost
    assert (Audit.objects.count(), ChangeRecord.objects.count()) == written
    return raised.problems


def test_the_cases_sheet_is_the_part_the_attacks_replace(template):
    reader = ExcelReader(io.BytesIO(template), read_only=True)
    reader.read()
    parts = {sheet.name: rel.target for sheet, rel in reader.parser.find_sheets()}
    assert (parts["Cases"], parts["Audit"]) == (hostile.CASES_PART, hostile.AUDIT_PART)


# --- Memory: what the archive says it holds -------------------------------------------------


def test_one_row_of_a_million_cells_is_refused_by_its_unpacked_size(
    partnership, coordinator, template
):
    # The review's 120 KB workbook that took the server from 0.3 to 1.2 GB and answered 500.
    data = hostile.repacked(template, {hostile.CASES_PART: hostile.wide_row(1_000_000)})
    assert len(data) < 200_000

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith(f"The workbook has a part ({hostile.CASES_PART}) that unpacks to")
    assert "more than maca reads in one part (4 MB)" in problem


def test_a_part_packed_more_tightly_than_excel_packs_is_refused(partnership, coordinator, template):
    # 3.4 MB of empty rows, packed into a few kilobytes.
    data = hostile.repacked(
        template, {hostile.CASES_PART: hostile.empty_rows(600_000, numbered=False)}
    )

    [problem] = refusal(partnership, coordinator, data)
    assert "packed" in problem and "more than maca reads (100 to 1" in problem


def test_a_workbook_that_unpacks_to_more_than_16_mb_in_all_is_refused(
    partnership, coordinator, template
):
    # Five parts of 3.5 MB each, packed as real text packs: each part is within the limits.
    parts = {f"xl/media/digits{n}.txt": hostile.binary_digits(3_500_000, seed=n) for n in range(5)}
    data = hostile.repacked(template, parts)
    assert len(data) < limits.XLSX_MAX_BYTES

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith("The workbook unpacks to 16.")
    assert "more than maca reads (16 MB" in problem


def test_a_part_that_holds_more_than_it_says_is_refused(partnership, coordinator, template):
    # zipfile unpacks no more than a part says it holds, and then its checksum fails: what the
    # checks of the sizes rely on.
    data = hostile.repacked(template, {hostile.CASES_PART: hostile.wide_row(200_000)})
    data = hostile.understated(data, hostile.CASES_PART, claimed=1_000)

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith("The file is not an Excel workbook (.xlsx)")


def test_a_workbook_of_thousands_of_parts_is_refused(partnership, coordinator, template):
    data = hostile.repacked(template, {}, extra=5_000)

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith("The workbook is made of 5,012 parts, more than maca reads (200")


def test_a_part_packed_in_a_way_excel_never_uses_is_refused(partnership, coordinator, template):
    data = hostile.repacked(template, {}, packing=zipfile.ZIP_LZMA)

    assert refusal(partnership, coordinator, data) == [
        "The file is not an Excel workbook (.xlsx): open it in Excel and save it as "
        "'Excel Workbook (.xlsx)'"
    ]


# --- CPU: what the XML holds ----------------------------------------------------------------


def test_a_million_empty_rows_are_refused(partnership, coordinator, template):
    # The review's 150 KB workbook that took 14 to 25 seconds.
    data = hostile.repacked(template, {hostile.CASES_PART: hostile.empty_rows(1_000_000)})

    [problem] = refusal(partnership, coordinator, data)
    assert "unpacks to" in problem and "(4 MB)" in problem


def test_more_xml_elements_than_maca_reads_are_refused_however_packed(
    partnership, coordinator, template
):
    # Stored, not packed: no ratio to see, and each part within its size.
    data = hostile.repacked(
        template,
        {hostile.CASES_PART: hostile.empty_rows(300_000, numbered=False)},
        packing=zipfile.ZIP_STORED,
    )

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith("The workbook has more than 100,000 XML elements, more than maca")


def test_a_stylesheet_of_40000_formats_is_refused(partnership, coordinator, template):
    # openpyxl builds an object for each format as it opens the workbook. Packed, the ratio
    # refuses it; stored, the number of elements outside the sheets.
    packed = hostile.repacked(template, {hostile.STYLES_PART: hostile.styles(40_000)})
    stored = hostile.repacked(
        template, {hostile.STYLES_PART: hostile.styles(40_000)}, packing=zipfile.ZIP_STORED
    )

    [problem] = refusal(partnership, coordinator, packed)
    assert problem.startswith(f"The workbook has a part ({hostile.STYLES_PART}) packed 333 to 1")
    [problem] = refusal(partnership, coordinator, stored)
    assert problem.startswith("The workbook has more than 20,000 XML elements outside its sheets")


def test_xml_nested_deeper_than_excel_nests_is_refused(partnership, coordinator, template):
    data = hostile.repacked(template, {hostile.CASES_PART: hostile.nested(1_000)})

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith(
        f"The workbook has XML nested more than 64 deep ({hostile.CASES_PART})"
    )


def test_a_part_in_an_encoding_the_checks_cannot_read_is_not_read_at_all(
    partnership, coordinator, template
):
    # lxml reads Shift_JIS, which expat does not: were openpyxl to parse with lxml, these
    # 40,000 formats would be built unchecked.
    styles = b"".join(hostile.styles(40_000)).replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="Shift_JIS"?>'
    )
    data = hostile.repacked(template, {hostile.STYLES_PART: [styles]}, packing=zipfile.ZIP_STORED)

    assert refusal(partnership, coordinator, data) == [
        "The file is not an Excel workbook (.xlsx): open it in Excel and save it as "
        "'Excel Workbook (.xlsx)'"
    ]


def test_openpyxl_parses_with_the_parser_the_checks_use():
    from openpyxl.xml import DEFUSEDXML, LXML

    assert (LXML, DEFUSEDXML) == (False, True)


# --- The sheets maca reads ------------------------------------------------------------------


def test_a_sheet_declaring_every_cell_of_excel_is_refused(partnership, coordinator, template):
    head = b'<dimension ref="A1:XFD1048576"/>'
    data = hostile.repacked(template, {hostile.CASES_PART: hostile.sheet([], head)})

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith(
        "The Cases sheet says it uses 1,048,576 rows and 16,384 columns (to cell XFD1048576), "
        "more than maca reads in a sheet (5,000 rows and 200 columns)"
    )


def test_a_row_wider_than_maca_reads_is_refused(partnership, coordinator, template):
    # Stored so that neither the ratio nor the number of elements refuses it first.
    data = hostile.repacked(
        template, {hostile.CASES_PART: hostile.wide_row(31_000)}, packing=zipfile.ZIP_STORED
    )

    assert refusal(partnership, coordinator, data) == [
        "The Cases sheet has cells as far as column 31,000, more than maca reads in a sheet "
        "(200 columns, to column GR): delete the columns after the last",
        "The Cases sheet has 31,000 cells, more than maca reads in a sheet (30,000): copy the "
        "audit into a new template and upload that",
    ]


def test_more_rows_than_maca_reads_are_refused(partnership, coordinator, template):
    data = hostile.repacked(template, {hostile.CASES_PART: hostile.empty_rows(90_000)})

    assert refusal(partnership, coordinator, data) == [
        "The Cases sheet has rows down to row 90,000, more than maca reads in a sheet (5,000 "
        "rows): delete the rows below the last case"
    ]


def test_a_long_text_in_every_cell_is_refused_by_its_length(partnership, coordinator, template):
    # One text of 200,000 spaces and an "x", shared by 400 cells: each costs no more than the
    # longest cell maca reads.
    parts = hostile.with_shared_strings(template, hostile.long_text(200_000))
    parts[hostile.CASES_PART] = hostile.cells_of_string(400)
    data = hostile.repacked(template, parts, packing=zipfile.ZIP_STORED)

    problems = refusal(partnership, coordinator, data)
    assert "Row 2, column A: keep the cell to 10,000 characters" in problems
    assert len(problems) == limits.PROBLEMS_LISTED + 1
    assert problems[-1].startswith("and ") and problems[-1].endswith(" more problems")


def test_a_tag_of_370000_attributes_is_refused_by_its_length(partnership, coordinator, template):
    # 4 MB of attributes on one cell: expat hands them over all at once (2.4 s and 338 MB).
    attributes = b" ".join(b'a%d=""' % n for n in range(370_000))
    data = hostile.repacked(
        template,
        {hostile.CASES_PART: hostile.sheet([b'<row r="1"><c r="A1" ' + attributes + b"/></row>"])},
        packing=zipfile.ZIP_STORED,
    )

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith(
        f"The workbook has XML with more than 256 KB between one '>' and the next "
        f"({hostile.CASES_PART}): a tag or a text longer than maca reads"
    )


def test_more_attributes_than_maca_reads_are_refused(partnership, coordinator, template):
    # 160 cells of 1,000 attributes each: every tag short, all of them too many.
    cell = b"<c " + b" ".join(b'a%d=""' % n for n in range(1_000)) + b"/>"
    data = hostile.repacked(
        template,
        {hostile.CASES_PART: hostile.sheet([b"<row>", *hostile.repeated(cell, 160), b"</row>"])},
        packing=zipfile.ZIP_STORED,
    )

    [problem] = refusal(partnership, coordinator, data)
    assert problem.startswith("The workbook has more than 150,000 XML attributes, more than maca")


# --- XML attacks ----------------------------------------------------------------------------


@pytest.mark.parametrize("attack", [hostile.billion_laughs, hostile.external_entity])
def test_entities_are_refused_as_xml_excel_never_writes(partnership, coordinator, template, attack):
    # Each answered 500 before (the parser's own protections held).
    data = hostile.repacked(template, {hostile.CASES_PART: attack()})

    assert refusal(partnership, coordinator, data) == [
        f"The workbook has XML with a document type declaration ({hostile.CASES_PART}), which "
        "Excel never writes and maca does not read: copy the audit into a new template and "
        "upload that"
    ]


def test_the_costliest_workbook_within_every_limit_is_read_and_refused_for_what_it_lacks(
    partnership, coordinator, template
):
    data = hostile.costliest_within_limits(template)

    problems = refusal(partnership, coordinator, data)
    assert problems[0] == "Audit sheet, cell B2 (Title): enter the audit's title"


# --- What a partnership fills in -----------------------------------------------------------


def test_the_fullest_template_is_read_well_within_the_limits(partnership, areas, agencies):
    # 500 cases of a partnership of 30 agencies, every cell filled: what the limits must let in.
    for number in range(27):
        f.AgencyFactory(partnership=partnership, name=f"Agency {number}", position=10 + number)
    data = hostile.fullest(history_template(partnership))

    raised, cost = cost_of(lambda: history_read(partnership=partnership, data=data))

    print(f"\n{len(data):,} bytes: {cost}")
    assert raised is None
    assert cost.traced_mb < 10 and cost.resident_mb < 10, cost


# --- The page -------------------------------------------------------------------------------


def test_the_page_names_the_limit_a_hostile_workbook_met(
    partnership, coordinator, template, client_for
):
    data = hostile.repacked(template, {hostile.CASES_PART: hostile.wide_row(1_000_000)})
    upload = SimpleUploadedFile("past-audit.xlsx", data)

    response = client_for(coordinator).post(reverse("audits:history_upload"), {"file": upload})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was loaded: the file has 1 problem." in page
    assert "more than maca reads in one part (4 MB)" in page
    assert Audit.objects.count() == 0
