import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maca.bundles.services import bundle_import
from maca.bundles.validation import InvalidBundle


def read_bundle(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: not a JSON file ({error})") from None


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
            lines += [f"  {error}" for error in invalid.errors]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(f"Imported audit {audit.pk}: {audit.title} ({audit.cases.count()} cases)")
