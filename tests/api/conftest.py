"""The API's tests: tokens for the cast, a client that sends them, and actions to see.

On top of the cast (tests/conftest.py): Police and Children's Social Care each own an action
in our audit, and the other partnership's audit has one of its own.
"""

import pytest
from django.test import Client

from maca.api import services
from maca.partnerships.models import Membership
from tests import factories as f


@pytest.fixture
def token_for():
    """A token's secret for `user`, in `partnership` (their first one unless named)."""

    def make(user, partnership=None, *, name="Tests", days=90) -> str:
        if partnership is None:
            partnership = Membership.objects.filter(user=user).first().partnership
        _, secret = services.token_create(user=user, partnership=partnership, name=name, days=days)
        return secret

    return make


class Api:
    """Calls /api/v1/ with a token, as a program would."""

    def __init__(self, secret: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body):
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )

    def put(self, path: str, body):
        return self.client.put(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(token_for):
    """An API client holding a fresh token of `user` (None: no token at all)."""

    def make(user, partnership=None) -> Api:
        return Api(token_for(user, partnership) if user is not None else None)

    return make


@pytest.fixture
def actions(audit, agencies, other_audit):
    """Police's and Children's Social Care's actions in our audit, and one elsewhere."""
    recommendation = f.RecommendationFactory(audit=audit)
    elsewhere = f.RecommendationFactory(audit=other_audit)
    return {
        "police": f.ActionFactory(
            recommendation=recommendation, agency=agencies["Police"], owner="DI Shah"
        ),
        "csc": f.ActionFactory(
            recommendation=recommendation, agency=agencies["Children's Social Care"]
        ),
        "elsewhere": f.ActionFactory(recommendation=elsewhere),
    }
