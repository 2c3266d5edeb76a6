"""The report's published editions through the API: listed with links, read with their
figures, their PDF and Word files downloaded once made (409 until then, and asked for); to
everyone in the partnership who may see the audit."""

import pytest

from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from tests import factories as f

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def edition(audit):
    """Edition 1 of our audit's report, its PDF made (a stand-in), its Word file not yet."""
    return f.published_report(audit)


@pytest.mark.parametrize("role", ["coordinator", "police_auditor", "agency_lead", "board_member"])
def test_everyone_who_sees_the_audit_lists_its_editions(role, request, audit, edition, api_as):
    response = api_as(request.getfixturevalue(role)).get(f"/audits/{audit.pk}/report/editions")
    base = f"/api/v1/audits/{audit.pk}/report/editions/1"
    assert response.json() == {
        "items": [
            {
                "number": 1,
                "published_at": response.json()["items"][0]["published_at"],
                "links": {"self": base, "pdf": f"{base}.pdf", "docx": f"{base}.docx"},
            }
        ],
        "count": 1,
    }


def test_an_edition_carries_its_figures_as_published(board_member, audit, edition, api_as):
    response = api_as(board_member).get(f"/audits/{audit.pk}/report/editions/1")
    assert response.status_code == 200
    assert response.json()["summary"] == edition.document["summary"]
    assert response.json()["summary"]["cases"] == 2


def test_an_audit_without_a_published_report_has_no_editions(coordinator, audit, api_as):
    api = api_as(coordinator)
    assert api.get(f"/audits/{audit.pk}/report/editions").json() == {"items": [], "count": 0}
    assert api.get(f"/audits/{audit.pk}/report/editions/1").status_code == 404
    assert api.get(f"/audits/{audit.pk}/report/editions/1.pdf").status_code == 404


def test_the_pdf_is_downloaded_once_made(board_member, audit, edition, api_as):
    response = api_as(board_member).get(f"/audits/{audit.pk}/report/editions/1.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 stand-in"
    assert f"report-audit-{audit.pk}-edition-1.pdf" in response["Content-Disposition"]


def test_a_file_not_made_yet_is_asked_for_and_answers_409(police_auditor, audit, edition, api_as):
    api = api_as(police_auditor)
    response = api.get(f"/audits/{audit.pk}/report/editions/1.docx")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The Word file of edition 1 is being made: ask again in a minute."
    }
    assert response["Retry-After"] == "30"
    asked = Rendition.objects.get(kind=RenditionKind.REPORT_DOCX, edition=edition)
    assert (asked.status, asked.requested_by) == (RenditionStatus.QUEUED, police_auditor)
    # Asking again while it is being made asks for nothing more.
    assert api.get(f"/audits/{audit.pk}/report/editions/1.docx").status_code == 409
    assert Rendition.objects.filter(kind=RenditionKind.REPORT_DOCX).count() == 1


def test_the_word_file_is_made_by_the_task_and_then_downloaded(
    coordinator, audit, edition, api_as, django_capture_on_commit_callbacks
):
    api = api_as(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.get(f"/audits/{audit.pk}/report/editions/1.docx").status_code == 409
    response = api.get(f"/audits/{audit.pk}/report/editions/1.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response.content.startswith(b"PK")


def test_another_partnerships_edition_is_not_found(coordinator, audit, other_audit, api_as):
    f.published_report(other_audit)
    api = api_as(coordinator)
    for suffix in ("", ".pdf", ".docx"):
        seen = api.get(f"/audits/{other_audit.pk}/report/editions/1{suffix}")
        missing = api.get(f"/audits/987654321/report/editions/1{suffix}")
        assert seen.status_code == missing.status_code == 404
        assert seen.content == missing.content
    assert not Rendition.objects.filter(audit=other_audit, kind=RenditionKind.REPORT_DOCX)


def test_an_agency_outside_the_audit_does_not_see_its_editions(
    health_auditor, audit, edition, api_as
):
    api = api_as(health_auditor)
    assert api.get(f"/audits/{audit.pk}/report/editions").status_code == 404
    assert api.get(f"/audits/{audit.pk}/report/editions/1.pdf").status_code == 404


@pytest.mark.parametrize("number", ["0", "one", "1.5"])
def test_an_edition_number_that_is_not_one_is_refused(number, coordinator, audit, api_as):
    response = api_as(coordinator).get(f"/audits/{audit.pk}/report/editions/{number}.pdf")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "number"]
