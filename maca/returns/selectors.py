"""Reads about requests and returns for pages, always from the viewer's scope (maca.access)."""

from django.http import Http404
from django.utils import timezone

from maca import access
from maca.audits.answers import answer_label
from maca.audits.models import Audit, Request, RequestStatus
from maca.history.models import ChangeRecord

from .models import Return
from .services import CONTENT, NARRATIVES


def request_for(viewer: access.Viewer, *, audit: Audit, case_id: int, agency_id: int) -> Request:
    """One request of an audit the viewer may see (`access.audit_view`), by its case and
    agency, if the viewer may see it; else 404."""
    requests = access.requests_for(viewer, audit).select_related(
        "audit", "case", "case__area", "agency"
    )
    try:
        return requests.get(case_id=case_id, agency_id=agency_id)
    except Request.DoesNotExist:
        raise Http404("No such return") from None


def my_requests(viewer: access.Viewer) -> tuple[list[Request], list[Request]]:
    """What the viewer's agency owes (to do, soonest due first) and what it has submitted."""
    requests = (
        access.requests_for(viewer)
        .select_related("audit", "case", "case__area", "agency__partnership")
        .order_by("due", "audit__title", "case__reference")
    )
    today = timezone.localdate()
    to_do: list[Request] = []
    submitted: list[Request] = []
    for request in requests:
        request.overdue = request.is_overdue(today)  # type: ignore[attr-defined]  # for the page
        (submitted if request.status == RequestStatus.SUBMITTED else to_do).append(request)
    return to_do, submitted


def answers_shown(request: Request, return_: Return | None) -> list[tuple[object, str]]:
    """Each question of the audit's tool with the agency's answer, as the page shows it."""
    answers = return_.answers if return_ else {}
    return [(q, answer_label(q, answers.get(q.key, ""))) for q in request.audit.questions.all()]


def labels_for(request: Request) -> dict[str, str]:
    """A readable name for every part of a return: the question for an answer."""
    labels = {f"answers.{q.key}": q.text for q in request.audit.questions.all()}
    labels |= {
        "grade": "Grade",
        "grade_reason": "Why it is not scored",
        "immediate_action": "Immediate action required",
        "immediate_action_description": "Immediate action",
    }
    labels |= {name: label.capitalize() for name, label in NARRATIVES.items()}
    return labels


def changes_since(return_: Return, version: int | None) -> list[tuple[str, str]]:
    """What is different now from the version someone started from: (what, value now).

    The starting version's content comes from the change history, which keeps every saved
    version of a return.
    """
    started = _content_at(return_, version)
    now = _flatten(
        {"answers": return_.answers} | {name: getattr(return_, name) for name in CONTENT}
    )
    labels = labels_for(return_.request)
    questions = {f"answers.{q.key}": q for q in return_.request.audit.questions.all()}
    return [
        (
            labels.get(key, key),
            _shown(answer_label(questions[key], value) if key in questions else value),
        )
        for key, value in now.items()
        if started.get(key, "") != value
    ] + [
        (labels.get(key, key), "(removed)")
        for key in started
        if key not in now and started[key] not in ("", None)
    ]


def _content_at(return_: Return, version: int | None) -> dict:
    if version is None:
        return {}
    records = ChangeRecord.objects.filter(
        object_type=Return._meta.label_lower, object_id=str(return_.pk)
    ).order_by("-at", "-id")
    for record in records:
        if record.after and record.after.get("version") == version:
            return _flatten({name: record.after.get(name) for name in ["answers", *CONTENT]})
    return {}


def _flatten(content: dict) -> dict:
    flat = {f"answers.{key}": value for key, value in (content.get("answers") or {}).items()}
    flat |= {name: content.get(name) for name in CONTENT}
    return flat


def _shown(value: object) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return str(value) if value not in (None, "") else "(empty)"
