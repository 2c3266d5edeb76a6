"""The meeting: moving the audit into moderation, the meeting and who attends, the walk through
the cases (points, immediate actions, ratification and its lock), and moving on to reporting.

Rules enforced here (and nowhere else):
- moderation starts from collecting, even with returns not submitted: they may still arrive
  until their case is ratified;
- the meeting is scheduled and its attendees recorded while the audit is collecting returns or
  in moderation; a case's points, immediate actions and ratification only in moderation;
- the system proposes a grade from the case's submitted returns (`rules.propose_grade`); the
  meeting keeps it, or gives another grade or "not scored", and then says why;
- an inadequate case is ratified only once it has an immediate action to make the child safe;
  an immediate-action flag in a return, once handled, is that action when the meeting confirms
  it as it ratifies: it is recorded as the case's immediate action, complete, without retyping;
- ratifying locks the case's returns; unlocking needs a reason (kept by the change history),
  and the case must then be ratified again;
- reporting starts only when every case is ratified (or not scored) and locked, every
  inadequate case has its immediate action, and every immediate-action flag is handled (the
  pages follow flags until then, and no further: `follow_flags` in maca.audits.lifecycle).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from maca.accounts.models import User
from maca.actions.models import Action, ActionStatus
from maca.actions.services import action_fields, action_tell
from maca.audits import lifecycle
from maca.audits.lifecycle import ReportingNotReady as ReportingNotReady  # what is missing
from maca.audits.models import Audit, Case, Request, RequestStatus
from maca.errors import DomainError
from maca.grades import Grade
from maca.history import tracking
from maca.partnerships.models import Agency
from maca.partnerships.ordering import partnership_order
from maca.returns.models import Return

from .models import Attendee, CasePoint, Meeting, PointKind, Ratification
from .rules import propose_grade

INADEQUATE_NEEDS_ACTION = (
    "An inadequate case needs at least one immediate action to make the child safe now: "
    "add it below, then ratify."
)
INADEQUATE_NEEDS_CONFIRMATION = (
    "An inadequate case needs at least one immediate action to make the child safe now: "
    "confirm the handled flag as the case's immediate action, or agree one below, then ratify."
)


def _status(audit: Audit) -> str:
    return audit.get_status_display().lower()


def _in_moderation(audit: Audit, what: str) -> None:
    if not audit.allows.ratify:
        raise DomainError(
            f"{what} only while the audit is in moderation (it is now: {_status(audit)})"
        )


def _meeting_open(audit: Audit) -> None:
    if not audit.allows.arrange_meeting:
        raise DomainError(
            "The meeting can only be arranged while the audit is collecting returns or in "
            f"moderation (it is now: {_status(audit)})"
        )


def _required(value: str, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    if max_length is not None and len(value) > max_length:
        raise DomainError(f"Keep it to {max_length} characters or fewer", field=field)
    return value


# --- Moderation --------------------------------------------------------------------------------


@transaction.atomic
def moderation_start(*, audit: Audit, by: User) -> None:
    """Move the audit from collecting returns to moderation (the meeting). Returns not yet
    submitted may arrive until their case is ratified."""
    lifecycle.transition(audit=audit, to=lifecycle.MODERATION, by=by)


# --- The meeting -------------------------------------------------------------------------------


def meeting_of(audit: Audit) -> Meeting | None:
    """The audit's meeting (the first, should an import have brought several)."""
    return Meeting.objects.filter(audit=audit).order_by("held_on", "pk").first()


def _checked_meeting(
    audit: Audit, held_on: datetime.date | None, location: str
) -> tuple[datetime.date, str]:
    """The meeting's date and place, checked; refused with the field that is wrong."""
    _meeting_open(audit)
    if held_on is None:
        raise DomainError("Enter the date of the meeting", field="held_on")
    if audit.returns_due is not None and held_on < audit.returns_due:
        raise DomainError(
            "The meeting date must be on or after the date returns are due", field="held_on"
        )
    location = (location or "").strip()
    if len(location) > 200:
        raise DomainError("Keep the location to 200 characters or fewer", field="location")
    return held_on, location


