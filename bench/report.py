"""How long the summary report takes to render, in every format (issue 10).

    .venv/bin/python bench/report.py              # or: make bench
    .venv/bin/python bench/report.py --repeat 5   # best of 5 instead of 3
    .venv/bin/python bench/report.py --profile    # and where our part of the PDF's time goes
    .venv/bin/python bench/report.py --write      # and write the table into docs/performance.md

Sets up its own throwaway SQLite database (nothing else is touched), imports the demo's
transitions audit (15 cases) and the same audit with its cases copied ten times (150 cases),
then renders each audit's report as JSON (the summary), print HTML, PDF and Word, each from the
audit in the database, and prints the best time of several runs.

For the PDF it also times WeasyPrint alone on the same finished HTML, with the same URL
fetcher and options: "our share" is the part of the PDF's time that is ours (building the
document, the charts, the template), which issue 10 wants under 25 %, and the 15-case PDF
under 3 s.
"""

import argparse
import copy
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, markdown_table, throwaway_django, write_section

DEMO_BUNDLE = ROOT / "demo" / "bundles" / "02-transitions.json"
# The demo's other 15-case audit, for the meeting pack only: the most text of the demo's audits.
PACK_BUNDLE = ROOT / "demo" / "bundles" / "01-children-in-need.json"
COPIES = 10  # the 150-case audit: the demo's 15 cases, ten times
GOALS = {"share": 0.25, "pdf_15_cases": 3.0, "pack_15_cases": 2.5}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (best is shown)")
    parser.add_argument("--profile", action="store_true", help="profile our part of the PDF")
    parser.add_argument(
        "--write", action="store_true", help="write the table into docs/performance.md"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="maca-bench-") as tmp:
        throwaway_django(Path(tmp))
        audits = _load_audits()
        return _bench(audits, repeat=max(1, args.repeat), profile=args.profile, write=args.write)


def _load_audits() -> list[tuple[str, object]]:
    from maca.bundles.services import bundle_import

    demo = _read(DEMO_BUNDLE)
    return [
        ("demo transitions", bundle_import(data=demo, via="bench")),
        (f"demo transitions x{COPIES}", bundle_import(data=_copied(demo), via="bench")),
        ("demo children in need", bundle_import(data=_read(PACK_BUNDLE), via="bench")),
    ]


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _copied(bundle: dict) -> dict:
    """The demo audit with its cases copied COPIES times under new references."""
    bundle = copy.deepcopy(bundle)
    spec = bundle["audit"]
    spec["title"] = f"{spec['title']} ({COPIES} times over)"
    spec["sample_plan"] = {area: n * COPIES for area, n in spec["sample_plan"].items()}
    bundle["cases"] = [
        {**copy.deepcopy(case), "reference": f"{case['reference']}-{n:02d}"}
        for n in range(1, COPIES + 1)
        for case in bundle["cases"]
    ]
    return bundle


# Timing ---------------------------------------------------------------------------------------


@dataclass
class Timing:
    """The best of several runs: wall-clock time, and this process's CPU time (which other
    work on the machine barely moves)."""

    wall: float = float("inf")
    cpu: float = float("inf")

    def run(self, make):
        wall, cpu = time.perf_counter(), time.process_time()
        result = make()
        self.wall = min(self.wall, time.perf_counter() - wall)
        self.cpu = min(self.cpu, time.process_time() - cpu)
        return result


def _best(repeat: int, make) -> tuple[Timing, object]:
    timing = Timing()
    for _ in range(repeat):
        result = timing.run(make)
    return timing, result


def _share(total: Timing, alone: Timing, kind: str) -> float:
    return (getattr(total, kind) - getattr(alone, kind)) / getattr(total, kind)


