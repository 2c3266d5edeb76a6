"""The audit's life, in one table: its stages, what each allows, and how it moves on.

planning → collecting → moderation → reporting → monitoring → closed (docs/domain.md).

`ALLOWS` names everything the stage of an audit decides, with the stages where it holds; the
pages, the services and the scoping ask the audit (`audit.allows.ratify`) or this table
(`stages_allowing("collect_returns")`, for a query), never its status.

`TRANSITIONS` names each move on: the stage it starts from, its checklist (everything that
must hold, each failing condition a sentence), and the error that refuses it. `transition` is
the one service that changes an audit's stage: it locks the audit, runs the checklist, and
records the change in the history. Who may ask for a move is decided by `maca.access`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format

from maca.errors import DomainError
from maca.grades import Grade
from maca.history import tracking
from maca.partnerships.ordering import partnership_order

from .models import Audit, Case, Request
from .stages import (  # noqa: F401  (the table, read here and named from here too)
    ALLOWS,
    CLOSED,
    COLLECTING,
    MODERATION,
    MONITORING,
    PLANNING,
    REPORTING,
    Allows,
    stages_allowing,
)

ACTION_COMPLETE = "complete"

# --- The checklists ----------------------------------------------------------------------------


def _status(audit: Audit) -> str:
    return audit.get_status_display().lower()


def _send_checks(audit: Audit) -> list[str]:
    missing = []
    if not audit.questions.exists():
        missing.append("The audit tool has no questions")
    cases = Case.objects.filter(audit=audit)
    if not cases.exists():
        missing.append("The audit has no cases: draw the sample first")
    for reference in (
        cases.filter(requests__isnull=True)
        .order_by("reference")
        .values_list("reference", flat=True)
    ):
        missing.append(f"Case {reference} has no involved agency")
    today = timezone.localdate()
    if audit.returns_due is None:
        missing.append("The date returns are due is not set")
    elif audit.returns_due < today:
        missing.append(
            f"The date returns are due ({date_format(audit.returns_due, 'j F Y')}) is in the past"
        )
    drawn = dict(cases.order_by().values("area").annotate(n=Count("pk")).values_list("area", "n"))
    for entry in audit.sample_plan.select_related("area"):
        if drawn.get(entry.area_id, 0) < entry.cases:
            missing.append(
                f"The sample plan is not met in {entry.area.name}: "
                f"{drawn.get(entry.area_id, 0)} of {entry.cases} cases"
            )
    return missing


def _reporting_checks(audit: Audit) -> list[str]:
    missing = []
    cases = (
        Case.objects.filter(audit=audit)
        .select_related("ratification")
        .annotate(actions=Count("immediate_actions", filter=Q(immediate_actions__immediate=True)))
        .order_by("reference")
    )
    if not cases:
        missing.append("The audit has no cases")
    for case in cases:
        ratification = getattr(case, "ratification", None)
        if ratification is None:
            missing.append(f"Case {case.reference} is not ratified")
            continue
        if case.locked_at is None:
            missing.append(f"Case {case.reference} was unlocked: ratify it again")
        if ratification.grade == Grade.INADEQUATE and not case.actions:
            missing.append(f"Case {case.reference} is inadequate and has no immediate action")
    unhandled = (
        Request.objects.filter(
            audit=audit,
            agency_return__immediate_action=True,
            agency_return__immediate_action_handled_at__isnull=True,
        )
        .select_related("case", "agency")
        .order_by("case__reference", *partnership_order("agency__"))
    )
    for request in unhandled:
        missing.append(
            f"Case {request.case.reference}: the immediate action {request.agency.name} flagged "
            "is not yet recorded as handled"
        )
    return missing


def _closing_checks(audit: Audit) -> list[str]:
    missing = []
    if not audit.report_editions.exists():
        missing.append("The report has not been published")
    # The value of actions' ActionStatus.COMPLETE: named, not imported, so that the audit's table
    # imports nothing above the audit (the actions' models import the audit's).
    open_actions = audit.actions.exclude(status=ACTION_COMPLETE).select_related("agency")
    for action in open_actions.order_by("due", "pk"):
        kind = "Immediate action" if action.immediate else "Action"
        missing.append(
            f"{kind} of {action.agency.name} due {action.due:%-d %B %Y} is "
            f"{action.get_status_display().lower()}"
        )
    return missing


def _no_checks(audit: Audit) -> list[str]:
    return []


# --- The refusals ------------------------------------------------------------------------------


class NotReady(DomainError):
    """A move on is refused. `missing` lists every condition that does not hold."""

    lead = "The audit cannot move on yet: "

    def __init__(self, missing: list[str]):
        super().__init__(self.lead + "; ".join(missing) + ".")
        self.missing = missing


class RequestsNotReady(NotReady):
    lead = "The requests cannot be sent yet: "


class ReportingNotReady(NotReady):
    lead = "The audit cannot move to reporting yet: "


class ClosingNotReady(NotReady):
    lead = "The audit cannot be closed yet: "


def _first_only(missing: list[str]) -> DomainError:
    # A move whose only condition is its stage says so in one sentence, as it always has.
    return DomainError(missing[0])


# --- The moves ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One move on: from `source` to `target`, once `wrong_stage` does not apply and
    `checks` find nothing missing; refused with `refusal(missing)` otherwise."""

    source: str
    target: str
    # Said when the audit is not in `source`; "{now}" is its stage as shown, "{now_lower}" in
    # lower case.
    wrong_stage: str
    checks: Callable[[Audit], list[str]] = _no_checks
    refusal: Callable[[list[str]], DomainError] = NotReady
    # Fields stamped with the moment of the move.
    stamps: tuple[str, ...] = field(default=())

    def checklist(self, audit: Audit) -> list[str]:
        missing = []
        if audit.status != self.source:
            shown = audit.get_status_display()
            missing.append(self.wrong_stage.format(now=shown, now_lower=shown.lower()))
        return missing + self.checks(audit)


