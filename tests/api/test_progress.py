"""Recording progress on an action through the API: the same service as the page, refusals
named by field, a stale version answered with 409, and every change in the history as "api"."""

import pytest

from maca.actions.models import ActionUpdate
from maca.audits.models import AuditStatus
from maca.history.models import ChangeRecord


def _progress(api, action, **body):
    body = {"note": "Template changed.", "status": "in_progress", "version": action.version} | body
    return api.post(f"/actions/{action.pk}/progress", body)


def test_police_record_progress_on_their_action(police_auditor, actions, api_as):
    action = actions["police"]
    response = _progress(api_as(police_auditor), action)
    assert response.status_code == 200
    assert response.json() | {"due": None} == {
        "id": action.pk,
        "audit_id": action.audit_id,
        "agency": {"id": action.agency_id, "name": "Police"},
        "owner": "DI Shah",
        "description": action.description,
        "due": None,
        "status": "in_progress",
        "immediate": False,
        "version": action.version + 1,
    }
    update = ActionUpdate.objects.get(action=action)
    assert (update.note, update.by) == ("Template changed.", police_auditor)


def test_the_change_is_recorded_as_made_through_the_api(police_auditor, actions, api_as):
    api = api_as(police_auditor)
    before = ChangeRecord.objects.order_by("pk").last().pk
    _progress(api, actions["police"])
    records = ChangeRecord.objects.filter(pk__gt=before)
    assert {(r.object_type, r.action) for r in records} == {
        ("actions.actionupdate", "create"),
        ("actions.action", "update"),
    }
    assert {(r.via, r.user) for r in records} == {("api", police_auditor)}


def test_completing_needs_the_evidence_and_a_note(police_auditor, actions, api_as):
    response = _progress(api_as(police_auditor), actions["police"], note=" ", status="complete")
    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            {"loc": ["body", "note"], "msg": "Describe the progress made"},
            {
                "loc": ["body", "impact"],
                "msg": "Say what changed as a result: an action is complete only with it",
            },
        ]
    }
    assert not ActionUpdate.objects.exists()


def test_a_stale_version_is_a_conflict(police_auditor, coordinator, actions, api_as):
    action = actions["police"]
    assert _progress(api_as(coordinator), action).status_code == 200
    response = _progress(api_as(police_auditor), action, note="Mine too")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("Someone else changed this action")
    assert body["current"]["version"] == action.version + 1
    assert ActionUpdate.objects.filter(action=action).count() == 1
    # Sent again from the version it now is, it goes through.
    again = _progress(api_as(police_auditor), action, version=body["current"]["version"])
    assert again.status_code == 200


def test_a_closed_audits_actions_no_longer_change(coordinator, audit, actions, api_as):
    audit.status = AuditStatus.CLOSED
    audit.save()
    response = _progress(api_as(coordinator), actions["police"])
    assert response.status_code == 400
    assert response.json() == {
        "detail": [{"loc": [], "msg": "The audit is closed: its actions no longer change."}]
    }


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"status": "done"}, ["body", "status"]),
        ({"version": "latest"}, ["body", "version"]),
        ({"note": None}, ["body", "note"]),
        ({"note": "Null\x00character"}, ["body", "note"]),
    ],
)
def test_a_body_that_does_not_match_the_document_is_refused(
    body, loc, police_auditor, actions, api_as
):
    response = _progress(api_as(police_auditor), actions["police"], **body)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [loc]


def test_a_missing_field_is_named(police_auditor, actions, api_as):
    response = api_as(police_auditor).post(
        f"/actions/{actions['police'].pk}/progress", {"note": "x", "status": "open"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "version"], "msg": "Field required"}]


@pytest.mark.parametrize(
    ("sent", "status", "msg"),
    [("note=x", 400, "Cannot parse request body"), ("", 422, "Field required")],
)
def test_a_body_that_is_not_json_or_missing_is_refused(
    sent, status, msg, police_auditor, actions, api_as
):
    api = api_as(police_auditor)
    response = api.client.post(
        f"/api/v1/actions/{actions['police'].pk}/progress",
        sent,
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == status
    assert response.json() == {"detail": [{"loc": ["body"], "msg": msg}]}


def test_a_body_too_large_is_refused(police_auditor, actions, api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _progress(api_as(police_auditor), actions["police"], note="x" * 2000)
    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            {
                "loc": ["body"],
                "msg": "The request body is larger than 1,000 bytes, more than maca reads",
            }
        ]
    }


@pytest.mark.parametrize("role", ["board_member", "health_auditor"])
def test_nobody_else_records_progress(role, request, actions, api_as):
    response = _progress(api_as(request.getfixturevalue(role)), actions["police"])
    assert response.status_code == 404
    assert not ActionUpdate.objects.exists()
