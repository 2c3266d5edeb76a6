"""The summary report as a Word file, drawn from the report document (`document.py`).

Made to be edited after download, so everything is built from real Word parts: named styles
(Title, Heading 1 and 2, List Bullet, Caption), real tables whose header row repeats on each
page, charts as pictures with their alternative text and their data table after them, and the
marking in the header of every page, with a true Word watermark (a VML text path, as Word
inserts one) across every page of a draft. Arial throughout (Liberation Sans has its metrics).

The same document and edition always give the same bytes: every date in the file, the zip
entries' included, is the edition's date, never the moment of rendering.
"""

import io
from xml.sax.saxutils import quoteattr

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from maca.links import is_web_address
from maca.wordfiles import (
    BLACK,
    FONT,
    HEADER_FILL,
    LANGUAGE,
    arial,
    document_defaults,
    drop_thumbnail,
    fixed_zip,
    properties,
)

from .charts import Chart, all_charts
from .document import Edition

SUBJECT = "Multi-agency case audit summary report"
LINK = RGBColor(0x1D, 0x70, 0xB8)  # GOV.UK link colour
MARGIN = Cm(2)
TEXT_WIDTH = Cm(17)  # A4 (21 cm) less two 2 cm margins
# Charts are drawn 6.3 in (16 cm) wide and placed at 85%, as in the PDF: two to a page.
CHART_WIDTH = Cm(13.6)
TABLE_TEXT = Pt(9.5)  # a table's cells (decision 68)
HANG = Cm(1.0)  # the hanging indent of numbered items: room for "10." at heading size
CHAR, PAD, SHORT = Cm(0.22), Cm(0.6), 18  # table columns: an 11 pt character, cell margins
_W = nsdecls("w")
_VML = (  # python-docx knows neither VML namespace
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)

# style -> (size in points, bold, space before, space after)
STYLES = {
    "Normal": (10.5, False, 0, 6),
    "Title": (22, True, 6, 10),
    "Subtitle": (13, False, 0, 6),
    "Heading 1": (16, True, 16, 6),
    "Heading 2": (12, True, 10, 4),
    "Heading 3": (11, True, 8, 3),
    "Caption": (9.5, True, 6, 3),
    "List Bullet": (10.5, False, 0, 3),
    "Header": (10, True, 0, 0),
    "Footer": (9, False, 0, 0),
}


def report_docx(document: dict, edition: Edition, charts: list[Chart] | None = None) -> bytes:
    """The report as a Word file. `charts`: the charts its chart blocks name, when not the
    audit report's own (the yearly report's)."""
    doc = Document()
    _page(doc.sections[0])
    _styles(doc)
    _properties(doc, document["meta"], edition)
    drop_thumbnail(doc)
    _header(doc.sections[0], edition)
    _footer(doc.sections[0], document["meta"]["title"], edition)
    _cover(doc, document["meta"], edition)
    if charts is None:
        charts = all_charts(document["summary"])
    drawn = {chart.key: chart for chart in charts}
    for section in document["sections"]:
        # The cover is the head of the first page, not a page of its own (as in the PDF).
        doc.add_heading(section["title"], level=1)
        for block in section["blocks"]:
            _block(doc, block, drawn)
    out = io.BytesIO()
    doc.save(out)
    return fixed_zip(out.getvalue(), edition.date)


# Page, styles and properties ----------------------------------------------------------------


def _page(section) -> None:
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", MARGIN)
    section.header_distance = section.footer_distance = Cm(1)


def _styles(doc) -> None:
    styles = doc.styles
    document_defaults(doc)
    for name, (size, bold, before, after) in STYLES.items():
        style = styles[name]
        arial(style.element.get_or_add_rPr())
        style.font.size, style.font.bold = Pt(size), bold
        style.font.color.rgb = BLACK
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    _lang(styles["Normal"].element.get_or_add_rPr())
    # The template's Title has a blue rule under it, and its Caption is blue.
    ppr = styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    styles["Caption"].paragraph_format.keep_with_next = True
    styles["Subtitle"].font.italic = False
    for spacing in styles["Subtitle"].element.rPr.findall(qn("w:spacing")):
        styles["Subtitle"].element.rPr.remove(spacing)  # the template's letter-spacing
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb, link.font.underline = LINK, True


def _lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # last of the children python-docx writes, so in schema order
    lang.set(qn("w:val"), LANGUAGE)


def _properties(doc, meta: dict, edition: Edition) -> None:
    properties(
        doc,
        title=meta["title"],
        subject=meta.get("caption", SUBJECT),
        author=meta["partnership"],
        keywords=edition.marking,
        day=edition.date,
        revision=edition.number or 1,
    )


# Header and footer --------------------------------------------------------------------------


