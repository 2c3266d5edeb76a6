"""The learning briefing (decision 71): one page for front-line staff, in the "7-minute
briefing" shape partnerships use (background, why it matters, what we found, what good looks
like, what to do, questions for your team, further reading).

Its words are drafted from a published edition of the report, and only from what that edition
prints and has passed the identifier check: the audit's theme, its numbered themes, its good
practice and its recommendations (`draft_parts`). A coordinator edits them (`Briefing`); the
identifier check reads them again before a briefing is published (`briefing_identifiers`),
since edited words are new words. A published briefing is kept whole as a document dict
(`briefing_document`), which the web page, the PDF and the Word file all draw from.

    {"meta": {"partnership", "audit_id", "title", "theme", "edition", "published_on",
              "report_edition", "report_published_on", "marking"},
     "parts": [{"key", "title", "words", "blocks": [block, ...]}]}

Blocks are the report's paragraph and bullet blocks (`document.words_blocks`).
"""

import datetime
import re

from django.utils import timezone

from maca import access
from maca.audits.models import Audit

from .checking import Placed, identifiers_in_pieces
from .document import OFFICIAL, block_text, cases, long_date, words_blocks
from .feedback import themes_of
from .models import BriefingEdition, BriefingPart, ReportEdition, SectionKey
from .models_briefing import Briefing

# Drafting ------------------------------------------------------------------------------------


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def _section(document: dict, key: str) -> dict:
    return next(section for section in document["sections"] if section["key"] == key)


def recommendations_of(document: dict) -> list[str]:
    """The recommendations a published edition makes (its numbered list)."""
    return [
        item["text"]
        for block in _section(document, SectionKey.RECOMMENDATIONS)["blocks"]
        if block["kind"] == "numbered" and block["source"] == "data"
        for item in block["items"]
        if item["text"]
    ]


def good_practice_of(document: dict) -> list[str]:
    """The good practice a published edition lists (its section's bullet points)."""
    return [
        item
        for block in _section(document, SectionKey.GOOD_PRACTICE)["blocks"]
        if block["kind"] == "bullets"
        for item in block["items"]
    ]


def _bullets(items: list[str], *, most: int) -> str:
    shown = items[:most]
    return "\n".join(f"- {item}" for item in shown)


def draft_parts(edition: ReportEdition) -> dict[str, str]:
    """The briefing's first words, from the published edition's theme, themes, good practice
    and recommendations: nothing else of the audit (no case-level text the report left out)."""
    document = edition.document
    meta = document["meta"]
    partnership = meta["partnership"]
    themes = themes_of(document)
    good = good_practice_of(document)
    recommendations = recommendations_of(document)
    audited = document["summary"].get("cases") or 0
    found = _bullets(
        [
            f"{theme['title']}: {_first_sentence(theme['text'])}"
            if theme["text"]
            else theme["title"]
            for theme in themes
        ],
        most=5,
    )
    questions = [
        f"{theme['title']}: what does this look like in our work, and what would we change?"
        for theme in themes[:3]
    ] + ["What will each of us do differently after this briefing?"]
    return {
        BriefingPart.BACKGROUND: (
            f"The {partnership} held a multi-agency case audit on the theme ‘{meta['theme']}’"
            + (f": {cases(audited)} were audited." if audited else ".")
            + " Each agency looked at its own work on each case, then the agencies met to agree "
            "what went well and what must improve."
        ),
        BriefingPart.WHY_IT_MATTERS: (
            "Children are safer when the people who work with them share what they know, hear "
            "the child, and act together. What an audit finds only changes practice when it "
            "reaches the people who work with children every day."
        ),
        BriefingPart.WHAT_WE_FOUND: (
            "The auditors found these themes across the cases:\n\n" + found
            if found
            else "The audit named no themes across the cases."
        ),
        BriefingPart.WHAT_GOOD_LOOKS_LIKE: (
            _bullets(good, most=4)
            if good
            else "Practice that shares information early, hears the child and plans together."
        ),
        BriefingPart.WHAT_TO_DO: (
            _bullets(recommendations, most=5)
            if recommendations
            else "Talk through the findings in your team and agree what you will change."
        ),
        BriefingPart.QUESTIONS: _bullets(questions, most=4),
        BriefingPart.FURTHER_READING: (
            f"The audit’s summary report: {meta['title']}, edition {edition.number}, published "
            f"{long_date(timezone.localdate(edition.published_at))}, from the {partnership}.\n\n"
            "Working Together to Safeguard Children (2023)."
        ),
    }


# The document ------------------------------------------------------------------------------------


def briefing_document(
    briefing: Briefing, *, number: int | None = None, day: datetime.date | None = None
) -> dict:
    """The briefing as it stands (or as edition `number`, published on `day`): every format's
    one source."""
    audit = Audit.objects.select_related("partnership").get(pk=briefing.audit_id)
    source = ReportEdition.objects.defer("document").get(pk=briefing.drafted_from_id)
    parts = briefing.parts()
    return {
        "meta": {
            "partnership": audit.partnership.name,
            "audit_id": audit.pk,
            "title": audit.title,
            "theme": audit.theme,
            "edition": number,
            "published_on": long_date(day) if day else "",
            "report_edition": source.number,
            "report_published_on": long_date(timezone.localdate(source.published_at)),
            "marking": OFFICIAL,
        },
        "parts": [
            {
                "key": part.value,
                "title": str(part.label),
                "words": parts[part.value],
                "blocks": words_blocks(parts[part.value]),
            }
            for part in BriefingPart
        ],
    }


def briefing_text(document: dict) -> list[str]:
    """Every piece of text the briefing prints, in order: what every format must carry."""
    pieces = [document["meta"]["title"]]
    for part in document["parts"]:
        pieces.append(part["title"])
        for block in part["blocks"]:
            pieces += block_text(block)
    return pieces


def briefing_identifiers(audit: Audit, document: dict) -> list[Placed]:
    """What in the briefing could identify a child: the report's check over every part."""
    pieces: list[tuple[str, str | None, str]] = [
        ("Title", None, document["meta"]["title"]),
        ("Title", None, document["meta"]["theme"]),
    ]
    for part in document["parts"]:
        pieces += [
            (part["title"], part["key"], text)
            for block in part["blocks"]
            for text in block_text(block)
        ]
    return identifiers_in_pieces(audit, pieces)


#: About as many characters as one A4 page holds in the PDF's smallest print (7 pt, two
#: columns); the demo's briefing has about 2,600 and fits at 9.5 pt. Longer words are warned
#: of on the briefing's page; the PDF is measured only when it is made.
PAGE_CHARACTERS = 5_000


def briefing_length(document: dict) -> int:
    return sum(len(part["words"]) for part in document["parts"])


def empty_parts(document: dict) -> list[str]:
    return [part["title"] for part in document["parts"] if not part["words"].strip()]


# Reads -------------------------------------------------------------------------------------------


def draft_of(audit: Audit) -> Briefing | None:
    """The audit's briefing as the coordinators are writing it (None before it is drafted)."""
    return Briefing.objects.filter(audit=audit).first()


def latest_report_edition(audit: Audit) -> ReportEdition | None:
    return ReportEdition.objects.filter(audit=audit).order_by("-number").first()


def latest_briefing(viewer: access.Viewer, audit: Audit) -> BriefingEdition | None:
    """The audit's latest published briefing the viewer may read."""
    return access.briefing_editions_for(viewer, audit).defer("document").order_by("-number").first()
