"""The read access log: every view, download and API read of case-level data is recorded once,
with who, what and when; refusals are not; coordinators see who looked at a case.

The audit is the cast's (tests/conftest.py): Police have submitted a return on T-E-01.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maca import access
from maca.api.services import token_create
from maca.audits.models import AuditStatus
from maca.history.models import AccessRecord
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from tests.support.api import Api

RETURN, SUMMARY, SUMMARIES = "return", "case_summary", "case_summaries"
MEETING_CASE, PACK, DRAFT, FILE, BUNDLE = (
    "meeting_case",
    "meeting_pack",
    "report_draft",
    "report_file",
    "bundle",
)


def _ready(audit, kind):
    Rendition.objects.create(
        partnership=audit.partnership,
        audit=audit,
        kind=kind,
        status=RenditionStatus.READY,
        content=b"%PDF-1.7 stand-in",
        filename="stand-in.pdf",
        finished_at=timezone.now(),
    )


@pytest.fixture
def files_ready(audit):
    """A meeting pack and the report's draft files, ready to download."""
    for kind in (RenditionKind.MEETING_PACK, RenditionKind.REPORT_PDF, RenditionKind.REPORT_DOCX):
        _ready(audit, kind)


def _first_case(audit):
    return audit.cases.get(reference="T-E-01")


# url name -> (its arguments beyond the audit: does it name the case?, kind, how)
PAGES = {
    "audits:return": (True, RETURN, "view"),
    "audits:case_summary": (True, SUMMARY, "view"),
    "audits:meeting_case": (True, MEETING_CASE, "view"),
    "audits:case_summaries": (False, SUMMARIES, "view"),
    "audits:meeting_pack_download": (False, PACK, "download"),
    "audits:report": (False, DRAFT, "view"),
    "audits:report_section": (False, DRAFT, "view"),
    "audits:report_json": (False, DRAFT, "view"),
    "audits:report_pdf": (False, FILE, "download"),
    "audits:report_docx": (False, FILE, "download"),
    "audits:history": (False, "history", "view"),
}


def _url(name, audit):
    case = _first_case(audit)
    if name == "audits:return":
        police = audit.partnership.agencies.get(name="Police")
        return reverse(name, args=[audit.pk, case.pk, police.pk])
    if name == "audits:report_section":
        return reverse(name, args=[audit.pk, "introduction"])
    if PAGES[name][0]:
        return reverse(name, args=[audit.pk, case.pk])
    return reverse(name, args=[audit.pk])


@pytest.mark.parametrize("name", PAGES)
def test_a_coordinator_opening_it_writes_one_record(
    name, audit, coordinator, client_for, files_ready
):
    names_case, kind, how = PAGES[name]

    response = client_for(coordinator).get(_url(name, audit))

    assert response.status_code == 200
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.how, record.user, record.role) == (
        kind,
        how,
        coordinator,
        "coordinator",
    )
    assert record.audit_id == audit.pk and record.partnership_id == audit.partnership_id
    assert record.case_id == (_first_case(audit).pk if names_case else None)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "role", ["health_auditor", "board_member", "other_partnership_coordinator", "outsider"]
)
def test_a_refused_request_writes_none(name, role, request, audit, client_for, files_ready):
    user = request.getfixturevalue(role)
    response = client_for(user).get(_url(name, audit))
    # The board member is shown "not published yet" instead of the draft.
    refused = {302, 403, 404} | (
        {200} if (name, role) == ("audits:report", "board_member") else set()
    )
    assert response.status_code in refused
    assert not AccessRecord.objects.exists()


def test_a_file_not_ready_writes_none(audit, coordinator, client_for):
    for name in ("audits:meeting_pack_download", "audits:report_pdf"):
        assert client_for(coordinator).get(_url(name, audit)).status_code == 404
    assert not AccessRecord.objects.exists()


def test_the_agency_auditor_reading_their_return_is_recorded(audit, police_auditor, client_for):
    assert client_for(police_auditor).get(_url("audits:return", audit)).status_code == 200
    (record,) = AccessRecord.objects.all()
    assert (record.kind, record.user, record.role) == (RETURN, police_auditor, "agency_auditor")
    assert record.case_id == _first_case(audit).pk
    police_request = audit.requests.get(agency__name="Police", case__reference="T-E-01")
    assert record.object_id == str(police_request.pk)


def test_saving_a_return_or_failing_a_form_is_not_a_read(audit, police_auditor, client_for):
    # The return is submitted: a save is refused (a redirect), autosave answers 400.
    url = _url("audits:return", audit)
    client = client_for(police_auditor)
    assert client.post(url, {"action": "save"}).status_code in {302, 400}
    assert client.post(url + "autosave/", {}).status_code == 400
    assert not AccessRecord.objects.exists()


