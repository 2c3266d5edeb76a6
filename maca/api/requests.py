"""Requests: the ask to one agency to audit one case. A coordinator sees every request of the
partnership; an agency user their own agency's, once the audit's requests are sent; a board
member none (`access.requests_for`). The agency's own record number is shown to that agency
only."""

import datetime
from typing import Annotated, TypeAlias

from django.http import Http404
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from maca import access
from maca.audits.models import RequestStatus
from maca.partnerships.ordering import partnership_order

from .audits import AuditId
from .schemas import INVALID, MAX_ID, MISSING, UNAUTHORISED, CaseRef, Pages, Ref

router = Router(tags=["requests"])

# A `TypeAlias`, not a `type` statement: django-ninja reads the `Path` from the parameter's
# `Annotated`, which a `type` alias would hide.
RequestId: TypeAlias = Annotated[int, Path(ge=1, le=MAX_ID, description="The request's id")]  # noqa: UP040

# The values are fixed (the bundle format shares them); what each means on the pages is below.
STATUS = (
    "outstanding (shown as “Not returned”: nothing saved yet), draft, submitted, or returned "
    "(for clarification)"
)


class RequestOut(Schema):
    id: int
    audit_id: int
    case: CaseRef
    agency: Ref
    status: RequestStatus = Field(description=STATUS)
    due: datetime.date | None = Field(description="The request's due date, else the audit's")
    overdue: bool
    sent_at: datetime.datetime | None
    agency_record_number: str | None = Field(
        description="The agency's own record number for the case: to that agency's users only "
        "(null to anyone else)"
    )

    @staticmethod
    def resolve_due(request_, context):
        return request_.due or request_.audit.returns_due

    @staticmethod
    def resolve_overdue(request_, context):
        return request_.is_overdue()

    @staticmethod
    def resolve_agency_record_number(request_, context):
        return record_number_for(context["request"].viewer, request_)


def record_number_for(viewer, request_) -> str | None:
    """Only the request's own agency reads its record number (never a coordinator)."""
    if access.may_read_record_number(viewer, request_):
        return request_.agency_record_number
    return None


@router.get(
    "/audits/{audit_id}/requests",
    response={200: list[RequestOut], **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit's requests you may see",
)
@paginate(Pages)
def request_list(request, audit_id: AuditId):
    """By case reference, then agency. Case-level: to a board member, not found."""
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    if not access.may_see_cases(viewer):
        raise Http404("No requests for this viewer")
    return (
        access.requests_for(viewer, audit)
        .select_related("audit", "case", "agency")
        .order_by("case__reference", *partnership_order("agency__"), "pk")
    )


@router.get(
    "/requests/{request_id}",
    response={200: RequestOut, **UNAUTHORISED, **MISSING, **INVALID},
    summary="One request",
)
def request_detail(request, request_id: RequestId):
    return access.request_for(request.viewer, request_id)
