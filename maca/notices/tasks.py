from django.tasks import task

from .models import Notice
from .reminders import reminders_send
from .services import notice_deliver


@task
def notice_deliver_task(notice_id: int) -> int:
    """Send one notice. Safe to run twice: a sent notice is not sent again."""
    notice = Notice.objects.select_related("audit", "agency", "request").filter(pk=notice_id)
    notice = notice.first()
    return notice_deliver(notice=notice) if notice else 0


@task
def reminders_send_task() -> int:
    """Send the reminders due today (see `maca.notices.reminders`). Returns how many."""
    return len(reminders_send())