@transaction.atomic
def meeting_schedule(
    *, audit: Audit, by: User, held_on: datetime.date | None, location: str = ""
) -> Meeting:
    """Schedule the audit's meeting (one per audit). It cannot come before returns are due;
    the audit's meeting date follows it."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    held_on, location = _checked_meeting(audit, held_on, location)
    if meeting_of(audit) is not None:
        raise DomainError("The meeting is already scheduled: change its date instead")
    with tracking.actor(by, via="web"):
        meeting = Meeting.objects.create(
            partnership_id=audit.partnership_id, audit=audit, held_on=held_on, location=location
        )
        audit.meeting_date = held_on
        audit.save()
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, by: User, held_on: datetime.date | None, location: str = ""
) -> Meeting:
    """Change the meeting's date or place, under the same rules as scheduling it."""
    audit = Audit.objects.select_for_update().get(pk=meeting.audit_id)
    held_on, location = _checked_meeting(audit, held_on, location)
    meeting = Meeting.objects.get(pk=meeting.pk)
    with tracking.actor(by, via="web"):
        meeting.held_on, meeting.location = held_on, location
        meeting.save()
        audit.meeting_date = held_on
        audit.save()
    return meeting


@transaction.atomic
def attendee_add(
    *, meeting: Meeting, by: User, name: str, agency: Agency | None = None
) -> Attendee:
    """Record someone attending, with the agency they represent (none, e.g. for the chair).
    The same person for the same agency is listed once."""
    _meeting_open(meeting.audit)
    name = _required(name, "name", "Enter the attendee's name", max_length=150)
    if agency is not None and agency.partnership_id != meeting.partnership_id:
        raise DomainError("Choose one of the partnership's agencies", field="agency")
    if Attendee.objects.filter(meeting=meeting, name__iexact=name, agency=agency).exists():
        raise DomainError(f"{name} is already on the list of attendees", field="name")
    with tracking.actor(by, via="web"):
        return Attendee.objects.create(
            partnership_id=meeting.partnership_id, meeting=meeting, name=name, agency=agency
        )


@transaction.atomic
def attendee_remove(*, attendee: Attendee, by: User) -> None:
    _meeting_open(attendee.meeting.audit)
    with tracking.actor(by, via="web"):
        attendee.delete()


# --- Points and immediate actions ----------------------------------------------------------------


def _meeting_for(case: Case, meeting: Meeting | None) -> Meeting | None:
    if meeting is None:
        return meeting_of(case.audit)
    if meeting.audit_id != case.audit_id:
        raise DomainError("That meeting is not this audit's meeting")
    return meeting


@transaction.atomic
def case_point_add(
    *, case: Case, by: User, kind: str, text: str, meeting: Meeting | None = None
) -> CasePoint:
    """Record good practice, a concern or a note about a case, at the meeting."""
    _in_moderation(case.audit, "Points are recorded")
    if kind not in PointKind.values:
        raise DomainError("Choose good practice, a concern or a note", field="kind")
    text = _required(text, "text", "Enter the point")
    meeting = _meeting_for(case, meeting)
    with tracking.actor(by, via="web"):
        return CasePoint.objects.create(
            partnership_id=case.partnership_id, case=case, kind=kind, text=text, meeting=meeting
        )


@transaction.atomic
def case_point_remove(*, point: CasePoint, by: User) -> None:
    _in_moderation(point.case.audit, "Points are removed")
    with tracking.actor(by, via="web"):
        point.delete()


def involved_agencies(case: Case) -> QuerySet[Agency]:
    """The agencies involved in a case: those it has requests for, in the partnership's order."""
    return Agency.objects.filter(requests__case=case).order_by(*partnership_order())


