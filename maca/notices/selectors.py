"""Reading the outbox: what was sent to whom, and what reached nobody. Always starting from
the viewer's scope (`maca.access.notices_for`)."""

from django.core.paginator import Page, Paginator
from django.db.models import Count

from maca import access
from maca.audits.models import Audit

from .models import Notice, NoticeKind, NoticeStatus, in_status

# The e-mails an agency gets about the returns it owes, as the tracking page says them.
ABOUT_RETURNS: dict[str, str] = {
    NoticeKind.REQUESTS_SENT: "Requests sent",
    NoticeKind.CHASE: "Chased",
    NoticeKind.REMINDER_DUE_SOON: "Reminded",
    NoticeKind.REMINDER_OVERDUE: "Reminded (overdue)",
}
# What the outbox can be narrowed to, in the order its filter offers them.
OUTBOX_FILTERS = [NoticeStatus.NOBODY, NoticeStatus.NOT_DELIVERED, NoticeStatus.SENT]
PER_PAGE = 50


def last_returns_notices(viewer: access.Viewer, audit: Audit) -> dict[int, Notice]:
    """Per agency of the audit, the latest e-mail about its returns (the requests, a chase or
    a reminder): when it went and whom it reached. One query."""
    notices = (
        access.notices_for(viewer)
        .filter(audit=audit, kind__in=ABOUT_RETURNS)
        .order_by("-created_at", "-id")
        .only(
            "agency_id", "kind", "created_at", "sent_at", "recipients", "failed_at", "undelivered"
        )
    )
    latest: dict[int, Notice] = {}
    for notice in notices:
        if notice.agency_id is not None:  # each is to an agency
            latest.setdefault(notice.agency_id, notice)
    return latest


def last_notice(viewer: access.Viewer, audit: Audit, kind: str) -> Notice | None:
    """The latest notice of a kind about an audit: what a page says once it is written."""
    return access.notices_for(viewer).filter(audit=audit, kind=kind).order_by("-id").first()


def outbox_page(viewer: access.Viewer, status: str | None, number: int | str | None) -> Page:
    """A page of the partnership's notices, newest first, narrowed to one status if given."""
    notices = access.notices_for(viewer).select_related("audit", "agency", "person")
    if status in OUTBOX_FILTERS:
        notices = notices.filter(in_status(status))
    return Paginator(notices.order_by("-created_at", "-id"), PER_PAGE).get_page(number)


def outbox_counts(viewer: access.Viewer) -> dict[str, int]:
    """How many of the partnership's notices are in each of `OUTBOX_FILTERS`. One query."""
    return access.notices_for(viewer).aggregate(
        **{status.value: Count("pk", filter=in_status(status)) for status in OUTBOX_FILTERS}
    )
