from dataclasses import dataclass
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.urls import reverse

from maca.links import site_domain, site_url

from .mail import account_mail_queue


@dataclass(frozen=True)
class Site:
    """What allauth's e-mails call the service ("Hello from maca!") and the address they name:
    the configured one, not the Host of the request (maca/links.py says why)."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an admin or a coordinator, never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """As allauth's, but queued rather than sent (maca/accounts/mail.py says why), and
        naming the service by MACA_BASE_URL."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": Site(name="maca", domain=site_domain()),
            **context,
        }
        account_mail_queue(self.render_mail(template_prefix, email, full_context))

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link, on MACA_BASE_URL whatever Host the request for it came through."""
        # allauth's own way of putting its opaque key into the URL.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key failed sign-ins are counted under: allauth's, with the configured domain in
        place of the request's Host, which the person signing in chooses (any allowed name, in
        any capitals, with any port): each would count five guesses of its own."""
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{site_domain()}:{login}"

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up a first authenticator app straight after the password needs no second
        password: that session can do nothing else yet (maca/accounts/two_factor.py)."""
        from maca.accounts.two_factor import just_signed_in_without_app

        if app == "allauth.mfa" and self.request and just_signed_in_without_app(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_login_stages(self) -> list[str]:
        """allauth's, with a code stage that a provider's asserted second factor passes
        (maca/accounts/single_sign_on.py)."""
        return [
            "maca.accounts.single_sign_on.AuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def post_login(self, request, user, **kwargs):
        """Note how the person signed in (an admin sees it beside `last_login`), and that the
        account is in use again."""
        from maca.accounts.single_sign_on import sign_in_via

        user.last_sign_in_via = sign_in_via(request)[:200]
        user.unused_notice_sent_at = None
        user.save(update_fields=["last_sign_in_via", "unused_notice_sent_at"])
        return super().post_login(request, user, **kwargs)
