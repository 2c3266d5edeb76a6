"""A mail backend for the tests: the test mailbox (locmem), except that it refuses the
addresses in `REFUSED`, as a mail server refuses a recipient."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

REFUSED: set[str] = set()


class EmailBackend(LocmemBackend):
    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & REFUSED:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"mailbox unavailable")})
        return super().send_messages(messages)
