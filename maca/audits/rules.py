"""Small rules of the audit, computed from its fields."""

import datetime

from .models import Audit


def audit_held_on(audit: Audit) -> datetime.date:
    """The date an audit is placed at when audits are put in order."""
    return audit.meeting_date or audit.returns_due or audit.created_at.date()
