"""Walking the cases at the meeting: one page per case, made for the projector (every agency's
returns side by side, the proposed grade, the ratify form), and the forms it posts (ratify, or
ratify and go on to the next case; unlock, points, immediate actions); marking the cases with no
returns not scored at once. Coordinators only; every form works without JavaScript.

Presenter mode (large type, no navigation chrome) is a setting of the session, switched by
`?presenter=on` or `off` on a case's page, so no address ever carries more than the case's id."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error
from maca.history.access_log import AccessKind, seen

from . import selectors, services
from .forms import ImmediateActionForm, PointForm, RatifyForm, UnlockForm
from .summary import case_summary

PRESENTER = "meeting_presenter"
THEN_NEXT = "next"


def _walk_page(request, audit, case, status=200, problem=None, **given):
    """The case's page; `given` forms (ratify, unlock, point, action) carry what was posted,
    `problem` a refusal that belongs to no form (removing a point)."""
    walk = selectors.case_walk(request.viewer, audit, case)
    ratification = walk.row.ratification
    initial = (
        {"grade": ratification.grade, "reason": ratification.reason}
        if ratification
        else {"grade": walk.row.proposed}
    )
    flags = services.flags_to_record(case)
    forms = {
        "ratify_form": given.get("ratify")
        or RatifyForm(initial=initial, flags=flags, ask_held_on=walk.asks_held_on),
        "unlock_form": given.get("unlock") or UnlockForm(),
        "point_form": given.get("point") or PointForm(),
        "action_form": given.get("action")
        or ImmediateActionForm(agencies=services.involved_agencies(case)),
    }
    context = {
        "audit": audit,
        "case": case,
        "walk": walk,
        "summary": case_summary(request.viewer, audit, case),
        "in_moderation": audit.allows.ratify,
        "grade_descriptors": audit.partnership.grade_descriptor_list(),
        "presenter": request.session.get(PRESENTER, False),
        "problem": problem,
        "has_errors": bool(problem) or any(form.errors for form in forms.values()),
        **forms,
    }
    return render(request, "meetings/case.html", context, status=status)


def _back(audit, case):
    return redirect("audits:meeting_case", audit.pk, case.pk)


@access.audit_view(access.COORDINATOR)
def meeting_case(request, audit, case_id: int):
    case = selectors.case_for(request.viewer, audit, case_id)
    if (switch := request.GET.get("presenter")) in ("on", "off"):
        request.session[PRESENTER] = switch == "on"
        return _back(audit, case)
    response = _walk_page(request, audit, case)
    return seen(request, response, AccessKind.MEETING_CASE, audit=audit, case=case, obj=case)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def case_ratify(request, audit, case_id: int):
    case = selectors.case_for(request.viewer, audit, case_id)
    ask = selectors.case_walk(request.viewer, audit, case).asks_held_on
    form = RatifyForm(request.POST, flags=services.flags_to_record(case), ask_held_on=ask)
    if form.is_valid():
        try:
            ratification = services.case_ratify(case=case, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            grade = ratification.get_grade_display().lower()
            done = f"Case {case.reference} ratified ({grade}): its returns are locked"
            if recorded := len(form.cleaned_data.get("record_flags") or ()):
                done += f"; {recorded} handled flag{pluralize(recorded)} recorded as its "
                done += f"immediate action{pluralize(recorded)}"
            messages.success(request, done)
            if request.POST.get("then") != THEN_NEXT:
                return _back(audit, case)
            if following := selectors.next_to_ratify(request.viewer, audit, after=case):
                return redirect("audits:meeting_case", audit.pk, following.pk)
            return redirect("audits:meeting", audit.pk)
    return _walk_page(request, audit, case, status=400, ratify=form)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def case_unlock(request, audit, case_id: int):
    case = selectors.case_for(request.viewer, audit, case_id)
    form = UnlockForm(request.POST)
    if form.is_valid():
        try:
            services.case_unlock(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Case {case.reference} unlocked: ratify it again when it is ready"
            )
            return _back(audit, case)
    return _walk_page(request, audit, case, status=400, unlock=form)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def case_point_add(request, audit, case_id: int):
    case = selectors.case_for(request.viewer, audit, case_id)
    form = PointForm(request.POST)
    if form.is_valid():
        try:
            point = services.case_point_add(case=case, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{point.get_kind_display()} recorded")
            return _back(audit, case)
    return _walk_page(request, audit, case, status=400, point=form)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def case_point_remove(request, audit, case_id: int, point_id: int):
    case = selectors.case_for(request.viewer, audit, case_id)
    point = get_object_or_404(case.points, pk=point_id)
    try:
        services.case_point_remove(point=point, by=request.user)
    except DomainError as error:
        return _walk_page(request, audit, case, status=400, problem=error.message)
    messages.success(request, f"{point.get_kind_display()} removed")
    return _back(audit, case)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def immediate_action_add(request, audit, case_id: int):
    case = selectors.case_for(request.viewer, audit, case_id)
    form = ImmediateActionForm(request.POST, agencies=services.involved_agencies(case))
    if form.is_valid():
        try:
            action = services.immediate_action_add(case=case, by=request.user, **form.cleaned_data)
        except DomainError as error:  # naming every field that is wrong
            add_domain_error(form, error)
        else:
            agreed = f"Immediate action agreed with {action.agency.name}"
            messages.success(request, f"{agreed}, due {action.due:%-d %B %Y}")
            return _back(audit, case)
    return _walk_page(request, audit, case, status=400, action=form)


@access.audit_view(access.COORDINATOR)
def cases_without_returns(request, audit):
    """Check, then mark every case that has no return at all not scored: one POST."""
    cases = selectors.cases_without_returns(request.viewer, audit)
    problem = None
    if request.method == "POST":
        try:
            marked = services.cases_without_returns_not_score(
                audit=audit, by=request.user, cases=cases
            )
        except DomainError as error:
            problem = error.message
        else:
            reason = services.NO_RETURNS_REASON.lower()
            messages.success(request, f"{marked} case{pluralize(marked)} not scored: {reason}")
            return redirect("audits:meeting", audit.pk)
    context = {"audit": audit, "cases": cases, "problem": problem}
    context["reason"] = services.NO_RETURNS_REASON
    status = 400 if problem else 200
    return render(request, "meetings/cases_without_returns.html", context, status=status)
