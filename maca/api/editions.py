"""The report's published editions and their files: to everyone in the partnership who may see
the audit (`access.report_editions_for`; a published edition has passed the identifier check).

A PDF or Word file is made by a background task once an edition is published. Until it is
ready, asking for it answers 409 (`{"detail": ...}`, with `Retry-After`) and, if no file is
being made (none yet, or the last attempt failed), asks for one, as the page's button does.
"""

import datetime
import json
from typing import Annotated, Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from maca import access
from maca.reports.rendering import rendition_content, rendition_ready, rendition_request
from maca.reports.views_files import FORMATS

from .audits import AuditId
from .schemas import INVALID, MISSING, UNAUTHORISED, Message, Pages

router = Router(tags=["reports"])

Number = Annotated[int, Path(ge=1, le=2**31 - 1, description="The edition's number, from 1")]
RETRY_AFTER = "30"  # seconds: a PDF takes a few


class Links(Schema):
    self: str = Field(description="This edition, with its figures")
    pdf: str = Field(description="Its PDF")
    docx: str = Field(description="Its Word file")


class EditionOut(Schema):
    number: int
    published_at: datetime.datetime
    links: Links

    @staticmethod
    def resolve_links(edition):
        return links(edition)


class EditionDetail(EditionOut):
    summary: dict[str, Any] = Field(
        description="The report summary's figures as they were published (the shape of "
        "/audits/{audit_id}/report-summary)"
    )

    @staticmethod
    def resolve_summary(edition):
        return edition.document.get("summary", {})


def links(edition) -> dict:
    args = [edition.audit_id, edition.number]
    return {
        "self": reverse("api-v1:edition_detail", args=args),
        "pdf": reverse("api-v1:edition_pdf", args=args),
        "docx": reverse("api-v1:edition_docx", args=args),
    }


@router.get(
    "/audits/{audit_id}/report/editions",
    response={200: list[EditionOut], **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit's published editions of the report",
)
@paginate(Pages)
def edition_list(request, audit_id: AuditId):
    """Newest first. An empty list until the report is published."""
    audit = access.audit_for(request.viewer, audit_id)
    return access.report_editions_for(request.viewer, audit).order_by("-number")


def _file(request, audit_id: int, number: int, extension: str):
    audit = access.audit_for(request.viewer, audit_id)
    edition = access.report_edition_for(request.viewer, audit, number)
    kind, content_type = FORMATS[extension]
    ready = rendition_ready(audit, kind, edition)
    if ready is None:
        rendition_request(audit=audit, kind=kind, by=request.auth_user, edition=edition)
        label = "PDF" if extension == "pdf" else "Word file"
        body = {"detail": f"The {label} of edition {number} is being made: ask again in a minute."}
        response = HttpResponse(
            json.dumps(body), status=409, content_type="application/json; charset=utf-8"
        )
        response["Retry-After"] = RETRY_AFTER
        return response
    response = HttpResponse(rendition_content(ready), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, ready.filename)
    response["Cache-Control"] = "no-store, private"
    return response


def _file_responses(content_type: str) -> dict:
    return {
        "responses": {
            200: {
                "description": "The file",
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            },
            409: {
                "description": "Not ready yet: it is being made",
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before asking again",
                        "schema": {"type": "string"},
                    }
                },
            },
        }
    }


# The files' paths come before the edition's own: "1.pdf" must not be read as a number.
@router.get(
    "/audits/{audit_id}/report/editions/{number}.pdf",
    response={409: Message, **UNAUTHORISED, **MISSING, **INVALID},
    summary="An edition's PDF",
    openapi_extra=_file_responses(FORMATS["pdf"][1]),
)
def edition_pdf(request, audit_id: AuditId, number: Number):
    return _file(request, audit_id, number, "pdf")


@router.get(
    "/audits/{audit_id}/report/editions/{number}.docx",
    response={409: Message, **UNAUTHORISED, **MISSING, **INVALID},
    summary="An edition's Word file",
    openapi_extra=_file_responses(FORMATS["docx"][1]),
)
def edition_docx(request, audit_id: AuditId, number: Number):
    return _file(request, audit_id, number, "docx")


@router.get(
    "/audits/{audit_id}/report/editions/{number}",
    response={200: EditionDetail, **UNAUTHORISED, **MISSING, **INVALID},
    summary="One published edition, with its figures",
)
def edition_detail(request, audit_id: AuditId, number: Number):
    audit = access.audit_for(request.viewer, audit_id)
    return access.report_edition_for(request.viewer, audit, number)
