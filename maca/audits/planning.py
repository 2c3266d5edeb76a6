"""Planning an audit: its details, its sample plan and the question set of its audit tool.

Every write records who made it (`tracking.actor`) and refuses, with a `DomainError` naming
the field, what the audit's life does not allow: details change while the audit is planned or
collecting returns; the sample plan and the audit tool only while it is planned, because the
requests sent to agencies are built from them.
"""

import datetime
import re

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from maca.errors import DomainError
from maca.history import tracking
from maca.links import link_problem
from maca.partnerships.models import Area, Partnership

from . import answers
from .models import (
    Audit,
    AuditReason,
    AuditStatus,
    Question,
    QuestionKind,
    RequestStatus,
    SamplePlanEntry,
)

TOOL_FROZEN = "The audit tool cannot change once requests have been sent"
PLAN_FROZEN = "The sample plan cannot change once requests have been sent"
DETAILS_FROZEN = "The audit's details cannot change once returns are no longer being collected"
MAX_CASES_PER_AREA = 100
_KEY = re.compile(r"^q(\d+)$")


# --- The audit ------------------------------------------------------------------------------


@transaction.atomic
def audit_create(
    *,
    partnership: Partnership,
    by,
    title: str,
    theme: str,
    rationale: str = "",
    rationale_link: str = "",
    reason: str = "",
    sample_plan: dict[Area, int] | None = None,
    returns_due: datetime.date | None = None,
    meeting_date: datetime.date | None = None,
) -> Audit:
    """Start planning an audit. Its title is unique in the partnership; its link, if any, is a
    web address; returns cannot be due in the past, and the meeting cannot come before the
    returns are due."""
    title = _required(title, "title", "Enter the audit's title")
    theme = _required(theme, "theme", "Enter the audit's theme")
    rationale_link = _checked_link(rationale_link)
    reason = _checked_reason(reason)
    _check_title_free(partnership, title)
    _check_dates(returns_due=returns_due, meeting_date=meeting_date, returns_due_was=None)
    plan = _checked_plan(partnership, sample_plan or {})
    with tracking.actor(by, via="web"):
        audit = Audit.objects.create(
            partnership=partnership,
            title=title,
            theme=theme,
            rationale=rationale.strip(),
            rationale_link=rationale_link,
            reason=reason,
            status=AuditStatus.PLANNING,
            returns_due=returns_due,
            meeting_date=meeting_date,
        )
        _save_plan(audit, plan)
    return audit


@transaction.atomic
def reaudit_plan(
    *,
    earlier: Audit,
    by,
    title: str,
    rationale: str = "",
    rationale_link: str = "",
    sample_plan: dict[Area, int] | None = None,
    returns_due: datetime.date | None = None,
    meeting_date: datetime.date | None = None,
) -> Audit:
    """Plan a re-audit of an earlier audit: a new audit in planning, of the same partnership
    and theme, marked as its re-audit, with the earlier audit's tool copied question by
    question under the same keys (so that their answers can be compared), editable as any tool
    while the re-audit is planned. Only an audit whose cases have been graded (reporting,
    monitoring or closed) can be re-audited."""
    if not earlier.allows.count_in_learning:
        raise DomainError(REAUDIT_TOO_EARLY)
    audit = audit_create(
        partnership=earlier.partnership,
        by=by,
        title=title,
        theme=earlier.theme,
        rationale=rationale,
        rationale_link=rationale_link,
        reason=AuditReason.REAUDIT,  # the programme says why it is held
        sample_plan=sample_plan,
        returns_due=returns_due,
        meeting_date=meeting_date,
    )
    with tracking.actor(by, via="web", reason=f"a re-audit of {earlier.title}"):
        audit.reaudit_of = earlier
        audit.save()
        for original in earlier.questions.order_by("position", "id"):
            Question.objects.create(
                partnership_id=audit.partnership_id,
                audit=audit,
                key=original.key,
                **_copied(original),
            )
    return audit


REAUDIT_TOO_EARLY = "An audit can be re-audited once its cases have been graded (from reporting on)"


def _copied(original: Question) -> dict:
    """A question's fields but its key and audit, for a copy."""
    return {
        "text": original.text,
        "kind": original.kind,
        "options": list(original.options),
        "scale_labels": dict(original.scale_labels),
        "allows_not_applicable": original.allows_not_applicable,
        "guidance": original.guidance,
        "key_measure": original.key_measure,
        "position": original.position,
    }


