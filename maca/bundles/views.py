"""Past audits loaded from a spreadsheet: the Excel template and its upload. Coordinators only,
always into the partnership they are working in."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.text import slugify

from maca import access
from maca.uploads import limits

from . import spreadsheet
from .forms import HistoryUploadForm

# What the page says of the limits (maca/uploads/limits.py).
LIMITS = {
    "size": limits.size_words(limits.XLSX_MAX_BYTES),
    "rows": f"{limits.SHEET_MAX_ROWS:,}",
    "columns": limits.SHEET_MAX_COLUMNS,
    "cell": f"{limits.SHEET_MAX_CELL_CHARS:,}",
    "listed": limits.PROBLEMS_LISTED,
}


@access.allow(access.COORDINATOR)
def history_upload(request):
    partnership = request.viewer.partnership
    posted = request.method == "POST"
    form = HistoryUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            audit = spreadsheet.history_import(
                partnership=partnership, data=form.cleaned_data["file"], by=request.user
            )
        except spreadsheet.HistoryFileError as error:
            form.add_error(None, error.summary + " Correct the file and upload it again.")
            for problem in error.problems:
                form.add_error("file", problem)
        else:
            cases = audit.cases.count()
            messages.success(
                request, f"Loaded audit {audit.title} ({cases} case{pluralize(cases)})"
            )
            return redirect("audits:detail", audit.pk)
    context = {
        "form": form,
        "partnership": partnership,
        "max_cases": spreadsheet.MAX_CASES,
        "limits": LIMITS,
    }
    status = 400 if form.errors else 200
    return render(request, "audits/history/upload.html", context, status=status)


@access.allow(access.COORDINATOR)
def history_template(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    partnership = request.viewer.partnership
    response = HttpResponse(
        spreadsheet.history_template(partnership), content_type=spreadsheet.CONTENT_TYPE
    )
    name = f"past-audit-template-{slugify(partnership.name)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
