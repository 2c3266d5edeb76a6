from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from maca.backups.services import BackupError, NotABackup, backup_restore

NOT_A_BACKUP = 2  # the exit status for a file that is not a maca backup


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup written by `maca backup`. Refuses a database "
        "that already holds data unless --force. Stop the web server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though the database holds data: everything in it is replaced",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias")

    def handle(self, *args, **options):
        using = options["database"]
        try:
            restored = backup_restore(path=options["path"], using=using, force=options["force"])
        except NotABackup as error:
            raise CommandError(f"Nothing was restored: {error}", returncode=NOT_A_BACKUP) from None
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from None
        name = connections[using].settings_dict["NAME"]
        self.stdout.write(
            f"Restored {restored.path} ({restored.size:,} bytes) into {name}: "
            f"{restored.tables} tables"
        )
