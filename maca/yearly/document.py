"""The yearly report as a document: sections of blocks, as the audit report's (`reports.document`).

Every format is drawn from this one structure (the web page, the print HTML and its PDF, the
Word file: the audit report's renderers, `reports.printing` and `reports.word`), and a published
edition keeps it whole as JSON. The words of each section start generated (never holding a
figure) and may be edited by a coordinator (`YearlySection`); the figures always come from the
data (`figures.yearly_figures`), protected for the board.

    {"meta": {...}, "figures": {"threshold", "tables": [table, ...]}, "sections": [...]}
    table: {"key", "title", "row_header", "note", "headers", "kinds", "rows", "volatile"}

A chart block names a table of `figures` ("key"): the chart is drawn from it (`charts.py`), and
its data table printed under it. Blocks whose figures move with time rather than with the
report (the actions' progress) are "volatile": the digest leaves them out.
"""

import hashlib
import json

from django.utils import timezone

from maca import access
from maca.audits.rules import audit_held_on
from maca.learning.facts import audit_label
from maca.learning.figures import GRADES_BY_AUDIT, RETURN_RATES
from maca.reports.document import block_text, join, long_date, words_blocks
from maca.tables import PERCENT, Table

from . import figures as yearly
from .figures import Period, YearlyFigures, yearly_figures
from .models import YearlyReport, YearlySection, YearlySectionKey

CAPTION = "Yearly assurance report"
# The tables drawn as charts (by the dashboard's `learning.charts`), their data table under them.
CHARTED = (GRADES_BY_AUDIT, RETURN_RATES)
Key = YearlySectionKey


def _data(kind: str, **fields) -> dict:
    return {"kind": kind, **fields, "source": "data"}


def default_words(report: YearlyReport) -> dict[str, str]:
    """The words each section starts with: never a figure (the figures are the data's)."""
    partnership = report.partnership.name
    return {
        Key.SUMMARY: (
            f"This report tells the {partnership} board what the partnership's multi-agency "
            "case audits found in this period, what was done about it, and whether it made a "
            "difference. The board is asked to note the findings and the progress of the "
            "actions, and to agree the priorities for the coming year."
        ),
        Key.AUDITS: (
            "Each audit looked at a sample of children's cases on one theme. The figures in "
            "this report count the audits held in the period whose report has been published."
        ),
        Key.GRADES: (
            "Each case's overall grade was ratified at the audit's multi-agency meeting, in "
            "line with the Ofsted and CQC grading criteria. Grades give an indication of the "
            "quality of practice, but scores alone do not explain the cases considered."
        ),
        Key.RETURNS: (
            "Each agency involved in a case was asked for a single-agency return. How many "
            "were completed, and on time, shows how fully each agency took part."
        ),
        Key.THEMES: (
            "The themes are those of the partnership's theme library, so that the same finding "
            "can be followed from one audit to the next. A theme that recurs was found again "
            "after actions had been agreed on it."
        ),
        Key.ACTIONS: (
            "The quality assurance sub-group made recommendations in answer to each audit's "
            "themes, and agencies agreed actions. The sub-group monitors each action until it "
            "is complete."
        ),
        Key.REAUDITS: (
            "A re-audit looks again at an earlier audit's theme, to see whether practice has "
            "changed since its actions were taken."
        ),
        Key.DISSEMINATION: (
            "The audits' reports and learning were shared with practitioners across the "
            "partnership's agencies."
        ),
        Key.CHANGES: (
            "Say here what changed for children and families as a result of the audits and "
            "their actions, with the evidence, and what the partnership will do next."
        ),
    }


# Tables as JSON -------------------------------------------------------------------------------


def table_json(table: Table, *, volatile: bool = False) -> dict:
    return {
        "key": table.key,
        "title": table.title,
        "row_header": table.row_header,
        "note": table.note,
        "headers": [column.name for column in table.columns],
        "kinds": [column.kind for column in table.columns],
        "rows": [[row.label, *(_plain(cell) for cell in row.cells)] for row in table.rows],
        "volatile": volatile,
    }


def _plain(cell):
    # "fewer than 3" and "not shown" are str subclasses: kept as their words.
    return str(cell) if isinstance(cell, str) else cell


def printed(table: dict) -> dict:
    """A table's JSON as a table block prints it: nothing as a dash, a share with its sign."""
    rows = []
    for label, *cells in table["rows"]:
        row = [label]
        for cell, kind in zip(cells, table["kinds"], strict=True):
            if cell is None:
                row.append("\u2013")
            elif kind == PERCENT and isinstance(cell, int | float):
                row.append(f"{cell:g}%")
            elif isinstance(cell, float):
                row.append(f"{cell:g}")
            else:
                row.append(cell)
        rows.append(row)
    caption = table["title"] + (f". {table['note']}" if table["note"] else "")
    return {"caption": caption, "headers": [table["row_header"], *table["headers"]], "rows": rows}


# The figures of each section ------------------------------------------------------------------


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _summary_figures(found: YearlyFigures) -> list[dict]:
    audits = len(found.audits)
    cases = sum(found.cases.values())
    themes = len(found.tables[yearly.THEMES].rows)
    recurring = sum(1 for row in found.tables[yearly.THEMES].rows if row.cells[3] == "Yes")
    text = (
        f"In this period {_n(audits, 'audit was', 'audits were')} held and published, looking "
        f"at {_n(cases, 'case')}. {_n(themes, 'theme was', 'themes were')} found "
        f"({recurring} recurring), and "
        f"{_n(found.recommendations, 'recommendation was', 'recommendations were')} made."
    )
    blocks = [_data("paragraph", text=text)]
    total = sum(found.actions.values())
    if total:
        blocks.append(
            _data(
                "paragraph",
                text=(
                    f"Of the {_n(total, 'action')} agreed, {found.actions[yearly.DONE]} "
                    f"{'is' if found.actions[yearly.DONE] == 1 else 'are'} done, "
                    f"{found.actions[yearly.LATE]} late and {found.actions[yearly.OPEN]} open."
                ),
                volatile=True,
            )
        )
    return blocks


