"""The legal hold on an audit: it keeps the case-level text past the retention period."""

from django.contrib import messages
from django.shortcuts import redirect

from maca import access
from maca.audits.forms import LegalHoldForm
from maca.errors import DomainError
from maca.forms import add_domain_error
from maca.retention.services import legal_hold_set

from .views_audit import detail_page


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def legal_hold(request, audit):
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        on = form.cleaned_data["hold"] == "on"
        try:
            legal_hold_set(audit=audit, by=request.user, on=on, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "The audit is on legal hold." if on else "The legal hold is lifted."
            )
            return redirect("audits:detail", audit.pk)
    return detail_page(request, audit, hold_form=form, status=400)
