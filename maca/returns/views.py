"""The return: the agency's form (drafts save as people type), and the coordinator's view."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from maca import access
from maca.audits.models import QuestionKind
from maca.errors import DomainError
from maca.forms import add_domain_error, refused_as_typed
from maca.history.access_log import AccessKind, seen

from . import selectors, services
from .forms import HandleForm, ReturnForm, SendBackForm, initial_for, owner_of, owner_token

KEPT = "maca_kept_typing"  # session key: what someone typed when their session had ended


def keep_typing(view):
    """When a session has ended, keep what was typed: it comes back after signing in.

    The typed text waits in the (new, anonymous) session with a signed token of who typed it;
    only that person, signed in again, gets it back.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            path = request.path.removesuffix("autosave/")
            request.session[KEPT] = {"path": path, "data": data}
            if request.htmx:
                return render(request, "returns/_session_ended.html", {"path": path}, status=401)
            messages.info(request, "Your session had ended. Sign in again: what you typed is kept.")
            return redirect_to_login(path)
        return view(request, *args, **kwargs)

    wrapped.allowed_roles = getattr(view, "allowed_roles", ())
    return wrapped


def _kept_typing(request) -> dict | None:
    kept = request.session.get(KEPT)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[KEPT]
    data = kept["data"]
    return data if owner_of(data.get("owner", "")) == request.user.pk else None


@access.allow(*access.AGENCY_ROLES)
def my_requests(request):
    to_do, submitted = selectors.my_requests(request.viewer)
    return render(request, "returns/mine.html", {"to_do": to_do, "submitted": submitted})


@keep_typing
@access.audit_view(access.COORDINATOR, *access.AGENCY_ROLES)
def return_page(request, audit, case_id: int, agency_id: int):
    viewer = request.viewer
    agency_request = selectors.request_for(
        viewer, audit=audit, case_id=case_id, agency_id=agency_id
    )
    if access.may_coordinate(viewer):
        if request.method == "POST":
            return HttpResponseNotAllowed(["GET"])  # coordinators act through the forms below
        return _seen(request, agency_request, _coordinator_view(request, agency_request))
    if request.method == "POST":
        return _agency_post(request, agency_request)
    return_ = services.return_of(agency_request)
    kept = _kept_typing(request)
    if kept is not None:
        messages.info(request, "What you typed before your session ended is back. Save it now.")
        form = ReturnForm(initial=kept, questions=agency_request.audit.questions.all())
    else:
        form = _form(agency_request, return_, viewer)
    return _seen(request, agency_request, _render_form(request, agency_request, return_, form))


def _seen(request, agency_request, response):
    """The return, read: in the access log (its request's id is the object)."""
    return seen(
        request,
        response,
        AccessKind.RETURN,
        audit=agency_request.audit,
        case=agency_request.case,
        obj=agency_request,
    )


