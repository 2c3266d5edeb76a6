"""Each agency's feedback pack: built for one agency, rendered as PDF and Word by a task when the
report is published, downloaded by that agency's people and the coordinators only, and its
people e-mailed once when it is ready."""

import datetime
import io

import docx
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from maca import access
from maca.errors import DomainError
from maca.history.models import AccessKind, AccessRecord
from maca.notices.models import Notice, NoticeKind
from maca.reports.feedback import feedback_document, feedback_text
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from maca.reports.rendering import feedback_packs_request, rendition_render, rendition_request
from tests import factories as f
from tests.pages import text_of

MARKING = "OFFICIAL-SENSITIVE"


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def met(audit, agencies):
    """The fixture audit after its meeting: Police and Children's Social Care share T-E-01,
    CSC alone has T-N-01; both cases ratified, points recorded on each, and actions owned by
    each agency (CSC's immediate one on T-N-01)."""
    police, csc = agencies["Police"], agencies["Children's Social Care"]
    first = audit.cases.get(reference="T-E-01")
    second = audit.cases.get(reference="T-N-01")
    police_return = first.requests.get(agency=police).agency_return
    police_return.areas_for_development = "Police did not tell the school."
    police_return.save()
    for case, grade, words in (
        (first, "requires_improvement", "CSC visited within a day."),
        (second, "inadequate", "CSC kept the plan under review."),
    ):
        request = case.requests.get(agency=csc)
        request.status = "submitted"
        request.save()
        f.ReturnFactory(
            request=request,
            grade=grade,
            good_practice=words,
            areas_for_development=f"CSC plan for {case.reference} lacked dates.",
        )
    f.RatificationFactory(case=first, grade="requires_improvement")
    f.RatificationFactory(case=second, grade="inadequate")
    meeting = f.MeetingFactory(audit=audit)
    f.CasePointFactory(case=first, meeting=meeting, text="Joint visit with the school nurse.")
    f.CasePointFactory(
        case=first, meeting=meeting, kind="concern", text="No strategy discussion was held."
    )
    f.CasePointFactory(
        case=second, meeting=meeting, kind="concern", text="Drift in the child in need plan."
    )
    f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=audit),
        agency=police,
        description="Brief officers on telling schools.",
        due=_in_days(60),
    )
    f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=audit),
        agency=csc,
        description="Review the child in need plan template.",
        due=_in_days(90),
    )
    f.ActionFactory(
        recommendation=None,
        audit=audit,
        case=second,
        immediate=True,
        agency=csc,
        description="Allocate a social worker today.",
        due=_in_days(1),
    )
    return audit


@pytest.fixture
def edition(met):
    return f.published_report(met)


def _document(user, audit, agency, edition):
    return feedback_document(access.viewer_as(user, audit.partnership), audit, agency, edition)


def test_an_agencys_pack_holds_only_its_cases_its_actions_and_the_themes(
    met, edition, agencies, coordinator
):
    police = _document(coordinator, met, agencies["Police"], edition)

    assert police["meta"]["agency"] == "Police"
    assert police["grades"]["rows"] == [["T-E-01", "Good", "Requires improvement"]]
    assert [row[0] for row in police["actions"]["rows"]] == ["Brief officers on telling schools."]
    assert [theme["title"] for theme in police["themes"]] == ["Information sharing with GPs"]
    assert [(i["by"], i["text"]) for i in police["good_practice"]] == [
        ("The meeting", "Joint visit with the school nurse."),
        ("Your agency's return", "Police shared the missing episode at once."),
    ]
    assert [(i["by"], i["text"]) for i in police["concerns"]] == [
        ("The meeting", "No strategy discussion was held."),
        ("Your agency's return", "Police did not tell the school."),
    ]
    text = " ".join(feedback_text(police))
    # Nothing of Children's Social Care's own: its returns, its actions, its case alone.
    for theirs in (
        "CSC visited within a day.",
        "lacked dates",
        "Review the child in need plan template.",
        "Allocate a social worker today.",
        "Drift in the child in need plan.",
        "T-N-01",
    ):
        assert theirs not in text
    # No person's name: the actions' named owners are left out.
    assert "Named GP lead" not in text


