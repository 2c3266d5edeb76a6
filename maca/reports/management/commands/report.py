import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maca.audits.management.arguments import audit_by_id
from maca.history.access_log import AccessHow, AccessKind, record_access
from maca.reports.document import report_document
from maca.reports.selectors import edition_of, edition_published, report_state
from maca.reports.summary import report_summary

FORMATS = ["json", "html", "pdf", "docx"]


class Command(BaseCommand):
    help = (
        "Write an audit's report: the report as it stands (a draft, unless it is approved or "
        "published as it is), or a published edition with --edition. JSON (the report "
        "summary) and HTML go to standard output when no file is named."
    )

    def add_arguments(self, parser):
        parser.add_argument("audit", help="the audit's id")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", "-o", help="write to this file instead")
        parser.add_argument("--edition", type=int, help="a published edition's number")

    def handle(self, *args, **options):
        audit = audit_by_id(options["audit"])
        fmt, output = options["format"], options["output"]
        if fmt in ("pdf", "docx") and not output:
            raise CommandError(f"A {fmt.upper()} file needs --output FILE.")
        if options["edition"] is not None:
            found = audit.report_editions.filter(number=options["edition"]).first()
            if found is None:
                raise CommandError(
                    f"Audit {audit.pk} has no published edition {options['edition']}."
                )
            document, edition = found.document, edition_published(found)
        elif fmt == "json":
            document, edition = {"summary": report_summary(audit)}, None
        else:
            document = report_document(audit)
            edition = edition_of(report_state(audit, document))
        content = _render(fmt, document, edition)
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(f"Wrote {output} ({len(content):,} bytes)")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
        if options["edition"] is None:  # the report before publication
            record_access(
                None, AccessKind.REPORT_DRAFT, how=AccessHow.COMMAND, audit=audit, obj=fmt
            )


def _render(fmt: str, document: dict, edition) -> bytes:
    if fmt == "json":
        return (json.dumps(document["summary"], indent=2, ensure_ascii=False) + "\n").encode()
    if fmt == "html":
        from maca.reports.printing import report_html

        return report_html(document, edition).encode()
    if fmt == "pdf":
        from maca.reports.printing import report_pdf

        return report_pdf(document, edition)
    from maca.reports.word import report_docx

    return report_docx(document, edition)