@transaction.atomic
def audit_update(
    *,
    audit: Audit,
    by,
    title: str,
    theme: str,
    rationale: str = "",
    rationale_link: str = "",
    reason: str = "",
    returns_due: datetime.date | None = None,
    meeting_date: datetime.date | None = None,
    sample_plan: dict[Area, int] | None = None,
) -> Audit:
    """Change an audit's details while it is planned or collecting returns. `sample_plan`
    None leaves the plan as it is; a different plan is refused once requests have been sent.
    A returns due date that changes cannot be in the past (one already past may stay)."""
    if not audit.allows.edit_details:
        raise DomainError(DETAILS_FROZEN)
    if audit.allows.collect_returns and returns_due is None:
        raise DomainError("Requests have been sent: keep a returns due date", field="returns_due")
    title = _required(title, "title", "Enter the audit's title")
    theme = _required(theme, "theme", "Enter the audit's theme")
    rationale_link = _checked_link(rationale_link)
    reason = _checked_reason(reason)
    _check_title_free(audit.partnership, title, exclude=audit)
    _check_dates(
        returns_due=returns_due, meeting_date=meeting_date, returns_due_was=audit.returns_due
    )
    plan = None
    if sample_plan is not None:
        plan = _checked_plan(audit.partnership, sample_plan)
        if plan != _current_plan(audit) and not audit.allows.change_sample:
            raise DomainError(PLAN_FROZEN, field="sample_plan")
    with tracking.actor(by, via="web"):
        audit.title = title
        audit.theme = theme
        audit.rationale = rationale.strip()
        audit.rationale_link = rationale_link
        audit.reason = reason
        audit.returns_due = returns_due
        audit.meeting_date = meeting_date
        audit.save()
        if plan is not None:
            _save_plan(audit, plan)
        if meeting_date is not None:  # the meeting's own date follows the audit's
            for meeting in audit.meetings.exclude(held_on=meeting_date):
                meeting.held_on = meeting_date
                meeting.save()
        if audit.allows.collect_returns:
            # A new due date applies to every return still owed (and earns new reminders).
            for request in audit.requests.exclude(status=RequestStatus.SUBMITTED).exclude(
                due=returns_due
            ):
                request.due = returns_due
                request.save()
    return audit


def _checked_reason(reason: str) -> str:
    if reason and reason not in AuditReason.values:
        raise DomainError("Choose why the audit is held from the list", field="reason")
    return reason


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def _checked_link(link: str) -> str:
    """A web address, or nothing: it becomes a link on the audit's page and in its report."""
    link = (link or "").strip()
    if problem := link_problem(link):
        raise DomainError(problem, field="rationale_link")
    return link


def _check_title_free(partnership: Partnership, title: str, exclude: Audit | None = None) -> None:
    others = Audit.objects.filter(partnership=partnership, title=title)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise DomainError(
            "The partnership already has an audit with this title; choose another", field="title"
        )


def _check_dates(
    *,
    returns_due: datetime.date | None,
    meeting_date: datetime.date | None,
    returns_due_was: datetime.date | None,
) -> None:
    changed = returns_due is not None and returns_due != returns_due_was
    if changed and returns_due is not None and returns_due < timezone.localdate():
        raise DomainError("Returns due must be today or in the future", field="returns_due")
    if returns_due is not None and meeting_date is not None and meeting_date < returns_due:
        raise DomainError(
            "The meeting date must be on or after the date returns are due", field="meeting_date"
        )


def _checked_plan(partnership: Partnership, sample_plan: dict[Area, int]) -> dict[int, int]:
    """The plan as {area id: cases}, areas with no cases left out."""
    plan = {}
    for area, cases in sample_plan.items():
        if area.partnership_id != partnership.pk:
            raise DomainError(f"{area.name} is not an area of the partnership", field="sample_plan")
        if not 0 <= cases <= MAX_CASES_PER_AREA:
            raise DomainError(
                f"Cases from {area.name} must be between 0 and {MAX_CASES_PER_AREA}",
                field="sample_plan",
            )
        if cases:
            plan[area.pk] = cases
    return plan


def _current_plan(audit: Audit) -> dict[int, int]:
    return {e.area_id: e.cases for e in audit.sample_plan.all() if e.cases}


def _save_plan(audit: Audit, plan: dict[int, int]) -> None:
    """Make the stored entries match `plan`, touching only the rows that change."""
    entries = {entry.area_id: entry for entry in audit.sample_plan.all()}
    for area_id, entry in entries.items():
        if area_id not in plan:
            entry.delete()
    for area_id, cases in plan.items():
        existing = entries.get(area_id)
        if existing is None:
            SamplePlanEntry.objects.create(
                partnership_id=audit.partnership_id, audit=audit, area_id=area_id, cases=cases
            )
        elif existing.cases != cases:
            existing.cases = cases
            existing.save()


# --- The audit tool: its questions ----------------------------------------------------------


def tool_open(audit: Audit) -> bool:
    """The audit tool changes only while the audit is planned: requests are built from it."""
    return audit.allows.change_tool


def _check_tool_open(audit: Audit) -> None:
    if not tool_open(audit):
        raise DomainError(TOOL_FROZEN)


