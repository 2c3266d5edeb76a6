"""The meeting's pages: starting moderation, the meeting itself (date, place, attendees, the
cases to walk) and moving the audit on to reporting. Coordinators only."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error

from . import selectors, services
from .forms import AttendeeForm, MeetingForm
from .models import Attendee


@access.audit_view(access.COORDINATOR)
def moderation_start(request, audit):
    viewer = request.viewer
    error, status = None, 200
    if request.method == "POST":
        try:
            services.moderation_start(audit=audit, by=request.user)
        except DomainError as refused:
            error, status = refused.message, 400
        else:
            messages.success(request, "Moderation has started: the meeting can consider the cases")
            return redirect("audits:meeting", audit.pk)
    context = {
        "audit": audit,
        "error": error,
        "unsubmitted": selectors.unsubmitted_requests_for(viewer, audit),
    }
    return render(request, "meetings/moderation_start.html", context, status=status)


def _agencies(viewer):
    return access.agencies_for(viewer)


def _meeting_page(
    request, audit, *, meeting_form=None, attendee_form=None, refused=False, problem=None
):
    """The meeting's page; the forms carry what was posted, `refused` shows why the audit
    did not move to reporting, `problem` a refusal that belongs to no form."""
    meeting = services.meeting_of(audit)
    if meeting_form is None:
        initial = (
            {"held_on": meeting.held_on, "location": meeting.location}
            if meeting
            else {"held_on": audit.meeting_date}
        )
        meeting_form = MeetingForm(initial=initial)
    rows = selectors.case_rows(request.viewer, audit)
    context = {
        "audit": audit,
        "meeting": meeting,
        "attendees": meeting.attendees.select_related("agency") if meeting else [],
        "meeting_form": meeting_form,
        "attendee_form": attendee_form or AttendeeForm(agencies=_agencies(request.viewer)),
        "may_arrange": audit.allows.arrange_meeting,
        "in_moderation": audit.allows.ratify,
        "rows": rows,
        "ratified": sum(1 for row in rows if row.ratified),
        "next_case": (
            selectors.next_to_ratify(request.viewer, audit) if audit.allows.ratify else None
        ),
        "without_returns": (
            selectors.cases_without_returns(request.viewer, audit) if audit.allows.ratify else []
        ),
        "missing": services.reporting_checklist(audit),
        "refused": refused,
        "problem": problem,
    }
    errors = refused or problem or meeting_form.errors or context["attendee_form"].errors
    status = 400 if errors else 200
    return render(request, "meetings/meeting.html", context, status=status)


@access.audit_view(access.COORDINATOR)
def meeting(request, audit):
    if request.method != "POST":
        return _meeting_page(request, audit)
    form = MeetingForm(request.POST)
    if form.is_valid():
        existing = services.meeting_of(audit)
        try:
            if existing is None:
                services.meeting_schedule(audit=audit, by=request.user, **form.cleaned_data)
            else:
                services.meeting_update(meeting=existing, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            done = "scheduled" if existing is None else "changed"
            messages.success(request, f"Meeting {done}: {form.cleaned_data['held_on']:%-d %B %Y}")
            return redirect("audits:meeting", audit.pk)
    return _meeting_page(request, audit, meeting_form=form)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def attendee_add(request, audit):
    form = AttendeeForm(request.POST, agencies=_agencies(request.viewer))
    meeting = services.meeting_of(audit)
    if meeting is None:
        form.add_error(None, "Schedule the meeting before recording who attends")
    elif form.is_valid():
        try:
            attendee = services.attendee_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Added {attendee.name} to the attendees")
            return redirect("audits:meeting", audit.pk)
    return _meeting_page(request, audit, attendee_form=form)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def attendee_remove(request, audit, attendee_id: int):
    attendee = get_object_or_404(Attendee.objects.filter(meeting__audit=audit), pk=attendee_id)
    try:
        services.attendee_remove(attendee=attendee, by=request.user)
    except DomainError as error:
        return _meeting_page(request, audit, problem=error.message)
    messages.success(request, f"Removed {attendee.name} from the attendees")
    return redirect("audits:meeting", audit.pk)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def reporting_start(request, audit):
    try:
        services.reporting_start(audit=audit, by=request.user)
    except DomainError:
        return _meeting_page(request, audit, refused=True)
    messages.success(request, "The audit has moved to reporting")
    return redirect("audits:detail", audit.pk)
