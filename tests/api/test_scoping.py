"""Every read goes through maca.access: what each role's token sees, and that anything out of
scope answers 404 exactly like a missing id."""

import pytest

from maca.audits.models import AuditStatus
from maca.reports.summary import report_summary
from maca.returns.models import Return
from tests import factories as f

MISSING_ID = 987_654_321


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _same_as_missing(api, path_with_id: str, real_id: int):
    """The answer for `real_id` is byte for byte the answer for an id that does not exist."""
    seen = api.get(path_with_id.format(real_id))
    missing = api.get(path_with_id.format(MISSING_ID))
    assert seen.status_code == missing.status_code == 404
    assert seen.content == missing.content == b'{"detail": "Not found"}'
    assert seen["Content-Type"] == missing["Content-Type"] == "application/json; charset=utf-8"


def test_the_partnership_is_the_tokens(police_auditor, partnership, api_as):
    assert api_as(police_auditor).get("/partnership").json() == {
        "id": partnership.pk,
        "name": partnership.name,
    }


def test_areas_and_agencies_are_the_partnerships_in_order(
    health_auditor, areas, agencies, other_audit, api_as
):
    api = api_as(health_auditor)
    assert [a["name"] for a in api.get("/areas").json()["items"]] == ["East", "North", "Central"]
    assert [a["name"] for a in api.get("/agencies").json()["items"]] == [
        "Children's Social Care",
        "Police",
        "Health Provider",
    ]


def test_a_coordinator_sees_every_audit_of_the_partnership(
    coordinator, audit, planning_audit, other_audit, api_as
):
    assert sorted(_ids(api_as(coordinator).get("/audits"))) == sorted([audit.pk, planning_audit.pk])


def test_an_audit_reads_as_on_its_page(coordinator, audit, api_as):
    assert api_as(coordinator).get(f"/audits/{audit.pk}").json() == {
        "id": audit.pk,
        "title": "Transitions to adult services",
        "theme": audit.theme,
        "status": "collecting",
        "returns_due": audit.returns_due.isoformat(),
        "meeting_date": audit.meeting_date.isoformat(),
    }


def test_an_agency_sees_the_audits_it_takes_part_in(
    police_auditor, health_auditor, audit, planning_audit, api_as
):
    assert _ids(api_as(police_auditor).get("/audits")) == [audit.pk]
    assert _ids(api_as(health_auditor).get("/audits")) == []
    _same_as_missing(api_as(health_auditor), "/audits/{}", audit.pk)


def test_another_partnerships_audit_is_not_found(coordinator, audit, other_audit, api_as):
    api = api_as(coordinator)
    for path in ("/audits/{}", "/audits/{}/cases", "/audits/{}/report-summary"):
        _same_as_missing(api, path, other_audit.pk)


def test_an_agency_sees_only_its_own_cases(police_auditor, agency_lead, audit, api_as):
    police = api_as(police_auditor).get(f"/audits/{audit.pk}/cases").json()
    assert [c["reference"] for c in police["items"]] == ["T-E-01"]
    assert police["items"][0]["area"]["name"] == "East"
    social_care = api_as(agency_lead).get(f"/audits/{audit.pk}/cases").json()
    assert [c["reference"] for c in social_care["items"]] == ["T-E-01", "T-N-01"]


def test_a_board_member_sees_audits_but_no_cases_or_actions(board_member, audit, actions, api_as):
    api = api_as(board_member)
    assert _ids(api.get("/audits")) == [audit.pk]
    _same_as_missing(api, "/audits/{}/cases", audit.pk)
    _same_as_missing(api, "/actions/{}", actions["police"].pk)
    assert _ids(api.get("/actions")) == []


def test_the_report_summary_is_the_reports_own_figures(coordinator, audit, api_as):
    response = api_as(coordinator).get(f"/audits/{audit.pk}/report-summary")
    assert response.status_code == 200
    assert response.json() == report_summary(audit)


@pytest.mark.parametrize("role", ["police_auditor", "agency_lead", "board_member"])
def test_only_coordinators_read_the_report_summary(role, request, audit, api_as):
    _same_as_missing(api_as(request.getfixturevalue(role)), "/audits/{}/report-summary", audit.pk)


def test_a_police_auditor_sees_only_polices_actions(police_auditor, actions, api_as):
    api = api_as(police_auditor)
    listed = api.get("/actions").json()
    assert [a["id"] for a in listed["items"]] == [actions["police"].pk]
    assert {a["agency"]["name"] for a in listed["items"]} == {"Police"}
    assert api.get(f"/actions/{actions['police'].pk}").json()["owner"] == "DI Shah"


@pytest.mark.parametrize("other", ["csc", "elsewhere"])
def test_another_agencys_action_is_not_found(other, police_auditor, actions, api_as):
    api = api_as(police_auditor)
    _same_as_missing(api, "/actions/{}", actions[other].pk)
    assert (
        api.post(
            f"/actions/{actions[other].pk}/progress",
            {"note": "Done", "status": "in_progress", "version": 1},
        ).content
        == api.get(f"/actions/{MISSING_ID}").content
    )


def test_a_coordinator_sees_every_action_of_the_partnership(coordinator, actions, api_as):
    assert sorted(_ids(api_as(coordinator).get("/actions"))) == sorted(
        [actions["police"].pk, actions["csc"].pk]
    )


