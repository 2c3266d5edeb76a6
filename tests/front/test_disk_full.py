"""A full disk (issue 9): a save that cannot be written answers the plain 503 page (JSON under
/api/), writes nothing of itself, and works again once there is room, without a restart.

No mock: SQLite is really refused room to grow. `PRAGMA max_page_count` at the database's
present size, with its free pages used up first, makes the next write that needs a page fail
with SQLite's own SQLITE_FULL, "database or disk is full", the error a full disk gives.
PostgreSQL's full disk, a real one on a tiny tmpfs, is in tests/faults/test_disk_full.py.
"""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from maca.actions.models import Action, ActionUpdate
from maca.api.services import token_create
from maca.history.models import ChangeRecord
from maca.returns.models import Return
from tests import factories as f
from tests.signing_in import sign_in

HTMX = {"HTTP_HX_REQUEST": "true"}
# Long enough to need pages of its own, as a pasted paragraph does.
TYPED = "The school nurse saw her weekly and told nobody. " * 120


@pytest.fixture
def full_disk(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's full disk; PostgreSQL's is in tests/faults/test_disk_full.py")
    return disk_full


@contextmanager
def disk_full():
    """The database may not grow past its present size until the block ends."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count")
        unlimited = cursor.fetchone()[0]
        # Made while there is room: it takes up the free pages a write could otherwise reuse.
        cursor.execute("CREATE TABLE IF NOT EXISTS test_disk_filler (filler BLOB)")
        cursor.execute("PRAGMA page_count")
        cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0]}")
        for _ in range(100_000):
            try:
                # Two rows a statement: SQLite then undoes just the refused statement, not the
                # test's whole transaction, as it does for a save's inserts.
                cursor.execute(
                    "INSERT INTO test_disk_filler "
                    "SELECT zeroblob(200) FROM (SELECT 1 UNION ALL SELECT 2)"
                )
            except OperationalError as full:
                assert "database or disk is full" in str(full)
                break
        cursor.execute("PRAGMA freelist_count")
        assert cursor.fetchone()[0] == 0
        assert connection.connection.in_transaction  # the test's data is all still there
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA max_page_count = {unlimited}")


def client_of(user) -> Client:
    # As a server answers: the exception goes to handler500, not back to the test.
    client = Client(raise_request_exception=False)
    sign_in(client, user)
    return client


def assert_plain_503(response) -> None:
    text = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Sorry, the service is unavailable" in text
    for leak in ("Traceback", "OperationalError", "database or disk is full", "sqlite"):
        assert leak not in text
    assert "The school nurse" not in text  # nor what was typed


def return_url(request_, name="audits:return"):
    return reverse(name, args=[request_.audit_id, request_.case_id, request_.agency_id])


def written(request_) -> tuple:
    """What a save would change: the return's row, its request's status, the history."""
    return_ = Return.objects.get(request=request_)
    request_.refresh_from_db()
    return (return_.version, return_.learning, request_.status, ChangeRecord.objects.count())


@pytest.fixture
def draft(csc_request, csc_auditor):
    """Children's Social Care's return, begun: version 1."""
    response = client_of(csc_auditor).post(return_url(csc_request), {"answer_q1": "Seen twice"})
    assert response.status_code == 302
    return csc_request


def test_saving_a_return_on_a_full_disk_answers_503_and_writes_nothing(
    full_disk, draft, csc_auditor
):
    client = client_of(csc_auditor)
    typed = {"answer_q1": "Seen twice", "learning": TYPED, "version": "1"}
    before = written(draft)

    with full_disk():
        response = client.post(return_url(draft), typed)
        assert_plain_503(response)
        assert written(draft) == before

    again = client.post(return_url(draft), typed)  # the disk has room again
    assert again.status_code == 302
    saved = Return.objects.get(request=draft)
    assert (saved.version, saved.learning) == (2, TYPED.strip())
    assert ChangeRecord.objects.count() > before[-1]


def test_autosave_on_a_full_disk_answers_503_and_writes_nothing(full_disk, draft, csc_auditor):
    client = client_of(csc_auditor)
    typed = {"answer_q1": "Seen twice", "learning": TYPED, "version": "1"}
    before = written(draft)

    with full_disk():
        response = client.post(return_url(draft, "audits:return_autosave"), typed, **HTMX)
        assert_plain_503(response)
        assert written(draft) == before

    again = client.post(return_url(draft, "audits:return_autosave"), typed, **HTMX)
    assert again.status_code == 200
    assert 'name="version" value="2"' in again.content.decode()
    assert Return.objects.get(request=draft).version == 2


def test_an_action_update_on_a_full_disk_answers_503_and_writes_nothing(
    full_disk, audit, agencies, police_auditor
):
    action = f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=audit), agency=agencies["Police"]
    )
    client = client_of(police_auditor)
    url = reverse("actions:detail", args=[action.pk])
    typed = {"note": TYPED, "status": "in_progress", "version": action.version}
    history = ChangeRecord.objects.count()

    with full_disk():
        response = client.post(url, typed)
        assert_plain_503(response)
        assert ActionUpdate.objects.filter(action=action).count() == 0
        assert ChangeRecord.objects.count() == history
        assert Action.objects.get(pk=action.pk).version == action.version

    again = client.post(url, typed)
    assert again.status_code == 302
    assert ActionUpdate.objects.get(action=action).note == TYPED.strip()


def test_the_api_answers_503_in_json_on_a_full_disk(full_disk, draft, csc_auditor, partnership):
    _, secret = token_create(user=csc_auditor, partnership=partnership, name="Full disk")
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}")
    path = f"/api/v1/requests/{draft.pk}/return"
    assert api.get(path).status_code == 200  # the token's first use is recorded while there is room
    body = {"answers": {"q1": "Seen twice"}, "learning": TYPED, "version": 1}
    before = written(draft)

    with full_disk():
        response = api.put(path, body, content_type="application/json")
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Retry-After"] == "60"
        assert response.json() == {
            "detail": "maca cannot use its database just now; try again later."
        }
        assert written(draft) == before

    again = api.put(path, body, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["version"] == 2
