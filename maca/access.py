"""What a user may see and do. The only place that decides it.

Every read for a user starts here (`audits_for`, `cases_for`, …) and every view declares the
roles that may open it (`@access.allow(...)`). Scoping follows docs/domain.md:

- a user sees only the partnership they are working in (one membership at a time);
- a coordinator sees everything in that partnership;
- an agency auditor or agency lead sees the audits their agency takes part in, once requests
  are sent, and within them only their own agency's requests and returns;
- a board member sees audits at the level of figures, never case-level text.

Anything out of scope answers 404, exactly as if it did not exist.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property

from maca.accounts.models import User
from maca.actions.models import Action, Recommendation
from maca.audits.models import Audit, AuditStatus, Candidate, Case, Request
from maca.history.models import AccessRecord, ChangeRecord
from maca.meetings.models import AuditTheme, Ratification
from maca.notices.models import Notice
from maca.partnerships.models import Agency, Area, LibraryTheme, Membership, Partnership, Role
from maca.reports.models import NameToCatch, Report, ReportEdition
from maca.returns.models import Return

SESSION_KEY = "maca_partnership_id"

COORDINATOR = Role.COORDINATOR
AGENCY_AUDITOR = Role.AGENCY_AUDITOR
AGENCY_LEAD = Role.AGENCY_LEAD
BOARD_MEMBER = Role.BOARD_MEMBER
AGENCY_ROLES = (AGENCY_AUDITOR, AGENCY_LEAD)
ANY_MEMBER = (COORDINATOR, AGENCY_AUDITOR, AGENCY_LEAD, BOARD_MEMBER)


@dataclass(frozen=True)
class Viewer:
    """A signed-in user working in one partnership, through one membership."""

    user: object
    membership: Membership | None

    @property
    def partnership(self) -> Partnership | None:
        return self.membership.partnership if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def agency(self):
        return self.membership.agency if self.membership else None

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR

    @property
    def is_agency_user(self) -> bool:
        return self.role in AGENCY_ROLES

    @property
    def is_board_member(self) -> bool:
        return self.role == BOARD_MEMBER

    @cached_property
    def memberships(self) -> list[Membership]:
        return memberships_of(self.user)


NOBODY = Viewer(user=None, membership=None)


def memberships_of(user: User | AnonymousUser | None) -> list[Membership]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    # Not the agency: it is read once the request works in the membership's partnership, when
    # the database's row-level security lets its row be seen (`database_scope`).
    return list(Membership.objects.filter(user=user).select_related("partnership"))


# The roles that open case-level data. Holding one in any partnership, or being the
# installation's staff, means signing in with a second factor (docs/security.md).
CASE_LEVEL_ROLES = (COORDINATOR, AGENCY_AUDITOR, AGENCY_LEAD)


def needs_second_factor(user: User | AnonymousUser | None) -> bool:
    """Whether `user` must sign in with two factors: a board member alone need not."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or any(m.role in CASE_LEVEL_ROLES for m in memberships_of(user))


def viewer_for(request: HttpRequest) -> Viewer:
    """The viewer of a request: the chosen membership, else the user's first one."""
    user = request.user
    memberships = memberships_of(user)
    if not memberships:
        return Viewer(user=user if user.is_authenticated else None, membership=None)
    chosen = request.session.get(SESSION_KEY)
    membership = next((m for m in memberships if m.partnership_id == chosen), memberships[0])
    return Viewer(user=user, membership=membership)


def viewer_as(user: User | None, partnership: Partnership | None = None) -> Viewer:
    """The viewer for a user outside a request (commands, tasks, tests)."""
    memberships = memberships_of(user)
    if partnership is not None:
        memberships = [m for m in memberships if m.partnership_id == partnership.pk]
    return Viewer(user=user, membership=memberships[0] if memberships else None)


def choose_partnership(request: HttpRequest, partnership_id: int) -> Membership:
    """Switch the partnership a user works in. Only to one they are a member of."""
    membership = next(
        (m for m in memberships_of(request.user) if m.partnership_id == partnership_id), None
    )
    if membership is None:
        raise Http404("No such partnership")
    request.session[SESSION_KEY] = membership.partnership_id
    return membership


