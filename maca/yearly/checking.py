"""The identifier check over a yearly report's whole text (the audit report's check,
`reports.identifiers`, with the yearly report's own references and known words)."""

from django.utils import timezone

from maca import access
from maca.audits.models import Case
from maca.reports.checking import ALWAYS_KNOWN, Placed
from maca.reports.identifiers import find_identifiers, normalised
from maca.reports.people import people_in_each

from .document import document_text
from .models import YearlyReport


def identifiers_in(report: YearlyReport, document: dict, viewer: access.Viewer) -> list[Placed]:
    """Everything in the document that could identify a child: the patterns, the counted
    audits' case references, the partnership's names to catch, and what may be a person's name
    (the partnership's own name, its agencies', areas', audits' and library themes' names are
    known not to be). No passage is marked "not a person's name" here: a detected name is
    reworded (decision 72)."""
    audits = list(access.yearly_audits_for(viewer))
    # One query whatever the number of audits, as the audit report's check reads its cases.
    references = list(
        Case.objects.filter(partnership=viewer.partnership, audit__in=audits).values_list(
            "reference", flat=True
        )
    )
    names = list(access.names_to_catch_for(viewer).values_list("name", flat=True))
    known = [
        report.partnership.name,
        *access.agencies_for(viewer).values_list("name", flat=True),
        *access.areas_for(viewer).values_list("name", flat=True),
        *access.library_themes_for(viewer).values_list("title", flat=True),
        *(audit.title for audit in audits),
        *ALWAYS_KNOWN,
    ]
    titles = {section["title"]: section["key"] for section in document["sections"]}
    pieces = [(where, titles.get(where), text) for where, text in document_text(document)]
    people_in_each([normalised(text)[0] for _, _, text in pieces])
    today = timezone.localdate()
    return [
        Placed(where, finding, key)
        for where, key, text in pieces
        for finding in find_identifiers(
            text, case_references=references, names=names, today=today, people=True, known=known
        )
    ]
