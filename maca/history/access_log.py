"""The read access log: who saw which case-level data, when and how. The one place that
records it (decision 29 lists the pages, API reads and commands that call it).

A record holds ids only (partnership, user, audit, case, the object seen) and the kind of
thing seen: never a name, a case reference or any text of the case. Only what was actually
answered is recorded: views pass their response through `seen`, which records a 200 and
nothing else, so a refusal (403, 404) or a failed form (400, 409) leaves no record.
"""

from django.http import HttpResponse

from .models import AccessHow, AccessKind, AccessRecord

__all__ = ["AccessHow", "AccessKind", "record_access", "report_file_seen", "seen"]


def record_access(
    viewer, kind: AccessKind, *, how: AccessHow, audit, case=None, obj=None
) -> AccessRecord:
    """Record that `viewer` (None: a command on the server) saw `kind` of `audit`."""
    return AccessRecord.objects.create(
        partnership_id=audit.partnership_id,
        user=viewer.user if viewer is not None else None,
        role=(viewer.role or "") if viewer is not None else "",
        kind=kind,
        how=how,
        audit_id=audit.pk,
        case_id=case.pk if case is not None else None,
        object_id=str(obj.pk if hasattr(obj, "pk") else obj) if obj is not None else "",
    )


def seen(
    request, response: HttpResponse, kind: AccessKind, *, audit, case=None, obj=None, how=None
) -> HttpResponse:
    """Record the page or file `response` answers, if it answers it (200); returns it."""
    if response.status_code == 200:
        record_access(
            request.viewer,
            kind,
            how=how or AccessHow.VIEW,
            audit=audit,
            case=case,
            obj=obj,
        )
    return response


def report_file_seen(request, response: HttpResponse, *, audit, rendition, edition):
    """A report's file (PDF, Word) is case-level until it is published: a published edition's
    files passed the identifier check and are the board's, so they are not recorded."""
    if edition is not None:
        return response
    return seen(
        request,
        response,
        AccessKind.REPORT_FILE,
        audit=audit,
        obj=rendition,
        how=AccessHow.DOWNLOAD,
    )
