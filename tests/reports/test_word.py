"""The summary report as a Word file: real styles, pictures with alt text, tables with header
rows, the marking on every page, and a file LibreOffice opens."""

import datetime
import io
import os
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from maca.bundles.services import bundle_import
from maca.reports.charts import all_charts
from maca.reports.document import (
    OFFICIAL,
    OFFICIAL_SENSITIVE,
    cases,
    draft_edition,
    published_edition,
    report_document,
)
from maca.reports.practice import theme_kind_note
from maca.reports.word import SUBJECT, report_docx
from tests.bundles.samples import small_bundle

pytestmark = pytest.mark.django_db

DAY = datetime.date(2018, 6, 1)
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


@pytest.fixture
def document():
    return report_document(bundle_import(data=small_bundle()))


@pytest.fixture
def draft(document):
    return report_docx(document, draft_edition(DAY))


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _paragraphs(doc) -> list[str]:
    """Every paragraph's text, tables' cells included."""
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def _parts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "".join(
            package.read(name).decode() for name in package.namelist() if name.endswith(".xml")
        )


def test_the_sections_are_heading_1_in_order_after_a_cover_with_the_title(document, draft):
    doc = _open(draft)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [section["title"] for section in document["sections"]]
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert titles == [document["meta"]["title"]]
    start = next(i for i, p in enumerate(doc.paragraphs) if p.style.name == "Heading 1")
    # The cover heads the first page: the first section follows it on that page.
    assert not doc.paragraphs[start].paragraph_format.page_break_before
    cover = [p.text for p in doc.paragraphs[:start]]
    for text in (
        document["meta"]["partnership"],
        "Multi-agency case audit: summary report",
        "Draft, 1 June 2018",
        OFFICIAL_SENSITIVE,
    ):
        assert text in cover


def test_the_charts_are_pictures_with_their_alt_text_and_data_tables(document, draft):
    doc = _open(draft)
    pictures = doc.element.body.iter(WP_DOCPR)
    alt = [(p.get("title"), p.get("descr")) for p in pictures]
    charts = all_charts(document["summary"])
    assert alt == [(chart.title, chart.alt) for chart in charts]
    assert len(doc.inline_shapes) == 5  # the four grade and return charts, and the key measures
    texts = _paragraphs(doc)
    for chart in charts:
        assert chart.table.caption in texts
        for row in chart.table.rows:
            assert all(str(cell) in texts for cell in row)


def test_every_figure_of_the_grades_and_the_themes_is_printed(document, draft):
    texts = _paragraphs(_open(draft))
    summary = document["summary"]
    scoring = next(s for s in document["sections"] if s["key"] == "scoring")
    sentence = next(b["text"] for b in scoring["blocks"] if b["kind"] == "paragraph" and
                    b["source"] == "data")  # fmt: skip
    assert sentence in texts
    assert "1 requiring improvement" in sentence and "1 inadequate" in sentence
    for theme in summary["themes"]:
        kind = theme_kind_note(theme["kind"])
        assert f"{theme['cases']} of the {cases(summary['cases'])}. {kind}" in texts
    assert "2 of the 2 cases. An area for improvement." in texts
    assert "1 of the 2 cases. An area for improvement." in texts
    assert "1.\tInformation sharing" in texts and "2.\tEngagement" in texts


def test_the_rationale_link_is_a_real_hyperlink(draft):
    doc = _open(draft)
    links = [rel.target_ref for rel in doc.part.rels.values() if rel.is_external]
    assert links == ["https://example.org/scr"]
    assert doc.element.body.findall(".//" + qn("w:hyperlink"))


def test_every_page_carries_the_marking_and_a_draft_its_watermark(draft):
    doc = _open(draft)
    for section in doc.sections:
        header = section.header
        assert not header.is_linked_to_previous
        assert header.paragraphs[0].text == OFFICIAL_SENSITIVE
        assert header.paragraphs[0].runs[0].bold
        xml = header._element.xml
        assert 'string="DRAFT"' in xml and "PowerPlusWaterMarkObject" in xml
        footer = "\n".join(p.text for p in section.footer.paragraphs)
        assert (
            "Transitions from children's to adults' services · Draft · 1 June 2018 · "
            f"{OFFICIAL_SENSITIVE}" in footer
        )
        fields = section.footer._element.xml
        assert " PAGE " in fields and " NUMPAGES " in fields


def test_a_published_edition_is_official_with_no_draft_watermark(document):
    data = report_docx(document, published_edition(1, DAY))
    doc = _open(data)
    for section in doc.sections:
        assert section.header.paragraphs[0].text == OFFICIAL
        assert "Edition 1 · 1 June 2018 · OFFICIAL" in section.footer.paragraphs[0].text
    assert "DRAFT" not in _parts(data)
    assert OFFICIAL_SENSITIVE not in _parts(data)
    assert doc.core_properties.keywords == OFFICIAL


def test_every_table_has_a_repeating_header_row(document, draft):
    doc = _open(draft)
    # The five charts' tables (the key measures' is the key measures table) and the
    # recommendation's actions.
    assert len(doc.tables) == 6
    for table in doc.tables:
        assert table.style.name == "Table Grid"
        first, *rest = table.rows
        assert first._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rest)
        assert all(run.bold for cell in first.cells for run in cell.paragraphs[0].runs)
    actions = doc.tables[-1]
    assert [cell.text for cell in actions.rows[0].cells] == ["Agency", "Action", "Due"]
    assert actions.rows[1].cells[1].text == "Add the GP to the planning checklist."


def test_styles_bullets_page_and_properties(document, draft):
    doc = _open(draft)
    assert doc.styles["Normal"].font.name == "Arial"
    assert doc.styles["Heading 1"].font.name == "Arial"
    assert 'w:val="en-GB"' in doc.styles.element.xml
    assert any(p.style.name == "List Bullet" for p in doc.paragraphs)  # the good practice
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == 2.0
    props = doc.core_properties
    assert props.title == document["meta"]["title"]
    assert props.subject == SUBJECT
    assert props.author == "Testshire Safeguarding Children Partnership"
    assert props.keywords == OFFICIAL_SENSITIVE
    assert props.created.date() == props.modified.date() == DAY


def test_the_same_document_gives_the_same_file(document, draft):
    assert report_docx(document, draft_edition(DAY)) == draft


def _office() -> str:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    pdftotext = shutil.which("pdftotext")
    if office and pdftotext:
        return office
    missing = "LibreOffice (libreoffice-writer-nogui)" if not office else "pdftotext"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing} is missing; CI needs it", pytrace=False)
    pytest.skip(f"{missing} is missing")


def test_libreoffice_opens_it_and_makes_a_pdf(document, draft, tmp_path):
    office = _office()
    source = tmp_path / "report.docx"
    source.write_bytes(draft)
    # A profile of its own, so tests running side by side (pytest -n) do not share one.
    env = os.environ | {"HOME": str(tmp_path / "home")}
    run = subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    text = subprocess.run(
        [shutil.which("pdftotext"), str(pdf), "-"], capture_output=True, timeout=60, check=True
    ).stdout.decode()
    assert document["meta"]["title"] in " ".join(text.split())
    assert "Page 1 of" in text


def test_the_template_thumbnail_is_left_out(draft):
    with zipfile.ZipFile(io.BytesIO(draft)) as package:
        assert not [name for name in package.namelist() if "thumbnail" in name]
        assert "thumbnail" not in package.read("_rels/.rels").decode()
