"""The yearly report's PDF and Word file: the audit report's renderers (`reports.printing`,
WeasyPrint, the same print CSS: OFFICIAL-SENSITIVE and DRAFT across every page for a draft,
OFFICIAL once published; `reports.word`, python-docx), with the yearly report's charts. Made
as they are asked for (decision 72): a year's report is downloaded a few times, and the same
document and edition always give the same file."""

from maca.reports.document import Edition

from .charts import yearly_charts

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def yearly_file(document: dict, edition: Edition, file_format: str) -> bytes:
    if file_format == "pdf":
        from maca.reports.printing import report_pdf

        return report_pdf(document, edition, yearly_charts(document))
    from maca.reports.word import report_docx

    return report_docx(document, edition, yearly_charts(document))
