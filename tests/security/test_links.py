"""An audit's rationale link is a web address, http or https, on every path that stores one
(the planning form and services, a bundle from the command line or the API, a spreadsheet,
the model), because it becomes a link on the audit's page and in the report (web, PDF, Word):
a `javascript:` address there runs script when clicked, a `file:` or `smb:` one opens a file
share. A link stored before this rule is shown as text, never as a link, in every format."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn

from maca.audits import planning
from maca.audits.models import Audit, AuditStatus
from maca.bundles.services import bundle_import
from maca.bundles.spreadsheet import HistoryFileError, history_import
from maca.bundles.validation import BundleError, InvalidBundle, validate_bundle
from maca.errors import DomainError
from maca.links import NOT_A_WEB_ADDRESS, TOO_LONG
from maca.reports.document import draft_edition, report_document
from maca.reports.printing import report_html
from maca.reports.word import report_docx
from tests import factories as f
from tests.bundles.samples import small_bundle
from tests.support.bundles import filled

DANGEROUS = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "smb://fileserver/share/plan.docx",
    "ftp://example.org/plan.pdf",
]
GOOD = ["https://example.org/plan", "http://www.example.gov.uk/scr?page=2#rec-3"]
TOO_LONG_LINK = "https://example.org/" + "x" * 481  # 501 characters


# --- Storing: the planning page and its services ----------------------------------------------


def _form(areas, **changes) -> dict:
    plan = {f"area_{area.pk}": 0 for area in areas.values()}
    return {"title": "Missing from education", "theme": "Education", **plan} | changes


@pytest.mark.parametrize("link", DANGEROUS)
def test_the_planning_page_refuses_a_link_that_is_not_a_web_address(
    link, coordinator, areas, client_for
):
    response = client_for(coordinator).post(
        reverse("audits:create"), _form(areas, rationale_link=link)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["rationale_link"] == [NOT_A_WEB_ADDRESS]
    assert NOT_A_WEB_ADDRESS in response.content.decode()
    assert not Audit.objects.exists()


def test_the_planning_page_keeps_a_web_address(coordinator, areas, client_for):
    client_for(coordinator).post(reverse("audits:create"), _form(areas, rationale_link=GOOD[1]))
    assert Audit.objects.get().rationale_link == GOOD[1]


@pytest.mark.parametrize("link", [*DANGEROUS, TOO_LONG_LINK])
def test_the_planning_services_refuse_it_whoever_calls_them(link, partnership, coordinator):
    with pytest.raises(DomainError) as refused:
        planning.audit_create(
            partnership=partnership, by=coordinator, title="A", theme="B", rationale_link=link
        )
    assert refused.value.field == "rationale_link"
    assert refused.value.message == (TOO_LONG if link == TOO_LONG_LINK else NOT_A_WEB_ADDRESS)

    audit = planning.audit_create(partnership=partnership, by=coordinator, title="A", theme="B")
    with pytest.raises(DomainError) as refused:
        planning.audit_update(
            audit=audit, by=coordinator, title="A", theme="B", rationale_link=link
        )
    assert refused.value.field == "rationale_link"
    audit.refresh_from_db()
    assert audit.rationale_link == ""


@pytest.mark.parametrize("link", DANGEROUS)
def test_the_model_refuses_it(link, partnership):
    audit = Audit(partnership=partnership, title="A", theme="B", rationale_link=link)
    with pytest.raises(ValidationError) as refused:
        audit.full_clean()
    assert NOT_A_WEB_ADDRESS in refused.value.message_dict["rationale_link"]


# --- Storing: bundles and spreadsheets ---------------------------------------------------------


@pytest.mark.parametrize("link", DANGEROUS)
def test_a_bundle_with_such_a_link_is_refused_naming_it_once(link, db):
    bundle = small_bundle(rationale_link=link)
    assert validate_bundle(bundle) == [BundleError("audit.rationale_link", NOT_A_WEB_ADDRESS)]
    with pytest.raises(InvalidBundle):
        bundle_import(data=bundle)
    assert not Audit.objects.exists()


def test_a_bundle_with_a_link_too_long_is_refused(db):
    bundle = small_bundle(rationale_link=TOO_LONG_LINK)
    assert validate_bundle(bundle) == [BundleError("audit.rationale_link", TOO_LONG)]


@pytest.mark.parametrize("link", [*GOOD, None])
def test_a_bundle_with_a_web_address_or_none_is_imported(link, db):
    audit = bundle_import(data=small_bundle(rationale_link=link))
    assert audit.rationale_link == (link or "")


def test_the_import_command_refuses_it(tmp_path, db):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(small_bundle(rationale_link=DANGEROUS[0])))
    with pytest.raises(CommandError, match=r"audit\.rationale_link: Enter the link as a web"):
        call_command("import_bundle", str(path))
    assert not Audit.objects.exists()


@pytest.mark.parametrize("link", DANGEROUS)
def test_a_spreadsheet_with_such_a_link_is_refused(link, partnership, areas, agencies):
    with pytest.raises(HistoryFileError) as refused:
        history_import(
            partnership=partnership, data=filled(partnership, audit={"B5": link}), by=None
        )
    assert (
        "Audit sheet, cell B5 (Link): enter the link as a web address, starting with https://"
        in (refused.value.message)
    )
    assert not Audit.objects.exists()


# --- Showing what was stored before ------------------------------------------------------------

STORED = "javascript:alert(document.cookie)"


@pytest.fixture
def reporting(audit):
    """The cast's audit in reporting, with a link stored before maca refused such links."""
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.REPORTING, rationale_link=STORED)
    audit.refresh_from_db()
    return audit


