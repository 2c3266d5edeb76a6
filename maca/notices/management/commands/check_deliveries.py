from django.core.management.base import BaseCommand

from maca import access_rls
from maca.notices.notify import deliveries_check, notify_backend


class Command(BaseCommand):
    help = (
        "Ask GOV.UK Notify whether the e-mails of the last week arrived, and show those it could "
        "not deliver in the coordinators' outbox. Nothing to do with SMTP. Safe to run as often "
        "as you like (e.g. every 15 minutes from cron)."
    )

    def handle(self, *args, **options):
        if notify_backend() is None:
            self.stdout.write("Mail goes by SMTP: Notify has nothing to report.")
            return
        # A job for every partnership, whichever database role cron runs it as.
        with access_rls.working_in(access_rls.ALL_PARTNERSHIPS):
            found = deliveries_check()
        self.stdout.write(f"{len(found)} e-mail(s) found not delivered.")
