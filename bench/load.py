"""Load: how maca answers many people at once, against the rate of a trivial view.

    .venv/bin/python bench/load.py                       # or: make bench
    .venv/bin/python bench/load.py --users 50 --run-time 60
    .venv/bin/python bench/load.py --database maca_bench_scale   # reuse bench/scale.py --keep's

Serves maca with gunicorn (2 workers) on 127.0.0.1 against PostgreSQL, with the background
worker (`maca db_worker`) beside it, and drives it with locust, headless, from this machine
(bench/locustfile.py says who does what). Two runs with the same number of people and the same
waits between their requests:

1. the baseline: everyone asks for a trivial Django view (the whole middleware stack, no query,
   no template), which shows the most this server could answer for that many people;
2. the mix: auditors opening and saving returns, coordinators on the tracking page and the
   dashboard, board members on the dashboard and a published report, a meeting pack rendering
   in the background.

Goals (issue 10): the mix reaches at least half the baseline's requests per second, the p95 of
every page is under 300 ms, and no request fails. Writes its tables into docs/performance.md.
Without --database, a throwaway database with the demo is made and dropped afterwards.
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    bench_environment,
    database_url,
    drop_database,
    fresh_database,
    maca,
    markdown_table,
    pg_reachable,
    setup_django,
    write_section,
)
from tests.signing_in import sign_in

DATABASE = "maca_bench_load"
BIN = ROOT / ".venv" / "bin"
GOALS = {"rate": 0.5, "p95_ms": 300, "failures": 0}
SESSIONS_EACH = 50  # sessions made for each role: one simulated person each
CAPACITY_USERS, CAPACITY_SECONDS = 8, 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="people at once")
    parser.add_argument("--run-time", type=int, default=60, help="seconds measured, each run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", help="an existing database with the demo loaded")
    parser.add_argument(
        "--worker-nice", type=int, default=10, help="the background worker's niceness (0: none)"
    )
    args = parser.parse_args()
    if not pg_reachable():
        print("PostgreSQL is not reachable: the load benchmark needs it.", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="maca-bench-load-"))
    if args.database:
        url = database_url(args.database)
    else:
        url = fresh_database(DATABASE)
        env = bench_environment(url, work / "var")
        print("Loading the demo…", file=sys.stderr)
        maca("migrate", "--noinput", "-v", "0", env=env)
        maca("load-demo", env=env)
    setup_django(url, work / "var")
    people = work / "people.json"
    people.write_text(json.dumps(_people()), encoding="utf-8")
    from django.db import connections

    connections.close_all()

    env = bench_environment(url, work / "var", tasks="database") | {
        "MACA_BENCH_PEOPLE": str(people)
    }
    processes = [
        # At a lower priority, as docs/deployment.md says: pages first, PDFs in the gaps.
        _start(
            ["nice", "-n", str(args.worker_nice), BIN / "maca", "db_worker", "--interval", "1"],
            env,
            work / "worker.log",
        ),
        _start(
            [
                BIN / "gunicorn",
                "maca.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--log-level",
                "warning",
            ],
            env,
            work / "gunicorn.log",
        ),
    ]
    try:
        _wait_for_port(args.port)
        # Untimed: both workers load every page's code and the charts are drawn once.
        print("Locust: warming up, 10 people, 15 s…", file=sys.stderr)
        _locust("warm-up", _MIX, args, env, work, users=10, run_time=15)
        runs = {}
        for run, classes in (("baseline", ["Baseline"]), ("mix", _MIX)):
            print(f"Locust: {run}, {args.users} people, {args.run_time} s…", file=sys.stderr)
            runs[run] = _locust(run, classes, args, env, work)
        # The most the server answers: a few people who never wait (no goal; for the record).
        capacity_env = env | {"MACA_BENCH_WAIT": "none"}
        for run, classes in (("capacity baseline", ["Baseline"]), ("capacity mix", _MIX[:-1])):
            print(f"Locust: {run}, {CAPACITY_USERS} people, no waits…", file=sys.stderr)
            runs[run] = _locust(
                run.replace(" ", "-"),
                classes,
                args,
                capacity_env,
                work,
                users=CAPACITY_USERS,
                run_time=CAPACITY_SECONDS,
            )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.database:
            drop_database(DATABASE)
    return _report(runs, args, work)


_MIX = ["Auditor", "Coordinator", "BoardMember", "PackRequester"]


def _people() -> dict:
    """A signed-in session for each simulated person, and the pages they work on: auditors on
    the collecting audit's returns still being written, one return each."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from maca.accounts.models import User
    from maca.audits.models import Audit
    from maca.partnerships.models import Role
    from maca.partnerships.services import membership_grant

    audits = Audit.objects.filter(partnership__name="Demo Safeguarding Children Partnership")
    collecting = audits.get(status="collecting")
    published = audits.filter(report_editions__isnull=False).order_by("title").first()

    def session(user) -> str:
        client = Client(SERVER_NAME="127.0.0.1")
        sign_in(client, user)  # both factors, as people do
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    auditors = []
    open_requests = collecting.requests.filter(status__in=["outstanding", "draft"]).order_by("pk")
    for agency_request in open_requests.select_related("agency"):
        user, _ = User.objects.get_or_create(
            email=f"bench.auditor.{agency_request.agency_id}@example.org",
            defaults={"name": f"Bench auditor ({agency_request.agency.name})"},
        )
        membership_grant(
            user=user,
            partnership=collecting.partnership,
            role=Role.AGENCY_AUDITOR,
            agency=agency_request.agency,
        )
        args = [collecting.pk, agency_request.case_id, agency_request.agency_id]
        auditors.append(
            {
                "session": session(user),
                "return": reverse("audits:return", args=args),
                "autosave": reverse("audits:return_autosave", args=args),
            }
        )
    coordinator = User.objects.get(email="coordinator@example.org")
    board = User.objects.get(email="board@example.org")
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "auditor": auditors,
        "coordinator": [
            {
                "session": session(coordinator),
                "tracking": reverse("audits:tracking", args=[collecting.pk]),
                "audit": reverse("audits:detail", args=[collecting.pk]),
                "pack": reverse("audits:meeting_pack", args=[collecting.pk]),
                "pack_request": reverse("audits:meeting_pack_request", args=[collecting.pk]),
            }
            for _ in range(SESSIONS_EACH)
        ],
        "board": [
            {
                "session": session(board),
                "edition": reverse("audits:report_edition", args=[published.pk, 1]),
            }
            for _ in range(SESSIONS_EACH)
        ],
    }


