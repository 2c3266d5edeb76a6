from django.core.management.base import BaseCommand

from maca.learning.warming import dashboards_warm_all


class Command(BaseCommand):
    help = (
        "Make and keep every partnership's dashboard (its charts and the board's protected "
        "counts), so the first view after a deployment does not wait for them."
    )

    def handle(self, *args, **options):
        for partnership_id, made in dashboards_warm_all():
            self.stdout.write(f"Partnership {partnership_id}: {made} dashboard(s) made")
