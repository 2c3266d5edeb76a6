"""Writes about partnerships and the people in them, and their areas and agencies."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import CharField

from maca.accounts.models import User
from maca.errors import DomainError
from maca.grades import DEFAULT_DESCRIPTORS, LONGEST_DESCRIPTOR, Grade
from maca.history import tracking
from maca.profiles import ProfileField, chosen

from .models import (
    RETENTION_LONGEST,
    RETENTION_SHORTEST,
    SMALL_COUNT_HIGHEST,
    SMALL_COUNT_LOWEST,
    Agency,
    Area,
    Membership,
    Partnership,
    Role,
)


class MembershipError(ValueError):
    pass


@transaction.atomic
def membership_grant(
    *, user: User, partnership: Partnership, role: str, agency: Agency | None = None
) -> Membership:
    """Give a person a role in a partnership (replacing any role they had there).

    Agency roles need an agency of the same partnership; the other roles take none.
    """
    if role not in Role.values:
        raise MembershipError(f"role: {role!r} is not one of {Role.values}")
    if role in Role.agency_roles():
        if agency is None:
            raise MembershipError("agency: an agency auditor or lead needs an agency")
        if agency.partnership_id != partnership.pk:
            raise MembershipError("agency: the agency belongs to another partnership")
    elif agency is not None:
        raise MembershipError(f"agency: a {Role(role).label.lower()} has no agency")
    membership, _ = Membership.objects.update_or_create(
        user=user, partnership=partnership, defaults={"role": role, "agency": agency}
    )
    return membership


def small_count_threshold_set(
    *, partnership: Partnership, by: User, threshold: int, was: int
) -> None:
    """Set the smallest count board members see. `was` is the value the form showed: if
    someone changed it since, the change is refused rather than silently replacing theirs."""
    _setting_set(
        partnership,
        by,
        "small_count_threshold",
        threshold,
        was,
        bounds=(SMALL_COUNT_LOWEST, SMALL_COUNT_HIGHEST),
        field="threshold",
        unit="",
        what="a whole number",
    )


def retention_period_set(*, partnership: Partnership, by: User, years: int, was: int) -> None:
    """Set how many years a closed audit's case-level text is kept (`maca apply-retention`).
    `was` is the value the form showed, as for the small-count threshold."""
    _setting_set(
        partnership,
        by,
        "retention_years",
        years,
        was,
        bounds=(RETENTION_SHORTEST, RETENTION_LONGEST),
        field="years",
        unit=" years",
        what="a whole number of years",
    )


@transaction.atomic
def _setting_set(
    partnership: Partnership,
    by: User,
    name: str,
    value: int,
    was: int,
    *,
    bounds: tuple[int, int],
    field: str,
    unit: str,
    what: str,
) -> None:
    """One of the partnership's numbers, within `bounds`, refused if it moved since `was`."""
    current = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if getattr(current, name) != was:
        raise DomainError(
            f"Another coordinator changed this to {getattr(current, name)}{unit} while you "
            "were looking: check it and save again",
            field=field,
        )
    lowest, highest = bounds
    if not lowest <= value <= highest:
        raise DomainError(f"Enter {what} from {lowest} to {highest}", field=field)
    with tracking.actor(by):
        setattr(current, name, value)
        current.save(update_fields=[name])
    setattr(partnership, name, value)


@transaction.atomic
def grade_descriptors_set(
    *, partnership: Partnership, by: User, descriptors: dict[str, str]
) -> None:
    """Write what each grade means, in the partnership's words (`descriptors`: grade value →
    text). A grade left empty, or given the default's words, reads the default."""
    cleaned: dict[str, str] = {}
    for grade in Grade.scale():
        words = (descriptors.get(grade.value) or "").strip()
        if len(words) > LONGEST_DESCRIPTOR:
            raise DomainError(
                f"What {grade.label.lower()} means must be {LONGEST_DESCRIPTOR:,} characters "
                "or fewer",
                field=grade.value,
            )
        if words and words != DEFAULT_DESCRIPTORS[grade]:
            cleaned[grade.value] = words
    current = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if current.grade_descriptors != cleaned:
        with tracking.actor(by):
            current.grade_descriptors = cleaned
            current.save(update_fields=["grade_descriptors"])
    partnership.grade_descriptors = cleaned


