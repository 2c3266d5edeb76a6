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
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.utils.functional import SimpleLazyObject, cached_property

from maca.accounts.models import User
from maca.actions.models import Action, Dissemination, Recommendation
from maca.audits.models import Audit, Candidate, Case, Request
from maca.audits.stages import stages_allowing
from maca.history.models import AccessRecord, ChangeRecord
from maca.meetings.models import AuditTheme, Ratification
from maca.notices.models import Notice
from maca.partnerships.models import Agency, Area, LibraryTheme, Membership, Partnership, Role
from maca.reports.models import BriefingEdition, NameToCatch, Report, ReportEdition
from maca.returns.models import Return
from maca.yearly.models import YearlyEdition, YearlyReport

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
    viewer = Viewer(user=user, membership=membership)
    viewer.__dict__["memberships"] = memberships  # `Viewer.memberships` without asking again
    return viewer


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
    """Who is asking: `request.viewer`, worked out on first use. On PostgreSQL the next
    middleware (`access_rls.DatabaseScopeMiddleware`) holds the database to its partnership."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = SimpleLazyObject(lambda: _worked_out(request))
        return self.get_response(request)


def _worked_out(request: HttpRequest) -> Viewer:
    # While the viewer is read, `access_rls` holds back the database scope it is needed for
    # (the memberships are scoped by user): else their first query would read them again.
    request.working_out_viewer = True
    try:
        return viewer_for(request)
    finally:
        request.working_out_viewer = False


def viewer_context(request) -> dict:
    """The viewer, and what they may do (`can`), in every template."""
    viewer = getattr(request, "viewer", NOBODY)
    return {"viewer": viewer, "can": Can(viewer)}


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


# The methods a view answers; any other is 405, naming these.
PAGE = ("GET", "HEAD", "POST")  # a page, and the form it posts to itself
READ = ("GET", "HEAD")
GET_ONLY = ("GET",)
POST_ONLY = ("POST",)


def audit_view(*roles: str, methods: tuple[str, ...] = PAGE) -> Callable:
    """A view of one audit, named in its URL by `audit_id`, for members with one of `roles`.

    One order for every such view: signed out → sign-in; another role → 403; an audit out of
    the viewer's scope (`audit_for`) → 404, exactly like a missing id, whatever the method;
    then a method not in `methods` → 405 with the Allow header. The view is called with the
    scoped audit in place of its id: `def view(request, audit, ...)`.
    """

    def decorator(view):
        @wraps(view)
        def scoped(request, audit_id: int, *args, **kwargs):
            audit = audit_for(request.viewer, audit_id)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, audit, *args, **kwargs)

        scoped.allowed_methods = tuple(methods)
        return allow(*roles)(scoped)

    return decorator


def signed_in(view):
    """A page for any signed-in user, member of a partnership or not."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


# --- Capabilities: what a viewer may do -----------------------------------------------------
#
# Each decision about a role or an agency's own things is one predicate here, used by views,
# the API, services and (through `can`) templates. Whether the audit's stage allows a thing is
# the audit's to say (`audit.allows`, maca/audits/stages.py); who may do it is said here.
# Views declare their roles (`allow`, `audit_view`); these decide what a page offers within.


def may_coordinate(viewer: Viewer) -> bool:
    """The partnership's coordinators: they plan and run its audits (the pages declare it),
    manage its agencies' contact addresses (they send the requests and need them heard), move
    audit bundles (which carry an audit whole, every return's text included), change an
    action's owner, text or due date, and see counts below the partnership's threshold (and
    those that would give them away: `maca.disclosure`)."""
    return viewer.is_coordinator


def may_manage_audit(viewer: Viewer, audit: Audit) -> bool:
    """The audit as it stands, to its own partnership's coordinators: the report's draft (its
    words, approval and publication: not yet checked for identifiers), its themes and
    recommendations (naming cases), its summary figures, its candidates (with record numbers),
    its change history and who has looked at its cases. Everyone else reads the audit's
    findings in a published edition of its report."""
    return viewer.is_coordinator and audit.partnership_id == getattr(viewer.partnership, "pk", None)


def may_see_cases(viewer: Viewer) -> bool:
    """Case-level data (within `cases_for`): coordinators, and agency users for their agency's
    cases; never board members."""
    return viewer.is_coordinator or viewer.is_agency_user


def may_follow_actions(viewer: Viewer) -> bool:
    """Actions are case-level work (within `actions_for`): coordinators, and agency users for
    their agency's; never board members."""
    return may_see_cases(viewer)


def may_act_for_agency(viewer: Viewer) -> bool:
    """Agency auditors and leads work for one agency: its requests, returns and actions."""
    return viewer.is_agency_user


