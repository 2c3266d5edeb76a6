from django.tasks import task

from maca import access_rls

from .reminders import reminders_send


@task
def reminders_send_task() -> int:
    """Send the reminders due today (see `maca.notices.reminders`), in every partnership.
    Returns how many."""
    with access_rls.working_in(access_rls.ALL_PARTNERSHIPS):
        return len(reminders_send())
