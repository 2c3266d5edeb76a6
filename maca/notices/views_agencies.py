"""The partnership's agencies: who hears from maca at each, and their contact addresses."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error
from maca.partnerships.forms import ContactForm
from maca.partnerships.services import agency_contact_set

from .models import NoticeKind
from .services import agencies_reach


@access.allow(access.COORDINATOR)
@require_GET
def agencies(request):
    reaches = agencies_reach(
        agencies=access.agencies_for(request.viewer), kind=NoticeKind.REQUESTS_SENT
    )
    return render(request, "partnerships/agencies.html", {"reaches": reaches})


@access.allow(access.COORDINATOR)
def agency_contact(request, agency_id: int):
    agency = access.agency_for(request.viewer, agency_id)
    back = _back(request)
    initial = {"contact_email": agency.contact_email, "was": agency.contact_email}
    form, status = ContactForm(initial=initial), 200
    if request.method == "POST":
        form, status = ContactForm(request.POST), 400
        if form.is_valid():
            try:
                agency_contact_set(agency=agency, by=request.user, **_fields(form))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _saved(agency))
                return redirect(back or "agencies:list")
    context = {"agency": agency, "form": form, "back": back}
    return render(request, "partnerships/contact.html", context, status=status)


def _fields(form) -> dict:
    return {"email": form.cleaned_data["contact_email"], "was": form.cleaned_data["was"]}


def _saved(agency) -> str:
    if agency.contact_email:
        return f"{agency.name}'s e-mails now go to {agency.contact_email} too."
    return f"{agency.name} has no contact address now."


def _back(request) -> str:
    """Where to go once saved: the page the coordinator came from (sending the requests,
    tracking), when it is one of ours."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    safe = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return back if safe else ""
