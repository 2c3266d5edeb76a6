"""The report's files: ask for a PDF or Word file, watch it being made, download it.

The report as it stands is for coordinators; a published edition for everyone who may read it.
Files are made by a background task (a PDF takes seconds); the JSON summary is immediate.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from maca import access
from maca.downloads import download
from maca.history.access_log import report_file_seen

from .models import RenditionKind
from .rendering import rendition_content, rendition_latest, rendition_ready, rendition_request

FORMATS = {
    "pdf": (RenditionKind.REPORT_PDF, "application/pdf"),
    "docx": (
        RenditionKind.REPORT_DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def _edition(request, audit, number: int | None):
    """The edition (None: the report as it stands, coordinators only)."""
    if number is None:
        if not access.may_manage_audit(request.viewer, audit):
            raise Http404("No such report")
        return None
    return access.report_edition_for(request.viewer, audit, number)


def files_status(audit, edition, digest: str | None = None) -> list[dict]:
    """For each format: the newest file asked for and the newest ready one."""
    rows = []
    for extension, (kind, _) in FORMATS.items():
        latest = rendition_latest(audit, kind, edition)
        ready = rendition_ready(audit, kind, edition)
        rows.append(
            {
                "format": extension,
                "label": "PDF" if extension == "pdf" else "Word",
                "latest": latest,
                "ready": ready,
                # A draft's file made before the last change no longer matches it.
                "out_of_date": bool(ready and digest and ready.digest != digest),
            }
        )
    return rows


def _page(audit, edition) -> str:
    if edition is None:
        return reverse("audits:report", args=[audit.pk])
    return reverse("audits:report_edition", args=[audit.pk, edition.number])


@access.audit_view(*access.ANY_MEMBER, methods=("GET", "POST"))
def report_files(request, audit, number: int | None = None):
    """GET: the files' state (the fragment htmx polls); POST: ask for a file."""
    edition = _edition(request, audit, number)
    if request.method == "POST":
        extension = request.POST.get("format", "")
        if extension not in FORMATS:
            return HttpResponse("Choose PDF or Word.", status=400, content_type="text/plain")
        rendition_request(audit=audit, kind=FORMATS[extension][0], by=request.user, edition=edition)
        return redirect(_page(audit, edition) + "#files")
    if not request.htmx:
        return redirect(_page(audit, edition) + "#files")
    digest = request.GET.get("digest") if edition is None else None
    context = {
        "audit": audit,
        "edition": edition,
        "digest": digest,
        "files": files_status(audit, edition, digest),
        "may_make": access.may_manage_audit(request.viewer, audit),
    }
    return render(request, "reports/_files.html", context)


@access.audit_view(*access.ANY_MEMBER, methods=access.GET_ONLY)
def report_file(request, audit, file_format: str, number: int | None = None):
    edition = _edition(request, audit, number)
    kind, content_type = FORMATS[file_format]
    ready = rendition_ready(audit, kind, edition)
    if ready is None:
        raise Http404("No file is ready")
    response = download(rendition_content(ready), content_type, ready.filename)
    return report_file_seen(request, response, audit=audit, rendition=ready, edition=edition)


@access.audit_view(*access.ANY_MEMBER, methods=access.GET_ONLY)
def edition_json(request, audit, number: int):
    """The figures of a published edition, as they were published."""
    edition = _edition(request, audit, number)
    return JsonResponse(edition.document["summary"], json_dumps_params={"indent": 2})
