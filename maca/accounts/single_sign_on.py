"""Signing in through one's own organisation's OpenID Connect provider (decision 75).

allauth speaks the protocol (`allauth.socialaccount.providers.openid_connect`: the code flow
with PKCE, the `state`, the ID token's signature, issuer, audience and expiry). This module
adds what maca decides:

- whose addresses go to which provider: the e-mail domains of a `SignInProvider`; the sign-in
  page asks for the address first and sends those people to their provider, never to maca's
  password;
- who may come in: only an existing, active maca account with that address, a member of the
  provider's partnership (and agency, if the provider is one agency's). Nobody is signed up by
  a provider; membership and role come from maca, as for everyone;
- whether maca asks its own code: not when the ID token says the provider used a second factor
  (`amr` includes "mfa", or `acr` is one the provider's row lists), as it would be asked
  otherwise.
"""

import logging
from urllib.parse import urlsplit

import requests
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    record_authentication,
)
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.shortcuts import render

from .models import SignInProvider, User, email_domain

log = logging.getLogger(__name__)

NO_ACCOUNT = (
    "There is no maca account for {email}. Ask your partnership's coordinator to add you, "
    "then sign in again."
)
NOT_FOR_THIS_PROVIDER = (
    "{provider} cannot sign in {email}: that address is not one of its domains. Sign in "
    "with the address your partnership registered for you."
)
NOT_A_MEMBER = (
    "Your account is not a member of {where}, for which {provider} signs people in. Ask your "
    "partnership's coordinator."
)
DISABLED = "Your maca account has been disabled. Ask your partnership's coordinator."
NOT_SET_UP = "Signing in through this organisation is not set up in maca."
NO_ADDRESS = "{provider} did not say which e-mail address you signed in with."


def provider_for(email: str) -> SignInProvider | None:
    """The provider the people of this address's domain sign in through, if any."""
    domain = email_domain(email)
    if not domain:
        return None
    for provider in SignInProvider.objects.select_related("app"):
        if domain in provider.domains:
            return provider
    return None


def provider_origins() -> list[str]:
    """Where the sign-in page's form may lead (its Content-Security-Policy `form-action`):
    the providers' issuers, whose sign-in pages the e-mail step redirects to."""
    origins = set()
    for provider in SignInProvider.objects.select_related("app"):
        url = urlsplit(provider.app.settings.get("server_url", ""))
        if url.scheme in {"http", "https"} and url.netloc:
            origins.add(f"{url.scheme}://{url.netloc}")
    return sorted(origins)


def start(request, provider: SignInProvider, email: str, next_url: str | None):
    """Send the person to their provider's sign-in page (the code flow with PKCE), with their
    address as the hint, and `next_url` kept for their return."""
    social_provider = provider.app.get_provider(request)
    try:
        return social_provider.redirect(
            request, "login", next_url=next_url, auth_params={"login_hint": email}
        )
    except (requests.RequestException, ValueError, KeyError) as error:
        # Its configuration could not be read (down, unreachable, not a provider's answer).
        log.warning("sign-in provider %s unreachable: %s", provider.pk, type(error).__name__)
        return render(request, "socialaccount/authentication_error.html", status=502)


def id_token_claims(sociallogin) -> dict:
    """The claims of the ID token allauth checked (signature, issuer, audience, expiry)."""
    data = sociallogin.account.extra_data or {}
    return data.get("id_token") or {}


def signed_in_address(claims: dict, sociallogin) -> str:
    """The address the provider vouches for: the ID token's `email`, else the user info's; else
    Entra ID's `upn` or `preferred_username` (its v1.0 tokens carry `email` only when asked for).
    Only an address of the provider's own domains is accepted (`pre_social_login`)."""
    for candidate in (
        claims.get("email"),
        sociallogin.user.email,
        claims.get("upn"),
        claims.get("preferred_username"),
    ):
        if isinstance(candidate, str) and "@" in candidate:
            return candidate.strip().lower()
    return ""


def asserted_second_factor(provider: SignInProvider, claims: dict) -> bool:
    """Whether the ID token says the provider used a second factor: `amr` (RFC 8176) includes
    "mfa", or `acr` is one of the values the provider's row lists."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if "mfa" in amr:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in provider.acr_values


def _refuse(request, message: str):
    return ImmediateHttpResponse(
        render(request, "account/sign_in_refused.html", {"message": message}, status=403)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's, with maca's rules: no sign-up, an existing account of the provider's
    domains, partnership and agency; the secret read from the settings by its name."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        names = dict(
            SignInProvider.objects.filter(app__in=[a for a in apps if a.pk]).values_list(
                "app_id", "secret_name"
            )
        )
        for app in apps:
            name = names.get(app.pk)
            if name:
                app.secret = settings.MACA_OIDC_SECRETS.get(name.upper(), "")
        return apps

    def pre_social_login(self, request, sociallogin) -> None:
        provider = (
            SignInProvider.objects.select_related("app", "partnership", "agency")
            .filter(app__provider_id=sociallogin.account.provider)
            .first()
        )
        if provider is None:  # an app without maca's row: nobody's domains, nobody comes in
            raise _refuse(request, NOT_SET_UP)
        claims = id_token_claims(sociallogin)
        email = signed_in_address(claims, sociallogin)
        if not email:
            raise _refuse(request, NO_ADDRESS.format(provider=provider))
        if email_domain(email) not in provider.domains:
            log.info("sign-in refused: provider %s asserted another domain", provider.pk)
            raise _refuse(request, NOT_FOR_THIS_PROVIDER.format(provider=provider, email=email))
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            log.info("sign-in refused: no account (provider %s)", provider.pk)
            raise _refuse(request, NO_ACCOUNT.format(email=email))
        if not user.is_active:
            raise _refuse(request, DISABLED)
        memberships = user.memberships.filter(partnership=provider.partnership)
        if provider.agency_id:
            memberships = memberships.filter(agency=provider.agency)
        if not memberships.exists():
            where = provider.agency or provider.partnership
            raise _refuse(request, NOT_A_MEMBER.format(where=where, provider=provider))
        if not sociallogin.is_existing or sociallogin.user.pk != user.pk:
            # Linked by the address (once; or again, if the provider's subject was linked to
            # another address before: the address decides).
            sociallogin.connect(request, user)
        request.maca_sign_in = (provider, asserted_second_factor(provider, claims))

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        # The reason, for whoever reads the logs (a token for another client, an expired one, a
        # wrong state); the person sees allauth's page, which says to try again.
        log.warning(
            "sign-in through %s failed: %s %s", getattr(provider, "id", provider), error, exception
        )
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )


class AuthenticateStage(AllauthAuthenticateStage):
    """allauth's code stage, passed over when the person's provider asserted a second factor
    in this very sign-in; that counts as this session's second factor."""

    def handle(self) -> tuple:
        provider, second_factor = getattr(self.request, "maca_sign_in", (None, False))
        if provider is not None and second_factor:
            record_authentication(
                self.request, self.login.user, "mfa", type="provider", provider=str(provider)
            )
            return None, True
        return super().handle()


def sign_in_via(request) -> str:
    """How this session signed in: the name of the person's provider, or "password"."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
    for record in reversed(records):
        if record.get("method") == "socialaccount":
            provider = (
                SignInProvider.objects.filter(app__provider_id=record.get("provider"))
                .select_related("app")
                .first()
            )
            return str(provider) if provider else str(record.get("provider"))
        if record.get("method") == "password":
            return "password"
    return ""