def may_read_summaries(viewer: Viewer, audit: Audit) -> bool:
    """The multi-agency case summaries (every agency's return side by side): coordinators at
    any stage; agency users once the audit reaches its meeting (`read_summaries`), for their
    agency's cases; never board members."""
    return viewer.is_coordinator or (viewer.is_agency_user and audit.allows.read_summaries)


def may_edit_return(viewer: Viewer, request: Request) -> bool:
    """A return is written by its own agency's auditors and leads; coordinators read it and
    send it back, they never write it."""
    return viewer.is_agency_user and viewer.agency == request.agency


# An agency's record number for a case is visible only to that agency: the same people.
may_read_record_number = may_edit_return


def may_sign_off(viewer: Viewer, request: Request | None = None) -> bool:
    """Agency leads sign off their agency's returns, where the agency asks for sign-off (of
    `request`'s agency when one is named)."""
    if viewer.role != AGENCY_LEAD:
        return False
    return request is None or viewer.agency == request.agency


def may_read_agency_feedback(viewer: Viewer, agency: Agency) -> bool:
    """An agency's feedback pack (its cases' grades, what the meeting said about its practice,
    its actions): that agency's auditors and lead, and the coordinators of its partnership;
    never another agency's people, never board members (it is case-level text)."""
    if viewer.membership is None or agency.partnership_id != viewer.partnership.pk:
        return False
    return viewer.is_coordinator or (
        viewer.is_agency_user and viewer.membership.agency_id == agency.pk
    )


def may_see_dashboard(viewer: Viewer) -> bool:
    """The dashboard and the theme library: coordinators, and board members (who see them
    with small counts protected and published audits only)."""
    return viewer.is_coordinator or viewer.is_board_member


def may_see_action_progress(viewer: Viewer) -> bool:
    """How the recommendations' actions are progressing across audits, counted, no text:
    coordinators, and board members (for audits whose report is published)."""
    return may_see_dashboard(viewer)


def may_see_programme(viewer: Viewer) -> bool:
    """The audit programme (each audit's title, theme, reason, status and dates; no case):
    coordinators, and board members, who oversee it."""
    return viewer.is_coordinator or viewer.is_board_member


def may_read_yearly_reports(viewer: Viewer) -> bool:
    """The yearly assurance reports (decision 72): coordinators write them and read their
    drafts; board members read their published editions."""
    return viewer.is_coordinator or viewer.is_board_member


def may_use_api(viewer: Viewer) -> bool:
    """Personal API tokens: any member of the partnership, each token scoped as its holder."""
    return viewer.membership is not None


class Can:
    """What the viewer may do, for templates: `{% if can.coordinate %}`. Each attribute is the
    predicate `may_<name>` above, asked of the viewer; a name not here is an AttributeError,
    which a template would read as false (tests check every name templates use). Nothing here
    reads the database beyond the viewer's membership."""

    NAMES = (
        "coordinate",
        "see_cases",
        "follow_actions",
        "act_for_agency",
        "sign_off",
        "see_dashboard",
        "see_action_progress",
        "see_programme",
        "read_yearly_reports",
        "use_api",
        "record_dissemination",
    )

    __slots__ = ("viewer",)

    def __init__(self, viewer: Viewer):
        self.viewer = viewer

    def __getattr__(self, name: str) -> bool:
        if name not in Can.NAMES:
            raise AttributeError(f"No capability {name!r}")
        return globals()[f"may_{name}"](self.viewer)


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


def agency_for(viewer: Viewer, agency_id: int) -> Agency:
    """One of the partnership's agencies, to change; 404 for any other."""
    if not may_coordinate(viewer):
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
    if not may_manage_audit(viewer, audit):
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
        return audits.filter(status__in=stages_allowing("show_to_members"))
    # Agency users: audits their agency takes part in, once requests have gone out.
    involved = Request.objects.filter(audit=OuterRef("pk"), agency=viewer.agency)
    return audits.filter(Exists(involved), status__in=stages_allowing("show_to_members"))


def programme_audits_for(viewer: Viewer) -> QuerySet[Audit]:
    """Every audit of the partnership, planned ones included, as the programme lists them
    (`may_see_programme`): read for what describes them, never their cases."""
    if not may_see_programme(viewer):
        return Audit.objects.none()
    return Audit.objects.filter(partnership=viewer.partnership)


def audit_for(viewer: Viewer, audit_id: int) -> Audit:
    try:
        return audits_for(viewer).get(pk=audit_id)
    except Audit.DoesNotExist:
        raise Http404("No such audit") from None


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


