"""The summary report to print: one standalone HTML page and its PDF, marked on every page."""

import datetime
import io
import re

import pytest
import weasyprint
from pypdf import PdfReader

from maca.bundles.services import bundle_import
from maca.reports.charts import all_charts
from maca.reports.document import (
    approved_edition,
    draft_edition,
    published_edition,
    report_document,
)
from maca.reports.printing import report_html, report_pdf
from tests.bundles.samples import small_bundle

pytestmark = pytest.mark.django_db

DAY = datetime.date(2018, 6, 1)
FIGURE = re.compile(r'<figure class="chart".*?</figure>', re.S)


@pytest.fixture
def document():
    return report_document(bundle_import(data=small_bundle()))


@pytest.fixture
def no_fetching(monkeypatch):
    """Every URL the renderer asks for, refused and recorded."""
    asked = []

    def fetch(self, url, headers=None):
        asked.append(url)
        raise ValueError("nothing is fetched")

    monkeypatch.setattr(weasyprint.URLFetcher, "fetch", fetch)
    return asked


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return " ".join(_pages(pdf))


def test_every_page_of_a_draft_is_marked_and_says_draft(document):
    pages = _pages(report_pdf(document, draft_edition(DAY)))

    assert len(pages) >= 3  # a cover, the sections, the charts
    for number, page in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in page
        assert "DRAFT" in page
        assert f"Page {number} of {len(pages)}" in page
    assert "Draft, 1 June 2018" in pages[0]
    assert all("Draft, 1 June 2018" in page for page in pages)  # the footer of every page


def test_an_approved_edition_is_sensitive_without_the_watermark(document):
    pages = _pages(report_pdf(document, approved_edition(DAY)))

    assert all("OFFICIAL-SENSITIVE" in page for page in pages)
    assert not any("DRAFT" in page for page in pages)
    assert "Approved, not yet published, 1 June 2018" in pages[0]


def test_a_published_edition_is_official_and_not_a_draft(document):
    pages = _pages(report_pdf(document, published_edition(1, DAY)))

    for page in pages:
        assert "OFFICIAL" in page
        assert "OFFICIAL-SENSITIVE" not in page
        assert "DRAFT" not in page
    assert "Edition 1, 1 June 2018" in pages[0]


def test_the_cover_says_what_the_report_is(document):
    cover = _pages(report_pdf(document, published_edition(2, DAY)))[0]

    assert "Testshire Safeguarding Children Partnership" in cover
    assert "Multi-agency case audit: summary report" in cover
    assert "Transitions from children's to adults' services" in cover
    assert "Transitions" in cover
    assert "Edition 2, 1 June 2018" in cover
    assert "Contents" in cover
    assert "Scoring" in cover


def test_the_figures_are_printed(document):
    text = _text(report_pdf(document, draft_edition(DAY)))

    assert (
        "Of the 2 cases audited, 0 were graded outstanding, 0 good, 1 requiring improvement "
        "and 1 inadequate." in text
    )
    # The themes, numbered, with the cases each was found in.
    assert "1. Information sharing With GPs especially 2 of the 2 cases." in text
    assert "2. Engagement 1 of the 2 cases." in text
    # The rationale's link: its words and the address itself.
    assert "Why this theme was chosen: https://example.org/scr" in text
    # A recommendation's actions, as a table.
    assert "Add the GP to the planning checklist." in text
    for chart in all_charts(document["summary"]):
        assert chart.title in text
        assert chart.table.caption.split(".")[0] in text


def test_every_section_is_printed_in_order_under_its_title(document):
    text = _text(report_pdf(document, draft_edition(DAY)))
    titles = [section["title"] for section in document["sections"]]
    contents = text.index("Contents")
    body = text[text.index(titles[-1], contents) + len(titles[-1]) :]  # after the contents

    positions = [body.index(title) for title in titles]
    assert positions == sorted(positions)


