"""A report the board can read: a 15-case audit's report fits on six pages, PDF and Word.

The demo's audits are real-sized (15 cases, 3 areas, 10 agencies, 10 themes, 3
recommendations): each report of theirs, as printed and as Word lays it out, is counted.
"""

import datetime
import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from maca.demo.story import demo_bundle, demo_bundle_names, demo_import
from maca.reports.document import published_edition, report_document
from maca.reports.printing import report_pdf
from maca.reports.word import report_docx

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)  # the edition's date: it changes no page count
PAGES_AT_MOST = 6
REPORTED = ("reporting", "monitoring", "closed")  # the audits whose report is written
NAMES = [
    name
    for name in demo_bundle_names()
    if demo_bundle(name)["audit"]["status"] in REPORTED and len(demo_bundle(name)["cases"]) >= 9
]


def _document(name: str) -> dict:
    audit = demo_import(name)  # a re-audit after the audit it compares itself with
    return report_document(audit)


def _pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_the_demo_holds_full_sized_reports():
    assert len(NAMES) >= 2
    assert any(len(demo_bundle(name)["cases"]) == 15 for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_is_at_most_six_pages(name):
    pdf = report_pdf(_document(name), published_edition(1, DAY))

    assert _pdf_pages(pdf) <= PAGES_AT_MOST


@pytest.mark.parametrize("name", NAMES)
def test_word_lays_it_out_on_at_most_six_pages(name, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (libreoffice-writer-nogui) is missing; CI needs it")
        pytest.skip("LibreOffice is missing")
    document = _document(name)
    source = tmp_path / "report.docx"
    source.write_bytes(report_docx(document, published_edition(1, DAY)))
    run = subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        env=os.environ | {"HOME": str(tmp_path / "home")},
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.decode(errors="replace")

    assert _pdf_pages((tmp_path / "report.pdf").read_bytes()) <= PAGES_AT_MOST
