"""The access table (tests/support/access_table.py) requested: on one database every cell a
view answers itself, and the cells `@access.allow` answers before the view runs (sign-in,
403: about two thirds of them) on one variant of the five, the same answer on each by
construction; a sample on the other database (the figures: docs/security.md). Each answer is
compared with the table and, where it opens a page, its headers checked (the Content Security
Policy, `no-store`).

Fails when a URL pattern has no row in the table, so no page can ship unclassified; when a
view's declared roles (`@access.allow(...)`) disagree with who the table lets past the role
check; and when any requested cell differs from what the application answers.

Each role signs in once per module: its session is made with the scene and reused by every
cell, on the role's client cleared of any other cookie. Each cell runs in a savepoint rolled
back after it, so what a POST changes is undone before the next cell.
"""

import dataclasses
import os
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from maca import access
from maca.history.models import ChangeRecord
from tests.signing_in import sign_in
from tests.support import access_table as table
from tests.support.access_table import (
    CELLS,
    COUNTS,
    DIFFERS,
    FORBIDDEN,
    GROUPS,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    ROLES,
    STAYS_WRITABLE,
    TABLE,
    VARIANTS,
    expected,
    sampled,
    url_names,
    url_patterns,
)
from tests.support.headers import assert_csp_holds, no_store

# Every cell on PostgreSQL (CI sets DATABASE_URL) or with MACA_ACCESS_TABLE=all; a sample on
# the other database (`access_table.sampled`).
EVERY_CELL = (
    connection.vendor == "postgresql" or os.environ.get("MACA_ACCESS_TABLE", "").lower() == "all"
)
# The module's sessions are used for this long (`cells`), well within the 30 idle minutes.
SIGN_IN_AGAIN_AFTER = 10 * 60

# Third-party pages the table classifies as groups, whose headers are checked as the table's.
OTHER_PAGES = [
    ("account_login", "anonymous"),
    ("account_reset_password", "anonymous"),
    ("admin:index", "admin_user"),
    ("admin:accounts_user_changelist", "admin_user"),
    ("mfa_index", "coordinator"),
    ("api-v1:openapi-view", "anonymous"),
]


def test_every_url_has_a_row_in_the_table():
    classified = {name for name, _ in TABLE}
    unclassified = sorted(
        name
        for name in url_names()
        if name not in classified and not any(name.startswith(g) for g in GROUPS)
    )
    assert unclassified == [], f"URL patterns missing from the access table: {unclassified}"


def test_every_difference_names_a_row_and_a_role():
    for variant, cells in DIFFERS.items():
        for key, roles in cells.items():
            assert key in TABLE, f"{variant}: {key} has no row"
            assert set(roles) <= set(ROLES), f"{variant}: {key} names no such role"


def test_the_docstring_states_the_counts():
    figures = "{roles} roles × {urls and methods} URLs and methods × {variants} object variants"
    stated = f"{figures.format_map(COUNTS)} = {COUNTS['cells']:,} cells"
    assert stated in " ".join(table.__doc__.split()), (
        f"update tests/support/access_table.py's docstring and docs/security.md: {stated}"
    )


def test_the_security_document_states_the_counts():
    """docs/security.md gives the table's figures: its cells, those the role check answers
    and the requests that make on PostgreSQL (`requested`)."""
    document = " ".join((settings.BASE_DIR / "docs" / "security.md").read_text().split())
    role_checked = len(ROLE_CHECKED) * len(VARIANTS)
    requests = sum(requested(*cell) for cell in CELLS) if EVERY_CELL else None
    wanted = [f"= {COUNTS['cells']:,} cells", f"sign-in or 403, {role_checked:,} cells"]
    if requests is not None:
        wanted.append(f"{requests:,} requests")
    missing = [figure for figure in wanted if figure not in document]
    assert missing == [], f"update docs/security.md's access table row: {missing}"


