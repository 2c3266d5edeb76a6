"""The summary report: read it, edit its words, send it for approval, approve, publish."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error, refused_as_typed
from maca.history.access_log import AccessKind, seen
from maca.notices.models import NoticeKind
from maca.notices.selectors import last_notice
from maca.notices.services import audience, people_emailed

from . import services
from .checking import identifiers_in
from .document import default_words, facts_for, recommendations_in, report_document
from .forms import ChartsForm, DigestForm, NotANameForm, PublishForm, SectionForm, SendBackForm
from .models import SectionKey
from .presenting import presented
from .selectors import report_state
from .services import authors_of
from .views_files import files_status


@access.audit_view(*access.ANY_MEMBER, methods=access.GET_ONLY)
def report(request, audit):
    if not access.may_manage_audit(request.viewer, audit):
        # Everyone else reads what has been published.
        edition = access.report_editions_for(request.viewer, audit).order_by("-number").first()
        if edition is None:
            return render(request, "reports/not_published.html", {"audit": audit})
        return redirect("audits:report_edition", audit.pk, edition.number)
    return seen(request, _report_page(request, audit), AccessKind.REPORT_DRAFT, audit=audit)


def _report_page(request, audit, status=200, **extra):
    document = report_document(audit)
    state = report_state(audit, document)
    charts = document["summary"]["charts"]
    # What could identify a child, as it stands (or as the refusal found it), beside its section.
    refused = extra.pop("findings", None)
    found = refused or identifiers_in(audit, document)
    context = {
        "findings_refused": bool(refused),
        "audit": audit,
        "document": _with_findings(presented(document), found),
        "identifiers": found,
        "state": state,
        "editions": access.report_editions_for(request.viewer, audit).defer("document"),
        "writable": audit.allows.write_report,
        "is_author": request.user.pk in authors_of(audit),
        "digest_form": DigestForm(initial={"digest": state.digest}),
        "send_back_form": SendBackForm(),
        "publish_form": PublishForm(initial={"digest": state.digest}),
        "recommendations": recommendations_in(document),
        "files": files_status(audit, None, state.digest),
        "may_make": True,
        "charts_form": ChartsForm(initial={"charts": charts, "was": ",".join(charts)}),
        **extra,
    }
    return render(request, "reports/report.html", context, status=status)


def _with_findings(document: dict, found: list) -> dict:
    """Each section with what could identify a child in it and, for the one-page editor, the
    form of its words (each its own ids, posting the same fields as the section's page)."""
    for section in document["sections"]:
        section["findings"] = [placed for placed in found if placed.key == section["key"]]
        section["form"] = SectionForm(
            initial={"text": section["words"], "version": section["version"]},
            auto_id=f"{section['key']}-%s",
        )
        section["figures"] = [block for block in section["blocks"] if block["source"] == "data"]
        section["chooses_charts"] = section["key"] == SectionKey.SCORING
        # As printed: the summary says what was found before what the board is asked.
        section["figures_first"] = section["key"] == SectionKey.SUMMARY
    return document


def _section_or_404(key: str) -> SectionKey:
    if key not in SectionKey.values:
        raise Http404("No such section")
    return SectionKey(key)


@access.audit_view(access.COORDINATOR)
def report_section(request, audit, key: str):
    key = _section_or_404(key)
    document = report_document(audit)
    section = next(s for s in presented(document)["sections"] if s["key"] == key)
    ids = f"{key.value}-%s"  # as on the report's page, so an autosave's answer fits either
    form = SectionForm(
        initial={"text": section["words"], "version": section["version"]}, auto_id=ids
    )
    status = 200
    if request.method == "POST":
        form, status = SectionForm(request.POST, auto_id=ids), 400
        if form.is_valid():
            try:
                _save(request, audit, key, form.cleaned_data)
                return redirect(reverse("audits:report", args=[audit.pk]) + f"#{key}")
            except services.SectionConflict as conflict:
                # Saving again, knowingly, after seeing their words keeps these words.
                form = refused_as_typed(SectionForm, request.POST, conflict, auto_id=ids)
                status = 409
                section["theirs"] = conflict.current.text if conflict.current.custom else None
            except DomainError as error:
                add_domain_error(form, error)
    section["figures"] = [block for block in section["blocks"] if block["source"] == "data"]
    context = {
        "audit": audit,
        "section": section,
        "form": form,
        "generated_words": default_words(audit, facts_for(audit))[key],
        "identifiers": identifiers_in(audit, document, key=key),
        "writable": audit.allows.write_report,
    }
    response = render(request, "reports/section.html", context, status=status)
    return seen(request, response, AccessKind.REPORT_DRAFT, audit=audit, obj=key.value)


def _save(request, audit, key, data) -> None:
    if request.POST.get("action") == "reset":
        services.section_reset(audit=audit, key=key, version=data["version"], by=request.user)
        messages.success(request, f"{key.label}: back to the generated words.")
    else:
        services.section_save(
            audit=audit, key=key, text=data["text"], version=data["version"], by=request.user
        )
        # A routine save: the report shows the words; no banner (decision 56).


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def report_section_autosave(request, audit, key: str):
    """The words post here as people type (htmx): a status line and the new version."""
    key = _section_or_404(key)
    form = SectionForm(request.POST)
    context = {"audit": audit, "key": key}
    if not form.is_valid():
        problem = form.errors.get("text", ["Reload the page."])[0]
        context["problem"] = f"Not saved: {problem}"
        return render(request, "reports/_section_autosave.html", context, status=400)
    try:
        context["section"] = services.section_save(
            audit=audit, key=key, by=request.user, **form.cleaned_data
        )
    except services.SectionConflict as conflict:
        context["conflict"] = conflict
        return render(request, "reports/_section_autosave.html", context, status=409)
    except DomainError as error:
        context["problem"] = f"Not saved: {error.message}"
        return render(request, "reports/_section_autosave.html", context, status=400)
    # The words are checked as they are saved: the warning beside them is drawn afresh.
    context["identifiers"] = identifiers_in(audit, report_document(audit), key=key)
    return render(request, "reports/_section_autosave.html", context)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def report_charts(request, audit):
    """Which charts go to the board, as the coordinator ticked them."""
    form = ChartsForm(request.POST)
    if form.is_valid():
        try:
            services.report_charts_choose(audit=audit, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The charts for the board are saved.")
            return redirect(reverse("audits:report", args=[audit.pk]) + "#charts")
    return _report_page(request, audit, status=400, charts_form=form)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def report_not_a_name(request, audit):
    """A coordinator marks words the check took for a person's name, in one passage, as not
    a name (recorded in the change history)."""
    form = NotANameForm(request.POST)
    if not form.is_valid():
        return _report_page(request, audit, status=400, problem="Reload the report and try again.")
    try:
        services.not_a_name_mark(
            audit=audit,
            words=form.cleaned_data["words"],
            passage=form.cleaned_data["passage"],
            by=request.user,
        )
    except DomainError as error:
        return _report_page(request, audit, status=400, problem=error.message)
    # The words themselves are not repeated: a message can outlive the page.
    messages.success(request, "Marked as not a person’s name in that passage.")
    back = form.cleaned_data["back"]
    if back and back != "report":
        return redirect("audits:report_section", audit.pk, back)
    return redirect(reverse("audits:report", args=[audit.pk]) + "#identifiers")


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def report_send(request, audit):
    try:
        services.report_send(audit=audit, by=request.user)
    except DomainError as error:
        return _report_page(request, audit, status=400, problem=error.message)
    notice = last_notice(request.viewer, audit, NoticeKind.REPORT_FOR_APPROVAL)
    reached = audience([notice]) if notice else []
    if reached:
        messages.success(request, f"Sent for approval: {people_emailed(len(reached))}.")
    else:
        messages.warning(
            request,
            "Sent for approval, but nobody was e-mailed: the partnership has no other "
            "coordinator who could approve it. Ask your installation's admin for one.",
        )
    return redirect("audits:report", audit.pk)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def report_send_back(request, audit):
    form = SendBackForm(request.POST)
    form.is_valid()
    try:
        notices = services.report_send_back(
            audit=audit, reason=form.cleaned_data.get("reason", ""), by=request.user
        )
    except DomainError as error:
        add_domain_error(form, error)
        return _report_page(request, audit, status=400, problem=error.message, send_back_form=form)
    messages.success(
        request, f"Sent back to its authors: {people_emailed(len(audience(notices)))}."
    )
    return redirect("audits:report", audit.pk)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def report_approve(request, audit):
    return _decide(request, audit, services.report_approve, DigestForm, "Report approved.")


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def report_publish(request, audit):
    return _decide(request, audit, services.report_publish, PublishForm, None)


def _decide(request, audit, service, form_class, done):
    form = form_class(request.POST)
    if "digest" in form.errors:
        return _report_page(request, audit, status=400, problem="Reload the report and try again.")
    if form.errors:  # the reason for publishing without recommendations, shown on its field
        return _report_page(request, audit, status=400, publish_form=form)
    try:
        outcome = service(audit=audit, by=request.user, **form.cleaned_data)
    except services.IdentifiersFound as found:
        return _report_page(
            request, audit, status=400, problem=found.message, findings=found.findings
        )
    except DomainError as error:
        if error.field in form.fields:
            add_domain_error(form, error)
            return _report_page(request, audit, status=400, publish_form=form)
        return _report_page(request, audit, status=400, problem=error.message)
    if done is None:
        done = f"Published as edition {outcome.number}. Its PDF and Word files are being made."
        messages.success(request, done)
        return redirect("audits:report_edition", audit.pk, outcome.number)
    messages.success(request, done)
    return redirect("audits:report", audit.pk)


@access.audit_view(*access.ANY_MEMBER, methods=access.GET_ONLY)
def report_edition(request, audit, number: int):
    edition = access.report_edition_for(request.viewer, audit, number)
    context = {
        "audit": audit,
        "edition": edition,
        "document": presented(edition.document),
        "editions": access.report_editions_for(request.viewer, audit).defer("document"),
        "may_write": access.may_manage_audit(request.viewer, audit),
        "files": files_status(audit, edition),
        "may_make": access.may_manage_audit(request.viewer, audit),
    }
    return render(request, "reports/edition.html", context)
