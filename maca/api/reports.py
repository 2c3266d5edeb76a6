"""The report summary: the figures every edition of the report prints (bundle-format.md)."""

from typing import Literal

from django.http import Http404
from ninja import Router, Schema

from maca import access
from maca.audits.models import AuditStatus
from maca.history.access_log import AccessHow, AccessKind, record_access
from maca.reports.summary import report_summary

from .audits import AuditId
from .schemas import INVALID, MISSING, UNAUTHORISED

router = Router(tags=["reports"])


class SummaryAudit(Schema):
    id: int
    title: str
    theme: str
    status: AuditStatus


class GradeCounts(Schema):
    outstanding: int
    good: int
    requires_improvement: int
    inadequate: int
    not_scored: int


class ReturnCounts(Schema):
    requested: int
    submitted: int


class Comparison(Schema):
    same: int
    higher: int
    lower: int


class ThemeFigure(Schema):
    title: str
    # Optional in the format (decision 68): a summary made before it has none.
    kind: Literal["concern", "strength"] = "concern"
    cases: int
    concerns: int = 0
    recurring_in: list[str]


class ImmediateActionCounts(Schema):
    total: int
    open: int


class ActionCounts(Schema):
    total: int
    open: int
    overdue: int


class AnswerOption(Schema):
    value: str
    label: str


class AnswerTally(Schema):
    answered: int
    counts: dict[str, int]


class QuestionAnswers(Schema):
    key: str
    text: str
    kind: str
    key_measure: bool
    options: list[AnswerOption]
    answered: int
    counts: dict[str, int]
    by_area: dict[str, AnswerTally]
    by_agency: dict[str, AnswerTally]


class KeyMeasure(Schema):
    key: str
    text: str
    headers: list[str]
    rows: list[list[int | str]]


class ProfileTable(Schema):
    field: str
    title: str
    headers: list[str]
    rows: list[list[int | str]]


class GradeTally(Schema):
    graded: int
    good_or_better: int


class GradesCompared(Schema):
    group: str
    by: str  # all, area or agency (the agency's own grades)
    before: GradeTally | None
    after: GradeTally | None


class MeasureCells(Schema):
    answered: int | str
    counts: dict[str, int | str]


class MeasureCompared(Schema):
    key: str
    text: str
    options: list[str]
    before: MeasureCells
    after: MeasureCells


class ThemeFoundAgain(Schema):
    title: str
    earlier_title: str
    before_cases: int
    after_cases: int


class ThemeCases(Schema):
    title: str
    cases: int


class ThemesCompared(Schema):
    found_again: list[ThemeFoundAgain]
    no_longer_found: list[ThemeCases]
    new: list[ThemeCases]


class SuccessFigures(Schema):
    count: int | None
    answered: int | None
    share: int | None


class SuccessChecked(Schema):
    question: str
    text: str
    options: list[str]
    target: int
    before: SuccessFigures
    count: int | None
    answered: int | None
    share: int | None
    met: bool | None


class EarlierAction(Schema):
    agency: str
    description: str
    due: str
    status: str
    completed_on: str | None


class EarlierRecommendation(Schema):
    text: str
    success_measure: str
    success: SuccessChecked | None
    actions: list[EarlierAction]


class EarlierAudit(Schema):
    id: int
    title: str
    meeting_date: str | None


class AuditComparison(Schema):
    """A re-audit beside the earlier audit it looks at again (maca.reports.comparison)."""

    earlier: EarlierAudit
    grades: list[GradesCompared]
    key_measures: list[MeasureCompared]
    themes: ThemesCompared
    recommendations: list[EarlierRecommendation]


class ReportSummary(Schema):
    audit: SummaryAudit
    cases: int
    ratified: int
    cases_by_area: dict[str, int]
    grades: GradeCounts
    grades_by_area: dict[str, GradeCounts]
    agencies: list[str]
    returns: ReturnCounts
    agency_vs_ratified: dict[str, Comparison]
    themes: list[ThemeFigure]
    immediate_actions: ImmediateActionCounts
    actions: ActionCounts
    # Optional in the format (decision 57): the charts the report prints, in their order.
    charts: list[str] | None = None
    # The audit tool's countable answers, counted; the key questions' counts as the board reads
    # them (small counts hidden).
    answers: list[QuestionAnswers] = []
    key_measures: list[KeyMeasure] = []
    # The cases by profile and grade as the board reads them (decision 69): [] when the
    # partnership records no profile field.
    profiles: list[ProfileTable] = []
    # A re-audit's only: it beside the earlier audit.
    comparison: AuditComparison | None = None


@router.get(
    "/audits/{audit_id}/report-summary",
    response={200: ReportSummary, **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit's report summary (its figures)",
    exclude_unset=True,  # `comparison` only for a re-audit, as the summary has it
)
def report_summary_detail(request, audit_id: AuditId):
    """Computed from the data at each call. Coordinators only: to anyone else, not found."""
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    if not access.may_manage_audit(viewer, audit):
        raise Http404("No report summary for this viewer")
    summary = report_summary(audit)
    record_access(
        viewer, AccessKind.REPORT_DRAFT, how=AccessHow.API, audit=audit, obj="report-summary"
    )
    return summary