# The role each signed-in member of the table holds in our partnership (the other partnership's
# coordinator is a coordinator there); the rest hold none.
MEMBER_ROLES = {
    "coordinator": "coordinator",
    "police_auditor": "agency_auditor",
    "health_auditor": "agency_auditor",
    "agency_lead": "agency_lead",
    "board_member": "board_member",
    "other_partnership_coordinator": "coordinator",
}


def _declared_roles() -> dict[str, tuple[str, ...]]:
    """url name -> the roles its view declares with `@access.allow(...)`."""
    return {
        name: tuple(str(role) for role in pattern.callback.allowed_roles)
        for name, pattern in url_patterns()
        if pattern.name and getattr(pattern.callback, "allowed_roles", None) is not None
    }


def test_the_declared_roles_decide_the_sign_in_and_forbidden_cells():
    """A view's `@access.allow(...)` decides cells before anything is looked up, so on every
    variant alike: the anonymous (and the disabled) are sent to sign in, and a signed-in user
    whose role it does not declare is refused. The table says the same, cell by cell (a view
    may still refuse a declared role itself: the table's other cells)."""
    declared = _declared_roles()
    assert len(declared) > 80, "the views declare their roles with @access.allow"
    derived = 0
    for name, roles in declared.items():
        for method in ("GET", "POST"):
            if (name, method) not in TABLE or TABLE[name, method]["anonymous"] == NOT_ALLOWED:
                continue  # no such row, or the method is refused before the roles
            for variant in VARIANTS:
                for role in ROLES:
                    held = MEMBER_ROLES.get(role)
                    if role in ("anonymous", "disabled_user"):
                        wanted = LOGIN
                    elif held not in roles:
                        wanted = FORBIDDEN
                    else:
                        continue
                    assert expected(name, method, role, variant) == wanted, (
                        name,
                        method,
                        role,
                        variant,
                        roles,
                    )
                    derived += 1
    assert derived > COUNTS["cells"] // 3


# --- The scene, and each role signed in once ------------------------------------------------