def _audits_figures(found: YearlyFigures) -> list[dict]:
    if not found.audits:
        blocks = [_data("paragraph", text="No audit held in this period has a published report.")]
    else:
        rows = [
            [audit.title, long_date(audit_held_on(audit)), found.cases[audit.pk]]
            for audit in found.audits
        ]
        blocks = [
            _data(
                "table",
                caption="The audits held in the period, in the order they were held",
                headers=["Audit", "Meeting held", "Cases"],
                rows=rows,
            )
        ]
    if found.not_counted:
        names = join([audit_label(audit) for audit in found.not_counted])
        blocks.append(
            _data(
                "paragraph",
                text=(f"Not counted yet, because the report is not yet published: {names}."),
            )
        )
    return blocks


def _chart_or_table(table: Table) -> list[dict]:
    if not table.rows:
        return [_data("paragraph", text="There are no figures for this period.")]
    if table.key in CHARTED:
        return [_data("chart", key=table.key)]
    return [_data("table", **printed(table_json(table)))]


def _actions_figures(found: YearlyFigures) -> list[dict]:
    blocks = [
        _data(
            "paragraph",
            text=f"The period's audits made {_n(found.recommendations, 'recommendation')}.",
        )
    ]
    for key in (yearly.ACTIONS, yearly.PROGRESS):
        table = found.tables[key]
        if table.rows:
            blocks.append(_data("table", **printed(table_json(table)), volatile=True))
    if not found.tables[yearly.ACTIONS].rows:
        blocks.append(_data("paragraph", text="No actions were agreed.", volatile=True))
    return blocks


def _reaudit_figures(found: YearlyFigures) -> list[dict]:
    if not found.reaudits:
        return [_data("paragraph", text="No re-audit was held in this period.")]
    return [_data("bullets", items=[item["text"] for item in found.reaudits])]


def _dissemination_figures(found: YearlyFigures) -> list[dict]:
    reports, briefings = (found.people_reached[what] for what in ("reports", "briefings"))
    if not reports and not briefings:
        text = "The dissemination log records nobody reached in this period."
    else:
        text = (
            f"As the dissemination log records them, the published reports reached "
            f"{_n(reports, 'person', 'people')} and the learning briefings "
            f"{_n(briefings, 'person', 'people')} in this period."
        )
    return [_data("paragraph", text=text)]


# The document ---------------------------------------------------------------------------------


def yearly_document(report: YearlyReport, viewer: access.Viewer) -> dict:
    """The yearly report as it stands: its current words and current figures, read as the
    viewer (one of its partnership's coordinators) reads the data."""
    today = timezone.localdate()
    found = yearly_figures(viewer, Period(report.start, report.end), today)
    defaults = default_words(report)
    edited = {section.key: section for section in YearlySection.objects.filter(report=report)}
    figures = {
        Key.SUMMARY: _summary_figures(found),
        Key.AUDITS: _audits_figures(found),
        Key.GRADES: _chart_or_table(found.tables[GRADES_BY_AUDIT]),
        Key.RETURNS: _chart_or_table(found.tables[RETURN_RATES]),
        Key.THEMES: _chart_or_table(found.tables[yearly.THEMES]),
        Key.ACTIONS: _actions_figures(found),
        Key.REAUDITS: _reaudit_figures(found),
        Key.DISSEMINATION: _dissemination_figures(found),
    }
    sections = []
    for key in Key:
        section = edited.get(key)
        custom = bool(section and section.custom)
        words = section.text if section and custom else defaults[key]
        sections.append(
            {
                "key": key.value,
                "title": key.label,
                "words": words,
                "edited": custom,
                "version": section.version if section else 0,
                "stale": bool(section and custom and section.based_on != defaults[key]),
                "blocks": words_blocks(words) + figures.get(key, []),
            }
        )
    volatile = {yearly.ACTIONS, yearly.PROGRESS}
    return {
        "meta": {
            "partnership": report.partnership.name,
            "yearly_report_id": report.pk,
            # "From …": a date after "from" is an event's, never read as a date of birth.
            "title": f"From {report.title}",
            "theme": "",
            "caption": CAPTION,
            "start": report.start.isoformat(),
            "end": report.end.isoformat(),
            "made_at": timezone.now().isoformat(timespec="seconds"),
        },
        "figures": {
            "threshold": found.threshold,
            "tables": [
                table_json(table, volatile=key in volatile) for key, table in found.tables.items()
            ],
        },
        "sections": sections,
    }


def document_digest(document: dict) -> str:
    """What an approval is given to: the title, every section's words and figures, and the
    tables the charts are drawn from; not the moment it was made nor what moves with time."""
    content = {
        "title": document["meta"]["title"],
        "sections": [
            {
                "key": section["key"],
                "blocks": [b for b in section["blocks"] if not b.get("volatile")],
            }
            for section in document["sections"]
        ],
        "tables": [t for t in document["figures"]["tables"] if not t["volatile"]],
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def document_text(document: dict) -> list[tuple[str, str]]:
    """Every piece of text the document prints, with its section's title: what the identifier
    check reads."""
    pieces = [("Title", document["meta"]["title"])]
    for section in document["sections"]:
        for block in section["blocks"]:
            pieces += [(section["title"], text) for text in block_text(block)]
    for table in document["figures"]["tables"]:
        pieces += [("Charts", text) for text in block_text({"kind": "table", **printed(table)})]
    return pieces
