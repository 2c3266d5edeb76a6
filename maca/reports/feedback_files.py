"""An agency's feedback pack as a PDF (WeasyPrint) and as a Word file (python-docx), both drawn
from the one dict `feedback.feedback_document` builds, so they say the same things in the same
order: a cover, the grades table, good practice, concerns and areas for development, the
agency's actions, the partnership's themes, then one practitioner feedback note per case on a
page of its own. OFFICIAL-SENSITIVE on every page of both (it is case-level text).

As the report's files: the PDF fetches nothing (every piece of text is escaped by the
template), and the Word file is the same bytes for the same dict (dated the edition's day).
"""

import datetime
import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from maca.wordfiles import drop_thumbnail, fixed_zip, properties

from .printing import PDF_OPTIONS, url_fetcher
from .word import _field, _page, _paragraph, _run, _styles, _table

TEMPLATE = "reports/feedback_print.html"
SUBJECT = "Multi-agency case audit: agency feedback"


def feedback_html(document: dict) -> str:
    return render_to_string(TEMPLATE, document)


def feedback_pdf(document: dict) -> bytes:
    import weasyprint  # loads Pango: only where a PDF is made

    html = feedback_html(document)
    return weasyprint.HTML(string=html, url_fetcher=url_fetcher()).write_pdf(**PDF_OPTIONS)


def feedback_docx(document: dict, day: datetime.date) -> bytes:
    meta = document["meta"]
    doc = Document()
    section = doc.sections[0]
    _page(section)
    _styles(doc)
    properties(
        doc,
        title=f"Feedback for {meta['agency']}: {meta['title']}",
        subject=SUBJECT,
        author=meta["partnership"],
        keywords=meta["marking"],
        day=day,
        revision=meta["edition"] or 1,
    )
    drop_thumbnail(doc)
    _marked(section, meta)
    _cover(doc, document)
    doc.add_heading("Your cases' grades", level=1)
    _table(doc, "", document["grades"]["headers"], document["grades"]["rows"])
    doc.add_heading("Good practice", level=1)
    _items(doc, document["good_practice"], "No good practice was recorded for your agency's cases.")
    doc.add_heading("Concerns and areas for development", level=1)
    _items(
        doc,
        document["concerns"],
        "No concerns or areas for development were recorded for your agency's cases.",
    )
    doc.add_heading("Your agency's actions", level=1)
    if document["actions"]["rows"]:
        _table(doc, "", document["actions"]["headers"], document["actions"]["rows"])
    else:
        _paragraph(doc, "Your agency owns no action from this audit.")
    doc.add_heading("The partnership's themes", level=1)
    for number, theme in enumerate(document["themes"], start=1):
        _run(doc.add_paragraph(), f"{number}. {theme['title']}", size=10.5, bold=True)
        if theme["text"]:
            _paragraph(doc, theme["text"])
    if not document["themes"]:
        _paragraph(doc, "The report names no themes.")
    for note in document["notes"]:
        _note(doc, meta, note)
    out = io.BytesIO()
    doc.save(out)
    return fixed_zip(out.getvalue(), day)


def _marked(section, meta: dict) -> None:
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(meta["marking"]).bold = True
    footer = section.footer.paragraphs[0]
    footer.text = f"{meta['title']} · feedback for {meta['agency']} · {meta['marking']}"
    pages = section.footer.add_paragraph("Page ")
    _field(pages, "PAGE")
    pages.add_run(" of ")
    _field(pages, "NUMPAGES")
    for paragraph in (footer, pages):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _cover(doc, document: dict) -> None:
    meta = document["meta"]
    _run(doc.add_paragraph(), meta["partnership"], size=13, bold=True)
    doc.add_paragraph(f"Multi-agency case audit: feedback for {meta['agency']}", style="Subtitle")
    doc.add_paragraph(meta["title"], style="Title")
    which = doc.add_paragraph()
    _run(which, f"Edition {meta['edition']} of the summary report", size=11, bold=True)
    _run(which, f", published {meta['published_on']}", size=11)
    marking = doc.add_paragraph()
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(marking, meta["marking"], size=14, bold=True)
    _paragraph(
        doc,
        f"This pack is for {meta['agency']} only. It sets what the multi-agency audit meeting "
        "found about your agency's work beside your own returns. Cases are named by their "
        "audit reference only.",
    )
    _paragraph(doc, document["agreement"])


def _items(doc, items: list[dict], none: str) -> None:
    if not items:
        _paragraph(doc, none)
    for item in items:
        label = doc.add_paragraph()
        label.paragraph_format.space_after = Pt(0)
        _run(label, f"Case {item['reference']} · {item['by']}", size=9, bold=True)
        _paragraph(doc, item["text"])


def _note(doc, meta: dict, note: dict) -> None:
    """A practitioner feedback note: a page of its own."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph(f"Practitioner feedback note · {meta['agency']}", style="Subtitle")
    doc.add_heading(f"Case {note['reference']}", level=1)
    _paragraph(
        doc,
        f"What the multi-agency audit meeting said about {meta['agency']}'s work on this case, "
        "to pass to the practitioner.",
    )
    facts = [["Your agency's grade", note["own"]], ["The meeting's grade", note["ratified"]]]
    if note["reason"]:
        facts.append(["The meeting's reason", note["reason"]])
    _table(doc, "", ["", "This case"], facts)
    doc.add_heading("The meeting's points", level=2)
    for point in note["points"]:
        _run(doc.add_paragraph(), point["kind"], size=9, bold=True)
        _paragraph(doc, point["text"])
    if not note["points"]:
        _paragraph(doc, "The meeting recorded no points on this case.")
    if note["good_practice"] or note["areas_for_development"]:
        doc.add_heading("Your agency's return", level=2)
        for label, key in (
            ("Good practice", "good_practice"),
            ("Areas for development", "areas_for_development"),
        ):
            if note[key]:
                _run(doc.add_paragraph(), label, size=9, bold=True)
                _paragraph(doc, note[key])
    doc.add_heading("Immediate actions", level=2)
    for action in note["actions"]:
        _paragraph(doc, action["description"])
        _paragraph(doc, f"{action['status']}, due {action['due']}")
    if not note["actions"]:
        _paragraph(doc, "None for your agency on this case.")
