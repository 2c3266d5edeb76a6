"""Audits: every one in the partnership for a coordinator; for an agency user those their
agency takes part in once requests are sent; for a board member those past planning."""

import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from maca import access
from maca.audits.models import AuditStatus

from .schemas import INVALID, MISSING, UNAUTHORISED, Pages, path_id

router = Router(tags=["audits"])

AuditId = path_id("The audit's id")


class AuditOut(Schema):
    id: int
    title: str
    theme: str
    status: AuditStatus
    returns_due: datetime.date | None
    meeting_date: datetime.date | None


@router.get(
    "/audits",
    response={200: list[AuditOut], **UNAUTHORISED, **INVALID},
    summary="The audits you may see",
)
@paginate(Pages)
def audit_list(request):
    """Newest meeting first."""
    return access.audits_for(request.viewer)


@router.get(
    "/audits/{audit_id}",
    response={200: AuditOut, **UNAUTHORISED, **MISSING, **INVALID},
    summary="One audit",
)
def audit_detail(request, audit_id: AuditId):
    return access.audit_for(request.viewer, audit_id)