@dataclass
class Scene:
    users: dict
    tokens: dict
    objects: dict
    sessions: dict  # role -> session key
    signed_in_at: float = 0.0
    clients: dict = dataclasses.field(default_factory=dict)

    def sign_in(self):
        """Sign every role in: one session each, kept by every cell that follows."""
        disabled = get_user_model().objects.filter(pk=self.users["disabled_user"].pk)
        disabled.update(is_active=True)
        for role, user in self.users.items():
            if user is not None:
                client = Client()
                sign_in(client, user)
                self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        # Disabled after signing in, without the signal that deletes their sessions
        # (tests/security/test_sessions.py proves that): every request must still refuse it.
        disabled.update(is_active=False)
        self.signed_in_at = time.time()

    def client(self, role) -> Client:
        """The role's client, carrying only its session cookie (no message, no CSRF cookie left
        by another cell)."""
        client = self.clients.setdefault(role, Client())
        client.cookies = SimpleCookie()
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """The cast and every variant's objects, made once for the module's thousands of cells
    inside a transaction that is rolled back at its end, with each role signed in. Tests here
    take the cast from it, not from tests/conftest.py (the same addresses would clash)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            users, tokens, objects = table.build()
            scene = Scene(users, tokens, objects, sessions={})
            scene.sign_in()
            yield scene
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def cells(scene, db):
    """The scene, for a test in a savepoint of its own (pytest-django's `db`). A session left
    unused for 30 minutes ends (maca/sessions.py), and what a cell writes to it (the last-seen
    time) is rolled back with the cell: when the module's sessions near that age, the roles
    sign in afresh for each test that follows (undone with it)."""
    if time.time() - scene.signed_in_at < SIGN_IN_AGAIN_AFTER:
        return scene
    fresh = dataclasses.replace(scene, sessions={}, clients={})
    fresh.sign_in()
    return fresh


def _answer_and_headers(scene, name, method, role, variant) -> list[str]:
    """Request one cell; what differs from the table (and the headers, if a page opened)."""
    objects = scene.objects[variant]
    kwargs = {argument: objects[argument] for argument in url_names()[name]}
    client = scene.client(role)
    with transaction.atomic():
        changes = ChangeRecord.objects.filter(audit_id=objects["audit_id"])
        before = changes.count()
        response = table.request(client, method, reverse(name, kwargs=kwargs))
        after = changes.count()
        transaction.set_rollback(True)
    problems = []
    got, wanted = table.answer(response), expected(name, method, role, variant)
    if got != wanted:
        problems.append(f"{role} on {variant}: got {got}, table says {wanted}")
    if variant == "locked" and name not in STAYS_WRITABLE and after != before:
        problems.append(f"{role} on {variant}: the closed audit was changed")
    if got == OK:
        problems += [f"{role} on {variant}: {p}" for p in _header_problems(response, role)]
    return problems


def _header_problems(response, role) -> list[str]:
    """Every page opened carries the Content Security Policy and, for the signed in, is not
    stored (downloads included)."""
    problems = []
    if role not in ("anonymous", "disabled_user") and not no_store(response):
        problems.append("stored: no Cache-Control no-store")
    if response["Content-Type"].startswith("text/html"):
        try:
            assert_csp_holds(response)
        except AssertionError as error:
            problems.append(f"Content Security Policy: {error!r}")
    return problems


# `@access.allow`'s wrapper: a view whose URL pattern calls it directly is answered by it first.
_ALLOW_WRAPPER = access.allow()(lambda request: None).__code__


def answered_by_the_role_check() -> set[tuple[str, str, str]]:
    """(url name, method, role): the cells `@access.allow` answers, sign-in or 403, before
    anything else runs. Only where the URL pattern calls the decorator's wrapper itself (no
    other decorator outside it), and the method is not refused first: there nothing about the
    object named in the URL has been read, so the answer is the same on every variant."""
    cells = set()
    for name, pattern in url_patterns():
        if getattr(pattern.callback, "__code__", None) is not _ALLOW_WRAPPER:
            continue
        declared = pattern.callback.allowed_roles
        for method in ("GET", "POST"):
            if (name, method) not in TABLE or TABLE[name, method]["anonymous"] == NOT_ALLOWED:
                continue
            for role in ROLES:
                if role in ("anonymous", "disabled_user") or MEMBER_ROLES.get(role) not in declared:
                    cells.add((name, method, role))
    return cells


ROLE_CHECKED = answered_by_the_role_check()


def requested(name: str, method: str, role: str, variant: str) -> bool:
    """Whether a cell is requested: on PostgreSQL (or MACA_ACCESS_TABLE=all) every cell the
    view itself answers, and each cell the role check answers on the row's sampled variant
    (the other four are the same answer by construction: `answered_by_the_role_check`, and
    `test_the_declared_roles_decide_the_sign_in_and_forbidden_cells` checks the table says
    so); on the other database, the sample."""
    if EVERY_CELL and (name, method, role) not in ROLE_CHECKED:
        return True
    return sampled(name, method, variant)


def test_the_role_check_answers_before_anything_is_read():
    """The cells requested on one variant only are those of views that `@access.allow` wraps
    from the outside, for the roles it refuses: each the same sign-in or 403 on every variant
    in the table, never a cell that opens a page or answers 404 (which would need the object).
    A view given another decorator outside `allow` drops out of them, and is requested whole."""
    assert len(ROLE_CHECKED) * len(VARIANTS) > COUNTS["cells"] // 3
    for name, method, role in ROLE_CHECKED:
        answers = {expected(name, method, role, variant) for variant in VARIANTS}
        assert answers <= {LOGIN, FORBIDDEN} and len(answers) == 1, (name, method, role)
    # The audit views (`access.audit_view`) scope inside `allow`: their refusals are among them.
    assert ("audits:meeting", "GET", "police_auditor") in ROLE_CHECKED


# One test per URL and method: its cells (10 roles × 5 variants) are requested in turn and
# every cell that differs is named (`requested` says which cells are requested where).
ROWS = sorted(TABLE)


@pytest.mark.parametrize(("name", "method"), ROWS)
def test_row(name, method, cells):
    problems = [
        problem
        for variant in VARIANTS
        for role in ROLES
        if requested(name, method, role, variant)
        for problem in _answer_and_headers(cells, name, method, role, variant)
    ]
    assert problems == [], f"{name} {method}:\n" + "\n".join(problems)


def test_the_sample_holds_every_url_method_and_role_and_every_variant():
    """What the database that does not request every cell requests: a fifth of the cells, with
    every URL, method and role among them, and every variant turning up."""
    sample = [cell for cell in CELLS if sampled(cell[0], cell[1], cell[3])]
    assert {(n, m, r) for n, m, r, _ in sample} == {(n, m, r) for n, m, r, _ in CELLS}
    assert len(sample) == COUNTS["cells"] // len(VARIANTS)
    assert {variant for *_, variant in sample} == set(VARIANTS)


@pytest.mark.parametrize(("name", "role"), OTHER_PAGES)
def test_other_pages_carry_the_policy_and_are_not_stored(name, role, cells):
    response = cells.client(role).get(reverse(name))
    assert response.status_code == OK
    assert _header_problems(response, role) == []


def test_the_header_check_sees_the_page_kinds():
    """The walk opens, as some role, the pages of each kind (so their headers are checked)."""
    for page in ("home", "audits:detail", "audits:return", "audits:report", "actions:monitoring"):
        assert any(TABLE[page, "GET"][role] == OK for role in ROLES), page


def test_sign_in_page_is_public(client, db):
    # db: the page reads the sign-in providers, whose sign-in pages its form may lead to.
    assert client.get(reverse("account_login")).status_code == OK


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "board_member", "disabled_user"])
def test_admin_is_for_staff_only(role, cells):
    response = cells.client(role).get(reverse("admin:index"))
    assert response.status_code == REDIRECT
    assert "/admin/login/" in response["Location"]


def test_admin_opens_for_the_installation_admin(cells):
    assert cells.client("admin_user").get(reverse("admin:index")).status_code == OK


def _api_operations(objects):
    """Every API operation but its document, with its URL and the method its path takes."""
    # The paths that only take a POST (a PUT's path also takes a GET).
    posts = {"action_progress", "return_submit", "return_sign_off_request", "bundle_create"}
    operations = {}
    for name, arguments in url_names().items():
        operation = name.removeprefix("api-v1:")
        if name.startswith("api-v1:") and operation not in {"openapi-json", "openapi-view"}:
            url = reverse(name, kwargs={argument: objects[argument] for argument in arguments})
            operations[operation] = ("POST" if operation in posts else "GET", url)
    assert "audit_list" in operations and "action_progress" in operations
    return operations


def _api_answers(scene, client):
    answers = {}
    for operation, (method, url) in _api_operations(scene.objects["own_agency"]).items():
        with transaction.atomic():
            answers[operation] = table.request(client, method, url).status_code
            transaction.set_rollback(True)
    return answers


def _refused(answers) -> dict:
    return {
        operation: status
        for operation, status in answers.items()
        if status != (NOT_FOUND if operation == "api-root" else 401)
    }


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "admin_user"])
def test_the_api_answers_only_a_token(role, cells):
    """Signing in opens no API operation: without a token, 401 for every one of them."""
    assert _refused(_api_answers(cells, cells.client(role))) == {}


def test_the_api_refuses_a_disabled_users_token(cells):
    """A disabled user's token opens no API operation (their sessions: the table above)."""
    client = Client(headers={"Authorization": f"Bearer {cells.tokens['disabled_user'][1]}"})
    assert _refused(_api_answers(cells, client)) == {}


def test_the_api_document_and_its_page_are_public(client):
    assert client.get(reverse("api-v1:openapi-json")).status_code == OK
    assert client.get(reverse("api-v1:openapi-view")).status_code == OK
