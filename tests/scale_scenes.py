"""Partnerships of two sizes, built from the demo's audit bundles, for the tests that compare
what a page costs on a small and on a large one (tests/test_query_counts.py, and the pages
tests/security/test_row_level_security.py opens as the application's role), with the URLs
each role opens on them (`urls`).

Every scene holds the same three audits to open pages on (the demo's transitions audit, closed;
neglect, collecting returns; domestic abuse, monitoring its actions), each with a published
report edition, and the same cast. A scene grows in one dimension only: its three audits' cases
copied ten times over (150 cases instead of 15; 90 instead of 9 for domestic abuse), or 37 more
audits beside them (40 in all), of every status, with 3 cases each.
"""

import copy
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import User
from maca.api.services import token_create
from maca.audits.models import Audit, AuditStatus
from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.partnerships.models import Agency, Partnership, Role
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from maca.yearly.models import YearlyReport
from tests import factories as f
from tests.support.access_table import OK, TABLE, url_names

# The audits pages are opened on, by kind.
AUDITS = {
    "closed": "02-transitions.json",
    "collecting": "03-neglect.json",
    "monitoring": "05-domestic-abuse.json",
}
# The audits a large partnership has beside them: every bundle, every status of an audit's life.
OTHERS = [
    ("01-children-in-need.json", AuditStatus.CLOSED),
    ("02-transitions.json", AuditStatus.REPORTING),
    ("03-neglect.json", AuditStatus.COLLECTING),
    ("03-neglect.json", AuditStatus.MODERATION),
    ("04-missing-education.json", AuditStatus.PLANNING),
    ("05-domestic-abuse.json", AuditStatus.MONITORING),
]
OTHER_CASES = 3  # cases kept of each other audit: what grows is the number of audits

# The cast, named as in the access table (tests/support/access_table.py): its "police auditor" is
# an auditor of an agency involved in the audit. Ours is Health Provider's, involved in more of
# the demo's cases than Police and owning actions; the lead is Children's Social Care's, as there.
AUDITOR_AGENCY = "Health Provider"
LEAD_AGENCY = "Children's Social Care"
CAST = {
    "coordinator": (Role.COORDINATOR, None),
    "police_auditor": (Role.AGENCY_AUDITOR, AUDITOR_AGENCY),
    "agency_lead": (Role.AGENCY_LEAD, LEAD_AGENCY),
    "board_member": (Role.BOARD_MEMBER, None),
}


@dataclass
class Scene:
    partnership: Partnership
    audits: dict[str, Audit]  # kind -> the audit pages are opened on
    people: dict[str, User] = field(default_factory=dict)  # role (as in CAST) -> user
    tokens: dict[str, str] = field(default_factory=dict)  # role -> API token secret

    def agency_of(self, role: str) -> Agency | None:
        name = CAST[role][1]
        return self.partnership.agencies.get(name=name) if name else None


def bundle(name: str) -> dict:
    return demo_bundle(name)


def copied(data: dict, copies: int) -> dict:
    """The bundle with its cases copied `copies` times under new references (as
    bench/report.py's `_copied`), the sample plan multiplied to match."""
    data = copy.deepcopy(data)
    if copies == 1:
        return data
    spec = data["audit"]
    spec["sample_plan"] = {area: n * copies for area, n in spec["sample_plan"].items()}
    data["cases"] = [
        {**copy.deepcopy(case), "reference": f"{case['reference']}-{n:02d}"}
        for n in range(1, copies + 1)
        for case in data["cases"]
    ]
    return data


def trimmed(data: dict, cases: int) -> dict:
    """The bundle with only its first `cases` cases."""
    data = copy.deepcopy(data)
    data["cases"] = data["cases"][:cases]
    return data


def scene(name: str, *, copies: int = 1, audits: int = len(AUDITS)) -> Scene:
    """A partnership named `name` holding the three audits, each case copied `copies` times,
    and as many other audits as make `audits` in all; its cast, each with an API token."""
    partnership_name = f"{name} Safeguarding Children Partnership"
    loaded = {}
    for kind, filename in AUDITS.items():
        data = copied(bundle(filename), copies)
        data["partnership"] = partnership_name
        loaded[kind] = bundle_import(data=data, via="test")
    for n in range(audits - len(AUDITS)):
        filename, status = OTHERS[n % len(OTHERS)]
        data = trimmed(bundle(filename), OTHER_CASES)
        data["partnership"] = partnership_name
        data["audit"]["title"] = f"{data['audit']['title']} ({n + 1})"
        data["audit"]["status"] = status
        if status == AuditStatus.PLANNING:
            data["audit"].pop("requests_sent_on", None)
        other = bundle_import(data=data, via="test")
        if status in {AuditStatus.MONITORING, AuditStatus.CLOSED}:
            f.published_report(other)
    for audit in loaded.values():
        edition = f.published_report(audit)
        _with_word_file(edition)
        for agency in _involved_agencies(audit):  # each agency's feedback pack, PDF and Word
            f.feedback_pack_ready(edition, agency)
            f.feedback_pack_ready(edition, agency, kind="feedback_docx")
        # Its learning briefing, and where it went (nobody's agency's).
        f.dissemination(f.published_briefing(edition), agency=None)
    built = Scene(partnership=loaded["closed"].partnership, audits=loaded)
    slug = name.lower().replace(" ", "-")
    for role, (membership_role, agency_name) in CAST.items():
        agency = built.partnership.agencies.get(name=agency_name) if agency_name else None
        user = f.MembershipFactory(
            user=f.UserFactory(email=f"{role}@{slug}.example.org"),
            partnership=built.partnership,
            role=membership_role,
            agency=agency,
        ).user
        built.people[role] = user
        _, built.tokens[role] = token_create(
            user=user, partnership=built.partnership, name="Query counts"
        )
    _published_yearly_report(built)
    return built


