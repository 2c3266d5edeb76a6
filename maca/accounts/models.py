from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models

from maca.history.tracking import Tracked


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("Every user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address. Roles come from memberships."""

    # Django's documented way to drop an inherited field; django-stubs types these fields as
    # always present (str), so it cannot say so.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField(max_length=150, blank=True)
    # How the person last signed in: "password", or the name of their organisation's sign-in
    # provider (decision 75). With `last_login`, what an admin reads to find leavers.
    last_sign_in_via = models.CharField("last signed in with", max_length=200, blank=True)
    # When `maca disable-unused-accounts` warned that the account would be disabled; cleared by
    # the next sign-in.
    unused_notice_sent_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # django-stubs declares AbstractUser.objects as Django's username-keyed UserManager; a user
    # keyed by e-mail needs its own manager, which the stubs cannot express.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email


def email_domain(email: str) -> str:
    """The part of an address after its last @, in lower case ("" if it has none)."""
    local, at, domain = (email or "").strip().rpartition("@")
    return domain.lower() if at and local else ""


DOMAIN_TAKEN = "{domain} already signs in through {provider}: a domain has one provider"
UNSET_VARIABLE = "{variable} is not set in maca's environment: set it, and restart maca"
CLIENT_ID_TAKEN = "Another sign-in provider has this client id: give each its own registration"
DOMAIN_INVALID = "{domain} is not an e-mail domain (like police.example.org)"


class SignInProvider(Tracked):
    """An organisation's OpenID Connect provider, through which the people of its e-mail
    domains sign in (decision 75).

    The protocol's side (issuer, client id, secret) is allauth's `SocialApp`; this row says
    whose addresses go to it, and for which partnership (and agency, if it is one agency's)
    it proves who someone is. Who may see what still comes from their maca membership.
    """

    app = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.CASCADE,
        related_name="maca_provider",
        verbose_name="OpenID Connect app",
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="sign_in_providers"
    )
    agency = models.ForeignKey(
        "partnerships.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sign_in_providers",
        help_text="Only members of this agency sign in through it (blank: any member).",
    )
    email_domains = models.TextField(
        "e-mail domains",
        help_text="One a line, like police.example.org: addresses there sign in through it.",
    )
    secret_name = models.CharField(
        "secret's name",
        max_length=60,
        blank=True,
        help_text=(
            "NAME, when the client secret is in the environment variable "
            "MACA_OIDC_SECRET_NAME; blank, when it is in the app's own secret field."
        ),
    )
    mfa_acr_values = models.TextField(
        "acr values that mean multi-factor",
        blank=True,
        help_text=(
            "One a line. An ID token whose amr claim includes mfa, or whose acr is one of "
            "these, skips maca's own code."
        ),
    )

    class Meta:
        ordering = ["app__name"]

    def __str__(self) -> str:
        return self.app.name if self.app_id else "A sign-in provider"

    @property
    def domains(self) -> list[str]:
        return [line.strip().lower() for line in self.email_domains.split() if line.strip()]

    @property
    def acr_values(self) -> set[str]:
        return {line.strip() for line in self.mfa_acr_values.splitlines() if line.strip()}

    def clean(self) -> None:
        super().clean()
        domains = self.domains
        for domain in domains:
            if "." not in domain or "@" in domain or "/" in domain:
                raise ValidationError({"email_domains": DOMAIN_INVALID.format(domain=domain)})
        for other in SignInProvider.objects.exclude(pk=self.pk):
            taken = set(domains) & set(other.domains)
            if taken:
                raise ValidationError(
                    {"email_domains": DOMAIN_TAKEN.format(domain=sorted(taken)[0], provider=other)}
                )
        if self.app_id and (
            SignInProvider.objects.exclude(pk=self.pk)
            .filter(app__provider=self.app.provider, app__client_id=self.app.client_id)
            .exists()
        ):
            # allauth finds the app of a sign-in under way by its kind and client id.
            raise ValidationError({"app": CLIENT_ID_TAKEN})
        if (
            self.agency is not None
            and self.partnership_id
            and self.agency.partnership_id != self.partnership_id
        ):
            raise ValidationError(
                {"agency": "Choose an agency of this partnership: that one belongs to another"}
            )
        self.secret_name = self.secret_name.strip().upper()
        if self.secret_name and self.secret_name not in settings.MACA_OIDC_SECRETS:
            raise ValidationError(
                {
                    "secret_name": UNSET_VARIABLE.format(
                        variable=f"MACA_OIDC_SECRET_{self.secret_name}"
                    )
                }
            )
        self.email_domains = "\n".join(domains)
