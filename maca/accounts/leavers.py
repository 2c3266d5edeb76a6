"""Accounts nobody uses any more are disabled, with notice first (decision 75).

A person who leaves their organisation keeps their maca account until someone removes it; one
whose organisation signs them in is refused at once by their provider, but anyone else's
password would still work. So an account nobody has signed in to for
`MACA_UNUSED_ACCOUNT_DAYS` (90) is disabled by `maca disable-unused-accounts`, run daily. Each
is e-mailed `MACA_UNUSED_ACCOUNT_NOTICE_DAYS` (14) before, and is disabled only once that notice
is that old, however late the command first runs; signing in again clears the notice
(`AccountAdapter.post_login`). The installation's superusers are left alone: disabling the
last of them would lock the admin out.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from maca.links import site_url

from .mail import account_mail_queue
from .models import User

SUBJECT = "[maca] Your maca account will be disabled unless you sign in"
BODY = """Hello {name},

Nobody has signed in to your maca account ({email}) since {last_used}. Accounts unused for
{days} days are disabled, so yours will be disabled on or after {disable_on}.

To keep it, sign in before then: {sign_in}

If you no longer need it, you need do nothing. If it is disabled and you need it again, ask
your partnership's coordinator.
"""


@dataclass(frozen=True)
class Outcome:
    warned: list[str]
    disabled: list[str]


def unused_accounts_disable(now: datetime.datetime | None = None) -> Outcome:
    """Warn the accounts that will soon count as unused, and disable those warned long enough
    ago that are still unused. Returns their addresses."""
    now = now or timezone.now()
    days = settings.MACA_UNUSED_ACCOUNT_DAYS
    notice_days = settings.MACA_UNUSED_ACCOUNT_NOTICE_DAYS
    accounts = User.objects.filter(is_active=True, is_superuser=False).annotate(
        last_used=Coalesce("last_login", "date_joined")
    )

    disabled = []
    for user in accounts.filter(
        last_used__lte=now - datetime.timedelta(days=days),
        unused_notice_sent_at__lte=now - datetime.timedelta(days=notice_days),
    ):
        user.is_active = False
        user.save(update_fields=["is_active"])
        disabled.append(user.email)

    warned = []
    for user in accounts.filter(
        Q(last_used__lte=now - datetime.timedelta(days=days - notice_days)),
        unused_notice_sent_at__isnull=True,
    ):
        disable_on = max(
            user.last_used + datetime.timedelta(days=days),
            now + datetime.timedelta(days=notice_days),
        )
        account_mail_queue(
            EmailMessage(
                subject=SUBJECT,
                body=BODY.format(
                    name=user.get_short_name(),
                    email=user.email,
                    last_used=_day(user.last_used),
                    days=days,
                    disable_on=_day(disable_on),
                    sign_in=site_url(reverse("account_login")),
                ),
                to=[user.email],
            )
        )
        user.unused_notice_sent_at = now
        user.save(update_fields=["unused_notice_sent_at"])
        warned.append(user.email)
    return Outcome(warned=warned, disabled=disabled)


def _day(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y")
