"""Hostile files, built here rather than committed: each is a small generator of the attack a
review made on maca's uploads (docs/security.md, "Hostile uploads")."""

import io
import struct
import zipfile
from collections.abc import Iterable
from random import Random

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
# The parts of maca's template (openpyxl writes its sheets in the order they were made).
CASES_PART = "xl/worksheets/sheet4.xml"
AUDIT_PART = "xl/worksheets/sheet2.xml"
STRINGS_PART = "xl/sharedStrings.xml"
STYLES_PART = "xl/styles.xml"


def repacked(
    workbook: bytes,
    parts: dict[str, Iterable[bytes]],
    *,
    packing: int = zipfile.ZIP_DEFLATED,
    extra: int = 0,
) -> bytes:
    """The workbook with `parts` replaced (or added), each streamed from its chunks, and `extra`
    empty parts more."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", packing) as archive:
        for name in source.namelist():
            if name not in parts:
                archive.writestr(name, source.read(name))
        for name, chunks in parts.items():
            with archive.open(name, "w") as part:
                for chunk in chunks:
                    part.write(chunk)
        for number in range(extra):
            archive.writestr(f"xl/media/extra{number}.bin", b"")
    return out.getvalue()


def sheet(rows: Iterable[bytes], head: bytes = b"") -> Iterable[bytes]:
    """A worksheet's XML in chunks: `head` before the rows (a dimension, say)."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}>'.encode() + head
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def repeated(chunk: bytes, times: int, *, batch: int = 10_000) -> Iterable[bytes]:
    for done in range(0, times, batch):
        yield chunk * min(batch, times - done)


def wide_row(cells: int) -> Iterable[bytes]:
    """One row of `cells` cells, each holding "x": the review's 120 KB workbook that took the
    server to 1.2 GB."""
    return sheet(
        [b'<row r="1">', *repeated(b'<c t="inlineStr"><is><t>x</t></is></c>', cells), b"</row>"]
    )


def grid(rows: int, columns: int, attributes: bytes = b"") -> Iterable[bytes]:
    """`rows` rows of `columns` cells, each holding "x" (and `attributes`)."""
    cell = b'<c t="inlineStr"' + attributes + b"><is><t>x</t></is></c>"
    row = b"<row>" + cell * columns + b"</row>"
    return sheet(repeated(row, rows, batch=100))


def empty_rows(rows: int, *, numbered: bool = True) -> Iterable[bytes]:
    """`rows` empty rows: the review's 150 KB workbook of a million rows (14 to 25 s)."""
    if not numbered:
        return sheet(repeated(b"<row/>", rows))
    return sheet(
        b"".join(b'<row r="%d"/>' % n for n in range(start, min(start + 10_000, rows + 1)))
        for start in range(1, rows + 1, 10_000)
    )


