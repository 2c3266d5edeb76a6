"""Tracking the returns of an audit: the grid of cases × agencies, its totals, and the
immediate-action flags (`maca.returns.flags`). Reads only, always starting from the viewer's
scope (maca.access).

The grid costs two queries whatever the number of cases: the cases, and the requests with
their agencies and returns.
"""

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from maca import access
from maca.notices.models import Notice, NoticeKind
from maca.notices.selectors import ABOUT_RETURNS
from maca.notices.services import Reach, agencies_reach
from maca.partnerships.models import Agency
from maca.partnerships.ordering import in_partnership_order
from maca.returns.flags import Flag, flag_of, flags_sorted

from .models import Audit, Case, Request, RequestStatus


@dataclass(frozen=True)
class Cell:
    request: Request
    overdue: bool
    awaiting_sign_off: bool

    @property
    def status(self) -> str:
        return self.request.status

    @property
    def label(self) -> str:
        if self.awaiting_sign_off:
            return "Awaiting sign-off"
        return self.request.get_status_display()


@dataclass(frozen=True)
class Row:
    case: Case
    cells: list[Cell | None]  # one per agency column; None where the agency is not involved


@dataclass
class AgencyTotal:
    agency: Agency
    requested: int = 0
    submitted: int = 0
    overdue: int = 0
    # Not submitted, on a case not yet ratified: what can still arrive, and be chased.
    owed: int = 0

    @property
    def unsubmitted(self) -> int:
        return self.requested - self.submitted


@dataclass
class TrackingGrid:
    agencies: list[Agency]
    rows: list[Row]
    totals: list[AgencyTotal]
    flags: list[Flag] = field(default_factory=list)

    @property
    def requested(self) -> int:
        return sum(total.requested for total in self.totals)

    @property
    def submitted(self) -> int:
        return sum(total.submitted for total in self.totals)

    @property
    def overdue(self) -> int:
        return sum(total.overdue for total in self.totals)


def _return_of(request: Request):
    try:
        return request.agency_return
    except Request.agency_return.RelatedObjectDoesNotExist:
        return None


def tracking_grid(viewer: access.Viewer, audit: Audit, *, today=None) -> TrackingGrid:
    """The audit's returns as a grid: rows are cases by reference, columns the involved
    agencies in agency order, each cell a request's status and whether it is overdue."""
    today = today or timezone.localdate()
    cases = list(access.cases_for(viewer, audit).select_related("area").order_by("reference"))
    requests = list(
        access.requests_for(viewer, audit).select_related("agency", "agency_return", "case")
    )
    agencies = sorted(
        {request.agency_id: request.agency for request in requests}.values(),
        key=in_partnership_order,
    )
    column = {agency.pk: i for i, agency in enumerate(agencies)}
    totals = [AgencyTotal(agency=agency) for agency in agencies]
    cells: dict[int, list[Cell | None]] = {case.pk: [None] * len(agencies) for case in cases}
    flags = []
    for request in requests:
        request.audit = audit
        return_ = _return_of(request)
        submitted = request.status == RequestStatus.SUBMITTED
        cell = Cell(
            request=request,
            overdue=request.is_overdue(today),
            awaiting_sign_off=bool(return_ and return_.sign_off_requested_at and not submitted),
        )
        if request.case_id in cells:
            cells[request.case_id][column[request.agency_id]] = cell
        total = totals[column[request.agency_id]]
        total.requested += 1
        total.submitted += submitted
        total.overdue += cell.overdue
        total.owed += not submitted and request.case.locked_at is None
        if flag := flag_of(request, return_, today):
            flags.append(flag)
    rows = [Row(case=case, cells=cells[case.pk]) for case in cases]
    return TrackingGrid(agencies=agencies, rows=rows, totals=totals, flags=flags_sorted(flags))


def involved_agency_for(viewer: access.Viewer, audit: Audit, agency_id: int) -> Agency:
    """An agency the viewer may see requests of in this audit; 404 for any other."""
    requests = access.requests_for(viewer, audit).filter(agency_id=agency_id)
    agency = Agency.objects.filter(pk=agency_id, requests__in=requests).distinct().first()
    if agency is None:
        raise Http404("No such agency in this audit")
    return agency


@dataclass(frozen=True)
class ChaseRow:
    """An agency on the tracking page: what it still owes, whom a chase would reach (or why
    nobody), and the latest e-mail about its returns."""

    total: AgencyTotal
    reach: Reach
    last: Notice | None

    @property
    def agency(self) -> Agency:
        return self.total.agency

    @property
    def last_said(self) -> str:
        return ABOUT_RETURNS.get(self.last.kind, "") if self.last else ""


def chase_rows(grid: TrackingGrid, last: dict[int, Notice], *, by) -> list[ChaseRow]:
    """One row per agency of the grid; `last` is each agency's latest e-mail about its
    returns (`maca.notices.selectors.last_returns_notices`). One query."""
    reaches = agencies_reach(agencies=grid.agencies, kind=NoticeKind.CHASE, by=by)
    return [
        ChaseRow(total=total, reach=reach, last=last.get(total.agency.pk))
        for total, reach in zip(grid.totals, reaches, strict=True)
    ]
