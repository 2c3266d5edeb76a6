"""Three audits the dashboard learns from, written out as plain data, and the builder that puts
them in the database (with audits the dashboard must leave out).

The tests count their expectations from these literals, never from the code under test.
"""

import datetime

from django.utils import timezone

from maca.actions.models import ActionStatus
from maca.audits.models import AuditStatus, RequestStatus
from maca.partnerships.models import Role
from tests import factories as f

CSC = "Children's Social Care"
POLICE = "Police"
HEALTH = "Health Provider"
EDUCATION = "Education"

CIN = "Children in Need"
TRANSITIONS = "Transitions"
ABUSE = "Domestic abuse"

SHARING = "Information sharing"
ENGAGEMENT = "Engagement"
VOICE = "Voice of the child"

d = datetime.date


def at(*args) -> datetime.datetime:
    """A moment, local time (Europe/London)."""
    return timezone.make_aware(datetime.datetime(*args))


# title: status, returns due, meeting date. In held order.
AUDITS = {
    CIN: (AuditStatus.CLOSED, d(2017, 5, 31), d(2017, 6, 21)),
    TRANSITIONS: (AuditStatus.CLOSED, d(2017, 10, 31), d(2017, 11, 22)),
    ABUSE: (AuditStatus.MONITORING, d(2019, 2, 28), d(2019, 3, 20)),
}
LABELS = {
    CIN: "Children in Need (June 2017)",
    TRANSITIONS: "Transitions (November 2017)",
    ABUSE: "Domestic abuse (March 2019)",
}

# What happened to a request, besides being submitted on a date:
NOT_SUBMITTED = "not submitted"  # sent, never answered
DRAFT = "draft"  # sent, a draft (with a grade) never submitted
UNSENT = "unsent"  # never sent, never answered
NO_DUE = "no due date"  # answered, with no due date nor send date (a past audit's row)
LOADED = "loaded"  # answered; sent and submitted stamped at the same instant (an import)

# (audit, reference, area, ratified grade, {agency: (own grade, submitted on) or a state})
CASES = [
    (CIN, "A1", "East", "good", {
        CSC: ("good", d(2017, 5, 30)),
        POLICE: ("outstanding", d(2017, 5, 31)),  # on the due date: on time
        EDUCATION: ("good", NO_DUE),
    }),
    (CIN, "A2", "North", "requires_improvement", {
        CSC: ("good", d(2017, 6, 3)),  # 3 days late
        HEALTH: ("requires_improvement", d(2017, 5, 20)),
    }),
    (CIN, "A3", "Central", "inadequate", {
        CSC: ("requires_improvement", d(2017, 6, 10)),  # 10 days late
        POLICE: NOT_SUBMITTED,
        HEALTH: ("inadequate", d(2017, 5, 31)),
    }),
    (CIN, "A4", "East", "not_scored", {
        CSC: ("good", d(2017, 5, 29)),
    }),
    (TRANSITIONS, "B1", "East", "good", {
        POLICE: ("good", d(2017, 10, 30)),
        HEALTH: ("good", d(2017, 11, 2)),  # 2 days late
        EDUCATION: ("outstanding", LOADED),
    }),
    (TRANSITIONS, "B2", "North", "requires_improvement", {
        CSC: ("inadequate", d(2017, 10, 31)),
        POLICE: ("not_scored", d(2017, 10, 20)),
    }),
    (TRANSITIONS, "B3", "North", "requires_improvement", {
        CSC: ("requires_improvement", d(2017, 11, 5)),  # 5 days late
        HEALTH: DRAFT,
    }),
    (ABUSE, "C1", "Central", "inadequate", {
        CSC: ("requires_improvement", d(2019, 3, 1)),  # 1 day late
        POLICE: ("good", d(2019, 2, 27)),
        HEALTH: ("inadequate", d(2019, 2, 28)),
        EDUCATION: UNSENT,
    }),
    (ABUSE, "C2", "East", "outstanding", {
        CSC: ("outstanding", d(2019, 2, 1)),
    }),
    (ABUSE, "C3", "North", "good", {
        POLICE: ("requires_improvement", d(2019, 3, 10)),  # 10 days late
    }),
]  # fmt: skip

