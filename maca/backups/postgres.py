"""PostgreSQL: pg_dump's custom format, restored with pg_restore.

The connection comes from the database's settings; the password goes to the tools through
PGPASSWORD, never on their command line, where any user of the machine could read it.
"""

import os
import re
import subprocess
from pathlib import Path

from django.db.backends.postgresql.client import DatabaseClient

from .errors import BackupError, ToolFailed

MAGIC = b"PGDMP"
# A line of `pg_restore --list`: "215; 1259 16390 TABLE public accounts_user maca"
TABLE_LINE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )\S+ (\S+) ")


def is_archive(head: bytes) -> bool:
    return head.startswith(MAGIC)


def dump(connection, path: Path) -> None:
    options, env = _connection(connection.settings_dict)
    with path.open("wb") as out:
        _run(["pg_dump", "--format=custom", *options], env=env, stdout=out)


def load(connection, path: Path) -> None:
    options, env = _connection(connection.settings_dict)
    if not connection.in_atomic_block:
        connection.close()  # nothing of ours stays open on the tables being replaced
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *options,
            str(path),
        ],
        env=env,
    )


def tables_in(path: Path) -> set[str] | None:
    try:
        listing = _run(["pg_restore", "--list", str(path)], env=dict(os.environ))
    except ToolFailed:
        return None
    return {m.group(1) for m in map(TABLE_LINE.match, listing.splitlines()) if m}


def _connection(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    options = [f"--dbname={settings_dict['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            options.append(f"{option}={settings_dict[key]}")
    return options, {**os.environ, **(env or {})}


def _run(args: list[str], *, env: dict[str, str], stdout=None) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - our arguments: the settings and a path, no shell
            args, env=env, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} was not found: install PostgreSQL's client programs "
            "(the server's major version or newer)"
        ) from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise ToolFailed(f"{args[0]} failed (exit {done.returncode}): " + " / ".join(said))
    return done.stdout.decode(errors="replace") if stdout is None else ""