TRANSITIONS: dict[str, Transition] = {
    t.target: t
    for t in (
        Transition(
            PLANNING,
            COLLECTING,
            "The requests can only be sent while the audit is being planned (it is now: {now})",
            checks=_send_checks,
            refusal=RequestsNotReady,
        ),
        Transition(
            COLLECTING,
            MODERATION,
            "Moderation can only start while the audit is collecting returns "
            "(it is now: {now_lower})",
            refusal=_first_only,
        ),
        Transition(
            MODERATION,
            REPORTING,
            "The audit can only move to reporting from moderation (it is now: {now_lower})",
            checks=_reporting_checks,
            refusal=ReportingNotReady,
        ),
        Transition(
            REPORTING,
            MONITORING,
            "Monitoring starts from reporting, once the report is approved "
            "(it is now: {now_lower})",
            refusal=_first_only,
        ),
        Transition(
            MONITORING,
            CLOSED,
            "An audit closes from monitoring, once its report is approved (it is now: {now_lower})",
            checks=_closing_checks,
            refusal=ClosingNotReady,
            stamps=("closed_at",),  # the retention period runs from here
        ),
    )
}


def checklist(audit: Audit, *, to: str) -> list[str]:
    """What is missing before `audit` can move to stage `to`; empty when it can."""
    return TRANSITIONS[to].checklist(audit)


@transaction.atomic
def transition(
    *,
    audit: Audit,
    to: str,
    by,
    reason: str = "",
    via: str = "web",
    also_check: Callable[[Audit], None] | None = None,
) -> Audit:
    """Move `audit` to stage `to`: the one way an audit's stage changes.

    The audit is locked (`SELECT … FOR UPDATE`) so that two moves cannot cross, then the
    move's checklist runs on the locked row: if anything is missing the move is refused,
    naming all of it. `also_check(audit)` is the caller's own further condition, run on the
    locked row before anything is written (it raises to refuse). The change is recorded in
    the history as `by`'s, with `reason`. Returns the locked, moved audit.
    """
    step = TRANSITIONS[to]
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if missing := step.checklist(audit):
        raise step.refusal(missing)
    if also_check is not None:
        also_check(audit)
    now = timezone.now()
    with tracking.actor(by, reason=reason, via=via):
        audit.status = to
        for name in step.stamps:
            setattr(audit, name, now)
        audit.save()
    return audit
