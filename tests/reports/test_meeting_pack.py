"""The meeting pack: asked for on a page, rendered by a task, downloaded as one PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from maca import access
from maca.audits.models import AuditStatus, RequestStatus
from maca.partnerships.models import Role
from maca.reports import meeting_pack
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from maca.reports.rendering import rendition_render, rendition_request
from tests import factories as f
from tests.pages import text_of

MARKING = "OFFICIAL-SENSITIVE"


@pytest.fixture
def moderated(audit):
    """The fixture audit at its meeting, every request with a record number, and a third case
    where Police flagged immediate action."""
    for request in audit.requests.all():
        request.agency_record_number = f"REC-{request.pk}-55731"
        request.save()
    third = f.CaseFactory(audit=audit, reference="T-C-01", area=audit.cases.first().area)
    f.ReturnFactory(
        request=f.RequestFactory(
            case=third,
            agency=audit.requests.first().agency,
            status=RequestStatus.SUBMITTED,
            agency_record_number="REC-X-55731",
        ),
        grade="inadequate",
        answers={"q1": "Nobody asked her."},
        immediate_action=True,
        immediate_action_description="Refer to the front door today.",
    )
    audit.status = AuditStatus.MODERATION
    audit.save()
    return audit


def _prepare(client, audit, capture):
    with capture(execute=True):
        response = client.post(reverse("audits:meeting_pack_request", args=[audit.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:meeting_pack", args=[audit.pk])


def _download(client, audit):
    return client.get(reverse("audits:meeting_pack_download", args=[audit.pk]))


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_asking_renders_the_pack_in_the_background(
    moderated, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    page = client.get(reverse("audits:meeting_pack", args=[moderated.pk]))
    assert "No meeting pack has been prepared yet." in text_of(page)

    _prepare(client, moderated, django_capture_on_commit_callbacks)

    rendition = Rendition.objects.get(audit=moderated)
    assert rendition.kind == RenditionKind.MEETING_PACK
    assert rendition.status == RenditionStatus.READY
    assert rendition.requested_by == coordinator
    assert bytes(rendition.content).startswith(b"%PDF")
    text = text_of(client.get(reverse("audits:meeting_pack", args=[moderated.pk])))
    assert "Ready" in text
    assert "Download the meeting pack (PDF," in text


def test_the_pack_has_a_cover_every_case_and_the_marking_on_every_page(
    moderated, partnership, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    _prepare(client, moderated, django_capture_on_commit_callbacks)

    pages = _pages(_download(client, moderated).content)

    cases = moderated.cases.count()
    assert len(pages) >= cases + 1  # T-N-01 has no return in: a line in the list, no page
    assert all(MARKING in page for page in pages)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    cover = pages[0]
    assert partnership.name in cover
    assert moderated.title in cover
    assert moderated.theme in cover
    assert f"{moderated.meeting_date:%-d %B %Y}" in cover
    assert f"Cases {cases}" in cover
    listing = pages[1]
    whole = "\n".join(pages)
    for reference in ("T-C-01", "T-E-01", "T-N-01"):
        assert reference in listing
    for reference in ("T-C-01", "T-E-01"):
        # Each summary starts on a page of its own, named in the page header.
        assert any(page.count(f"Case {reference}") >= 2 for page in pages[2:]), reference
    assert not any("Case T-N-01" in page for page in pages[2:])
    assert "Police shared the missing episode at once." in whole
    assert "Not submitted by: Children's Social Care (not returned)" in whole
    assert "Refer to the front door today." in whole


def test_the_pack_carries_no_record_number(
    moderated, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    _prepare(client, moderated, django_capture_on_commit_callbacks)

    download = _download(client, moderated)

    assert "55731" not in "\n".join(_pages(download.content))
    assert b"55731" not in download.content
    assert "55731" not in download["Content-Disposition"]


def test_the_download_is_an_attachment_named_for_the_audit(
    moderated, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    _prepare(client, moderated, django_capture_on_commit_callbacks)

    download = _download(client, moderated)

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="meeting-pack-{moderated.pk}.pdf"'
    )
    assert "no-store" in download["Cache-Control"]


def test_nothing_to_download_until_a_pack_is_ready(audit, coordinator, client_for):
    rendition_request(audit=audit, kind=RenditionKind.MEETING_PACK, by=coordinator)

    assert _download(client_for(coordinator), audit).status_code == 404


def test_while_it_is_prepared_the_page_polls_and_offers_a_refresh(audit, coordinator, client_for):
    # Not run: the test's transaction never commits, so the task is never queued.
    rendition_request(audit=audit, kind=RenditionKind.MEETING_PACK, by=coordinator)
    url = reverse("audits:meeting_pack", args=[audit.pk])
    client = client_for(coordinator)

    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    html = page.content.decode()
    assert "Being prepared" in text_of(page)
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in html
    assert f'<a class="govuk-link" href="{url}">Refresh</a>' in html
    assert fragment.content.decode().lstrip().startswith('<div id="pack-status"')
    assert "<html" not in fragment.content.decode()


def test_once_ready_the_polling_stops(audit, coordinator, client_for):
    rendition = rendition_request(audit=audit, kind=RenditionKind.MEETING_PACK, by=coordinator)
    rendition_render(rendition.pk)
    url = reverse("audits:meeting_pack", args=[audit.pk])

    fragment = client_for(coordinator).get(url, headers={"HX-Request": "true"})

    assert "hx-trigger" not in fragment.content.decode()
    assert "Download the meeting pack" in text_of(fragment)


def test_a_failed_render_shows_its_message(
    audit, coordinator, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(viewer, audit):
        raise RuntimeError("Pango could not be loaded")

    monkeypatch.setattr(meeting_pack, "meeting_pack_pdf", broken)
    client = client_for(coordinator)

    _prepare(client, audit, django_capture_on_commit_callbacks)

    rendition = Rendition.objects.get(audit=audit)
    assert rendition.status == RenditionStatus.FAILED
    assert rendition.error == "RuntimeError: Pango could not be loaded"
    text = text_of(client.get(reverse("audits:meeting_pack", args=[audit.pk])))
    assert "Failed" in text
    assert "RuntimeError: Pango could not be loaded" in text
    assert _download(client, audit).status_code == 404


def test_asking_again_while_it_is_prepared_queues_nothing_new(audit, coordinator):
    first = rendition_request(audit=audit, kind=RenditionKind.MEETING_PACK, by=coordinator)
    second = rendition_request(audit=audit, kind=RenditionKind.MEETING_PACK, by=coordinator)

    assert second == first
    assert Rendition.objects.filter(audit=audit).count() == 1


def test_a_new_pack_replaces_the_older_one(
    audit, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    _prepare(client, audit, django_capture_on_commit_callbacks)
    _prepare(client, audit, django_capture_on_commit_callbacks)

    assert Rendition.objects.filter(audit=audit).count() == 1
    assert Rendition.objects.get(audit=audit).status == RenditionStatus.READY


def test_an_earlier_pack_stays_downloadable_while_a_new_one_is_prepared(
    audit, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    _prepare(client, audit, django_capture_on_commit_callbacks)

    rendition_request(audit=audit, kind=RenditionKind.MEETING_PACK, by=coordinator)

    text = text_of(client.get(reverse("audits:meeting_pack", args=[audit.pk])))
    assert "Being prepared" in text
    assert "Download the meeting pack prepared" in text
    assert _download(client, audit).status_code == 200


def test_it_is_not_rendered_for_someone_no_longer_a_coordinator(audit, coordinator):
    rendition = rendition_request(audit=audit, kind=RenditionKind.MEETING_PACK, by=coordinator)
    coordinator.memberships.update(role=Role.BOARD_MEMBER)

    rendition_render(rendition.pk)

    rendition.refresh_from_db()
    assert rendition.status == RenditionStatus.FAILED
    assert "Only a coordinator" in rendition.error
    assert not rendition.content


def test_the_audit_page_links_coordinators_to_the_pack(
    audit, coordinator, police_auditor, client_for
):
    audit.status = AuditStatus.MODERATION
    audit.save()
    link = reverse("audits:meeting_pack", args=[audit.pk])
    detail = reverse("audits:detail", args=[audit.pk])

    assert link in client_for(coordinator).get(detail).content.decode()
    assert link not in client_for(police_auditor).get(detail).content.decode()


def test_a_case_with_no_return_in_has_its_line_and_no_pages(
    moderated, coordinator, client_for, django_capture_on_commit_callbacks
):
    viewer = access.viewer_as(coordinator)
    before = len(_pages(meeting_pack.meeting_pack_pdf(viewer, moderated)))
    area = moderated.cases.first().area
    waiting = f.CaseFactory(audit=moderated, reference="T-W-09", area=area)
    f.RequestFactory(case=waiting, agency=moderated.requests.first().agency)
    client = client_for(coordinator)
    _prepare(client, moderated, django_capture_on_commit_callbacks)

    pages = _pages(_download(client, moderated).content)

    listing = pages[1]
    assert "T-W-09" in listing and "No returns" in listing
    assert "except a case with no return in" in listing
    assert not any("Case T-W-09" in page for page in pages[2:])
    # The case with a return in keeps its pages: the line is all the waiting case adds.
    assert any(page.count("Case T-C-01") >= 2 for page in pages[2:])
    assert len(pages) == before