def styles(formats: int) -> Iterable[bytes]:
    """A stylesheet of `formats` cell formats: openpyxl builds an object for each."""
    yield f'<?xml version="1.0"?><styleSheet {MAIN}>'.encode()
    yield b'<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill/></fill></fills>'
    yield b'<borders count="1"><border/></borders><cellXfs count="%d">' % formats
    yield from repeated(b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>', formats)
    yield b"</cellXfs></styleSheet>"


def _with_doctype(declarations: str, text: str) -> Iterable[bytes]:
    """A worksheet whose cell A1 holds `text`, after a document type declaring `declarations`."""
    yield (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{declarations}]><worksheet {MAIN}>'
        f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


def billion_laughs() -> Iterable[bytes]:
    """A worksheet as an entity bomb: ten levels of ten, a billion "lol"s in one cell."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return _with_doctype("".join(entities), "&lol9;")


def external_entity() -> Iterable[bytes]:
    """A worksheet reading a file of the server's into its first cell (XXE)."""
    return _with_doctype('<!ENTITY secret SYSTEM "file:///etc/passwd">', "&secret;")


def nested(depth: int) -> Iterable[bytes]:
    """A worksheet whose first cell's text is `depth` elements deep."""
    return sheet(
        [
            b'<row r="1"><c t="inlineStr"><is>'
            + b"<r>" * depth
            + b"<t>x</t>"
            + b"</r>" * depth
            + b"</is></c></row>"
        ]
    )


STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(workbook: bytes, strings: Iterable[bytes]) -> dict[str, Iterable[bytes]]:
    """The parts that give maca's template (which has none) a table of shared strings, as
    Excel's workbooks have: the part, and its place in [Content_Types].xml."""
    types = zipfile.ZipFile(io.BytesIO(workbook)).read("[Content_Types].xml").decode()
    override = f'<Override PartName="/{STRINGS_PART}" ContentType="{STRINGS_TYPE}"/>'
    return {
        "[Content_Types].xml": [types.replace("</Types>", f"{override}</Types>").encode()],
        STRINGS_PART: strings,
    }


def long_text(chars: int) -> Iterable[bytes]:
    """Shared strings whose first text is `chars` spaces, then an "x"."""
    yield f'<?xml version="1.0"?><sst {MAIN}><si><t xml:space="preserve">'.encode()
    yield from repeated(b" ", chars, batch=1_000_000)
    yield b"x</t></si></sst>"


def cells_of_string(rows: int, column: str = "A") -> Iterable[bytes]:
    """A worksheet whose cells `column`2 … `column`(rows + 1) each hold shared string 0."""
    return sheet(
        b'<row r="%d"><c r="%s%d" t="s"><v>0</v></c></row>' % (n, column.encode(), n)
        for n in range(2, rows + 2)
    )


def binary_digits(size: int, seed: int = 37) -> Iterable[bytes]:
    """`size` random "0"s and "1"s: text that packs about 7 to 1, as real XML does."""
    random = Random(seed)
    for done in range(0, size, 1_000_000):
        count = min(1_000_000, size - done)
        bits = format(random.getrandbits(count), "b").zfill(count)
        yield bits.encode()


def understated(archive: bytes, name: str, claimed: int) -> bytes:
    """The archive with `name` claiming to unpack to `claimed` bytes, in its local header and in
    the central directory, whatever it really holds."""
    data = bytearray(archive)
    encoded = name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(encoded)] == encoded:
                struct.pack_into("<I", data, at + offset, claimed)
            at += 4
    return bytes(data)


# --- Whole files, shared by the tests and bench/limits.py, which times them ---------------


def costliest_within_limits(template: bytes) -> bytes:
    """As many cells as maca reads in the Cases sheet (30,000, as 90,000 elements, with 120,000
    attributes), and as many formats as the elements and attributes left allow: each costs
    openpyxl the most it can. Refused for its empty Audit sheet, once read."""
    return repacked(
        template,
        {CASES_PART: grid(150, 200, attributes=b' s="0" a="" b=""'), STYLES_PART: styles(5_000)},
        packing=zipfile.ZIP_STORED,
    )


def two_hundred_thousand_columns() -> bytes:
    """A candidates' CSV file: the review's 1.5 MB file, which made an error page of 162 MB."""
    headings = ",".join(f"c{n}" for n in range(200_000))
    return f"area,{headings}\nEast,{',' * 199_999}x\n".encode()


def fullest(template: bytes) -> bytes:
    """Not an attack: a template of a partnership of 30 agencies with 500 cases, every cell
    filled, as a partnership might: what the limits must let in."""
    from openpyxl import load_workbook

    from maca.downloads import workbook_bytes

    workbook = load_workbook(io.BytesIO(template))
    cases = workbook["Cases"]
    for row in range(2, 502):
        for column in range(2, 32):
            cases.cell(row=row, column=column, value="Good")
        cases.cell(row=row, column=1, value="East")
        cases.cell(row=row, column=32, value="Requires improvement")
        cases.cell(row=row, column=34, value="Information sharing; Engagement")
    for cell, value in {"B2": "Neglect (2014)", "B3": "Neglect", "B6": "20/11/2014"}.items():
        workbook["Audit"][cell] = value
    return workbook_bytes(workbook)
