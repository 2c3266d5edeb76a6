"""What the benchmarks share: a throwaway PostgreSQL database, Django set up against it, timing,
and writing a benchmark's tables into its own section of docs/performance.md."""

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
PG_SERVER = os.environ.get("MACA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def database_url(name: str) -> str:
    return f"{PG_SERVER}/{name}"


def fresh_database(name: str) -> str:
    """Drop and create database `name` on the bench's PostgreSQL server; its URL."""
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def throwaway_django(tmp: Path) -> None:
    """Django set up on a SQLite database and a var/ of its own in `tmp`, migrated: before
    Django reads its settings. "test" for fast password hashing and no kept connections;
    tasks run at once."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MACA_VAR_DIR"] = str(tmp / "var")
    os.environ["MACA_ENV"] = "test"
    os.environ["MACA_TASKS"] = "immediate"
    os.environ.setdefault("MACA_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "maca.settings"
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    print("Setting up a throwaway database…", file=sys.stderr)
    call_command("migrate", interactive=False, verbosity=0)


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(database_url("postgres"), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def bench_environment(url: str, var_dir: Path, *, tasks: str = "immediate") -> dict[str, str]:
    """The environment a maca process of the bench runs with: its own database and var/,
    production-like otherwise (no debug), tasks run at once unless told."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "MACA_VAR_DIR": str(var_dir),
        "MACA_ENV": "local",
        "MACA_DEBUG": "false",
        "MACA_TASKS": tasks,
        "MACA_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
    }


def setup_django(url: str, var_dir: Path) -> None:
    """Django in this process, against `url` (before anything imports the settings)."""
    os.environ.update(bench_environment(url, var_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def maca(*arguments: str, env: dict[str, str]) -> None:
    """Run the maca command line (migrate, load-demo, ...) in a child process."""
    subprocess.run([str(ROOT / ".venv" / "bin" / "maca"), *arguments], env=env, check=True)


def median_ms(make: Callable[[], object], *, runs: int, warm: int = 2) -> float:
    """The median wall-clock time of `runs` calls, in milliseconds, after `warm` untimed."""
    for _ in range(warm):
        make()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        make()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def machine() -> str:
    cores = os.cpu_count() or 0
    return f"{cores} cores, Python {platform.python_version()}, {_postgres_version()}"


def _postgres_version() -> str:
    import psycopg

    try:
        with psycopg.connect(database_url("postgres"), connect_timeout=3) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
        return f"PostgreSQL {version.split()[0]}"
    except psycopg.OperationalError:
        return "PostgreSQL not reachable"


def markdown_table(header: list[str], rows: list[list[object]], align: str = "") -> str:
    """A Markdown table; `align` has an "l" or "r" per column (default: left)."""
    align = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [header, rule, *[[str(cell) for cell in row] for row in rows]]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def write_section(name: str, text: str) -> None:
    """Replace what stands between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in
    docs/performance.md (appended at the end when the markers are not there yet)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    stamped = f"{start}\n_Written by `make bench` on {date.today():%-d %B %Y} ({machine()})._\n\n"
    block = f"{stamped}{text.strip()}\n{end}"
    document = PERFORMANCE_MD.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(document):
        document = pattern.sub(lambda _: block, document)
    else:
        document = document.rstrip() + "\n\n" + block + "\n"
    PERFORMANCE_MD.write_text(document, encoding="utf-8")
    print(f"Wrote the {name!r} section of {PERFORMANCE_MD.relative_to(ROOT)}.", file=sys.stderr)
