"""A partnership's audits held on chosen days, for the yearly report's tests."""

import datetime

import pytest

from maca.audits.models import AuditStatus, RequestStatus
from tests import factories as f


def held_audit(
    partnership,
    areas,
    agencies,
    *,
    title,
    held,
    grades,
    status=AuditStatus.CLOSED,
    library_theme=None,
    actions=(),
):
    """An audit whose meeting was held on `held`, one case per grade (in East), each with a
    Police request answered by a return of the same grade; a theme of `library_theme` evidenced
    by every case; a recommendation with `actions` (each (agency, due, complete))."""
    audit = f.AuditFactory(
        partnership=partnership,
        title=title,
        status=status,
        meeting_date=held,
        returns_due=held - datetime.timedelta(days=21),
    )
    cases = []
    for grade in grades:
        case = f.CaseFactory(audit=audit, area=areas["East"])
        f.ReturnFactory(
            request=f.RequestFactory(
                case=case, agency=agencies["Police"], status=RequestStatus.SUBMITTED
            ),
            grade=grade,
        )
        f.RatificationFactory(case=case, grade=grade)
        cases.append(case)
    if library_theme is not None:
        theme = f.AuditThemeFactory(
            audit=audit, title=f"{title} theme", library_theme=library_theme
        )
        theme.cases.set(cases)
        recommendation = f.RecommendationFactory(audit=audit)
        recommendation.themes.add(theme)
        for agency, due, complete in actions:
            f.ActionFactory(
                recommendation=recommendation,
                agency=agency,
                due=due,
                status="complete" if complete else "open",
            )
    return audit


@pytest.fixture
def held(partnership, areas, agencies):
    def make(**kwargs):
        return held_audit(partnership, areas, agencies, **kwargs)

    return make


@pytest.fixture
def second_coordinator(partnership):
    from maca.partnerships.models import Role

    return f.MembershipFactory(
        user=f.UserFactory(email="coordinator2@example.org"),
        partnership=partnership,
        role=Role.COORDINATOR,
    ).user