def _bench(audits: list[tuple[str, object]], *, repeat: int, profile: bool, write: bool) -> int:
    import weasyprint
    from django.utils import timezone
    from pypdf import PdfReader

    from maca.reports.charts import _charts_of
    from maca.reports.document import draft_edition, report_document
    from maca.reports.printing import PDF_OPTIONS, report_html, report_pdf, url_fetcher
    from maca.reports.summary import report_summary

    try:
        from maca.reports.word import report_docx
    except ImportError as error:
        report_docx = None
        print(f"Word skipped: maca.reports.word cannot be imported ({error}).", file=sys.stderr)

    # A draft: the worst case, with the watermark on every page.
    edition = draft_edition(timezone.localdate())

    def cold(make):
        # Charts are kept per summary (maca.reports.charts): every run here draws them anew,
        # as the first rendering after the figures change does.
        def made(audit):
            _charts_of.cache_clear()
            return make(audit)

        return made

    formats = {
        "json": lambda a: json.dumps(report_summary(a)).encode(),
        "document": lambda a: json.dumps(report_document(a)).encode(),
        "html": cold(lambda a: report_html(report_document(a), edition).encode()),
        "pdf": cold(lambda a: report_pdf(report_document(a), edition)),
    }
    if report_docx is not None:
        formats["docx"] = cold(lambda a: report_docx(report_document(a), edition))

    # A first render of each, untimed: imports, fonts, matplotlib's caches.
    for make in formats.values():
        make(audits[0][1])

    rows, shares, failed = [], [], []
    packs = [(label, audit) for label, audit in audits if audit.cases.count() <= 15]
    for label, audit in audits:
        if "children in need" in label:
            continue  # the meeting pack's second audit, below
        cases = audit.cases.count()
        # The PDF, and WeasyPrint alone on the same finished HTML, in turns: whatever else the
        # machine is doing weighs on both alike.
        html = report_html(report_document(audit), edition)

        def weasyprint_alone(html=html):
            return weasyprint.HTML(string=html, url_fetcher=url_fetcher()).write_pdf(**PDF_OPTIONS)

        total, alone = Timing(), Timing()
        for _ in range(repeat):
            pdf = total.run(lambda audit=audit: formats["pdf"](audit))
            alone.run(weasyprint_alone)

        for name, make in formats.items():
            if name == "pdf":
                pages = len(PdfReader(io.BytesIO(pdf)).pages)
                rows.append((label, cases, name, total, f"{pages} pages, {len(pdf):,} bytes"))
                rows.append((label, cases, "pdf: WeasyPrint alone", alone, "the same HTML"))
                continue
            timing, made = _best(repeat, lambda make=make, audit=audit: make(audit))
            rows.append((label, cases, name, timing, f"{len(made):,} bytes"))

        share = _share(total, alone, "cpu")
        shares.append((cases, total, alone))
        if share > GOALS["share"]:
            failed.append(f"our share of the {cases}-case PDF is {share:.0%}")
        if cases <= 15 and total.wall > GOALS["pdf_15_cases"]:
            failed.append(f"the {cases}-case PDF takes {total.wall:.2f} s")

    rows += _packs(packs, repeat, failed)
    _print_table(rows, repeat)
    share_lines = [
        f"- {cases} cases: {_share(total, alone, 'cpu'):.1%} of the CPU time "
        f"({total.cpu * 1000:,.0f} ms, WeasyPrint alone {alone.cpu * 1000:,.0f} ms); "
        f"{_share(total, alone, 'wall'):.1%} of the wall-clock time"
        for cases, total, alone in shares
    ]
    verdict = (
        f"Goals (issue 10): our share under {GOALS['share']:.0%}; the 15-case PDF under "
        f"{GOALS['pdf_15_cases']:.0f} s. Goal (issue 21): a 15-case meeting pack under "
        f"{GOALS['pack_15_cases']} s. "
        + ("Met." if not failed else "Not met: " + "; ".join(failed) + ".")
    )
    print()
    print("Our share of the PDF's time (building the document, the charts, the HTML), that is")
    print("(the PDF's time - WeasyPrint alone) / the PDF's time:")
    print("\n".join(share_lines))
    print()
    print(verdict)
    if write:
        table = markdown_table(
            ["audit", "cases", "format", "time (ms)", "CPU (ms)", "pages / bytes"],
            [
                [label, cases, name, f"{t.wall * 1000:,.0f}", f"{t.cpu * 1000:,.0f}", size]
                for label, cases, name, t, size in rows
            ],
            "lrlrrl",
        )
        write_section(
            "report",
            f"Best of {repeat} runs; a draft edition (the watermark on every page); each from "
            f"the audit in the database; charts drawn anew every run.\n\n{table}\n\n"
            "Our share of the PDF's time, (the PDF's time − WeasyPrint alone) / the PDF's "
            "time:\n\n" + "\n".join(share_lines) + f"\n\n{verdict}",
        )
    if profile:
        _profile(lambda: report_html(report_document(audits[0][1]), edition))
    return 0 if not failed else 1


def _packs(audits: list[tuple[str, object]], repeat: int, failed: list[str]) -> list[tuple]:
    """The meeting pack of each 15-case audit, as the coordinator's background task renders it
    (the case summaries read for a coordinator, the HTML, WeasyPrint)."""
    from pypdf import PdfReader

    from maca import access
    from maca.partnerships.models import Membership
    from maca.reports.meeting_pack import meeting_pack_pdf

    rows = []
    for label, audit in audits:
        coordinator = Membership(partnership=audit.partnership, role=access.COORDINATOR)
        viewer = access.Viewer(user=None, membership=coordinator)
        meeting_pack_pdf(viewer, audit)  # untimed: the first one loads Pango and the fonts
        timing, pdf = _best(
            repeat, lambda audit=audit, viewer=viewer: meeting_pack_pdf(viewer, audit)
        )
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rows.append(
            (
                label,
                audit.cases.count(),
                "meeting pack",
                timing,
                f"{pages} pages, {len(pdf):,} bytes",
            )
        )
        if timing.wall > GOALS["pack_15_cases"]:
            failed.append(f"the meeting pack of {label} takes {timing.wall:.2f} s")
    return rows


def _print_table(rows: list[tuple], repeat: int) -> None:
    headers = ("audit", "cases", "format", "time (ms)", "cpu (ms)", "pages/bytes")
    cells = [
        (label, str(cases), name, f"{t.wall * 1000:,.0f}", f"{t.cpu * 1000:,.0f}", size)
        for label, cases, name, t, size in rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    right = {1, 3, 4}

    def line(values) -> str:
        return "  ".join(
            v.rjust(widths[i]) if i in right else v.ljust(widths[i]) for i, v in enumerate(values)
        ).rstrip()

    print(f"Best of {repeat} runs; a draft edition; each from the audit in the database.")
    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in cells:
        print(line(row))


def _profile(make) -> None:
    """Our part of the PDF (the document and its HTML, charts included), by cumulative time."""
    profiler = cProfile.Profile()
    profiler.runcall(make)
    print("\nProfile of our part of the 15-case PDF (building the document and its HTML):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    sys.exit(main())
