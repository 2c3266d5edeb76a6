"""The learning briefing as a PDF (WeasyPrint) and a Word file (python-docx), both drawn from
the one document dict (`briefing.briefing_document`), so they say the same things in the same
order. Made when asked, from the published edition's stored dict (decision 71): one page takes
a fraction of a second, so no task or stored file is needed, and the dict never changes.

The PDF is one A4 page: the text is set at the largest size, from 9.5 pt down to 7 pt, at which
every part fits (`FITTING`); only a briefing too long even at 7 pt runs on (the briefing's page
warns of words longer than `briefing.PAGE_CHARACTERS`). The last few PDFs made are kept in the
process. The Word file sets the seven parts in two columns at 9 pt on narrow margins.
"""

import datetime
import functools
import io
import json

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from maca.wordfiles import drop_thumbnail, fixed_zip, properties

from .printing import PDF_OPTIONS, url_fetcher
from .word import _run, _styles

TEMPLATE = "reports/briefing_print.html"
SUBJECT = "Multi-agency case audit: 7-minute learning briefing"
#: The text sizes tried, largest first, until the briefing fits one page.
FITTING = (9.5, 9.0, 8.5, 8.0, 7.5, 7.0)


def briefing_html(document: dict, size: float = FITTING[0]) -> str:
    return render_to_string(TEMPLATE, {**document, "size": size})


def _rendered(document: dict):
    import weasyprint  # loads Pango: only where a PDF is made

    rendered = None
    for size in FITTING:
        html = weasyprint.HTML(string=briefing_html(document, size), url_fetcher=url_fetcher())
        rendered = html.render(**PDF_OPTIONS)
        if len(rendered.pages) == 1:
            break
    return rendered


def briefing_pages(document: dict) -> int:
    """How many pages the PDF takes (1 unless the words are too long even at the smallest
    size)."""
    return len(_rendered(document).pages)


def briefing_pdf(document: dict) -> bytes:
    """The PDF of a briefing document. A published edition's document never changes, so the
    last few made are kept in the process, keyed by the document itself: a file downloaded by
    a whole team is laid out once."""
    return _pdf_of(json.dumps(document, sort_keys=True, ensure_ascii=False))


@functools.lru_cache(maxsize=16)
def _pdf_of(document_json: str) -> bytes:
    return _rendered(json.loads(document_json)).write_pdf(**PDF_OPTIONS)


def briefing_docx(document: dict, day: datetime.date) -> bytes:
    meta = document["meta"]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", Cm(1.3))
    section.header_distance = section.footer_distance = Cm(0.6)
    _styles(doc)
    doc.styles["Normal"].font.size = Pt(9)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)
    properties(
        doc,
        title=f"Learning briefing: {meta['title']}",
        subject=SUBJECT,
        author=meta["partnership"],
        keywords=meta["marking"],
        day=day,
        revision=meta["edition"] or 1,
    )
    drop_thumbnail(doc)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(meta["marking"]).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.text = f"{meta['partnership']} · learning briefing"
    _run(
        doc.add_paragraph(),
        f"7-minute learning briefing · {meta['partnership']}",
        size=10,
        bold=True,
    )
    title = doc.add_paragraph()
    _run(title, meta["title"], size=16, bold=True)
    which = (
        "Draft"
        if not meta["edition"]
        else (f"Edition {meta['edition']}, published {meta['published_on']}")
    )
    _run(
        doc.add_paragraph(),
        f"{which} · from edition {meta['report_edition']} of the audit’s summary report",
        size=8.5,
    )
    # The parts in two columns: a continuous section break, then columns.
    doc.add_section(WD_SECTION.CONTINUOUS)
    parts = doc.sections[-1]
    columns = parts._sectPr.find(qn("w:cols"))
    if columns is None:
        columns = OxmlElement("w:cols")
        parts._sectPr.append(columns)
    columns.set(qn("w:num"), "2")
    columns.set(qn("w:space"), str(int(Cm(0.6).twips)))
    for number, part in enumerate(document["parts"], start=1):
        heading = doc.add_paragraph()
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = Pt(4)
        _run(heading, f"{number}. {part['title']}", size=10.5, bold=True)
        for block in part["blocks"]:
            if block["kind"] == "bullets":
                for item in block["items"]:
                    doc.add_paragraph(item, style="List Bullet")
            else:
                doc.add_paragraph(block["text"])
    out = io.BytesIO()
    doc.save(out)
    return fixed_zip(out.getvalue(), day)
