"""The account e-mails allauth writes (a password reset link, "no account here"), sent by the
task queue.

Drawn while the person waits, sent in the background: the answer to "reset my password" never
waits on the mail server, and a known and an unknown address do the same work before it (one
e-mail drawn, one task queued), so its timing tells nothing (ASVS 5.0 V6.3.8).

A queued task's arguments sit in the database (and its backups) after it has run. A reset
link in them would let anyone who reads the database reset that person's password, so the
message is sealed with a key derived from SECRET_KEY before it is queued.
"""

import json

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.tasks import task

from maca.sealing import fernet_for


def _fernet():
    return fernet_for("accounts.mail")


def seal(message: EmailMessage) -> str:
    fields = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(a) for a in getattr(message, "alternatives", [])],
    }
    return _fernet().encrypt(json.dumps(fields).encode()).decode()


def unseal(sealed: str) -> EmailMultiAlternatives:
    fields = json.loads(_fernet().decrypt(sealed.encode()))
    alternatives = fields.pop("alternatives")
    message = EmailMultiAlternatives(**fields)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message


def account_mail_queue(message: EmailMessage) -> None:
    account_mail_send_task.enqueue(seal(message))


# Beside the queueing that enqueues it, so neither module imports the other.
@task
def account_mail_send_task(sealed: str) -> int:
    """Send one account e-mail queued by `account_mail_queue`."""
    return unseal(sealed).send()
