"""A request's return through the API: read, saved as a draft, asked to be signed off and
submitted, by the same services and rules as the return's page; refusals named by field, a
stale version answered with 409, and every change in the history as made "api"."""

import pytest
from django.core import mail

from maca.audits.models import AuditStatus, RequestStatus
from maca.history.models import ChangeRecord
from maca.returns.models import Return
from tests import factories as f


@pytest.fixture
def police_request(audit, agencies):
    """Police's submitted request on case T-E-01."""
    return audit.requests.get(case__reference="T-E-01", agency=agencies["Police"])


def complete(**changes) -> dict:
    return {
        "answers": {"q1": "Yes: the young person's wishes were recorded at each review."},
        "grade": "requires_improvement",
        "good_practice": "Visits were on time.",
        "areas_for_development": "Transition planning started late.",
        "learning": "Start transition plans at 16.",
        "version": None,
    } | changes


def _save(api, request_, body):
    return api.put(f"/requests/{request_.pk}/return", body)


def _submit(api, request_, version, step="submit"):
    return api.post(f"/requests/{request_.pk}/return/{step}", {"version": version})


def test_an_agency_reads_its_own_return(police_auditor, police_request, api_as):
    police_request.agency_record_number = "PN-77"
    police_request.save()
    body = api_as(police_auditor).get(f"/requests/{police_request.pk}/return").json()
    assert body | {"updated_at": None} == {
        "request_id": police_request.pk,
        "status": "submitted",
        "version": 1,
        "answers": {},
        "grade": "good",
        "grade_reason": "",
        "good_practice": "Police shared the missing episode at once.",
        "areas_for_development": "",
        "learning": "",
        "immediate_action": False,
        "immediate_action_description": "",
        "immediate_action_handled_at": None,
        "agency_record_number": "PN-77",
        "updated_at": None,
        "submitted_at": None,
        "sign_off_requested_at": None,
        "signed_off_at": None,
        "clarification": "",
        "closed": None,
    }


def test_a_coordinator_reads_it_without_the_agencys_record_number(
    coordinator, police_request, api_as
):
    police_request.agency_record_number = "PN-77"
    police_request.save()
    body = api_as(coordinator).get(f"/requests/{police_request.pk}/return").json()
    assert body["good_practice"] == "Police shared the missing episode at once."
    assert body["agency_record_number"] is None
    listed = api_as(coordinator).get(f"/requests/{police_request.pk}").json()
    assert listed["agency_record_number"] is None


def test_a_return_not_begun_reads_blank(agency_lead, csc_request, api_as):
    body = api_as(agency_lead).get(f"/requests/{csc_request.pk}/return").json()
    assert (body["status"], body["version"], body["answers"], body["grade"]) == (
        "outstanding",
        None,
        {},
        None,
    )


def test_saving_begins_the_draft_and_is_recorded_as_made_through_the_api(
    csc_auditor, csc_request, api_as
):
    before = ChangeRecord.objects.order_by("pk").last().pk
    response = _save(api_as(csc_auditor), csc_request, {"answers": {"q1": "Seen"}, "version": None})
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["status"], body["answers"], body["warnings"]) == (
        1,
        "draft",
        {"q1": "Seen"},
        [],
    )
    return_ = Return.objects.get(request=csc_request)
    assert (return_.answers, return_.updated_by) == ({"q1": "Seen"}, csc_auditor)
    records = ChangeRecord.objects.filter(pk__gt=before)
    assert {(r.object_type, r.action) for r in records} == {
        ("returns.return", "create"),
        ("audits.request", "update"),
    }
    assert {(r.via, r.user) for r in records} == {("api", csc_auditor)}


def test_a_save_from_an_older_version_is_a_conflict(csc_auditor, agency_lead, csc_request, api_as):
    auditor = api_as(csc_auditor)
    _save(auditor, csc_request, {"answers": {"q1": "Auditor's first draft"}, "version": None})
    lead = _save(api_as(agency_lead), csc_request, {"answers": {"q1": "Lead's"}, "version": 1})
    assert lead.json()["version"] == 2

    response = _save(auditor, csc_request, {"answers": {"q1": "Auditor carries on"}, "version": 1})

    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("Your changes have not been saved")
    assert body["current"]["version"] == 2
    assert body["current"]["answers"] == {"q1": "Lead's"}
    assert body["changes"] == [{"what": "Was the child's voice heard?", "now": "Lead's"}]
    assert Return.objects.get(request=csc_request).answers == {"q1": "Lead's"}


