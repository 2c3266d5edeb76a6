"""Reads about audits for pages, always starting from the viewer's scope (maca.access)."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from maca import access
from maca.audits.models import Audit, Case, Request, RequestStatus


def _count(queryset: QuerySet, field: str = "pk") -> Coalesce:
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def audit_list_for(viewer: access.Viewer) -> QuerySet[Audit]:
    """The viewer's audits with the counts their home page shows."""
    audits = access.audits_for(viewer)
    case_count = _count(Case.objects.filter(audit=OuterRef("pk")).values("audit"), "audit")
    if access.may_coordinate(viewer):
        requests = Request.objects.filter(audit=OuterRef("pk")).values("audit")
    elif access.may_act_for_agency(viewer):
        requests = Request.objects.filter(audit=OuterRef("pk"), agency=viewer.agency).values(
            "audit"
        )
    else:
        return audits.annotate(case_count=case_count)
    return audits.annotate(
        case_count=case_count,
        requested=_count(requests, "audit"),
        submitted=_count(requests.filter(status=RequestStatus.SUBMITTED), "audit"),
        outstanding=_count(requests.filter(~Q(status=RequestStatus.SUBMITTED)), "audit"),
    )


def case_rows_for(viewer: access.Viewer, audit: Audit) -> list[tuple[Case, list[Request]]]:
    """The cases of an audit the viewer may see, with what their page shows of each."""
    cases = access.cases_for(viewer, audit).select_related("area", "ratification")
    requests = access.requests_for(viewer, audit).select_related("agency")
    by_case: dict[int, list[Request]] = {}
    for request in requests:
        by_case.setdefault(request.case_id, []).append(request)
    return [(case, by_case.get(case.pk, [])) for case in cases]