# (audit, title, library theme or None, case references)
THEMES = [
    (CIN, "Information sharing and communication", SHARING, ["A1", "A2"]),
    (CIN, "Engagement with the family", ENGAGEMENT, ["A3"]),
    # Two themes of one audit on the same library theme: their cases are one union.
    (TRANSITIONS, "Information sharing with GPs", SHARING, ["B1"]),
    (TRANSITIONS, "GP information", SHARING, ["B1", "B2"]),
    (TRANSITIONS, "Voice of the young person", VOICE, []),  # found, with no case tagged
    (TRANSITIONS, "Thresholds applied late", "Thresholds (old)", ["B3"]),  # a merged theme
    (TRANSITIONS, "Recording", None, ["B3"]),  # not in the library
    (ABUSE, "Information sharing after call-outs", SHARING, ["C1", "C2", "C3"]),
    (ABUSE, "Engaging fathers", ENGAGEMENT, ["C2"]),
]

COMPLETE = ActionStatus.COMPLETE
# (audit, the themes it answers, [(agency, description, status, completed at)])
RECOMMENDATIONS = [
    (CIN, ["Information sharing and communication"], [
        (CSC, "Invite the GP to every review", COMPLETE, at(2017, 11, 22, 23, 30)),  # that day
        (HEALTH, "Alert GPs to children in need", COMPLETE, at(2017, 11, 23, 8, 0)),  # day after
        (POLICE, "Brief officers on sharing with GPs", ActionStatus.IN_PROGRESS, None),
    ]),
    (CIN, ["Engagement with the family"], [
        (POLICE, "Train officers on engagement", COMPLETE, at(2018, 1, 10, 12, 0)),
    ]),
    (TRANSITIONS, ["Information sharing with GPs", "GP information"], [
        (CSC, "Add the GP to the transition checklist", COMPLETE, at(2019, 3, 21, 9, 0)),
    ]),
]  # fmt: skip


def build(partnership, areas, agencies) -> dict:
    """The three audits above in `partnership` (the conftest's, whose areas and first three
    agencies they use), plus audits that must never count: ours in planning, collecting and
    moderation, and a closed one of another partnership. Returns the audits by title."""
    education = f.AgencyFactory(partnership=partnership, name=EDUCATION, position=3)
    agencies = {**agencies, EDUCATION: education}
    library = {
        title: f.LibraryThemeFactory(partnership=partnership, title=title)
        for title in (SHARING, ENGAGEMENT, VOICE, "Thresholds")
    }
    library["Thresholds (old)"] = f.LibraryThemeFactory(
        partnership=partnership,
        title="Thresholds (old)",
        merged_into=library["Thresholds"],
        merged_at=at(2018, 1, 1, 9, 0),
    )
    audits = {
        title: f.AuditFactory(
            partnership=partnership, title=title, status=status, returns_due=due, meeting_date=met
        )
        for title, (status, due, met) in AUDITS.items()
    }
    cases = {}
    for title, reference, area, grade, requests in CASES:
        audit = audits[title]
        case = f.CaseFactory(audit=audit, reference=reference, area=areas[area])
        f.RatificationFactory(case=case, grade=grade, reason="Too little recorded")
        for agency, state in requests.items():
            _request(case, agencies[agency], state)
        cases[reference] = case
    themes = {}
    for title, theme_title, library_title, references in THEMES:
        theme = f.AuditThemeFactory(
            audit=audits[title],
            title=theme_title,
            library_theme=library[library_title] if library_title else None,
        )
        theme.cases.set([cases[reference] for reference in references])
        themes[theme_title] = theme
    for title, answering, actions in RECOMMENDATIONS:
        recommendation = f.RecommendationFactory(audit=audits[title])
        recommendation.themes.set([themes[theme] for theme in answering])
        for agency, description, status, completed_at in actions:
            f.ActionFactory(
                recommendation=recommendation,
                agency=agencies[agency],
                description=description,
                status=status,
                completed_at=completed_at,
            )
    # An immediate action (about one child) is never a theme's action.
    f.ActionFactory(
        recommendation=None,
        audit=audits[CIN],
        case=cases["A3"],
        immediate=True,
        agency=agencies[POLICE],
        description="Visit the child this week",
    )
    _audits_left_out(partnership, areas, agencies, library)
    return audits


def _request(case, agency, state):
    due = case.audit.returns_due
    sent = at(due.year, due.month, due.day, 9, 0) - datetime.timedelta(days=28)
    if state in (NOT_SUBMITTED, DRAFT, UNSENT):
        request = f.RequestFactory(
            case=case,
            agency=agency,
            status=RequestStatus.DRAFT if state == DRAFT else RequestStatus.OUTSTANDING,
            sent_at=None if state == UNSENT else sent,
        )
        if state == DRAFT:
            f.ReturnFactory(request=request, grade="good")
        return
    grade, submitted_on = state
    if submitted_on == NO_DUE:
        due, sent, submitted_at = None, None, at(2017, 6, 1, 10, 0)
    elif submitted_on == LOADED:
        submitted_at = sent
    else:
        submitted_at = at(submitted_on.year, submitted_on.month, submitted_on.day, 16, 0)
    request = f.RequestFactory(
        case=case, agency=agency, status=RequestStatus.SUBMITTED, due=due, sent_at=sent
    )
    reason = "Not enough recorded" if grade == "not_scored" else ""
    f.ReturnFactory(request=request, grade=grade, grade_reason=reason, submitted_at=submitted_at)


