"""GOV.UK Notify as maca's mail service (decision 74), through its Python client.

Councils and NHS bodies commonly send service e-mail through Notify. Set `NOTIFY_API_KEY`
(and `NOTIFY_TEMPLATE_ID`: one e-mail template whose subject is `((subject))` and whose body is
`((body))`) and every e-mail goes through Notify instead of SMTP (maca/settings.py).

Notify takes a message at once and says later whether it arrived. `NotifyEmailBackend` keeps
each address's Notify id on the message it sent (`notify_ids`), `notice_deliver` stores them on
the notice (`Notice.receipts`), and `deliveries_check` (`maca check-deliveries`, from cron)
asks Notify about those still on their way: an address Notify could not deliver to is written
on the notice (`Notice.undelivered`), and the coordinators' outbox shows the notice as not
delivered, with why, like any other.
"""

import datetime
import logging

from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from .models import Notice

logger = logging.getLogger(__name__)

NOTIFY_URL = "https://api.notifications.service.gov.uk"

# Notify's e-mail statuses (https://docs.notifications.service.gov.uk/python.html): on the way,
# arrived, or never will, in words a coordinator can act on.
ON_THE_WAY = {"created", "sending", "pending"}
DELIVERED = "delivered"
FAILED = {
    "permanent-failure": "the address does not exist or refuses mail",
    "temporary-failure": "the inbox was full or the address could not be reached for 72 hours",
    "technical-failure": "a technical failure at Notify",
}
#: How long a message may stay on its way before maca stops asking.
CHECK_FOR = datetime.timedelta(days=7)


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each message to each of its addresses through one Notify e-mail template, the
    message's subject and body as its personalisation. A refusal raises `APIError`, as an SMTP
    server's does `SMTPException`: the notice records it and is sent again later."""

    def __init__(
        self, *, api_key: str, template_id: str, base_url: str = NOTIFY_URL, timeout=20, **kwargs
    ):
        super().__init__(**kwargs)
        self.api_key, self.template_id = api_key, template_id
        self.base_url, self.timeout = base_url, timeout

    def client(self) -> NotificationsAPIClient:
        return NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)

    def send_messages(self, email_messages) -> int:
        client = self.client()
        sent = 0
        for message in email_messages:
            message.notify_ids = {}
            for address in message.to:
                answer = client.send_email_notification(
                    email_address=address,
                    template_id=self.template_id,
                    personalisation={"subject": message.subject, "body": message.body},
                )
                message.notify_ids[address] = answer["id"]
            sent += 1
        return sent


def notify_backend() -> NotifyEmailBackend | None:
    """The Notify backend when it is maca's mail service, else None."""
    backend = mailers.default
    return backend if isinstance(backend, NotifyEmailBackend) else None


def receipts_kept(notice: Notice, message) -> None:
    """Keep the Notify ids of a message just sent for the notice (no-op for SMTP)."""
    for address, notify_id in getattr(message, "notify_ids", {}).items():
        notice.receipts[address] = {"id": notify_id, "status": "created"}


def deliveries_check(*, now: datetime.datetime | None = None) -> list[Notice]:
    """Ask Notify about every message sent in the last week still on its way; record what
    arrived and what never will. Returns the notices found not delivered."""
    backend = notify_backend()
    if backend is None:
        return []
    now = now or timezone.now()
    client = backend.client()
    found = []
    recent = Notice.objects.filter(sent_at__gte=now - CHECK_FOR).exclude(receipts={})
    for notice_id in recent.order_by("id").values_list("pk", flat=True):
        with transaction.atomic():
            notice = Notice.objects.select_for_update().get(pk=notice_id)
            if _checked(notice, client):
                found.append(notice)
    return found


def _checked(notice: Notice, client: NotificationsAPIClient) -> bool:
    """Update one notice's receipts from Notify; True if an address was found undelivered."""
    newly = []
    for address, receipt in notice.receipts.items():
        if receipt["status"] not in ON_THE_WAY:
            continue
        try:
            status = client.get_notification_by_id(receipt["id"])["status"]
        except APIError as error:  # asked again at the next check
            logger.warning("Notice %s: Notify status not read: %s", notice.pk, type(error).__name__)
            continue
        receipt["status"] = status
        if status in FAILED and address not in notice.undelivered:
            newly.append(address)
            notice.undelivered.append(address)
    if newly:
        why = "; ".join(
            f"{address}: {FAILED[notice.receipts[address]['status']]}" for address in newly
        )
        notice.failure = f"Notify could not deliver it to {why}"[:200]
        notice.failed_at = timezone.now()
        logger.warning(
            "Notice %s: Notify could not deliver it to %s address(es)", notice.pk, len(newly)
        )
    notice.save(update_fields=["receipts", "undelivered", "failure", "failed_at"])
    return bool(newly)
