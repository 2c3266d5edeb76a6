"""A new password ends its user's API tokens, as it ends their other sessions.

Django ends the sessions itself (each holds a hash of the password it was made with); a token
holds nothing of the password, so whoever had the old one, and made a token with it, would keep
the API for up to a year. Every path that sets a password (the change and reset pages, the
admin's password form, `maca changepassword`) calls `set_password` and saves: Django keeps the
new password in `_password` until that save is done, and clears it for the rehash on signing
in (`check_password`), which changes no password and so ends nothing.

The person is told on the page that follows a change or a reset, by allauth's signals.
"""

from allauth.account import signals as account_signals
from django.conf import settings
from django.contrib import messages
from django.db.models.signals import post_save
from django.dispatch import receiver

from .services import tokens_end

ENDED = "api_tokens_ended"  # how many the save just ended, kept on the user for the message


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _end_tokens_on_new_password(sender, instance, created, **kwargs):
    if created or getattr(instance, "_password", None) is None:
        return
    setattr(instance, ENDED, tokens_end(user=instance))


def ended_message(count: int) -> str:
    if count == 1:
        return (
            "Your API token stopped working when your password changed. If a program still "
            "needs one, make a new token on the API tokens page once you have signed in."
        )
    return (
        f"Your {count} API tokens stopped working when your password changed. If programs "
        "still need them, make new tokens on the API tokens page once you have signed in."
    )


@receiver(account_signals.password_changed)
@receiver(account_signals.password_reset)
@receiver(account_signals.password_set)
def _tell(sender, request, user, **kwargs):
    count = getattr(user, ENDED, 0)
    if count and request is not None:
        messages.info(request, ended_message(count))
