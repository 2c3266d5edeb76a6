"""For each demo audit, the JSON summary, the PDF and the Word file agree on every figure.

The PDF is read back with pdftotext and the Word file with python-docx; the phrases each
figure must appear in are built here from the JSON alone, so a renderer that dropped, rounded or
misplaced a figure fails.
"""

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle, demo_bundle_names, demo_import
from maca.reports.document import draft_edition, report_document
from maca.reports.printing import report_pdf
from maca.reports.word import report_docx

pytestmark = pytest.mark.django_db

BUNDLES = demo_bundle_names()
GRADE_WORDS = {
    "outstanding": "outstanding",
    "good": "good",
    "requires_improvement": "requiring improvement",
    "inadequate": "inadequate",
}
LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
    "not_scored": "Not scored",
}


def flat(text: str) -> str:
    """One line, single spaces, straight apostrophes: how the phrases below are written."""
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("\u00ad", "")).strip()


def pdf_text(content: bytes, tmp_path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is needed in CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    # In the order drawn (-raw), not as laid out: a draft's watermark runs diagonally across
    # the page, and laid out its letters would fall between the cells of the rows it crosses.
    result = subprocess.run(
        [pdftotext, "-raw", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


def cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def expected_phrases(summary: dict) -> list[str]:
    """Every figure of the summary, in the words a reader finds it in."""
    total = summary["cases"]
    grades = summary["grades"]
    phrases = [
        f"Of the {cases(total)} audited, {grades['outstanding']} "
        f"{'was' if grades['outstanding'] == 1 else 'were'} graded outstanding",
        *[f"{grades[g]} {GRADE_WORDS[g]}" for g in ("good", "requires_improvement")],
        f"and {grades['inadequate']} inadequate.",
        f"{summary['returns']['submitted']} of the {summary['returns']['requested']} returns",
        f"Requested {summary['returns']['requested']}",
        f"Submitted {summary['returns']['submitted']}",
    ]
    if grades["not_scored"]:
        phrases.append(f"{grades['not_scored']} of the {cases(total)}")
    # The grade table of the first chart, and the table of grades by area.
    phrases += [f"{LABELS[g]} {n}" for g, n in grades.items()]
    for area, counts in summary["grades_by_area"].items():
        phrases.append(" ".join([area, *(str(counts[g]) for g in LABELS)]))
    by_area = {area: n for area, n in summary["cases_by_area"].items() if n}
    if by_area and len(set(by_area.values())) == 1 and len(by_area) > 1:
        phrases.append(f"{next(iter(by_area.values()))} from each of the {len(by_area)} areas")
    else:
        phrases += [f"{n} from {area}" for area, n in by_area.items()]
    phrases += summary["agencies"]
    for agency, compared in summary["agency_vs_ratified"].items():
        phrases.append(f"{agency} {compared['same']} {compared['higher']} {compared['lower']}")
    for theme in summary["themes"]:
        phrases += [theme["title"], f"{theme['cases']} of the {cases(total)}."]
        phrases += theme["recurring_in"]
    immediate = summary["immediate_actions"]["total"]
    if immediate:
        phrases.append(
            f"{immediate} immediate {'action was' if immediate == 1 else 'actions were'}"
        )
    actions = summary["actions"]
    if actions["total"]:
        phrases.append(
            f"{actions['total']} {'action was' if actions['total'] == 1 else 'actions were'} agreed"
        )
        if actions["open"]:
            phrases.append(
                f"{actions['open']} {'is' if actions['open'] == 1 else 'are'} still open"
            )
            phrases.append(f"{actions['overdue']} of")
    # The key measures' tables, row by row, as the board reads them ("fewer than 3" and all).
    for measure in summary.get("key_measures", []):
        phrases += [" ".join(str(cell) for cell in row) for row in measure["rows"]]
    # The cases by profile (decision 69), row by row, as the board reads them.
    for profile in summary.get("profiles", []):
        phrases += [
            " ".join([f"{profile['title']}: {row[0]}", *(str(cell) for cell in row[1:])])
            for row in profile["rows"]
        ]
    if "comparison" in summary:
        phrases += comparison_phrases(summary["comparison"])
    return [flat(phrase) for phrase in phrases]


def _percent(count: int, of: int) -> str:
    return f"{round(100 * count / of)}%"


def comparison_phrases(comparison: dict) -> list[str]:
    """A re-audit's figures beside the earlier audit's, cell by cell (a long first column
    wraps): cases good or better, each key measure's answers, each success measure."""
    phrases = [f"‘{comparison['earlier']['title']}’"]
    for row in comparison["grades"]:
        if row["by"] == "agency":
            continue
        phrases.append(f"Good or better: {'All cases' if row['by'] == 'all' else row['group']}")
        for side in (row["before"], row["after"]):
            good, graded = side["good_or_better"], side["graded"]
            phrases.append(f"{good} of {graded} ({_percent(good, graded)})")
    for measure in comparison["key_measures"]:
        for side in (measure["before"], measure["after"]):
            answered = side["answered"]
            said = [
                f"{label} {_percent(count, answered) if isinstance(count, int) else count}"
                for label, count in side["counts"].items()
            ]
            phrases.append(f"{', '.join(said)} of {answered}")
    for recommendation in comparison["recommendations"]:
        success = recommendation["success"]
        if success and success["met"] is not None:
            met = "met" if success["met"] else "not met"
            phrases.append(
                f"{success['share']}% ({success['count']} of {success['answered']}): {met} "
                f"(target {success['target']}%)"
            )
    for theme in comparison["themes"]["found_again"] + comparison["themes"]["no_longer_found"]:
        phrases.append(f"‘{theme['title']}’")
    return phrases


@pytest.mark.parametrize("bundle", BUNDLES, ids=[name.removesuffix(".json") for name in BUNDLES])
def test_json_pdf_and_word_agree_on_every_figure(bundle, tmp_path):
    audit = demo_import(bundle)
    document = report_document(audit)
    edition = draft_edition(audit.created_at.date())
    phrases = expected_phrases(document["summary"])

    pdf = flat(pdf_text(report_pdf(document, edition), tmp_path))
    word = flat(docx_text(report_docx(document, edition)))

    missing_in_pdf = [phrase for phrase in phrases if phrase not in pdf]
    missing_in_word = [phrase for phrase in phrases if phrase not in word]
    assert (missing_in_pdf, missing_in_word) == ([], [])


def test_a_changed_figure_is_caught(tmp_path):
    """The check itself can fail: a summary with one figure changed is not in the files."""
    audit = bundle_import(data=demo_bundle(BUNDLES[1]))
    document = report_document(audit)
    word = flat(docx_text(report_docx(document, draft_edition(audit.created_at.date()))))
    changed = json.loads(json.dumps(document["summary"]))
    changed["returns"]["submitted"] += 1
    assert [p for p in expected_phrases(changed) if p not in word]
