"""Documents rendered in the background: a PDF of fifteen cases takes seconds, too long for a
request. A coordinator asks (`rendition_request`), a task renders (`rendition_render`), the
page shows the state and the download.

Rules enforced here:
- the task is queued once the asking transaction commits, so a rolled-back request renders
  nothing; asking again while one is being prepared returns that one;
- the document is built for the person who asked, through maca.access, so it holds only what
  they may read; someone who is no longer a coordinator gets a failure, not a document;
- a failure is kept with its message (the page shows it), never raised to the worker;
- a document once ready replaces the older ones of its kind for the audit;
- file names say what the document is and which audit, never anything about a child.
"""

import datetime
import logging

from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone

from maca import access
from maca.audits.models import Audit
from maca.errors import DomainError

from .models import Rendition, RenditionKind, RenditionStatus

logger = logging.getLogger(__name__)

# A request still queued after this long is taken to be lost (a worker that died): asking
# again queues a new one.
STALE = datetime.timedelta(minutes=10)


def rendition_request(*, audit: Audit, kind: str, by) -> Rendition:
    """Ask for a document; it is rendered by a task once this transaction commits.

    While one of the same kind is still being prepared, that one is returned instead.
    """
    with transaction.atomic():
        pending = Rendition.objects.filter(
            audit=audit,
            kind=kind,
            status=RenditionStatus.QUEUED,
            requested_at__gte=timezone.now() - STALE,
        ).first()
        if pending is not None:
            return pending
        rendition = Rendition.objects.create(
            partnership_id=audit.partnership_id, audit=audit, kind=kind, requested_by=by
        )
        transaction.on_commit(lambda: _queue(rendition.pk))
    return rendition


def _queue(rendition_id: int) -> None:
    from .tasks import render_task

    render_task.enqueue(rendition_id)


def rendition_render(rendition_id: int) -> Rendition | None:
    """Render a queued document and keep it, or keep why it failed. Safe to run twice: a
    finished rendition is left as it is."""
    rendition = (
        Rendition.objects.select_related("audit__partnership", "requested_by")
        .filter(pk=rendition_id)
        .first()
    )
    if rendition is None or rendition.status != RenditionStatus.QUEUED:
        return rendition
    try:
        content, filename = _render(rendition)
    except Exception as error:  # whatever went wrong, the page says so; the worker goes on
        logger.exception("Rendition %s failed", rendition.pk)
        rendition.status = RenditionStatus.FAILED
        rendition.error = _message(error)
    else:
        rendition.status = RenditionStatus.READY
        rendition.content = content
        rendition.filename = filename
        rendition.error = ""
    rendition.finished_at = timezone.now()
    with transaction.atomic():
        rendition.save(update_fields=["status", "content", "filename", "error", "finished_at"])
        if rendition.status == RenditionStatus.READY:
            Rendition.objects.filter(
                audit_id=rendition.audit_id, kind=rendition.kind, pk__lt=rendition.pk
            ).exclude(status=RenditionStatus.QUEUED).delete()
    return rendition


def _render(rendition: Rendition) -> tuple[bytes, str]:
    audit = rendition.audit
    viewer = access.viewer_as(rendition.requested_by, audit.partnership)
    if not viewer.is_coordinator or audit.partnership_id != viewer.partnership.pk:
        raise DomainError("Only a coordinator of the partnership can have this document made")
    if rendition.kind == RenditionKind.MEETING_PACK:
        from .meeting_pack import meeting_pack_pdf

        return meeting_pack_pdf(viewer, audit), f"meeting-pack-{audit.pk}.pdf"
    raise DomainError(f"{rendition.get_kind_display()} cannot be made yet")


def _message(error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def rendition_latest(audit: Audit, kind: str) -> Rendition | None:
    """The newest rendition of a kind for an audit, whatever its state (its bytes unread;
    `size` counts them)."""
    return _without_content(audit, kind).first()


def rendition_ready(audit: Audit, kind: str) -> Rendition | None:
    """The newest finished document of a kind for an audit (without its bytes)."""
    return _without_content(audit, kind).filter(status=RenditionStatus.READY).first()


def _without_content(audit: Audit, kind: str):
    return (
        Rendition.objects.filter(audit=audit, kind=kind)
        .select_related("requested_by")
        .defer("content")
        .annotate(size=Length("content"))
        .order_by("-requested_at", "-id")
    )
