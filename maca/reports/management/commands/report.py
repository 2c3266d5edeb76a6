import json
from pathlib import Path

from django.core.management.base import BaseCommand

from maca.bundles.management.commands.export_bundle import audit_by_id
from maca.reports.summary import report_summary


class Command(BaseCommand):
    help = "Write an audit's report. JSON (the report summary) goes to standard output."

    def add_arguments(self, parser):
        parser.add_argument("audit", help="the audit's id")
        # PDF, Word and HTML editions of the report arrive with the report issue.
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output", "-o", help="write to this file instead")

    def handle(self, *args, **options):
        text = (
            json.dumps(report_summary(audit_by_id(options["audit"])), indent=2, ensure_ascii=False)
            + "\n"
        )
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
