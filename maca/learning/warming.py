"""The dashboards made before anyone asks (`kept`): when the figures change, the background
worker makes each partnership's dashboard as its coordinators and as its board read it, so the
next view, in any worker, after any restart, finds them made.

Only with a background worker (the database task backend): inline, warming would make the
person who ratified wait for a dashboard they did not ask for; the next view makes it instead.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.tasks import task

from maca import access, access_rls
from maca.meetings.models import Ratification
from maca.partnerships.models import Membership, Partnership, Role
from maca.reports.models import ReportEdition

from .presenting import dashboard_page

# Each reading of the dashboard: coordinators see every count, the board the protected ones.
READERS = (Role.COORDINATOR, Role.BOARD_MEMBER)


def dashboards_warm(partnership_id: int) -> int:
    """Make and keep the partnership's dashboard for each kind of reader it has; how many."""
    made = 0
    with access_rls.working_in(partnership_id):
        for role in READERS:
            membership = (
                Membership.objects.filter(partnership_id=partnership_id, role=role)
                .select_related("user", "partnership")
                .order_by("pk")
                .first()
            )
            if membership is not None:
                dashboard_page(access.Viewer(user=membership.user, membership=membership))
                made += 1
    return made


def dashboards_warm_all() -> list[tuple[int, int]]:
    """Every partnership's dashboards (after a deployment): (partnership id, how many made)."""
    with access_rls.working_in(access_rls.ALL_PARTNERSHIPS):
        ids = list(Partnership.objects.order_by("pk").values_list("pk", flat=True))
    return [(partnership_id, dashboards_warm(partnership_id)) for partnership_id in ids]


@task
def dashboards_warm_task(partnership_id: int) -> int:
    return dashboards_warm(partnership_id)


def has_background_worker() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@receiver(post_save, sender=Ratification, dispatch_uid="learning-warm-ratification")
@receiver(post_save, sender=ReportEdition, dispatch_uid="learning-warm-edition")
def figures_changed(sender, instance, **kwargs) -> None:
    """A ratified grade (the coordinators' figures) or a published edition (the board's)."""
    if has_background_worker():
        partnership_id = instance.partnership_id
        transaction.on_commit(lambda: dashboards_warm_task.enqueue(partnership_id))
