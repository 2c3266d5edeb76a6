"""The audit's end: the dissemination log (where the report and the briefing went), and closing
once every action is complete."""

import functools

from django.contrib import messages
from django.shortcuts import redirect, render

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error

from . import dissemination as log
from . import services
from .forms import DisseminationForm

RECORDERS = (access.COORDINATOR, access.AGENCY_LEAD)


def _form(request, audit, data=None, **kwargs) -> DisseminationForm:
    return DisseminationForm(
        data, audit=audit, fixed_agency=not request.viewer.is_coordinator, **kwargs
    )


def _saved(request, form, save) -> bool:
    """Save the form's row through `save`; False with the refusal on the form."""
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    if "agency" not in form.fields:  # an agency lead records their own agency's
        data["agency"] = request.viewer.agency
    try:
        save(by=request.user, **data)
    except DomainError as error:
        add_domain_error(form, error)
        return False
    return True


@access.audit_view(*RECORDERS)
def dissemination(request, audit):
    form, status = _form(request, audit), 200
    if request.method == "POST":
        form, status = _form(request, audit, request.POST), 400
        if _saved(request, form, functools.partial(log.dissemination_add, audit=audit)):
            messages.success(request, "Recorded in the dissemination log.")
            return redirect("audits:dissemination", audit.pk)
    rows = log.log_of(audit)
    context = {
        "audit": audit,
        "form": form,
        "rows": [(row, access.may_record_dissemination(request.viewer, row)) for row in rows],
        "total": log.people_reached(rows),
        "published": bool(form.fields["what"].choices),
    }
    return render(request, "actions/dissemination.html", context, status=status)


@access.audit_view(*RECORDERS)
def dissemination_edit(request, audit, dissemination_id: int):
    row = access.dissemination_for(request.viewer, audit, dissemination_id)
    initial = {
        "what": DisseminationForm.key_of(row),
        "channel": row.channel,
        "recipient": row.recipient,
        "agency": row.agency_id,
        "sent_on": row.sent_on,
        "people_reached": row.people_reached,
        "note": row.note,
    }
    form, status = _form(request, audit, initial=initial), 200
    if request.method == "POST":
        form, status = _form(request, audit, request.POST), 400
        change = functools.partial(log.dissemination_change, dissemination=row)
        if _saved(request, form, change):
            messages.success(request, "The row of the dissemination log is changed.")
            return redirect("audits:dissemination", audit.pk)
    context = {"audit": audit, "form": form, "row": row}
    return render(request, "actions/dissemination_edit.html", context, status=status)


@access.audit_view(*RECORDERS, methods=access.POST_ONLY)
def dissemination_delete(request, audit, dissemination_id: int):
    row = access.dissemination_for(request.viewer, audit, dissemination_id)
    log.dissemination_remove(dissemination=row, by=request.user)
    messages.success(request, "Removed from the dissemination log (the change history keeps it).")
    return redirect("audits:dissemination", audit.pk)


@access.audit_view(access.COORDINATOR)
def audit_close(request, audit):
    status = 200
    if request.method == "POST":
        try:
            services.audit_close(audit=audit, by=request.user)
        except DomainError:
            status = 400
        else:
            messages.success(request, "The audit is closed.")
            return redirect("audits:detail", audit.pk)
    context = {"audit": audit, "missing": services.closing_checklist(audit)}
    return render(request, "actions/close.html", context, status=status)
