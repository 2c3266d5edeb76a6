"""Writes to single-agency returns: drafts, submission, sign-off, clarification, escalation.

Rules enforced here (and nowhere else):
- a save names the version it started from; if someone saved since, it is refused
  (`ReturnConflict`), never silently overwritten;
- a draft can hold anything; submission needs every question answered, a grade (a reason when
  not scored), the three narratives, and a description when immediate action is flagged;
- where the agency wants sign-off, only its lead submits; an auditor asks for sign-off;
- a submitted return changes only after the coordinator returns it for clarification;
- immediate action required is escalated at once, once, to the agency's leads and the
  coordinators, and stays flagged on the tracking page until a coordinator records its handling.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from maca import access
from maca.accounts.models import User
from maca.audits.answers import answer_problem
from maca.audits.models import Request, RequestStatus
from maca.errors import DomainError
from maca.grades import Grade
from maca.history import tracking
from maca.notices.models import NoticeKind
from maca.notices.services import notice_send

from .models import Return

# What a return's form holds besides the answers; the names are the form's field names.
NARRATIVES = {
    "good_practice": "good practice",
    "areas_for_development": "areas for development",
    "learning": "single-agency learning",
}
CONTENT = [
    "grade",
    "grade_reason",
    *NARRATIVES,
    "immediate_action",
    "immediate_action_description",
]


@dataclass
class ReturnContent:
    """What the agency typed: answers by question key, and the return's own fields."""

    answers: dict[str, str] = field(default_factory=dict)
    grade: str = ""
    grade_reason: str = ""
    good_practice: str = ""
    areas_for_development: str = ""
    learning: str = ""
    immediate_action: bool = False
    immediate_action_description: str = ""
    agency_record_number: str = ""


class ReturnConflict(DomainError):
    """Someone saved the return after this person opened it."""

    def __init__(self, current: Return, started_from: int | None):
        who = current.updated_by.name if current.updated_by else "Someone"
        when = timezone.localtime(current.updated_at).strftime("%H:%M on %-d %B")
        super().__init__(
            f"Your changes have not been saved: {who} saved this return at {when}, "
            "after you opened it. Check their changes below; save again to keep yours."
        )
        self.current = current
        self.started_from = started_from


class ReturnIncomplete(DomainError):
    """Submission refused: `errors` names each missing field (form field name → message)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("The return is not complete: " + "; ".join(errors.values()))
        self.errors = errors


# Returns may still arrive while the meeting is being prepared, until the case is ratified.
NOT_OPEN = "The audit is not collecting returns any more."
LOCKED = "The meeting has ratified this case, so its returns are locked."


def may_change(agency_request: Request) -> str | None:
    """Why this request's return cannot change now (None when it can)."""
    if not agency_request.audit.allows.collect_returns:
        return NOT_OPEN
    if agency_request.case.locked_at is not None:
        return LOCKED
    return None


def return_of(agency_request: Request) -> Return | None:
    return Return.objects.filter(request=agency_request).first()


@dataclass
class Saved:
    return_: Return
    changed: bool
    # What was held back, by form field: e.g. an immediate action until it is described.
    warnings: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def return_save(
    *,
    agency_request: Request,
    by: User,
    content: ReturnContent,
    version: int | None,
    via: str = "web",
) -> Saved:
    """Save the agency's draft. `version` is the version the person started from (None for a
    return not yet begun); a save from an older version is refused with `ReturnConflict`."""
    agency_request = Request.objects.select_for_update().get(pk=agency_request.pk)
    if refusal := may_change(agency_request):
        raise DomainError(refusal)
    if agency_request.status == RequestStatus.SUBMITTED:
        raise DomainError(
            "This return has been submitted. Ask the coordinator to return it for "
            "clarification if it needs to change."
        )
    current = return_of(agency_request)
    if (current.version if current else None) != version:
        if current is None:
            raise DomainError("This return is not what you opened; reload the page.")
        raise ReturnConflict(current, version)
    content, warnings = _clean(agency_request, content)
    return_ = current or Return(
        request=agency_request, partnership_id=agency_request.partnership_id
    )
    if return_.immediate_action_escalated_at and not content.immediate_action:
        # Escalated already: the flag stays up until a coordinator records its handling.
        content.immediate_action = True
        content.immediate_action_description = return_.immediate_action_description
        warnings["immediate_action"] = (
            "Immediate action required has been escalated and stays flagged until the "
            "coordinator records how it was handled."
        )
    before = _content_of(return_)
    return_.answers = content.answers
    for name in CONTENT:
        setattr(return_, name, getattr(content, name))
    changed = current is None or _content_of(return_) != before
    with tracking.actor(by, via=via):
        if changed:
            return_.version = (current.version + 1) if current else 1
            return_.updated_by = by
            if return_.sign_off_requested_at and not _is_lead(by, agency_request):
                # The lead was asked to approve other words: they must be asked again.
                return_.sign_off_requested_at = None
                return_.sign_off_requested_by = None
            return_.save()
        if agency_request.agency_record_number != content.agency_record_number:
            agency_request.agency_record_number = content.agency_record_number
            agency_request.save()
        if changed and agency_request.status == RequestStatus.OUTSTANDING:
            agency_request.status = RequestStatus.DRAFT
            agency_request.save()
        _escalate_if_flagged(return_, agency_request, by)
    return Saved(return_=return_, changed=changed, warnings=warnings)


