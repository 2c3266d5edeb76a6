from django.core.management.base import BaseCommand, CommandError

from maca.backups.roles import RoleError, app_role_grant, unprotected_tables


class Command(BaseCommand):
    help = (
        "PostgreSQL: give the application's database role (the web and the worker run as it) "
        "exactly its rights on the tables: read and write the application's rows, only read "
        "and add to the change history, the access log and the published editions. Run it as "
        "the owner role after every `maca migrate`; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application's role, e.g. maca_app")

    def handle(self, *args, **options):
        try:
            granted = app_role_grant(options["role"])
        except RoleError as error:
            raise CommandError(f"Nothing was granted: {error}") from None
        for rights, tables in granted.items():
            self.stdout.write(f"{rights}: {len(tables)} tables")
        unprotected = unprotected_tables()
        if unprotected:
            raise CommandError(
                "These tables hold partnerships' rows without row-level security: "
                f"{', '.join(unprotected)}. Give them the policy in a migration."
            )
        self.stdout.write(f"Granted to {options['role']}.")
