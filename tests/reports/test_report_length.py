"""A report the board can read: a 15-case audit's report fits on six pages, PDF and Word, and
on seven with the figures a partnership chooses to add (decision 76): the key measures, the
cases by profile, a re-audit's comparison.

The demo's audits are real-sized (15 cases, 3 areas, 10 agencies, 10 themes, 3
recommendations) and the demo chooses those figures: each report of theirs, as printed and as
Word lays it out, is counted as the demo has it and without what it chose.
"""

import copy
import datetime
import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle, demo_bundle_names, demo_earlier
from maca.reports.document import published_edition, report_document
from maca.reports.printing import report_pdf
from maca.reports.word import report_docx

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)  # the edition's date: it changes no page count
PAGES_AT_MOST = 6  # what every report prints
PAGES_WITH_CHOICES = 7  # and the figures the partnership chose
REPORTED = ("reporting", "monitoring", "closed")  # the audits whose report is written
NAMES = [
    name
    for name in demo_bundle_names()
    if demo_bundle(name)["audit"]["status"] in REPORTED and len(demo_bundle(name)["cases"]) >= 9
]


def _without_choices(bundle: dict) -> dict:
    """The bundle as if its partnership had chosen no optional figure."""
    bundle = copy.deepcopy(bundle)
    bundle.pop("profile_fields", None)
    for question in bundle["questions"]:
        question.pop("key_measure", None)
    for recommendation in bundle.get("recommendations", []):  # measured by a key question
        for field in ("success_question", "success_options", "success_target"):
            recommendation.pop(field, None)
    return bundle


def _document(name: str, chosen: bool) -> dict:
    # A re-audit after the audit it compares itself with, chosen alike.
    for each in [*demo_earlier(name), name]:
        bundle = demo_bundle(each)
        audit = bundle_import(data=bundle if chosen else _without_choices(bundle))
    return report_document(audit)


def _most(chosen: bool) -> int:
    return PAGES_WITH_CHOICES if chosen else PAGES_AT_MOST


CHOSEN = pytest.mark.parametrize("chosen", [True, False], ids=["as-chosen", "none-chosen"])


def _pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_the_demo_holds_full_sized_reports():
    assert len(NAMES) >= 2
    assert any(len(demo_bundle(name)["cases"]) == 15 for name in NAMES)


def test_the_demo_chooses_the_optional_figures():
    chosen = [demo_bundle(name) for name in NAMES]
    assert all(bundle.get("profile_fields") for bundle in chosen)
    assert any(q.get("key_measure") for bundle in chosen for q in bundle["questions"])


@CHOSEN
@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_is_at_most_six_pages_and_seven_with_the_chosen_figures(name, chosen):
    pdf = report_pdf(_document(name, chosen), published_edition(1, DAY))

    assert _pdf_pages(pdf) <= _most(chosen)


@CHOSEN
@pytest.mark.parametrize("name", NAMES)
def test_word_lays_it_out_on_at_most_six_pages_and_seven_with_the_chosen_figures(
    name, chosen, tmp_path
):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (libreoffice-writer-nogui) is missing; CI needs it")
        pytest.skip("LibreOffice is missing")
    document = _document(name, chosen)
    source = tmp_path / "report.docx"
    source.write_bytes(report_docx(document, published_edition(1, DAY)))
    run = subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        env=os.environ | {"HOME": str(tmp_path / "home")},
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.decode(errors="replace")

    assert _pdf_pages((tmp_path / "report.pdf").read_bytes()) <= _most(chosen)
