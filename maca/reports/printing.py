"""The summary report for print: one standalone HTML page, and its PDF (WeasyPrint).

Drawn from the report document (`document.report_document`, or a published edition's stored
JSON) and the edition it is (`document.Edition`): the cover says which edition it is, every
page carries the marking, and a draft carries DRAFT across every page.

The page needs nothing from outside: its style is inline, its charts are inline SVG, its fonts
are the system's. The PDF is rendered with a URL fetcher that fetches nothing, so no text in the
report can make the renderer reach anywhere; every piece of text is escaped by the template.
"""

import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from maca.links import is_web_address

from .charts import Chart, all_charts
from .document import Edition

TEMPLATE = "reports/report_print.html"
# A tagged PDF: headings, lists, tables with their header cells, and the charts as figures
# with their titles as alternative text, for screen readers and reflow. It costs WeasyPrint
# about a tenth more time.
PDF_OPTIONS = {"pdf_tags": True}


def report_html(document: dict, edition: Edition, charts: list[Chart] | None = None) -> str:
    """The report as one HTML page to print: inline style, charts as inline SVG. `charts`: the
    charts its chart blocks name, when not the audit report's own (the yearly report's)."""
    drawn = {
        chart.key: chart
        for chart in (all_charts(document["summary"]) if charts is None else charts)
    }
    figures = 0
    sections = []
    for section in document["sections"]:
        blocks = []
        for block in section["blocks"]:
            if block["kind"] == "chart":
                chart = drawn.get(block["key"])
                if chart is None:  # a chart this version does not draw: left out, not guessed
                    continue
                figures += 1
                blocks.append(_chart_block(chart, figures))
            else:
                blocks.append(_block(block))
        sections.append({"key": section["key"], "title": section["title"], "blocks": blocks})
    meta = document["meta"]
    context = {
        "meta": meta,
        "edition": edition,
        "sections": sections,
        "description": (
            f"{edition.marking}. {meta['partnership']}: "
            f"{meta.get('caption', 'multi-agency case audit summary report').lower()}, "
            f"{meta['title']}. {edition.label}, {edition.date_text}."
        ),
    }
    return render_to_string(TEMPLATE, context)


def url_fetcher():
    """A fetcher that fetches nothing: the page holds everything it needs."""
    import weasyprint  # loads Pango: only where a PDF is made

    return weasyprint.URLFetcher(allowed_protocols=())


def report_pdf(document: dict, edition: Edition, charts: list[Chart] | None = None) -> bytes:
    import weasyprint

    html = report_html(document, edition, charts)
    return weasyprint.HTML(string=html, url_fetcher=url_fetcher()).write_pdf(**PDF_OPTIONS)


# Blocks ---------------------------------------------------------------------------------------


def _block(block: dict) -> dict:
    kind = block["kind"]
    if kind == "paragraph":
        url = block.get("url") or ""
        # Only a web address becomes a link; anything else is printed as text.
        return {**block, "url": url, "link": is_web_address(url)}
    if kind == "numbered":
        items = [
            {**item, "table": _table(item["table"]) if item.get("table") else None}
            for item in block["items"]
        ]
        return {**block, "items": items}
    if kind == "table":
        return {**block, "table": _table(block)}
    return block


def _chart_block(chart: Chart, number: int) -> dict:
    table = chart.table
    return {
        "kind": "chart",
        "key": chart.key,
        "number": number,
        "title": chart.title,
        "svg": mark_safe(chart.svg()),  # noqa: S308 - matplotlib escapes text
        "table": _table({"caption": table.caption, "headers": table.headers, "rows": table.rows}),
    }


# A count the board may not read, as `maca.disclosure` words it: still a count's cell.
_HIDDEN_COUNT = re.compile(r"fewer than \d+|not shown")


def _count(cell) -> bool:
    return isinstance(cell, int) or (isinstance(cell, str) and bool(_HIDDEN_COUNT.fullmatch(cell)))


def _table(table: dict) -> dict:
    """Headers and rows, each cell marked numeric or not (numbers are set right)."""
    rows = [list(row) for row in table["rows"]]
    width = len(table["headers"])
    numeric = [
        i > 0 and bool(rows) and all(_count(row[i]) for row in rows if i < len(row))
        for i in range(width)
    ]
    return {
        "caption": table.get("caption", ""),
        "headers": [{"text": h, "numeric": numeric[i]} for i, h in enumerate(table["headers"])],
        "rows": [
            [
                {"text": cell, "numeric": i < width and numeric[i], "first": i == 0}
                for i, cell in enumerate(row)
            ]
            for row in rows
        ],
    }
