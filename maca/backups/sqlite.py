"""SQLite: the database copied page by page with SQLite's backup API.

A plain copy of the file while the web server writes could catch half a transaction (and
would miss what is still in the write-ahead log); the backup API copies a consistent state,
and restores the same way into the live database, under SQLite's own locks.
"""

import sqlite3
from pathlib import Path

from .errors import BackupError

MAGIC = b"SQLite format 3\x00"


def is_archive(head: bytes) -> bool:
    return head.startswith(MAGIC)


def dump(connection, path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        # One self-contained file, whatever journal the live database uses.
        target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy the database: {error}") from None
    finally:
        target.close()


def load(connection, path: Path) -> None:
    connection.ensure_connection()
    source = _open(path)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore the database: {error}") from None
    finally:
        source.close()


def tables_in(path: Path) -> set[str] | None:
    try:
        source = _open(path)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return None
            rows = source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            return {name for (name,) in rows}
        finally:
            source.close()
    except sqlite3.DatabaseError:
        return None


def _open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