def summary_cases_for(viewer: Viewer, audit: Audit) -> QuerySet[Case]:
    """The cases whose multi-agency summary (every agency's return) the viewer may read:
    all for a coordinator; for an agency user, their agency's cases once the audit is in
    moderation or later; none for a board member."""
    if not may_read_summaries(viewer, audit):
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
    return requests.filter(
        agency=viewer.agency, audit__status__in=stages_allowing("show_to_members")
    )


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


def audit_themes_for(viewer: Viewer, audit: Audit) -> QuerySet[AuditTheme]:
    if not may_manage_audit(viewer, audit):
        return AuditTheme.objects.none()
    return AuditTheme.objects.filter(audit=audit)


def recommendations_for(viewer: Viewer, audit: Audit) -> QuerySet[Recommendation]:
    if not may_manage_audit(viewer, audit):
        return Recommendation.objects.none()
    return Recommendation.objects.filter(audit=audit)


def history_for(viewer: Viewer, audit: Audit) -> QuerySet[ChangeRecord]:
    """The change history of an audit holds case-level text: coordinators only."""
    if not may_manage_audit(viewer, audit):
        return ChangeRecord.objects.none()
    return ChangeRecord.objects.filter(partnership=viewer.partnership, audit_id=audit.pk)


def access_log_for(viewer: Viewer, audit: Audit, case: Case) -> QuerySet[AccessRecord]:
    """Who has looked at a case, latest first: views of the case itself, and of what holds
    every case of its audit (case summaries, the meeting pack, a bundle, the change history).
    Coordinators only."""
    if not may_manage_audit(viewer, audit):
        return AccessRecord.objects.none()
    return (
        AccessRecord.objects.filter(partnership=viewer.partnership, audit_id=audit.pk)
        .filter(Q(case_id=case.pk) | Q(case_id__isnull=True, kind__in=AccessRecord.EVERY_CASE))
        .order_by("-at", "-id")
    )


# --- The report -----------------------------------------------------------------------------


def report_editions_for(viewer: Viewer, audit: Audit) -> QuerySet[ReportEdition]:
    """Published editions: everyone in the partnership who may see the audit (the board
    included: a published edition has passed the identifier check)."""
    if viewer.membership is None or audit.partnership_id != viewer.partnership.pk:
        return ReportEdition.objects.none()
    return ReportEdition.objects.filter(audit=audit)


def reports_for(viewer: Viewer) -> QuerySet[Report]:
    """The reports of the partnership's audits, on their way to publication (who sent them,
    who approved them): its coordinators only, as `may_manage_audit`."""
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


# --- The learning briefing and the dissemination log (decision 71) ---------------------------


def briefing_editions_for(viewer: Viewer, audit: Audit) -> QuerySet[BriefingEdition]:
    """Published learning briefings: whoever may read the published report (the board
    included: a published briefing has passed the identifier check)."""
    if viewer.membership is None or audit.partnership_id != viewer.partnership.pk:
        return BriefingEdition.objects.none()
    return BriefingEdition.objects.filter(audit=audit)


def briefing_edition_for(viewer: Viewer, audit: Audit, number: int) -> BriefingEdition:
    try:
        return briefing_editions_for(viewer, audit).get(number=number)
    except BriefingEdition.DoesNotExist:
        raise Http404("No such briefing") from None


def may_record_dissemination(viewer: Viewer, dissemination: Dissemination | None = None) -> bool:
    """The dissemination log is kept by the coordinators (any row of their partnership's) and
    the agency leads (the rows of their own agency: they brief their own teams); the page
    declares both roles. Agency auditors and board members read the counts in the yearly
    report."""
    if viewer.is_coordinator:
        return dissemination is None or dissemination.partnership_id == viewer.partnership.pk
    if viewer.role != AGENCY_LEAD:
        return False
    return dissemination is None or (
        dissemination.partnership_id == viewer.partnership.pk
        and dissemination.agency_id == viewer.membership.agency_id
    )


def dissemination_for(viewer: Viewer, audit: Audit, dissemination_id: int) -> Dissemination:
    """A row of the audit's log the viewer may change: 404 otherwise, like a missing id."""
    row = Dissemination.objects.filter(audit=audit, pk=dissemination_id).first()
    if row is None or not may_record_dissemination(viewer, row):
        raise Http404("No such row of the dissemination log")
    return row


# --- Each agency's feedback ------------------------------------------------------------------