@transaction.atomic
def immediate_action_add(
    *,
    case: Case,
    by: User,
    agency: Agency | None,
    owner: str,
    description: str,
    due: datetime.date | None,
) -> Action:
    """Agree an immediate action to make the child safe now: owned by an agency involved in the
    case and a named person, saying what will be done, due today or later. Every field is
    needed; `ActionInvalid.errors` names each one that is wrong. The agency is told at once:
    an immediate action is due in days."""
    _in_moderation(case.audit, "Immediate actions are agreed")
    fields = action_fields(
        case.audit,
        agency,
        owner,
        description,
        due,
        today=timezone.localdate(),
        agencies=involved_agencies(case),
        choose_agency="Choose the agency that will act",
        wrong_agency=f"Choose one of the agencies involved in case {case.reference}",
        describe="Describe what will be done to make the child safe now",
    )
    position = Action.objects.filter(case=case).count()
    with tracking.actor(by, via="web"):
        action = Action.objects.create(
            partnership_id=case.partnership_id,
            audit_id=case.audit_id,
            case=case,
            immediate=True,
            status=ActionStatus.OPEN,
            position=position,
            **fields,
        )
    action_tell(action=action, by=by)
    return action


# --- Ratification ---------------------------------------------------------------------------------


def flags_to_record(case: Case) -> QuerySet[Return]:
    """The case's immediate-action flags, handled, that are not yet recorded as one of its
    immediate actions: what the meeting may confirm as it ratifies."""
    return (
        Return.objects.filter(
            request__case=case,
            immediate_action=True,
            immediate_action_handled_at__isnull=False,
            recorded_action__isnull=True,
        )
        .select_related("request__agency", "immediate_action_handled_by")
        .order_by(*partnership_order("request__agency__"))
    )


def _record_flag(case: Case, flag: Return, position: int) -> Action:
    """The handled flag as the case's immediate action: what was done, by the agency that
    flagged it, complete on the day it was handled."""
    handled_by = flag.immediate_action_handled_by
    return Action.objects.create(
        partnership_id=case.partnership_id,
        audit_id=case.audit_id,
        case=case,
        immediate=True,
        flag=flag,
        agency=flag.request.agency,
        owner=(handled_by.name if handled_by and handled_by.name else "The coordinator")[:150],
        description=flag.immediate_action_handling,
        due=timezone.localdate(flag.immediate_action_handled_at),
        status=ActionStatus.COMPLETE,
        completed_at=flag.immediate_action_handled_at,
        position=position,
    )


def case_proposed_grade(case: Case) -> Grade | None:
    """The grade the system proposes for a case, from its submitted returns' grades."""
    grades = Return.objects.filter(
        request__case=case, request__status=RequestStatus.SUBMITTED
    ).values_list("grade", flat=True)
    return propose_grade(grades)


def _label(grade: str | None) -> str:
    return Grade(grade).label.lower() if grade else ""


