"""The audit's page as a GOV.UK task list: each stage's tasks with their status, the next step
(the page's one primary button) and what stops the audit moving on (decision 55).

Reads only, each from the viewer's scope (maca.access) and the audit's stage rules
(`audit.allows`, maca/audits/stages.py) and the lifecycle's checklists: the template shows what
this module says, and decides nothing. Each person sees their own list: a coordinator of the
audit's partnership the whole audit; an agency auditor or lead their agency's requests; a board
member the published report.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from maca import access
from maca.actions.models import ActionStatus
from maca.audits import lifecycle
from maca.audits.models import Audit, RequestStatus
from maca.partnerships.ordering import partnership_order


class Status:
    """The task list's four statuses (GOV.UK Design System: task list)."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Task:
    """One task: where it is done, its status, a hint, and what stops it (for a task that is
    the audit's move to its next stage, the lifecycle's checklist)."""

    name: str
    href: str
    status: str
    action: str = ""  # the task as a button's words ("Draw the sample")
    hint: str = ""
    blockers: tuple[str, ...] = ()

    @property
    def linked(self) -> bool:
        return self.status != Status.CANNOT_START

    @property
    def colour(self) -> str:
        """The GOV.UK tag modifier of the status; empty for statuses shown as plain text."""
        return {Status.NOT_STARTED: "blue", Status.IN_PROGRESS: "light-blue"}.get(self.status, "")

    @property
    def done(self) -> bool:
        return self.status == Status.COMPLETED


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tasks: list[Task]


@dataclass(frozen=True)
class Step:
    """The page's primary button: the next thing to do."""

    label: str
    href: str


@dataclass
class AuditTasks:
    sections: list[Section] = field(default_factory=list)
    next_step: Step | None = None

    def task(self, name: str) -> Task:
        """The task called `name` (for tests and for reading)."""
        for section in self.sections:
            for task in section.tasks:
                if task.name == name:
                    return task
        raise KeyError(name)


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _url(name: str, audit: Audit, *args: int) -> str:
    return reverse(f"audits:{name}", args=[audit.pk, *args])


# --- The coordinators' list ---------------------------------------------------------------------


def _planning(viewer: access.Viewer, audit: Audit) -> Section:
    planning = audit.allows.change_sample
    questions = audit.questions.count()
    cases = access.cases_for(viewer, audit)
    figures = cases.aggregate(
        n=Count("pk", distinct=True),
        without=Count("pk", filter=Q(requests__isnull=True), distinct=True),
    )
    n_cases, without = figures["n"], figures["without"]
    plan = list(audit.sample_plan.values_list("area_id", "cases"))
    drawn = dict(cases.order_by().values("area").annotate(n=Count("pk")).values_list("area", "n"))
    plan_met = all(drawn.get(area, 0) >= wanted for area, wanted in plan)

    tool = Status.COMPLETED if not planning or questions else Status.NOT_STARTED
    if not planning or (n_cases and plan_met):
        sample = Status.COMPLETED
    elif n_cases:
        sample = Status.IN_PROGRESS
    else:
        sample = Status.NOT_STARTED
    if not planning or (n_cases and not without):
        involved = Status.COMPLETED
    elif n_cases:
        involved = Status.IN_PROGRESS
    else:
        involved = Status.CANNOT_START
    wanted = sum(cases for _, cases in plan)
    return Section(
        "planning",
        "Plan the audit",
        [
            Task(
                "Audit tool",
                _url("questions", audit),
                tool,
                action="Write the audit tool",
                hint=_plural(questions, "question"),
            ),
            Task(
                "Cases and sample",
                _url("cases", audit),
                sample,
                action="Draw the sample",
                hint=f"{_plural(n_cases, 'case')}" + (f" of {wanted} planned" if wanted else ""),
            ),
            Task(
                "Agencies involved",
                _url("cases", audit),
                involved,
                action="Choose the agencies involved",
                hint=(
                    f"{_plural(without, 'case has', 'cases have')} no agency yet"
                    if without and planning
                    else "Each case's agencies, chosen with its case"
                ),
            ),
        ],
    )


def _collecting(viewer: access.Viewer, audit: Audit, flags: int) -> Section:
    sent = audit.allows.show_to_members
    if sent:
        # Sent: the task leads to where the requests are followed.
        send = Task("Send the requests", _url("tracking", audit), Status.COMPLETED, hint="Sent")
    else:
        missing = lifecycle.checklist(audit, to=lifecycle.COLLECTING)
        send = Task(
            "Send the requests",
            _url("send", audit),
            Status.CANNOT_START if missing else Status.NOT_STARTED,
            action="Send the requests",
            hint="Each agency is asked for its return on each of its cases",
            blockers=tuple(missing),
        )
    counts = access.requests_for(viewer, audit).aggregate(
        requested=Count("pk"), submitted=Count("pk", filter=Q(status=RequestStatus.SUBMITTED))
    )
    requested, submitted = counts["requested"], counts["submitted"]
    if not sent:
        returns = Status.CANNOT_START
    elif not audit.allows.collect_returns or (requested and submitted == requested):
        returns = Status.COMPLETED
    else:
        returns = Status.IN_PROGRESS
    if not sent:
        flagged = Status.CANNOT_START
    elif audit.allows.follow_flags and flags:
        flagged = Status.IN_PROGRESS
    else:
        flagged = Status.COMPLETED
    due = audit.returns_due
    return Section(
        "collecting",
        "Collect the returns",
        [
            send,
            Task(
                "Returns in",
                _url("tracking", audit),
                returns,
                action="Track returns",
                hint=f"{submitted} of {_plural(requested, 'return')} submitted"
                + (f"; due {date_format(due, 'j F Y')}" if due else ""),
            ),
            Task(
                "Immediate-action flags",
                _url("tracking", audit),
                flagged,
                action="Handle the flags",
                hint=(
                    f"{_plural(flags, 'flag')} not yet handled"
                    if flags
                    else "No flag waiting to be handled"
                ),
            ),
        ],
    )