def test_lists_are_paginated(coordinator, audit, planning_audit, api_as):
    api = api_as(coordinator)
    first = api.get("/audits", page_size=1).json()
    second = api.get("/audits", page_size=1, page=2).json()
    assert first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"] != second["items"]
    assert api.get("/audits", page=3, page_size=1).json() == {"items": [], "count": 2}


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"page_size": 201}, ["query", "page_size"]),
        ({"page": 0}, ["query", "page"]),
        ({"page": "first"}, ["query", "page"]),
    ],
)
def test_a_page_out_of_range_is_refused(params, loc, coordinator, api_as):
    response = api_as(coordinator).get("/audits", **params)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [loc]


def test_an_id_that_is_not_a_number_is_refused(coordinator, api_as):
    response = api_as(coordinator).get("/audits/seven")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "audit_id"]


def test_an_unknown_path_is_a_json_404(coordinator, api_as):
    response = api_as(coordinator).get("/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_a_planning_audit_is_the_coordinators_only(
    coordinator, police_auditor, board_member, planning_audit, api_as
):
    assert planning_audit.status == AuditStatus.PLANNING
    assert api_as(coordinator).get(f"/audits/{planning_audit.pk}").status_code == 200
    for user in (police_auditor, board_member):
        _same_as_missing(api_as(user), "/audits/{}", planning_audit.pk)


# --- Requests and returns ------------------------------------------------------------------


def _request(audit, reference: str, agency: str):
    return audit.requests.get(case__reference=reference, agency__name=agency)


def test_requests_are_scoped_as_on_the_pages(
    coordinator, police_auditor, agency_lead, board_member, health_auditor, audit, api_as
):
    def listed(user):
        items = api_as(user).get(f"/audits/{audit.pk}/requests").json()["items"]
        return [(r["case"]["reference"], r["agency"]["name"]) for r in items]

    assert listed(coordinator) == [
        ("T-E-01", "Children's Social Care"),
        ("T-E-01", "Police"),
        ("T-N-01", "Children's Social Care"),
    ]
    assert listed(police_auditor) == [("T-E-01", "Police")]
    assert listed(agency_lead) == [
        ("T-E-01", "Children's Social Care"),
        ("T-N-01", "Children's Social Care"),
    ]
    _same_as_missing(api_as(board_member), "/audits/{}/requests", audit.pk)
    _same_as_missing(api_as(health_auditor), "/audits/{}/requests", audit.pk)


@pytest.mark.parametrize("path", ["/requests/{}", "/requests/{}/return"], ids=["request", "return"])
def test_another_agencys_request_and_return_are_not_found(path, police_auditor, audit, api_as):
    api = api_as(police_auditor)
    for reference in ("T-E-01", "T-N-01"):
        _same_as_missing(api, path, _request(audit, reference, "Children's Social Care").pk)
    assert api.get(path.format(_request(audit, "T-E-01", "Police").pk)).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "/requests/{}/return", {"answers": {"q1": "Seen"}, "version": None}),
        ("post", "/requests/{}/return/submit", {"version": 1}),
        ("post", "/requests/{}/return/sign-off-request", {"version": 1}),
    ],
    ids=["save", "submit", "sign-off"],
)
def test_writing_another_agencys_return_is_not_found(
    method, path, body, police_auditor, audit, other_audit, api_as
):
    api = api_as(police_auditor)
    missing = getattr(api, method)(path.format(MISSING_ID), body)
    assert (missing.status_code, missing.content) == (404, b'{"detail": "Not found"}')
    others = [_request(audit, "T-E-01", "Children's Social Care"), other_audit.requests.get()]
    for other in others:
        response = getattr(api, method)(path.format(other.pk), body)
        assert (response.status_code, response.content) == (404, missing.content)
    assert not Return.objects.filter(request__in=others[:1]).exists()


def test_a_board_member_sees_no_request_or_return(board_member, audit, api_as):
    api = api_as(board_member)
    for request_ in audit.requests.all():
        _same_as_missing(api, "/requests/{}", request_.pk)
        _same_as_missing(api, "/requests/{}/return", request_.pk)


def test_another_partnerships_requests_are_not_found(coordinator, other_audit, api_as):
    api = api_as(coordinator)
    _same_as_missing(api, "/audits/{}/requests", other_audit.pk)
    for path in ("/requests/{}", "/requests/{}/return"):
        _same_as_missing(api, path, other_audit.requests.get().pk)


def test_a_planning_audits_requests_are_the_coordinators(
    coordinator, police_auditor, planning_audit, areas, agencies, api_as
):
    case = f.CaseFactory(audit=planning_audit, reference="N-E-01", area=areas["East"])
    planned = f.RequestFactory(case=case, agency=agencies["Police"])
    assert api_as(coordinator).get(f"/requests/{planned.pk}").status_code == 200
    _same_as_missing(api_as(police_auditor), "/requests/{}", planned.pk)


def test_a_re_audits_report_summary_carries_its_comparison(coordinator, audit, api_as):
    from maca.audits.models import AuditStatus
    from tests import factories as f

    later = f.AuditFactory(
        partnership=audit.partnership, status=AuditStatus.REPORTING, reaudit_of=audit
    )
    response = api_as(coordinator).get(f"/audits/{later.pk}/report-summary")

    assert response.status_code == 200
    assert response.json() == report_summary(later)
    assert response.json()["comparison"]["earlier"]["title"] == audit.title
