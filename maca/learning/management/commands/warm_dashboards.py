from django.core.management.base import BaseCommand

from maca.learning.warming import dashboards_warm
from maca.partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Make and keep every partnership's dashboard (its charts and the board's protected "
        "counts), so the first view after a deployment does not wait for them."
    )

    def handle(self, *args, **options):
        from maca import access_rls

        with access_rls.working_in(access_rls.ALL_PARTNERSHIPS):
            ids = list(Partnership.objects.order_by("pk").values_list("pk", flat=True))
        for partnership_id in ids:
            made = dashboards_warm(partnership_id)
            self.stdout.write(f"Partnership {partnership_id}: {made} dashboard(s) made")