def _no_dangerous_href(html: str) -> bool:
    return "href" not in html.split(STORED)[0][-60:] and 'href="javascript' not in html


def test_the_audit_page_shows_it_as_text(reporting, coordinator, client_for):
    page = client_for(coordinator).get(reverse("audits:detail", args=[reporting.pk]))
    html = page.content.decode()
    assert STORED in html and _no_dangerous_href(html)


def test_the_report_page_shows_it_as_text(reporting, coordinator, client_for):
    page = client_for(coordinator).get(reverse("audits:report", args=[reporting.pk]))
    html = page.content.decode()
    assert "Why this theme was chosen:" in html
    assert STORED in html and _no_dangerous_href(html)


def test_a_published_edition_shows_it_as_text(reporting, board_member, client_for):
    """An edition keeps its document as published, link and all, for ever: only its rendering
    can keep the link from being clicked."""
    edition = f.published_report(reporting)
    assert STORED in json.dumps(edition.document)
    url = reverse("audits:report_edition", args=[reporting.pk, edition.number])
    html = client_for(board_member).get(url).content.decode()
    assert STORED in html and _no_dangerous_href(html)


def test_the_pdf_prints_it_as_text(reporting):
    html = report_html(report_document(reporting), draft_edition(reporting.meeting_date))
    assert STORED in html and _no_dangerous_href(html)


def test_the_word_file_carries_it_as_text_not_a_hyperlink(reporting):
    data = report_docx(report_document(reporting), draft_edition(reporting.meeting_date))
    doc = Document(io.BytesIO(data))
    targets = [
        rel.target_ref
        for rel in doc.part.rels.values()
        if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK
    ]
    assert targets == []
    assert not doc.element.body.findall(".//" + qn("w:hyperlink"))
    assert any(STORED in paragraph.text for paragraph in doc.paragraphs)


def test_a_web_address_is_still_a_link_everywhere(reporting, coordinator, client_for):
    Audit.objects.filter(pk=reporting.pk).update(rationale_link=GOOD[0])
    reporting.refresh_from_db()
    link = f'<a class="govuk-link" href="{GOOD[0]}" rel="noreferrer noopener">'
    client = client_for(coordinator)
    assert link in client.get(reverse("audits:detail", args=[reporting.pk])).content.decode()
    assert link in client.get(reverse("audits:report", args=[reporting.pk])).content.decode()
    document = report_document(reporting)
    assert f'href="{GOOD[0]}"' in report_html(document, draft_edition(reporting.meeting_date))
    doc = Document(io.BytesIO(report_docx(document, draft_edition(reporting.meeting_date))))
    assert [r.target_ref for r in doc.part.rels.values() if r.is_external] == [GOOD[0]]
