"""The partnership's names to catch: what the identifier check looks for besides patterns."""

from django.contrib import messages
from django.shortcuts import redirect, render

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error

from .forms import NamesForm
from .services import names_to_catch_set


@access.allow(access.COORDINATOR)
def names_to_catch(request):
    partnership = request.viewer.partnership
    names = access.names_to_catch_for(request.viewer).values_list("name", flat=True)
    form = NamesForm(initial={"names": "\n".join(sorted(names, key=str.casefold))})
    status = 200
    if request.method == "POST":
        form, status = NamesForm(request.POST), 400
        if form.is_valid():
            try:
                kept = names_to_catch_set(
                    partnership=partnership,
                    names=form.cleaned_data["names"].splitlines(),
                    by=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Saved: {len(kept)} names to catch.")
                return redirect("names_to_catch")
    return render(request, "reports/names.html", {"form": form, "count": len(names)}, status=status)
