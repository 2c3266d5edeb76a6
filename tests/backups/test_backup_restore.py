"""`maca backup` and `maca restore`: a database filled through the services comes back whole
in a fresh database, every table row for row; and what restore refuses.

Runs on whichever database the suite runs on: PostgreSQL (pg_dump, pg_restore, a second
database made and dropped here) or SQLite (the backup API, a second file).
"""

import hashlib
import json
import os
import re
import stat
import subprocess
import sys
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend

from maca.accounts.models import User
from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle, demo_bundle_names
from maca.partnerships.models import Partnership, Role
from maca.partnerships.services import membership_grant
from maca.reports.models import RenditionKind
from maca.reports.rendering import rendition_content, rendition_request

BUNDLES = demo_bundle_names()
RESTORED = "restored"
# What `fill` fills, at the least: people, audits, returns, history, a rendered file.
FILLED_AT_LEAST = {
    "accounts_user",
    "partnerships_membership",
    "audits_case",
    "returns_return",
    "meetings_ratification",
    "reports_rendition",
    "actions_action",
    "history_changerecord",
    "django_migrations",
}


def fill(bundles: list[str], *, word_report: bool = False) -> None:
    """The audits of `bundles` imported as `maca import-bundle` does, a coordinator, and, for
    `word_report`, the first audit's report made as a Word file (a binary column filled)."""
    audits = [bundle_import(data=demo_bundle(name), via="test") for name in bundles]
    user = User.objects.create_user("coordinator@example.org", "a-long-test-password")
    membership_grant(user=user, partnership=Partnership.objects.get(), role=Role.COORDINATOR)
    if word_report:
        made = rendition_request(audit=audits[0], kind=RenditionKind.REPORT_DOCX, by=user)
        assert rendition_content(made)


def table_contents(db) -> dict[str, tuple[int, str]]:
    """Every table the database itself lists (Django's included, not just our models'), as
    its row count and an md5 of its rows in primary-key order, each row's values as text."""
    quote = db.ops.quote_name
    contents = {}
    with db.cursor() as cursor:
        for table in db.introspection.table_names(cursor):
            columns = [
                column.name for column in db.introspection.get_table_description(cursor, table)
            ]
            order = db.introspection.get_primary_key_columns(cursor, table) or columns
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {', '.join(map(quote, order))}")
            rows = cursor.fetchall()
            digest = hashlib.md5()  # noqa: S324 - a fingerprint, not a safeguard
            for row in rows:
                values = [bytes(v) if isinstance(v, memoryview) else v for v in row]
                digest.update(repr(values).encode())
            contents[table] = (len(rows), digest.hexdigest())
    return contents


@contextmanager
def database_alias(alias: str, settings_dict: dict):
    """A connection alias for one test, beside the settings' own (which a test may not open)."""
    made = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = made
    try:
        yield made
    finally:
        made.close()
        del connections[alias]


@pytest.fixture
def fresh_database(transactional_db, tmp_path):
    """An empty database beside the test database, as the connection alias `restored`."""
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        name = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    with database_alias(RESTORED, {**connection.settings_dict, "NAME": name}) as restored:
        yield restored
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_a_restore_into_a_fresh_database_gives_back_every_table_row_for_row(
    fresh_database, tmp_path
):
    fill(BUNDLES, word_report=True)
    before = table_contents(connection)
    path = tmp_path / "maca.backup"

    written = run("backup", str(path))
    restored = run("restore", str(path), database=RESTORED)

    after = table_contents(fresh_database)
    assert sorted(after) == sorted(before)
    assert after == before
    assert {table for table, (rows, _) in before.items() if rows} >= FILLED_AT_LEAST
    assert f"Wrote backup {path} ({path.stat().st_size:,} bytes, {len(before)} tables)" in written
    assert f"Restored {path} " in restored and f"{len(before)} tables" in restored
    # What is printed says nothing about the data.
    for title in ("Children in need", "Neglect", "Transitions", "coordinator@example.org"):
        assert title.lower() not in (written + restored).lower()


# The backups below read the database from another connection, as `maca backup` does: on
# SQLite that waits for the write lock a test's own transaction would hold to its end, so
# these tests run without one (transactional_db).


