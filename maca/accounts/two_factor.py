"""Two-factor sign-in for everyone who can see case-level data (docs/security.md).

allauth.mfa does the work: an authenticator app (TOTP) with recovery codes, asked for after
the password whenever the account has one. This module adds what maca requires on top:

- a person whose role opens case-level data (`access.needs_second_factor`) cannot use maca
  until they have set up an authenticator app, and cannot remove it;
- a session counts only once it has passed the second factor. A session that got signed in
  any other way (an old session, a path that skipped allauth's stages) is ended and sent back
  to the sign-in page, so no route past the second factor exists: not a password reset, not
  the admin's sign-in.
"""

import time

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    record_authentication,
)
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp import views as totp_views
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt, is_mfa_enabled
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from maca import access
from maca.sealing import fernet_for

from .models import User

# Pages a signed-in person may open before their second factor is set up: setting it up,
# the re-entry of the password allauth asks for first, and signing out.
SETTING_UP = {
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_index",
    "account_reauthenticate",
    "account_logout",
    "healthz",
}

SET_UP_NOW = (
    "You can see information about children, so your account needs two-factor "
    "authentication. Set up an authenticator app to continue."
)
SIGN_IN_AGAIN = "Sign in again with your password and the code from your authenticator app."


def passed_second_factor(request) -> bool:
    """Whether this session was signed in with a second factor (a code or a recovery code)."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    return any(record.get("method") == "mfa" for record in records)


def two_factor_context(request) -> dict:
    """Whether the viewer must keep their app (asked only by the pages that show it)."""
    return {
        "second_factor_required": SimpleLazyObject(
            lambda: access.needs_second_factor(getattr(request, "user", None))
        )
    }


def just_signed_in_without_app(request) -> bool:
    """A person with no app yet who typed their password, or signed in through their
    organisation's provider (decision 75), within the last few minutes."""
    user = request.user
    if not user.is_authenticated or has_authenticator_app(user):
        return False
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    first_factors = {"password", "socialaccount"}
    at = max((r["at"] for r in records if r.get("method") in first_factors), default=0)
    return time.time() - at < account_settings.REAUTHENTICATION_TIMEOUT


def has_authenticator_app(user) -> bool:
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


class SecondFactorMiddleware:
    """Keeps people who need a second factor to the pages for setting it up, until they have.

    Goes after the authentication middleware and `access.ViewerMiddleware`. A session that
    has passed the second factor costs no query here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or passed_second_factor(request):
            return None
        if not access.needs_second_factor(user):
            return None
        if has_authenticator_app(user):
            # Signed in without the code it asks for: that session does not count.
            auth.logout(request)
            messages.info(request, SIGN_IN_AGAIN)
            return _go(request, settings.LOGIN_URL)
        if request.resolver_match.url_name in SETTING_UP:
            return None
        messages.info(request, SET_UP_NOW)
        return _go(request, "mfa_activate_totp")


def _go(request, to):
    response = redirect(to)
    if getattr(request, "htmx", False):
        # htmx would swap the whole page into a fragment: have it navigate instead.
        answer = HttpResponse(status=204)
        answer["HX-Redirect"] = response["Location"]
        return answer
    return response


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's setting-up page; typing a valid code there proves the second factor."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record_authentication(
            self.request, self.request.user, "mfa", type="totp", reauthenticated=True
        )
        return response


class MFAAdapter(DefaultMFAAdapter):
    """Secrets encrypted at rest, and no removing the app for those who need it."""

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken as error:
            raise ValueError(
                "an authenticator secret cannot be decrypted: SECRET_KEY changed without "
                "the old key in SECRET_KEY_FALLBACKS"
            ) from error

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type != Authenticator.Type.TOTP:
            return True
        return not access.needs_second_factor(authenticator.user)


def _fernet():
    return fernet_for("two-factor")


class DemoCode:
    """In the demo, a code form also knows the code of the moment (nobody holds the app)."""

    user: User  # set by allauth's code forms, which this mixes into

    @property
    def demo_code(self) -> str | None:
        if not settings.MACA_DEMO:
            return None
        authenticator = Authenticator.objects.filter(
            user=self.user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            return None
        return current_code(authenticator)


class AuthenticateForm(DemoCode, mfa_forms.AuthenticateForm):
    """allauth's code form, asked after the password when signing in."""


class ReauthenticateForm(DemoCode, mfa_forms.ReauthenticateForm):
    """allauth's code form, asked again before a change that matters (an API token)."""


def current_code(authenticator: Authenticator, at: float | None = None) -> str:
    """The code an authenticator app shows at `at` (now): for the demo and the browser tests."""
    return code_for(decrypt(authenticator.data["secret"]), at)


def code_for(secret: str, at: float | None = None) -> str:
    counter = int(time.time() if at is None else at) // settings.MFA_TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def set_up_authenticator_app(user, secret: str | None = None) -> Authenticator:
    """Give `user` an authenticator app, as setting one up on the page would (demo, tests)."""
    app = TOTP.activate(user, secret or generate_totp_secret()).instance
    RecoveryCodes.activate(user)
    return app