def test_each_case_has_a_practitioner_note_with_its_immediate_actions(
    met, edition, agencies, coordinator
):
    csc = _document(coordinator, met, agencies["Children's Social Care"], edition)

    assert csc["grades"]["rows"] == [
        ["T-E-01", "Requires improvement", "Requires improvement"],
        ["T-N-01", "Inadequate", "Inadequate"],
    ]
    assert "same as your agency's own in 2 of the 2 cases" in csc["agreement"]
    [first, second] = csc["notes"]
    assert [p["text"] for p in first["points"]] == [
        "Joint visit with the school nurse.",
        "No strategy discussion was held.",
    ]
    assert first["actions"] == []
    assert [a["description"] for a in second["actions"]] == ["Allocate a social worker today."]
    assert second["actions"][0]["status"] == "Open"
    assert second["areas_for_development"] == "CSC plan for T-N-01 lacked dates."
    assert "Police shared the missing episode at once." not in " ".join(feedback_text(csc))


def test_a_pack_is_not_made_for_another_agency_or_the_board(
    met, edition, agencies, police_auditor, board_member, agency_lead
):
    csc = agencies["Children's Social Care"]
    for user in (police_auditor, board_member):
        with pytest.raises(DomainError):
            _document(user, met, csc, edition)
    assert _document(agency_lead, met, csc, edition)["meta"]["agency"] == csc.name


def _publish_packs(met, edition, coordinator, capture):
    with capture(execute=True):
        return feedback_packs_request(audit=met, edition=edition, by=coordinator)


def _pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _docx_text(content: bytes) -> tuple[str, str]:
    document = docx.Document(io.BytesIO(content))
    body = [p.text for p in document.paragraphs]
    body += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    return "\n".join(body), header


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_task_renders_pdf_and_word_that_say_the_same(
    met, edition, agencies, coordinator, django_capture_on_commit_callbacks
):
    renditions = _publish_packs(met, edition, coordinator, django_capture_on_commit_callbacks)

    assert sorted((r.agency.name, r.kind) for r in renditions) == [
        ("Children's Social Care", "feedback_docx"),
        ("Children's Social Care", "feedback_pdf"),
        ("Police", "feedback_docx"),
        ("Police", "feedback_pdf"),
    ]
    csc = agencies["Children's Social Care"]
    made = {
        r.kind: r
        for r in Rendition.objects.filter(edition=edition, agency=csc, status=RenditionStatus.READY)
    }
    assert set(made) == {RenditionKind.FEEDBACK_PDF, RenditionKind.FEEDBACK_DOCX}
    assert (
        made["feedback_pdf"].filename
        == f"feedback-childrens-social-care-audit-{met.pk}-edition-1.pdf"
    )
    pages = _pdf_text(bytes(made["feedback_pdf"].content))
    body, header = _docx_text(bytes(made["feedback_docx"].content))
    # OFFICIAL-SENSITIVE on every page of the PDF, and in the Word file's page header.
    assert all(MARKING in page for page in pages)
    assert MARKING in header
    # A practitioner note per case, each on a page of its own.
    notes = [page for page in pages if "Practitioner feedback note" in page]
    assert len(notes) == 2
    assert "Case T-E-01" in notes[0] and "T-N-01" not in notes[0]
    assert "Case T-N-01" in notes[1] and "Allocate a social worker today." in notes[1]
    # Both files carry every piece of the one document the builder made.
    document = _document(coordinator, met, csc, edition)
    pdf, word = _flat(" ".join(pages)), _flat(body)
    for piece in feedback_text(document):
        assert _flat(piece) in pdf, piece
        assert _flat(piece) in word, piece
    assert "Police shared the missing episode at once." not in pdf + word


