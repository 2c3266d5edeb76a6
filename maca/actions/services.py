"""Recommendations, their actions, progress until done, closing (the dissemination log is in
`dissemination.py`).

Rules enforced here:
- recommendations and their actions are written while the audit is in reporting or monitoring;
  a recommendation answers themes of its own audit; an action is owned by one agency and a
  named person, with a due date;
- an edit names the version it started from; an older one is refused (`ActionConflict`);
- the agency that owns an action is e-mailed when it is given the action (`action_tell`);
- progress is a dated note by the agency (or a coordinator) with the status it leaves;
  completing needs the evidence of what changed;
- the audit moves to closed only when its report is published and every action is complete.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from maca.accounts.models import User
from maca.audits import lifecycle
from maca.audits.answers import answer_options
from maca.audits.lifecycle import ClosingNotReady as ClosingNotReady  # what stops closing
from maca.audits.models import Audit, Question
from maca.errors import DomainError
from maca.history import tracking
from maca.meetings.models import AuditTheme
from maca.notices.models import NoticeKind
from maca.notices.services import notice_send
from maca.partnerships.models import Agency

from .models import Action, ActionStatus, ActionUpdate, Recommendation


class ActionInvalid(DomainError):
    """An action was refused: `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        field = next(iter(errors))
        super().__init__(errors[field], field=field)
        self.errors = errors


class ActionConflict(DomainError):
    """Someone else changed the action since this person opened it."""

    def __init__(self, current: Action):
        super().__init__(
            "Someone else changed this action after you opened it, so your change was not "
            "saved. Check the action as it is now, then make your change again."
        )
        self.current = current


def _planning(audit: Audit) -> None:
    if not audit.allows.agree_actions:
        raise DomainError(
            "Recommendations and actions are agreed while the audit is in reporting or "
            f"monitoring (it is now: {audit.get_status_display().lower()})."
        )


def _themes_of(audit: Audit, themes: Iterable[AuditTheme]) -> list[AuditTheme]:
    themes = list(themes)
    if any(theme.audit_id != audit.pk for theme in themes):
        raise DomainError("Choose themes of this audit.", field="themes")
    return themes


def _text(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, field=field)
    return text


def success_checked(
    audit: Audit,
    *,
    success_measure: str = "",
    success_question: str = "",
    success_options: Iterable[str] = (),
    success_target: int | None = None,
) -> dict:
    """A recommendation's success measure as stored, or a `DomainError` naming the field.

    Words alone may be given; a figure a re-audit checks needs all three of a key question of
    the audit's tool, the answers that count as success (answers of that question) and a
    target from 1 to 100 %, and words saying it."""
    measure = " ".join((success_measure or "").split())
    key = (success_question or "").strip()
    options = list(dict.fromkeys(success_options or ()))
    if not key and not options and success_target is None:
        return {
            "success_measure": measure,
            "success_question": "",
            "success_options": [],
            "success_target": None,
        }
    question = audit.questions.filter(key=key, key_measure=True).first() if key else None
    if question is None:
        raise DomainError(
            "Choose the key question the success measure is checked against",
            field="success_question",
        )
    offered = [value for value, _ in answer_options(question)]
    if not options:
        raise DomainError("Choose the answers that count as success", field="success_options")
    if any(option not in offered for option in options):
        raise DomainError(
            f"Choose answers the question offers: {', '.join(answer_labels(question))}",
            field="success_options",
        )
    if success_target is None or not 1 <= success_target <= 100:
        raise DomainError("Enter the target as a percentage from 1 to 100", field="success_target")
    if not measure:
        raise DomainError("Describe the success measure in words", field="success_measure")
    return {
        "success_measure": measure,
        "success_question": key,
        "success_options": [value for value in offered if value in options],
        "success_target": success_target,
    }


def answer_labels(question: Question) -> list[str]:
    return [label for _, label in answer_options(question)]


@transaction.atomic
def recommendation_add(
    *, audit: Audit, text: str, themes: Iterable[AuditTheme], by: User, **success: Any
) -> Recommendation:
    """A recommendation of the QA sub-group, answering one or more of the audit's themes;
    `success`: its success measure, if any (`success_checked`)."""
    _planning(audit)
    text = _text(text, "text", "Enter the recommendation")
    themes = _themes_of(audit, themes)
    measure = success_checked(audit, **success)
    with tracking.actor(by, via="web"):
        recommendation = Recommendation.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            text=text,
            position=audit.recommendations.count(),
            **measure,
        )
        recommendation.themes.set(themes)
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    text: str,
    themes: Iterable[AuditTheme],
    by: User,
    **success: Any,
) -> Recommendation:
    _planning(recommendation.audit)
    recommendation.text = _text(text, "text", "Enter the recommendation")
    themes = _themes_of(recommendation.audit, themes)
    for name, value in success_checked(recommendation.audit, **success).items():
        setattr(recommendation, name, value)
    with tracking.actor(by, via="web"):
        recommendation.save()
        recommendation.themes.set(themes)
    return recommendation


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, by: User, reason: str) -> None:
    """Refused once any of its actions has progress recorded: that work is not to be lost."""
    _planning(recommendation.audit)
    if ActionUpdate.objects.filter(action__recommendation=recommendation).exists():
        raise DomainError(
            "Agencies have recorded progress on this recommendation's actions, so it cannot "
            "be deleted. Change its words instead."
        )
    reason = _text(reason, "reason", "Say why the recommendation is deleted")
    with tracking.actor(by, reason=reason, via="web"):
        for action in recommendation.actions.all():
            action.delete()
        recommendation.delete()


def action_fields(
    audit: Audit,
    agency: Agency | None,
    owner: str,
    description: str,
    due: datetime.date | None,
    *,
    today: datetime.date,
    agencies: QuerySet[Agency] | None = None,
    choose_agency: str = "Choose the agency that owns the action",
    wrong_agency: str = "Choose one of the partnership's agencies",
    describe: str = "Describe what will be done",
) -> dict:
    """The fields every action needs, cleaned: an agency (of the partnership, or of
    `agencies`), a named owner, what will be done, a due date not before `today`. Raises
    `ActionInvalid` naming every field that is wrong."""
    errors = {}
    if agency is None:
        errors["agency"] = choose_agency
    elif agency.partnership_id != audit.partnership_id or (
        agencies is not None and not agencies.filter(pk=agency.pk).exists()
    ):
        errors["agency"] = wrong_agency
    owner = (owner or "").strip()
    if not owner:
        errors["owner"] = "Enter the name of the person who owns the action"
    elif len(owner) > 150:
        errors["owner"] = "Keep the owner's name to 150 characters or fewer"
    description = (description or "").strip()
    if not description:
        errors["description"] = describe
    if due is None:
        errors["due"] = "Enter the date the action is due"
    elif due < today:
        errors["due"] = "The due date must be today or in the future"
    if errors:
        raise ActionInvalid(errors)
    return {"agency": agency, "owner": owner, "description": description, "due": due}


@transaction.atomic
def action_add(
    *,
    recommendation: Recommendation,
    agency: Agency | None,
    owner: str,
    description: str,
    due: datetime.date | None,
    by: User,
) -> Action:
    """An action under a recommendation. Every field is needed; `ActionInvalid.errors` names
    each one that is wrong. The agency that owns it is told."""
    audit = recommendation.audit
    _planning(audit)
    fields = action_fields(audit, agency, owner, description, due, today=timezone.localdate())
    with tracking.actor(by, via="web"):
        action = Action.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            recommendation=recommendation,
            position=recommendation.actions.count(),
            **fields,
        )
    action_tell(action=action, by=by)
    return action


def action_tell(*, action: Action, by: User) -> None:
    """E-mail the agency that now owns the action (its auditors and leads, its contact
    address): what it is about and when it is due, never its words. Called in the transaction
    that gives it the action."""
    notice_send(
        kind=NoticeKind.ACTION_ASSIGNED,
        audit=action.audit,
        agency=action.agency,
        action=action,
        due=action.due,
        by=by,
    )


@transaction.atomic
def action_update(
    *,
    action: Action,
    version: int,
    agency: Agency | None,
    owner: str,
    description: str,
    due: datetime.date | None,
    by: User,
    reason: str = "",
) -> Action:
    """Change who owns an action, what it is or when it is due (a coordinator's edit). A due
    date already past may stay as it is; a new one must be today or later. An agency given
    the action by the change is told."""
    action = Action.objects.select_for_update().select_related("audit").get(pk=action.pk)
    if action.version != version:
        raise ActionConflict(action)
    if not action.audit.allows.change_actions:
        raise DomainError("The audit is closed: its actions no longer change.")
    earliest = min(action.due, timezone.localdate())
    fields = action_fields(action.audit, agency, owner, description, due, today=earliest)
    if action.due != fields["due"] and fields["due"] < timezone.localdate():
        raise ActionInvalid({"due": "A new due date must be today or in the future"})
    changed = any(getattr(action, name) != value for name, value in fields.items())
    if not changed:
        return action
    moved = action.agency_id != fields["agency"].pk
    for name, value in fields.items():
        setattr(action, name, value)
    action.version += 1
    with tracking.actor(by, reason=reason, via="web"):
        action.save()
    if moved:
        action_tell(action=action, by=by)
    return action


@transaction.atomic
def action_progress(
    *,
    action: Action,
    by: User,
    note: str,
    status: str,
    impact: str = "",
    version: int,
    via: str = "web",
) -> ActionUpdate:
    """Record progress: a dated note and the status it leaves the action in. Completing needs
    the evidence of what changed (`impact`). `via` says where it came from (the history)."""
    action = Action.objects.select_for_update().select_related("audit").get(pk=action.pk)
    if action.version != version:
        raise ActionConflict(action)
    if not action.audit.allows.change_actions:
        raise DomainError("The audit is closed: its actions no longer change.")
    errors = {}
    if status not in ActionStatus.values:
        errors["status"] = "Choose the action's status"
    note = (note or "").strip()
    if not note:
        errors["note"] = "Describe the progress made"
    impact = (impact or "").strip()
    if status == ActionStatus.COMPLETE and not impact:
        errors["impact"] = "Say what changed as a result: an action is complete only with it"
    if errors:
        raise ActionInvalid(errors)
    with tracking.actor(by, via=via):
        update = ActionUpdate.objects.create(
            partnership_id=action.partnership_id,
            action=action,
            note=note,
            impact=impact,
            status=status,
            by=by,
        )
        action.status = status
        action.completed_at = timezone.now() if status == ActionStatus.COMPLETE else None
        action.version += 1
        action.save()
    return update


def closing_checklist(audit: Audit) -> list[str]:
    """What still stops the audit closing; empty when it can close."""
    return lifecycle.checklist(audit, to=lifecycle.CLOSED)


def audit_close(*, audit: Audit, by: User) -> Audit:
    """Close the audit: from monitoring, once its report is published and every action is
    complete (refused with `ClosingNotReady`, naming what still stops it). The retention
    period runs from the moment it closes."""
    return lifecycle.transition(audit=audit, to=lifecycle.CLOSED, by=by)


def audit_monitor(*, audit: Audit, by: User) -> None:
    """Once its report is approved, a reporting audit moves on to monitoring its actions."""
    if audit.allows.start_monitoring:
        lifecycle.transition(audit=audit, to=lifecycle.MONITORING, by=by, reason="Report approved")
