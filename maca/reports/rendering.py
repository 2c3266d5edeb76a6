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
- file names say what the document is and which audit, never anything about a child;
- each agency's feedback pack on a published edition (PDF and Word) is asked for when the
  edition is published, made for its agency only, and the agency's people are e-mailed once,
  when both its files are ready.
"""

import datetime
import logging

from django.db import transaction
from django.db.models.functions import Length
from django.tasks import task
from django.utils import timezone
from django.utils.text import slugify

from maca import access, access_rls
from maca.audits.models import Audit
from maca.errors import DomainError
from maca.notices.models import Notice, NoticeKind
from maca.notices.services import notice_send
from maca.partnerships.models import Agency

from .document import Edition, report_document
from .models import Rendition, RenditionKind, RenditionStatus, ReportEdition
from .selectors import edition_of, edition_published, report_state

logger = logging.getLogger(__name__)

# A request still queued after this long is taken to be lost (a worker that died): asking
# again queues a new one.
STALE = datetime.timedelta(minutes=10)


def rendition_request(
    *, audit: Audit, kind: str, by, edition: ReportEdition | None = None, agency=None
) -> Rendition:
    """Ask for a document (of a published edition, for `edition`; an agency's feedback pack on
    it, for `agency` too); it is rendered by a task once this transaction commits.

    While one of the same kind is still being prepared, that one is returned instead.
    """
    with transaction.atomic():
        pending = Rendition.objects.filter(
            audit=audit,
            kind=kind,
            edition=edition,
            agency=agency,
            status=RenditionStatus.QUEUED,
            requested_at__gte=timezone.now() - STALE,
        ).first()
        if pending is not None:
            return pending
        rendition = Rendition.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            kind=kind,
            edition=edition,
            agency=agency,
            requested_by=by,
        )
        transaction.on_commit(lambda: _queue(rendition.pk, rendition.partnership_id))
    return rendition


def _queue(rendition_id: int, partnership_id: int) -> None:
    render_task.enqueue(rendition_id, partnership_id)


FEEDBACK_KINDS = (RenditionKind.FEEDBACK_PDF, RenditionKind.FEEDBACK_DOCX)


def feedback_packs_request(*, audit: Audit, edition: ReportEdition, by) -> list[Rendition]:
    """Ask for every involved agency's feedback pack on a published edition, as PDF and Word
    (made for `by`, a coordinator, who may read every agency's)."""
    viewer = access.viewer_as(by, audit.partnership)
    return [
        rendition_request(audit=audit, kind=kind, by=by, edition=edition, agency=agency)
        for agency in access.feedback_agencies_for(viewer, audit)
        for kind in FEEDBACK_KINDS
    ]


def rendition_render(rendition_id: int) -> Rendition | None:
    """Render a queued document and keep it, or keep why it failed. Safe to run twice: a
    finished rendition is left as it is."""
    rendition = (
        Rendition.objects.select_related("audit__partnership", "requested_by", "agency")
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
        rendition.save(
            update_fields=["status", "content", "filename", "digest", "error", "finished_at"]
        )
        if rendition.status == RenditionStatus.READY:
            Rendition.objects.filter(
                audit_id=rendition.audit_id,
                kind=rendition.kind,
                edition_id=rendition.edition_id,
                agency_id=rendition.agency_id,
                pk__lt=rendition.pk,
            ).exclude(status=RenditionStatus.QUEUED).delete()
    if rendition.status == RenditionStatus.READY and rendition.kind in FEEDBACK_KINDS:
        feedback_ready_tell(rendition)
    return rendition


def feedback_packs_remake(*, audit: Audit, by) -> list[Rendition]:
    """Make every involved agency's feedback pack again, on the latest published edition: for
    an edition published before packs were made, or a pack that failed. Each replaces the
    older once made; the agencies already told it was ready are not told again."""
    viewer = access.viewer_as(by, audit.partnership)
    if not access.may_manage_audit(viewer, audit):
        raise DomainError("Only a coordinator of the partnership can have the packs made")
    edition = access.report_editions_for(viewer, audit).order_by("-number").first()
    if edition is None:
        raise DomainError(
            "The report is not published yet: the packs are made when it is published."
        )
    return feedback_packs_request(audit=audit, edition=edition, by=by)


def feedback_ready_tell(rendition: Rendition) -> Notice | None:
    """E-mail the agency's people that its feedback pack is ready: once per edition, when the
    last of its files is made. The agency's row is locked while this is decided, so two files
    finishing at once cannot both tell (nor neither)."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=rendition.agency_id)
        edition = ReportEdition.objects.defer("document").get(pk=rendition.edition_id)
        made = set(
            Rendition.objects.filter(
                edition=edition, agency=agency, status=RenditionStatus.READY
            ).values_list("kind", flat=True)
        )
        told = Notice.objects.filter(
            audit_id=rendition.audit_id,
            agency=agency,
            kind=NoticeKind.FEEDBACK_READY,
            created_at__gte=edition.published_at,
        ).exists()
        if told or not made.issuperset(FEEDBACK_KINDS):
            return None
        return notice_send(
            kind=NoticeKind.FEEDBACK_READY,
            audit=rendition.audit,
            agency=agency,
            by=rendition.requested_by,
        )


def _render(rendition: Rendition) -> tuple[bytes, str]:
    audit = rendition.audit
    viewer = access.viewer_as(rendition.requested_by, audit.partnership)
    if rendition.kind == RenditionKind.MEETING_PACK:
        if not access.may_manage_audit(viewer, audit):
            raise DomainError("Only a coordinator of the partnership can have this document made")
        from .meeting_pack import meeting_pack_pdf

        return meeting_pack_pdf(viewer, audit), f"meeting-pack-{audit.pk}.pdf"
    if rendition.kind in FEEDBACK_KINDS:
        return _feedback(viewer, rendition)
    document, edition = _report_for(viewer, rendition)
    if rendition.kind == RenditionKind.REPORT_PDF:
        from .printing import report_pdf

        return report_pdf(document, edition), report_filename(audit, edition, "pdf")
    if rendition.kind == RenditionKind.REPORT_DOCX:
        from .word import report_docx

        return report_docx(document, edition), report_filename(audit, edition, "docx")
    raise DomainError(f"{rendition.get_kind_display()} cannot be made")


def _report_for(viewer: access.Viewer, rendition: Rendition) -> tuple[dict, Edition]:
    """The report a file is made of: a published edition as it was published (for whoever
    may read it), or the report as it stands (for a coordinator)."""
    audit = rendition.audit
    if rendition.edition_id:
        edition = access.report_editions_for(viewer, audit).filter(pk=rendition.edition_id).first()
        if edition is None:
            raise DomainError("You can no longer read this edition of the report")
        rendition.digest = edition.digest
        return edition.document, edition_published(edition)
    if not access.may_manage_audit(viewer, audit):
        raise DomainError("Only a coordinator of the partnership can have the draft made")
    document = report_document(audit)
    state = report_state(audit, document)
    rendition.digest = state.digest
    return document, edition_of(state)


def _feedback(viewer: access.Viewer, rendition: Rendition) -> tuple[bytes, str]:
    """An agency's feedback pack on a published edition, built for whoever asked."""
    from .feedback import feedback_document
    from .feedback_files import feedback_docx, feedback_pdf

    audit, agency = rendition.audit, rendition.agency
    edition = access.report_editions_for(viewer, audit).filter(pk=rendition.edition_id).first()
    if edition is None or agency is None:
        raise DomainError("The feedback pack needs a published edition and an agency")
    document = feedback_document(viewer, audit, agency, edition)
    rendition.digest = edition.digest
    published = edition_published(edition)
    name = f"feedback-{slugify(agency.name) or 'agency'}-audit-{audit.pk}-{published.slug}"
    if rendition.kind == RenditionKind.FEEDBACK_PDF:
        return feedback_pdf(document), f"{name}.pdf"
    return feedback_docx(document, published.date), f"{name}.docx"


def report_filename(audit: Audit, edition: Edition, extension: str) -> str:
    """Says which audit and which edition; never anything about a child."""
    return f"report-audit-{audit.pk}-{edition.slug}.{extension}"


def _message(error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def rendition_content(rendition: Rendition) -> bytes:
    """The bytes of a finished document (the listings above leave them unread)."""
    return bytes(Rendition.objects.values_list("content", flat=True).get(pk=rendition.pk))


def rendition_latest(audit: Audit, kind: str, edition=None, agency=None) -> Rendition | None:
    """The newest rendition of a kind for an audit (and edition, and agency), whatever its
    state (its bytes unread; `size` counts them)."""
    return _without_content(audit, kind, edition, agency).first()


def rendition_ready(audit: Audit, kind: str, edition=None, agency=None) -> Rendition | None:
    """The newest finished document of a kind for an audit (and edition, and agency), without
    its bytes."""
    return (
        _without_content(audit, kind, edition, agency).filter(status=RenditionStatus.READY).first()
    )


def _without_content(audit: Audit, kind: str, edition, agency):
    return (
        Rendition.objects.filter(audit=audit, kind=kind, edition=edition, agency=agency)
        .select_related("requested_by")
        .defer("content")
        .annotate(size=Length("content"))
        .order_by("-requested_at", "-id")
    )


# Here rather than in a tasks module: the rendering queues it and it runs the rendering.
@task
def render_task(rendition_id: int, partnership_id: int) -> str | None:
    """Render one queued document (see `rendition_render`), in the rows of its audit's
    partnership. Returns its state."""
    with access_rls.working_in(partnership_id):
        rendition = rendition_render(rendition_id)
    return rendition.status if rendition else None
