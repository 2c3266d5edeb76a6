"""The cast every test can call on, as in docs/style.md.

One partnership ("ours") with three areas and three agencies, an audit collecting returns in
which Police and Children's Social Care are involved (Health is not), and another partnership
with an audit of its own. People: a coordinator, a police auditor, a health auditor, a
children's social care lead, a board member, the other partnership's coordinator, an outsider
with no membership, and the installation's admin.
"""

import datetime
import os

import pytest
import time_machine
from django.test import Client

from maca.api.services import token_create
from maca.audits.models import AuditStatus, RequestStatus
from maca.partnerships.models import Membership, Role

from . import factories as f
from .signing_in import sign_in
from .support.api import Api

# The Schemathesis figures (operations, cases, failures), printed at the end of every run.
pytest_plugins = ["tests.api.figures"]

# MACA_TEST_SHIFT_DAYS moves every test's clock that many days from the real today (the clock
# still ticks): `make test` runs the suite a year ahead and a year back (scripts/run-tests), so
# a test or a demo that only works near the day it was written fails the day it is written.
# time-machine moves the clock of every thread of the process, the live server's included.
_shift = os.environ.get("MACA_TEST_SHIFT_DAYS")
_travel = None


def pytest_configure(config):
    global _travel
    _static_files_found_once()
    if _shift:
        _travel = time_machine.travel(
            datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=int(_shift)), tick=True
        )
        _travel.start()


def _static_files_found_once():
    """WhiteNoise finds the static files (`WHITENOISE_USE_FINDERS`, outside production) when its
    middleware is made: once per process when serving, but once per test `Client` here, which
    cost about a tenth of a second for each of the suite's thousands of clients. The files do
    not change during a run, so the first scan of each process is kept and given to every
    middleware made after it; what it serves is the same."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    scan = WhiteNoiseMiddleware.add_files_from_finders
    found = {}

    def add_files_from_finders(self):
        if not found:
            scan(self)
            found.update(self.files)
        else:
            self.files.update(found)

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


def pytest_unconfigure(config):
    if _travel is not None:
        _travel.stop()


def pytest_report_header(config):
    if _shift:
        return f"maca: the clock is moved {int(_shift):+d} days from the real today"


@pytest.fixture
def partnership(db):
    return f.PartnershipFactory(name="Ourshire Safeguarding Children Partnership")


@pytest.fixture
def areas(partnership):
    return {
        name: f.AreaFactory(partnership=partnership, name=name, position=i)
        for i, name in enumerate(["East", "North", "Central"])
    }


@pytest.fixture
def agencies(partnership):
    names = ["Children's Social Care", "Police", "Health Provider"]
    return {
        name: f.AgencyFactory(partnership=partnership, name=name, position=i)
        for i, name in enumerate(names)
    }


def _member(partnership, role, agency=None, **user):
    membership = f.MembershipFactory(
        user=f.UserFactory(**user), partnership=partnership, role=role, agency=agency
    )
    return membership.user


@pytest.fixture
def coordinator(partnership):
    return _member(partnership, Role.COORDINATOR, email="coordinator@example.org")


@pytest.fixture
def police_auditor(partnership, agencies):
    return _member(partnership, Role.AGENCY_AUDITOR, agencies["Police"], email="police@example.org")


@pytest.fixture
def health_auditor(partnership, agencies):
    return _member(
        partnership, Role.AGENCY_AUDITOR, agencies["Health Provider"], email="health@example.org"
    )


@pytest.fixture
def agency_lead(partnership, agencies):
    return _member(
        partnership,
        Role.AGENCY_LEAD,
        agencies["Children's Social Care"],
        email="csc.lead@example.org",
    )


@pytest.fixture
def csc(agencies):
    return agencies["Children's Social Care"]


@pytest.fixture
def csc_auditor(partnership, csc):
    return f.MembershipFactory(
        user=f.UserFactory(email="csc.auditor@example.org", name="Sam Social-Worker"),
        partnership=partnership,
        role=Role.AGENCY_AUDITOR,
        agency=csc,
    ).user


@pytest.fixture
def csc_request(audit, csc):
    """Children's Social Care's outstanding request on case T-E-01 (in `audit`)."""
    return audit.requests.get(case__reference="T-E-01", agency=csc)


@pytest.fixture
def board_member(partnership):
    return _member(partnership, Role.BOARD_MEMBER, email="board@example.org")


@pytest.fixture
def other_partnership(db):
    return f.PartnershipFactory(name="Elsewhere Safeguarding Children Partnership")


@pytest.fixture
def other_partnership_coordinator(other_partnership):
    return _member(other_partnership, Role.COORDINATOR, email="elsewhere@example.org")


@pytest.fixture
def outsider(db):
    return f.UserFactory(email="outsider@example.org")


@pytest.fixture
def admin_user(db):
    return f.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def audit(partnership, areas, agencies):
    """Collecting returns: Police and Children's Social Care are involved, Health is not."""
    audit = f.AuditFactory(
        partnership=partnership,
        title="Transitions to adult services",
        status=AuditStatus.COLLECTING,
    )
    f.QuestionFactory(audit=audit, key="q1", text="Was the child's voice heard?", kind="text")
    first = f.CaseFactory(audit=audit, reference="T-E-01", area=areas["East"])
    second = f.CaseFactory(audit=audit, reference="T-N-01", area=areas["North"])
    f.CandidateFactory(audit=audit, line=2, area=areas["East"], case=first)
    f.CandidateFactory(audit=audit, line=3, area=areas["East"])
    f.ReturnFactory(
        request=f.RequestFactory(
            case=first, agency=agencies["Police"], status=RequestStatus.SUBMITTED
        ),
        grade="good",
        good_practice="Police shared the missing episode at once.",
    )
    f.RequestFactory(
        case=first, agency=agencies["Children's Social Care"], status=RequestStatus.OUTSTANDING
    )
    f.RequestFactory(
        case=second, agency=agencies["Children's Social Care"], status=RequestStatus.OUTSTANDING
    )
    f.AuditThemeFactory(audit=audit, title="Information sharing with GPs")
    return audit


