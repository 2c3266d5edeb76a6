"""Arguments our commands share."""

from django.core.management.base import CommandError

from maca.audits.models import Audit


def audit_by_id(value: str) -> Audit:
    try:
        return Audit.objects.select_related("partnership").get(pk=int(value))
    except (ValueError, Audit.DoesNotExist):
        raise CommandError(f"There is no audit {value!r}. `maca list-audits` shows them.") from None
