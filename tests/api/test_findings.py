"""What the meeting and the QA sub-group found, through the API: ratifications (as the case
summary pages show them), an audit's themes and recommendations (its coordinators'), and the
partnership's theme library (coordinators and board members)."""

import datetime

import pytest

from maca.audits.models import AuditStatus
from maca.partnerships.models import LibraryTheme
from tests import factories as f

MISSING = b'{"detail": "Not found"}'


@pytest.fixture
def ratified(audit):
    """Both cases ratified: T-E-01 good (as proposed), T-N-01 not scored, with its reason."""
    cases = {case.reference: case for case in audit.cases.all()}
    f.RatificationFactory(case=cases["T-E-01"], grade="good", proposed_grade="good")
    f.RatificationFactory(
        case=cases["T-N-01"], grade="not_scored", reason="Insufficient information to grade"
    )
    return cases


def _in_moderation(audit):
    audit.status = AuditStatus.MODERATION
    audit.save()


def test_a_coordinator_reads_every_ratification(coordinator, audit, ratified, api_as):
    items = api_as(coordinator).get(f"/audits/{audit.pk}/ratifications").json()["items"]
    assert [
        (i["case"]["reference"], i["grade"], i["reason"], i["proposed_grade"]) for i in items
    ] == [
        ("T-E-01", "good", "", "good"),
        ("T-N-01", "not_scored", "Insufficient information to grade", None),
    ]


def test_an_agency_reads_its_cases_ratifications_from_the_meeting_on(
    police_auditor, agency_lead, audit, ratified, api_as
):
    police = api_as(police_auditor)
    assert police.get(f"/audits/{audit.pk}/ratifications").json() == {"items": [], "count": 0}
    _in_moderation(audit)
    items = police.get(f"/audits/{audit.pk}/ratifications").json()["items"]
    assert [i["case"]["reference"] for i in items] == ["T-E-01"]
    social_care = api_as(agency_lead).get(f"/audits/{audit.pk}/ratifications").json()
    assert [i["case"]["reference"] for i in social_care["items"]] == ["T-E-01", "T-N-01"]


def test_a_board_member_reads_no_ratification(board_member, audit, ratified, api_as):
    _in_moderation(audit)
    assert api_as(board_member).get(f"/audits/{audit.pk}/ratifications").content == MISSING


@pytest.fixture
def themed(audit, ratified, partnership):
    """Our audit's register: a theme followed in the library (found in an earlier audit too),
    evidenced by both cases; another of its own."""
    library = f.LibraryThemeFactory(partnership=partnership, title="Information sharing")
    earlier = f.AuditFactory(
        partnership=partnership,
        title="An earlier audit",
        status=AuditStatus.CLOSED,
        meeting_date=datetime.date(2019, 5, 1),
    )
    f.AuditThemeFactory(audit=earlier, title="GP information", library_theme=library)
    theme = audit.themes.get()
    theme.library_theme = library
    theme.description = "GPs were not told of the plan."
    theme.save()
    theme.cases.set(ratified.values())
    return f.AuditThemeFactory(audit=audit, title="Engagement", position=2)


def test_a_coordinator_reads_the_audits_themes(coordinator, audit, themed, api_as):
    response = api_as(coordinator).get(f"/audits/{audit.pk}/themes")
    library = LibraryTheme.objects.get(title="Information sharing")
    assert response.json()["items"] == [
        {
            "id": audit.themes.get(title="Information sharing with GPs").pk,
            "title": "Information sharing with GPs",
            "description": "GPs were not told of the plan.",
            "kind": "concern",
            "library_theme": {"id": library.pk, "title": "Information sharing"},
            "cases": 2,
            "case_references": ["T-E-01", "T-N-01"],
            "recurring_in": ["An earlier audit"],
        },
        {
            "id": themed.pk,
            "title": "Engagement",
            "description": "",
            "kind": "concern",
            "library_theme": None,
            "cases": 0,
            "case_references": [],
            "recurring_in": [],
        },
    ]


@pytest.mark.parametrize("role", ["police_auditor", "agency_lead", "board_member"])
def test_the_register_is_the_coordinators(role, request, audit, themed, api_as):
    _in_moderation(audit)
    api = api_as(request.getfixturevalue(role))
    assert api.get(f"/audits/{audit.pk}/themes").content == MISSING
    assert api.get(f"/audits/{audit.pk}/recommendations").content == MISSING


def test_the_library_lists_live_themes_only(
    coordinator, board_member, police_auditor, partnership, other_partnership, api_as
):
    live = f.LibraryThemeFactory(partnership=partnership, title="Information sharing")
    f.LibraryThemeFactory(
        partnership=partnership,
        title="Info sharing",
        merged_into=live,
        merged_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    f.LibraryThemeFactory(partnership=partnership, title="Engagement", description="Of families")
    f.LibraryThemeFactory(partnership=other_partnership, title="Elsewhere's")
    expected = [
        {
            "id": LibraryTheme.objects.get(title="Engagement").pk,
            "title": "Engagement",
            "description": "Of families",
        },
        {"id": live.pk, "title": "Information sharing", "description": ""},
    ]
    assert api_as(coordinator).get("/themes").json() == {"items": expected, "count": 2}
    assert api_as(board_member).get("/themes").json()["items"] == expected
    assert api_as(police_auditor).get("/themes").json() == {"items": [], "count": 0}


def test_a_coordinator_reads_the_recommendations_with_their_actions(
    coordinator, audit, themed, agencies, api_as
):
    recommendation = f.RecommendationFactory(audit=audit, text="Involve GPs in every plan.")
    recommendation.themes.set([audit.themes.get(title="Information sharing with GPs")])
    action = f.ActionFactory(recommendation=recommendation, agency=agencies["Health Provider"])
    items = api_as(coordinator).get(f"/audits/{audit.pk}/recommendations").json()["items"]
    assert len(items) == 1
    assert items[0]["text"] == "Involve GPs in every plan."
    assert [t["title"] for t in items[0]["themes"]] == ["Information sharing with GPs"]
    assert [(a["id"], a["agency"]["name"], a["version"]) for a in items[0]["actions"]] == [
        (action.pk, "Health Provider", 1)
    ]


def test_another_partnerships_findings_are_not_found(coordinator, other_audit, api_as):
    api = api_as(coordinator)
    for resource in ("ratifications", "themes", "recommendations"):
        assert api.get(f"/audits/{other_audit.pk}/{resource}").content == MISSING