def _content_of(return_: Return) -> dict:
    return {name: getattr(return_, name) for name in ["answers", *CONTENT]}


def _clean(agency_request: Request, content: ReturnContent) -> tuple[ReturnContent, dict[str, str]]:
    """Keep only answers to the audit's questions, with values of the question's kind."""
    problems: dict[str, str] = {}
    answers: dict[str, str] = {}
    for question in agency_request.audit.questions.all():
        value = (content.answers.get(question.key) or "").strip()
        if problem := answer_problem(question, value):
            problems[f"answer_{question.key}"] = problem
        if value:
            answers[question.key] = value
    if content.grade and content.grade not in Grade.values:
        problems["grade"] = "Choose a grade from the scale, or not scored"
    if len(content.agency_record_number) > 64:
        problems["agency_record_number"] = "Your record number must be 64 characters or fewer"
    if problems:
        raise ReturnIncomplete(problems)
    content.answers = answers
    for name in ("grade_reason", *NARRATIVES, "immediate_action_description"):
        setattr(content, name, getattr(content, name).strip())
    content.agency_record_number = content.agency_record_number.strip()
    if content.grade != Grade.NOT_SCORED:
        content.grade_reason = ""
    warnings: dict[str, str] = {}
    if content.grade == Grade.NOT_SCORED and not content.grade_reason:
        # "Not scored" always carries its reason (a database rule too): hold it until given.
        content.grade = ""
        warnings["grade_reason"] = (
            "Say why your agency's involvement is not scored: “not scored” is recorded once "
            "the reason is given."
        )
    if content.immediate_action and not content.immediate_action_description:
        # Escalating a bare flag would tell nobody what to do: hold it until it is described.
        content.immediate_action = False
        warnings["immediate_action_description"] = (
            "Describe the immediate action required: it is recorded and escalated once described."
        )
    if not content.immediate_action:
        content.immediate_action_description = ""
    return content, warnings


def submission_problems(saved: Saved, missing: dict[str, str]) -> dict[str, str]:
    """Why a return could not be submitted, by field: what is missing, and what was held back
    from the draft (which says more than "missing" about a choice the person did make)."""
    problems = missing | saved.warnings
    if "grade_reason" in saved.warnings:
        problems.pop("grade", None)
    return problems


def missing_for_submission(return_: Return | None, agency_request: Request) -> dict[str, str]:
    """What a return still needs before it can be submitted (form field name → message)."""
    missing = {}
    answers = return_.answers if return_ else {}
    for question in agency_request.audit.questions.all():
        if not answers.get(question.key):
            missing[f"answer_{question.key}"] = f"Answer the question “{question.text}”"
    if return_ is None or not return_.grade:
        missing["grade"] = "Grade your agency's involvement, or choose not scored"
    elif return_.grade == Grade.NOT_SCORED and not return_.grade_reason:
        missing["grade_reason"] = "Say why your agency's involvement is not scored"
    for name, label in NARRATIVES.items():
        if return_ is None or not getattr(return_, name):
            missing[name] = f"Enter the {label} (write “None” if there is none)"
    if return_ and return_.immediate_action and not return_.immediate_action_description:
        missing["immediate_action_description"] = "Describe the immediate action required"
    return missing


@transaction.atomic
def return_submit(
    *, agency_request: Request, by: User, via: str = "web", version: int | None = None
) -> Return:
    """Submit a complete return. Where the agency wants sign-off, only its lead may. With
    `version` (the version the person checked), refused if the return has changed since."""
    agency_request = Request.objects.select_for_update().get(pk=agency_request.pk)
    return_ = return_ready_to_submit(agency_request=agency_request, by=by)
    if version is not None and return_.version != version:
        raise DomainError(
            "The return has changed since you checked your answers: check them again, then submit."
        )
    now = timezone.now()
    with tracking.actor(by, via=via):
        return_.submitted_by, return_.submitted_at = by, now
        if agency_request.agency.requires_sign_off:
            return_.signed_off_by, return_.signed_off_at = by, now
        return_.save()
        agency_request.status = RequestStatus.SUBMITTED
        agency_request.save()
    return return_


