from django.conf import settings
from django.core.management.base import BaseCommand

from maca.accounts.leavers import unused_accounts_disable


class Command(BaseCommand):
    help = (
        "Disable the accounts nobody has signed in to for MACA_UNUSED_ACCOUNT_DAYS (90), each "
        "e-mailed a notice 14 days before; superusers are left alone. Run daily from cron."
    )

    def handle(self, *args, **options):
        outcome = unused_accounts_disable()
        self.stdout.write(
            f"{len(outcome.warned)} account(s) warned, {len(outcome.disabled)} disabled "
            f"(unused for {settings.MACA_UNUSED_ACCOUNT_DAYS} days)."
        )
