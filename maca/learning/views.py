"""The partnership dashboard: learning across audits, for coordinators and the board.

Board members read it as the disclosure policy leaves it (`presenting`, `disclosure`). Every
table has its CSV, in the same form as the page shows it to the viewer.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from maca import access
from maca.downloads import CSV, csv_text, download
from maca.errors import DomainError
from maca.forms import add_domain_error
from maca.partnerships.services import (
    grade_descriptors_set,
    profile_fields_set,
    retention_period_set,
    small_count_threshold_set,
)

from .forms import GradeDescriptorsForm, ProfileFieldsForm, RetentionForm, ThresholdForm
from .presenting import dashboard_overview, dashboard_page, dashboard_table, topic_or_404

READERS = (access.COORDINATOR, access.BOARD_MEMBER)


def _page(request, form=None, retention_form=None, *, status=200):
    page = dashboard_overview(request.viewer)
    if access.may_coordinate(request.viewer):
        threshold, years = page.threshold, request.viewer.partnership.retention_years
        form = form or ThresholdForm(initial={"threshold": threshold, "was": threshold})
        retention_form = retention_form or RetentionForm(
            initial={"years": years, "was": years}, prefix="retention"
        )
    context = {"page": page, "form": form, "retention_form": retention_form}
    return render(request, "learning/dashboard.html", context, status=status)


@access.allow(*READERS)
@require_safe
def dashboard(request):
    return _page(request)


@access.allow(*READERS)
@require_safe
def dashboard_topic(request, topic: str):
    """One part of the dashboard (grades, agencies, returns, calibration, themes)."""
    page = dashboard_page(request.viewer, topic_or_404(topic))
    return render(request, "learning/dashboard_topic.html", {"page": page})


@access.allow(*READERS)
@require_safe
def dashboard_csv(request, table: str):
    found = dashboard_table(request.viewer, table)
    rows = ((row.label, *row.cells) for row in found.rows)
    content = csv_text((found.row_header, *(c.name for c in found.columns)), rows)
    return download(content.encode(), CSV, f"{table}-{timezone.localdate()}.csv")


@access.allow(access.COORDINATOR)
@require_POST
def threshold(request):
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            small_count_threshold_set(
                partnership=request.viewer.partnership,
                by=request.user,
                threshold=form.cleaned_data["threshold"],
                was=form.cleaned_data["was"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            smallest = form.cleaned_data["threshold"]
            # "Fewer than 2" would say 1 (decision 38).
            shown = (
                "a count of 1 as \u201cnot shown\u201d"
                if smallest == 2
                else f"counts below {smallest} as \u201cfewer than {smallest}\u201d"
            )
            messages.success(request, f"Board members now see {shown}.")
            return redirect("learning:dashboard")
    return _page(request, form, status=400)


@access.allow(access.COORDINATOR)
@require_POST
def retention(request):
    form = RetentionForm(request.POST, prefix="retention")
    if form.is_valid():
        try:
            retention_period_set(
                partnership=request.viewer.partnership,
                by=request.user,
                years=form.cleaned_data["years"],
                was=form.cleaned_data["was"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            years = form.cleaned_data["years"]
            messages.success(
                request,
                f"Case-level text is now kept for {years} year{'s' if years != 1 else ''} "
                "after an audit closes.",
            )
            return redirect("learning:dashboard")
    return _page(request, retention_form=form, status=400)


@access.allow(access.COORDINATOR)
def grade_descriptors(request):
    """What each grade means, in the partnership's words: shown beside the grade on the return
    form and on the meeting's case page. The change history keeps every version."""
    partnership = request.viewer.partnership
    posted = request.POST if request.method == "POST" else None
    form = GradeDescriptorsForm(posted, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            grade_descriptors_set(
                partnership=partnership, by=request.user, descriptors=form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "What the grades mean is saved.")
            return redirect("learning:dashboard")
    status = 400 if form.errors else 200
    return render(request, "learning/grade_descriptors.html", {"form": form}, status=status)


@access.allow(access.COORDINATOR)
def profile_fields(request):
    """Which case profile fields the partnership records (decision 69): the candidates file's
    optional columns, the case's profile page and the report's cases by profile."""
    partnership = request.viewer.partnership
    posted = request.POST if request.method == "POST" else None
    form = ProfileFieldsForm(posted, initial={"chosen": partnership.profile_fields})
    if request.method == "POST" and form.is_valid():
        try:
            profile_fields_set(
                partnership=partnership, by=request.user, fields=form.cleaned_data["chosen"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The case profile fields are saved.")
            return redirect("learning:dashboard")
    status = 400 if form.errors else 200
    return render(request, "learning/profile_fields.html", {"form": form}, status=status)
