"""The API's tests: actions to see. Tokens for the cast and a client that sends them are
tests/conftest.py's (`token_for`, `api_as`).

On top of the cast (tests/conftest.py): Police and Children's Social Care each own an action
in our audit, and the other partnership's audit has one of its own.
"""

import pytest

from tests import factories as f


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
