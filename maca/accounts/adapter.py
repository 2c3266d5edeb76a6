from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from .mail import account_mail_queue


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an admin or a coordinator, never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """As allauth's, but queued rather than sent (maca/accounts/mail.py says why)."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        account_mail_queue(self.render_mail(template_prefix, email, full_context))

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up a first authenticator app straight after the password needs no second
        password: that session can do nothing else yet (maca/accounts/two_factor.py)."""
        from maca.accounts.two_factor import just_signed_in_without_app

        if app == "allauth.mfa" and self.request and just_signed_in_without_app(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)
