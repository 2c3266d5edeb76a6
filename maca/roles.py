"""The roles a person holds in a partnership (docs/domain.md). Below every app: the change
history's access log names the role a record was made in, and the partnerships' memberships
hold one (`maca.partnerships.models` gives it under its old name too)."""

from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    AGENCY_AUDITOR = "agency_auditor", "Agency auditor"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    BOARD_MEMBER = "board_member", "Board member"

    @classmethod
    def agency_roles(cls) -> list["Role"]:
        return [cls.AGENCY_AUDITOR, cls.AGENCY_LEAD]