def test_backup_goes_under_var_with_the_time_in_its_name_for_its_owner_only(
    transactional_db, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"

    output = run("backup")

    [written] = (tmp_path / "var" / "backups").iterdir()
    assert re.fullmatch(r"maca-\d{8}-\d{6}\.(dump|sqlite3)", written.name)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    assert output.startswith(f"Wrote backup {written} (")


def test_backup_into_a_new_folder_named_with_a_slash_names_the_file_itself(
    transactional_db, tmp_path
):
    output = run("backup", f"{tmp_path / 'nightly'}/")

    [written] = (tmp_path / "nightly").iterdir()
    assert re.fullmatch(r"maca-\d{8}-\d{6}\.(dump|sqlite3)", written.name)
    assert output.startswith(f"Wrote backup {written} (")


def test_backup_never_overwrites_a_file(transactional_db, tmp_path):
    path = tmp_path / "maca.backup"
    path.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="already exists"):
        run("backup", str(path))

    assert path.read_bytes() == b"an older backup"


def test_restore_refuses_a_database_that_holds_data_unless_forced(transactional_db, tmp_path):
    fill(BUNDLES[3:4])  # the audit being planned: quick to import, and data all the same
    path = tmp_path / "maca.backup"
    run("backup", str(path))
    before = table_contents(connection)
    User.objects.create_user("someone.later@example.org", "a-long-test-password")

    with pytest.raises(CommandError, match=r"already holds data .*--force") as refused:
        run("restore", str(path))

    assert refused.value.returncode == 1
    assert User.objects.filter(email="someone.later@example.org").exists()
    run("restore", str(path), force=True)
    assert table_contents(connection) == before


def sqlite_file_of_someone_else(path: Path) -> None:
    import sqlite3

    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (id integer primary key, text text)")
    other.commit()
    other.close()


@pytest.mark.parametrize(
    "make",
    [
        lambda path: path.write_text("name,nhs_number\n", encoding="utf-8"),
        lambda path: path.write_bytes(b"PGDMP but not really an archive"),
        sqlite_file_of_someone_else,
        lambda path: None,  # no file at all
    ],
    ids=["a CSV", "a broken pg_dump archive", "another application's SQLite", "no file"],
)
def test_restore_refuses_what_is_not_a_maca_backup(transactional_db, tmp_path, make):
    path = tmp_path / "suspect.file"
    make(path)
    before = table_contents(connection)

    with pytest.raises(CommandError, match=re.escape(str(path))) as refused:
        run("restore", str(path), force=True)

    assert refused.value.returncode == 2
    assert table_contents(connection) == before


def test_maca_restore_of_a_file_that_is_not_a_backup_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "not-a-backup.txt"
    path.write_text("hello", encoding="utf-8")
    env = {**os.environ, "MACA_ENV": "test", "MACA_VAR_DIR": str(tmp_path)}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'maca.sqlite3'}"
    maca = Path(sys.executable).parent / "maca"

    done = subprocess.run(
        [maca, "restore", str(path)], env=env, capture_output=True, text=True, check=False
    )

    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"CommandError: Nothing was restored: {path} is not a maca backup: "
        "neither a pg_dump archive nor an SQLite database"
    )
    assert "Traceback" not in done.stdout + done.stderr


def test_pg_dump_gets_the_password_in_its_environment_never_on_its_command_line(
    db, tmp_path, monkeypatch
):
    """A stand-in pg_dump on the PATH records how it was called, and fails."""
    seen = tmp_path / "seen.json"
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "pg_dump").write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        f"json.dump({{'argv': sys.argv, 'password': os.environ.get('PGPASSWORD')}}, "
        f"open({str(seen)!r}, 'w'))\n"
        "sys.exit(1)\n"
    )
    (tools / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    password = "pw-for-the-environment-only"
    elsewhere = {
        **connection.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "maca",
        "HOST": "db.example.org",
        "PORT": "5432",
        "USER": "maca",
        "PASSWORD": password,
        "OPTIONS": {},
    }
    with (
        database_alias("elsewhere", elsewhere),
        pytest.raises(CommandError, match="No backup was written: pg_dump failed") as failed,
    ):
        run("backup", str(tmp_path / "maca.dump"), database="elsewhere")

    called = json.loads(seen.read_text())
    assert called["password"] == password
    assert not any(password in arg for arg in called["argv"])
    assert "--dbname=maca" in called["argv"] and "--format=custom" in called["argv"]
    assert password not in str(failed.value)
    assert list(tmp_path.glob("*maca.dump*")) == []  # nothing half-written is left
