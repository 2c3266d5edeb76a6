"""A theme library found in two graded audits, for the library's tests.

"Information sharing with GPs" was found in two audits the dashboard counts: "Neglect in
2023" (closed; 2 of its 3 cases) and "Transitions in 2024" (monitoring; 1 of its 2 cases), each
wording it its own way. It is also linked from the `audit` fixture's theme, but that audit is
still collecting, so it does not count. "Engagement" was found nowhere yet.
"""

import datetime
from dataclasses import dataclass

from maca.audits.models import AuditStatus
from maca.meetings.models import AuditTheme
from maca.partnerships.models import LibraryTheme
from tests import factories as f

GPS = "Information sharing with GPs"


@dataclass
class Scene:
    gps: LibraryTheme
    engagement: LibraryTheme
    neglect: AuditTheme  # the 2023 audit's theme linked to `gps`
    transitions: AuditTheme  # the 2024 audit's theme linked to `gps`


def graded_audit(partnership, areas, *, title, status, held_on, cases, theme, tagged, library):
    """An audit past its meeting with `cases` cases (references P-01…) and one theme linked to
    `library`, evidenced by the first `tagged` cases."""
    audit = f.AuditFactory(
        partnership=partnership, title=title, status=status, meeting_date=held_on
    )
    prefix = title[0].upper()
    made = [
        f.CaseFactory(audit=audit, reference=f"{prefix}-{n:02d}", area=areas["East"])
        for n in range(1, cases + 1)
    ]
    audit_theme = f.AuditThemeFactory(audit=audit, title=theme, library_theme=library)
    audit_theme.cases.set(made[:tagged])
    return audit_theme


def library_scene(partnership, areas, audit) -> Scene:
    gps = f.LibraryThemeFactory(
        partnership=partnership, title=GPS, description="Agencies do not share with the GP"
    )
    engagement = f.LibraryThemeFactory(partnership=partnership, title="Engagement")
    neglect = graded_audit(
        partnership,
        areas,
        title="Neglect in 2023",
        status=AuditStatus.CLOSED,
        held_on=datetime.date(2023, 3, 1),
        cases=3,
        theme="GP information sharing",
        tagged=2,
        library=gps,
    )
    transitions = graded_audit(
        partnership,
        areas,
        title="Transitions in 2024",
        status=AuditStatus.MONITORING,
        held_on=datetime.date(2024, 5, 1),
        cases=2,
        theme="Sharing with GPs",
        tagged=1,
        library=gps,
    )
    collecting = audit.themes.get()
    collecting.library_theme = gps
    collecting.save()
    return Scene(gps=gps, engagement=engagement, neglect=neglect, transitions=transitions)