def _moderation(viewer: access.Viewer, audit: Audit) -> Section:
    meeting = audit.meetings.order_by("held_on", "pk").first()
    cases = access.cases_for(viewer, audit).aggregate(
        n=Count("pk"), ratified=Count("pk", filter=Q(ratification__isnull=False))
    )
    missing: list[str] = []
    if audit.allows.start_reporting:
        missing = lifecycle.checklist(audit, to=lifecycle.REPORTING)
    if audit.allows.count_in_learning:
        walk = Status.COMPLETED
    elif audit.allows.ratify:
        walk = Status.IN_PROGRESS if missing else Status.COMPLETED
    elif audit.allows.arrange_meeting:
        walk = Status.IN_PROGRESS if meeting else Status.NOT_STARTED
    else:
        walk = Status.CANNOT_START
    held_on = meeting.held_on if meeting else audit.meeting_date
    hint = f"On {date_format(held_on, 'j F Y')}; " if held_on else "Not arranged yet; "
    hint += f"{cases['ratified']} of {_plural(cases['n'], 'case')} ratified"
    themes = access.audit_themes_for(viewer, audit).count()
    if not audit.allows.see_meeting:
        theme_status = Status.CANNOT_START
    elif not audit.allows.record_themes:
        theme_status = Status.COMPLETED
    else:
        theme_status = Status.IN_PROGRESS if themes else Status.NOT_STARTED
    return Section(
        "moderation",
        "Moderate the cases",
        [
            Task(
                "The meeting",
                _url("meeting", audit),
                walk,
                action="Go to the meeting" if audit.allows.see_meeting else "Arrange the meeting",
                hint=hint,
                blockers=tuple(missing),
            ),
            Task(
                "Themes",
                _url("themes", audit),
                theme_status,
                action="Record the themes",
                hint=_plural(themes, "theme"),
            ),
        ],
    )


def _reporting(viewer: access.Viewer, audit: Audit) -> Section:
    report = getattr(audit, "report", None) if audit.allows.write_report else None
    editions = access.report_editions_for(viewer, audit).count()
    if not audit.allows.write_report:
        writing, hint = Status.CANNOT_START, "Once every case is ratified"
    elif audit.allows.report_approved:
        writing, hint = Status.COMPLETED, "Approved"
    elif report is not None and report.sent_back_at and not report.sent_at:
        writing, hint = Status.IN_PROGRESS, "Sent back by another coordinator"
    elif report is not None and report.sent_at:
        writing, hint = Status.IN_PROGRESS, "Sent for approval: a second coordinator approves it"
    else:
        writing, hint = Status.NOT_STARTED, "Written, then approved by a second coordinator"
    if editions:
        publish = Status.COMPLETED
    elif audit.allows.report_approved:
        publish = Status.NOT_STARTED
    else:
        publish = Status.CANNOT_START
    return Section(
        "reporting",
        "Report",
        [
            Task(
                "The report", _url("report", audit), writing, action="Write the report", hint=hint
            ),
            Task(
                "Publish the report",
                _url("report", audit),
                publish,
                action="Publish the report",
                hint=_plural(editions, "edition") + " published"
                if editions
                else "Once the report is approved",
            ),
        ],
    )


def _monitoring(viewer: access.Viewer, audit: Audit, today) -> Section:
    recommendations = access.recommendations_for(viewer, audit).count()
    actions = audit.actions.aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(status=ActionStatus.COMPLETE))
    )
    if not audit.allows.write_report:
        follow = Status.CANNOT_START
    elif not audit.allows.agree_actions or (actions["n"] and actions["done"] == actions["n"]):
        follow = Status.COMPLETED
    elif recommendations or actions["n"]:
        follow = Status.IN_PROGRESS
    else:
        follow = Status.NOT_STARTED
    if audit.allows.run_retention:
        closing = Task(
            "Close the audit",
            _url("close", audit),
            Status.COMPLETED,
            hint=f"Closed on {date_format(timezone.localdate(audit.closed_at), 'j F Y')}"
            if audit.closed_at
            else "Closed",
        )
    elif audit.allows.close:
        missing = lifecycle.checklist(audit, to=lifecycle.CLOSED)
        closing = Task(
            "Close the audit",
            _url("close", audit),
            Status.CANNOT_START if missing else Status.NOT_STARTED,
            action="Close the audit",
            blockers=tuple(missing),
        )
    else:
        closing = Task(
            "Close the audit",
            _url("close", audit),
            Status.CANNOT_START,
            hint="Once the report is published and every action complete",
        )
    return Section(
        "monitoring",
        "Monitor and close",
        [
            Task(
                "Recommendations and actions",
                _url("recommendations", audit),
                follow,
                action="Follow the actions",
                hint=f"{_plural(recommendations, 'recommendation')}; "
                f"{actions['done']} of {_plural(actions['n'], 'action')} complete",
            ),
            closing,
        ],
    )


