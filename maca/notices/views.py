"""The coordinators' outbox: every e-mail maca decided to send, and whom it reached."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from maca import access

from .selectors import OUTBOX_FILTERS, outbox_counts, outbox_page
from .services import addressed_to


@access.allow(access.COORDINATOR)
@require_GET
def outbox(request):
    status = request.GET.get("status")
    status = status if status in OUTBOX_FILTERS else None
    page = outbox_page(request.viewer, status, request.GET.get("page"))
    counts = outbox_counts(request.viewer)
    context = {
        "page": page,
        "rows": [(notice, addressed_to(notice)) for notice in page],
        "status": status,
        "filters": [(choice, choice.label, counts[choice.value]) for choice in OUTBOX_FILTERS],
        "query": f"status={status}&" if status else "",
    }
    return render(request, "notices/outbox.html", context)