class ViewerMiddleware:
    """Who is asking, and, on PostgreSQL, the partnership the database lets the request touch
    (`database_scope`), closed again once the answer is made: connections outlive requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = SimpleLazyObject(lambda: viewer_for(request))
        if connection.vendor != "postgresql":
            return self.get_response(request)
        scope = _RequestScope(request)
        try:
            with connection.execute_wrapper(scope):
                return self.get_response(request)
        finally:
            scope.close()


class _RequestScope:
    """Sets the request's scope just before its first query, so that a request which never
    asks the database (the API's document, a refused call) never touches it."""

    def __init__(self, request):
        self.request = request
        self.state = "unset"

    def __call__(self, execute, sql, params, many, context):
        if self.state == "unset":
            self.state = "setting"  # the queries that find the scope pass straight through
            work_in(database_scope(self.request))
            self.state = "set"
        return execute(sql, params, many, context)

    def close(self):
        if self.state == "set" and connection.connection is not None:  # a new one has none
            work_in(NO_PARTNERSHIP)


def viewer_context(request) -> dict:
    return {"viewer": getattr(request, "viewer", NOBODY)}


# --- The database's second wall -----------------------------------------------------------

# On PostgreSQL, row-level security (migration partnerships/0003) lets the application's
# database role see and write only the rows of the partnership this session setting names: a
# partnership's id, ALL_PARTNERSHIPS, or anything else (NO_PARTNERSHIP) for none. The rules
# above still decide what a user may see; the database catches a query that forgot to ask.
SCOPE_SETTING = "maca.partnership"
ALL_PARTNERSHIPS = "all"
NO_PARTNERSHIP = "none"


def database_scope(request: HttpRequest) -> str:
    """The partnership whose rows a request may touch: the viewer's; every partnership for
    the installation's staff in Django's admin (whose pages keep the partnerships, agencies,
    areas and memberships of all of them); none for anyone else."""
    user = request.user
    if user.is_active and user.is_staff and request.path.startswith(reverse("admin:index")):
        return ALL_PARTNERSHIPS
    partnership = request.viewer.partnership
    return str(partnership.pk) if partnership is not None else NO_PARTNERSHIP


def work_in(scope: int | str) -> str:
    """Let this database session touch the rows of `scope` (a partnership's id,
    ALL_PARTNERSHIPS or NO_PARTNERSHIP) until told otherwise; returns the scope it replaces.
    SQLite has no row-level security: there it does nothing."""
    if connection.vendor != "postgresql":
        return NO_PARTNERSHIP
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), set_config(%s, %s, false)",
            [SCOPE_SETTING, SCOPE_SETTING, str(scope)],
        )
        previous = cursor.fetchone()[0]
    return previous or NO_PARTNERSHIP


@contextmanager
def working_in(scope: int | str):
    """Background work in the rows of one partnership (a task about one of its things), or of
    ALL_PARTNERSHIPS (a job for every one); the session's scope is put back afterwards, as a
    task run inline within a request must leave the request's."""
    previous = work_in(scope)
    try:
        yield
    finally:
        work_in(previous)


def allow(*roles: str) -> Callable:
    """Let a view be opened only by members with one of `roles`.

    Anonymous users go to the login page; a signed-in user without such a role gets 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.viewer.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


def signed_in(view):
    """A page for any signed-in user, member of a partnership or not."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


# --- The partnership's own lists -----------------------------------------------------------


def areas_for(viewer: Viewer) -> QuerySet[Area]:
    if viewer.membership is None:
        return Area.objects.none()
    return Area.objects.filter(partnership=viewer.partnership)


def agencies_for(viewer: Viewer) -> QuerySet[Agency]:
    if viewer.membership is None:
        return Agency.objects.none()
    return Agency.objects.filter(partnership=viewer.partnership).order_by("position", "name")


def area_for(viewer: Viewer, area_id: int) -> Area:
    try:
        return areas_for(viewer).get(pk=area_id)
    except Area.DoesNotExist:
        raise Http404("No such area") from None


def may_manage_agencies(viewer: Viewer) -> bool:
    """An agency's contact address (where its e-mail goes when nobody there is in maca):
    the partnership's coordinators, who send the requests and need them heard."""
    return viewer.is_coordinator


def agency_for(viewer: Viewer, agency_id: int) -> Agency:
    """One of the partnership's agencies, to change; 404 for any other."""
    if not may_manage_agencies(viewer):
        raise Http404("No such agency")
    try:
        return agencies_for(viewer).get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404("No such agency") from None


