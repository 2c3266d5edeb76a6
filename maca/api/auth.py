"""Bearer-token authentication: a token acts with exactly its user's rights, in its partnership.

The request gets the same `Viewer` a page would (`access.viewer_as`), so every endpoint scopes
through `maca.access` exactly as the pages do.
"""

import datetime

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from maca import access, access_rls

from .models import ApiToken, Revoked
from .services import secret_digest

# Recording every use would write on every call; once a minute is enough to show "last used".
LAST_USED_EVERY = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def __call__(self, request):
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(
                message="Send your personal API token in the header Authorization: Bearer <token>"
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token: str) -> ApiToken:
        found = (
            ApiToken.objects.select_related("user", "partnership")
            .filter(key_hash=secret_digest(token))
            .first()
        )
        now = timezone.now()
        if found is None:
            raise AuthenticationError(message="This token is not valid")
        if found.revoked_because == Revoked.PASSWORD_CHANGED:
            raise AuthenticationError(message="This token ended when its user's password changed")
        if found.revoked_at is not None:
            raise AuthenticationError(message="This token has been revoked")
        if found.expires_at <= now:
            raise AuthenticationError(message="This token has expired")
        # The request came without a session, so it worked in no partnership until now.
        access_rls.work_in(found.partnership_id)
        viewer = access.viewer_as(found.user, found.partnership)
        if viewer.membership is None:  # inactive, or no longer a member of the partnership
            raise AuthenticationError(message="This token's user can no longer use it")
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
        request.viewer = viewer
        request.auth_user = found.user
        return found
