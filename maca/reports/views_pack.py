"""The meeting pack: ask for it, watch it being prepared, download it. Coordinators only: the
pack holds every agency's case-level text."""

from django.http import Http404
from django.shortcuts import redirect, render

from maca import access
from maca.downloads import download
from maca.history.access_log import AccessHow, AccessKind, seen

from .models import RenditionKind
from .rendering import rendition_content, rendition_latest, rendition_ready, rendition_request

PACK = RenditionKind.MEETING_PACK


@access.audit_view(access.COORDINATOR, methods=access.GET_ONLY)
def meeting_pack(request, audit):
    latest = rendition_latest(audit, PACK)
    ready = rendition_ready(audit, PACK)
    context = {"audit": audit, "latest": latest, "ready": ready}
    # htmx polls for the state while the pack is being prepared: the fragment only.
    template = "meetings/_pack_status.html" if request.htmx else "meetings/pack.html"
    return render(request, template, context)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def meeting_pack_request(request, audit):
    rendition_request(audit=audit, kind=PACK, by=request.user)
    return redirect("audits:meeting_pack", audit.pk)


@access.audit_view(access.COORDINATOR, methods=access.GET_ONLY)
def meeting_pack_download(request, audit):
    ready = rendition_ready(audit, PACK)
    if ready is None:
        raise Http404("No meeting pack is ready")
    response = download(rendition_content(ready), "application/pdf", ready.filename)
    return seen(
        request, response, AccessKind.MEETING_PACK, audit=audit, obj=ready, how=AccessHow.DOWNLOAD
    )
