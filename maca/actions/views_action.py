"""One action: what it is, its progress, and recording more (its agency, or a coordinator)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error, refused_as_typed

from . import services
from .forms import ActionForm, ProgressForm
from .rules import LABELS, rag, rag_reason


def _page(request, action, status=200, **forms):
    updates = list(action.updates.select_related("by").order_by("-at", "-pk"))
    last = timezone.localdate(updates[0].at) if updates else None
    status_now = rag(action, last_update=last)
    context = {
        "action": action,
        "audit": action.audit,
        "updates": updates,
        "rag": status_now,
        "rag_label": LABELS[status_now],
        "rag_reason": rag_reason(action, last_update=last),
        "may_edit": access.may_coordinate(request.viewer),
        "closed": not action.audit.allows.change_actions,
        "form": forms.get("form")
        or ProgressForm(initial={"status": action.status, "version": action.version}),
        **forms,
    }
    return render(request, "actions/detail.html", context, status=status)


@access.allow(access.COORDINATOR, *access.AGENCY_ROLES)
def action_detail(request, action_id: int):
    action = access.action_for(request.viewer, action_id)
    if request.method != "POST":
        return _page(request, action)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.action_progress(action=action, by=request.user, **form.cleaned_data)
        except services.ActionConflict as conflict:
            kept = refused_as_typed(ProgressForm, request.POST, conflict)
            return _page(request, conflict.current, status=409, form=kept)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Progress recorded.")
            return redirect("actions:detail", action.pk)
    return _page(request, action, status=400, form=form)


@access.allow(access.COORDINATOR)
def action_edit(request, action_id: int):
    action = access.action_for(request.viewer, action_id)
    initial = {
        "agency": action.agency,
        "owner": action.owner,
        "description": action.description,
        "due": action.due,
        "version": action.version,
    }
    form = ActionForm(initial=initial, partnership=action.audit.partnership)
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, partnership=action.audit.partnership)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_update(
                    action=action,
                    version=data["version"] or 0,
                    agency=data["agency"],
                    owner=data["owner"],
                    description=data["description"],
                    due=data["due"],
                    by=request.user,
                )
            except services.ActionConflict as conflict:
                form = refused_as_typed(
                    ActionForm, request.POST, conflict, partnership=action.audit.partnership
                )
                status = 409
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Action changed.")
                return redirect("actions:detail", action.pk)
    context = {"action": action, "audit": action.audit, "form": form}
    return render(request, "actions/action_edit.html", context, status=status)
