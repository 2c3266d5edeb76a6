"""The check for personal identifiers over the report's whole text.

It runs as the words are saved (a warning beside the section, on the page and as it autosaves),
at approval (refused while anything is found) and at publication (refused likewise, since the
names to catch may have grown since the approval). People's names are detected as well as the
listed ones (`people.py`, decision 39); a detected name that a coordinator has marked as not a
person's name (`NotAName`, for that passage) no longer counts.
"""

from dataclasses import dataclass

from django.utils import timezone

from maca.audits.models import Audit, Case, Request
from maca.grades import Grade
from maca.partnerships.models import Agency, Area
from maca.profiles import all_labels

from .document import document_text
from .identifiers import Finding, find_identifiers, normalised
from .models import NameToCatch, NotAName
from .people import people_in_each


@dataclass(frozen=True)
class Placed:
    """A finding and the part of the report it is in."""

    where: str  # a section title, "Title" or "Charts"
    finding: Finding
    key: str | None = None  # the section's key; None for the title and the charts

    @property
    def markable(self) -> bool:
        """Only a detected name can be marked as not a person's name: a pattern's finding
        (an NHS number, a name to catch) cannot be waved through."""
        return self.finding.kind == "person"


def identifiers_in(audit: Audit, document: dict, *, key: str | None = None) -> list[Placed]:
    """Everything in the document that could identify a child: NHS numbers, dates of birth,
    postcodes, phone numbers, e-mail addresses, the audit's case references and the agencies'
    record numbers, the partnership's names to catch, and what may be a person's name, unless
    a coordinator marked that passage as not one. With `key`, in that section only."""
    pieces = [piece for piece in _pieces(document) if key is None or piece[1] == key]
    return identifiers_in_pieces(audit, pieces)


def identifiers_in_pieces(audit: Audit, pieces: list[tuple[str, str | None, str]]) -> list[Placed]:
    """As `identifiers_in`, over any text of the audit: (where, key, text) for each piece
    (the learning briefing's parts, say)."""
    references = [
        *Case.objects.filter(audit=audit).values_list("reference", flat=True),
        *Request.objects.filter(audit=audit)
        .exclude(agency_record_number="")
        .values_list("agency_record_number", flat=True),
    ]
    names = list(
        NameToCatch.objects.filter(partnership_id=audit.partnership_id).values_list(
            "name", flat=True
        )
    )
    marked = set(NotAName.objects.filter(audit=audit).values_list("words", "passage"))
    known = known_not_people(audit)
    today = timezone.localdate()
    # The model reads every piece in one batch; find_identifiers then finds them read.
    people_in_each([normalised(text)[0] for _, _, text in pieces])
    return [
        Placed(where, finding, key)
        for where, key, text in pieces
        for finding in find_identifiers(
            text,
            case_references=references,
            names=names,
            today=today,
            people=True,
            known=known,
        )
        if not (finding.kind == "person" and (finding.text, finding.passage) in marked)
    ]


#: Words maca's own generated text prints that are nobody's name: the grades, the
#: inspectorate whose grading criteria every report cites, and the case profiles' words
#: ("White" is a surname too).
ALWAYS_KNOWN = (*(str(grade.label) for grade in Grade), "Ofsted", *all_labels())


def known_not_people(audit: Audit) -> list[str]:
    """Words every report of the audit prints that are never a person's name: the
    partnership's own name, its agencies' and areas' names, and `ALWAYS_KNOWN`."""
    partnership_id = audit.partnership_id
    return [
        audit.partnership.name,
        *Agency.objects.filter(partnership_id=partnership_id).values_list("name", flat=True),
        *Area.objects.filter(partnership_id=partnership_id).values_list("name", flat=True),
        *ALWAYS_KNOWN,
    ]


def _pieces(document: dict) -> list[tuple[str, str | None, str]]:
    titles = {section["title"]: section["key"] for section in document["sections"]}
    return [(where, titles.get(where), text) for where, text in document_text(document)]
