"""The QA sub-group's monitoring of actions: the page, and the same list as CSV and Word.

Coordinators see every action of the partnership; agency auditors and leads their own agency's
(`access.actions_for`). The filters are a GET form, so the page and its two files share one
query string and work without JavaScript. A filter value the viewer was not offered (another
partnership's audit, an agency an agency user may not choose, a word for a number) answers 400
with the page naming the field, and no list: the list is never widened to make up for it.
"""

from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from maca import access
from maca.downloads import CSV, download

from . import exports, rules, selectors
from .forms_monitoring import MonitoringFilterForm
from .progress import action_progress

MONITORS = (access.COORDINATOR, *access.AGENCY_ROLES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filters(request) -> MonitoringFilterForm:
    viewer = request.viewer
    return MonitoringFilterForm(
        request.GET,
        options=selectors.monitoring_options(viewer),
        may_choose_agency=access.may_coordinate(viewer),
    )


def _rows(request, form, today) -> list[selectors.MonitoringRow]:
    return selectors.monitoring_rows(request.viewer, **form.selection(), today=today)


def _page(request, form, rows=None, *, status=200):
    query = urlencode({name: form.data[name] for name in form.fields if form.data.get(name)})
    context = {
        "form": form,
        "rows": rows,
        "overdue": sum(row.rag == rules.RED for row in rows or []),
        "query": query,
    }
    return render(request, "actions/monitoring.html", context, status=status)


@require_safe
@access.allow(*MONITORS)
def monitoring(request):
    form = _filters(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    return _page(request, form, _rows(request, form, timezone.localdate()))


@require_safe
@access.allow(*MONITORS)
def monitoring_csv(request):
    form = _filters(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    today = timezone.localdate()
    content = exports.monitoring_csv(_rows(request, form, today)).encode()
    return download(content, CSV, f"actions-{today}.csv")


@require_safe
@access.allow(*MONITORS)
def monitoring_docx(request):
    form = _filters(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    today = timezone.localdate()
    content = exports.monitoring_docx(
        _rows(request, form, today),
        partnership=request.viewer.partnership,
        filters_text=form.summary(),
        today=today,
    )
    return download(content, DOCX, f"actions-{today}.docx")


@require_safe
@access.allow(access.COORDINATOR, access.BOARD_MEMBER)
def progress(request):
    context = {"progress": action_progress(request.viewer, timezone.localdate())}
    return render(request, "actions/progress.html", context)
