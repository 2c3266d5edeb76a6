"""The yearly report's web page, PDF and Word file agree with its JSON figures: each file is
read back (the PDF with pdftotext, the Word file with python-docx) and every row of every table
of the document must be there, as printed, with the marking its edition carries."""

import datetime

import pytest

from maca import access
from maca.yearly import services
from maca.yearly.document import yearly_document
from maca.yearly.files import yearly_file
from maca.yearly.selectors import edition_of, edition_published, yearly_state
from tests import factories as f
from tests.support.readback import document_rows, docx_rows, docx_text, pdf_text, squeezed

TODAY = datetime.date.today()

START = TODAY - datetime.timedelta(days=364)


@pytest.fixture
def year(partnership, coordinator, held, agencies):
    gps = f.LibraryThemeFactory(partnership=partnership, title="Information sharing with GPs")
    police = agencies["Police"]
    held(
        title="Neglect",
        held=TODAY - datetime.timedelta(days=200),
        grades=["good"] * 4 + ["inadequate"],
        library_theme=gps,
        actions=[(police, TODAY - datetime.timedelta(days=3), False)],
    )
    held(
        title="Exploitation",
        held=TODAY - datetime.timedelta(days=40),
        grades=["requires_improvement"] * 3 + ["good"] * 3,
        library_theme=gps,
        actions=[(police, TODAY + datetime.timedelta(days=60), True)],
    )
    return services.yearly_report_create(
        partnership=partnership, start=START, end=TODAY, by=coordinator
    )


def test_the_draft_pdf_and_word_file_print_every_figure_of_the_json(year, coordinator, tmp_path):
    viewer = access.viewer_as(coordinator, year.partnership)
    document = yearly_document(year, viewer)
    which = edition_of(yearly_state(year, document))
    rows = document_rows(document)
    assert any("fewer than" in cell for row in rows for cell in row)  # protected, as printed

    pdf = pdf_text(yearly_file(document, which, "pdf"), tmp_path)
    assert "OFFICIAL-SENSITIVE" in pdf and "DRAFT" in squeezed(pdf)
    for row in rows:
        assert squeezed(" ".join(row)) in squeezed(pdf), row

    word = docx_rows(yearly_file(document, which, "docx"))
    for row in rows:
        assert row in word, row
    assert "OFFICIAL-SENSITIVE" in docx_text(yearly_file(document, which, "docx"))


def test_a_published_edition_is_official_and_its_files_print_its_json(
    year, coordinator, second_coordinator, tmp_path
):
    viewer = access.viewer_as(second_coordinator, year.partnership)
    services.yearly_report_send(report=year, by=coordinator)
    digest = yearly_state(year, yearly_document(year, viewer)).digest
    services.yearly_report_approve(report=year, digest=digest, by=second_coordinator)
    edition = services.yearly_report_publish(report=year, digest=digest, by=coordinator)
    which = edition_published(edition)
    pdf = pdf_text(yearly_file(edition.document, which, "pdf"), tmp_path)
    assert "OFFICIAL-SENSITIVE" not in pdf and "OFFICIAL" in pdf and "Edition 1" in pdf
    for row in document_rows(edition.document):
        assert squeezed(" ".join(row)) in squeezed(pdf), row
    text = docx_text(yearly_file(edition.document, which, "docx"))
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    for section in edition.document["sections"]:
        assert section["title"] in text