@transaction.atomic
def return_request_sign_off(*, agency_request: Request, by: User, via: str = "web") -> Return:
    """An auditor asks the agency's lead to approve a complete return."""
    agency_request = Request.objects.select_for_update().get(pk=agency_request.pk)
    return_ = _submittable(agency_request)
    if not agency_request.agency.requires_sign_off:
        raise DomainError(f"{agency_request.agency.name} does not sign off returns: submit it.")
    if return_.sign_off_requested_at:
        raise DomainError("Sign-off has already been asked for.")
    with tracking.actor(by, via=via):
        return_.sign_off_requested_by, return_.sign_off_requested_at = by, timezone.now()
        return_.save()
        _tell(NoticeKind.SIGN_OFF_REQUESTED, agency_request, by)
    return return_


def return_ready_to_submit(*, agency_request: Request, by: User) -> Return:
    """The return, if `by` could submit it as it stands (what "Check your answers" shows);
    refused as `return_submit` would refuse it, and nothing written."""
    return_ = _submittable(agency_request)
    if agency_request.agency.requires_sign_off and not _is_lead(by, agency_request):
        raise DomainError(
            f"{agency_request.agency.name} signs off its returns: ask your agency lead to sign "
            "it off."
        )
    return return_


def _submittable(agency_request: Request) -> Return:
    if refusal := may_change(agency_request):
        raise DomainError(refusal)
    if agency_request.status == RequestStatus.SUBMITTED:
        raise DomainError("This return has already been submitted.")
    return_ = return_of(agency_request)
    missing = missing_for_submission(return_, agency_request)
    if missing:
        raise ReturnIncomplete(missing)
    assert return_ is not None  # an absent return misses every field
    return return_


@transaction.atomic
def return_send_back(
    *, agency_request: Request, by: User, comment: str, via: str = "web"
) -> Return:
    """The coordinator returns a submitted return for clarification, saying why."""
    comment = comment.strip()
    if not comment:
        raise DomainError("Say what needs clarifying", field="comment")
    agency_request = Request.objects.select_for_update().get(pk=agency_request.pk)
    if agency_request.status != RequestStatus.SUBMITTED:
        raise DomainError("Only a submitted return can be returned for clarification.")
    if refusal := may_change(agency_request):
        raise DomainError(refusal)
    return_ = Return.objects.get(request=agency_request)  # a submitted request has its return
    with tracking.actor(by, via=via, reason=comment):
        return_.clarification, return_.returned_at = comment, timezone.now()
        return_.submitted_at = return_.submitted_by = None
        return_.signed_off_at = return_.signed_off_by = None
        return_.sign_off_requested_at = return_.sign_off_requested_by = None
        return_.version += 1
        return_.updated_by = by
        return_.save()
        agency_request.status = RequestStatus.RETURNED
        agency_request.save()
        _tell(NoticeKind.RETURNED, agency_request, by)
    return return_


@transaction.atomic
def immediate_action_handle(*, return_: Return, by: User, note: str, via: str = "web") -> Return:
    """A coordinator records what was done about an immediate action; the flag comes down."""
    note = note.strip()
    if not note:
        raise DomainError("Say what was done about the immediate action", field="note")
    return_ = Return.objects.select_for_update().get(pk=return_.pk)
    if not return_.immediate_action:
        raise DomainError("This return does not flag an immediate action.")
    if return_.immediate_action_handled_at:
        raise DomainError("This immediate action has already been handled.")
    with tracking.actor(by, via=via, reason=note):
        return_.immediate_action_handling = note
        return_.immediate_action_handled_by, return_.immediate_action_handled_at = (
            by,
            timezone.now(),
        )
        return_.save()
    return return_


def _escalate_if_flagged(return_: Return, agency_request: Request, by: User) -> None:
    if not return_.immediate_action or return_.immediate_action_escalated_at:
        return
    return_.immediate_action_escalated_at = timezone.now()
    return_.save()
    _tell(NoticeKind.IMMEDIATE_ACTION, agency_request, by)


def _tell(kind: str, agency_request: Request, by: User) -> None:
    """E-mail the people a notice about this request is for (see maca.notices)."""
    notice_send(
        kind=kind,
        audit=agency_request.audit,
        agency=agency_request.agency,
        agency_request=agency_request,
        by=by,
    )


def _is_lead(user: User, agency_request: Request) -> bool:
    viewer = access.viewer_as(user, agency_request.audit.partnership)
    return access.may_sign_off(viewer, agency_request)
