"""The report summary: the figures every edition of an audit's report prints.

Computed from the data every time (never stored), in a fixed number of queries.
The shape is the one in docs/bundle-format.md, plus `ratified` and `charts` (the charts the
report prints, in their order: optional, as every reader of the format takes it), `answers`
(the audit tool's answers, counted: `maca.reports.answers`) and `key_measures` (the key
questions' counts as the board reads them: `maca.reports.key_measures`) and `profiles` (the
cases by profile and grade as the board reads them: `maca.reports.profiles`).
"""

import datetime
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from maca.actions.models import Action, ActionStatus
from maca.audits.models import Audit, Case, Request, RequestStatus
from maca.grades import Grade, zero_counts
from maca.meetings.models import AuditTheme, PointKind
from maca.meetings.themes import recurring_in
from maca.partnerships.models import Area
from maca.partnerships.ordering import partnership_order

from .answers import answers_counted
from .comparison import audit_comparison
from .key_measures import key_measure_tables
from .models import Report, ReportChart
from .profiles import profile_tables


def report_summary(
    audit: Audit, *, today: datetime.date | None = None, with_comparison: bool = True
) -> dict:
    today = today or timezone.localdate()
    cases = list(Case.objects.filter(audit=audit).select_related("area", "ratification"))
    areas = _areas_in_order(audit, cases)
    grade_of = {case.pk: case.ratification.grade for case in cases if hasattr(case, "ratification")}

    grades = zero_counts()
    grades_by_area = {area: zero_counts() for area in areas}
    cases_by_area = dict.fromkeys(areas, 0)
    for case in cases:
        cases_by_area[case.area.name] += 1
        if case.pk in grade_of:
            grades[grade_of[case.pk]] += 1
            grades_by_area[case.area.name][grade_of[case.pk]] += 1

    requests = list(
        Request.objects.filter(audit=audit)
        .select_related("agency", "agency_return")
        .order_by(*partnership_order("agency__"), "pk")
    )
    submitted = [r for r in requests if r.status == RequestStatus.SUBMITTED]
    agencies = list(dict.fromkeys(r.agency.name for r in submitted))
    answers = [counted.as_json() for counted in answers_counted(audit)]
    threshold = audit.partnership.small_count_threshold

    summary = {
        "audit": {
            "id": audit.pk,
            "title": audit.title,
            "theme": audit.theme,
            "status": audit.status,
        },
        "cases": len(cases),
        "ratified": len(grade_of),
        "cases_by_area": cases_by_area,
        "grades": grades,
        "grades_by_area": grades_by_area,
        "agencies": agencies,
        "returns": {"requested": len(requests), "submitted": len(submitted)},
        "agency_vs_ratified": _agency_vs_ratified(submitted, grade_of, agencies),
        "themes": _themes(audit),
        **_actions(audit, today),
        "charts": report_charts(audit),
        # The answers to the audit tool's countable questions, counted (coordinators only:
        # `public_summary` leaves them out), and the key questions' counts as the report prints
        # them for the board (`key_measures`).
        "answers": answers,
        "key_measures": key_measure_tables(answers, threshold),
        # The cases by profile and grade, as the board reads them (`maca.reports.profiles`).
        "profiles": _profiles(audit, cases, grade_of, threshold),
    }
    # A re-audit beside the audit it looks at again (`maca.reports.comparison`): only a
    # re-audit's summary has it.
    if with_comparison and audit.reaudit_of_id is not None:
        earlier = Audit.objects.select_related("partnership").get(pk=audit.reaudit_of_id)
        before = report_summary(earlier, today=today, with_comparison=False)
        summary["comparison"] = audit_comparison(audit, earlier, before=before, after=summary)
    return summary


#: What only coordinators read of the summary: the answers' counts, small counts and all.
COORDINATORS_ONLY = ("answers",)


def public_summary(summary: dict) -> dict:
    """The summary as a published edition gives it to everyone who may read the edition:
    without the raw counts of the answers (the key measures are there, protected)."""
    return {key: value for key, value in summary.items() if key not in COORDINATORS_ONLY}


def report_charts(audit: Audit) -> list[str]:
    """The charts (each with its table) the report prints for the board, in their order: all
    of them unless the coordinators left some out."""
    left_out = Report.objects.filter(audit=audit).values_list("charts_left_out", flat=True).first()
    return [key for key in ReportChart.values if key not in (left_out or [])]


def _areas_in_order(audit: Audit, cases: list[Case]) -> list[str]:
    used = {case.area_id for case in cases} | set(
        audit.sample_plan.values_list("area_id", flat=True)
    )
    return [a.name for a in Area.objects.filter(pk__in=used).order_by(*partnership_order())]


def _agency_vs_ratified(submitted: list[Request], grade_of: dict, agencies: list[str]) -> dict:
    """How each agency's own grade compares with the meeting's (`higher`: the agency graded its
    involvement better). Anything not scored on either side is left out."""
    table = {name: {"same": 0, "higher": 0, "lower": 0} for name in agencies}
    for request in submitted:
        own = getattr(request, "agency_return", None)
        ratified = grade_of.get(request.case_id)
        if own is None or not own.grade or not ratified:
            continue
        own_grade, ratified_grade = Grade(own.grade), Grade(ratified)
        if not (own_grade.is_score and ratified_grade.is_score):
            continue
        if own_grade.rank == ratified_grade.rank:
            key = "same"
        elif own_grade.rank < ratified_grade.rank:
            key = "higher"
        else:
            key = "lower"
        table[request.agency.name][key] += 1
    return table


def _profiles(audit: Audit, cases: list[Case], grade_of: dict, threshold: int) -> list[dict]:
    """The cases by profile, for the profile fields the partnership records (none: [])."""
    return profile_tables(
        [case.profile() for case in cases],
        [grade_of.get(case.pk, "") for case in cases],
        audit.partnership.profile_field_list(),
        threshold,
    )


def _themes(audit: Audit) -> list[dict]:
    # With the concerns the meeting raised on each theme's cases (decision 68).
    concerns = Count("cases__points", filter=Q(cases__points__kind=PointKind.CONCERN))
    themes = list(
        AuditTheme.objects.filter(audit=audit)
        .annotate(concerns=concerns)
        .prefetch_related("cases")
        .order_by("position", "pk")
    )
    earlier = recurring_in(audit, {t.library_theme_id for t in themes if t.library_theme_id})
    return [
        {
            "title": theme.title,
            "kind": theme.kind,
            "cases": len(theme.cases.all()),
            "concerns": theme.concerns,
            "recurring_in": list(earlier.get(theme.library_theme_id, [])),
        }
        for theme in themes
    ]


def _actions(audit: Audit, today: datetime.date) -> dict:
    counts: Counter = Counter()
    for immediate, status, due in Action.objects.filter(audit=audit).values_list(
        "immediate", "status", "due"
    ):
        kind = "immediate" if immediate else "action"
        counts[kind, "total"] += 1
        if status != ActionStatus.COMPLETE:
            counts[kind, "open"] += 1
            if due < today:
                counts[kind, "overdue"] += 1
    return {
        "immediate_actions": {
            "total": counts["immediate", "total"],
            "open": counts["immediate", "open"],
        },
        "actions": {
            "total": counts["action", "total"],
            "open": counts["action", "open"],
            "overdue": counts["action", "overdue"],
        },
    }