def notices_for(viewer: Viewer) -> QuerySet[Notice]:
    """The partnership's outbox: every e-mail maca decided to send, whom it reached or that it
    reached nobody. Coordinators only: it says who is told what, across every agency."""
    if not viewer.is_coordinator:
        return Notice.objects.none()
    return Notice.objects.filter(partnership=viewer.partnership)


def candidates_for(viewer: Viewer, audit: Audit) -> QuerySet[Candidate]:
    """The cases put forward for an audit's sample: coordinators only (they hold record
    numbers, which the pages never show)."""
    if not viewer.is_coordinator or audit.partnership_id != viewer.partnership.pk:
        return Candidate.objects.none()
    return Candidate.objects.filter(audit=audit)


# --- Audits ---------------------------------------------------------------------------------


def audits_for(viewer: Viewer) -> QuerySet[Audit]:
    if viewer.membership is None:
        return Audit.objects.none()
    audits = Audit.objects.filter(partnership=viewer.partnership)
    if viewer.is_coordinator:
        return audits
    if viewer.is_board_member:
        return audits.exclude(status=AuditStatus.PLANNING)
    # Agency users: audits their agency takes part in, once requests have gone out.
    involved = Request.objects.filter(audit=OuterRef("pk"), agency=viewer.agency)
    return audits.exclude(status=AuditStatus.PLANNING).filter(Exists(involved))


def audit_for(viewer: Viewer, audit_id: int) -> Audit:
    try:
        return audits_for(viewer).get(pk=audit_id)
    except Audit.DoesNotExist:
        raise Http404("No such audit") from None


def may_sign_off(viewer: Viewer) -> bool:
    """Agency leads sign off their agency's returns, where the agency asks for sign-off."""
    return viewer.role == AGENCY_LEAD


def may_see_cases(viewer: Viewer) -> bool:
    return viewer.is_coordinator or viewer.is_agency_user


def cases_for(viewer: Viewer, audit: Audit) -> QuerySet[Case]:
    """The audit's cases this viewer may see: all for a coordinator, their agency's for an
    agency user, none for a board member (case-level data)."""
    if audit.partnership_id != getattr(viewer.partnership, "pk", None):
        return Case.objects.none()
    cases = Case.objects.filter(audit=audit)
    if viewer.is_coordinator:
        return cases
    if viewer.is_agency_user:
        return cases.filter(
            Exists(Request.objects.filter(case=OuterRef("pk"), agency=viewer.agency))
        )
    return Case.objects.none()


# Agency users read the multi-agency case summaries once the audit reaches its meeting.
SUMMARIES_OPEN = {
    AuditStatus.MODERATION,
    AuditStatus.REPORTING,
    AuditStatus.MONITORING,
    AuditStatus.CLOSED,
}


def summary_cases_for(viewer: Viewer, audit: Audit) -> QuerySet[Case]:
    """The cases whose multi-agency summary (every agency's return) the viewer may read:
    all for a coordinator; for an agency user, their agency's cases once the audit is in
    moderation or later; none for a board member."""
    if viewer.is_agency_user and audit.status not in SUMMARIES_OPEN:
        return Case.objects.none()
    return cases_for(viewer, audit)


def summary_case_for(viewer: Viewer, audit: Audit, case_id: int) -> Case:
    try:
        return summary_cases_for(viewer, audit).get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404("No such case") from None


def summary_returns_for(viewer: Viewer, case: Case) -> QuerySet[Return]:
    """Every agency's return on a case whose summary the viewer may read."""
    if not summary_cases_for(viewer, case.audit).filter(pk=case.pk).exists():
        return Return.objects.none()
    return Return.objects.filter(request__case=case)


def requests_for(viewer: Viewer, audit: Audit | None = None) -> QuerySet[Request]:
    if viewer.membership is None or viewer.is_board_member:
        return Request.objects.none()
    requests = Request.objects.filter(partnership=viewer.partnership)
    if audit is not None:
        requests = requests.filter(audit=audit)
    if viewer.is_coordinator:
        return requests
    return requests.filter(agency=viewer.agency).exclude(audit__status=AuditStatus.PLANNING)


def returns_for(viewer: Viewer, audit: Audit | None = None) -> QuerySet[Return]:
    return Return.objects.filter(request__in=requests_for(viewer, audit))