def feedback_agencies_for(viewer: Viewer, audit: Audit) -> QuerySet[Agency]:
    """The agencies of an audit whose feedback pack the viewer may read: every agency asked
    for a return, for a coordinator of its partnership; an agency user's own agency, if it was
    asked; none for anyone else (`may_read_agency_feedback`)."""
    none = Agency.objects.none()
    if viewer.membership is None or audit.partnership_id != viewer.partnership.pk:
        return none
    involved = Request.objects.filter(audit=audit, agency=OuterRef("pk"))
    agencies = agencies_for(viewer).filter(Exists(involved))
    if viewer.is_coordinator:
        return agencies
    return agencies.filter(pk=viewer.membership.agency_id) if viewer.is_agency_user else none


def feedback_agency_for(viewer: Viewer, audit: Audit, agency_id: int) -> Agency:
    try:
        return feedback_agencies_for(viewer, audit).get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404("No such agency") from None


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


def published(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    """The audits whose report has been published: in maca (a published edition), or before
    it (closed: closing needs a published report, and an audit loaded from past records was
    closed with its report long out)."""
    edition = ReportEdition.objects.filter(audit=OuterRef("pk"))
    return audits.filter(Q(status__in=stages_allowing("run_retention")) | Exists(edition))


def dashboard_audits_for(viewer: Viewer) -> QuerySet[Audit]:
    """The audits the dashboard and the theme library count: once their meeting has ratified
    every case; for a board member, once their report is published (decision 38: the board
    reads an audit's findings as published, and each published report gives its own figures
    whole, so an audit not yet published must not be counted where the published ones could
    be taken away from a total)."""
    if not may_see_dashboard(viewer):
        return Audit.objects.none()
    audits = audits_for(viewer).filter(status__in=stages_allowing("count_in_learning"))
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


def progress_actions_for(viewer: Viewer) -> QuerySet[Action]:
    """The actions counted for the progress across audits (`may_see_action_progress`): those
    raised from recommendations, of the audits the dashboard counts (for a board member, once
    their report is published). Not immediate actions: each is about one child's case."""
    return theme_actions_for(viewer)


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


# --- The yearly assurance report -------------------------------------------------------------


def yearly_reports_for(viewer: Viewer) -> QuerySet[YearlyReport]:
    """The partnership's yearly reports: every one, drafts included, for its coordinators; for
    its board members those with a published edition (they read the editions only)."""
    if not may_read_yearly_reports(viewer):
        return YearlyReport.objects.none()
    reports = YearlyReport.objects.filter(partnership=viewer.partnership)
    if viewer.is_coordinator:
        return reports
    return reports.filter(Exists(YearlyEdition.objects.filter(report=OuterRef("pk"))))


def yearly_report_for(viewer: Viewer, report_id: int) -> YearlyReport:
    try:
        return yearly_reports_for(viewer).get(pk=report_id)
    except YearlyReport.DoesNotExist:
        raise Http404("No such yearly report") from None


def yearly_editions_for(viewer: Viewer, report: YearlyReport) -> QuerySet[YearlyEdition]:
    """A yearly report's published editions: its partnership's coordinators and board."""
    if not may_read_yearly_reports(viewer) or report.partnership_id != viewer.partnership.pk:
        return YearlyEdition.objects.none()
    return YearlyEdition.objects.filter(report=report)


def yearly_edition_for(viewer: Viewer, report: YearlyReport, number: int) -> YearlyEdition:
    try:
        return yearly_editions_for(viewer, report).get(number=number)
    except YearlyEdition.DoesNotExist:
        raise Http404("No such edition") from None


def yearly_audits_for(viewer: Viewer) -> QuerySet[Audit]:
    """The audits a yearly report may count, whoever drafts it: those the dashboard counts
    whose report is published (as the board's dashboard counts them: the yearly report is
    published to the board, decision 72). The period is the caller's to choose, by the date
    each audit is held at (`audits.rules.audit_held_on`)."""
    if not may_read_yearly_reports(viewer):
        return Audit.objects.none()
    return published(audits_for(viewer).filter(status__in=stages_allowing("count_in_learning")))


def yearly_theme_actions_for(viewer: Viewer) -> QuerySet[Action]:
    """The recommendations' actions of the audits a yearly report may count (never immediate
    actions: each is about one child's case)."""
    if not may_read_yearly_reports(viewer):
        return Action.objects.none()
    return Action.objects.filter(
        partnership=viewer.partnership,
        immediate=False,
        recommendation__isnull=False,
        audit__in=yearly_audits_for(viewer),
    )


def yearly_recommendations_for(viewer: Viewer) -> QuerySet[Recommendation]:
    """The recommendations of the audits a yearly report may count."""
    if not may_read_yearly_reports(viewer):
        return Recommendation.objects.none()
    return Recommendation.objects.filter(
        partnership=viewer.partnership, audit__in=yearly_audits_for(viewer)
    )
