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


@router.get(
    "/audits/{audit_id}/report-summary",
    response={200: ReportSummary, **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit's report summary (its figures)",
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