def _checked_question(
    text: str,
    kind: str,
    *,
    options: list[str] | None = None,
    scale_labels: dict[str, str] | None = None,
    allows_not_applicable: bool = False,
    guidance: str = "",
    key_measure: bool = False,
) -> dict:
    """The question's fields as stored, or a `DomainError` naming the field. Options belong
    to a choice question and scale labels to a scale only: another kind keeps none."""
    text = _required(text, "text", "Enter the question")
    if kind not in QuestionKind.values:
        raise DomainError("Choose the kind of answer", field="kind")
    options = [option.strip() for option in options or [] if option.strip()]
    if kind == QuestionKind.CHOICE:
        if problem := answers.options_problem(options):
            raise DomainError(problem, field="options")
    else:
        options = []
    labels = {point: (scale_labels or {}).get(point, "").strip() for point in ("1", "5")}
    if kind != QuestionKind.SCALE:
        labels = {}
    for point, words in labels.items():
        if len(words) > answers.LONGEST_SCALE_LABEL:
            raise DomainError(
                f"The words for {point} must be {answers.LONGEST_SCALE_LABEL} characters or fewer",
                field=f"scale_label_{point}",
            )
    guidance = (guidance or "").strip()
    if len(guidance) > answers.LONGEST_GUIDANCE:
        raise DomainError(
            f"Guidance must be {answers.LONGEST_GUIDANCE:,} characters or fewer", field="guidance"
        )
    return {
        "text": text,
        "kind": kind,
        "options": options,
        "scale_labels": {point: words for point, words in labels.items() if words},
        "allows_not_applicable": bool(allows_not_applicable),
        "guidance": guidance,
        "key_measure": _checked_key_measure(kind, key_measure),
    }


def _checked_key_measure(kind: str, key_measure: bool) -> bool:
    if key_measure and not answers.countable(Question(kind=kind)):
        raise DomainError(
            "Only a question with answers to choose from can be a key measure: its answers "
            "are counted",
            field="key_measure",
        )
    return bool(key_measure)


def _next_number(audit: Audit) -> int:
    """One more than the highest number used by the audit's keys (q1, q2, …)."""
    keys = audit.questions.values_list("key", flat=True)
    numbers = [int(match[1]) for key in keys if (match := _KEY.match(key))]
    return max(numbers, default=0) + 1


def _next_position(audit: Audit) -> int:
    highest = audit.questions.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def question_add(*, audit: Audit, by, text: str, kind: str, **details) -> Question:
    """Add a question at the end of the audit tool, while the audit is planned. Its key is
    one more than the highest key number used, so a deleted question's key is not reused
    while a later one exists. `details`: options, scale_labels, allows_not_applicable,
    guidance (`_checked_question`)."""
    _check_tool_open(audit)
    fields = _checked_question(text, kind, **details)
    with tracking.actor(by, via="web"):
        return Question.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            key=f"q{_next_number(audit)}",
            position=_next_position(audit),
            **fields,
        )


@transaction.atomic
def question_update(*, question: Question, by, text: str, kind: str, **details) -> Question:
    """Change a question (its text, kind, options, guidance…), while its audit is planned."""
    _check_tool_open(question.audit)
    fields = _checked_question(text, kind, **details)
    with tracking.actor(by, via="web"):
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    """Remove a question from the audit tool, while its audit is planned."""
    _check_tool_open(question.audit)
    with tracking.actor(by, via="web"):
        question.delete()


@transaction.atomic
def question_move(*, question: Question, by, direction: str) -> Question:
    """Swap a question with the one before ("up") or after ("down"). The first question
    cannot move up nor the last down; asking it changes nothing."""
    _check_tool_open(question.audit)
    if direction not in ("up", "down"):
        raise DomainError("Choose up or down", field="direction")
    questions = list(question.audit.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return question
    questions[index], questions[other] = questions[other], questions[index]
    # Renumber rather than swap two positions: imported or old rows may share a position.
    with tracking.actor(by, via="web"):
        for position, each in enumerate(questions):
            if each.position != position:
                each.position = position
                each.save()
    return next(q for q in questions if q.pk == question.pk)


@transaction.atomic
def questions_copy(*, audit: Audit, source: Audit, by) -> list[Question]:
    """Append the questions of an earlier audit of the same partnership to this audit's tool,
    in their order, with new keys. Only while this audit is planned."""
    _check_tool_open(audit)
    if source.partnership_id != audit.partnership_id or source.pk == audit.pk:
        raise DomainError("Choose another audit of the partnership", field="source")
    originals = list(source.questions.order_by("position", "id"))
    if not originals:
        raise DomainError(f"{source.title} has no questions to copy", field="source")
    number, position = _next_number(audit), _next_position(audit)
    copies = []
    with tracking.actor(by, via="web", reason=f"questions copied from {source.title}"):
        for offset, original in enumerate(originals):
            copies.append(
                Question.objects.create(
                    partnership_id=audit.partnership_id,
                    audit=audit,
                    key=f"q{number + offset}",
                    text=original.text,
                    kind=original.kind,
                    options=list(original.options),
                    scale_labels=dict(original.scale_labels),
                    allows_not_applicable=original.allows_not_applicable,
                    guidance=original.guidance,
                    key_measure=original.key_measure,
                    position=position + offset,
                )
            )
    return copies