def _header(section, edition: Edition) -> None:
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(edition.marking).bold = True
    if edition.watermark:
        paragraph._p.append(_watermark(edition.watermark))


def _watermark(text: str):
    """Word's own watermark: a text-path shape in the header, centred on the page's margins
    and behind the text. Word and LibreOffice both show it on every page and let it be
    removed through their watermark dialogues."""
    return parse_xml(
        f"<w:r {_W} {_VML}>"
        "<w:rPr><w:noProof/></w:rPr><w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
        + "".join(f'<v:f eqn="{eqn}"/>' for eqn in _TEXTPATH_FORMULAS)
        + '</v:formulas><v:path textpathok="t" o:connecttype="custom" '
        'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
        '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
        'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
        "</v:shapetype>"
        '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:130pt;'
        "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#b1b4b6" '
        'stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt" '
        f"string={quoteattr(text)}/>"
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )


_TEXTPATH_FORMULAS = (
    "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3",
    "if @0 @3 0", "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5",
    "mid @7 @8", "mid @6 @7", "sum @6 0 @5",
)  # fmt: skip


def _footer(section, title: str, edition: Edition) -> None:
    first = section.footer.paragraphs[0]
    first.text = f"{title} · {edition.label} · {edition.date_text} · {edition.marking}"
    pages = section.footer.add_paragraph("Page ")
    _field(pages, "PAGE")
    pages.add_run(" of ")
    _field(pages, "NUMPAGES")
    for paragraph in (first, pages):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word and LibreOffice work out as each page is laid out ("1" until then)."""
    for xml in (
        f'<w:fldChar {_W} w:fldCharType="begin"/>',
        f'<w:instrText {_W} xml:space="preserve"> {instruction} </w:instrText>',
        f'<w:fldChar {_W} w:fldCharType="separate"/>',
        f"<w:t {_W}>1</w:t>",
        f'<w:fldChar {_W} w:fldCharType="end"/>',
    ):
        paragraph.add_run()._r.append(parse_xml(xml))


# Cover ----------------------------------------------------------------------------------------


def _cover(doc, meta: dict, edition: Edition) -> None:
    partnership = doc.add_paragraph()
    _run(partnership, meta["partnership"], size=13, bold=True)
    doc.add_paragraph(
        meta.get("caption", "Multi-agency case audit: summary report"), style="Subtitle"
    )
    doc.add_paragraph(meta["title"], style="Title")
    if meta.get("theme"):
        _run(doc.add_paragraph(), f"Theme: {meta['theme']}", size=12)
    which = doc.add_paragraph()
    _run(which, edition.label, size=11, bold=True)
    _run(which, f", {edition.date_text}", size=11)
    marking = doc.add_paragraph()
    marking.paragraph_format.space_before = Pt(6)
    marking.paragraph_format.space_after = Pt(12)
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(marking, edition.marking, size=14, bold=True)
    _box(marking)


def _run(paragraph: Paragraph, text: str, *, size: float, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold


def _box(paragraph: Paragraph) -> None:
    borders = parse_xml(
        f"<w:pBdr {_W}>"
        + "".join(
            f'<w:{side} w:val="single" w:sz="18" w:space="6" w:color="0B0C0C"/>'
            for side in ("top", "left", "bottom", "right")
        )
        + "</w:pBdr>"
    )
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")


# Blocks ---------------------------------------------------------------------------------------


def _block(doc, block: dict, charts: dict[str, Chart]) -> None:
    kind = block["kind"]
    if kind == "paragraph":
        paragraph = _paragraph(doc, block["text"])
        if url := block.get("url"):
            paragraph.add_run(" ")
            if is_web_address(url):
                _hyperlink(paragraph, url)
            else:  # stored before maca refused such links: Word must not open it
                paragraph.add_run(url)
    elif kind == "bullets":
        for item in block["items"]:
            _paragraph(doc, item, style="List Bullet")
    elif kind == "numbered":
        _numbered(doc, block["items"])
    elif kind == "chart":
        if block["key"] not in charts:
            raise ValueError(f"The report has no chart {block['key']!r}")
        _chart(doc, charts[block["key"]])
    elif kind == "table":
        _table(doc, block["caption"], block["headers"], block["rows"])
    else:
        raise ValueError(f"A report block of an unknown kind: {kind!r}")


def _paragraph(doc, text: str, style: str | None = None) -> Paragraph:
    """A paragraph, set off from a table just before it (table cells have no space after)."""
    body = doc.element.body
    after_table = len(body) > 1 and body[-2].tag == qn("w:tbl")  # body[-1] is the sectPr
    paragraph = doc.add_paragraph(text, style=style)
    if after_table:
        paragraph.paragraph_format.space_before = Pt(10)
    return paragraph


def _hyperlink(paragraph: Paragraph, url: str) -> None:
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}" w:history="1"/>')
    run = paragraph.add_run(url, style="Hyperlink")
    link.append(run._r)  # moves the run inside the link
    paragraph._p.append(link)


def _numbered(doc, items: list[dict]) -> None:
    """Numbered items with the number typed in: recommendations refer to themes by number, so
    the numbers must stay as printed, even when a reader edits the list."""
    for n, item in enumerate(items, start=1):
        if item["title"]:
            first = doc.add_heading(f"{n}.\t{item['title']}", level=2)
        else:
            first = _paragraph(doc, "")
            first.add_run(f"{n}.").bold = True
            first.add_run(f"\t{item['text']}")
        _hang(first, number=True)
        texts = [item["text"]] if item["title"] and item["text"] else []
        # An item stays on one page with its notes and the start of its table.
        kept = [first] + [_paragraph(doc, text) for text in texts + list(item["notes"])]
        for paragraph in kept[1:]:
            _hang(paragraph)
            # Within an item, 3 pt between its text and notes (as the PDF): the report's new
            # sections take the room (decision 68).
            paragraph.paragraph_format.space_after = Pt(3)
        for paragraph in kept[:-1] if not item["table"] else kept:
            paragraph.paragraph_format.keep_with_next = True
        if item["table"]:
            table = item["table"]
            _table(doc, table["caption"], table["headers"], table["rows"], indent=HANG)


def _hang(paragraph: Paragraph, number: bool = False) -> None:
    fmt = paragraph.paragraph_format
    fmt.left_indent = HANG
    if number:  # the number hangs in the margin of the text, the text lines up after it
        fmt.first_line_indent = -HANG
        fmt.tab_stops.add_tab_stop(HANG)


def _chart(doc, chart: Chart) -> None:
    doc.add_heading(chart.title, level=2)
    picture = doc.add_paragraph()
    picture.paragraph_format.keep_with_next = True
    shape = picture.add_run().add_picture(io.BytesIO(chart.png()), width=CHART_WIDTH)
    shape._inline.docPr.set("title", chart.title)
    shape._inline.docPr.set("descr", chart.alt)
    table = chart.table
    _table(doc, table.caption, table.headers, table.rows)


def _table(doc, caption: str, headers, rows, indent: int = 0) -> None:
    if caption:
        _paragraph(doc, caption, style="Caption").paragraph_format.left_indent = indent
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if indent:  # under its numbered item's text
        ind = parse_xml(f'<w:tblInd {_W} w:w="{indent // 635}" w:type="dxa"/>')  # in twips
        table._tbl.tblPr.insert_element_before(ind, "w:tblBorders", "w:tblLayout", "w:tblLook")
    _repeat(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(str(text)).bold = True
        cell._tc.get_or_add_tcPr().append(
            parse_xml(f'<w:shd {_W} w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>')
        )
    for values in rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = str(value)
            if isinstance(value, int):  # counts line up on the right, as figures should
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for cell in (cell for row in table.rows for cell in row.cells):
        # Set on the paragraphs: Normal's space after would otherwise win over the table's.
        fmt = cell.paragraphs[0].paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(1), Pt(1), 1.0
        for run in cell.paragraphs[0].runs:  # smaller than the text, as the PDF's tables
            run.font.size = TABLE_TEXT
    _widths(table, headers, rows, TEXT_WIDTH - indent)


def _repeat(row) -> None:
    """The header row repeats at the top of each page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    trpr.append(OxmlElement("w:tblHeader"))


