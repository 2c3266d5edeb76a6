"""The audit's recommendations and the actions under them (coordinators)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error

from . import services
from .forms import ActionForm, ReasonForm, RecommendationForm
from .models import Recommendation


def _recommendation(audit, recommendation_id: int) -> Recommendation:
    try:
        return audit.recommendations.get(pk=recommendation_id)
    except Recommendation.DoesNotExist:
        raise Http404("No such recommendation") from None


def _page(request, audit, status=200, **forms):
    recommendations = audit.recommendations.prefetch_related("themes", "actions__agency")
    immediate = (
        access.actions_for(request.viewer)
        .filter(audit=audit, immediate=True)
        .select_related("agency", "case")
        .order_by("due", "pk")
    )
    context = {
        "audit": audit,
        "recommendations": recommendations.order_by("position", "pk"),
        "immediate": immediate,
        "writable": audit.allows.agree_actions,
        "form": forms.get("form") or RecommendationForm(audit=audit),
        **forms,
    }
    return render(request, "actions/recommendations.html", context, status=status)


@access.audit_view(access.COORDINATOR)
def recommendations(request, audit):
    if request.method != "POST":
        return _page(request, audit)
    form = RecommendationForm(request.POST, audit=audit)
    if form.is_valid():
        try:
            services.recommendation_add(audit=audit, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Recommendation added. Now add its actions.")
            return redirect("audits:recommendations", audit.pk)
    return _page(request, audit, status=400, form=form)


@access.audit_view(access.COORDINATOR)
def recommendation_edit(request, audit, recommendation_id: int):
    recommendation = _recommendation(audit, recommendation_id)
    form = RecommendationForm(initial=RecommendationForm.initial_for(recommendation), audit=audit)
    status = 200
    if request.method == "POST":
        form, status = RecommendationForm(request.POST, audit=audit), 400
        if form.is_valid():
            try:
                services.recommendation_update(
                    recommendation=recommendation, by=request.user, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Recommendation changed.")
                return redirect("audits:recommendations", audit.pk)
    context = {"audit": audit, "recommendation": recommendation, "form": form}
    context["delete_form"] = ReasonForm()
    return render(request, "actions/recommendation_edit.html", context, status=status)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def recommendation_delete(request, audit, recommendation_id: int):
    recommendation = _recommendation(audit, recommendation_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_delete(
                recommendation=recommendation, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Recommendation and its actions deleted.")
            return redirect("audits:recommendations", audit.pk)
    context = {
        "audit": audit,
        "recommendation": recommendation,
        "form": RecommendationForm(
            initial=RecommendationForm.initial_for(recommendation), audit=audit
        ),
        "delete_form": form,
    }
    return render(request, "actions/recommendation_edit.html", context, status=400)


@access.audit_view(access.COORDINATOR)
def action_add(request, audit, recommendation_id: int):
    recommendation = _recommendation(audit, recommendation_id)
    form = ActionForm(partnership=audit.partnership)
    status = 200
    if request.method == "POST":
        form, status = ActionForm(request.POST, partnership=audit.partnership), 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                action = services.action_add(recommendation=recommendation, by=request.user, **data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, f"Action added for {action.agency.name}, due {action.due:%-d %B %Y}."
                )
                return redirect("audits:recommendations", audit.pk)
    context = {"audit": audit, "recommendation": recommendation, "form": form}
    return render(request, "actions/action_add.html", context, status=status)
