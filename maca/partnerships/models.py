from django.conf import settings
from django.db import models


class Partnership(models.Model):
    """The tenant: a safeguarding children partnership. Every record belongs to exactly one."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["partnership", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="area_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    # Where an agency wants its lead to approve returns before they reach the coordinator.
    requires_sign_off = models.BooleanField(default=False)

    class Meta:
        ordering = ["partnership", "position", "name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    AGENCY_AUDITOR = "agency_auditor", "Agency auditor"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    BOARD_MEMBER = "board_member", "Board member"

    @classmethod
    def agency_roles(cls) -> list["Role"]:
        return [cls.AGENCY_AUDITOR, cls.AGENCY_LEAD]


class Membership(models.Model):
    """A person's place in one partnership. A person may serve several partnerships."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        ordering = ["partnership__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
            # Agency roles need an agency; the partnership-wide roles have none.
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=Role.agency_roles(), agency__isnull=False)
                    | (~models.Q(role__in=Role.agency_roles()) & models.Q(agency__isnull=True))
                ),
                name="membership_agency_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.agency})" if self.agency_id else ""
        return f"{self.user} — {self.get_role_display()}{where}, {self.partnership}"


class LibraryTheme(models.Model):
    """A theme in the partnership's library, followed across audits."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="library_themes"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "title"], name="library_theme_title_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title
