"""A client of the REST API with a token (tests/conftest.py's `api_as`)."""

from django.test import Client


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
