"""Audits: every one in the partnership for a coordinator; for an agency user those their
agency takes part in once requests are sent; for a board member those past planning."""

import datetime
from typing import Annotated, TypeAlias

from ninja import Path, Router, Schema
from ninja.pagination import paginate

from maca import access
from maca.audits.models import AuditStatus

from .schemas import INVALID, MAX_ID, MISSING, UNAUTHORISED, Pages

router = Router(tags=["audits"])

# A `TypeAlias`, not a `type` statement: django-ninja reads the `Path` from the parameter's
# `Annotated`, which a `type` alias would hide.
AuditId: TypeAlias = Annotated[int, Path(ge=1, le=MAX_ID, description="The audit's id")]  # noqa: UP040


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
