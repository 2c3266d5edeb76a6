"""Back up the whole database, and restore it.

A backup is the database alone: maca keeps no files outside it (the rendered PDFs and Word
files are `Rendition` rows), so there is nothing else to carry. On PostgreSQL it is a pg_dump
archive (custom format); on SQLite a copy of the file made with SQLite's backup API, so a
database being written is still copied consistently. Either way it holds children's data: it
is written readable by its owner only, and nothing about the data is ever printed.
"""

import dataclasses
import datetime
import os
from pathlib import Path
from types import ModuleType

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from . import postgres, sqlite
from .errors import BackupError, NotABackup, TargetHasData

__all__ = ["BackupError", "NotABackup", "TargetHasData"]

ENGINES = {"postgresql": postgres, "sqlite": sqlite}
LABELS = {"postgresql": "a PostgreSQL", "sqlite": "an SQLite"}
SUFFIXES = {"postgresql": "dump", "sqlite": "sqlite3"}
# Every maca database has these, whatever else it holds.
MACA_TABLES = {"django_migrations", "accounts_user", "partnerships_partnership"}
# Tables `maca migrate` fills by itself (and the sign-in counts): rows there are not data.
MIGRATE_FILLS = {"django_migrations", "django_content_type", "auth_permission", "maca_cache"}


@dataclasses.dataclass(frozen=True)
class Summary:
    path: Path
    size: int
    tables: int


def default_path(vendor: str, now: datetime.datetime | None = None) -> Path:
    moment = timezone.localtime(now)
    name = f"maca-{moment:%Y%m%d-%H%M%S}.{SUFFIXES[vendor]}"
    return Path(settings.VAR_DIR) / "backups" / name


def backup_create(*, path: str | Path | None = None, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write a consistent copy of the whole database to a new file, readable by its owner only.

    By default under `VAR_DIR/backups/` with the time in its name; a folder (existing, or
    written with a trailing slash) gets such a name inside it. An existing file is never
    overwritten: it may be the only good backup.
    """
    connection = connections[using]
    engine = _engine(connection.vendor)
    target = Path(path) if path else default_path(connection.vendor)
    if target.is_dir() or str(path).endswith(os.sep):
        target = target / default_path(connection.vendor).name
    if target.exists():
        raise BackupError(f"{target} already exists: name a new file")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Written under another name first, so a failed backup never looks like a finished one.
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        engine.dump(connection, partial)
        tables = engine.tables_in(partial)
        if tables is None or not tables >= MACA_TABLES:
            raise BackupError(f"the backup for {target} could not be read back; nothing was kept")
        partial.chmod(0o600)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(path=target, size=target.stat().st_size, tables=len(tables))


def backup_restore(
    *, path: str | Path, using: str = DEFAULT_DB_ALIAS, force: bool = False
) -> Summary:
    """Replace the whole database with a backup made by `backup_create`.

    Refuses a file that is not a maca backup of this kind of database, and, unless `force`, a
    database that already holds data (anything beyond what `maca migrate` writes by itself):
    a restore replaces all of it.
    """
    connection = connections[using]
    engine = _engine(connection.vendor)
    source = Path(path)
    backup_check(path=source, vendor=connection.vendor)
    if not force:
        holding = tables_holding_data(using=using)
        if holding:
            raise TargetHasData(
                f"The database {connection.settings_dict['NAME']} already holds data "
                f"({len(holding)} tables have rows). Restoring replaces everything in it: "
                "run again with --force to do that."
            )
    engine.load(connection, source)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return Summary(path=source, size=source.stat().st_size, tables=len(tables))


def backup_check(*, path: Path, vendor: str) -> set[str]:
    """The tables of the backup at `path`; NotABackup, naming the file, when it is not a maca
    backup of a `vendor` database."""
    if not path.is_file():
        raise NotABackup(f"{path}: no such file")
    with path.open("rb") as file:
        head = file.read(16)
    kind = next((name for name, engine in ENGINES.items() if engine.is_archive(head)), None)
    if kind is None:
        raise NotABackup(
            f"{path} is not a maca backup: neither a pg_dump archive nor an SQLite database"
        )
    if kind != vendor:
        raise NotABackup(
            f"{path} is a backup of {LABELS[kind]} database, "
            f"and this maca's database is {LABELS[vendor]} one"
        )
    tables = ENGINES[kind].tables_in(path)
    if tables is None:
        raise NotABackup(f"{path} is not a maca backup: it cannot be read as one")
    if not tables >= MACA_TABLES:
        raise NotABackup(f"{path} is not a maca backup: it lacks maca's tables")
    return tables


def tables_holding_data(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    connection = connections[using]
    quote = connection.ops.quote_name
    holding = []
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            if name in MIGRATE_FILLS:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(name)} LIMIT 1")  # noqa: S608 - the database's names
            if cursor.fetchone():
                holding.append(name)
    return holding


def _engine(vendor: str) -> ModuleType:
    try:
        return ENGINES[vendor]
    except KeyError:
        raise BackupError(f"maca cannot back up a {vendor} database") from None
