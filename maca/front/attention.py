"""What waits on the person signed in: the home page's "Needs your attention".

Reads only, each starting from the viewer's scope (maca.access), in a fixed number of queries
whatever the size of the partnership (each list is one query for what it shows and one for how
many there are in all). What each role is shown:

- whoever sees cases: the immediate-action flags not yet handled, first (maca.returns.flags);
- a coordinator: the audits with returns overdue; the audits in moderation with cases to
  ratify, or ready to move to reporting; reports another coordinator sent for approval; every
  action overdue;
- an agency auditor or lead: their agency's returns overdue, due within DUE_SOON_DAYS, or
  returned for clarification; for a lead, the returns waiting for their sign-off; their
  agency's actions overdue;
- a board member: the reports published in the last NEW_REPORT_DAYS days.

Each item links straight to the page where the person acts on it: one click from signing in.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from maca import access
from maca.actions.models import Action, ActionStatus
from maca.audits.lifecycle import stages_allowing
from maca.audits.models import RequestStatus
from maca.reports.models import ReportSection
from maca.returns.flags import Flag, flags_for
from maca.returns.rules import days_ago

# A week's notice of a return falling due: the e-mail reminder comes three days before.
DUE_SOON_DAYS = 7
# A published report stays "new" on a board member's home page for a month.
NEW_REPORT_DAYS = 30
# The longest list shown; the rest are counted, with a link to the page that has them all.
LIMIT = 10


@dataclass(frozen=True)
class Item:
    """One thing to do: a link to where it is done, a hint, and a status tag."""

    name: str
    href: str
    hint: str = ""
    status: str = ""
    colour: str = ""  # a govuk-tag modifier: "red", "orange", "yellow", "blue"…


@dataclass(frozen=True)
class Group:
    """A list of things of one kind, as a GOV.UK task list under its heading."""

    key: str  # for the ids of the page
    title: str
    items: list[Item]
    total: int  # how many there are in all; LIMIT of them at most are in `items`
    more_href: str = ""
    more_label: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class Attention:
    flags: list[Flag] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not self.flags and not self.groups


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _name(user, otherwise: str) -> str:
    return user.name if user is not None and user.name else otherwise


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _group(key, title, items, total, **more) -> list[Group]:
    return [Group(key, title, items, total, **more)] if items else []


def attention_for(viewer: access.Viewer, *, today: datetime.date | None = None) -> Attention:
    """Everything that waits on the viewer today, most urgent first."""
    today = today or timezone.localdate()
    if viewer.membership is None:
        return Attention()
    attention = Attention(flags=flags_for(viewer, today=today))
    if viewer.is_coordinator:
        attention.groups = [
            *_returns_overdue(viewer, today),
            *_meetings(viewer),
            *_reports_to_approve(viewer, today),
            *_actions_overdue(viewer, today, "Actions overdue"),
        ]
    elif viewer.is_agency_user:
        attention.groups = [
            *_my_returns(viewer, today),
            *(_sign_offs(viewer, today) if access.may_sign_off(viewer) else []),
            *_actions_overdue(viewer, today, f"{viewer.agency.name}'s actions overdue"),
        ]
    elif viewer.is_board_member:
        attention.groups = _new_reports(viewer, today)
    return attention


# --- A coordinator ------------------------------------------------------------------------------


def _due_on():
    """A request's due date: its own, else the audit's (as `Request.is_overdue`)."""
    return Coalesce("due", "audit__returns_due")


def _returns_overdue(viewer, today) -> list[Group]:
    """The audits still taking returns with some overdue, and from how many agencies."""
    audits = (
        access.requests_for(viewer)
        .filter(audit__status__in=stages_allowing("collect_returns"))
        .exclude(status=RequestStatus.SUBMITTED)
        .annotate(due_on=_due_on())
        .filter(due_on__lt=today)
        .values("audit_id", "audit__title")
        .annotate(returns=Count("pk"), agencies=Count("agency", distinct=True))
        .order_by("audit__title", "audit_id")
    )
    items = [
        Item(
            name=row["audit__title"],
            href=reverse("audits:tracking", args=[row["audit_id"]]),
            hint=(
                f"{_plural(row['returns'], 'return')} overdue from "
                f"{_plural(row['agencies'], 'agency', 'agencies')}: chase them from "
                "Track returns"
            ),
            status="Overdue",
            colour="red",
        )
        for row in audits
    ]
    return _group("returns-overdue", "Returns overdue", items, len(items))


def _meetings(viewer) -> list[Group]:
    """The audits in moderation: cases still to ratify, or ready to move to reporting."""
    audits = (
        access.audits_for(viewer)
        .filter(status__in=stages_allowing("ratify"))
        .annotate(
            case_count=Count("cases"),
            to_ratify=Count("cases", filter=Q(cases__locked_at__isnull=True)),
        )
        .order_by("title", "pk")
    )
    items = []
    for audit in audits:
        ready = audit.to_ratify == 0
        items.append(
            Item(
                name=audit.title,
                href=reverse("audits:meeting", args=[audit.pk]),
                hint=(
                    "Every case is ratified: move the audit to reporting"
                    if ready
                    else f"{audit.to_ratify} of {_plural(audit.case_count, 'case')} to ratify"
                ),
                status="Ready for reporting" if ready else "Cases to ratify",
                colour="green" if ready else "blue",
            )
        )
    return _group("meetings", "The meeting", items, len(items))


def _reports_to_approve(viewer, today) -> list[Group]:
    """Reports sent for approval, and not approved since, that the viewer may approve: they
    neither sent them nor wrote their words (as `reports.services.report_approve`)."""
    wrote = ReportSection.objects.filter(
        audit=OuterRef("audit"), custom=True, updated_by=viewer.user
    )
    reports = (
        access.reports_for(viewer)
        .filter(sent_at__isnull=False, audit__status__in=stages_allowing("write_report"))
        .filter(Q(approved_at__isnull=True) | Q(approved_at__lt=F("sent_at")))
        .exclude(sent_by=viewer.user)
        .exclude(Exists(wrote))
        .select_related("audit", "sent_by")
        .order_by("sent_at", "pk")
    )
    items = [
        Item(
            name=report.audit.title,
            href=reverse("audits:report", args=[report.audit_id]),
            hint=(
                f"Sent for approval by {_name(report.sent_by, 'a coordinator')} "
                f"{days_ago(timezone.localdate(report.sent_at), today)}"
            ),
            status="To approve",
            colour="blue",
        )
        for report in reports
    ]
    return _group("reports-to-approve", "Reports to approve", items, len(items))


def _action_name(action: Action) -> str:
    if not action.immediate:
        return f"Action of {action.agency.name}"
    # An immediate action belongs to a case (the model's check constraint).
    assert action.case is not None
    return f"Immediate action of {action.agency.name}, case {action.case.reference}"


def _actions_overdue(viewer, today, title: str) -> list[Group]:
    """The viewer's actions (every one, or their agency's) not complete and past their date."""
    actions = (
        access.actions_for(viewer)
        .exclude(status=ActionStatus.COMPLETE)
        .filter(due__lt=today)
        .select_related("audit", "agency", "case")
        .order_by("due", "audit__title", "pk")
    )
    items = [
        Item(
            name=_action_name(action),
            href=reverse("actions:detail", args=[action.pk]),
            hint=f"{action.audit.title}: due {_date(action.due)}",
            status=f"{_plural((today - action.due).days, 'day')} overdue",
            colour="red",
        )
        for action in actions[:LIMIT]
    ]
    return _group(
        "actions-overdue",
        title,
        items,
        actions.count(),
        more_href=reverse("actions:monitoring"),
        more_label="See every action on the monitoring page",
    )


# --- An agency auditor or lead ------------------------------------------------------------------


def _my_returns(viewer, today) -> list[Group]:
    """The agency's returns still to do that need doing now: overdue, returned for
    clarification, or due soon; not those waiting for the lead's sign-off. Overdue first."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    requests = (
        access.requests_for(viewer)
        .filter(audit__status__in=stages_allowing("collect_returns"))
        .exclude(status=RequestStatus.SUBMITTED)
        .exclude(agency_return__sign_off_requested_at__isnull=False)
        .annotate(due_on=_due_on())
        .filter(Q(due_on__lte=soon) | Q(status=RequestStatus.RETURNED))
        .annotate(
            urgency=Case(
                When(due_on__lt=today, then=Value(0)),
                When(status=RequestStatus.RETURNED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("audit", "case")
        .order_by("urgency", "due_on", "audit__title", "case__reference")
    )
    items = [_request_item(request, today) for request in requests[:LIMIT]]
    return _group(
        "my-returns",
        "Your returns",
        items,
        requests.count(),
        more_href=reverse("requests:mine"),
        more_label="See them all in My requests",
    )


def _request_item(request, today) -> Item:
    if request.due_on is not None and request.due_on < today:
        status, colour = "Overdue", "red"
    elif request.status == RequestStatus.RETURNED:
        status, colour = "Returned for clarification", "orange"
    else:
        days = (request.due_on - today).days
        when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
        status, colour = f"Due {when}", "yellow"
    due = f"; due {_date(request.due_on)}" if request.due_on else ""
    return Item(
        name=f"Case {request.case.reference}",
        href=request.get_absolute_url(),
        hint=f"{request.audit.title}{due}",
        status=status,
        colour=colour,
    )


def _sign_offs(viewer, today) -> list[Group]:
    """Returns of the lead's agency whose auditor asked for sign-off, oldest first."""
    returns = (
        access.returns_for(viewer)
        .filter(
            sign_off_requested_at__isnull=False,
            request__audit__status__in=stages_allowing("collect_returns"),
        )
        .exclude(request__status=RequestStatus.SUBMITTED)
        .select_related("request__audit", "request__case", "sign_off_requested_by")
        .order_by("sign_off_requested_at", "pk")
    )
    items = [
        Item(
            name=f"Case {return_.request.case.reference}",
            href=return_.request.get_absolute_url(),
            hint=(
                f"{return_.request.audit.title}: asked by "
                f"{_name(return_.sign_off_requested_by, 'an auditor')} "
                f"{days_ago(timezone.localdate(return_.sign_off_requested_at), today)}"
            ),
            status="To sign off",
            colour="blue",
        )
        for return_ in returns[:LIMIT]
    ]
    return _group("sign-offs", "Returns to sign off", items, returns.count())


# --- A board member -------------------------------------------------------------------------------


def _new_reports(viewer, today) -> list[Group]:
    since = timezone.now() - datetime.timedelta(days=NEW_REPORT_DAYS)
    editions = (
        access.published_editions_for(viewer)
        .filter(published_at__gte=since)
        .defer("document")
        .select_related("audit")
        .order_by("-published_at", "-pk")
    )
    items = [
        Item(
            name=edition.audit.title,
            href=reverse("audits:report_edition", args=[edition.audit_id, edition.number]),
            hint=(
                f"Edition {edition.number}, published "
                f"{days_ago(timezone.localdate(edition.published_at), today)}"
            ),
            status="New",
            colour="blue",
        )
        for edition in editions[:LIMIT]
    ]
    return _group("new-reports", "Newly published reports", items, editions.count())
