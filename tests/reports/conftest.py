import pytest

from maca.audits.models import AuditStatus
from maca.partnerships.models import Role
from tests import factories as f


@pytest.fixture
def reporting(audit):
    """The conftest audit, moved on to reporting (its report can be written)."""
    audit.status = AuditStatus.REPORTING
    audit.save()
    return audit


@pytest.fixture
def second_coordinator(partnership):
    """A second coordinator, who may approve what the first wrote."""
    return f.MembershipFactory(
        user=f.UserFactory(email="second.coordinator@example.org"),
        partnership=partnership,
        role=Role.COORDINATOR,
    ).user
