"""The meeting's cast: the conftest's collecting audit moved to moderation, and the
coordinator's client."""

import pytest

from maca.meetings.services import moderation_start


@pytest.fixture
def coordinator_client(coordinator, client_for):
    return client_for(coordinator)


@pytest.fixture
def moderation(audit, coordinator):
    moderation_start(audit=audit, by=coordinator)
    audit.refresh_from_db()
    return audit
