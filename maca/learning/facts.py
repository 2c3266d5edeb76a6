"""The facts the dashboard counts: the rows of the viewer's audits, read once, as plain values.

`facts_for(viewer)` reads the audits the viewer may learn from (`access.dashboard_audits_for`:
audits in reporting, monitoring or closed) and everything else from those audits only, in six
queries whatever the number of audits, cases, agencies or themes: the audits, the live library
themes, and flat rows of cases, requests (with their returns), audit themes (with their cases)
and theme actions (`access.theme_actions_for`). The figures (`figures.py`) count these in Python.

How the rows are read:
- A case's grade is its ratified grade ("" while not ratified).
- A request was **requested** when it was sent (`sent_at`), or when it was answered: a past
  audit loaded without send dates still counts the requests its returns answer. It was
  **submitted** when its request stands submitted (a return sent back for clarification is not).
- A submitted return's lateness is the days from its request's due date to the (local) date it
  was submitted: on time when 0 or less. It is **unknown** when the request has no due date (a
  past audit loaded from a spreadsheet) or when the return was submitted at the very instant
  its request was sent (an audit loaded from a spreadsheet, or from a bundle without
  `submitted_on` dates: the import stamps both, and the real dates are not known).
- Only live library themes count: a merged theme's audit themes moved to the live one.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone

from maca import access
from maca.audits.models import Audit, Case, Request, RequestStatus
from maca.audits.rules import audit_held_on
from maca.meetings.models import AuditTheme
from maca.partnerships.models import LibraryTheme
from maca.partnerships.ordering import partnership_order
from maca.profiles import ProfileField, chosen


class Place(NamedTuple):
    """An area or an agency. Sorts in the partnership's order: position, then name."""

    position: int
    name: str
    id: int


class CaseFact(NamedTuple):
    id: int
    audit_id: int
    area: Place
    grade: str  # the ratified grade; "" while not ratified
    profile: dict[str, str] = {}  # the case profile's values ("" not recorded), every field


class RequestFact(NamedTuple):
    case_id: int
    audit_id: int
    agency: Place
    requested: bool
    submitted: bool
    grade: str  # the agency's own grade, when submitted; else ""
    days_late: int | None  # submitted date minus due date (≤ 0 on time); None when unknown


class ThemeFact(NamedTuple):
    """One audit theme linked to a live library theme."""

    audit_id: int
    title: str
    library_theme_id: int
    case_ids: frozenset[int]


class ActionFact(NamedTuple):
    """An action raised from a recommendation on an audit theme linked to a library theme."""

    audit_id: int
    library_theme_id: int
    due: datetime.date
    position: int
    id: int
    description: str
    agency: str
    status: str
    completed_at: datetime.datetime | None


@dataclass(frozen=True)
class Facts:
    audits: list[Audit]  # in held order, oldest first
    library_themes: dict[int, LibraryTheme]  # the live ones
    cases: list[CaseFact]
    requests: list[RequestFact]
    themes: list[ThemeFact]
    actions: list[ActionFact]
    # The case profile fields the partnership records (decision 69), in their order.
    profile_fields: tuple[ProfileField, ...] = ()


def audit_label(audit: Audit) -> str:
    """How an audit is named in a row or a column: "Title (Month YYYY)"."""
    return f"{audit.title} ({audit_held_on(audit):%B %Y})"


def small_count_threshold(viewer: access.Viewer) -> int:
    """The viewer's partnership's smallest count shown to the board."""
    partnership = viewer.partnership
    # Only a member reaches the dashboard and the library (`access.allow(*READERS)`), and a
    # member's viewer has a partnership.
    assert partnership is not None
    return partnership.small_count_threshold


def facts_for(viewer) -> Facts:
    """Everything the figures count, scoped to the viewer, in six queries."""
    return facts_of(viewer, access.dashboard_audits_for(viewer))


