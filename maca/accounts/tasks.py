from django.tasks import task

from .mail import unseal


@task
def account_mail_send_task(sealed: str) -> int:
    """Send one account e-mail queued by `mail.account_mail_queue`."""
    return unseal(sealed).send()
