"""Each agency's feedback pack through the API, as on the Agency feedback page: every involved
agency's for a coordinator, their own agency's for an agency's people, none for a board member
(`access.feedback_agencies_for`; it is case-level text). The packs are made when the report is
published, on its latest edition; reading one is recorded like downloading it."""

import json
from typing import Annotated

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import Field, Path, Router, Schema

from maca import access
from maca.history.access_log import AccessHow, AccessKind, record_access
from maca.reports.feedback import FORMATS, feedback_packs, latest_edition
from maca.reports.rendering import rendition_content

from .audits import AuditId
from .editions import RETRY_AFTER, _file_responses
from .schemas import INVALID, MISSING, UNAUTHORISED, Message

router = Router(tags=["reports"])

AgencyId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The agency's id")]


class PackFile(Schema):
    ready: bool = Field(description="Whether the file can be downloaded now")
    url: str


class PackOut(Schema):
    agency_id: int
    agency: str
    pdf: PackFile
    docx: PackFile


class PacksOut(Schema):
    edition: int | None = Field(
        description="The published edition the packs are made on; null before publication"
    )
    items: list[PackOut]


def _url(audit_id: int, agency_id: int, extension: str) -> str:
    return reverse(f"api-v1:feedback_pack_{extension}", args=[audit_id, agency_id])


@router.get(
    "/audits/{audit_id}/feedback-packs",
    response={200: PacksOut, **UNAUTHORISED, **MISSING, **INVALID},
    summary="The agencies' feedback packs the caller may read",
)
def feedback_pack_list(request, audit_id: AuditId):
    """Every involved agency's pack for a coordinator; an agency user's own agency's; an empty
    list for a board member, and before the report is published no file is ready."""
    audit = access.audit_for(request.viewer, audit_id)
    edition = latest_edition(request.viewer, audit)
    items = []
    for pack in feedback_packs(request.viewer, audit, edition):
        agency = pack["agency"]
        files = {
            each["format"]: {
                "ready": each["ready"] is not None,
                "url": _url(audit.pk, agency.pk, each["format"]),
            }
            for each in pack["formats"]
        }
        items.append({"agency_id": agency.pk, "agency": agency.name, **files})
    return {"edition": edition.number if edition else None, "items": items}


def _file(request, audit_id: int, agency_id: int, extension: str):
    audit = access.audit_for(request.viewer, audit_id)
    agency = access.feedback_agency_for(request.viewer, audit, agency_id)
    edition = latest_edition(request.viewer, audit)
    (pack,) = [
        pack for pack in feedback_packs(request.viewer, audit, edition) if pack["agency"] == agency
    ]
    (made,) = [each for each in pack["formats"] if each["format"] == extension]
    if made["ready"] is None:
        label = f"{agency.name}'s feedback pack ({made['label']})"
        if made["preparing"]:
            detail = f"{label} is being made: ask again in a minute."
        elif edition is None:
            detail = f"{label} is made when the report is published; it is not published yet."
        else:
            detail = (
                f"{label} has not been made: a coordinator can make the packs again on the "
                "audit's Agency feedback page."
            )
        response = HttpResponse(
            json.dumps({"detail": detail}),
            status=409,
            content_type="application/json; charset=utf-8",
        )
        if made["preparing"]:
            response["Retry-After"] = RETRY_AFTER
        return response
    ready = made["ready"]
    record_access(
        request.viewer, AccessKind.FEEDBACK_PACK, how=AccessHow.API, audit=audit, obj=ready
    )
    response = HttpResponse(rendition_content(ready), content_type=FORMATS[extension][2])
    response["Content-Disposition"] = content_disposition_header(True, ready.filename)
    response["Cache-Control"] = "no-store, private"
    return response


@router.get(
    "/audits/{audit_id}/feedback-packs/{agency_id}.pdf",
    response={409: Message, **UNAUTHORISED, **MISSING, **INVALID},
    summary="An agency's feedback pack as PDF",
    openapi_extra=_file_responses(FORMATS["pdf"][2]),
)
def feedback_pack_pdf(request, audit_id: AuditId, agency_id: AgencyId):
    return _file(request, audit_id, agency_id, "pdf")


@router.get(
    "/audits/{audit_id}/feedback-packs/{agency_id}.docx",
    response={409: Message, **UNAUTHORISED, **MISSING, **INVALID},
    summary="An agency's feedback pack as a Word file",
    openapi_extra=_file_responses(FORMATS["docx"][2]),
)
def feedback_pack_docx(request, audit_id: AuditId, agency_id: AgencyId):
    return _file(request, audit_id, agency_id, "docx")