def _published_yearly_report(built: Scene) -> None:
    """The last year's yearly report, edition 1 published (bypassing approval)."""
    import datetime

    from maca.access import viewer_as
    from maca.yearly.document import document_digest, yearly_document
    from maca.yearly.models import YearlyEdition

    today = timezone.localdate()
    report = YearlyReport.objects.create(
        partnership=built.partnership, start=today - datetime.timedelta(days=364), end=today
    )
    document = yearly_document(report, viewer_as(built.people["coordinator"], built.partnership))
    YearlyEdition.objects.create(
        partnership=built.partnership,
        report=report,
        number=1,
        document=document,
        digest=document_digest(document),
        published_at=timezone.now(),
    )


def _involved_agencies(audit):
    """The agencies asked for a return in the audit."""
    return audit.partnership.agencies.filter(requests__audit=audit).distinct()


def _with_word_file(edition) -> None:
    """The edition's Word file, made (a stand-in, as the PDF of `published_report`)."""
    Rendition.objects.create(
        partnership=edition.partnership,
        audit=edition.audit,
        kind=RenditionKind.REPORT_DOCX,
        edition=edition,
        status=RenditionStatus.READY,
        content=b"PK stand-in",
        filename=f"report-audit-{edition.audit_id}-edition-{edition.number}.docx",
        finished_at=timezone.now(),
    )


# The pages: every GET of the access table that one of the cast opens (200) there.
PAGES = sorted(
    (name, role)
    for (name, method), cells in TABLE.items()
    if method == "GET"
    for role in CAST
    if cells[role] == OK
)


# The API's reads: every operation but the writes (return_save's path is return_detail's, whose
# GET is counted), ninja's root and the OpenAPI document.
NOT_READS = {
    "action_progress",
    "return_submit",
    "return_sign_off_request",
    "bundle_create",
    "return_save",
    "api-root",
    "openapi-json",
    "openapi-view",
}


API_READS = sorted(
    name
    for name in url_names()
    if name.startswith("api-v1:") and name.removeprefix("api-v1:") not in NOT_READS
)


# URL arguments that name something in an audit: a URL without them is the partnership's,
# counted once per role rather than once per audit.
AUDIT_ARGUMENTS = {
    "audit_id",
    "case_id",
    "request_id",
    "agency_id",
    "question_id",
    "theme_id",
    "library_theme_id",
    "recommendation_id",
    "action_id",
    "number",
    "dissemination_id",
}


def arguments_of(scene, kind: str, role: str) -> dict:
    """What each URL argument names in the scene's audit of this kind, as the role sees it
    (as the access table's `_objects`): the first case by reference (the first of the role's
    agency's cases, for agency users), the request on it (the agency's own, or the first
    submitted), the audit's first question, theme, library theme, recommendation and action (of
    the agency, for agency users), the case's area, the report's introduction, edition 1 and a
    dashboard table.
    None where the audit has no such thing (no theme while collecting, say)."""
    audit = scene.audits[kind]
    agency = scene.agency_of(role)
    cases = audit.cases.order_by("reference")
    actions = audit.actions.order_by("pk")
    if agency is not None:
        cases = cases.filter(requests__agency=agency)
        actions = actions.filter(agency=agency)
    case = cases.first()
    requests = case.requests.order_by("pk")
    request = (
        requests.filter(agency=agency).first()
        if agency is not None
        else requests.filter(status="submitted").first()
    )
    themes = audit.themes.order_by("position", "pk")
    library_theme = themes.filter(library_theme__isnull=False).first()
    found = {
        "audit_id": audit,
        "case_id": case,
        "request_id": request,
        "agency_id": request.agency if request else None,
        "area_id": case.area,
        "question_id": audit.questions.order_by("position", "pk").first(),
        "theme_id": themes.first(),
        "library_theme_id": library_theme.library_theme if library_theme else None,
        "recommendation_id": audit.recommendations.order_by("position", "pk").first(),
        "action_id": actions.first(),
        # A row of the dissemination log the role may change: a coordinator's any, a lead's
        # their agency's (decision 71).
        "dissemination_id": audit.disseminations.filter(
            **({} if agency is None else {"agency": agency})
        )
        .order_by("pk")
        .first(),
    }
    yearly = YearlyReport.objects.filter(partnership=scene.partnership).first()
    return {name: thing.pk if thing else None for name, thing in found.items()} | {
        "yearly_id": yearly.pk if yearly else None,
        "section": "summary",
        "key": "introduction",
        "number": 1,
        "table": "calibration",
        "topic": "themes",
    }


def urls(scene, names) -> dict[tuple[str, str, str], str]:
    """(url name, role, audit kind) -> URL, for each (name, role) in `names`: on each of the
    scene's audits, or once (kind "-") for a page that names no audit; an audit with nothing
    for an argument is left out."""
    arguments = {
        (kind, role): arguments_of(scene, kind, role) for kind in scene.audits for role in CAST
    }
    urls = {}
    for name, role in names:
        wanted = url_names()[name]
        kinds = list(scene.audits) if AUDIT_ARGUMENTS & set(wanted) else ["-"]
        for kind in kinds:
            found = arguments["closed" if kind == "-" else kind, role]
            kwargs = {argument: found[argument] for argument in wanted}
            if None not in kwargs.values():
                urls[name, role, kind] = reverse(name, kwargs=kwargs)
    return urls