def test_a_version_for_a_return_not_begun_is_a_conflict(csc_auditor, csc_request, api_as):
    response = _save(api_as(csc_auditor), csc_request, {"version": 3})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This return has not been begun: send `version` null to begin it."
    )
    assert not Return.objects.filter(request=csc_request).exists()


def test_an_answer_of_the_wrong_kind_is_named_and_nothing_is_saved(
    csc_auditor, csc_request, audit, api_as
):
    f.QuestionFactory(audit=audit, key="q2", text="Was there a plan?", kind="yes_no_partly")
    response = _save(
        api_as(csc_auditor), csc_request, complete(answers={"q1": "Yes", "q2": "maybe"})
    )
    assert response.status_code == 400
    wrong = "Choose one of the answers to “Was there a plan?”"
    assert response.json()["detail"] == [{"loc": ["body", "answers", "q2"], "msg": wrong}]
    assert not Return.objects.filter(request=csc_request).exists()


def test_what_is_held_back_is_named(csc_auditor, csc_request, api_as):
    held = {"grade": "not_scored", "immediate_action": True, "version": None}
    response = _save(api_as(csc_auditor), csc_request, held)
    assert response.status_code == 200
    body = response.json()
    assert (body["grade"], body["immediate_action"]) == (None, False)
    assert [w["loc"] for w in body["warnings"]] == [
        ["body", "grade_reason"],
        ["body", "immediate_action_description"],
    ]


def test_submission_names_every_missing_field_and_keeps_the_draft(csc_auditor, csc_request, api_as):
    api = api_as(csc_auditor)
    _save(api, csc_request, {"answers": {"q1": "Only this so far"}, "version": None})
    response = _submit(api, csc_request, 1)
    assert response.status_code == 400
    assert [error["loc"] for error in response.json()["detail"]] == [
        ["return", "grade"],
        ["return", "good_practice"],
        ["return", "areas_for_development"],
        ["return", "learning"],
    ]
    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.DRAFT


def test_a_return_not_begun_cannot_be_submitted(csc_auditor, csc_request, api_as):
    response = _submit(api_as(csc_auditor), csc_request, 1)
    assert response.status_code == 400
    assert ["return", "answers", "q1"] in [e["loc"] for e in response.json()["detail"]]


def test_a_complete_return_is_submitted_and_then_no_longer_changes(
    csc_auditor, csc_request, api_as
):
    api = api_as(csc_auditor)
    assert _save(api, csc_request, complete()).status_code == 200
    before = ChangeRecord.objects.order_by("pk").last().pk

    response = _submit(api, csc_request, 1)

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["submitted_at"] is not None
    return_ = Return.objects.get(request=csc_request)
    assert return_.submitted_by == csc_auditor
    records = ChangeRecord.objects.filter(pk__gt=before)
    assert {(r.object_type, r.via, r.user) for r in records} == {
        ("returns.return", "api", csc_auditor),
        ("audits.request", "api", csc_auditor),
    }
    again = _save(api, csc_request, complete(learning="Changed after", version=1))
    assert again.status_code == 400
    assert again.json()["detail"][0]["msg"].startswith("This return has been submitted")
    assert Return.objects.get(request=csc_request).learning == "Start transition plans at 16."


def test_a_submission_from_an_older_version_is_a_conflict(
    csc_auditor, agency_lead, csc_request, api_as
):
    _save(api_as(csc_auditor), csc_request, complete())
    _save(api_as(agency_lead), csc_request, complete(learning="The lead's words", version=1))

    response = _submit(api_as(csc_auditor), csc_request, 1)

    assert response.status_code == 409
    assert response.json()["current"]["learning"] == "The lead's words"
    csc_request.refresh_from_db()
    assert csc_request.status == RequestStatus.DRAFT


