from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maca.bundles.services import bundle_import
from maca.bundles.validation import InvalidBundle
from maca.uploads.jsondata import JsonRefused, json_read
from maca.uploads.limits import BUNDLE_MAX_BYTES
from maca.uploads.problems import listed


def read_bundle(path: str):
    """The bundle's JSON, read within maca's limits (maca/uploads/limits.py)."""
    file = Path(path)
    try:
        # A byte past the limit is enough to say it is too large; a bigger file is not read.
        with file.open("rb") as opened:
            data = opened.read(BUNDLE_MAX_BYTES + 1)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    try:
        return json_read(data)
    except JsonRefused as refused:
        raise CommandError(f"{path}: {refused.message}") from None


class Command(BaseCommand):
    help = "Load one audit from an audit bundle (maca-audit-bundle/1). Writes all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bundle's JSON file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace an audit of the same title in the partnership, in one transaction",
        )

    def handle(self, *args, **options):
        data = read_bundle(options["file"])
        try:
            audit = bundle_import(data=data, replace=options["replace"], via="cli:import-bundle")
        except InvalidBundle as invalid:
            lines = [f"{options['file']} was not imported; nothing was written:"]
            lines += [f"  {problem}" for problem in listed(invalid.errors)]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(f"Imported audit {audit.pk}: {audit.title} ({audit.cases.count()} cases)")
