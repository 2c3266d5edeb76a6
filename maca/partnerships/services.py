"""Writes about partnerships and the people in them."""

from django.db import transaction

from maca.accounts.models import User

from .models import Agency, Membership, Partnership, Role


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
