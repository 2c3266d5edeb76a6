"""The partnership's theme library: the list, one theme's findings across audits, adding and
changing a theme, and merging one theme into another.

Coordinators and board members read it (board members without case references); coordinators
change it. A theme of another partnership answers 404 whatever the method, so the method is
checked after scoping.
"""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error, refused_as_typed

from . import library as services
from . import selectors_library
from .forms_library import LibraryThemeEditForm, LibraryThemeForm, MergeForm

READERS = (access.COORDINATOR, access.BOARD_MEMBER)
READ = ("GET", "HEAD")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _merged(request, theme):
    """A merged theme is kept as it was: changes go to the theme it went into."""
    messages.error(request, f"“{theme.title}” was merged into “{theme.live().title}”")
    return redirect("learning:library_theme", theme.pk)


@access.allow(*READERS)
def library(request):
    if request.method not in READ:
        return HttpResponseNotAllowed(READ)
    context = {"rows": selectors_library.library_rows(request.viewer)}
    return render(request, "learning/library.html", context)


@access.allow(*READERS)
def library_theme(request, library_theme_id: int):
    theme = access.library_theme_for(request.viewer, library_theme_id)
    if request.method not in READ:
        return HttpResponseNotAllowed(READ)
    findings = selectors_library.theme_findings(request.viewer, theme)
    audit_count = len({finding.audit.pk for finding in findings})
    context = {
        "theme": theme,
        "live": theme.live(),
        "merged_from": selectors_library.merged_from(theme),
        "findings": findings,
        "audit_count": audit_count,
        "recurring": audit_count >= selectors_library.RECURRING,
    }
    return render(request, "learning/library_theme.html", context)


@access.allow(access.COORDINATOR)
def library_add(request):
    form = LibraryThemeForm(_posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                theme = services.library_theme_add(
                    partnership=request.viewer.partnership, by=request.user, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Theme added to the library: {theme.title}")
                return redirect("learning:library_theme", theme.pk)
    return render(request, "learning/library_add.html", {"form": form}, status=status)


@access.allow(access.COORDINATOR)
def library_edit(request, library_theme_id: int):
    theme = access.library_theme_for(request.viewer, library_theme_id)
    if theme.merged_into_id is not None:
        return _merged(request, theme)
    initial = {"title": theme.title, "description": theme.description, "version": theme.version}
    form = LibraryThemeEditForm(_posted(request), initial=initial)
    status, current = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.library_theme_update(
                    theme=theme,
                    by=request.user,
                    title=data["title"],
                    description=data["description"],
                    version=data["version"] or 0,
                )
            except services.LibraryThemeConflict as conflict:
                form, current, status = (
                    refused_as_typed(LibraryThemeEditForm, request.POST, conflict),
                    conflict.current,
                    409,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Theme saved.")
                return redirect("learning:library_theme", theme.pk)
    context = {"theme": theme, "form": form, "current": current}
    return render(request, "learning/library_edit.html", context, status=status)


@access.allow(access.COORDINATOR)
def library_merge(request, library_theme_id: int):
    """Choose the theme to merge into and why; check what will happen; merge."""
    source = access.library_theme_for(request.viewer, library_theme_id)
    if source.merged_into_id is not None:
        return _merged(request, source)
    themes = access.library_themes_for(request.viewer)
    form = MergeForm(_posted(request), source=source, themes=themes)
    context = {
        "theme": source,
        "form": form,
        "moving": source.audit_themes.count(),
        "has_targets": form.targets.exists(),
        "merged_from": selectors_library.merged_from(source),
    }
    if request.method != "POST" or "change" in request.POST:
        return render(request, "learning/library_merge.html", context)
    if form.is_valid():
        target = form.cleaned_data["target"]
        if "confirm" not in request.POST:
            context["target"] = target
            return render(request, "learning/library_merge_check.html", context)
        try:
            services.library_theme_merge(
                source=source, target=target, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            moved = context["moving"]
            messages.success(
                request,
                f"“{source.title}” merged into “{target.title}”: "
                f"{moved} audit theme{'' if moved == 1 else 's'} moved.",
            )
            return redirect("learning:library_theme", target.pk)
    return render(request, "learning/library_merge.html", context, status=400)
