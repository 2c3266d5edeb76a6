"""Whether timing tells an account exists (issue 9): a known address against an unknown one,
for a wrong password at sign-in and for a password reset.

    .venv/bin/python bench/enumeration.py           # 30 of each, interleaved
    .venv/bin/python bench/enumeration.py --write   # and write the table into docs/performance.md

Sets up its own throwaway SQLite database with the demo loaded, and runs with the real password
hasher (not the tests' fast one) and the database task queue (mail is queued, as in production,
and no worker runs). The sign-in limits are off here, else the cool-off would answer the later
tries without hashing at all. The goal: the median of the known address within 0.8-1.2 times
the unknown one's. tests/security/test_sign_in.py proves the same work is done; this shows it.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, markdown_table, write_section

KNOWN = "police.auditor@example.org"  # a demo account
UNKNOWN = "nobody-here@example.org"
GOAL = (0.8, 1.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="requests of each kind")
    parser.add_argument("--write", action="store_true", help="write into docs/performance.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="maca-bench-") as tmp:
        _setup_django(Path(tmp))
        return _bench(runs=args.runs, write=args.write)


def _setup_django(tmp: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MACA_VAR_DIR"] = str(tmp / "var")
    os.environ["MACA_ENV"] = "local"  # the real password hasher
    os.environ["MACA_TASKS"] = "database"
    os.environ["MACA_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "maca.settings"
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    print("Setting up a throwaway database with the demo…", file=sys.stderr)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


def _bench(*, runs: int, write: bool) -> int:
    from django.test import Client, override_settings
    from django.urls import reverse

    from maca.accounts.models import User

    assert User.objects.filter(email=KNOWN).exists()
    assert not User.objects.filter(email=UNKNOWN).exists()
    login, reset = reverse("account_login"), reverse("account_reset_password")
    cases = {
        "sign-in, wrong password": lambda email: (login, {"login": email, "password": "wrong-1"}),
        "password reset": lambda email: (reset, {"email": email}),
    }
    rows, met = [], True
    with override_settings(ACCOUNT_RATE_LIMITS=False):
        for name, make in cases.items():
            times = {KNOWN: [], UNKNOWN: []}
            answers = set()
            for _ in range(2):  # warm up: templates, the first connection
                for email in times:
                    Client(HTTP_HOST="localhost").post(*make(email))
            for _ in range(runs):
                for email in times:  # interleaved, so that drift hits both alike
                    client = Client(HTTP_HOST="localhost")
                    started = time.perf_counter()
                    response = client.post(*make(email))
                    times[email].append((time.perf_counter() - started) * 1000)
                    answers.add(response.status_code)
            known, unknown = (statistics.median(times[e]) for e in (KNOWN, UNKNOWN))
            ratio = known / unknown
            ok = GOAL[0] <= ratio <= GOAL[1] and len(answers) == 1
            met &= ok
            rows.append(
                [
                    name,
                    runs,
                    f"{known:.1f}",
                    f"{unknown:.1f}",
                    f"{ratio:.2f}",
                    "yes" if ok else "NO",
                ]
            )
    table = markdown_table(
        [
            "request",
            "of each",
            "known (median ms)",
            "unknown (median ms)",
            "ratio",
            "within 1 ± 0.2",
        ],
        rows,
        "lrrrrl",
    )
    print(table)
    if write:
        write_section(
            "enumeration",
            "A known address against an unknown one, interleaved, with the real password hasher "
            "and mail queued (`bench/enumeration.py`). The goal: a ratio of 1 ± 0.2, the same "
            "status for both.\n\n" + table,
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
