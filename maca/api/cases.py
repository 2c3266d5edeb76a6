"""An audit's cases: all of them for a coordinator, their own agency's for an agency user.
Board members never see case-level data: for them the list is not found."""

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from maca import access

from .audits import AuditId
from .schemas import INVALID, MISSING, UNAUTHORISED, Pages, Ref

router = Router(tags=["cases"])


class CaseOut(Schema):
    id: int
    reference: str
    area: Ref


@router.get(
    "/audits/{audit_id}/cases",
    response={200: list[CaseOut], **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit's cases you may see",
)
@paginate(Pages)
def case_list(request, audit_id: AuditId):
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    if not access.may_see_cases(viewer):
        raise Http404("No cases for this viewer")
    return access.cases_for(viewer, audit).select_related("area").order_by("reference", "pk")