def test_the_agencys_people_are_emailed_once_when_both_files_are_ready(
    met, edition, agencies, coordinator, police_auditor, agency_lead, csc_auditor,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    mail.outbox.clear()
    _publish_packs(met, edition, coordinator, django_capture_on_commit_callbacks)

    told = [m for m in mail.outbox if m.subject.startswith("Your agency's feedback is ready")]
    assert sorted(address for message in told for address in message.to) == sorted(
        [police_auditor.email, agency_lead.email, csc_auditor.email]
    )
    for message in told:
        assert reverse("audits:feedback", args=[met.pk]) in message.body
        for reference in ("T-E-01", "T-N-01"):  # no child's reference, let alone more
            assert reference not in message.subject + message.body
    # Made again (a worker's retry, another request): nobody is told twice.
    again = rendition_request(
        audit=met, kind=RenditionKind.FEEDBACK_PDF, by=coordinator, edition=edition,
        agency=agencies["Police"],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        rendition_render(again.pk)
    assert Notice.objects.filter(kind=NoticeKind.FEEDBACK_READY).count() == 2


def _file(client, audit, agency, extension="pdf"):
    return client.get(reverse(f"audits:feedback_{extension}", args=[audit.pk, agency.pk]))


def test_only_the_agencys_people_and_the_coordinators_download_its_pack(
    met, edition, agencies, coordinator, police_auditor, agency_lead, board_member,
    health_auditor, other_partnership_coordinator, client_for,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _publish_packs(met, edition, coordinator, django_capture_on_commit_callbacks)
    police, csc = agencies["Police"], agencies["Children's Social Care"]
    expected = {
        (coordinator, police): 200,
        (coordinator, csc): 200,
        (police_auditor, police): 200,
        (police_auditor, csc): 404,
        (agency_lead, csc): 200,
        (agency_lead, police): 404,
        (health_auditor, police): 404,  # Health is not involved: it does not see the audit
        (board_member, police): 403,
        (other_partnership_coordinator, police): 404,
    }
    for (user, agency), status in expected.items():
        for extension in ("pdf", "docx"):
            response = _file(client_for(user), met, agency, extension)
            assert response.status_code == status, (user.email, agency.name, extension)
    pdf = _file(client_for(agency_lead), met, csc)
    assert pdf.content.startswith(b"%PDF")
    assert AccessRecord.objects.filter(
        user=agency_lead, kind=AccessKind.FEEDBACK_PACK, audit_id=met.pk
    ).exists()


def test_the_page_says_what_is_ready_and_shows_each_viewer_their_own(
    met, coordinator, police_auditor, client_for, django_capture_on_commit_callbacks
):
    page = reverse("audits:feedback", args=[met.pk])
    before = text_of(client_for(coordinator).get(page))
    assert "made when the summary report is published" in before

    edition = f.published_report(met)
    feedback_packs_request(audit=met, edition=edition, by=coordinator)  # queued, not yet made
    preparing = text_of(client_for(coordinator).get(page))
    assert "Being prepared" in preparing
    assert "Download the feedback" not in preparing

    for rendition in Rendition.objects.filter(edition=edition, agency__isnull=False):
        with django_capture_on_commit_callbacks(execute=True):
            rendition_render(rendition.pk)
    ready = text_of(client_for(coordinator).get(page))
    assert "Download the feedback for Police (PDF" in ready
    assert "Download the feedback for Children's Social Care (Word" in ready
    own = text_of(client_for(police_auditor).get(page))
    assert "Download the feedback for Police (PDF" in own
    assert "Children's Social Care" not in own


def test_who_may_read_an_agencys_feedback(
    agencies, coordinator, police_auditor, agency_lead, board_member,
    other_partnership_coordinator,
):  # fmt: skip
    police, csc = agencies["Police"], agencies["Children's Social Care"]
    expected = {
        coordinator: {police, csc},
        police_auditor: {police},
        agency_lead: {csc},
        board_member: set(),
        other_partnership_coordinator: set(),
    }
    for user, readable in expected.items():
        viewer = access.viewer_as(user)
        assert {a for a in (police, csc) if access.may_read_agency_feedback(viewer, a)} == readable


def test_a_coordinator_makes_the_packs_of_an_earlier_edition_and_nobody_is_told_twice(
    met, coordinator, police_auditor, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    prepare = reverse("audits:feedback_prepare", args=[met.pk])
    refused = client.post(prepare, follow=True)
    assert "The report is not published yet" in text_of(refused)

    f.published_report(met)  # as an edition published before the packs were made
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(prepare, follow=True)
        assert "Being made again: 2 agencies." in text_of(response)
    assert "Download the feedback for Police (PDF" in text_of(response)
    told = [m for m in mail.outbox if m.subject.startswith("Your agency's feedback is ready")]
    assert [m.to for m in told if police_auditor.email in m.to] == [[police_auditor.email]]
    assert client_for(police_auditor).post(prepare).status_code == 403
