"""The coordinator's planning pages: an audit's details and sample plan, and its audit tool.

Refusals of the rules (a title already used, a closed audit tool) come back as form errors on
the page (200, as GOV.UK forms do) or, for the one-button actions, as a message after a
redirect. Every view scopes its audit before checking the method (`access.audit_view`), so
another partnership's ids answer 404 whatever the method.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error

from . import planning
from .forms import AuditForm, CopyQuestionsForm, QuestionForm, ReauditForm


def _posted(request):
    return request.POST if request.method == "POST" else None


@access.allow(access.COORDINATOR)
def audit_create(request):
    partnership = request.viewer.partnership
    form = AuditForm(_posted(request), areas=partnership.areas.all())
    if request.method == "POST" and form.is_valid():
        try:
            audit = planning.audit_create(
                partnership=partnership, by=request.user, **form.audit_fields()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Audit created: now add the questions of its audit tool")
            return redirect("audits:questions", audit.pk)
    return render(request, "audits/planning/audit_form.html", {"form": form, "audit": None})


@access.audit_view(access.COORDINATOR)
def reaudit_plan(request, audit):
    """Plan a re-audit of this audit: its details and sample plan; the tool comes copied."""
    if not audit.allows.count_in_learning:
        messages.error(request, planning.REAUDIT_TOO_EARLY)
        return redirect("audits:detail", audit.pk)
    form = ReauditForm(_posted(request), areas=audit.partnership.areas.all(), earlier=audit)
    if request.method == "POST" and form.is_valid():
        try:
            reaudit = planning.reaudit_plan(earlier=audit, by=request.user, **form.audit_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Re-audit created, with the earlier audit's tool: check its questions"
            )
            return redirect("audits:questions", reaudit.pk)
    return render(request, "audits/planning/reaudit_form.html", {"form": form, "audit": audit})


@access.audit_view(access.COORDINATOR)
def audit_edit(request, audit):
    if not audit.allows.edit_details:
        messages.error(request, planning.DETAILS_FROZEN)
        return redirect("audits:detail", audit.pk)
    plan_open = audit.allows.change_sample
    areas = audit.partnership.areas.all()
    form = AuditForm(_posted(request), areas=areas, audit=audit, with_sample_plan=plan_open)
    if request.method == "POST" and form.is_valid():
        try:
            planning.audit_update(audit=audit, by=request.user, **form.audit_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Audit details saved")
            return redirect("audits:detail", audit.pk)
    sample_plan = audit.sample_plan.select_related("area")
    context = {"form": form, "audit": audit, "sample_plan": sample_plan}
    return render(request, "audits/planning/audit_form.html", context)


# --- The audit tool -------------------------------------------------------------------------


def _copy_sources(viewer, audit):
    """The partnership's other audits that have questions to copy."""
    others = access.audits_for(viewer).exclude(pk=audit.pk)
    return others.annotate(question_count=Count("questions")).filter(question_count__gt=0)


def _tool_closed(request, audit):
    messages.error(request, planning.TOOL_FROZEN)
    return redirect("audits:questions", audit.pk)


def _questions_page(request, audit, *, form=None, copy_form=None):
    """The questions, read-only once the tool is closed; else with the add and copy forms."""
    context = {"audit": audit, "questions": list(audit.questions.order_by("position", "id"))}
    if planning.tool_open(audit):
        sources = _copy_sources(request.viewer, audit)
        context["form"] = form or QuestionForm()
        if copy_form is not None or sources.exists():
            context["copy_form"] = copy_form or CopyQuestionsForm(sources=sources)
    return render(request, "audits/planning/questions.html", context)


@access.audit_view(access.COORDINATOR)
def audit_questions(request, audit):
    """The audit tool's questions; a POST adds one at the end."""
    if request.method != "POST":
        return _questions_page(request, audit)
    if not planning.tool_open(audit):
        return _tool_closed(request, audit)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            planning.question_add(audit=audit, by=request.user, **form.question_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Question added")
            return redirect("audits:questions", audit.pk)
    return _questions_page(request, audit, form=form)


@access.audit_view(access.COORDINATOR)
def question_edit(request, audit, question_id: int):
    question = get_object_or_404(audit.questions, pk=question_id)
    if not planning.tool_open(audit):
        return _tool_closed(request, audit)
    form = QuestionForm(_posted(request), initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            planning.question_update(question=question, by=request.user, **form.question_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Question changed")
            return redirect("audits:questions", audit.pk)
    context = {"audit": audit, "question": question, "form": form}
    return render(request, "audits/planning/question_form.html", context)


@access.audit_view(access.COORDINATOR)
def question_delete(request, audit, question_id: int):
    """GET asks "Are you sure?" (a deleted question cannot be brought back); POST deletes."""
    question = get_object_or_404(audit.questions, pk=question_id)
    if not planning.tool_open(audit):
        return _tool_closed(request, audit)
    if request.method != "POST":
        context = {"audit": audit, "question": question}
        return render(request, "audits/planning/question_delete.html", context)
    try:
        planning.question_delete(question=question, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Question deleted")
    return redirect("audits:questions", audit.pk)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def question_move(request, audit, question_id: int):
    question = get_object_or_404(audit.questions, pk=question_id)
    direction = request.POST.get("direction", "")
    try:
        planning.question_move(question=question, by=request.user, direction=direction)
    except DomainError as error:
        messages.error(request, error.message)
    # Moved: the list shows it in its new place; a routine change has no banner (decision 56).
    return redirect("audits:questions", audit.pk)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def questions_copy(request, audit):
    if not planning.tool_open(audit):
        return _tool_closed(request, audit)
    form = CopyQuestionsForm(request.POST, sources=_copy_sources(request.viewer, audit))
    if form.is_valid():
        source = form.cleaned_data["source"]
        try:
            copies = planning.questions_copy(audit=audit, source=source, by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            copied = f"{len(copies)} question{pluralize(len(copies))}"
            messages.success(request, f"{copied} copied from {source.title}")
            return redirect("audits:questions", audit.pk)
    return _questions_page(request, audit, copy_form=form)
