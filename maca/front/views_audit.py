from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from maca import access
from maca.audits.forms import LegalHoldForm
from maca.audits.selectors import case_rows_for
from maca.front.audit_tasks import audit_tasks
from maca.history.access_log import AccessKind, seen
from maca.history.describing import described
from maca.reports.summary import report_summary
from maca.retention.services import retention_ends
from maca.returns.flags import flags_for


@access.audit_view(*access.ANY_MEMBER)
def audit_detail(request, audit):
    return detail_page(request, audit)


def detail_page(request, audit, *, hold_form=None, status=200):
    viewer = request.viewer
    flags = flags_for(viewer, audit) if access.may_see_cases(viewer) else []
    context = {
        "audit": audit,
        "flags": flags,
        "tasks": audit_tasks(viewer, audit, flags=len(flags)),
        "case_rows": case_rows_for(viewer, audit) if access.may_see_cases(viewer) else None,
        "summary": report_summary(audit) if access.may_manage_audit(viewer, audit) else None,
        "may_read_summaries": access.may_read_summaries(viewer, audit),
    }
    if access.may_coordinate(viewer):
        hold = "off" if audit.legal_hold else "on"
        context["retention_ends"] = retention_ends(audit)
        context["hold_form"] = hold_form or LegalHoldForm(initial={"hold": hold})
    return render(request, "audits/detail.html", context, status=status)


@access.audit_view(access.COORDINATOR)
def audit_history(request, audit):
    viewer = request.viewer
    changes = access.history_for(viewer, audit).select_related("user").order_by("-at", "-id")
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    context = {"audit": audit, "page": page, "changes": described(page.object_list)}
    response = render(request, "audits/history.html", context)
    return seen(request, response, AccessKind.HISTORY, audit=audit)


@access.audit_view(access.COORDINATOR)
def audit_report_json(request, audit):
    if not access.may_manage_audit(request.viewer, audit):
        raise access.Http404
    response = JsonResponse(report_summary(audit), json_dumps_params={"indent": 2})
    return seen(request, response, AccessKind.REPORT_DRAFT, audit=audit, obj="report.json")
