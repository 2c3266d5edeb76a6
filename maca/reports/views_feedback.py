"""Each agency's feedback pack: the page listing the packs (every agency's, for the
coordinators; their own agency's, for an agency's people) and their PDF and Word files. Never
for board members, never another agency's (`access.feedback_agencies_for`)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from maca import access
from maca.downloads import download
from maca.errors import DomainError
from maca.history.access_log import AccessHow, AccessKind, seen

from .feedback import FORMATS, feedback_packs, latest_edition
from .rendering import feedback_packs_remake, rendition_content, rendition_ready

FOR = (access.COORDINATOR, *access.AGENCY_ROLES)


@access.audit_view(*FOR, methods=access.READ)
def feedback(request, audit):
    edition = latest_edition(request.viewer, audit)
    context = {
        "audit": audit,
        "edition": edition,
        "packs": feedback_packs(request.viewer, audit, edition),
    }
    return render(request, "reports/feedback.html", context)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def feedback_prepare(request, audit):
    try:
        made = feedback_packs_remake(audit=audit, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        agencies = len({rendition.agency_id for rendition in made})
        messages.success(
            request, f"Being made again: {agencies} {'agency' if agencies == 1 else 'agencies'}."
        )
    return redirect("audits:feedback", audit.pk)


@access.audit_view(*FOR, methods=access.GET_ONLY)
def feedback_file(request, audit, agency_id: int, file_format: str):
    agency = access.feedback_agency_for(request.viewer, audit, agency_id)
    edition = latest_edition(request.viewer, audit)
    _, kind, content_type = FORMATS[file_format]
    ready = rendition_ready(audit, kind, edition, agency) if edition else None
    if ready is None:
        raise Http404("No feedback pack is ready")
    response = download(rendition_content(ready), content_type, ready.filename)
    return seen(
        request, response, AccessKind.FEEDBACK_PACK, audit=audit, obj=ready, how=AccessHow.DOWNLOAD
    )