def facts_of(viewer, audits) -> Facts:
    """The facts of these audits (already scoped for the viewer: the dashboard's, or the
    yearly report's period), in held order: five queries besides the audits'."""
    audits = sorted(audits, key=lambda a: (audit_held_on(a), a.pk))
    ids = [audit.pk for audit in audits]
    library = {theme.pk: theme for theme in access.library_themes_for(viewer).live()}
    return Facts(
        audits=audits,
        library_themes=library,
        cases=_cases(ids),
        requests=_requests(ids),
        themes=_themes(ids, library),
        # The theme actions of these audits only: the scope reads the dashboard's.
        actions=[action for action in _actions(viewer, library) if action.audit_id in set(ids)],
        profile_fields=tuple(
            chosen(viewer.partnership.profile_fields if viewer.partnership else ())
        ),
    )


def _cases(audit_ids: list[int]) -> list[CaseFact]:
    fields = [field.value for field in ProfileField]
    rows = Case.objects.filter(audit_id__in=audit_ids).values_list(
        "id", "audit_id", *partnership_order("area__"), "area_id", "ratification__grade", *fields
    )
    places = len(partnership_order()) + 1
    return [
        CaseFact(
            id,
            audit_id,
            Place(*rest[:places]),
            rest[places] or "",
            dict(zip(fields, rest[places + 1 :], strict=True)),
        )
        for id, audit_id, *rest in rows.order_by()
    ]


def _requests(audit_ids: list[int]) -> list[RequestFact]:
    rows = Request.objects.filter(audit_id__in=audit_ids).values_list(
        "case_id",
        "audit_id",
        *partnership_order("agency__"),
        "agency_id",
        "status",
        "due",
        "sent_at",
        "agency_return__grade",
        "agency_return__submitted_at",
    )
    facts = []
    for case_id, audit_id, *agency, status, due, sent_at, grade, submitted_at in rows.order_by():
        submitted = status == RequestStatus.SUBMITTED
        facts.append(
            RequestFact(
                case_id=case_id,
                audit_id=audit_id,
                agency=Place(*agency),
                requested=sent_at is not None or submitted,
                submitted=submitted,
                grade=(grade or "") if submitted else "",
                days_late=_days_late(due, sent_at, submitted_at) if submitted else None,
            )
        )
    return facts


def _days_late(due, sent_at, submitted_at) -> int | None:
    """Days after the due date the return was submitted; None when that cannot be known."""
    if due is None or submitted_at is None or submitted_at == sent_at:
        return None
    return (timezone.localdate(submitted_at) - due).days


def _themes(audit_ids: list[int], library: dict[int, LibraryTheme]) -> list[ThemeFact]:
    rows = AuditTheme.objects.filter(
        audit_id__in=audit_ids, library_theme_id__in=list(library)
    ).values_list("id", "audit_id", "title", "library_theme_id", "cases")
    themes: dict[int, tuple[int, str, int]] = {}
    cases: dict[int, set[int]] = defaultdict(set)
    for id, audit_id, title, library_theme_id, case_id in rows.order_by():
        themes[id] = (audit_id, title, library_theme_id)
        if case_id is not None:
            cases[id].add(case_id)
    return [ThemeFact(*theme, frozenset(cases[id])) for id, theme in themes.items()]


def _actions(viewer, library: dict[int, LibraryTheme]) -> list[ActionFact]:
    # One row per action and library theme its recommendation answers (a recommendation may
    # answer several audit themes that link to the same library theme: counted once).
    rows = (
        access.theme_actions_for(viewer)
        .filter(recommendation__themes__library_theme_id__in=list(library))
        .values_list(
            "audit_id",
            "recommendation__themes__library_theme_id",
            "due",
            "position",
            "id",
            "description",
            "agency__name",
            "status",
            "completed_at",
        )
        .order_by()
    )
    return sorted(set(ActionFact(*row) for row in rows), key=lambda action: action[:5])
