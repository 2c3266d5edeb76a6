"""The meeting's ratifications: each case's overall grade, as the case summary pages show it.
Coordinators: every case; agency users: their agency's cases once the audit reaches its
meeting (before then, an empty list); board members: not found (case-level)."""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from maca import access
from maca.grades import Grade
from maca.history.access_log import AccessHow, AccessKind, record_access

from .audits import AuditId
from .schemas import INVALID, MISSING, UNAUTHORISED, CaseRef, Pages

router = Router(tags=["ratifications"])


class RatificationOut(Schema):
    case: CaseRef
    grade: Grade = Field(description="The case's overall grade, or not_scored")
    reason: str = Field(
        description="Why it is not scored, or why the meeting changed the proposed grade"
    )
    proposed_grade: Grade | None = Field(description="What the agencies' grades proposed")
    ratified_at: datetime.datetime

    @staticmethod
    def resolve_proposed_grade(ratification):
        return ratification.proposed_grade or None


@router.get(
    "/audits/{audit_id}/ratifications",
    response={200: list[RatificationOut], **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit's ratified cases you may see",
)
@paginate(Pages)
def ratification_list(request, audit_id: AuditId):
    """By case reference. Cases not yet ratified are not listed."""
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    if not access.may_see_cases(viewer):
        raise Http404("No cases for this viewer")
    record_access(viewer, AccessKind.RATIFICATIONS, how=AccessHow.API, audit=audit)
    return (
        access.ratifications_for(viewer, audit)
        .select_related("case")
        .order_by("case__reference", "pk")
    )