def _next_step(audit: Audit, sections: list[Section]) -> Step | None:
    """The next move on when its checklist passes, or else the task that holds it up."""
    tasks = AuditTasks(sections)
    if audit.allows.send_requests:
        send = tasks.task("Send the requests")
        if not send.blockers:
            return Step("Send the requests", send.href)
        for task in sections[0].tasks:
            if not task.done and task.linked:
                return Step(task.action, task.href)
        return Step("Edit audit details", _url("edit", audit))  # the date returns are due
    if audit.allows.start_moderation:
        # Moderation may start while returns still arrive (decision 17), but not before they
        # are all in or due: until then the next step is chasing them.
        returns = tasks.task("Returns in")
        due = audit.returns_due
        if returns.done or (due is not None and due < timezone.localdate()):
            return Step("Start moderation", _url("moderation_start", audit))
        return Step("Track returns", returns.href)
    if audit.allows.start_reporting:
        meeting = tasks.task("The meeting")
        if meeting.done:
            return Step("Move to reporting", _url("reporting_start", audit))
        return Step("Go to the meeting", meeting.href)
    if audit.allows.start_monitoring:
        return Step("Write the report", tasks.task("The report").href)
    if audit.allows.close:
        publish = tasks.task("Publish the report")
        if not publish.done:
            return Step("Publish the report", publish.href)
        closing = tasks.task("Close the audit")
        if closing.blockers:
            return Step("Follow the actions", tasks.task("Recommendations and actions").href)
        return Step("Close the audit", closing.href)
    return None


def _coordinators(viewer: access.Viewer, audit: Audit, flags: int) -> AuditTasks:
    today = timezone.localdate()
    sections = [
        _planning(viewer, audit),
        _collecting(viewer, audit, flags),
        _moderation(viewer, audit),
        _reporting(viewer, audit),
        _monitoring(viewer, audit, today),
    ]
    return AuditTasks(sections, _next_step(audit, sections))


# --- An agency's list, and the board's ---------------------------------------------------------

_RETURN_STATUS: dict[str, str] = {
    RequestStatus.OUTSTANDING: Status.NOT_STARTED,
    RequestStatus.DRAFT: Status.IN_PROGRESS,
    RequestStatus.RETURNED: Status.IN_PROGRESS,
    RequestStatus.SUBMITTED: Status.COMPLETED,
}


def _agencys(viewer: access.Viewer, audit: Audit) -> AuditTasks:
    requests = (
        access.requests_for(viewer, audit)
        .select_related("case")
        .order_by(*partnership_order("case__area__"), "case__reference", "pk")
    )
    tasks = []
    for request in requests:
        status = _RETURN_STATUS.get(request.status, Status.NOT_STARTED)
        if status != Status.COMPLETED and not audit.allows.collect_returns:
            status = Status.CANNOT_START
        hint = request.get_status_display()
        if request.due and status != Status.COMPLETED:
            hint += f"; due {date_format(request.due, 'j F Y')}"
        tasks.append(
            Task(
                f"Return on case {request.case.reference}",
                _url("return", audit, request.case_id, request.agency_id),
                status,
                action=(
                    "Start your return" if status == Status.NOT_STARTED else "Continue your return"
                ),
                hint=hint,
            )
        )
    next_step = next((Step(t.action, t.href) for t in tasks if t.linked and not t.done), None)
    sections = [Section("returns", "Your agency's returns", tasks), _published(viewer, audit)]
    return AuditTasks(sections, next_step)


def _published(viewer: access.Viewer, audit: Audit) -> Section:
    editions = access.report_editions_for(viewer, audit).count()
    task = Task(
        "The published report",
        _url("report", audit),
        Status.COMPLETED if editions else Status.CANNOT_START,
        hint=_plural(editions, "edition") + " published" if editions else "Not published yet",
    )
    return Section("report", "The audit's findings", [task])


def audit_tasks(viewer: access.Viewer, audit: Audit, *, flags: int = 0) -> AuditTasks:
    """The audit's task list as `viewer` sees it; `flags` is how many immediate-action flags
    the viewer sees not yet handled (the page has them already)."""
    if access.may_manage_audit(viewer, audit):
        return _coordinators(viewer, audit, flags)
    if access.may_act_for_agency(viewer):
        return _agencys(viewer, audit)
    return AuditTasks([_published(viewer, audit)])
