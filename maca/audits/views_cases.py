"""The cases of an audit being planned: candidates, the sample draw, adding and swapping cases.

Coordinators only. These pages show which agencies are involved in a case, never an
agency's own record number (that is for the agency alone).
"""

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from maca import access, profiles
from maca.errors import DomainError
from maca.forms import add_domain_error
from maca.partnerships.ordering import in_partnership_order
from maca.uploads.limits import PROBLEMS_LISTED

from . import profiling, sampling
from .forms_cases import (
    CandidatesUploadForm,
    CaseAddForm,
    CaseProfileForm,
    CaseSwapForm,
    SampleDrawForm,
)


def _cases_context(viewer, audit) -> dict:
    """What the cases page shows: agency names for each case and candidate, no record numbers."""
    areas = list(access.areas_for(viewer))
    agencies = list(access.agencies_for(viewer))
    agency_names = {str(agency.pk): agency.name for agency in agencies}
    involved: dict[int, list[str]] = {}
    for request in access.requests_for(viewer, audit).select_related("agency"):
        involved.setdefault(request.case_id, []).append(request.agency.name)
    cases = access.cases_for(viewer, audit).select_related("area")
    fields = viewer.partnership.profile_field_list()  # the audit's, as it was scoped
    # Each case, the agencies involved and its profile's values (the fields recorded).
    case_rows = [
        (case, involved.get(case.pk, []), [profiles.label_of(f, getattr(case, f)) for f in fields])
        for case in cases
    ]
    candidates = access.candidates_for(viewer, audit).filter(case__isnull=True)
    candidates = candidates.select_related("area")
    candidate_rows = [
        (candidate, [agency_names.get(pk, "?") for pk in candidate.record_numbers])
        for candidate in candidates
    ]
    drawn = Counter(case.area_id for case, *_ in case_rows)
    available = Counter(c.area_id for c, _ in candidate_rows if not c.swapped_out_reason)
    plan = [
        (entry.area, entry.cases, drawn[entry.area_id], available[entry.area_id])
        for entry in audit.sample_plan.select_related("area")
    ]
    return {
        "audit": audit,
        "may_change": sampling.may_change_cases(audit),
        "profile_fields": fields,
        "profile_labels": [field.label for field in fields],
        "may_change_profiles": audit.allows.change_profiles,
        "is_drawn": sampling.is_drawn(audit),
        "plan": plan,
        "planned_total": sum(n for _, n, _, _ in plan),
        "case_rows": case_rows,
        "candidate_rows": [row for row in candidate_rows if not row[0].swapped_out_reason],
        "swapped_out_rows": [row for row in candidate_rows if row[0].swapped_out_reason],
        "areas": areas,
        "agencies": agencies,
        "csv_example": sampling.candidates_example(areas, agencies, fields),
        "csv_limits": sampling.LIMITS,
        "problems_listed": PROBLEMS_LISTED,
    }


def _cases_page(request, audit, *, upload_form=None, draw_form=None):
    context = _cases_context(request.viewer, audit)
    context["upload_form"] = upload_form or CandidatesUploadForm()
    context["draw_form"] = draw_form or SampleDrawForm()
    return render(request, "audits/cases/index.html", context)


def _planning_only(request, audit):
    """A redirect to the cases page, with the reason, when the cases can no longer change."""
    if sampling.may_change_cases(audit):
        return None
    messages.error(request, sampling.PLANNING_ONLY)
    return redirect("audits:cases", audit.pk)


@access.audit_view(access.COORDINATOR)
def audit_cases(request, audit):
    return _cases_page(request, audit)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def candidates_upload(request, audit):
    form = CandidatesUploadForm(request.POST, request.FILES)
    if form.is_valid():
        file_bytes = form.cleaned_data["file"]
        try:
            candidates = sampling.candidates_upload(
                audit=audit, by=request.user, file_bytes=file_bytes
            )
        except sampling.CandidateFileError as error:
            form.add_error(None, error.message + " Correct the file and upload it again.")
            for problem in error.listed:
                form.add_error("file", problem)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            by_area = Counter(candidate.area for candidate in candidates)
            in_order = sorted(by_area.items(), key=lambda item: in_partnership_order(item[0]))
            counts = ", ".join(f"{n} in {area.name}" for area, n in in_order)
            messages.success(request, f"Uploaded {len(candidates)} candidates: {counts}.")
            return redirect("audits:cases", audit.pk)
    return _cases_page(request, audit, upload_form=form)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def sample_draw(request, audit):
    form = SampleDrawForm(request.POST)
    if form.is_valid():
        try:
            cases = sampling.sample_draw(
                audit=audit, by=request.user, seed=form.cleaned_data["seed"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Drew {len(cases)} cases (seed {audit.sample_seed}).")
            return redirect("audits:cases", audit.pk)
    return _cases_page(request, audit, draw_form=form)


@access.audit_view(access.COORDINATOR)
def case_add(request, audit):
    if refused := _planning_only(request, audit):
        return refused
    form = CaseAddForm(request.POST if request.method == "POST" else None, audit=audit)
    if form.is_valid():
        area, agencies = form.cleaned_data["area"], list(form.cleaned_data["agencies"])
        try:
            case = sampling.case_add(audit=audit, by=request.user, area=area, agencies=agencies)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Added case {case.reference}.")
            return redirect("audits:cases", audit.pk)
    return render(request, "audits/cases/add.html", {"audit": audit, "form": form})


@access.audit_view(access.COORDINATOR)
def case_swap(request, audit, case_id: int):
    case = get_object_or_404(access.cases_for(request.viewer, audit), pk=case_id)
    if refused := _planning_only(request, audit):
        return refused
    form = CaseSwapForm(request.POST if request.method == "POST" else None, case=case)
    if form.is_valid():
        replacement, reference = form.cleaned_data["replacement"], case.reference
        try:
            new_case = sampling.case_swap(
                case=case,
                by=request.user,
                reason=form.cleaned_data["reason"],
                replacement=replacement,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            swapped_in = f"; swapped in line {replacement.line} as {new_case}" if new_case else ""
            messages.success(request, f"Swapped out {reference}{swapped_in}.")
            return redirect("audits:cases", audit.pk)
    agencies = [r.agency.name for r in access.requests_for(request.viewer, audit).filter(case=case)]
    context = {"audit": audit, "case": case, "agencies": agencies, "form": form}
    return render(request, "audits/cases/swap.html", context)


@access.audit_view(access.COORDINATOR)
def case_profile(request, audit, case_id: int):
    """The case's profile, for the fields the partnership records: until the audit closes."""
    case = get_object_or_404(access.cases_for(request.viewer, audit), pk=case_id)
    if not profiling.may_change_profile(case):
        messages.error(
            request,
            profiling.NOT_NOW
            if audit.partnership.profile_fields
            else "The partnership records no case profile fields: choose them under Case "
            "profiles on the dashboard.",
        )
        return redirect("audits:cases", audit.pk)
    form = CaseProfileForm(request.POST if request.method == "POST" else None, case=case)
    if form.is_valid():
        try:
            profiling.case_profile_set(case=case, by=request.user, profile=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Saved the profile of case {case.reference}.")
            return redirect("audits:cases", audit.pk)
    status = 400 if form.errors else 200
    context = {"audit": audit, "case": case, "form": form}
    return render(request, "audits/cases/profile.html", context, status=status)
