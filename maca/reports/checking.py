"""The check for personal identifiers that publishing runs over the report's whole text."""

from dataclasses import dataclass

from django.utils import timezone

from maca.audits.models import Audit, Case, Request

from .document import document_text
from .identifiers import Finding, find_identifiers
from .models import NameToCatch


@dataclass(frozen=True)
class Placed:
    """A finding and the part of the report it is in."""

    where: str  # a section title, "Title" or "Charts"
    finding: Finding


def identifiers_in(audit: Audit, document: dict) -> list[Placed]:
    """Everything in the document that could identify a child: NHS numbers, dates of birth,
    postcodes, phone numbers, e-mail addresses, the audit's case references and the agencies'
    record numbers, and the partnership's names to catch."""
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
    today = timezone.localdate()
    return [
        Placed(where, finding)
        for where, text in document_text(document)
        for finding in find_identifiers(text, case_references=references, names=names, today=today)
    ]