def _audits_left_out(partnership, areas, agencies, library):
    """Audits before reporting, each with a graded case, a return and the sharing theme."""
    for status in (AuditStatus.PLANNING, AuditStatus.COLLECTING, AuditStatus.MODERATION):
        audit = f.AuditFactory(
            partnership=partnership,
            title=f"Left out while {status.label.lower()}",
            status=status,
            returns_due=d(2018, 4, 30),
            meeting_date=d(2018, 5, 21),
        )
        _one_of_everything(audit, areas["East"], agencies[CSC], library[SHARING])


def other_partnership_audit(other_partnership):
    """A closed audit of another partnership, on its own "Information sharing" theme."""
    audit = f.AuditFactory(
        partnership=other_partnership,
        title="Elsewhere's closed audit",
        status=AuditStatus.CLOSED,
        returns_due=d(2017, 9, 30),
        meeting_date=d(2017, 10, 20),
    )
    area = f.AreaFactory(partnership=other_partnership, name="East")
    agency = f.AgencyFactory(partnership=other_partnership, name=CSC)
    theme = f.LibraryThemeFactory(partnership=other_partnership, title=SHARING)
    _one_of_everything(audit, area, agency, theme)
    return audit


def _one_of_everything(audit, area, agency, library_theme):
    case = f.CaseFactory(audit=audit, area=area)
    f.RatificationFactory(case=case, grade="inadequate")
    request = f.RequestFactory(
        case=case, agency=agency, status=RequestStatus.SUBMITTED, sent_at=at(2018, 4, 1, 9, 0)
    )
    f.ReturnFactory(request=request, grade="good", submitted_at=at(2018, 4, 2, 9, 0))
    theme = f.AuditThemeFactory(audit=audit, title="Sharing", library_theme=library_theme)
    theme.cases.add(case)
    recommendation = f.RecommendationFactory(audit=audit)
    recommendation.themes.add(theme)
    f.ActionFactory(recommendation=recommendation, agency=agency, description="Left out")


def grow(name: str, audits: int, cases: int, agencies: int, themes: int):
    """A partnership of its own with `audits` closed audits, each with `cases` cases (every
    agency involved, every case ratified and tagged with every theme, every theme answered by
    an action); returns its coordinator. For counting queries."""
    # It records each case's level of need (decision 69), so the profile table has rows too.
    partnership = f.PartnershipFactory(name=name, profile_fields=["level_of_need"])
    coordinator = f.MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    area_list = [f.AreaFactory(partnership=partnership, name=f"Area {i}") for i in range(3)]
    agency_list = [
        f.AgencyFactory(partnership=partnership, name=f"Agency {i}") for i in range(agencies)
    ]
    library = [
        f.LibraryThemeFactory(partnership=partnership, title=f"Theme {i}") for i in range(themes)
    ]
    for number in range(audits):
        audit = f.AuditFactory(
            partnership=partnership,
            status=AuditStatus.CLOSED,
            returns_due=d(2016, 1, 1) + datetime.timedelta(days=60 * number),
            meeting_date=d(2016, 2, 1) + datetime.timedelta(days=60 * number),
        )
        case_list = []
        for index in range(cases):
            case = f.CaseFactory(audit=audit, area=area_list[index % 3])
            f.RatificationFactory(case=case, grade="requires_improvement")
            for agency in agency_list:
                request = f.RequestFactory(
                    case=case, agency=agency, status=RequestStatus.SUBMITTED, sent_at=at(2016, 1, 1)
                )
                f.ReturnFactory(request=request, grade="good", submitted_at=at(2016, 1, 2))
            case_list.append(case)
        for theme in library:
            audit_theme = f.AuditThemeFactory(audit=audit, library_theme=theme)
            audit_theme.cases.set(case_list)
            recommendation = f.RecommendationFactory(audit=audit)
            recommendation.themes.add(audit_theme)
            f.ActionFactory(recommendation=recommendation, agency=agency_list[0])
    return coordinator
