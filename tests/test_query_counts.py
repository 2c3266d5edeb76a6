"""Query discipline (issue 10): every page and API operation runs as many SQL queries for a
large partnership as for a small one.

Each page a role may open (the GET cells of the access table that answer 200) and each GET of
the REST API is requested on two scenes (tests/scale_scenes.py) that differ in one dimension
only: the cases of each audit (15 against 150) or the audits of the partnership (3 against 40).
The first request warms the caches (charts, content types); the second is counted. A page that
starts running a query per case or per audit fails here, naming the statements that grew.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.returns.forms import initial_for
from maca.returns.models import Return
from tests import scale_scenes
from tests.signing_in import sign_in
from tests.support import once
from tests.support.access_table import OK

LARGE_COPIES = 10
LARGE_AUDITS = 40
# The coordinator opens two pages in three: the pages' tests come in two halves, for xdist.
HALVES = [("coordinator",), ("police_auditor", "agency_lead", "board_member")]


@dataclass(frozen=True)
class Count:
    status: int
    queries: list[str]


# Building the URLs ------------------------------------------------------------------------------


# Counting ---------------------------------------------------------------------------------------


def _counted(send, then=None) -> Count:
    """The second of two requests, counted: the first fills the caches. The second is the
    same request unless `then` is given (a write needs the version the first one made)."""
    send()
    with CaptureQueriesContext(connection) as captured:
        response = (then or send)()
    return Count(response.status_code, [query["sql"] for query in captured.captured_queries])


def _page_counts(scene, roles=tuple(scale_scenes.CAST)) -> dict[tuple, Count]:
    clients = {}
    for role in roles:
        clients[role] = Client()
        sign_in(clients[role], scene.people[role])
    pages = [(name, role) for name, role in scale_scenes.PAGES if role in roles]
    return {
        (name, role, kind): _counted(lambda url=url, client=clients[role]: client.get(url))
        for (name, role, kind), url in scale_scenes.urls(scene, pages).items()
    }


def _api_counts(scene) -> dict[tuple, Count]:
    clients = {
        role: Client(headers={"Authorization": f"Bearer {secret}"})
        for role, secret in scene.tokens.items()
    }
    reads = [(name, role) for name in scale_scenes.API_READS for role in scene.tokens]
    return {
        (name, role, kind): _counted(lambda url=url, client=clients[role]: client.get(url))
        for (name, role, kind), url in scale_scenes.urls(scene, reads).items()
    }


def _write_counts(scene) -> dict[tuple, Count]:
    """Saving a draft return, as the page's autosave and the API's PUT do: the auditor's
    agency's first draft in the collecting audit, saved twice from each, each time from the
    version the save before made."""
    role = "police_auditor"
    return_ = (
        Return.objects.filter(
            request__audit=scene.audits["collecting"],
            request__agency=scene.agency_of(role),
            request__status="draft",
        )
        .select_related("request")
        .order_by("request__case__reference")
        .first()
    )
    agency_request = return_.request
    page = Client()
    sign_in(page, scene.people[role])
    api = Client(headers={"Authorization": f"Bearer {scene.tokens[role]}"})
    autosave_url = reverse(
        "audits:return_autosave",
        args=[agency_request.audit_id, agency_request.case_id, agency_request.agency_id],
    )
    form = {k: v for k, v in initial_for(return_, agency_request).items() if v not in {None, False}}

    def autosave(n: int):
        data = form | {"version": return_.version + n, "good_practice": f"Autosaved {n}."}
        return lambda: page.post(autosave_url, data, HTTP_HX_REQUEST="true")

    counts = {("audits:return_autosave", role, "collecting"): _counted(autosave(0), autosave(1))}
    return_.refresh_from_db()
    body = {
        "answers": return_.answers,
        "grade": return_.grade or None,
        **{name: getattr(return_, name) for name in ("good_practice", "learning")},
    }

    def put(n: int):
        sent = body | {"version": return_.version + n, "learning": f"Saved through the API {n}."}
        url = f"/api/v1/requests/{agency_request.pk}/return"
        return lambda: api.put(url, sent, content_type="application/json")

    counts["api-v1:return_save", role, "collecting"] = _counted(put(0), put(1))
    return counts


# Comparing --------------------------------------------------------------------------------------


def _shape(sql: str) -> str:
    """A statement without its values, so that the same query on other rows reads the same."""
    sql = re.sub(r"^SELECT .*? FROM ", "SELECT ... FROM ", sql)
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    sql = re.sub(r"\?(?:, ?\?)+", "?...", sql)
    return sql if len(sql) <= 240 else sql[:240] + "..."


def _differences(small: dict, large: dict, sizes: str) -> list[str]:
    """Each page whose status or number of queries differs between the scenes, with the
    statements run more often on the large one."""
    found = []
    for key in sorted(small.keys() | large.keys()):
        a, b = small.get(key), large.get(key)
        label = " ".join(key)
        if a is None or b is None:
            found.append(f"{label}: opened on one scene only ({sizes})")
            continue
        if (a.status, len(a.queries)) == (b.status, len(b.queries)):
            continue
        found.append(
            f"{label}: {len(a.queries)} queries (status {a.status}) against "
            f"{len(b.queries)} (status {b.status}) [{sizes}]"
        )
        grown = Counter(map(_shape, b.queries)) - Counter(map(_shape, a.queries))
        found += [f"    +{n}x {sql}" for sql, n in grown.most_common(5)]
    return found


def _opened(counts: dict) -> set[tuple[str, str]]:
    """The (url name, role) pairs that answered 200 on some audit. A page compared only as a
    refusal or a redirect would prove nothing about what it shows."""
    return {key[:2] for key, count in counts.items() if count.status == OK}


# The tests --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_writes_once_a_minute(monkeypatch):
    """The session's last-seen time and a token's last use are written at most once a minute:
    a constant cost, but one that would land on whichever request crosses the minute, in one
    scene and not the other. Not within these tests."""
    monkeypatch.setattr("maca.sessions.SEEN_REFRESH", datetime.timedelta(days=1))
    monkeypatch.setattr("maca.api.auth.LAST_USED_EVERY", datetime.timedelta(days=1))


# Each scene is built once for the module (tests/support/once.py): the 150-case and 40-audit
# scenes cost seconds each; every test reads them and what it writes is rolled back after it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with once.rolled_back(django_db_blocker):
        yield


@pytest.fixture(scope="module")
def small(built):
    return scale_scenes.scene("Small")


@pytest.fixture(scope="module")
def more_cases(built):
    return scale_scenes.scene("More cases", copies=LARGE_COPIES)


@pytest.fixture(scope="module")
def more_audits(built):
    return scale_scenes.scene("More audits", audits=LARGE_AUDITS)


@pytest.fixture(scope="module")
def small_counts(small):
    """The small scene's counts, the same for both of its comparisons: counted once."""
    counted = {}

    def counts(kind: str, roles: tuple = ()) -> dict[tuple, Count]:
        if (kind, roles) not in counted:
            counted[kind, roles] = (
                _page_counts(small, roles) if kind == "pages" else _api_counts(small)
            )
        return counted[kind, roles]

    return counts


