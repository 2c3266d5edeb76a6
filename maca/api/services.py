"""Personal API tokens: made for one partnership, shown once, kept only as a digest.

Rules enforced here:
- a token is made for a partnership its user is a member of, with a name, for 1 to 365 days;
- the secret is "maca_" and 32 random bytes (URL-safe base64); only its SHA-256 is stored;
- a token is revoked by its own user; revoking twice changes nothing;
- a new password ends every token of its user, as it ends their other sessions: whoever held
  the old password may have made one (`receivers.py` calls `tokens_end`).
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from maca import access, access_rls
from maca.accounts.models import User
from maca.errors import DomainError
from maca.partnerships.models import Partnership

from .models import ApiToken, Revoked

SECRET_PREFIX = "maca_"  # noqa: S105 (the start of every token, not a secret)
DEFAULT_DAYS = 90
MAX_DAYS = 365
NAME_MAX = 100


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: User, partnership: Partnership | None, name: str, days: int = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A token acting as `user` in `partnership`, expiring after `days`. Returns the token and
    its secret, which is not kept anywhere: the caller shows it once."""
    if partnership is None or access.viewer_as(user, partnership).membership is None:
        raise DomainError("Choose a partnership you are a member of", field="partnership")
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the token", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"Keep the name to {NAME_MAX} characters or fewer", field="name")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise DomainError(
            f"A token lasts between 1 and {MAX_DAYS} days: enter a number in that range",
            field="days",
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        partnership=partnership,
        name=name,
        key_prefix=secret[:8],
        key_hash=secret_digest(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Stop a token working at once. Only its own user revokes it, whichever partnership they
    are working in: on PostgreSQL a token is changed only in its own partnership's rows
    (migration partnerships/0008), so the change is made there."""
    if token.user_id != getattr(by, "pk", None):
        raise DomainError("You can revoke only your own tokens")
    with access_rls.working_in(token.partnership_id):
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_because = Revoked.BY_USER
            token.save(update_fields=["revoked_at", "revoked_because"])
    return token


@transaction.atomic
def tokens_end(*, user: User, because: str = Revoked.PASSWORD_CHANGED) -> int:
    """Stop every token of `user` that still works, in every partnership. Returns how many."""
    now = timezone.now()
    # On PostgreSQL a token is changed only in its own partnership's rows (migration
    # partnerships/0008): the user's tokens of every partnership are reached from all of them,
    # whatever partnership the request works in. The query itself is the user's.
    with access_rls.working_in(access_rls.ALL_PARTNERSHIPS):
        return ApiToken.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=now
        ).update(revoked_at=now, revoked_because=because)
