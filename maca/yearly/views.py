"""The yearly assurance reports: list, start one, read and edit it, its way to publication,
its published editions and its files (decision 72)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from maca import access
from maca.downloads import download
from maca.errors import DomainError
from maca.forms import add_domain_error, refused_as_typed

from . import services
from .charts import presented
from .checking import identifiers_in
from .document import default_words, yearly_document
from .files import DOCX, PDF, yearly_file
from .forms import DigestForm, PeriodForm, SectionForm
from .models import YearlySectionKey
from .selectors import edition_of, edition_published, yearly_state

READERS = (access.COORDINATOR, access.BOARD_MEMBER)


@require_safe
@access.allow(*READERS)
def yearly_reports(request):
    reports = access.yearly_reports_for(request.viewer).select_related("partnership")
    return render(request, "yearly/list.html", {"reports": reports})


@access.allow(access.COORDINATOR)
def yearly_report_new(request):
    form, status = PeriodForm(), 200
    if request.method == "POST":
        form, status = PeriodForm(request.POST), 400
        if form.is_valid():
            try:
                report = services.yearly_report_create(
                    partnership=request.viewer.partnership, by=request.user, **form.cleaned_data
                )
                return redirect("yearly:report", report.pk)
            except DomainError as error:
                add_domain_error(form, error)
    return render(request, "yearly/new.html", {"form": form}, status=status)


@require_safe
@access.allow(*READERS)
def yearly_report(request, yearly_id: int):
    report = access.yearly_report_for(request.viewer, yearly_id)
    if not access.may_coordinate(request.viewer):
        edition = access.yearly_editions_for(request.viewer, report).order_by("-number").first()
        if edition is None:
            raise Http404("No such yearly report")
        return redirect("yearly:edition", report.pk, edition.number)
    return _report_page(request, report)


def _report_page(request, report, *, status=200, problem="", findings=None):
    document = yearly_document(report, request.viewer)
    state = yearly_state(report, document)
    found = findings if findings is not None else identifiers_in(report, document, request.viewer)
    context = {
        "report": report,
        "document": presented(document),
        "state": state,
        "identifiers": found,
        "problem": problem,
        "is_author": request.user.pk in services.authors_of(report),
        "digest_form": DigestForm(initial={"digest": state.digest}),
        "editions": access.yearly_editions_for(request.viewer, report).defer("document"),
    }
    return render(request, "yearly/report.html", context, status=status)


def _key_or_404(key: str) -> YearlySectionKey:
    if key not in YearlySectionKey.values:
        raise Http404("No such section")
    return YearlySectionKey(key)


@access.allow(access.COORDINATOR)
def yearly_section(request, yearly_id: int, section: str):
    report = access.yearly_report_for(request.viewer, yearly_id)
    key = _key_or_404(section)
    document = yearly_document(report, request.viewer)
    shown = next(s for s in presented(document)["sections"] if s["key"] == key)
    shown["figures"] = [block for block in shown["blocks"] if block["source"] == "data"]
    form = SectionForm(initial={"text": shown["words"], "version": shown["version"]})
    status, theirs = 200, None
    if request.method == "POST":
        form, status = SectionForm(request.POST), 400
        if form.is_valid():
            try:
                if request.POST.get("action") == "reset":
                    services.yearly_section_reset(
                        report=report,
                        key=key,
                        version=form.cleaned_data["version"],
                        by=request.user,
                    )
                else:
                    services.yearly_section_save(
                        report=report, key=key, by=request.user, **form.cleaned_data
                    )
                return redirect(reverse("yearly:report", args=[report.pk]) + f"#{key}")
            except services.SectionConflict as conflict:
                form, status = refused_as_typed(SectionForm, request.POST, conflict), 409
                theirs = conflict.current.text if conflict.current.custom else None
            except DomainError as error:
                add_domain_error(form, error)
    context = {
        "report": report,
        "section": shown,
        "form": form,
        "theirs": theirs,
        "generated_words": default_words(report)[key],
    }
    return render(request, "yearly/section.html", context, status=status)


def _decided(request, yearly_id: int, decide, done: str):
    report = access.yearly_report_for(request.viewer, yearly_id)
    form = DigestForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, status=400, problem="Read the report again first.")
    try:
        decide(report=report, digest=form.cleaned_data["digest"], by=request.user)
    except services.IdentifiersFound as refused:
        return _report_page(
            request, report, status=400, problem=refused.message, findings=refused.findings
        )
    except DomainError as error:
        return _report_page(request, report, status=400, problem=error.message)
    return redirect(reverse("yearly:report", args=[report.pk]) + f"?{done}=1")


@require_POST
@access.allow(access.COORDINATOR)
def yearly_report_send(request, yearly_id: int):
    report = access.yearly_report_for(request.viewer, yearly_id)
    services.yearly_report_send(report=report, by=request.user)
    return redirect("yearly:report", report.pk)


@require_POST
@access.allow(access.COORDINATOR)
def yearly_report_approve(request, yearly_id: int):
    return _decided(request, yearly_id, services.yearly_report_approve, "approved")


@require_POST
@access.allow(access.COORDINATOR)
def yearly_report_publish(request, yearly_id: int):
    return _decided(request, yearly_id, services.yearly_report_publish, "published")


@require_safe
@access.allow(*READERS)
def yearly_edition(request, yearly_id: int, number: int):
    report = access.yearly_report_for(request.viewer, yearly_id)
    edition = access.yearly_edition_for(request.viewer, report, number)
    context = {
        "report": report,
        "edition": edition,
        "document": presented(edition.document),
        "editions": access.yearly_editions_for(request.viewer, report).defer("document"),
    }
    return render(request, "yearly/edition.html", context)


@require_safe
@access.allow(access.COORDINATOR)
def yearly_report_file(request, yearly_id: int, file_format: str):
    """The report as it stands, as a PDF or a Word file, made as it is asked for."""
    report = access.yearly_report_for(request.viewer, yearly_id)
    document = yearly_document(report, request.viewer)
    which = edition_of(yearly_state(report, document))
    return _file(document, which, file_format, f"yearly-report-{report.start}-{which.slug}")


@require_safe
@access.allow(*READERS)
def yearly_edition_file(request, yearly_id: int, number: int, file_format: str):
    report = access.yearly_report_for(request.viewer, yearly_id)
    edition = access.yearly_edition_for(request.viewer, report, number)
    which = edition_published(edition)
    return _file(edition.document, which, file_format, f"yearly-report-{report.start}-{which.slug}")


def _file(document: dict, which, file_format: str, name: str) -> HttpResponse:
    kind = PDF if file_format == "pdf" else DOCX
    return download(yearly_file(document, which, file_format), kind, f"{name}.{file_format}")