@pytest.fixture
def other_audit(other_partnership):
    audit = f.AuditFactory(partnership=other_partnership, title="Neglect audit elsewhere")
    f.QuestionFactory(audit=audit, key="q1")
    case = f.CaseFactory(audit=audit, reference="X-E-01")
    f.CandidateFactory(audit=audit, line=2, area=case.area, case=case)
    f.ReturnFactory(request=f.RequestFactory(case=case, status=RequestStatus.SUBMITTED))
    f.AuditThemeFactory(audit=audit, title="Engagement")
    return audit


@pytest.fixture
def planning_audit(partnership, areas, agencies):
    """Being planned: three questions, a sample plan of 5 per area, no cases yet."""
    audit = f.AuditFactory(
        partnership=partnership,
        title="Neglect in the early years",
        theme="Neglect",
        status=AuditStatus.PLANNING,
    )
    for area in areas.values():
        f.SamplePlanEntryFactory(audit=audit, area=area, cases=5)
    for i, (text, kind) in enumerate(
        [
            ("Was the child seen and heard?", "text"),
            ("Was there a plan for the child?", "yes_no_partly"),
            ("How well did the agency share information?", "grade"),
        ],
        start=1,
    ):
        f.QuestionFactory(audit=audit, key=f"q{i}", text=text, kind=kind, position=i)
    return audit


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        if user is not None:
            sign_in(client, user)
        return client

    return make


# The REST API's clients (tests/api, the uploads sent to it, the history of API reads).


@pytest.fixture
def token_for():
    """A token's secret for `user`, in `partnership` (their first one unless named)."""

    def make(user, partnership=None, *, name="Tests", days=90) -> str:
        if partnership is None:
            partnership = Membership.objects.filter(user=user).first().partnership
        _, secret = token_create(user=user, partnership=partnership, name=name, days=days)
        return secret

    return make


@pytest.fixture
def api_as(token_for):
    """An API client holding a fresh token of `user` (None: no token at all)."""

    def make(user, partnership=None) -> Api:
        return Api(token_for(user, partnership) if user is not None else None)

    return make
