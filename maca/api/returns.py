"""A request's return: reading it (coordinators, and the agency's own users), saving the draft,
asking for sign-off and submitting it (the agency's own auditors and leads only), through the
same services and rules as the return's page (`maca.returns.services`).

A save names the version it started from (null for a return not yet begun): an older one
answers 409 with the return as it now is. A rule that refuses the change answers 400 naming
each field (`["body", "answers", "q1"]` in a save; `["return", "grade"]`, a field of the saved
return, when a submission finds it missing). Every change is recorded with `via` "api".
"""

import datetime
from typing import Annotated

from django.db import transaction
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from maca import access
from maca.audits.models import RequestStatus
from maca.grades import Grade
from maca.history.access_log import AccessHow, AccessKind, record_access
from maca.returns import selectors, services

from .requests import STATUS, RequestId, record_number_for
from .schemas import (
    FORBIDDEN,
    INVALID,
    MISSING,
    NO_NUL,
    REFUSED,
    UNAUTHORISED,
    FieldError,
)

router = Router(tags=["returns"])

VIA = "api"
MAX_VERSION = 2**31 - 1
Text = Annotated[str, Field(pattern=NO_NUL)]


class ReturnOut(Schema):
    request_id: int
    status: RequestStatus = Field(description=f"The request's: {STATUS}")
    version: int | None = Field(
        description="Send it back with a save or a submission: a stale one answers 409. Null "
        "until the return is begun."
    )
    answers: dict[str, str] = Field(description="The answers, by question key")
    grade: Grade | None = Field(description="The agency's grade of its own involvement")
    grade_reason: str = Field(description="Why it is not scored")
    good_practice: str
    areas_for_development: str
    learning: str = Field(description="Single-agency learning")
    immediate_action: bool = Field(description="Immediate action required")
    immediate_action_description: str
    immediate_action_handled_at: datetime.datetime | None
    agency_record_number: str | None = Field(
        description="The agency's own record number for the case: to its own users only"
    )
    updated_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    sign_off_requested_at: datetime.datetime | None
    signed_off_at: datetime.datetime | None
    clarification: str = Field(description="Why the coordinator returned it for clarification")
    closed: str | None = Field(
        description="Why the return cannot change now (null while it can, if not submitted)"
    )


class SavedReturn(ReturnOut):
    warnings: list[FieldError] = Field(
        description="What the draft holds back until it is complete: a grade of not scored "
        "until its reason is given, an immediate action until it is described"
    )


class ReturnIn(Schema):
    """The whole draft: a field left out is saved empty (the record number is kept unless
    sent)."""

    answers: dict[str, Text] = Field(
        default_factory=dict,
        description="Answers by question key; `yes_no_partly` questions take yes, no or partly, "
        "`grade` questions a grade, `choice` questions one of their options as written, `scale` "
        "questions 1 to 5, `date` questions YYYY-MM-DD; not_applicable where the question "
        "allows it. Keys the audit's tool does not have are ignored.",
    )
    grade: Grade | None = None
    grade_reason: str = Field("", pattern=NO_NUL, description="Needed with not_scored")
    good_practice: str = Field("", pattern=NO_NUL)
    areas_for_development: str = Field("", pattern=NO_NUL)
    learning: str = Field("", pattern=NO_NUL)
    immediate_action: bool = False
    immediate_action_description: str = Field(
        "", pattern=NO_NUL, description="Needed with immediate_action: it is escalated at once"
    )
    agency_record_number: str | None = Field(None, max_length=64, pattern=NO_NUL)
    version: int | None = Field(
        ge=0, le=MAX_VERSION, description="The version you started from; null to begin a return"
    )


class VersionIn(Schema):
    version: int = Field(ge=0, le=MAX_VERSION, description="The return's version you read")


class Change(Schema):
    what: str = Field(description="The question or field")
    now: str = Field(description="What it holds now")


class ReturnConflict(Schema):
    detail: str
    current: ReturnOut = Field(description="The return as it is now, with its current version")
    changes: list[Change] = Field(description="What differs from the version you sent")


WRITES = {
    **REFUSED,
    **UNAUTHORISED,
    **FORBIDDEN,
    **MISSING,
    409: ReturnConflict,
    **INVALID,
}


def return_out(viewer, agency_request) -> dict:
    return_ = services.return_of(agency_request)
    out = {
        "request_id": agency_request.pk,
        "status": agency_request.status,
        "version": None,
        "answers": {},
        "grade": None,
        "agency_record_number": record_number_for(viewer, agency_request),
        "closed": services.may_change(agency_request),
    }
    if return_ is None:
        return dict.fromkeys(services.CONTENT, "") | _times(None) | {"clarification": ""} | out
    return out | {
        "version": return_.version,
        "answers": return_.answers,
        **{name: getattr(return_, name) for name in services.CONTENT},
        "grade": return_.grade or None,
        "clarification": return_.clarification,
        **_times(return_),
    }


def _times(return_) -> dict:
    names = [
        "immediate_action_handled_at",
        "updated_at",
        "submitted_at",
        "sign_off_requested_at",
        "signed_off_at",
    ]
    return {name: getattr(return_, name, None) for name in names} | {
        "immediate_action": bool(return_ and return_.immediate_action)
    }


