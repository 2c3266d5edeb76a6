"""The audit's themes: the register and its add form, editing and deleting a theme, and tagging
a case with a theme (from the case's page, back to it).

Coordinators only. Refusals of the rules come back as form errors on the page or, for the
one-button actions, as a message after a redirect. The POST-only views check the method after
scoping, so another partnership's ids answer 404 whatever the method.
"""

from django.contrib import messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error, posted_id

from . import themes
from .forms_themes import ThemeForm


def _posted(request):
    return request.POST if request.method == "POST" else None


def _theme_for(audit, theme_id):
    return get_object_or_404(audit.themes.select_related("audit"), pk=theme_id)


def _case_for(viewer, audit, case_id: int):
    return get_object_or_404(access.cases_for(viewer, audit).select_related("audit"), pk=case_id)


def _closed(request, audit):
    messages.error(request, themes.themes_closed_reason(audit))
    return redirect("audits:themes", audit.pk)


def _back(request, audit):
    """To `next` when it is a path on this site (the case's page), else to the register."""
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts=None, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect("audits:themes", audit.pk)


@access.allow(access.COORDINATOR)
def audit_themes(request, audit_id: int):
    """The audit's theme register; a POST adds a theme."""
    audit = access.audit_for(request.viewer, audit_id)
    form = ThemeForm(_posted(request), partnership=audit.partnership)
    if request.method == "POST":
        if not themes.themes_open(audit):
            return _closed(request, audit)
        if form.is_valid():
            try:
                theme = themes.theme_create(audit=audit, by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Theme added: {theme.title}")
                return redirect("audits:themes", audit.pk)
    context = {
        "audit": audit,
        "rows": themes.themes_register(request.viewer, audit),
        "form": form if themes.themes_open(audit) else None,
        "closed_reason": themes.themes_closed_reason(audit),
    }
    return render(request, "meetings/themes.html", context)


@access.allow(access.COORDINATOR)
def theme_edit(request, audit_id: int, theme_id: int):
    audit = access.audit_for(request.viewer, audit_id)
    theme = _theme_for(audit, theme_id)
    if not themes.themes_open(audit):
        return _closed(request, audit)
    form = ThemeForm(_posted(request), partnership=audit.partnership, theme=theme)
    if request.method == "POST" and form.is_valid():
        try:
            themes.theme_update(theme=theme, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Theme saved: {theme.title}")
            return redirect("audits:themes", audit.pk)
    context = {"audit": audit, "theme": theme, "form": form}
    return render(request, "meetings/theme_edit.html", context)


@access.allow(access.COORDINATOR)
def theme_delete(request, audit_id: int, theme_id: int):
    audit = access.audit_for(request.viewer, audit_id)
    theme = _theme_for(audit, theme_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        themes.theme_delete(theme=theme, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Theme deleted: {theme.title}")
    return redirect("audits:themes", audit.pk)


@access.allow(access.COORDINATOR)
def case_theme_tag(request, audit_id: int, case_id: int):
    """Tag a case with one of the audit's themes (`theme`), or with a new one (`title`)."""
    audit = access.audit_for(request.viewer, audit_id)
    case = _case_for(request.viewer, audit, case_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    theme_id = request.POST.get("theme", "").strip()
    title = request.POST.get("title", "").strip()
    try:
        if theme_id:
            theme = _theme_for(audit, posted_id(theme_id))
            themes.case_theme_tag(case=case, theme=theme, by=request.user)
        elif title:
            theme = themes.case_theme_create_and_tag(case=case, by=request.user, title=title)
        else:
            raise DomainError("Choose a theme, or enter the title of a new one", field="theme")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Case {case.reference} tagged with the theme: {theme.title}")
    return _back(request, audit)


@access.allow(access.COORDINATOR)
def case_theme_untag(request, audit_id: int, case_id: int, theme_id: int):
    audit = access.audit_for(request.viewer, audit_id)
    case = _case_for(request.viewer, audit, case_id)
    theme = _theme_for(audit, theme_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        themes.case_theme_untag(case=case, theme=theme, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Theme removed from case {case.reference}: {theme.title}")
    return _back(request, audit)
