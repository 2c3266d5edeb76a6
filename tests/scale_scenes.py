"""Partnerships of two sizes, built from the demo's audit bundles, for the tests that compare
what a page costs on a small and on a large one (tests/test_query_counts.py).

Every scene holds the same three audits to open pages on (the demo's transitions audit, closed;
neglect, collecting returns; domestic abuse, monitoring its actions), each with a published
report edition, and the same cast. A scene grows in one dimension only: its three audits' cases
copied ten times over (150 cases instead of 15; 90 instead of 9 for domestic abuse), or 37 more
audits beside them (40 in all), of every status, with 3 cases each.
"""

import copy
from dataclasses import dataclass, field

from django.utils import timezone

from maca.accounts.models import User
from maca.api.services import token_create
from maca.audits.models import Audit, AuditStatus
from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.partnerships.models import Agency, Partnership, Role
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from tests import factories as f

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
        _with_word_file(f.published_report(audit))
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
    return built


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
