"""The names of the partnership's areas and agencies, as its coordinators mend them.

A name someone mistyped, or one that a chart or a page could not show, is mended here: the
change history records each rename, and a rename made meanwhile by someone else is never
overwritten (optimistic locking, as for the other forms). The published editions of reports
keep the names they were published with.
"""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error, refused_as_typed

from . import services
from .forms import AgencyNameForm, AreaNameForm

READ = ("GET", "HEAD")


@access.allow(access.COORDINATOR)
def areas_and_agencies(request):
    if request.method not in READ:
        return HttpResponseNotAllowed(READ)
    context = {
        "lists": [
            ("Areas", access.areas_for(request.viewer), "partnerships:area_edit"),
            ("Agencies", access.agencies_for(request.viewer), "partnerships:agency_edit"),
        ]
    }
    return render(request, "partnerships/areas_and_agencies.html", context)


@access.allow(access.COORDINATOR)
def area_edit(request, area_id: int):
    area = access.area_for(request.viewer, area_id)
    return _rename_page(request, area, AreaNameForm, services.area_rename, "area")


@access.allow(access.COORDINATOR)
def agency_edit(request, agency_id: int):
    agency = access.agency_for(request.viewer, agency_id)
    return _rename_page(request, agency, AgencyNameForm, services.agency_rename, "agency")


def _rename_page(request, row, form_class, rename, keyword: str):
    """The rename form of an area or an agency: scope, form, service, redirect or render."""
    initial = {"name": row.name, "version": row.version}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    status, current = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                renamed = rename(
                    **{keyword: row},
                    by=request.user,
                    name=data["name"],
                    version=data["version"] or 0,
                )
            except services.RenameConflict as conflict:
                form = refused_as_typed(form_class, request.POST, conflict)
                current, status = conflict.current, 409
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Saved: the {keyword} is now called {renamed.name}.")
                return redirect("partnerships:areas_and_agencies")
    context = {"row": row, "word": row._meta.verbose_name, "form": form, "current": current}
    return render(request, "partnerships/name_edit.html", context, status=status)