def test_the_html_holds_the_five_charts_as_svg_each_with_its_data_table(document):
    html = report_html(document, draft_edition(DAY))
    figures = FIGURE.findall(html)

    assert len(figures) == 5  # the four grade and return charts, and the key measures
    for figure, chart in zip(figures, all_charts(document["summary"]), strict=True):
        assert figure.count("<svg") == 1
        assert re.search(r'<svg\b[^>]*\brole="img"', figure)
        assert f'<title id="chart-{chart.key}-title">' in figure
        assert f"<figcaption>Figure {figures.index(figure) + 1}: " in figure
        assert figure.count('<table class="data">') == 1
        assert figure.count('<th scope="col"') == len(chart.table.headers)
        assert figure.count('<th scope="row">') == len(chart.table.rows)


def test_the_html_is_one_standalone_page(document):
    html = report_html(document, published_edition(1, DAY))

    assert '<html lang="en-GB">' in html
    assert "<title>Transitions from children&#x27;s to adults&#x27; services" in html
    assert '<meta name="author" content="Testshire Safeguarding Children Partnership">' in html
    assert '<meta name="description" content="OFFICIAL. ' in html
    assert "<script" not in html
    assert "<link" not in html
    assert " src=" not in html
    assert "@import" not in html
    assert "<metadata>" not in html  # matplotlib's, taken out of the inline charts
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # matplotlib names the same groups in every chart


def test_the_pdf_carries_its_title_author_and_language(document):
    reader = PdfReader(io.BytesIO(report_pdf(document, draft_edition(DAY))))

    assert reader.metadata.title.startswith("Transitions from children's to adults' services")
    assert reader.metadata.author == "Testshire Safeguarding Children Partnership"
    assert reader.metadata.subject.startswith("OFFICIAL-SENSITIVE.")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_words_that_look_like_markup_are_printed_as_words_and_nothing_is_fetched(
    document, no_fetching
):
    markup = '<img src="http://example.org/pixel.png"> <script>alert(1)</script>'
    document["meta"]["title"] = "Audit <img src='http://example.org/title.png'>"
    document["sections"][0]["blocks"].append(
        {"kind": "paragraph", "text": markup, "source": "words"}
    )
    document["sections"][0]["blocks"].append(
        {"kind": "paragraph", "text": "Read:", "url": "javascript:alert(1)", "source": "data"}
    )
    document["sections"][1]["blocks"].append(
        {"kind": "bullets", "items": ["<link rel=stylesheet href=http://example.org/s.css>"]}
    )
    agencies = document["summary"]["agency_vs_ratified"]
    agencies["<img src=http://example.org/agency.png>"] = agencies.pop("Police")

    html = report_html(document, draft_edition(DAY))
    pdf = report_pdf(document, draft_edition(DAY))

    assert "<script" not in html
    assert "<img" not in html
    assert "<link" not in html
    assert 'href="javascript' not in html
    assert "&lt;img src=&quot;http://example.org/pixel.png&quot;&gt;" in html
    text = _text(pdf)
    assert '<img src="http://example.org/pixel.png"> <script>alert(1)</script>' in text
    assert "Read: javascript:alert(1)" in text
    assert no_fetching == []


def test_a_chart_this_version_does_not_draw_is_left_out(document):
    scoring = next(s for s in document["sections"] if s["key"] == "scoring")
    scoring["blocks"].append({"kind": "chart", "key": "no_such_chart", "source": "data"})

    html = report_html(document, draft_edition(DAY))

    assert len(FIGURE.findall(html)) == 5


def test_a_table_block_prints_as_a_table(document):
    document["sections"][0]["blocks"].append(
        {
            "kind": "table",
            "caption": "Cases by area",
            "headers": ["Area", "Cases"],
            "rows": [["East", 1], ["North", 1]],
            "source": "data",
        }
    )

    html = report_html(document, draft_edition(DAY))

    assert "<caption>Cases by area</caption>" in html
    assert '<th scope="row">East</th><td class="numeric">1</td>' in html


def test_the_pdf_is_tagged_with_its_charts_as_figures_named_by_their_titles(document):
    reader = PdfReader(io.BytesIO(report_pdf(document, draft_edition(DAY))))
    figures = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(node.get("/Alt"))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert figures == [chart.title for chart in all_charts(document["summary"])]
