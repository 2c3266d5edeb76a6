"""The audit's themes: the register and its add form, editing and deleting a theme, and tagging
a case with a theme (from the case's page, back to it).

Coordinators only. Refusals of the rules come back as form errors on the page or, for the
one-button actions, as a message after a redirect. Every view scopes its audit before checking
the method (`access.audit_view`), so another partnership's ids answer 404 whatever the method.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
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


@access.audit_view(access.COORDINATOR)
def audit_themes(request, audit):
    """The audit's theme register; a POST adds a theme."""
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


@access.audit_view(access.COORDINATOR)
def theme_edit(request, audit, theme_id: int):
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


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def theme_delete(request, audit, theme_id: int):
    theme = _theme_for(audit, theme_id)
    try:
        themes.theme_delete(theme=theme, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Theme deleted: {theme.title}")
    return redirect("audits:themes", audit.pk)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def case_theme_tag(request, audit, case_id: int):
    """Tag a case with one of the audit's themes (`theme`), one of the library's
    (`library_theme`), or a new one (`title`; `confirm_new` once warned it is close to one of
    the library's, when the form comes back with the warning)."""
    case = _case_for(request.viewer, audit, case_id)
    theme_id = request.POST.get("theme", "").strip()
    library_id = request.POST.get("library_theme", "").strip()
    title = request.POST.get("title", "").strip()
    try:
        if theme_id:
            theme = _theme_for(audit, posted_id(theme_id))
            themes.case_theme_tag(case=case, theme=theme, by=request.user)
        elif library_id or title:
            library = (
                access.library_theme_for(request.viewer, posted_id(library_id))
                if (library_id)
                else None
            )
            theme = themes.case_theme_create_and_tag(
                case=case,
                by=request.user,
                title=title if not library else "",
                library_theme=library,
                confirmed_new=request.POST.get("confirm_new") == "yes",
            )
        else:
            raise DomainError("Choose a theme, or enter the title of a new one", field="theme")
    except themes.NearLibraryTheme as near:
        context = {"audit": audit, "case": case, "title": title, "near": near}
        context["next"] = request.POST.get("next", "")
        return render(request, "meetings/theme_near.html", context)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Case {case.reference} tagged with the theme: {theme.title}")
    return _back(request, audit)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def case_theme_untag(request, audit, case_id: int, theme_id: int):
    case = _case_for(request.viewer, audit, case_id)
    theme = _theme_for(audit, theme_id)
    try:
        themes.case_theme_untag(case=case, theme=theme, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Theme removed from case {case.reference}: {theme.title}")
    return _back(request, audit)
