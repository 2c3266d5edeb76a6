"""The audit's end: who the report went to, and closing once every action is complete."""

from django.contrib import messages
from django.shortcuts import redirect, render

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error

from . import services
from .forms import DisseminationForm


@access.audit_view(access.COORDINATOR)
def dissemination(request, audit):
    form = DisseminationForm(audit=audit)
    status = 200
    if request.method == "POST":
        form, status = DisseminationForm(request.POST, audit=audit), 400
        if form.is_valid():
            try:
                sent = services.dissemination_add(audit=audit, by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Recorded: sent to {sent.recipient}.")
                return redirect("audits:dissemination", audit.pk)
    context = {
        "audit": audit,
        "form": form,
        "sent": audit.disseminations.select_related("edition", "by").order_by("sent_on", "pk"),
        "published": audit.report_editions.exists(),
    }
    return render(request, "actions/dissemination.html", context, status=status)


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
