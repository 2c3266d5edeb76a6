"""Reads for the meeting's pages, always starting from the viewer's scope (maca.access)."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from maca import access
from maca.actions.models import Action
from maca.audits.models import Audit, Case, Request, RequestStatus
from maca.grades import Grade
from maca.partnerships.ordering import partnership_order
from maca.returns.models import Return

from .models import Ratification
from .rules import propose_grade


def case_for(viewer: access.Viewer, audit: Audit, case_id: int) -> Case:
    return get_object_or_404(access.cases_for(viewer, audit).select_related("area"), pk=case_id)


def is_unlocked(audit: Audit, case: Case, ratification: Ratification | None) -> bool:
    """Ratified, then unlocked during the meeting: the case must be ratified again."""
    return ratification is not None and case.locked_at is None and audit.allows.ratify


@dataclass
class CaseRow:
    """A case as the meeting's list shows it."""

    case: Case
    requests: list[Request] = field(default_factory=list)
    proposed: Grade | None = None
    ratification: Ratification | None = None
    unlocked: bool = False

    @property
    def returns_in(self) -> int:
        return sum(1 for r in self.requests if r.status == RequestStatus.SUBMITTED)

    @property
    def ratified(self) -> bool:
        return self.ratification is not None and not self.unlocked


def _grades(requests: list[Request]) -> list[str]:
    return [
        r.agency_return.grade
        for r in requests
        if r.status == RequestStatus.SUBMITTED and hasattr(r, "agency_return")
    ]


def case_rows(viewer: access.Viewer, audit: Audit) -> list[CaseRow]:
    """The audit's cases in reference order, with returns in, proposed and ratified grades."""
    cases = (
        access.cases_for(viewer, audit).select_related("area", "ratification").order_by("reference")
    )
    by_case: dict[int, list[Request]] = {}
    for request in access.requests_for(viewer, audit).select_related("agency", "agency_return"):
        by_case.setdefault(request.case_id, []).append(request)
    rows = []
    for case in cases:
        requests = by_case.get(case.pk, [])
        ratification = getattr(case, "ratification", None)
        rows.append(
            CaseRow(
                case=case,
                requests=requests,
                proposed=propose_grade(_grades(requests)),
                ratification=ratification,
                unlocked=is_unlocked(audit, case, ratification),
            )
        )
    return rows


@dataclass(frozen=True)
class CaseFlag:
    """An agency's immediate-action flag on the case, and how it was handled."""

    request: Request
    return_: Return

    @property
    def handled(self) -> bool:
        return self.return_.immediate_action_handled_at is not None

    @property
    def recorded(self) -> bool:
        """Recorded as one of the case's immediate actions."""
        return hasattr(self.return_, "recorded_action")


@dataclass
class CaseWalk:
    """One case as the meeting considers it."""

    row: CaseRow
    points: list
    actions: list[Action]
    flags: list[CaseFlag]
    previous: Case | None
    next: Case | None
    position: int
    total: int
    next_to_ratify: Case | None = None  # the next case (after this one, then from the first)
    last_to_ratify: bool = False  # ratifying this case leaves none unratified
    # The last case to ratify, and the audit has no meeting date: its ratification asks the
    # date the meeting was held (`services.case_ratify(held_on=…)`).
    asks_held_on: bool = False

    @property
    def needs_immediate_action(self) -> bool:
        """Proposed inadequate, and no immediate action yet: the rules require one before the
        case is ratified inadequate (`services.case_ratify`)."""
        return self.row.proposed == Grade.INADEQUATE and not self.actions


def case_walk(viewer: access.Viewer, audit: Audit, case: Case) -> CaseWalk:
    requests = list(
        access.requests_for(viewer, audit)
        .filter(case=case)
        .select_related(
            "agency",
            "agency_return__immediate_action_handled_by",
            "agency_return__recorded_action",
        )
    )
    flags = [
        CaseFlag(request=request, return_=request.agency_return)
        for request in requests
        if hasattr(request, "agency_return") and request.agency_return.immediate_action
    ]
    ratification = Ratification.objects.filter(case=case).first()
    row = CaseRow(
        case=case,
        requests=requests,
        proposed=propose_grade(_grades(requests)),
        ratification=ratification,
        unlocked=is_unlocked(audit, case, ratification),
    )
    order = list(
        access.cases_for(viewer, audit)
        .order_by("reference")
        .select_related("ratification")
        .only("pk", "reference", "locked_at", "ratification__id")
    )
    index = next(i for i, c in enumerate(order) if c.pk == case.pk)
    waiting = _waiting(audit, order)
    return CaseWalk(
        row=row,
        points=list(case.points.all()),
        actions=list(case.immediate_actions.filter(immediate=True).select_related("agency")),
        flags=flags,
        previous=order[index - 1] if index > 0 else None,
        next=order[index + 1] if index + 1 < len(order) else None,
        position=index + 1,
        total=len(order),
        next_to_ratify=_after(order, index, waiting),
        last_to_ratify=not (waiting - {case.pk}),
        asks_held_on=not (waiting - {case.pk}) and audit.meeting_date is None,
    )


def _waiting(audit: Audit, order: list[Case]) -> set[int]:
    """The cases still to ratify: never ratified, or unlocked since."""
    return {
        c.pk
        for c in order
        if getattr(c, "ratification", None) is None or is_unlocked(audit, c, c.ratification)
    }


def _after(order: list[Case], index: int, waiting: set[int]) -> Case | None:
    """The first case still to ratify after `index` in reference order, else the first before
    it: the meeting walks on, then comes back for any it passed."""
    for c in order[index + 1 :] + order[:index]:
        if c.pk in waiting:
            return c
    return None


def next_to_ratify(viewer: access.Viewer, audit: Audit, after: Case | None = None) -> Case | None:
    """The case the meeting considers next: the first still to ratify after `after` (in
    reference order, coming round to the start), or the first of all without `after`."""
    order = list(
        access.cases_for(viewer, audit)
        .order_by("reference")
        .select_related("ratification")
        .only("pk", "reference", "locked_at", "ratification__id")
    )
    waiting = _waiting(audit, order)
    if after is None:
        return next((c for c in order if c.pk in waiting), None)
    index = next((i for i, c in enumerate(order) if c.pk == after.pk), -1)
    return _after(order, index, waiting)


def cases_without_returns(viewer: access.Viewer, audit: Audit) -> list[Case]:
    """The cases not yet ratified that have no submitted return at all, by reference: the
    meeting can mark them all not scored at once."""
    submitted = access.requests_for(viewer, audit).filter(status=RequestStatus.SUBMITTED)
    return list(
        access.cases_for(viewer, audit)
        .filter(ratification__isnull=True, locked_at__isnull=True)
        .exclude(pk__in=submitted.values("case_id"))
        .select_related("area")
        .order_by("reference")
    )


def unsubmitted_requests_for(viewer: access.Viewer, audit: Audit) -> QuerySet[Request]:
    """The requests whose return is not submitted, in case reference order."""
    return (
        access.requests_for(viewer, audit)
        .exclude(status=RequestStatus.SUBMITTED)
        .select_related("case", "agency")
        .order_by("case__reference", *partnership_order("agency__"))
    )
