from django.core.management.base import BaseCommand

from maca.audits.models import Audit


class Command(BaseCommand):
    help = "List every audit with its id, partnership, status and number of cases."

    def handle(self, *args, **options):
        for audit in Audit.objects.select_related("partnership").order_by("pk"):
            self.stdout.write(
                f"{audit.pk}\t{audit.partnership.name}\t{audit.status}\t"
                f"{audit.cases.count()} cases\t{audit.title}"
            )
