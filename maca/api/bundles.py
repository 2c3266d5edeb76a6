"""Audit bundles (docs/bundle-format.md, JSON Schema at docs/bundle.schema.json): exporting an
audit as `maca export-bundle` writes it, and importing one into the token's own partnership as
`maca import-bundle` does. Coordinators only: to anyone else, not found.

An import is read within maca's limits for a bundle (maca/uploads/limits.py: its size, how
deep it nests, how many values it holds), then checked whole before anything is written; every
problem is named by its JSON path (`["body", "cases", 3, "returns", 1, "grade"]`) and nothing is
written.
"""

import re
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from maca import access
from maca.bundles.services import DuplicateAudit, bundle_export, bundle_import
from maca.bundles.validation import BundleError, InvalidBundle, validate_bundle
from maca.history.access_log import AccessHow, AccessKind, record_access
from maca.uploads.jsondata import JsonRefused, json_read
from maca.uploads.limits import (
    BUNDLE_MAX_BYTES,
    BUNDLE_MAX_DEPTH,
    BUNDLE_MAX_VALUES,
    PROBLEMS_LISTED,
    size_words,
)
from maca.uploads.problems import and_more

from .audits import AuditId
from .schemas import INVALID, MISSING, REFUSED, UNAUTHORISED

router = Router(tags=["bundles"])

VIA = "api"
BUNDLE = "An audit bundle, `maca-audit-bundle/1`: see docs/bundle-format.md and its JSON Schema"
# The CLI's advice, as the API takes it.
CLI_REPLACE = "Use --replace to replace it."
API_REPLACE = "Send it again with ?replace=true to replace it."


# The body is read by the operation itself, within a bundle's limits (larger than Django's for
# any other request), and checked whole by the bundle's own JSON Schema and rules, not by this
# document.
BUNDLE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"type": "object", "additionalProperties": True, "description": BUNDLE}
        }
    },
}


class ImportOptions(Schema):
    replace: bool = Field(
        False,
        description="Replace an audit of the same title in the partnership (in one transaction)",
    )


class Imported(Schema):
    id: int = Field(description="The audit's id, as the other operations take it")
    title: str
    cases: int


def _coordinator(viewer) -> None:
    if not access.may_coordinate(viewer):
        raise Http404("No bundles for this viewer")


def _loc(error: BundleError) -> list[str | int]:
    """`cases[3].returns[1].grade` as ["body", "cases", 3, "returns", 1, "grade"]; a missing
    field by its own path, not its parent's."""
    parts: list[str | int] = ["body"]
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", error.path):
        parts.append(int(index) if index else name)
    if missing := re.fullmatch(r"'([^']+)' is a required property", error.message):
        parts.append(missing[1])
    return parts


def _refused(errors: list[BundleError]):
    """400 naming the first problems by their paths, then how many more there are."""
    detail = [{"loc": _loc(e), "msg": e.message} for e in errors[:PROBLEMS_LISTED]]
    if len(errors) > PROBLEMS_LISTED:
        detail.append({"loc": ["body"], "msg": and_more(len(errors) - PROBLEMS_LISTED)})
    return Status(400, {"detail": detail})


@router.get(
    "/audits/{audit_id}/bundle",
    response={200: dict[str, Any], **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit as a bundle",
    openapi_extra={"responses": {200: {"description": BUNDLE}}},
)
def bundle_detail(request, audit_id: AuditId):
    """The same JSON as `maca export-bundle AUDIT`: importing it elsewhere gives the audit
    back."""
    _coordinator(request.viewer)
    audit = access.audit_for(request.viewer, audit_id)
    bundle = bundle_export(audit)
    record_access(request.viewer, AccessKind.BUNDLE, how=AccessHow.API, audit=audit)
    return bundle


IMPORT = f"""Import a bundle into the token's partnership (the bundle's `partnership` must name
it), as `maca import-bundle` does: its areas, agencies and library themes are reused by name or
added. An audit of the same title is refused unless `replace`. All or nothing.

A bundle is at most {size_words(BUNDLE_MAX_BYTES)}, nests at most {BUNDLE_MAX_DEPTH} deep and
holds at most {BUNDLE_MAX_VALUES:,} values; a refusal names the first {PROBLEMS_LISTED} problems,
then how many more."""


@router.post(
    "/bundles",
    response={201: Imported, **REFUSED, **UNAUTHORISED, **MISSING, **INVALID},
    summary="Import an audit bundle",
    description=IMPORT,
    openapi_extra={
        "requestBody": BUNDLE_BODY,
        "responses": {
            201: {
                "description": "Imported",
                "headers": {"Location": {"description": "The audit", "schema": {"type": "string"}}},
            }
        },
    },
)
def bundle_create(request, response: HttpResponse, options: Query[ImportOptions]):
    """IMPORT, above."""
    viewer = request.viewer
    _coordinator(viewer)
    try:
        # A byte past the limit is enough to say it is too large; the rest is never read.
        data = json_read(request.read(BUNDLE_MAX_BYTES + 1))
    except JsonRefused as refused:
        return _refused([BundleError("", refused.message)])
    if not isinstance(data, dict):
        return _refused([BundleError("", "The bundle is not a JSON object: send one {…}")])
    own = viewer.partnership.name
    if data.get("partnership") != own:
        # Named with whatever else is wrong: nothing is written.
        wrong = BundleError("partnership", f"Import into this token's own partnership: {own!r}")
        others = [error for error in validate_bundle(data) if error.path != "partnership"]
        return _refused([wrong, *others])
    try:
        audit = bundle_import(data=data, by=request.auth_user, replace=options.replace, via=VIA)
    except DuplicateAudit as duplicate:
        reworded = [e.message.replace(CLI_REPLACE, API_REPLACE) for e in duplicate.errors]
        return _refused(
            [BundleError(e.path, m) for e, m in zip(duplicate.errors, reworded, strict=True)]
        )
    except InvalidBundle as invalid:
        return _refused(invalid.errors)
    response["Location"] = reverse("api-v1:audit_detail", args=[audit.pk])
    return Status(201, {"id": audit.pk, "title": audit.title, "cases": audit.cases.count()})
