from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from maca.backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database (pg_dump on PostgreSQL, SQLite's backup API on "
        "SQLite) to a new file readable by its owner only. It holds children's data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="the new file, or a folder for it (default: var/backups/maca-<date>-<time>.*)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias")

    def handle(self, *args, **options):
        try:
            written = backup_create(path=options["path"], using=options["database"])
        except BackupError as error:
            raise CommandError(f"No backup was written: {error}") from None
        self.stdout.write(
            f"Wrote backup {written.path} ({written.size:,} bytes, {written.tables} tables)"
        )
