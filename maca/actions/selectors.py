"""Reads about actions for pages and files, always from the viewer's scope (`access.actions_for`).

The monitoring list is read in a fixed number of queries however many actions there are: the
actions with their audit, agency, recommendation and case joined in, their latest progress
note and the day they were set as annotations, and the themes prefetched.
"""

import datetime
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import (
    Case,
    CharField,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from maca import access
from maca.audits.models import Audit
from maca.history.models import ChangeAction, ChangeRecord
from maca.meetings.models import AuditTheme
from maca.partnerships.models import Agency

from . import rules
from .models import Action, ActionStatus, Recommendation

SHOW_OPEN, SHOW_ALL = "open", "all"

_RECOMMENDATION_THEMES = Recommendation.themes.through
_CASE_THEMES = AuditTheme.cases.through


@dataclass(frozen=True)
class MonitoringRow:
    """One action as the monitoring page, its CSV and its Word file show it."""

    action: Action
    audit_title: str
    audit_visible: bool  # whether the viewer may open the audit's page
    agency: Agency
    themes: list[str]
    last_update: datetime.date | None
    rag: str
    rag_reason: str
    overdue_days: int

    @property
    def rag_label(self) -> str:
        return rules.LABELS[self.rag]

    @property
    def immediate(self) -> bool:
        return self.action.immediate


@dataclass(frozen=True)
class MonitoringOptions:
    """What the filters offer, each from the viewer's own actions."""

    audits: list[Audit]
    agencies: list[Agency]  # every agency for a coordinator; only their own for an agency user
    themes: list[str]  # audit themes' and their library themes' titles, in alphabetical order


def monitoring_rows(
    viewer: access.Viewer,
    *,
    audit: Audit | int | None = None,
    agency: Agency | int | None = None,
    theme: str | None = None,
    immediate: bool | None = None,
    show: str = SHOW_OPEN,
    today: datetime.date,
) -> list[MonitoringRow]:
    """The actions the viewer monitors, overdue ones first, then by due date, audit and id.

    `theme` matches an action whose themes (its recommendation's, or its case's for an
    immediate action) have that title or link to a library theme of that title. `immediate`
    True keeps only immediate actions, False only those from recommendations. `show` "open"
    leaves out complete actions; "all" keeps them.
    """
    actions = access.actions_for(viewer)
    if audit is not None:
        actions = actions.filter(audit=audit)
    if agency is not None:
        actions = actions.filter(agency=agency)
    if immediate is not None:
        actions = actions.filter(immediate=immediate)
    if theme:
        actions = _with_theme(actions, viewer, theme)
    if show != SHOW_ALL:
        actions = actions.exclude(status=ActionStatus.COMPLETE)
    overdue = Q(due__lt=today) & ~Q(status=ActionStatus.COMPLETE)
    actions = (
        with_progress_dates(actions)
        .select_related("audit", "agency", "recommendation", "case")
        .prefetch_related("recommendation__themes", "case__themes")
        .annotate(
            audit_visible=Exists(access.audits_for(viewer).filter(pk=OuterRef("audit_id"))),
            overdue_first=Case(When(overdue, then=Value(0)), default=Value(1)),
        )
        .order_by("overdue_first", "due", "audit__title", "pk")
    )
    return [_row(action, today) for action in actions]


def monitoring_options(viewer: access.Viewer) -> MonitoringOptions:
    """The audits, agencies and theme titles the viewer may filter by."""
    actions = access.actions_for(viewer)
    audits = Audit.objects.filter(pk__in=actions.values("audit_id")).order_by("title", "pk")
    if access.may_coordinate(viewer):
        agencies = list(access.agencies_for(viewer))
    else:
        agencies = [viewer.agency] if viewer.agency else []
    of_recommendations = _RECOMMENDATION_THEMES.objects.filter(
        recommendation__actions__in=actions
    ).values("audittheme_id")
    of_cases = _CASE_THEMES.objects.filter(case__immediate_actions__in=actions).values(
        "audittheme_id"
    )
    themes = AuditTheme.objects.filter(Q(pk__in=of_recommendations) | Q(pk__in=of_cases))
    titles = {
        title
        for pair in themes.order_by().values_list("title", "library_theme__title")
        for title in pair
        if title
    }
    return MonitoringOptions(
        audits=list(audits), agencies=agencies, themes=sorted(titles, key=str.casefold)
    )


def _with_theme(actions: QuerySet[Action], viewer: access.Viewer, title: str) -> QuerySet[Action]:
    themes = AuditTheme.objects.filter(partnership=viewer.partnership).filter(
        # A merged theme's title (an old bookmark) finds the theme it went into.
        Q(title=title) | Q(library_theme__title=title) | Q(library_theme__merged__title=title)
    )
    by_recommendation = _RECOMMENDATION_THEMES.objects.filter(
        recommendation_id=OuterRef("recommendation_id"), audittheme__in=themes
    )
    by_case = _CASE_THEMES.objects.filter(case_id=OuterRef("case_id"), audittheme__in=themes)
    return actions.filter(Exists(by_recommendation) | Exists(by_case))


def with_progress_dates(actions: QuerySet[Action]) -> "QuerySet[WithAnnotations[Action, _Dated]]":
    """The actions with what their RAG status needs besides themselves (`rules.rag`): the
    time of their latest progress note (`last_update_at`) and of their setting (`opened_at`)."""
    return actions.annotate(last_update_at=Max("updates__at"), opened_at=_created_at())


def progress_dates(action: "WithAnnotations[Action, _Dated]") -> dict:
    """`rules.rag`'s keyword arguments for an action read through `with_progress_dates`."""
    return {"last_update": _date(action.last_update_at), "opened": _date(action.opened_at)}


def _created_at() -> Subquery:
    """When each action was set: the change history's record of its creation (the action
    keeps no date of its own)."""
    return Subquery(
        ChangeRecord.objects.filter(
            object_type=Action._meta.label_lower,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            action=ChangeAction.CREATE,
        )
        .order_by("at")
        .values("at")[:1]
    )


def _themes_of(action: Action) -> list[str]:
    origin = action.case if action.immediate else action.recommendation
    return [theme.title for theme in origin.themes.all()] if origin else []


def _date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


class _Dated(TypedDict):
    """What `with_progress_dates` annotates each action with."""

    last_update_at: datetime.datetime | None
    opened_at: datetime.datetime | None


class _Monitored(_Dated):
    """What `monitoring_rows` annotates each action with."""

    audit_visible: bool


# Quoted: `WithAnnotations` takes its second argument only for the type checker.
def _row(action: "WithAnnotations[Action, _Monitored]", today: datetime.date) -> MonitoringRow:
    dates = progress_dates(action)
    last_update, opened = dates["last_update"], dates["opened"]
    return MonitoringRow(
        action=action,
        audit_title=action.audit.title,
        audit_visible=action.audit_visible,
        agency=action.agency,
        themes=_themes_of(action),
        last_update=last_update,
        rag=rules.rag(action, today, last_update=last_update, opened=opened),
        rag_reason=rules.rag_reason(action, today, last_update=last_update, opened=opened),
        overdue_days=rules.overdue_days(action, today),
    )