def _agency_post(request, agency_request):
    action = request.POST.get("action", "save")
    if action == "confirm":
        return _confirm(request, agency_request)
    form = ReturnForm(request.POST, questions=agency_request.audit.questions.all())
    return_ = services.return_of(agency_request)
    if not form.is_valid():
        return _render_form(request, agency_request, return_, form, status=400)
    try:
        saved = services.return_save(
            agency_request=agency_request,
            by=request.user,
            content=form.content(),
            version=form.cleaned_data["version"],
        )
    except services.ReturnConflict as conflict:
        return _conflict(request, agency_request, form, conflict)
    except services.ReturnIncomplete as error:
        for name, message in error.errors.items():
            form.add_error(name if name in form.fields else None, message)
        return _render_form(request, agency_request, return_, form, status=400)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(request.path)
    for warning in saved.warnings.values():
        messages.warning(request, warning)
    if action in {"submit", "sign_off"}:
        # Submitting shows "Check your answers" first; the draft is saved already.
        step = (
            services.return_ready_to_submit
            if action == "submit"
            else services.return_request_sign_off
        )
        try:
            checked = step(agency_request=agency_request, by=request.user)
        except services.ReturnIncomplete as error:
            form = _form(agency_request, saved.return_, request.viewer, data=request.POST)
            for name, message in services.submission_problems(saved, error.errors).items():
                form.add_error(name if name in form.fields else None, message)
            return _render_form(
                request, agency_request, saved.return_, form, status=400, draft_saved=True
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        if action == "submit":
            return _check_answers(request, agency_request, checked)
        done = "Sent to your agency lead to sign off"
        messages.success(request, f"{done}: case {agency_request.case.reference}.")
        return redirect("requests:mine")
    return redirect(request.path)  # the page says when it was last saved: no banner


def _check_answers(request, agency_request, return_):
    context = {
        "request_": agency_request,
        "return_": return_,
        "answers": selectors.answers_shown(agency_request, return_),
        "is_lead": access.may_sign_off(request.viewer),
    }
    return render(request, "returns/check.html", context)


def _confirm(request, agency_request):
    """ "Submit and lock" on the check page: the version checked, and nothing else."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0  # no version of any return: refused as changed
    try:
        services.return_submit(agency_request=agency_request, by=request.user, version=version)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(request.path)
    messages.success(request, f"Return submitted: case {agency_request.case.reference}.")
    return redirect("requests:mine")


@keep_typing
@access.audit_view(*access.AGENCY_ROLES, methods=access.POST_ONLY)
def return_autosave(request, audit, case_id: int, agency_id: int):
    """The form posts here as people type (htmx); answers with a status line and the new
    version, or why it did not save."""
    agency_request = selectors.request_for(
        request.viewer, audit=audit, case_id=case_id, agency_id=agency_id
    )
    form = ReturnForm(request.POST, questions=agency_request.audit.questions.all())
    context = {"request_": agency_request}
    if not form.is_valid():
        context["problem"] = "Not saved: " + "; ".join(
            str(error) for errors in form.errors.values() for error in errors
        )
        return render(request, "returns/_autosave.html", context, status=400)
    try:
        saved = services.return_save(
            agency_request=agency_request,
            by=request.user,
            content=form.content(),
            version=form.cleaned_data["version"],
        )
    except services.ReturnConflict as conflict:
        context["conflict"] = conflict
        return render(request, "returns/_autosave.html", context, status=409)
    except DomainError as error:
        context["problem"] = f"Not saved: {error.message}"
        return render(request, "returns/_autosave.html", context, status=400)
    context |= {"saved": saved, "return_": saved.return_}
    return render(request, "returns/_autosave.html", context)


def _form(agency_request, return_, viewer, data=None) -> ReturnForm:
    initial = initial_for(return_, agency_request) | {"owner": owner_token(viewer.user)}
    if data is not None:
        # The typed values stay; the version is the one just saved.
        data = data.copy()
        data["version"] = return_.version if return_ else ""
    return ReturnForm(data, initial=initial, questions=agency_request.audit.questions.all())


def _conflict(request, agency_request, form, conflict):
    form = refused_as_typed(
        ReturnForm, request.POST, conflict, questions=agency_request.audit.questions.all()
    )
    changes = selectors.changes_since(conflict.current, conflict.started_from)
    return _render_form(
        request, agency_request, conflict.current, form, status=409, changes=changes
    )


def _render_form(request, agency_request, return_, form, status=200, **extra):
    context = {
        "request_": agency_request,
        "return_": return_,
        "form": form,
        "overdue": agency_request.is_overdue(),
        "is_lead": access.may_sign_off(request.viewer),
        "answers": selectors.answers_shown(agency_request, return_),
        "grade_descriptors": agency_request.partnership.grade_descriptor_list(),
        "grade_questions": {
            f"answer_{q.key}"
            for q in agency_request.audit.questions.all()
            if q.kind == QuestionKind.GRADE
        },
        **extra,
    }
    template = "returns/form.html"
    refusal = services.may_change(agency_request)
    if agency_request.status == "submitted" or refusal:
        template = "returns/submitted.html"
    context["refusal"] = refusal
    return render(request, template, context, status=status)


def _coordinator_view(request, agency_request, send_back=None, handle=None, status=200):
    return_ = services.return_of(agency_request)
    context = {
        "request_": agency_request,
        "return_": return_,
        "answers": selectors.answers_shown(agency_request, return_),
        "send_back_form": send_back or SendBackForm(),
        "may_send_back": agency_request.status == "submitted"
        and not services.may_change(agency_request),
        "handle_form": handle or HandleForm(),
        "overdue": agency_request.is_overdue(),
    }
    return render(request, "returns/view.html", context, status=status)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def return_send_back(request, audit, case_id: int, agency_id: int):
    agency_request = selectors.request_for(
        request.viewer, audit=audit, case_id=case_id, agency_id=agency_id
    )
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.return_send_back(
                agency_request=agency_request, by=request.user, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            agency = agency_request.agency.name
            messages.success(request, f"Returned to {agency} for clarification.")
            return redirect(agency_request)
    return _coordinator_view(request, agency_request, send_back=form, status=400)


@access.audit_view(access.COORDINATOR, methods=access.POST_ONLY)
def immediate_action_handle(request, audit, case_id: int, agency_id: int):
    agency_request = selectors.request_for(
        request.viewer, audit=audit, case_id=case_id, agency_id=agency_id
    )
    form = HandleForm(request.POST)
    return_ = services.return_of(agency_request)
    if form.is_valid() and return_ is not None:
        try:
            services.immediate_action_handle(
                return_=return_, by=request.user, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Recorded how the immediate action was handled.")
            return redirect(agency_request)
    elif return_ is None:
        form.add_error(None, "This return has not been started.")
    return _coordinator_view(request, agency_request, handle=form, status=400)
