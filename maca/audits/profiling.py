"""A case's profile (maca.profiles, decision 69), changed by a coordinator: set from the
candidates file when the sample is drawn (`sampling`), corrected here until the audit closes.
"""

from django.db import transaction

from maca import profiles
from maca.audits.models import Case
from maca.errors import DomainError
from maca.history import tracking

NOT_NOW = "A case's profile can be changed until the audit closes."


def may_change_profile(case: Case) -> bool:
    """Whether the case's profile can be changed now: until the audit closes, and only when
    the partnership records some profile field."""
    audit = case.audit
    return audit.allows.change_profiles and bool(audit.partnership.profile_field_list())


@transaction.atomic
def case_profile_set(*, case: Case, by, profile: dict[str, str]) -> Case:
    """Set the fields of the case's profile that the partnership records: each one of the
    field's values, or empty for not recorded. A field not given is left as it is; a field the
    partnership does not record cannot be set. Until the audit closes; the change history
    records who changed what."""
    locked = Case.objects.select_for_update().select_related("audit__partnership").get(pk=case.pk)
    if not locked.audit.allows.change_profiles:
        raise DomainError(NOT_NOW)
    recorded = locked.audit.partnership.profile_field_list()
    if not recorded:
        raise DomainError("The partnership records no case profile fields: choose them first.")
    before = locked.profile()
    for name, given in profile.items():
        if name not in recorded:
            raise DomainError(
                "The partnership does not record this field in case profiles.", field=name
            )
        value = profiles.value_for(name, given or "")
        if value is None:
            field = profiles.ProfileField(name)
            raise DomainError(
                f"Choose the {field.label.lower()} from the list, or not recorded", field=name
            )
        setattr(locked, name, value)
    if locked.profile() != before:
        with tracking.actor(by, via="web", reason="Case profile changed"):
            locked.save()
    for name in profile:
        setattr(case, name, getattr(locked, name))
    return locked
