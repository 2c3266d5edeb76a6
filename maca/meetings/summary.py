"""The case summary: every involved agency's return on one case, side by side, question by
question, with the agencies' grades, who has not returned, the immediate-action flags and the
grade the system proposes. Derived from the returns every time, never typed or stored.

Reads only, through maca.access: the cases from `summary_cases_for` (coordinators: all;
agency users: their agency's cases once the audit is in moderation; board members: none), the
returns from `summary_returns_for`, the requests through the case. Only submitted returns are
shown: a draft is still the agency's own work. No agency's record number is ever read.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404

from maca import access
from maca.audits.models import Audit, Case, Question, Request, RequestStatus
from maca.grades import Grade
from maca.partnerships.models import Agency
from maca.partnerships.ordering import partnership_order
from maca.returns.models import Return
from maca.returns.selectors import answers_shown

from .models import Ratification
from .rules import propose_grade

NOT_SUBMITTED = "Not submitted"
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class AgencyPart:
    """One involved agency on the case: where its request stands and, once submitted, its
    return."""

    agency: Agency
    status: str
    status_label: str
    return_: Return | None  # the submitted return; None until then

    @property
    def submitted(self) -> bool:
        return self.return_ is not None

    @property
    def grade(self) -> str:
        return self.return_.grade if self.return_ else ""


@dataclass(frozen=True)
class AnswerRow:
    """One question, with each agency's answer in agency order."""

    question: Question
    answers: list[str]


@dataclass(frozen=True)
class Flag:
    """A submitted return that asks for immediate action."""

    agency: Agency
    description: str
    handled: bool
    handling: str


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    agencies: list[AgencyPart]
    rows: list[AnswerRow]
    flags: list[Flag]
    proposed_grade: Grade | None
    ratification: Ratification | None

    @property
    def returned(self) -> list[AgencyPart]:
        return [part for part in self.agencies if part.submitted]

    @property
    def not_returned(self) -> list[AgencyPart]:
        return [part for part in self.agencies if not part.submitted]

    @property
    def unhandled_flags(self) -> list[Flag]:
        return [flag for flag in self.flags if not flag.handled]


def case_summary(viewer: access.Viewer, audit: Audit, case: Case) -> CaseSummary:
    """The summary of one case; 404 unless the viewer may read it."""
    cases = access.summary_cases_for(viewer, audit).filter(pk=case.pk)
    case = cases.select_related("area").first()
    if case is None:
        raise Http404("No such case")
    case.audit = audit
    returns = access.summary_returns_for(viewer, case)
    requests = _requests().filter(case=case)
    ratification = Ratification.objects.filter(case=case).first()
    return _summary(
        audit, case, list(requests), _by_request(returns), _questions(audit), ratification
    )


def case_summaries(viewer: access.Viewer, audit: Audit) -> list[CaseSummary]:
    """The summaries of every case of the audit the viewer may read, by reference.

    Four queries whatever the number of cases: the cases (with area and ratification), their
    requests (with agency), their returns, the questions.
    """
    cases = list(
        access.summary_cases_for(viewer, audit)
        .select_related("area", "ratification")
        .prefetch_related(Prefetch("requests", queryset=_requests()))
        .order_by("reference")
    )
    if not cases:
        return []
    # `summary_returns_for`'s rule (every return on a case whose summary the viewer may read),
    # for all the cases at once.
    returns = Return.objects.filter(request__case__in=access.summary_cases_for(viewer, audit))
    by_request = _by_request(returns)
    questions = _questions(audit)
    return [
        _summary(
            audit,
            case,
            list(case.requests.all()),
            by_request,
            questions,
            getattr(case, "ratification", None),
        )
        for case in cases
    ]


def _requests() -> QuerySet[Request]:
    # The agency's own record number is visible to that agency only: never read here.
    return (
        Request.objects.select_related("agency")
        .defer("agency_record_number")
        .order_by(*partnership_order("agency__"), "pk")
    )


def _by_request(returns: QuerySet[Return]) -> dict[int, Return]:
    submitted = returns.filter(request__status=RequestStatus.SUBMITTED)
    return {return_.request_id: return_ for return_ in submitted}


def _questions(audit: Audit) -> list[Question]:
    """The audit's tool, read once: `answers_shown` reads it from each request's audit."""
    prefetch_related_objects([audit], "questions")
    return list(audit.questions.all())


def _summary(
    audit: Audit,
    case: Case,
    requests: list[Request],
    returns: dict[int, Return],
    questions: list[Question],
    ratification: Ratification | None,
) -> CaseSummary:
    parts = [
        AgencyPart(
            agency=request.agency,
            status=request.status,
            status_label=request.get_status_display(),
            return_=returns.get(request.pk),
        )
        for request in requests
    ]
    for request in requests:
        request.audit = audit  # `answers_shown` reads the tool from it: read once, above
    answers = [_answers(request, returns.get(request.pk)) for request in requests]
    rows = [
        AnswerRow(question=question, answers=[column[i] for column in answers])
        for i, question in enumerate(questions)
    ]
    flags = [
        Flag(
            agency=part.agency,
            description=part.return_.immediate_action_description,
            handled=part.return_.immediate_action_handled_at is not None,
            handling=part.return_.immediate_action_handling,
        )
        for part in parts
        if part.return_ and part.return_.immediate_action
    ]
    return CaseSummary(
        case=case,
        agencies=parts,
        rows=rows,
        flags=flags,
        proposed_grade=propose_grade(part.grade for part in parts if part.submitted),
        ratification=ratification,
    )


def _answers(request: Request, return_: Return | None) -> list[str]:
    if return_ is None:
        return [NOT_SUBMITTED] * len(request.audit.questions.all())
    return [answer or NOT_ANSWERED for _, answer in answers_shown(request, return_)]
