import json
from pathlib import Path

from django.core.management.base import BaseCommand

from maca.audits.management.arguments import audit_by_id
from maca.bundles.services import bundle_export
from maca.history.access_log import AccessHow, AccessKind, record_access


class Command(BaseCommand):
    help = "Write one audit as an audit bundle (JSON) to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("audit", help="the audit's id")
        parser.add_argument("--output", "-o", help="write to this file instead")

    def handle(self, *args, **options):
        audit = audit_by_id(options["audit"])
        text = json.dumps(bundle_export(audit), indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
        # Run on the server, by whoever may run it: no user to name.
        record_access(None, AccessKind.BUNDLE, how=AccessHow.COMMAND, audit=audit)