def request_for(viewer: Viewer, request_id: int) -> Request:
    """One request (and so its agency's return), by id, from `requests_for`; else 404."""
    try:
        return requests_for(viewer).select_related("audit", "case", "agency").get(pk=request_id)
    except Request.DoesNotExist:
        raise Http404("No such request") from None


def ratifications_for(viewer: Viewer, audit: Audit) -> QuerySet[Ratification]:
    """The meeting's judgements of the cases whose summary the viewer may read, as the case
    summary pages show them: every case for a coordinator; their agency's cases once the audit
    is in moderation for an agency user; none for a board member."""
    return Ratification.objects.filter(case__in=summary_cases_for(viewer, audit))


def may_see_register(viewer: Viewer, audit: Audit) -> bool:
    """The audit's themes and recommendations as they stand (not yet checked for identifiers,
    and naming cases): its partnership's coordinators, as on their pages. Everyone else reads
    them in a published edition of the report."""
    return viewer.is_coordinator and audit.partnership_id == viewer.partnership.pk


def audit_themes_for(viewer: Viewer, audit: Audit) -> QuerySet[AuditTheme]:
    if not may_see_register(viewer, audit):
        return AuditTheme.objects.none()
    return AuditTheme.objects.filter(audit=audit)


def recommendations_for(viewer: Viewer, audit: Audit) -> QuerySet[Recommendation]:
    if not may_see_register(viewer, audit):
        return Recommendation.objects.none()
    return Recommendation.objects.filter(audit=audit)


def may_move_bundles(viewer: Viewer) -> bool:
    """Audit bundles carry an audit whole, every return's text included: exporting one and
    importing one (into the viewer's own partnership) is for coordinators."""
    return viewer.is_coordinator


def history_for(viewer: Viewer, audit: Audit) -> QuerySet[ChangeRecord]:
    """The change history of an audit holds case-level text: coordinators only."""
    if not viewer.is_coordinator or audit.partnership_id != viewer.partnership.pk:
        return ChangeRecord.objects.none()
    return ChangeRecord.objects.filter(partnership=viewer.partnership, audit_id=audit.pk)


def access_log_for(viewer: Viewer, audit: Audit, case: Case) -> QuerySet[AccessRecord]:
    """Who has looked at a case, latest first: views of the case itself, and of what holds
    every case of its audit (case summaries, the meeting pack, a bundle, the change history).
    Coordinators only."""
    if not viewer.is_coordinator or audit.partnership_id != viewer.partnership.pk:
        return AccessRecord.objects.none()
    return (
        AccessRecord.objects.filter(partnership=viewer.partnership, audit_id=audit.pk)
        .filter(Q(case_id=case.pk) | Q(case_id__isnull=True, kind__in=AccessRecord.EVERY_CASE))
        .order_by("-at", "-id")
    )


def may_see_report_summary(viewer: Viewer, audit: Audit) -> bool:
    """The summary's figures: coordinators now; board members once reports are published."""
    return viewer.is_coordinator and audit.partnership_id == viewer.partnership.pk


# --- The report -----------------------------------------------------------------------------


def may_write_report(viewer: Viewer, audit: Audit) -> bool:
    """The report's draft (its words, its approval, its publication): coordinators only. A
    draft is not yet checked for identifiers, so nobody else reads it."""
    return viewer.is_coordinator and audit.partnership_id == viewer.partnership.pk


def report_editions_for(viewer: Viewer, audit: Audit) -> QuerySet[ReportEdition]:
    """Published editions: everyone in the partnership who may see the audit (the board
    included: a published edition has passed the identifier check)."""
    if viewer.membership is None or audit.partnership_id != viewer.partnership.pk:
        return ReportEdition.objects.none()
    return ReportEdition.objects.filter(audit=audit)


def reports_for(viewer: Viewer) -> QuerySet[Report]:
    """The reports of the partnership's audits, on their way to publication (who sent them,
    who approved them): its coordinators only, as `may_write_report`."""
    if not viewer.is_coordinator:
        return Report.objects.none()
    return Report.objects.filter(partnership=viewer.partnership)


def published_editions_for(viewer: Viewer) -> QuerySet[ReportEdition]:
    """Every published edition of the audits the viewer may see, across audits (as
    `report_editions_for` within one)."""
    if viewer.membership is None:
        return ReportEdition.objects.none()
    return ReportEdition.objects.filter(audit__in=audits_for(viewer))


