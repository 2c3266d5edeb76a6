from django.tasks import task

from maca import access_rls

from .models import Notice
from .reminders import reminders_send
from .services import notice_deliver


@task
def notice_deliver_task(notice_id: int, partnership_id: int) -> int:
    """Send one notice, in the rows of its partnership. Safe to run twice: a sent notice is
    not sent again."""
    with access_rls.working_in(partnership_id):
        notice = Notice.objects.select_related("audit", "agency", "request").filter(pk=notice_id)
        notice = notice.first()
        return notice_deliver(notice=notice) if notice else 0


@task
def reminders_send_task() -> int:
    """Send the reminders due today (see `maca.notices.reminders`), in every partnership.
    Returns how many."""
    with access_rls.working_in(access_rls.ALL_PARTNERSHIPS):
        return len(reminders_send())
