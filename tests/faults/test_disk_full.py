"""A full disk under PostgreSQL (issue 9): a real one. The application's tables are moved to a
tablespace on a tiny tmpfs, which a filler table then fills, so the next write that needs a new
page gets PostgreSQL's own DiskFull (53100, "could not extend file ... No space left on
device"). Saving a return answers the plain 503 page (JSON under /api/), nothing of the save is
written, and once the filler is dropped the same save works, nothing restarted.

Mounting needs root and a PostgreSQL on this machine (ours and CI's); without them the test is
skipped locally and fails under CI=true. The SQLite equivalent is tests/front/test_disk_full.py.
"""

import logging
import os
import pwd
import secrets
import subprocess
import tempfile
from contextlib import contextmanager

import psycopg
import pytest
from django.db import DatabaseError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from maca.api.services import token_create
from maca.history.models import ChangeRecord
from maca.returns.models import Return
from tests.signing_in import sign_in

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

TABLESPACE = "maca_full_disk"
# A long paste that does not compress: it needs new pages, wherever the rows land.
TYPED = secrets.token_urlsafe(6000)


def _cannot(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must be able to fill a disk: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def small_disk():
    """A 16 MB tmpfs that PostgreSQL may write to; unmounted afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's full disk; SQLite's is in tests/front/test_disk_full.py")
    if os.geteuid() != 0:
        _cannot("mounting a small disk needs root")
    postgres = pwd.getpwnam("postgres")
    where = tempfile.mkdtemp(prefix="maca-full-", dir="/tmp")
    options = f"size=16m,mode=0700,uid={postgres.pw_uid},gid={postgres.pw_gid}"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", where],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        os.rmdir(where)
        _cannot(f"could not mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", where], check=True)  # noqa: S607
        os.rmdir(where)


@contextmanager
def _tables_on(disk: str):
    """Every table and index of the test database moved to `disk`, and back afterwards."""
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"CREATE TABLESPACE {TABLESPACE} LOCATION '{disk}'")
        except DatabaseError as error:  # a PostgreSQL on another machine, say
            _cannot(f"PostgreSQL cannot use {disk}: {error}")
        try:
            cursor.execute(f"ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE {TABLESPACE}")
            cursor.execute(f"ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE {TABLESPACE}")
            yield
        finally:
            cursor.execute("DROP TABLE IF EXISTS test_disk_filler")
            cursor.execute(f"ALTER TABLE ALL IN TABLESPACE {TABLESPACE} SET TABLESPACE pg_default")
            cursor.execute(f"ALTER INDEX ALL IN TABLESPACE {TABLESPACE} SET TABLESPACE pg_default")
            cursor.execute(f"DROP TABLESPACE {TABLESPACE}")


def _fill(cursor) -> None:
    """A filler table takes whatever room is left, in smaller and smaller rows."""
    cursor.execute(f"CREATE TABLE test_disk_filler (filler text) TABLESPACE {TABLESPACE}")
    # Stored as it is, uncompressed: every byte takes a byte of the disk.
    cursor.execute("ALTER TABLE test_disk_filler ALTER COLUMN filler SET STORAGE EXTERNAL")
    for size in (1_000_000, 100_000, 10_000, 1_000, 100):
        for _ in range(10_000):
            try:
                cursor.execute("INSERT INTO test_disk_filler VALUES (repeat('x', %s))", [size])
            except OperationalError as error:
                assert isinstance(error.__cause__, psycopg.errors.DiskFull), error
                break


def _written(request_) -> tuple:
    return_ = Return.objects.get(request=request_)
    request_.refresh_from_db()
    return (return_.version, return_.learning, request_.status, ChangeRecord.objects.count())


def test_a_full_disk_refuses_a_save_plainly_and_it_saves_once_there_is_room(
    small_disk, csc_request, csc_auditor, partnership, caplog
):
    page = Client(raise_request_exception=False)
    sign_in(page, csc_auditor)
    url = reverse(
        "audits:return", args=[csc_request.audit_id, csc_request.case_id, csc_request.agency_id]
    )
    assert page.post(url, {"answer_q1": "Seen twice"}).status_code == 302
    _, secret = token_create(user=csc_auditor, partnership=partnership, name="Full disk")
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}")
    api_path = f"/api/v1/requests/{csc_request.pk}/return"
    assert api.get(api_path).status_code == 200  # the token's first use, recorded with room
    typed = {"answer_q1": "Seen twice", "learning": TYPED, "version": "1"}
    before = _written(csc_request)

    with _tables_on(small_disk), connection.cursor() as cursor:
        _fill(cursor)

        with caplog.at_level(logging.ERROR, logger="django.request"):
            refused = page.post(url, typed)
            refused_api = api.put(
                api_path,
                {"answers": {"q1": "Seen twice"}, "learning": TYPED, "version": 1},
                content_type="application/json",
            )

        # What failed was the disk: PostgreSQL's own DiskFull, as the log records it.
        causes = [record.exc_info[1].__cause__ for record in caplog.records if record.exc_info]
        assert len(causes) == 2
        assert all(isinstance(cause, psycopg.errors.DiskFull) for cause in causes), causes
        text = refused.content.decode()
        assert refused.status_code == 503 and refused["Retry-After"] == "60"
        assert "Sorry, the service is unavailable" in text
        for leak in ("Traceback", "OperationalError", "could not extend", "space", TYPED[:20]):
            assert leak not in text
        assert refused_api.status_code == 503
        assert refused_api.json() == {
            "detail": "maca cannot use its database just now; try again later."
        }
        assert _written(csc_request) == before

        cursor.execute("DROP TABLE test_disk_filler")  # room again

        again = page.post(url, typed)
        assert again.status_code == 302
        saved = Return.objects.get(request=csc_request)
        assert (saved.version, saved.learning) == (2, TYPED)
        assert ChangeRecord.objects.count() > before[-1]
