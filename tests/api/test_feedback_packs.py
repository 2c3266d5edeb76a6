"""Each agency's feedback pack through the API, scoped as on the Agency feedback page: every
involved agency's for a coordinator, their own agency's for its people, none for a board member
or another agency; a file not made answers 409 saying why; a download is recorded."""

import pytest

from maca.history.models import AccessHow, AccessKind, AccessRecord
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from tests import factories as f

MISSING_ID = 987_654_321


@pytest.fixture
def edition(audit):
    return f.published_report(audit, with_pdf=False)


def _pack(audit, edition, agency, kind=RenditionKind.FEEDBACK_PDF, status=RenditionStatus.READY):
    return Rendition.objects.create(
        partnership=audit.partnership,
        audit=audit,
        kind=kind,
        edition=edition,
        agency=agency,
        status=status,
        content=b"%PDF-1.7 " + agency.name.encode() if status == RenditionStatus.READY else None,
        filename=f"feedback-{agency.pk}.pdf",
    )


@pytest.fixture
def packs(audit, edition, agencies):
    """Police's and Children's Social Care's PDFs made; neither Word file."""
    return {
        name: _pack(audit, edition, agencies[name]) for name in ("Police", "Children's Social Care")
    }


def _listed(api, audit) -> dict:
    response = api.get(f"/audits/{audit.pk}/feedback-packs")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_coordinator_lists_every_involved_agencys_pack(
    coordinator, audit, agencies, packs, api_as
):
    listed = _listed(api_as(coordinator), audit)
    assert listed["edition"] == 1
    assert [item["agency"] for item in listed["items"]] == ["Children's Social Care", "Police"]
    police = agencies["Police"].pk
    (item,) = [item for item in listed["items"] if item["agency_id"] == police]
    base = f"/api/v1/audits/{audit.pk}/feedback-packs/{police}"
    assert item["pdf"] == {"ready": True, "url": f"{base}.pdf"}
    assert item["docx"] == {"ready": False, "url": f"{base}.docx"}


def test_an_agency_user_lists_and_downloads_only_their_own(
    police_auditor, audit, agencies, packs, api_as
):
    api = api_as(police_auditor)
    assert [item["agency"] for item in _listed(api, audit)["items"]] == ["Police"]

    response = api.get(f"/audits/{audit.pk}/feedback-packs/{agencies['Police'].pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 Police"
    assert AccessRecord.objects.filter(
        user=police_auditor,
        kind=AccessKind.FEEDBACK_PACK,
        how=AccessHow.API,
        object_id=str(packs["Police"].pk),
    ).exists()

    # Another agency's pack is as if it did not exist.
    other = api.get(
        f"/audits/{audit.pk}/feedback-packs/{agencies["Children's Social Care"].pk}.pdf"
    )
    missing = api.get(f"/audits/{audit.pk}/feedback-packs/{MISSING_ID}.pdf")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content


def test_a_board_member_reads_no_pack(board_member, audit, agencies, packs, api_as):
    api = api_as(board_member)
    assert _listed(api, audit)["items"] == []
    response = api.get(f"/audits/{audit.pk}/feedback-packs/{agencies['Police'].pk}.pdf")
    assert response.status_code == 404


def test_another_partnership_reads_nothing(audit, agencies, packs, other_audit, api_as):
    elsewhere = f.UserFactory()
    membership_grant(user=elsewhere, partnership=other_audit.partnership, role=Role.COORDINATOR)
    api = api_as(elsewhere)
    assert api.get(f"/audits/{audit.pk}/feedback-packs").status_code == 404
    assert (
        api.get(f"/audits/{audit.pk}/feedback-packs/{agencies['Police'].pk}.pdf").status_code == 404
    )


def test_a_file_not_made_says_why(coordinator, audit, edition, agencies, packs, api_as):
    api = api_as(coordinator)
    police = agencies["Police"]
    response = api.get(f"/audits/{audit.pk}/feedback-packs/{police.pk}.docx")
    assert response.status_code == 409
    assert "Retry-After" not in response
    assert response.json() == {
        "detail": "Police's feedback pack (Word) has not been made: a coordinator can make the "
        "packs again on the audit's Agency feedback page."
    }

    _pack(audit, edition, police, RenditionKind.FEEDBACK_DOCX, RenditionStatus.QUEUED)
    response = api.get(f"/audits/{audit.pk}/feedback-packs/{police.pk}.docx")
    assert response.status_code == 409
    assert response["Retry-After"] == "30"
    assert "is being made" in response.json()["detail"]


def test_before_publication_no_pack_is_ready(coordinator, audit, agencies, api_as):
    api = api_as(coordinator)
    listed = _listed(api, audit)
    assert listed["edition"] is None
    assert {item["pdf"]["ready"] for item in listed["items"]} == {False}
    response = api.get(f"/audits/{audit.pk}/feedback-packs/{agencies['Police'].pk}.pdf")
    assert response.status_code == 409
    assert "not published yet" in response.json()["detail"]
