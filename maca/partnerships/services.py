"""Writes about partnerships and the people in them."""

from django.db import transaction

from maca.accounts.models import User
from maca.errors import DomainError
from maca.history import tracking

from .models import (
    SMALL_COUNT_HIGHEST,
    SMALL_COUNT_LOWEST,
    Agency,
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


@transaction.atomic
def small_count_threshold_set(*, partnership: Partnership, by, threshold: int, was: int) -> None:
    """Set the smallest count board members see. `was` is the value the form showed: if
    someone changed it since, the change is refused rather than silently replacing theirs."""
    current = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if current.small_count_threshold != was:
        raise DomainError(
            f"Another coordinator changed this to {current.small_count_threshold} while you "
            "were looking: check it and save again",
            field="threshold",
        )
    if not SMALL_COUNT_LOWEST <= threshold <= SMALL_COUNT_HIGHEST:
        raise DomainError(
            f"Enter a whole number from {SMALL_COUNT_LOWEST} to {SMALL_COUNT_HIGHEST}",
            field="threshold",
        )
    with tracking.actor(by):
        current.small_count_threshold = threshold
        current.save(update_fields=["small_count_threshold"])
    partnership.small_count_threshold = threshold
