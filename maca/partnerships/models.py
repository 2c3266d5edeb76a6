from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from maca.grades import DEFAULT_DESCRIPTORS, Grade
from maca.history.tracking import Tracked
from maca.profiles import ProfileField, chosen
from maca.roles import Role

from .ordering import partnership_order

# The board sees no count below this unless the partnership sets its own (decision 24).
SMALL_COUNT_DEFAULT, SMALL_COUNT_LOWEST, SMALL_COUNT_HIGHEST = 3, 2, 20
# How long case-level text is kept after an audit closes, in years (`maca apply-retention`).
RETENTION_DEFAULT, RETENTION_SHORTEST, RETENTION_LONGEST = 6, 1, 25


class Partnership(Tracked):
    """The tenant: a safeguarding children partnership. Every record belongs to exactly one."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Counts below this are shown to board members as "fewer than N" (small-count suppression).
    small_count_threshold = models.PositiveSmallIntegerField(
        "smallest count shown to the board",
        default=SMALL_COUNT_DEFAULT,
        validators=[MinValueValidator(SMALL_COUNT_LOWEST), MaxValueValidator(SMALL_COUNT_HIGHEST)],
    )
    retention_years = models.PositiveSmallIntegerField(
        "years case-level text is kept after an audit closes",
        default=RETENTION_DEFAULT,
        validators=[MinValueValidator(RETENTION_SHORTEST), MaxValueValidator(RETENTION_LONGEST)],
    )
    # What each grade means, in the partnership's words (grade value → text); a grade not
    # here reads maca.grades.DEFAULT_DESCRIPTORS (`grade_descriptors`).
    grade_descriptors = models.JSONField(default=dict, blank=True)
    # The case profile fields it records (maca.profiles.ProfileField values; decision 69): only
    # these are asked for, shown and counted. None until a coordinator chooses some.
    profile_fields = models.JSONField("case profile fields", default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    retention_years__gte=RETENTION_SHORTEST, retention_years__lte=RETENTION_LONGEST
                ),
                name="partnership_retention_years_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def partnership_id(self) -> int | None:
        """Its own history belongs to itself."""
        return self.pk

    def profile_field_list(self) -> list[ProfileField]:
        """The case profile fields the partnership records, in their fixed order."""
        return chosen(self.profile_fields)

    def grade_descriptor_list(self) -> list[tuple[Grade, str]]:
        """What each grade of the scale means here, best first: the partnership's words, or
        the default."""
        own = self.grade_descriptors or {}
        return [
            (grade, own.get(grade.value) or DEFAULT_DESCRIPTORS[grade]) for grade in Grade.scale()
        ]


class Area(Tracked):
    """A locality of the partnership. Renamed by a coordinator (its history keeps every name)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    # Optimistic locking: a rename names the version it started from.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["partnership", *partnership_order()]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="area_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Agency(Tracked):
    """An organisation that works with children. Renamed by a coordinator, as an area is."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    # Where an agency wants its lead to approve returns before they reach the coordinator.
    requires_sign_off = models.BooleanField(default=False)
    # A shared inbox of the agency (its safeguarding team's, say), set by a coordinator: it gets
    # every e-mail addressed to the agency, so that an agency with nobody in maca yet, or whose
    # people are all away, still hears of its requests, reminders and actions.
    contact_email = models.EmailField("contact address", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["partnership", *partnership_order()]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique"),
            # What a membership's agency refers to, with its partnership (migration 0005).
            models.UniqueConstraint(fields=["id", "partnership"], name="agency_id_partnership"),
        ]

    def __str__(self) -> str:
        return self.name


AGENCY_ELSEWHERE = "Choose an agency of this partnership: that one belongs to another"


class Membership(models.Model):
    """A person's place in one partnership. A person may serve several partnerships.

    An agency role's agency is one of the membership's own partnership: otherwise the person
    would act for another partnership's agency in this one. `clean` says so to a form; the
    database refuses it whatever writes the row (migration 0005: a foreign key on the agency
    and the partnership together on PostgreSQL, triggers on SQLite).
    """

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

    def clean(self) -> None:
        super().clean()
        elsewhere = self.agency_id and self.agency.partnership_id != self.partnership_id
        if elsewhere and self.partnership_id:
            raise ValidationError({"agency": AGENCY_ELSEWHERE})


class LibraryThemeQuerySet(models.QuerySet):
    def live(self):
        """Themes in use: not merged into another."""
        return self.filter(merged_into__isnull=True)


class LibraryTheme(Tracked):
    """A theme in the partnership's library, followed across audits.

    Merging one theme into another moves its audit themes across and keeps the merged theme,
    pointing at the one it went into: its title still finds the live theme (an old bundle that
    names it links to the right place) and its history stays readable.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="library_themes"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = LibraryThemeQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "title"], name="library_theme_title_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True, merged_at__isnull=True)
                | models.Q(merged_into__isnull=False, merged_at__isnull=False),
                name="library_theme_merged_when",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def live(self) -> "LibraryTheme":
        """The theme this one now lives on as (itself unless merged)."""
        theme = self
        while theme.merged_into_id is not None:
            theme = theme.merged_into
        return theme
