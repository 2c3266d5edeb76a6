"""Does maca stay as fast when one installation holds every partnership in England?

    .venv/bin/python bench/scale.py          # or: make bench (which runs every benchmark)
    .venv/bin/python bench/scale.py --keep   # and keep the database (maca_bench_scale)

Loads the demo into a throwaway PostgreSQL database and times the demo coordinator's pages
(the median of several requests through Django's whole stack, in this process). Then fills the
same database with the national figures (`bench/national.py`: 150 partnerships, 1,500 audits,
25,000 cases, 150,000 returns) and times the same pages for the same people again. The goal
(issue 10): the dashboard, the tracking page and the report summary each take under twice as
long at national scale as on the demo alone. Writes its tables into docs/performance.md.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    bench_environment,
    drop_database,
    fresh_database,
    maca,
    markdown_table,
    median_ms,
    pg_reachable,
    setup_django,
    write_section,
)
from tests.signing_in import sign_in

DATABASE = "maca_bench_scale"
GOAL = 2.0
# The pages the issue names; the rest are measured for the record.
GOAL_PAGES = {"dashboard", "tracking", "report summary"}


def pages() -> list[tuple[str, str, str]]:
    """(page, who, URL) for the demo's people and audits."""
    from django.urls import reverse

    from maca.audits.models import Audit

    audits = Audit.objects.filter(partnership__name="Demo Safeguarding Children Partnership")
    collecting = audits.get(status="collecting")
    closed = audits.filter(status="closed").order_by("title").last()
    case = collecting.cases.order_by("reference").first()
    police = (
        case.requests.filter(agency__name="Police").first()
        or collecting.requests.filter(agency__name="Police").first()
    )
    coordinator = "coordinator@example.org"
    return [
        ("home", coordinator, reverse("home")),
        # The dashboard's themes part: the table that grows with the audits (decision 58).
        ("dashboard", coordinator, reverse("learning:dashboard_topic", args=["themes"])),
        ("dashboard", "board@example.org", reverse("learning:dashboard_topic", args=["themes"])),
        ("tracking", coordinator, reverse("audits:tracking", args=[collecting.pk])),
        ("report summary", coordinator, reverse("audits:report_json", args=[closed.pk])),
        ("report", coordinator, reverse("audits:report", args=[closed.pk])),
        ("audit", coordinator, reverse("audits:detail", args=[collecting.pk])),
        ("monitoring", coordinator, reverse("actions:monitoring")),
        ("theme library", coordinator, reverse("learning:library")),
        (
            "return",
            "police.auditor@example.org",
            reverse("audits:return", args=[collecting.pk, police.case_id, police.agency_id]),
        ),
        ("my requests", "police.auditor@example.org", reverse("requests:mine")),
    ]


def time_pages(runs: int) -> dict[tuple[str, str], float]:
    from django.test import Client

    from maca.accounts.models import User

    times = {}
    clients: dict[str, Client] = {}
    for page, who, url in pages():
        if who not in clients:
            clients[who] = Client(SERVER_NAME="127.0.0.1")
            sign_in(clients[who], User.objects.get(email=who))  # both factors, as people do
        client = clients[who]

        def get(client=client, url=url, who=who):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code} for {who}")

        times[page, who] = median_ms(get, runs=runs, warm=3)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="requests a page (the median)")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE}")
    args = parser.parse_args()
    if not pg_reachable():
        print("PostgreSQL is not reachable: the scale benchmark needs it.", file=sys.stderr)
        return 2
    var_dir = Path(tempfile.mkdtemp(prefix="maca-bench-scale-"))
    url = fresh_database(DATABASE)
    env = bench_environment(url, var_dir)
    print("Loading the demo…", file=sys.stderr)
    maca("migrate", "--noinput", "-v", "0", env=env)
    maca("load-demo", env=env)
    setup_django(url, var_dir)

    from bench import national

    demo = time_pages(args.runs)
    print("Filling the database with the national figures…", file=sys.stderr)
    started = time.perf_counter()
    steps = national.fill()
    filled = time.perf_counter() - started
    counts = national.counts()
    at_scale = time_pages(args.runs)

    rows, failed = [], []
    for (page, who), demo_ms in demo.items():
        ratio = at_scale[page, who] / demo_ms
        goal = page in GOAL_PAGES
        if goal and ratio >= GOAL:
            failed.append(f"{page} ({who}) {ratio:.2f}x")
        rows.append(
            [
                page,
                who,
                f"{demo_ms:.1f}",
                f"{at_scale[page, who]:.1f}",
                f"{ratio:.2f}x",
                f"under {GOAL:.0f}x" if goal else "",
            ]
        )
    verdict = "Met." if not failed else "Not met: " + "; ".join(failed) + "."
    text = "\n\n".join(
        [
            "What the database held at national scale (the demo's partnership among them):",
            markdown_table(
                ["rows", "number"], [[k, f"{v:,}"] for k, v in counts.items()], align="lr"
            ),
            f"Filled in {filled:.0f} s: "
            + "; ".join(f"{step} {seconds:.1f} s" for step, seconds in steps.items())
            + ".",
            f"The median of {args.runs} requests of each page (after 3 untimed), in milliseconds, "
            "through Django's whole stack, for the demo's people:",
            markdown_table(
                ["page", "who", "demo alone", "national scale", "ratio", "goal"], rows, "llrrrl"
            ),
            f"Goal (issue 10): the dashboard, the tracking page and the report summary under "
            f"{GOAL:.0f}x. {verdict}",
        ]
    )
    print(text)
    write_section("scale", text)
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop_database(DATABASE)
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