def _widths(table, headers, rows, total: int) -> None:
    """Each column as wide as its longest text (up to a point), shrunk towards its longest
    word when they do not all fit, or stretched to fill the text width. Word and LibreOffice
    lay a table out from these widths, not from its text."""
    columns = [[str(text) for text in (headers[i], *(row[i] for row in rows))]
               for i in range(len(headers))]  # fmt: skip
    longest = [max(map(len, texts)) for texts in columns]
    want = [_width(min(60, n)) for n in longest]
    # Short texts (a date, a grade, a count) are not wrapped; long ones down to their words.
    floor = [_width(n if n <= SHORT else max(len(w) for t in texts for w in t.split() or [""]))
             for n, texts in zip(longest, columns, strict=True)]  # fmt: skip
    excess = sum(want) - total
    slack = sum(want) - sum(floor)
    if excess > 0 and slack >= excess:  # wrap the long texts, never a word
        widths = [w - excess * (w - f) / slack for w, f in zip(want, floor, strict=True)]
    else:  # all fit (stretch them), or even the words do not (share out by length)
        widths = [total * w / sum(want) for w in want]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = int(width)
        for cell in column.cells:
            cell.width = int(width)


def _width(characters: int) -> float:
    return characters * CHAR + PAD


# Bytes ----------------------------------------------------------------------------------------