@transaction.atomic
def profile_fields_set(*, partnership: Partnership, by: User, fields: list[str]) -> None:
    """Choose the case profile fields the partnership records (maca.profiles, decision 69):
    only these are asked for, shown and counted. A field no longer chosen keeps its cases'
    values, hidden, until it is chosen again."""
    unknown = [name for name in fields if name not in ProfileField.values]
    if unknown:
        raise DomainError(
            f"Choose fields from the list: {', '.join(unknown)} is not one", field="chosen"
        )
    wanted = [field.value for field in chosen(fields)]
    current = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if current.profile_fields != wanted:
        with tracking.actor(by):
            current.profile_fields = wanted
            current.save(update_fields=["profile_fields"])
    partnership.profile_fields = wanted


@transaction.atomic
def agency_contact_set(*, agency: Agency, email: str, was: str, by: User) -> None:
    """Set (or, left empty, remove) an agency's contact address: a shared inbox that gets
    every e-mail maca sends the agency. `was` is the address the form showed: if another
    coordinator changed it since, the change is refused rather than replacing theirs."""
    current = Agency.objects.select_for_update().get(pk=agency.pk)
    if current.contact_email != (was or "").strip():
        raise DomainError(
            f"Another coordinator changed this to {current.contact_email or 'no address'} while "
            "you were looking: check it and save again",
            field="contact_email",
        )
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                "Enter an e-mail address in the right format, like safeguarding@agency.org.uk",
                field="contact_email",
            ) from None
    if len(email) > _max_length(Agency, "contact_email"):
        raise DomainError("Keep the address to 254 characters or fewer", field="contact_email")
    if email != current.contact_email:
        with tracking.actor(by, via="web"):
            current.contact_email = email
            current.save(update_fields=["contact_email"])
    agency.contact_email = email


# --- Naming areas and agencies ---------------------------------------------------------------


class RenameConflict(DomainError):
    """Someone else renamed the area or agency since this person opened it."""

    def __init__(self, current: Area | Agency):
        word = current._meta.verbose_name
        super().__init__(
            f"Someone else changed this {word}'s name after you opened it, so your change was "
            "not saved. Check the name as it is now, then make your change again."
        )
        self.current = current


@transaction.atomic
def area_rename(*, area: Area, by: User, name: str, version: int) -> Area:
    """Rename an area (a name someone mistyped, or one that a chart could not draw). See
    `_rename` for the rules."""
    return _rename(area, by=by, name=name, version=version)


@transaction.atomic
def agency_rename(*, agency: Agency, by: User, name: str, version: int) -> Agency:
    """Rename an agency, as an area is renamed."""
    return _rename(agency, by=by, name=name, version=version)


def _max_length(model: type[Area] | type[Agency], field: str) -> int:
    column = model._meta.get_field(field)
    assert isinstance(column, CharField) and column.max_length is not None
    return column.max_length


def _rename[Named: (Area, Agency)](row: Named, *, by: User, name: str, version: int) -> Named:
    """The rules of a rename: it names the version it started from, and an older one is
    refused (`RenameConflict`); the name is needed, its spaces tidied, no longer than the
    column keeps, and not the name of another of the partnership's areas (or agencies)
    whatever its capitals. The change history records it; the published editions of reports
    keep the name they were published with."""
    model = type(row)
    word = model._meta.verbose_name
    current = model.objects.select_for_update().get(pk=row.pk)
    if current.version != version:
        raise RenameConflict(current)
    name = " ".join((name or "").split())
    limit = _max_length(model, "name")
    if not name:
        raise DomainError(f"Enter the {word}'s name", field="name")
    if len(name) > limit:
        raise DomainError(f"The {word}'s name must be {limit} characters or fewer", field="name")
    taken = (
        model.objects.filter(partnership_id=current.partnership_id, name__iexact=name)
        .exclude(pk=current.pk)
        .first()
    )
    if taken is not None:
        raise DomainError(
            f"The partnership already has an {word} called “{taken.name}”", field="name"
        )
    if name == current.name:
        return current
    with tracking.actor(by, via="web"):
        current.name = name
        current.version += 1
        try:
            with transaction.atomic():
                current.save(update_fields=["name", "version"])
        except IntegrityError:  # the same name given to another at the same moment
            raise DomainError(
                f"The partnership already has an {word} called “{name}”", field="name"
            ) from None
    return current
