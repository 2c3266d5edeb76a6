"""Reading a yearly report's files back: the PDF with pdftotext, the Word file with python-docx,
and the rows its JSON prints (tests/yearly)."""

import io
import os
import re
import shutil
import subprocess

import docx
import pytest

from maca.yearly.document import printed


def squeezed(text: str) -> str:
    """Without any space: pdftotext runs a table's neighbouring cells together ("LateSubmitted
    %"), so rows are compared as their characters in order."""
    return re.sub(r"\s+", "", text.replace("’", "'").replace("\u00ad", ""))


def pdf_text(content: bytes, tmp_path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is needed in CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "yearly.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        [pdftotext, "-raw", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" ".join(cell.text for cell in row.cells) for row in table.rows]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def docx_rows(content: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def document_rows(document: dict) -> list[list[str]]:
    """Every row of every table the document prints, as printed."""
    rows = []
    for table in document["figures"]["tables"]:
        rows += [[str(cell) for cell in row] for row in printed(table)["rows"]]
    for section in document["sections"]:
        for block in section["blocks"]:
            if block["kind"] == "table":
                rows += [[str(cell) for cell in row] for row in block["rows"]]
    return rows
