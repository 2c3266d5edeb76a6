"""Collecting returns: sending the requests, tracking the returns, chasing an agency."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error
from maca.notices.selectors import last_returns_notices
from maca.notices.services import audience, people_emailed

from .sending import (
    NobodyToTell,
    RequestsNotReady,
    Sent,
    agency_chase,
    requests_send,
    send_checklist,
    send_preview,
    send_silences,
)
from .tracking import chase_rows, involved_agency_for, tracking_grid


class SendForm(forms.Form):
    """Sending anyway to agencies nobody will hear from: the page names them (the `silent`
    ids it showed come back with the form) and the coordinator ticks the box."""

    send_anyway = forms.BooleanField(required=False)

    def send_anyway_to(self, data) -> set[int]:
        if not self.is_valid() or not self.cleaned_data["send_anyway"]:
            return set()
        return {int(value) for value in data.getlist("silent") if value.isdigit()}


@access.audit_view(access.COORDINATOR)
def audit_send(request, audit):
    viewer = request.viewer
    form = SendForm(request.POST if request.method == "POST" else None)
    refused, status = False, 200
    if request.method == "POST":
        try:
            sent = requests_send(
                audit=audit, by=request.user, send_anyway_to=form.send_anyway_to(request.POST)
            )
        except RequestsNotReady:
            refused = True
        except NobodyToTell as error:
            add_domain_error(form, error)
            status = 400
        else:
            messages.success(request, _sent_message(sent))
            return redirect("audits:tracking", audit.pk)
    context = {
        "audit": audit,
        "missing": send_checklist(audit),
        "preview": send_preview(viewer, audit),
        "silences": send_silences(audit, by=request.user),
        "form": form,
        "refused": refused,
    }
    return render(request, "audits/send.html", context, status=status)


def _sent_message(sent: Sent) -> str:
    """Who heard, in people; and which agencies nobody heard at."""
    unheard = []
    for notice in sent.notices:
        if not audience([notice]):
            # A request's notice is about its agency (`Sent.notices`: one per agency).
            assert notice.agency is not None
            unheard.append(notice.agency.name)
    heard = len(sent.notices) - len(unheard)
    message = "Requests sent."
    if heard:
        people = people_emailed(len(audience(sent.notices)))
        message = f"Requests sent: {people} at {heard} agenc{'y' if heard == 1 else 'ies'}."
    if unheard:
        message += f" Nobody was e-mailed at {', '.join(unheard)}."
    return message


@access.audit_view(access.COORDINATOR)
def audit_tracking(request, audit):
    viewer = request.viewer
    if audit.allows.send_requests:
        messages.info(request, "The requests have not been sent yet")
        return redirect("audits:detail", audit.pk)
    grid = tracking_grid(viewer, audit)
    context = {
        "audit": audit,
        "grid": grid,
        "may_chase": audit.allows.collect_returns,
        "in_moderation": audit.allows.ratify,
        "chase_rows": chase_rows(grid, last_returns_notices(viewer, audit), by=request.user),
    }
    return render(request, "audits/tracking.html", context)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def audit_agency_chase(request, audit, agency_id: int):
    viewer = request.viewer
    agency = involved_agency_for(viewer, audit, agency_id)
    try:
        chased = agency_chase(audit=audit, agency=agency, by=request.user)
    except DomainError as error:
        messages.info(request, error.message)
    else:
        owed = chased.owed
        messages.success(
            request,
            f"Chased {agency.name}: {people_emailed(len(audience([chased.notice])))} "
            f"({owed} return{'' if owed == 1 else 's'} still owed)",
        )
    return redirect("audits:tracking", audit.pk)