def test_where_the_agency_signs_off_the_auditor_asks_and_the_lead_submits(
    csc, csc_auditor, agency_lead, csc_request, api_as, django_capture_on_commit_callbacks
):
    csc.requires_sign_off = True
    csc.save()
    auditor = api_as(csc_auditor)
    _save(auditor, csc_request, complete())

    refused = _submit(auditor, csc_request, 1)
    assert refused.status_code == 400
    assert refused.json()["detail"] == [
        {
            "loc": [],
            "msg": "Children's Social Care signs off its returns: ask your agency lead to sign "
            "it off.",
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        asked = _submit(auditor, csc_request, 1, step="sign-off-request")
    assert asked.status_code == 200 and asked.json()["sign_off_requested_at"] is not None
    assert [m.to for m in mail.outbox] == [["csc.lead@example.org"]]

    signed = _submit(api_as(agency_lead), csc_request, asked.json()["version"])

    assert signed.status_code == 200
    assert signed.json()["signed_off_at"] is not None
    assert Return.objects.get(request=csc_request).signed_off_by == agency_lead


def test_the_record_number_is_kept_unless_sent(agency_lead, csc_request, api_as):
    api = api_as(agency_lead)
    first = _save(api, csc_request, {"agency_record_number": " CSC-123 ", "version": None})
    assert first.json()["agency_record_number"] == "CSC-123"
    second = _save(api, csc_request, {"answers": {"q1": "Seen"}, "version": 1})
    assert second.json()["agency_record_number"] == "CSC-123"
    csc_request.refresh_from_db()
    assert csc_request.agency_record_number == "CSC-123"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (AuditStatus.REPORTING, "The audit is not collecting returns any more."),
        (AuditStatus.CLOSED, "The audit is not collecting returns any more."),
    ],
)
def test_a_return_changes_only_while_the_audit_collects_them(
    status, message, csc_auditor, csc_request, audit, api_as
):
    audit.status = status
    audit.save()
    response = _save(api_as(csc_auditor), csc_request, complete())
    assert response.status_code == 400
    assert response.json() == {"detail": [{"loc": [], "msg": message}]}
    assert api_as(csc_auditor).get(f"/requests/{csc_request.pk}/return").json()["closed"] == message


def test_a_ratified_cases_returns_are_locked(csc_auditor, csc_request, api_as):
    case = csc_request.case
    case.locked_at = case.audit.created_at
    case.save()
    response = _save(api_as(csc_auditor), csc_request, complete())
    assert response.json()["detail"][0]["msg"] == (
        "The meeting has ratified this case, so its returns are locked."
    )


def test_a_coordinator_reads_but_does_not_write_a_return(coordinator, csc_request, api_as):
    api = api_as(coordinator)
    response = _save(api, csc_request, complete())
    assert response.status_code == 403
    assert response.json() == {"detail": "Only Children's Social Care's own users write its return"}
    assert _submit(api, csc_request, 1).status_code == 403
    assert not Return.objects.filter(request=csc_request).exists()


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"grade": "gud", "version": None}, ["body", "grade"]),
        ({"answers": {"q1": 3}, "version": None}, ["body", "answers", "q1"]),
        ({"answers": {"q1": "nul\x00"}, "version": None}, ["body", "answers", "q1"]),
        ({"agency_record_number": "x" * 65, "version": None}, ["body", "agency_record_number"]),
        ({"answers": {}}, ["body", "version"]),
    ],
)
def test_a_body_that_does_not_match_the_document_is_refused(
    body, loc, csc_auditor, csc_request, api_as
):
    response = _save(api_as(csc_auditor), csc_request, body)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [loc]
    assert not Return.objects.filter(request=csc_request).exists()


def test_asking_for_sign_off_is_recorded_as_made_through_the_api(
    csc, csc_auditor, csc_request, api_as
):
    csc.requires_sign_off = True
    csc.save()
    api = api_as(csc_auditor)
    _save(api, csc_request, complete())
    before = ChangeRecord.objects.order_by("pk").last().pk
    assert _submit(api, csc_request, 1, step="sign-off-request").status_code == 200
    records = ChangeRecord.objects.filter(pk__gt=before)
    assert {(r.object_type, r.action, r.via, r.user) for r in records} == {
        ("returns.return", "update", "api", csc_auditor)
    }
