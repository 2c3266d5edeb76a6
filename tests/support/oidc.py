"""Starting the tests' OpenID Connect provider (tests/support/oidc_provider.py) as its own
process, and registering it with maca as an admin would (decision 75)."""

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

PROVIDER = Path(__file__).with_name("oidc_provider.py")


# Each provider its own client id, as each organisation's registration of maca has (allauth
# tells apart the apps of one kind by it: SignInProvider.clean).
def client_id_of(provider_id: str) -> str:
    return f"maca-{provider_id}"


CLIENT_SECRET = "not-a-real-secret-but-a-long-one"


def callback_url(base_url: str, provider_id: str) -> str:
    return f"{base_url}/accounts/oidc/{provider_id}/login/callback/"


@contextmanager
def provider_process(redirect_uri: str, *options: str, provider_id: str):
    """A provider listening on a free port, for as long as the block runs: yields its issuer."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROVIDER),
            "--client-id",
            client_id_of(provider_id),
            "--client-secret",
            CLIENT_SECRET,
            "--redirect-uri",
            redirect_uri,
            *options,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        issuer = process.stdout.readline().strip()
        assert issuer.startswith("http://127.0.0.1:"), f"the provider did not start: {issuer!r}"
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def register(issuer, *, provider_id, name, domains, partnership, agency=None, secret_name=""):
    """What an admin enters: allauth's OpenID Connect app, and maca's row for it. With
    `secret_name`, the secret is left out of the app (settings.MACA_OIDC_SECRETS has it)."""
    from allauth.socialaccount.models import SocialApp

    from maca.accounts.models import SignInProvider

    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=provider_id,
        name=name,
        client_id=client_id_of(provider_id),
        secret="" if secret_name else CLIENT_SECRET,
        settings={"server_url": issuer},
    )
    provider = SignInProvider(
        app=app,
        partnership=partnership,
        agency=agency,
        email_domains="\n".join(domains),
        secret_name=secret_name,
    )
    provider.full_clean()
    provider.save()
    return provider
