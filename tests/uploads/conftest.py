"""The API's clients, for the bundles sent to it (tests/api/conftest.py)."""

from tests.api.conftest import api_as, token_for  # noqa: F401