def names_to_catch_for(viewer: Viewer) -> QuerySet[NameToCatch]:
    """The partnership's names to catch: its coordinators only (they are children's names)."""
    if not viewer.is_coordinator:
        return NameToCatch.objects.none()
    return NameToCatch.objects.filter(partnership=viewer.partnership)


def report_edition_for(viewer: Viewer, audit: Audit, number: int) -> ReportEdition:
    try:
        return report_editions_for(viewer, audit).get(number=number)
    except ReportEdition.DoesNotExist:
        raise Http404("No such edition") from None


# --- Actions ----------------------------------------------------------------------------------


def actions_for(viewer: Viewer) -> QuerySet[Action]:
    """Actions to monitor: every one in the partnership for a coordinator; their own agency's
    for an agency user (never another agency's); none for a board member."""
    if viewer.membership is None or viewer.is_board_member:
        return Action.objects.none()
    actions = Action.objects.filter(partnership=viewer.partnership)
    if viewer.is_coordinator:
        return actions
    return actions.filter(agency=viewer.agency)


def action_for(viewer: Viewer, action_id: int) -> Action:
    try:
        return (
            actions_for(viewer)
            .select_related("audit", "agency", "recommendation")
            .get(pk=action_id)
        )
    except Action.DoesNotExist:
        raise Http404("No such action") from None


# --- Learning across audits ---------------------------------------------------------------

# Audits count on the dashboard once their meeting has ratified every case.
LEARNING_STATUSES = (AuditStatus.REPORTING, AuditStatus.MONITORING, AuditStatus.CLOSED)


def may_see_dashboard(viewer: Viewer) -> bool:
    """The dashboard and the theme library: coordinators, and board members (who see them
    with small counts protected, `may_see_small_counts`, and published audits only)."""
    return viewer.is_coordinator or viewer.is_board_member


def may_see_small_counts(viewer: Viewer) -> bool:
    """Only coordinators see counts below the partnership's threshold (and the counts that
    would give them away: `learning.disclosure`)."""
    return viewer.is_coordinator


def published(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    """The audits whose report has been published: in maca (a published edition), or before
    it (closed: closing needs a published report, and an audit loaded from past records was
    closed with its report long out)."""
    edition = ReportEdition.objects.filter(audit=OuterRef("pk"))
    return audits.filter(Q(status=AuditStatus.CLOSED) | Exists(edition))


def dashboard_audits_for(viewer: Viewer) -> QuerySet[Audit]:
    """The audits the dashboard and the theme library count: once their meeting has ratified
    every case; for a board member, once their report is published (decision 38: the board
    reads an audit's findings as published, and each published report gives its own figures
    whole, so an audit not yet published must not be counted where the published ones could
    be taken away from a total)."""
    if not may_see_dashboard(viewer):
        return Audit.objects.none()
    audits = audits_for(viewer).filter(status__in=LEARNING_STATUSES)
    return published(audits) if viewer.is_board_member else audits


def latest_editions_for(viewer: Viewer, audits: QuerySet[Audit]) -> QuerySet[ReportEdition]:
    """The latest published edition of each of these audits that the viewer may read."""
    if viewer.membership is None:
        return ReportEdition.objects.none()
    newer = ReportEdition.objects.filter(audit=OuterRef("audit"), number__gt=OuterRef("number"))
    return ReportEdition.objects.filter(
        partnership=viewer.partnership, audit__in=audits.filter(partnership=viewer.partnership)
    ).exclude(Exists(newer))


def library_themes_for(viewer: Viewer) -> QuerySet[LibraryTheme]:
    """The partnership's theme library, merged themes included (callers ask `.live()`)."""
    if not may_see_dashboard(viewer):
        return LibraryTheme.objects.none()
    return LibraryTheme.objects.filter(partnership=viewer.partnership)


def library_theme_for(viewer: Viewer, theme_id: int) -> LibraryTheme:
    try:
        return library_themes_for(viewer).get(pk=theme_id)
    except LibraryTheme.DoesNotExist:
        raise Http404("No such theme") from None


def theme_actions_for(viewer: Viewer) -> QuerySet[Action]:
    """Actions raised from recommendations, to follow a recurring theme: what was done about
    it last time. Not immediate actions (those are about one child's case)."""
    if not may_see_dashboard(viewer):
        return Action.objects.none()
    return Action.objects.filter(
        partnership=viewer.partnership,
        immediate=False,
        recommendation__isnull=False,
        audit__in=dashboard_audits_for(viewer),
    )