def test_agency_users_reading_summaries_at_the_meeting_are_recorded(
    audit, police_auditor, client_for
):
    audit.status = AuditStatus.MODERATION
    audit.save()
    client = client_for(police_auditor)
    assert client.get(_url("audits:case_summaries", audit)).status_code == 200
    assert client.get(_url("audits:case_summary", audit)).status_code == 200
    kinds = list(AccessRecord.objects.order_by("id").values_list("kind", "user", "case_id"))
    case = _first_case(audit)
    assert kinds == [(SUMMARIES, police_auditor.pk, None), (SUMMARY, police_auditor.pk, case.pk)]


def test_a_published_edition_is_not_case_level(audit, board_member, client_for):
    from tests import factories as f

    edition = f.published_report(audit)
    response = client_for(board_member).get(
        reverse("audits:edition_pdf", args=[audit.pk, edition.number])
    )
    assert response.status_code == 200
    assert not AccessRecord.objects.exists()


# --- The API and the commands ---------------------------------------------------------------


def _api_paths(audit):
    request = audit.requests.get(agency__name="Police", case__reference="T-E-01")
    return {
        f"/requests/{request.pk}/return": (RETURN, _first_case(audit).pk, str(request.pk)),
        f"/audits/{audit.pk}/ratifications": ("ratifications", None, ""),
        f"/audits/{audit.pk}/report-summary": (DRAFT, None, "report-summary"),
        f"/audits/{audit.pk}/bundle": (BUNDLE, None, ""),
    }


@pytest.fixture
def api_as(partnership):
    def make(user) -> Api:
        return Api(token_create(user=user, partnership=partnership, name="Tests", days=30)[1])

    return make


def test_api_reads_are_recorded_as_api(audit, coordinator, api_as):
    api = api_as(coordinator)
    for path, (kind, case_id, object_id) in _api_paths(audit).items():
        before = AccessRecord.objects.count()
        assert api.get(path).status_code == 200, path
        (record,) = AccessRecord.objects.order_by("-id")[: AccessRecord.objects.count() - before]
        assert (record.kind, record.how, record.user, record.audit_id) == (
            kind,
            "api",
            coordinator,
            audit.pk,
        )
        assert (record.case_id, record.object_id) == (case_id, object_id)


def test_refused_api_reads_write_none(audit, health_auditor, board_member, api_as):
    for user in (health_auditor, board_member):
        api = api_as(user)
        for path in _api_paths(audit):
            assert api.get(path).status_code == 404, path
    assert not AccessRecord.objects.exists()


def test_exporting_a_bundle_or_a_draft_report_by_command_is_recorded(audit):
    call_command("export_bundle", str(audit.pk), stdout=io.StringIO())
    call_command("report", str(audit.pk), "--format", "json", stdout=io.StringIO())
    records = AccessRecord.objects.order_by("id")
    assert [(r.kind, r.how, r.user, r.audit_id) for r in records] == [
        (BUNDLE, "command", None, audit.pk),
        (DRAFT, "command", None, audit.pk),
    ]


def test_a_record_holds_ids_only(audit, coordinator, client_for):
    client_for(coordinator).get(_url("audits:case_summary", audit))
    (row,) = AccessRecord.objects.values()
    text = " ".join(str(value) for value in row.values())
    assert "T-E-01" not in text and "Police shared" not in text


# --- Who has looked at a case ---------------------------------------------------------------


def test_the_coordinator_sees_who_looked_at_the_case(
    audit, coordinator, police_auditor, client_for
):
    client_for(police_auditor).get(_url("audits:return", audit))
    client_for(coordinator).get(_url("audits:case_summaries", audit))

    page = client_for(coordinator).get(_url("audits:case_summary", audit)).content.decode()

    assert "Who has looked at this case" in page
    section = page[page.index("Who has looked at this case") :]
    assert police_auditor.name in section and "agency auditor" in section
    assert "Return" in section and "Case summaries (every case)" in section


def test_another_cases_views_are_not_listed(audit, coordinator, client_for):
    other = audit.cases.get(reference="T-N-01")
    client_for(coordinator).get(reverse("audits:case_summary", args=[audit.pk, other.pk]))
    viewer = access.viewer_as(coordinator)
    assert not access.access_log_for(viewer, audit, _first_case(audit)).exists()
    assert access.access_log_for(viewer, audit, other).count() == 1


@pytest.mark.parametrize(
    "role", ["police_auditor", "agency_lead", "board_member", "other_partnership_coordinator"]
)
def test_nobody_else_sees_who_looked(role, request, audit, coordinator, client_for):
    client_for(coordinator).get(_url("audits:case_summary", audit))
    viewer = access.viewer_as(request.getfixturevalue(role))
    assert not access.access_log_for(viewer, audit, _first_case(audit)).exists()


def test_agency_users_summary_page_has_no_log(audit, coordinator, police_auditor, client_for):
    audit.status = AuditStatus.MODERATION
    audit.save()
    client_for(coordinator).get(_url("audits:case_summary", audit))
    page = client_for(police_auditor).get(_url("audits:case_summary", audit)).content.decode()
    assert "Who has looked at this case" not in page
