"""The learning briefing (decision 71): the coordinators draft it from the published report,
edit its seven parts and publish it; everyone who reads the published report (the board
included) reads each published edition, on the page and as PDF and Word files."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from maca import access
from maca.downloads import download
from maca.errors import DomainError
from maca.forms import add_domain_error

from . import briefing_services as services
from .briefing import (
    PAGE_CHARACTERS,
    briefing_document,
    briefing_identifiers,
    briefing_length,
    draft_of,
    latest_briefing,
    latest_report_edition,
)
from .briefing_files import briefing_docx, briefing_pdf
from .forms_briefing import BriefingForm, BriefingVersionForm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@access.audit_view(*access.ANY_MEMBER, methods=access.READ)
def briefing(request, audit):
    if not access.may_manage_audit(request.viewer, audit):
        # Everyone else reads what has been published.
        edition = latest_briefing(request.viewer, audit)
        if edition is None:
            return render(request, "reports/briefing_not_published.html", {"audit": audit})
        return redirect("audits:briefing_edition", audit.pk, edition.number)
    return _briefing_page(request, audit)


def _briefing_page(request, audit, status=200, **extra):
    draft = draft_of(audit)
    document = briefing_document(draft) if draft else None
    refused = extra.pop("findings", None)
    context = {
        "audit": audit,
        "draft": draft,
        "document": document,
        "identifiers": refused or (briefing_identifiers(audit, document) if document else []),
        "findings_refused": bool(refused),
        # Whether the words are likely to fit one page (measured only when a PDF is made).
        "too_long": bool(document) and briefing_length(document) > PAGE_CHARACTERS,
        "page_characters": PAGE_CHARACTERS,
        "report_edition": latest_report_edition(audit),
        "editions": access.briefing_editions_for(request.viewer, audit).defer("document"),
        "version_form": BriefingVersionForm(initial={"version": draft.version if draft else 0}),
        **extra,
    }
    return render(request, "reports/briefing.html", context, status=status)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def briefing_draft(request, audit):
    form = BriefingVersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.briefing_draft(audit=audit, by=request.user, version=version)
    except DomainError as error:
        return _briefing_page(request, audit, status=400, problem=error.message)
    messages.success(request, "The briefing is drafted from the published report.")
    return redirect("audits:briefing", audit.pk)


@access.audit_view(access.COORDINATOR)
def briefing_edit(request, audit):
    draft = draft_of(audit)
    if draft is None:
        return redirect("audits:briefing", audit.pk)
    form = BriefingForm(initial={**draft.parts(), "version": draft.version})
    status, theirs = 200, None
    if request.method == "POST":
        form, status = BriefingForm(request.POST), 400
        if form.is_valid():
            try:
                services.briefing_save(
                    audit=audit,
                    parts=form.parts(),
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except services.BriefingConflict as conflict:
                # Saving again, knowingly, after seeing their words keeps these words.
                data = request.POST.copy()
                data["version"] = conflict.current.version
                form = BriefingForm(data)
                form.is_valid()
                add_domain_error(form, conflict)
                status, theirs = 409, briefing_document(conflict.current)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "The briefing’s words are saved.")
                return redirect("audits:briefing", audit.pk)
    context = {"audit": audit, "form": form, "theirs": theirs}
    return render(request, "reports/briefing_edit.html", context, status=status)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def briefing_publish(request, audit):
    form = BriefingVersionForm(request.POST)
    if not form.is_valid():
        return _briefing_page(request, audit, status=400, problem="Reload the page and try again.")
    try:
        edition = services.briefing_publish(
            audit=audit, version=form.cleaned_data["version"], by=request.user
        )
    except services.BriefingIdentifiersFound as found:
        return _briefing_page(
            request, audit, status=400, problem=found.message, findings=found.findings
        )
    except DomainError as error:
        return _briefing_page(request, audit, status=400, problem=error.message)
    messages.success(request, f"Edition {edition.number} of the learning briefing is published.")
    return redirect("audits:briefing_edition", audit.pk, edition.number)


@access.audit_view(*access.ANY_MEMBER, methods=access.READ)
def briefing_edition(request, audit, number: int):
    edition = access.briefing_edition_for(request.viewer, audit, number)
    context = {
        "audit": audit,
        "edition": edition,
        "document": edition.document,
        "latest": latest_briefing(request.viewer, audit),
        "manages": access.may_manage_audit(request.viewer, audit),
    }
    return render(request, "reports/briefing_edition.html", context)


@access.audit_view(*access.ANY_MEMBER, methods=access.GET_ONLY)
def briefing_file(request, audit, number: int, file_format: str):
    """The edition's PDF or Word file, made now from its stored document (it never changes)."""
    edition = access.briefing_edition_for(request.viewer, audit, number)
    name = f"learning-briefing-{audit.pk}-edition-{edition.number}.{file_format}"
    if file_format == "pdf":
        return download(briefing_pdf(edition.document), "application/pdf", name)
    day = timezone.localdate(edition.published_at)
    return download(briefing_docx(edition.document, day), DOCX, name)