@pytest.mark.parametrize("roles", HALVES, ids=["coordinator", "others"])
def test_pages_run_as_many_queries_for_150_cases_as_for_15(small_counts, more_cases, roles):
    counts = small_counts("pages", roles)
    differences = _differences(counts, _page_counts(more_cases, roles), "15 cases, 150 cases")

    assert differences == [], "\n".join(["", *differences])
    assert {page for page in scale_scenes.PAGES if page[1] in roles} - _opened(counts) == set()


@pytest.mark.parametrize("roles", HALVES, ids=["coordinator", "others"])
def test_pages_run_as_many_queries_for_40_audits_as_for_3(small_counts, more_audits, roles):
    counts = small_counts("pages", roles)
    differences = _differences(counts, _page_counts(more_audits, roles), "3 audits, 40 audits")

    assert differences == [], "\n".join(["", *differences])


def test_the_api_runs_as_many_queries_for_150_cases_as_for_15(small_counts, more_cases):
    counts = small_counts("api")
    differences = _differences(counts, _api_counts(more_cases), "15 cases, 150 cases")

    assert differences == [], "\n".join(["", *differences])
    assert set(scale_scenes.API_READS) - {name for name, _ in _opened(counts)} == set()


def test_the_api_runs_as_many_queries_for_40_audits_as_for_3(small_counts, more_audits):
    counts = small_counts("api")
    differences = _differences(counts, _api_counts(more_audits), "3 audits, 40 audits")

    assert differences == [], "\n".join(["", *differences])


def test_saving_a_return_runs_as_many_queries_for_150_cases_as_for_15(small, more_cases):
    counts = _write_counts(small)
    differences = _differences(counts, _write_counts(more_cases), "15 cases, 150 cases")

    assert differences == [], "\n".join(["", *differences])
    assert {count.status for count in counts.values()} == {OK}
