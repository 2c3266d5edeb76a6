from django.conf import settings
from django.db import models
from django.utils import timezone

from maca.partnerships.models import Partnership


class Revoked(models.TextChoices):
    """Why a token stopped working before it expired."""

    BY_USER = "by_user", "Revoked"
    PASSWORD_CHANGED = "password_changed", "Password changed"


class ApiToken(models.Model):
    """A personal API token: it acts as its user, in one partnership, until it expires or is
    revoked. Only the SHA-256 digest of the secret is kept; the secret is shown once.

    Tokens are never deleted (revoking sets `revoked_at` and why), so the table is its own
    record of who could reach the API, and when.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    # The first characters of the secret, so its owner can tell their tokens apart.
    key_prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = models.CharField(max_length=20, choices=Revoked.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(revoked_at__isnull=True, revoked_because="")
                    | models.Q(revoked_at__isnull=False, revoked_because__in=Revoked.values)
                ),
                name="apitoken_revoked_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