@transaction.atomic
def case_ratify(
    *,
    case: Case,
    by: User,
    grade: str,
    reason: str = "",
    meeting: Meeting | None = None,
    record_flags: Iterable[Return] = (),
    held_on: datetime.date | None = None,
) -> Ratification:
    """The meeting's judgement of a case, which locks its returns.

    Only in moderation, and not while the case is locked by an earlier ratification (unlock it
    first). The proposed grade is stored with it; a different grade, or "not scored", needs a
    reason. An inadequate case needs at least one immediate action first. `record_flags` are
    handled flags of the case (`flags_to_record`) the meeting confirms as its immediate actions:
    each is recorded as one, and counts as one for an inadequate case. `held_on`, the date the
    meeting was held, is recorded with it (scheduling the meeting, or moving its date, on the
    rules of `meeting_schedule`) when the meeting ratifies its last case: all or nothing.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("audit").get(pk=case.pk)
    _in_moderation(case.audit, "Cases are ratified")
    if case.locked_at is not None:
        raise DomainError(
            f"Case {case.reference} is already ratified and locked: unlock it, saying why, "
            "to ratify it again"
        )
    if grade not in Grade.values:
        raise DomainError("Choose the meeting's grade, or not scored", field="grade")
    reason = (reason or "").strip()
    proposed = case_proposed_grade(case)
    if grade == Grade.NOT_SCORED and not reason:
        raise DomainError("Say why the case is not scored", field="reason")
    if grade != proposed and not reason:
        if proposed is None:
            raise DomainError(
                f"Say why the meeting grades the case {_label(grade)}: no grade was proposed, "
                "because no submitted return scores it",
                field="reason",
            )
        raise DomainError(
            f"Say why the meeting grades the case {_label(grade)} rather than the proposed "
            f"{_label(proposed)}",
            field="reason",
        )
    offered = {flag.pk: flag for flag in flags_to_record(case)}
    record_flags = list(record_flags)
    if any(flag.pk not in offered for flag in record_flags):
        raise DomainError(
            "Choose a handled flag of this case that is not yet an immediate action",
            field="record_flags",
        )
    confirmed = [offered[flag.pk] for flag in record_flags]
    has_action = Action.objects.filter(case=case, immediate=True).exists()
    if grade == Grade.INADEQUATE and not has_action and not confirmed:
        raise DomainError(
            INADEQUATE_NEEDS_CONFIRMATION if offered else INADEQUATE_NEEDS_ACTION, field="grade"
        )
    meeting = _meeting_for(case, meeting)
    ratification = Ratification.objects.filter(case=case).first() or Ratification(
        partnership_id=case.partnership_id, case=case
    )
    with tracking.actor(by, via="web", reason=reason):
        ratification.grade = grade
        ratification.proposed_grade = proposed.value if proposed else ""
        ratification.reason = reason
        ratification.meeting = meeting
        ratification.save()
        position = Action.objects.filter(case=case).count()
        for n, flag in enumerate(dict.fromkeys(confirmed)):
            _record_flag(case, flag, position + n)
        case.locked_at = timezone.now()
        case.save()
    if held_on is not None:
        _meeting_held_on(case.audit, by, held_on)
    return ratification


def _meeting_held_on(audit: Audit, by: User, held_on: datetime.date) -> None:
    existing = meeting_of(audit)
    if existing is None:
        meeting_schedule(audit=audit, by=by, held_on=held_on)
    elif existing.held_on != held_on:
        meeting_update(meeting=existing, by=by, held_on=held_on, location=existing.location)


NO_RETURNS_REASON = "No returns received"


@transaction.atomic
def cases_without_returns_not_score(*, audit: Audit, by: User, cases: Iterable[Case]) -> int:
    """Mark cases that have no submitted return at all as not scored, "No returns received",
    each ratified (and locked) as `case_ratify` does, so the history records each. All or
    nothing: a case that has a return by now, or is already ratified, refuses the lot, naming
    it. Returns how many were marked."""
    _in_moderation(audit, "Cases are ratified")
    cases = list(cases)
    if not cases:
        raise DomainError("No case is waiting without returns")
    for case in cases:
        if case.audit_id != audit.pk:
            raise DomainError("Choose cases of this audit")
        if Request.objects.filter(case=case, status=RequestStatus.SUBMITTED).exists():
            raise DomainError(
                f"Case {case.reference} has a return now: consider it on its own page"
            )
        if Ratification.objects.filter(case=case).exists():
            raise DomainError(f"Case {case.reference} is already ratified")
        case_ratify(case=case, by=by, grade=Grade.NOT_SCORED, reason=NO_RETURNS_REASON)
    return len(cases)


@transaction.atomic
def case_unlock(*, case: Case, by: User, reason: str) -> Case:
    """Unlock a ratified case so that its returns can change again. The reason is kept in the
    change history; the ratification stays, but the case must be ratified again before the
    audit can move to reporting."""
    case = Case.objects.select_for_update(of=("self",)).select_related("audit").get(pk=case.pk)
    _in_moderation(case.audit, "Cases are unlocked")
    if case.locked_at is None:
        raise DomainError(f"Case {case.reference} is not locked")
    reason = _required(reason, "reason", "Say why the case is being unlocked")
    with tracking.actor(by, via="web", reason=reason):
        case.locked_at = None
        case.save()
    return case


# --- Reporting ------------------------------------------------------------------------------------


def reporting_checklist(audit: Audit) -> list[str]:
    """What is missing before the audit can move to reporting; empty when it can."""
    return lifecycle.checklist(audit, to=lifecycle.REPORTING)


@transaction.atomic
def reporting_start(*, audit: Audit, by: User) -> None:
    """Move the audit from moderation to reporting. Refused, listing everything missing, until
    every case is ratified or not scored and locked, and every inadequate case has an
    immediate action."""
    lifecycle.transition(audit=audit, to=lifecycle.REPORTING, by=by)
