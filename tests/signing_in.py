"""Signing a test's client in, as the sign-in page does once both factors have passed.

`Client.force_login` alone makes a session that skipped the second factor, which maca ends
for anyone whose role needs one (maca/accounts/two_factor.py). The sign-in flow itself, both
steps, is tested in tests/security/test_two_factor.py.
"""

import time


def sign_in(client, user) -> None:
    # Imported here: bench/ imports this module before Django is set up.
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    # Whose records they are: allauth keeps them only for that user (a confirmation of the
    # password, say, adds to them rather than starting afresh).
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def sign_in_with_code(client, user, password, login_url=None):
    """Sign in through the pages: the password (posted to `login_url`, which may carry a
    ?next=), then the authenticator app's code.

    Gives `user` an app first if they have none. Returns the answer to the code.
    """
    from django.urls import reverse

    app = authenticator_app(user)
    login_url = login_url or reverse("account_login")
    response = client.post(login_url, {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("mfa_authenticate"), response["Location"]
    return client.post(reverse("mfa_authenticate"), {"code": fresh_code(app)})


def authenticator_app(user):
    """The user's authenticator app, set up now if they have none."""
    from allauth.mfa.models import Authenticator

    from maca.accounts.two_factor import set_up_authenticator_app

    app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return app or set_up_authenticator_app(user)


def fresh_code(app) -> str:
    """The app's code of the moment, usable even if this test already used it: a code works
    once (allauth remembers it for its 30 seconds), and a test may sign in twice within them."""
    from django.core.cache import cache

    from maca.accounts.two_factor import current_code

    code = current_code(app)
    cache.delete(f"allauth.mfa.totp.used?user={app.user_id}&code={code}")
    return code
