"""Actions: every one in the partnership for a coordinator, their own agency's for an agency
user, none for a board member (`access.actions_for`); and recording progress on one."""

import datetime
from typing import Annotated, TypeAlias

from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from maca import access
from maca.actions import services
from maca.actions.models import ActionStatus

from .schemas import (
    INVALID,
    MAX_ID,
    MISSING,
    NO_NUL,
    UNAUTHORISED,
    FieldErrors,
    Pages,
    Ref,
)

router = Router(tags=["actions"])

# A `TypeAlias`, not a `type` statement: django-ninja reads the `Path` from the parameter's
# `Annotated`, which a `type` alias would hide.
ActionId: TypeAlias = Annotated[int, Path(ge=1, le=MAX_ID, description="The action's id")]  # noqa: UP040


class ActionOut(Schema):
    id: int
    audit_id: int
    agency: Ref
    owner: str
    description: str
    due: datetime.date
    status: ActionStatus
    immediate: bool
    version: int = Field(description="Send it back with a change: a stale one answers 409")


class ProgressIn(Schema):
    note: str = Field(pattern=NO_NUL, description="What has been done since the last update")
    status: ActionStatus = Field(description="The status the action is left in")
    impact: str = Field(
        "", pattern=NO_NUL, description="The evidence of what changed: needed to complete"
    )
    version: int = Field(ge=0, le=2**31 - 1, description="The action's version you started from")


class Conflict(Schema):
    detail: str
    current: ActionOut = Field(description="The action as it is now, with its current version")


def _actions(viewer):
    return access.actions_for(viewer).select_related("agency")


@router.get(
    "/actions",
    response={200: list[ActionOut], **UNAUTHORISED, **INVALID},
    summary="The actions you may see",
)
@paginate(Pages)
def action_list(request):
    """Soonest due first."""
    return _actions(request.viewer).order_by("due", "audit_id", "position", "pk")


@router.get(
    "/actions/{action_id}",
    response={200: ActionOut, **UNAUTHORISED, **MISSING, **INVALID},
    summary="One action",
)
def action_detail(request, action_id: ActionId):
    return access.action_for(request.viewer, action_id)


@router.post(
    "/actions/{action_id}/progress",
    response={
        200: ActionOut,
        400: FieldErrors,
        **UNAUTHORISED,
        **MISSING,
        409: Conflict,
        **INVALID,
    },
    summary="Record progress on an action",
)
def action_progress(request, action_id: ActionId, progress: ProgressIn):
    """Record progress: a note and the status it leaves the action in (completing needs the
    `impact`). Answers the action as it now is, with its new `version`."""
    action = access.action_for(request.viewer, action_id)
    try:
        services.action_progress(
            action=action, by=request.auth_user, via="api", **progress.model_dump()
        )
    except services.ActionConflict as conflict:
        return Status(409, {"detail": conflict.message, "current": conflict.current})
    return access.action_for(request.viewer, action_id)