def _start(command: list, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(part) for part in command],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def _locust(
    run: str, classes: list[str], args, env: dict, work: Path, *, users=None, run_time=None
) -> list[dict]:
    prefix = work / run
    users = users or args.users
    run_time = run_time or args.run_time
    spawn_rate = max(1, users // 5)
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{args.port}",
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            # Everyone is started within 5 s; the figures count from then on.
            "--run-time",
            f"{run_time + 5}s",
            "--reset-stats",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            *classes,
        ],
        env=env,
        cwd=ROOT,
        check=False,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def _report(runs: dict[str, list[dict]], args, work: Path) -> int:
    def aggregated(rows):
        return next(row for row in rows if row["Name"] == "Aggregated")

    baseline, mix = aggregated(runs["baseline"]), aggregated(runs["mix"])
    base_rate, mix_rate = float(baseline["Requests/s"]), float(mix["Requests/s"])
    ratio = mix_rate / base_rate if base_rate else 0.0
    failed = []
    if ratio < GOALS["rate"]:
        failed.append(f"the mix reached {ratio:.0%} of the baseline's rate")
    rows = []
    for row in [*runs["mix"], baseline]:
        p95 = _ms(row["95%"])
        name = {id(mix): "all pages of the mix", id(baseline): "trivial view (the baseline)"}.get(
            id(row), row["Name"]
        )
        if row is not mix and row is not baseline and p95 >= GOALS["p95_ms"]:
            failed.append(f"{row['Name']}: p95 {p95:.0f} ms")
        rows.append(
            [
                name,
                f"{int(row['Request Count']):,}",
                f"{float(row['Requests/s']):.1f}",
                f"{_ms(row['50%']):.0f}",
                f"{p95:.0f}",
                f"{_ms(row['99%']):.0f}",
                row["Failure Count"],
            ]
        )
    failures = int(mix["Failure Count"]) + int(baseline["Failure Count"])
    if failures > GOALS["failures"]:
        failed.append(f"{failures} requests failed")
    verdict = "Met." if not failed else "Not met: " + "; ".join(failed) + "."
    capacity = {
        run: float(aggregated(runs[f"capacity {run}"])["Requests/s"]) for run in ("baseline", "mix")
    }
    capacity_p95 = _ms(aggregated(runs["capacity mix"])["95%"])
    text = "\n\n".join(
        [
            f"{args.users} people at once, each waiting 2–6 s between requests, for "
            f"{args.run_time} s after all have started; gunicorn with 2 sync workers and the "
            f"background worker (at niceness {args.worker_nice}), PostgreSQL and locust on the "
            "same 2-core machine. Times in milliseconds.",
            markdown_table(
                ["page", "requests", "per second", "p50", "p95", "p99", "failures"],
                rows,
                "lrrrrrr",
            ),
            f"The mix answered {mix_rate:.1f} requests a second, {ratio:.0%} of the baseline's "
            f"{base_rate:.1f} with the same people and waits.",
            f"Goals (issue 10): at least {GOALS['rate']:.0%} of the baseline's rate, p95 of every "
            f"page under {GOALS['p95_ms']} ms, no failure. {verdict}",
            f"Capacity, for the record (no goal): with {CAPACITY_USERS} people who never wait, "
            f"for {CAPACITY_SECONDS} s, the trivial view answered {capacity['baseline']:.0f} "
            f"requests a second and the mix (without the meeting pack) {capacity['mix']:.0f} "
            f"(p95 {capacity_p95:.0f} ms): the mix above used "
            f"{mix_rate / capacity['mix']:.0%} of what the server can answer.",
        ]
    )
    print(text)
    write_section("load", text)
    print(f"Logs: {work}", file=sys.stderr)
    return 0 if not failed else 1


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