def _loc(where: str, name: str) -> list[str]:
    """A form field's name as the API names it: `answer_q1` is ["body", "answers", "q1"]."""
    if name.startswith("answer_"):
        return [where, "answers", name.removeprefix("answer_")]
    return [where, name]


def _refused(where: str, problems: dict[str, str]):
    return Status(
        400, {"detail": [{"loc": _loc(where, name), "msg": msg} for name, msg in problems.items()]}
    )


def _conflict(viewer, agency_request, message: str, started_from: int | None):
    agency_request = access.request_for(viewer, agency_request.pk)  # as it is now
    current = services.return_of(agency_request)
    changes = selectors.changes_since(current, started_from) if current else []
    return Status(
        409,
        {
            "detail": message,
            "current": return_out(viewer, agency_request),
            "changes": [{"what": what, "now": now} for what, now in changes],
        },
    )


def _writable(viewer, request_id: int):
    """The request, for its own agency's users; read-only to a coordinator (403)."""
    agency_request = access.request_for(viewer, request_id)
    if not access.may_edit_return(viewer, agency_request):
        raise HttpError(403, f"Only {agency_request.agency.name}'s own users write its return")
    return agency_request


@router.get(
    "/requests/{request_id}/return",
    response={200: ReturnOut, **UNAUTHORISED, **MISSING, **INVALID},
    summary="A request's return",
)
def return_detail(request, request_id: RequestId):
    """The return as it stands, draft or submitted (blank, with `version` null, until it is
    begun)."""
    agency_request = access.request_for(request.viewer, request_id)
    out = return_out(request.viewer, agency_request)
    record_access(
        request.viewer,
        AccessKind.RETURN,
        how=AccessHow.API,
        audit=agency_request.audit,
        case=agency_request.case,
        obj=agency_request,
    )
    return out


@router.put(
    "/requests/{request_id}/return",
    response={200: SavedReturn, **WRITES},
    summary="Save a return's draft",
)
def return_save(request, request_id: RequestId, draft: ReturnIn):
    """Save the draft, as the page's "Save draft" does: while the audit collects returns and
    the case is not ratified, until it is submitted. Answers the return as it now is, with its
    new `version` and anything held back (`warnings`)."""
    viewer = request.viewer
    agency_request = _writable(viewer, request_id)
    if draft.version is not None and services.return_of(agency_request) is None:
        message = "This return has not been begun: send `version` null to begin it."
        return _conflict(viewer, agency_request, message, None)
    content = services.ReturnContent(
        answers=draft.answers,
        grade=draft.grade.value if draft.grade else "",
        **{name: getattr(draft, name) for name in services.CONTENT if name != "grade"},
        agency_record_number=(
            agency_request.agency_record_number
            if draft.agency_record_number is None
            else draft.agency_record_number
        ),
    )
    try:
        saved = services.return_save(
            agency_request=agency_request,
            by=request.auth_user,
            content=content,
            version=draft.version,
            via=VIA,
        )
    except services.ReturnConflict as conflict:
        return _conflict(viewer, agency_request, conflict.message, conflict.started_from)
    except services.ReturnIncomplete as error:
        return _refused("body", error.errors)
    warnings = [{"loc": _loc("body", name), "msg": msg} for name, msg in saved.warnings.items()]
    return return_out(viewer, access.request_for(viewer, request_id)) | {"warnings": warnings}


def _step(request, request_id: int, sent: VersionIn, step):
    """Submit, or ask for sign-off: the return as it was read (`version`), complete."""
    viewer = request.viewer
    with transaction.atomic():
        agency_request = _writable(viewer, request_id)
        # Held until the step is taken: nobody saves in between.
        access.requests_for(viewer).select_for_update(of=("self",)).get(pk=agency_request.pk)
        current = services.return_of(agency_request)
        if current is not None and current.version != sent.version:
            message = (
                "Someone saved this return after the version you sent, so it was not "
                "submitted. Check it as it is now, then send its current version."
            )
            return _conflict(viewer, agency_request, message, sent.version)
        try:
            step(agency_request=agency_request, by=request.auth_user, via=VIA)
        except services.ReturnIncomplete as error:
            return _refused("return", error.errors)
    return return_out(viewer, access.request_for(viewer, request_id))


@router.post(
    "/requests/{request_id}/return/submit",
    response={200: ReturnOut, **WRITES},
    summary="Submit a return",
)
def return_submit(request, request_id: RequestId, sent: VersionIn):
    """Submit the saved return, as the page's "Submit" does: every question answered, a grade
    (a reason when not scored), the three narratives, and a description when immediate action
    is flagged; each missing field is named. Where the agency signs off its returns, only its
    lead submits (and so signs it off); an auditor asks for sign-off instead."""
    return _step(request, request_id, sent, services.return_submit)


@router.post(
    "/requests/{request_id}/return/sign-off-request",
    response={200: ReturnOut, **WRITES},
    summary="Ask the agency lead to sign a return off",
)
def return_sign_off_request(request, request_id: RequestId, sent: VersionIn):
    """For an agency that signs off its returns: the auditor asks its lead to approve the
    complete return (the lead is e-mailed), as the page's "Send to sign off" does."""
    return _step(request, request_id, sent, services.return_request_sign_off)
